package imports

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/paging"
)

// MaxContent is the largest file an import takes (the upload endpoint refuses a larger body before
// reading it).
const MaxContent = 20 << 20

// Service starts, runs, cancels and reads imports. Handlers are registered before the queue
// starts.
type Service struct {
	DB *database.DB
	// Queue runs the import jobs; set before Start.
	Queue *jobs.Queue
	// Committed wakes the process's hubs after a commit that wrote events; may be nil.
	Committed func()
	// Clock stamps rows; nil means the wall clock.
	Clock func() time.Time
	Log   *slog.Logger

	mu       sync.RWMutex
	handlers map[importjob.Kind]Handler
}

// Register makes h the handler of its kind of import.
func (s *Service) Register(h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handlers == nil {
		s.handlers = map[importjob.Kind]Handler{}
	}
	s.handlers[h.Kind()] = h
}

// Handler returns the handler of kind, or nil.
func (s *Service) Handler(kind importjob.Kind) Handler {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.handlers[kind]
}

// StartInput is an import to start.
type StartInput struct {
	Kind importjob.Kind
	// Content is the file of PRODUCTS and STOCK imports (at most MaxContent); CHANNEL_CATALOG
	// imports read the channel instead and take none.
	Content  []byte
	FileName string
	DryRun   bool
	Partial  bool
	// ChannelID is the channel whose catalogue a CHANNEL_CATALOG import reads.
	ChannelID pulid.ID
	// LocationID is the counted location of a STOCK import whose file names none.
	LocationID pulid.ID
	Actor      string
	// Local says the caller runs the import itself right away (Service.Run), as the CLI does: the
	// queue's job waits for a lease, and takes the import over only if the caller stops.
	Local bool
}

// Start checks in, creates the ImportJob (QUEUED, its content kept until it ends) and enqueues
// the job that runs it, in one transaction. Bad input is an INVALID_ARGUMENT fault and writes
// nothing.
func (s *Service) Start(ctx context.Context, in StartInput) (*ent.ImportJob, error) {
	if err := importjob.KindValidator(in.Kind); err != nil {
		return nil, fault.New(fault.InvalidArgument, "unknown import kind %q", in.Kind)
	}
	if s.Handler(in.Kind) == nil {
		return nil, fault.New(fault.InvalidArgument, "%s imports are not available on this server", in.Kind)
	}
	if len(in.Content) > MaxContent {
		return nil, fault.New(fault.InvalidArgument, "the file is larger than %d MB", MaxContent>>20)
	}
	switch in.Kind {
	case importjob.KindCHANNEL_CATALOG:
		if in.ChannelID == "" {
			return nil, fault.New(fault.InvalidArgument, "a channel catalogue import needs its channel")
		}
		if len(in.Content) > 0 {
			return nil, fault.New(fault.InvalidArgument, "a channel catalogue import reads the channel, not a file")
		}
	default:
		if len(in.Content) == 0 {
			return nil, fault.New(fault.InvalidArgument, "the file is empty")
		}
		if in.ChannelID != "" {
			return nil, fault.New(fault.InvalidArgument, "only channel catalogue imports name a channel")
		}
	}
	if in.LocationID != "" && in.Kind != importjob.KindSTOCK {
		return nil, fault.New(fault.InvalidArgument, "only stock imports name a location")
	}
	if len(in.FileName) > 255 {
		in.FileName = in.FileName[:255]
	}
	var job *ent.ImportJob
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		if in.ChannelID != "" {
			if ok, err := tx.Channel.Query().Where(channel.ID(in.ChannelID)).Exist(ctx); err != nil {
				return err
			} else if !ok {
				return fault.New(fault.NotFound, "no channel %s", in.ChannelID)
			}
		}
		if in.LocationID != "" {
			if ok, err := tx.Location.Query().Where(location.ID(in.LocationID)).Exist(ctx); err != nil {
				return err
			} else if !ok {
				return fault.New(fault.NotFound, "no location %s", in.LocationID)
			}
		}
		c := tx.ImportJob.Create().SetKind(in.Kind).SetDryRun(in.DryRun).SetPartial(in.Partial).
			SetFileName(in.FileName).SetActor(in.Actor).SetSummary(map[string]int{}).SetCreatedAt(s.now()).SetUpdatedAt(s.now())
		if len(in.Content) > 0 {
			c.SetContent(in.Content)
		}
		if in.ChannelID != "" {
			c.SetChannelID(in.ChannelID)
		}
		if in.LocationID != "" {
			c.SetLocationID(in.LocationID)
		}
		var err error
		if job, err = c.Save(ctx); err != nil {
			return fmt.Errorf("create import job: %w", err)
		}
		opts := &river.InsertOpts{}
		if in.Local {
			opts.ScheduledAt = s.now().Add(Lease)
		}
		if err := s.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: RunArgs{JobID: job.ID}, InsertOpts: opts}); err != nil {
			return err
		}
		return events.Append(ctx, tx, events.Event{Payload: events.ImportProgress{ImportState: stateOf(job)}, Actor: in.Actor})
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return job, nil
}

