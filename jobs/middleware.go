package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// schedulerInterval is how often River moves scheduled jobs to available (its default, which it
// does not let us change).
const schedulerInterval = 5 * time.Second

// soon makes a job scheduled less than schedulerInterval ahead available at once, to run when its
// time comes: River fetches available jobs only once they are due, but would otherwise leave a
// scheduled one waiting for its scheduler. River does the same for short snoozes and retries; this
// does it for inserts, so that a stock push delayed a few milliseconds to coalesce a burst is not
// delayed five seconds.
type soon struct {
	river.MiddlewareDefaults
}

// InsertMany implements rivertype.JobInsertMiddleware.
func (*soon) InsertMany(ctx context.Context, params []*rivertype.JobInsertParams, inner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	horizon := time.Now().Add(schedulerInterval)
	for _, p := range params {
		if p.State == rivertype.JobStateScheduled && p.ScheduledAt != nil && p.ScheduledAt.Before(horizon) {
			p.State = rivertype.JobStateAvailable
		}
	}
	return inner(ctx)
}
