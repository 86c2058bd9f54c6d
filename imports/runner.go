package imports

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// The runner's rhythm.
const (
	// BatchSize is how many rows one transaction applies (with the job's progress).
	BatchSize = 500
	// Lease is how long a runner's claim on a job holds without a sign of life (every stored step
	// of progress is one): a job whose runner went quiet for longer is taken over by the queue.
	Lease = 2 * time.Minute
	// MaxErrors is how many refused rows a job keeps (ErrorCount counts them all).
	MaxErrors = 100
	// progressEvery throttles the check's stored progress: at most one write (a transaction and an
	// event) per progressEvery, so that a fast check costs no writes and a slow one shows it moves.
	progressEvery = 200 * time.Millisecond
	// maxAttempts is how often the queue tries an import that fails for a passing reason.
	maxAttempts = 10
	// outcomeChecked counts, in a job's summary, the rows checked so far.
	outcomeChecked = "checked"
)

// ErrBusy says another runner holds the import (it showed a sign of life within Lease).
var ErrBusy = errors.New("imports: the import is running elsewhere")

// errLost says the runner lost its claim: another runner moved the job on. It stops quietly.
var errLost = errors.New("imports: another runner took the import over")

// errRollback rolls a dry run's batch back.
var errRollback = errors.New("imports: dry run")

// RunArgs runs one import job.
type RunArgs struct {
	JobID pulid.ID `json:"job_id"`
}

// Kind implements river.JobArgs.
func (RunArgs) Kind() string { return "import_run" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueImports, MaxAttempts: maxAttempts}
}

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	s *Service
}

// RegisterWorker adds the import runner to the queue's workers.
func (s *Service) RegisterWorker(w *river.Workers) { river.AddWorker(w, &runWorker{s: s}) }

// Timeout lets an import run as long as it takes: it stores its progress as it goes.
func (w *runWorker) Timeout(*river.Job[RunArgs]) time.Duration { return -1 }

func (w *runWorker) Work(ctx context.Context, job *river.Job[RunArgs]) error {
	err := w.s.run(ctx, job.Args.JobID, job.Attempt >= job.MaxAttempts, nil)
	switch {
	case errors.Is(err, ErrBusy):
		return river.JobSnooze(Lease)
	case err != nil && ctx.Err() != nil:
		return river.JobSnooze(0) // the process is stopping: the next start resumes it at once
	}
	return err
}

// Run runs the import job id in the caller's goroutine (the CLI does; servers run imports from the
// queue), calling watch, when not nil, with the job after each stored step. It returns ErrBusy when
// another runner holds the job, and nil when the job ended, whatever its status.
func (s *Service) Run(ctx context.Context, id pulid.ID, watch func(*ent.ImportJob)) error {
	return s.run(ctx, id, false, watch)
}

func (s *Service) run(ctx context.Context, id pulid.ID, last bool, watch func(*ent.ImportJob)) error {
	r, err := s.claim(ctx, id, watch)
	if err != nil || r == nil {
		return err
	}
	err = r.run(ctx)
	switch {
	case err == nil, errors.Is(err, errLost):
		return nil
	case ctx.Err() == nil && (last || jobs.Classify(err) == jobs.Stop):
		return r.fail(ctx, err)
	}
	r.release()
	return err
}

// runner is one claim on a job: it alone advances the job's cursor.
type runner struct {
	s       *Service
	h       Handler
	job     *ent.ImportJob // with its content
	cursor  int
	summary map[string]int
	watch   func(*ent.ImportJob)
}

