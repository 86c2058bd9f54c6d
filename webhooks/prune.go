package webhooks

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/jobs"
)

// DefaultRetention is how long the attempt log keeps an attempt: long enough to look into a
// partner's trouble of last month; at a peak's thousands of deliveries a second, the log would
// otherwise outgrow the store.
const DefaultRetention = 30 * 24 * time.Hour

// PruneInterval is how often attempts past the retention are deleted.
const PruneInterval = time.Hour

// pruneBatch bounds the attempts one statement deletes, so that no delete holds its locks long.
const pruneBatch = 5000

// PruneArgs is the periodic job that deletes attempts past the retention.
type PruneArgs struct{}

// Kind implements river.JobArgs.
func (PruneArgs) Kind() string { return "webhook_attempts_prune" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PruneArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueChannel} }

// Periodic returns the webhooks' scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PruneArgs{}, nil }, nil)}
}

type pruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	s *Service
}

func (w *pruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	_, err := w.s.Prune(ctx)
	return err
}

// Prune deletes the attempts older than the retention, batch by batch, and says how many.
func (s *Service) Prune(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.retention())
	pruned := 0
	for {
		ids, err := s.DB.Client.WebhookAttempt.Query().Where(webhookattempt.CreatedAtLT(cutoff)).Limit(pruneBatch).IDs(ctx)
		if err != nil {
			return pruned, fmt.Errorf("find old webhook attempts: %w", err)
		}
		if len(ids) == 0 {
			return pruned, nil
		}
		n, err := s.DB.Client.WebhookAttempt.Delete().Where(webhookattempt.IDIn(ids...)).Exec(ctx)
		if err != nil {
			return pruned, fmt.Errorf("delete old webhook attempts: %w", err)
		}
		pruned += n
	}
}

func (s *Service) retention() time.Duration {
	if s.Retention > 0 {
		return s.Retention
	}
	return DefaultRetention
}
