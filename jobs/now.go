package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// InsertNow inserts a unique job to run now; when one like it already waits (scheduled for later,
// or retrying after a failure) that one is made to run now instead. A running one is left alone.
func (q *Queue) InsertNow(ctx context.Context, args river.JobArgs) error {
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	if !res.UniqueSkippedAsDuplicate || res.Job == nil {
		return nil
	}
	if s := res.Job.State; s != rivertype.JobStateScheduled && s != rivertype.JobStateRetryable {
		return nil
	}
	if _, err := q.client.JobRetry(ctx, res.Job.ID); err != nil {
		return fmt.Errorf("jobs: run %s now: %w", args.Kind(), err)
	}
	return nil
}