// Cancel asks a QUEUED or RUNNING import to stop: a queued one never runs; a running one stops
// before its next batch, keeping what it applied (its rows are idempotent: importing the file
// again completes it). Cancelling an import that ended changes nothing.
// Followers hear of the request at once (an import.progress event).
func (s *Service) Cancel(ctx context.Context, id pulid.ID) (*ent.ImportJob, error) {
	var told bool
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		k, err := tx.ImportJob.Update().
			Where(importjob.ID(id), importjob.StatusIn(importjob.StatusQUEUED, importjob.StatusRUNNING), importjob.CancelRequestedAtIsNil()).
			SetCancelRequestedAt(s.now()).Save(ctx)
		if err != nil || k == 0 {
			return err
		}
		j, err := tx.ImportJob.Query().Where(importjob.ID(id)).Select(listed...).Only(ctx)
		if err != nil {
			return err
		}
		told = true
		return events.Append(ctx, tx, events.Event{Payload: events.ImportProgress{ImportState: stateOf(j)}, Actor: auth.Actor(ctx)})
	})
	if err != nil {
		return nil, fmt.Errorf("cancel import: %w", err)
	}
	if told {
		s.committed()
	}
	return s.Get(ctx, id)
}

// Get returns an import job without its content; NOT_FOUND when there is none.
func (s *Service) Get(ctx context.Context, id pulid.ID) (*ent.ImportJob, error) {
	j, err := s.DB.Client.ImportJob.Query().Where(importjob.ID(id)).Select(listed...).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "no import %s", id)
	}
	return j, err
}

// Rejects returns the refused rows a partial import kept, as a file; NOT_FOUND when there are none.
func (s *Service) Rejects(ctx context.Context, id pulid.ID) ([]byte, error) {
	j, err := s.DB.Client.ImportJob.Query().Where(importjob.ID(id)).Select(importjob.FieldRejects).Only(ctx)
	if ent.IsNotFound(err) || err == nil && len(j.Rejects) == 0 {
		return nil, fault.New(fault.NotFound, "import %s kept no refused rows", id)
	}
	if err != nil {
		return nil, err
	}
	return j.Rejects, nil
}

// Page is a page of import jobs, newest first.
type Page struct {
	Jobs []*ent.ImportJob
	// Next is the cursor of the next page; empty on the last.
	Next string
}