// claim takes job id for this runner: a QUEUED job, or a RUNNING one whose runner went quiet for
// Lease. It returns nil for a job that needs nothing (ended, or cancelled before it ran: then
// ended now), ErrBusy when another runner holds it.
func (s *Service) claim(ctx context.Context, id pulid.ID, watch func(*ent.ImportJob)) (*runner, error) {
	j, err := s.DB.Client.ImportJob.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load import: %w", err)
	}
	if j.Status != importjob.StatusQUEUED && j.Status != importjob.StatusRUNNING {
		return nil, nil
	}
	h := s.Handler(j.Kind)
	if h == nil {
		return nil, fmt.Errorf("imports: no handler for %s imports in this process", j.Kind)
	}
	cursor, err := strconv.Atoi(j.Cursor)
	if j.Cursor == "" {
		cursor, err = 0, nil
	}
	if err != nil {
		return nil, fault.New(fault.InvalidArgument, "import %s: cursor %q is not a row", id, j.Cursor)
	}
	r := &runner{s: s, h: h, job: j, cursor: cursor, summary: maps.Clone(j.Summary), watch: watch}
	if r.summary == nil {
		r.summary = map[string]int{}
	}
	now := s.now()
	held := importjob.Or(importjob.StatusEQ(importjob.StatusQUEUED), importjob.UpdatedAtLT(now.Add(-Lease)))
	if j.CancelRequestedAt != nil {
		err := r.finish(ctx, importjob.StatusCANCELLED, func(u *ent.ImportJobUpdate) { u.Where(held) })
		if errors.Is(err, errLost) {
			return nil, ErrBusy
		}
		return nil, err
	}
	err = r.step(ctx, func(u *ent.ImportJobUpdate) {
		u.Where(held).SetStatus(importjob.StatusRUNNING).SetUpdatedAt(now)
		if j.StartedAt == nil {
			u.SetStartedAt(now)
		}
	}, false)
	if errors.Is(err, errLost) {
		return nil, ErrBusy
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// run checks the whole input, then applies the plan from the cursor in batches, and ends the job.
func (r *runner) run(ctx context.Context) error {
	var stepErr error
	lastAt := time.Now()
	progress := func(done, total int) {
		if stepErr != nil || time.Since(lastAt) < progressEvery {
			return
		}
		lastAt = time.Now()
		r.summary[outcomeChecked] = done
		stepErr = r.step(ctx, func(u *ent.ImportJobUpdate) { u.SetTotal(total).SetSummary(r.summary) }, false)
	}
	checked, err := r.h.Check(ctx, r.s.DB.Client, r.job, progress)
	if err == nil {
		err = stepErr
	}
	if err != nil {
		return err
	}
	n := 0
	if checked.Plan != nil {
		n = checked.Plan.Len()
	}
	r.summary[outcomeChecked] = checked.Total
	kept := checked.Errors[:min(len(checked.Errors), MaxErrors)]
	if len(checked.Errors) > 0 && !r.job.Partial {
		return r.finish(ctx, importjob.StatusFAILED, func(u *ent.ImportJobUpdate) {
			u.SetTotal(checked.Total).SetErrorCount(len(checked.Errors)).SetErrors(kept).SetSummary(r.summary)
		})
	}
	if r.cursor > n {
		return fault.New(fault.InvalidArgument, "import %s: its cursor %d is past the %d rows checked now", r.job.ID, r.cursor, n)
	}
	err = r.step(ctx, func(u *ent.ImportJobUpdate) {
		u.SetTotal(checked.Total).SetErrorCount(len(checked.Errors)).SetSummary(r.summary)
		if len(kept) > 0 {
			u.SetErrors(kept)
		}
		if len(checked.Rejects) > 0 {
			r.summary[outcomeRejected] = len(checked.Errors)
			u.SetRejects(checked.Rejects).SetSummary(r.summary)
		}
	}, false)
	if err != nil {
		return err
	}
	for from := r.cursor; from < n; from = r.cursor {
		if stop, err := r.cancelled(ctx); err != nil || stop {
			return err
		}
		if err := r.apply(ctx, checked.Plan, from, min(from+BatchSize, n)); err != nil {
			return err
		}
	}
	return r.finish(ctx, importjob.StatusSUCCEEDED, func(u *ent.ImportJobUpdate) { u.SetDone(checked.Total) })
}

// apply applies rows [from, to) and advances the job past them in one transaction; a dry run's
// rows are rolled back and only the progress is kept.
func (r *runner) apply(ctx context.Context, plan Plan, from, to int) error {
	var counts map[string]int
	advance := func(u *ent.ImportJobUpdate) {
		next := maps.Clone(r.summary)
		for k, v := range counts {
			next[k] += v
		}
		u.SetCursor(strconv.Itoa(to)).SetDone(to).SetSummary(next)
	}
	var j *ent.ImportJob
	work := func(tx *ent.Tx) error {
		var err error
		if counts, err = r.h.Apply(ctx, tx, r.job, plan, from, to); err != nil {
			return err
		}
		if r.job.DryRun {
			return errRollback
		}
		j, err = r.write(ctx, tx, advance, false)
		return err
	}
	err := r.s.DB.Tx(ctx, work)
	if r.job.DryRun && errors.Is(err, errRollback) {
		err = r.s.DB.Tx(ctx, func(tx *ent.Tx) (err error) {
			j, err = r.write(ctx, tx, advance, false)
			return err
		})
	}
	if err != nil {
		return err
	}
	r.adopt(j)
	return nil
}

// adopt makes j, as a committed step left it, the runner's job, and tells of it.
func (r *runner) adopt(j *ent.ImportJob) {
	j.Content = r.job.Content
	if j.Status != importjob.StatusQUEUED && j.Status != importjob.StatusRUNNING {
		j.Content = nil
	}
	r.job = j
	r.cursor, _ = strconv.Atoi(j.Cursor)
	r.summary = maps.Clone(j.Summary)
	if r.summary == nil {
		r.summary = map[string]int{}
	}
	r.s.committed()
	if r.watch != nil {
		r.watch(j)
	}
}

// cancelled ends the job as CANCELLED when a cancel was asked.
func (r *runner) cancelled(ctx context.Context) (bool, error) {
	asked, err := r.s.DB.Client.ImportJob.Query().Where(importjob.ID(r.job.ID), importjob.CancelRequestedAtNotNil()).Exist(ctx)
	if err != nil || !asked {
		return false, err
	}
	return true, r.finish(ctx, importjob.StatusCANCELLED, nil)
}

// step stores a change of the job (guarded by the runner's claim) with the event that tells of
// it, in its own transaction; finished says the change ends the job.
func (r *runner) step(ctx context.Context, change func(*ent.ImportJobUpdate), finished bool) error {
	var j *ent.ImportJob
	err := r.s.DB.Tx(ctx, func(tx *ent.Tx) (err error) {
		j, err = r.write(ctx, tx, change, finished)
		return err
	})
	if err != nil {
		return err
	}
	r.adopt(j)
	return nil
}

// write applies change to the job in tx if the runner still holds it (its status and cursor are
// those it left; errLost otherwise), and returns the job read back after appending the event that
// tells of it.
func (r *runner) write(ctx context.Context, tx *ent.Tx, change func(*ent.ImportJobUpdate), finished bool) (*ent.ImportJob, error) {
	u := tx.ImportJob.Update().Where(importjob.ID(r.job.ID), importjob.CursorEQ(r.job.Cursor), importjob.StatusEQ(r.job.Status)).
		SetUpdatedAt(r.s.now()) // a sign of life: the claim holds for Lease from now
	change(u)
	k, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("store import progress: %w", err)
	}
	if k == 0 {
		return nil, errLost
	}
	j, err := tx.ImportJob.Query().Where(importjob.ID(r.job.ID)).Select(listed...).Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("read import back: %w", err)
	}
	var p events.Payload = events.ImportProgress{ImportState: stateOf(j)}
	if finished {
		p = events.ImportFinished{ImportState: stateOf(j)}
		// The content is immutable to ent (nothing may rewrite a file once taken); an ended import
		// drops it, so that the store keeps no file it has no use for.
		q, args := sql.Dialect(r.s.DB.Dialect).Update(importjob.Table).SetNull(importjob.FieldContent).
			Where(sql.EQ(importjob.FieldID, string(r.job.ID))).Query()
		if _, err := tx.SQLTx().ExecContext(ctx, q, args...); err != nil {
			return nil, fmt.Errorf("drop the import's file: %w", err)
		}
	}
	if err := events.Append(ctx, tx, events.Event{Payload: p, Actor: r.job.Actor}); err != nil {
		return nil, err
	}
	return j, nil
}

