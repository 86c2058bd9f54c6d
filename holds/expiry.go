package holds

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockhold"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// SweepInterval is how often holds past their expiry are looked for. A hold's units stay held at
// most this long after it expires (checkout refuses an expired hold at once).
const SweepInterval = 30 * time.Second

// sweepBatch bounds the holds one pass expires; the sweep takes passes until none are left.
const sweepBatch = 100

// SweepArgs is the periodic job that expires holds.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "hold_expiry_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SweepArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueChannel} }

// Register adds the holds' workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &sweepWorker{s: s})
}

// Periodic returns the holds' scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.s.Expire(ctx, w.s.now())
	return err
}

// Expire releases every ACTIVE hold past its expiry at now, in batches, each hold
// in its own transaction: a guarded ACTIVE → EXPIRED update (so that two replicas sweeping at once
// never release a hold twice, and a hold converted or released meanwhile is left alone), its units
// released and a hold.expired event. It returns how many holds it expired.
func (s *Service) Expire(ctx context.Context, now time.Time) (int, error) {
	expired := 0
	for {
		due, err := s.DB.Client.StockHold.Query().
			Where(stockhold.StatusEQ(stockhold.StatusACTIVE), stockhold.ExpiresAtLTE(now)).
			Order(stockhold.ByExpiresAt(), stockhold.ByID()).Limit(sweepBatch).All(ctx)
		if err != nil {
			return expired, fmt.Errorf("load expired holds: %w", err)
		}
		var errs []error
		for _, h := range due {
			var released []pulid.ID
			err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
				var err error
				released, err = s.end(ctx, tx, h, stockhold.StatusEXPIRED, nil, "hold expired",
					events.HoldExpired{HoldID: string(h.ID), Cart: h.Cart, ExpiresAt: h.ExpiresAt.UTC().Format(time.RFC3339Nano)})
				return err
			})
			switch {
			case fault.Is(err, fault.Conflict): // converted, released or expired by another replica meanwhile
			case err != nil:
				errs = append(errs, fmt.Errorf("expire hold %s: %w", h.ID, err))
			default:
				expired++
				s.committed(released...)
			}
		}
		if len(errs) > 0 || len(due) < sweepBatch {
			return expired, errors.Join(errs...)
		}
	}
}