// List returns up to first import jobs (1 to paging.DefaultSize; the GraphQL page caps refuse more
// before this runs) created before the job whose id is
// after (all when empty), newest first, of the given status when not empty.
func (s *Service) List(ctx context.Context, first int, after pulid.ID, status importjob.Status) (Page, error) {
	first = min(max(first, 1), paging.DefaultSize)
	var where []predicate.ImportJob
	if status != "" {
		if err := importjob.StatusValidator(status); err != nil {
			return Page{}, fault.New(fault.InvalidArgument, "unknown import status %q", status)
		}
		where = append(where, importjob.StatusEQ(status))
	}
	if after != "" {
		a, err := s.DB.Client.ImportJob.Query().Where(importjob.ID(after)).Select(importjob.FieldCreatedAt).Only(ctx)
		if ent.IsNotFound(err) {
			return Page{}, fault.New(fault.InvalidArgument, "after: no import %s", after)
		}
		if err != nil {
			return Page{}, err
		}
		where = append(where, importjob.Or(importjob.CreatedAtLT(a.CreatedAt),
			importjob.And(importjob.CreatedAtEQ(a.CreatedAt), importjob.IDLT(after))))
	}
	js, err := s.DB.Client.ImportJob.Query().Where(where...).Order(ent.Desc(importjob.FieldCreatedAt), ent.Desc(importjob.FieldID)).
		Limit(first + 1).Select(listed...).All(ctx)
	if err != nil {
		return Page{}, err
	}
	p := Page{Jobs: js}
	if len(js) > first {
		p.Jobs = js[:first]
		p.Next = string(js[first-1].ID)
	}
	return p, nil
}

// listed are the columns read to show a job: all but its content and rejects, which may be large.
var listed = func() []string {
	var cs []string
	for _, c := range importjob.Columns {
		if c != importjob.FieldContent && c != importjob.FieldRejects {
			cs = append(cs, c)
		}
	}
	return cs
}()

// HasRejects says whether a partial import kept refused rows (see Rejects).
func HasRejects(j *ent.ImportJob) bool { return j.Summary[outcomeRejected] > 0 }

// outcomeRejected counts, in a job's summary, the refused rows a partial import kept.
const outcomeRejected = "rejected"

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// stateOf is the job's state as events carry it.
func stateOf(j *ent.ImportJob) events.ImportState {
	st := events.ImportState{JobID: string(j.ID), Kind: string(j.Kind), Status: string(j.Status), DryRun: j.DryRun,
		Partial: j.Partial, FileName: j.FileName, Total: j.Total, Done: j.Done, ErrorCount: j.ErrorCount,
		Summary: j.Summary, HasRejects: HasRejects(j), Actor: j.Actor, CreatedAt: j.CreatedAt,
		StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, CancelRequestedAt: j.CancelRequestedAt}
	if j.Status == importjob.StatusFAILED || j.Status == importjob.StatusSUCCEEDED || j.Status == importjob.StatusCANCELLED {
		for _, e := range j.Errors {
			st.Errors = append(st.Errors, events.ImportRowError(e))
		}
	}
	return st
}

// JobOf is the import job an import event describes, as it stood then (without content, rejects
// or cursor): what a subscription delivers without reading the store.
func JobOf(e *ent.Event) (*ent.ImportJob, error) {
	var st events.ImportState
	switch e.Type {
	case events.KindImportProgress:
		p, err := events.Decode[events.ImportProgress](e)
		if err != nil {
			return nil, err
		}
		st = p.ImportState
	case events.KindImportFinished:
		p, err := events.Decode[events.ImportFinished](e)
		if err != nil {
			return nil, err
		}
		st = p.ImportState
	default:
		return nil, fmt.Errorf("imports: event %d is %s, not an import's", e.ID, e.Type)
	}
	j := &ent.ImportJob{ID: pulid.ID(st.JobID), Kind: importjob.Kind(st.Kind), Status: importjob.Status(st.Status),
		DryRun: st.DryRun, Partial: st.Partial, FileName: st.FileName, Total: st.Total, Done: st.Done,
		ErrorCount: st.ErrorCount, Summary: st.Summary, Actor: st.Actor, CreatedAt: st.CreatedAt,
		StartedAt: st.StartedAt, FinishedAt: st.FinishedAt, CancelRequestedAt: st.CancelRequestedAt, UpdatedAt: e.CreatedAt}
	for _, re := range st.Errors {
		j.Errors = append(j.Errors, RowError(re))
	}
	return j, nil
}
