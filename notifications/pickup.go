package notifications

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/jobs"
)

// PickupReminder is how long before a pickup's hold ends its customer is reminded (fulfilment
// cancels an uncollected pickup when its hold ends).
const PickupReminder = 24 * time.Hour

// PickupSweepInterval is how often pickups about to expire are looked for.
const PickupSweepInterval = 15 * time.Minute

// PickupSweepArgs looks for pickups about to expire and reminds their customers.
type PickupSweepArgs struct{}

// Kind implements river.JobArgs.
func (PickupSweepArgs) Kind() string { return "notification_pickup_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PickupSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.WaitingStates()}}
}

type pickupSweepWorker struct {
	river.WorkerDefaults[PickupSweepArgs]
	s *Service
}

func (w *pickupSweepWorker) Work(ctx context.Context, _ *river.Job[PickupSweepArgs]) error {
	return w.s.SweepPickups(ctx)
}

// expiring reports whether a pickup ready since ready and kept until expires is due its reminder
// at now: less than PickupReminder is left, and its hold was longer than that (a shorter hold's
// ready message already named the last day). It is pure.
func expiring(ready, expires *time.Time, now time.Time) bool {
	if ready == nil || expires == nil || !now.Before(*expires) {
		return false
	}
	return expires.Sub(*ready) > PickupReminder && expires.Sub(now) <= PickupReminder
}

// SweepPickups writes a PICKUP_EXPIRING notification (once per shipment) for every pickup due its
// reminder.
func (s *Service) SweepPickups(ctx context.Context) error {
	now := s.now()
	shs, err := s.DB.Client.Shipment.Query().Where(shipment.StatusEQ(shipment.StatusREADY_FOR_PICKUP),
		shipment.DirectionEQ(shipment.DirectionOUTBOUND), shipment.PickupExpiresAtGT(now),
		shipment.PickupExpiresAtLTE(now.Add(PickupReminder))).All(ctx)
	if err != nil {
		return fmt.Errorf("load pickups: %w", err)
	}
	var appended bool
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var asks []ask
		for _, sh := range shs {
			if !expiring(sh.ReadyAt, sh.PickupExpiresAt, now) {
				continue
			}
			o, err := tx.Order.Query().Where(order.ID(sh.OrderID)).WithCustomer().WithChannel().Only(ctx)
			if err != nil {
				return fmt.Errorf("load order: %w", err)
			}
			id := string(sh.ID)
			asks = append(asks, ask{order: o, intent: Intent{Kind: KindPickupExpiring, Version: id, SubjectID: id,
				Facts: facts(factPickupBy, stamp(*sh.PickupExpiresAt))}})
		}
		jobs, evs, err := s.write(ctx, tx, asks, "")
		if err != nil {
			return err
		}
		if err := s.Queue.InsertTx(ctx, tx, jobs...); err != nil {
			return err
		}
		appended = len(evs) > 0
		return events.Append(ctx, tx, evs...)
	})
	if err == nil && appended {
		s.committed()
	}
	return err
}
