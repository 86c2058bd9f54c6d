package fulfilment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/orders"
)

// NotCollected is the reason on a pickup shipment, and its order, cancelled because nobody came.
const NotCollected = "not collected"

// PickupSweepInterval is how often shipments waiting past their pickup hold are looked for.
const PickupSweepInterval = time.Minute

// pickupSweepBatch bounds the shipments one sweep expires; the next sweep takes the rest.
const pickupSweepBatch = 100

// cancellable are the order states an uncollected pickup's order is cancelled from: nothing of it
// has left (a part collected earlier leaves the order as it is).
var cancellable = []order.Status{
	order.StatusPENDING_PAYMENT, order.StatusCONFIRMED, order.StatusALLOCATED, order.StatusPICKING, order.StatusPACKED,
	order.StatusREADY_TO_SHIP, order.StatusBACKORDERED, order.StatusON_HOLD, order.StatusCANCEL_REQUESTED,
}

// PickupSweepArgs is the periodic job that expires uncollected pickups.
type PickupSweepArgs struct{}

// Kind implements river.JobArgs.
func (PickupSweepArgs) Kind() string { return "pickup_expiry_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PickupSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// Register adds fulfilment's workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &pickupSweepWorker{s: s})
}

// Periodic returns fulfilment's scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(PickupSweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PickupSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

type pickupSweepWorker struct {
	river.WorkerDefaults[PickupSweepArgs]
	s *Service
}

func (w *pickupSweepWorker) Work(ctx context.Context, _ *river.Job[PickupSweepArgs]) error {
	_, err := w.s.ExpirePickups(ctx, w.s.now())
	return err
}

// Expired reports whether a shipment waiting for its customer is past its hold at now. It is pure.
func Expired(sh *ent.Shipment, now time.Time) bool {
	return sh.Status == shipment.StatusREADY_FOR_PICKUP && sh.PickupExpiresAt != nil && !now.Before(*sh.PickupExpiresAt)
}

// ExpirePickups cancels the pickups nobody collected by now: each shipment READY_FOR_PICKUP past
// its pickup_expires_at is cancelled with its stock released to its location (RELEASE movements),
// and its order is cancelled ("not collected"), which releases whatever else it held. Each
// shipment is its own transaction; the order's cancellation follows in another, and a sweep also
// finishes orders whose shipment expired but whose cancellation did not happen (a crash, a
// conflict). It returns how many shipments it expired.
func (s *Service) ExpirePickups(ctx context.Context, now time.Time) (int, error) {
	due, err := s.DB.Client.Shipment.Query().
		Where(shipment.StatusEQ(shipment.StatusREADY_FOR_PICKUP), shipment.PickupExpiresAtLTE(now)).
		Order(shipment.ByPickupExpiresAt(), shipment.ByID()).Limit(pickupSweepBatch).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load expired pickups: %w", err)
	}
	var errs []error
	expired := 0
	for _, sh := range due {
		if err := s.expire(ctx, sh.ID, now); err != nil {
			if !fault.Is(err, fault.Conflict) { // a conflict: it was collected or cancelled meanwhile
				errs = append(errs, fmt.Errorf("expire pickup %s: %w", sh.Number, err))
			}
			continue
		}
		s.committed()
		expired++
	}
	left, err := s.DB.Client.Order.Query().
		Where(order.DeliveryMethodEQ(order.DeliveryMethodPICKUP), order.StatusIn(cancellable...),
			order.HasShipmentsWith(shipment.StatusEQ(shipment.StatusCANCELLED), shipment.CancelReason(NotCollected))).
		IDs(ctx)
	if err != nil {
		return expired, errors.Join(append(errs, fmt.Errorf("load uncollected orders: %w", err))...)
	}
	for _, id := range left {
		if err := s.cancelUncollected(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return expired, errors.Join(errs...)
}

// expire cancels one expired pickup shipment and releases its stock, in one transaction.
func (s *Service) expire(ctx context.Context, id pulid.ID, now time.Time) error {
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !Expired(sh, now) {
			return fault.New(fault.Conflict, "shipment %s is %s", sh.ID, sh.Status)
		}
		n, err := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusEQ(sh.Status)).
			SetStatus(shipment.StatusCANCELLED).SetCancelledAt(now).SetCancelReason(NotCollected).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("update shipment: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "shipment %s changed while it expired", sh.ID)
		}
		if err := s.Inventory.ReleaseShipment(ctx, tx, o.ID, sh.ID, "pickup "+sh.Number+" "+NotCollected); err != nil {
			return err
		}
		return events.Append(ctx, tx, s.event(ctx, o, sh, events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(Cancel),
			From: string(sh.Status), To: string(shipment.StatusCANCELLED), Reason: NotCollected}))
	})
}

// cancelUncollected cancels the order of an expired pickup, as a person would.
func (s *Service) cancelUncollected(ctx context.Context, id pulid.ID) error {
	_, err := s.Orders.Apply(ctx, orders.ApplyInput{OrderID: id, Command: orders.Cancel, Reason: NotCollected})
	if err != nil && !fault.Is(err, fault.Conflict) {
		return fmt.Errorf("cancel uncollected order %s: %w", id, err)
	}
	return nil
}