// finish ends the job with status, its content dropped; change, when not nil, adds to the update.
func (r *runner) finish(ctx context.Context, status importjob.Status, change func(*ent.ImportJobUpdate)) error {
	return r.step(ctx, func(u *ent.ImportJobUpdate) {
		u.SetStatus(status).SetFinishedAt(r.s.now())
		if change != nil {
			change(u)
		}
	}, true)
}

// fail ends the job as FAILED for an error that retrying cannot mend; the client sees the fault's
// message, or that the import failed (the log has why).
func (r *runner) fail(ctx context.Context, cause error) error {
	msg := "the import failed; retry it, or ask an administrator to read the server's log"
	var f *fault.Error
	if errors.As(cause, &f) {
		msg = f.Message
	} else {
		r.s.log().ErrorContext(ctx, "import failed", "import", r.job.ID, "err", cause)
	}
	err := r.finish(ctx, importjob.StatusFAILED, func(u *ent.ImportJobUpdate) {
		u.SetErrorCount(r.job.ErrorCount + 1).SetErrors(append(r.job.Errors[:min(len(r.job.Errors), MaxErrors-1):min(len(r.job.Errors), MaxErrors-1)], RowError{Message: msg}))
	})
	if errors.Is(err, errLost) {
		return nil
	}
	return err
}

// release lets another runner take the job over at once (this one failed for a passing reason and
// will be retried).
func (r *runner) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := r.s.DB.Client.ImportJob.Update().
		Where(importjob.ID(r.job.ID), importjob.CursorEQ(r.job.Cursor), importjob.StatusEQ(importjob.StatusRUNNING)).
		SetUpdatedAt(r.s.now().Add(-Lease - time.Second)).Save(ctx)
	if err != nil {
		r.s.log().WarnContext(ctx, "release import", "import", r.job.ID, "err", err)
	}
}
