package ingestion

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/returns"
)

// ReturnFetchArgs is the job of fetching and converging the returns a thin notification named
// (Lazada msg_type 10, TikTok Shop type 12), or a pulled return whose order had to be waited for.
type ReturnFetchArgs struct {
	ChannelID pulid.ID `json:"channel_id"`
	ReturnIDs []string `json:"return_ids"`
	Topic     string   `json:"topic,omitempty"`
}

// Kind implements river.JobArgs.
func (ReturnFetchArgs) Kind() string { return "channel_fetch_returns" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReturnFetchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueIngest}
}

// ReturnPullArgs is the job of pulling a channel's returns updated since the last pull (Shopee has
// no return push; the others' pushes can be lost). Like the order pull, the scheduled one waits out
// the channel's pull interval after each pull and runs again; one waits or runs per channel.
type ReturnPullArgs struct {
	ChannelID pulid.ID   `json:"channel_id" river:"unique"`
	Manual    bool       `json:"manual,omitempty" river:"unique"`
	Since     *time.Time `json:"since,omitempty"`
}

// Kind implements river.JobArgs.
func (ReturnPullArgs) Kind() string { return "channel_pull_returns" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReturnPullArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueIngest, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

// ReturnPullSweepArgs is the periodic job that queues the return pulls that are due.
type ReturnPullSweepArgs struct{}

// Kind implements river.JobArgs.
func (ReturnPullSweepArgs) Kind() string { return "channel_pull_returns_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReturnPullSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueIngest}
}

// RegisterReturns adds the workers of returns in.
func (s *Service) RegisterReturns(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[ReturnFetchArgs]) error {
		return s.fetchReturns(ctx, job.Args, job.Attempt)
	}))
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[ReturnPullArgs]) error {
		return s.pullReturnsJob(ctx, job)
	}))
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, _ *river.Job[ReturnPullSweepArgs]) error {
		return s.queueDueReturnPulls(ctx)
	}))
}

// ReturnsPeriodic returns the schedule of the return pulls' sweep.
func (s *Service) ReturnsPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ReturnPullSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

// returnJobs is the work a notification about returns calls for: fetch the returns it names.
func returnJobs(channelID pulid.ID, n channels.Notification) []river.InsertManyParams {
	if len(n.ReturnIDs) == 0 {
		return nil
	}
	return []river.InsertManyParams{{Args: ReturnFetchArgs{ChannelID: channelID, ReturnIDs: n.ReturnIDs, Topic: n.Topic}}}
}

// fetchReturns fetches the returns a job names and converges each. attempt is the job's: a return
// whose order is still unknown, or that conflicts with it, is alerted on at the first attempt only,
// and retried.
func (s *Service) fetchReturns(ctx context.Context, a ReturnFetchArgs, attempt int) error {
	ch, err := s.channel(ctx, a.ChannelID)
	if err != nil || ch == nil {
		return err
	}
	rt, ok, err := s.Connections.Returns(ch)
	if err != nil || !ok {
		return err
	}
	got, err := rt.ReturnsByID(ctx, a.ReturnIDs)
	if err != nil {
		return err
	}
	var waiting error
	for _, r := range got {
		err := s.SyncReturn(ctx, ch, r)
		if errors.Is(err, returns.ErrUnknownOrder) || fault.Is(err, fault.Conflict) {
			if attempt <= 1 {
				if aerr := s.returnAlert(ctx, ch, r, err.Error()+"; retrying"); aerr != nil {
					return aerr
				}
			}
			waiting = err
			continue
		}
		if fault.Is(err, fault.InvalidArgument) {
			if aerr := s.returnAlert(ctx, ch, r, err.Error()); aerr != nil {
				return aerr
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	return waiting // transient: the job retries the lot, which converges idempotently
}

// SyncReturn converges one channel return (returns.Service.SyncChannelReturn), as the channel's
// actor. A return whose order Ordo does not hold yet has its order fetched and applied first; if it
// is still unknown, the error wraps returns.ErrUnknownOrder (transient: retry later).
func (s *Service) SyncReturn(ctx context.Context, ch *ent.Channel, r channels.Return) error {
	ctx = Actor(ctx, ch.ID)
	_, err := s.Returns.SyncChannelReturn(ctx, ch.ID, r)
	if !errors.Is(err, returns.ErrUnknownOrder) {
		return err
	}
	conn, cerr := s.Connections.Connector(ch)
	if cerr != nil {
		return cerr
	}
	got, ferr := conn.Orders(ctx, []string{r.OrderID})
	if ferr != nil {
		return fmt.Errorf("%w (fetching the order: %v)", err, ferr)
	}
	if len(got) == 0 {
		return err
	}
	if _, aerr := s.applyPage(ctx, ch, got); aerr != nil {
		return aerr
	}
	_, err = s.Returns.SyncChannelReturn(ctx, ch.ID, r)
	return err
}

// returnAlert records a channel return Ordo cannot take now (return.channel_alert, on the channel).
func (s *Service) returnAlert(ctx context.Context, ch *ent.Channel, r channels.Return, alert string) error {
	s.log().WarnContext(ctx, "channel return not taken", "channel", ch.ID, "return", r.ExternalID, "order", r.OrderID, "why", alert)
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		return events.Append(Actor(ctx, ch.ID), tx, events.Event{ChannelID: string(ch.ID), Payload: events.ReturnChannelAlert{
			ExternalID: r.ExternalID, OrderID: r.OrderID, ChannelStatus: r.ChannelStatus, Normalized: string(r.Status), Alert: alert,
		}})
	})
}

func (s *Service) pullReturnsJob(ctx context.Context, job *river.Job[ReturnPullArgs]) error {
	ch, err := s.DB.Client.Channel.Get(ctx, job.Args.ChannelID)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load channel: %w", err)
	}
	if !ch.Active {
		return nil
	}
	interval := time.Duration(ch.PullIntervalSeconds) * time.Second
	if err := s.PullReturns(ctx, ch, job.Args.Since); err != nil {
		if jobs.Classify(err) != jobs.Stop || job.Args.Manual || interval <= 0 {
			return err
		}
		// Refused for good: the schedule is kept (the order pull raises the account's alert).
		s.log().WarnContext(ctx, "return pull refused", "channel", ch.ID, "err", err)
		return river.JobSnooze(interval)
	}
	if job.Args.Manual || interval <= 0 {
		return nil
	}
	return river.JobSnooze(interval)
}

// queueDueReturnPulls starts the scheduled return pull of every enabled, connected channel that
// pulls and whose connector has returns, unless one runs or waits.
func (s *Service) queueDueReturnPulls(ctx context.Context) error {
	chs, err := s.DB.Client.Channel.Query().
		Where(channel.Active(true), channel.PullIntervalSecondsGT(0), channel.KindNEQ(channel.KindSTOREFRONT), channel.CredentialsNotNil()).
		All(ctx)
	if err != nil {
		return fmt.Errorf("load channels: %w", err)
	}
	for _, ch := range chs {
		if _, ok, err := s.Connections.Returns(ch); err != nil || !ok {
			continue // a channel without returns, or one that cannot open (its order pull alerts)
		}
		if _, err := s.Queue.Insert(ctx, ReturnPullArgs{ChannelID: ch.ID}, nil); err != nil {
			return err
		}
	}
	return nil
}

// QueueReturnPull asks for a pull of a channel's returns now, from since when given (else from
// where the last return pull ended). queued is false when one was already waiting.
// Errors as QueuePull's, and CONFLICT for a channel without returns.
func (s *Service) QueueReturnPull(ctx context.Context, channelID pulid.ID, since *time.Time) (queued bool, err error) {
	if err := channelID.Validate("chn"); err != nil {
		return false, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	ch, err := s.DB.Client.Channel.Get(ctx, channelID)
	if ent.IsNotFound(err) {
		return false, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	if err != nil {
		return false, err
	}
	if ch.Kind == channel.KindSTOREFRONT || len(ch.Credentials) == 0 {
		return false, fault.New(fault.Conflict, "channel %s is not connected: nothing to pull from", ch.ID)
	}
	if !ch.Active {
		return false, fault.New(fault.Conflict, "channel %s is disabled", ch.ID)
	}
	if _, ok, err := s.Connections.Returns(ch); err != nil {
		return false, err
	} else if !ok {
		return false, fault.New(fault.Conflict, "channel %s (%s) has no returns to pull", ch.ID, ch.Kind)
	}
	dup, err := s.Queue.Insert(ctx, ReturnPullArgs{ChannelID: ch.ID, Manual: true, Since: since}, nil)
	return !dup, err
}

// PullReturns converges every return the channel reports updated since the last return pull (or
// since since), page by page, and moves the channel's returns_pulled_until on. A return whose order
// Ordo cannot get yet, or that conflicts with the order as Ordo holds it, is alerted on and queued
// to be fetched again on its own (so that it holds no other up); one Ordo cannot take as it is is
// alerted on and skipped. Any other failure stops the
// pull and leaves the mark where it was, so that the next pull covers the rest.
func (s *Service) PullReturns(ctx context.Context, ch *ent.Channel, since *time.Time) error {
	rt, ok, err := s.Connections.Returns(ch)
	if err != nil || !ok {
		return err
	}
	now := s.now()
	q := channels.PullQuery{Until: now.Truncate(time.Second).Add(time.Second), PageSize: 100}
	switch {
	case since != nil:
		q.Since = since.UTC()
	case ch.ReturnsPulledUntil != nil:
		q.Since = ch.ReturnsPulledUntil.Add(-overlap(ch.PullIntervalSeconds))
	default:
		q.Since = now.Add(-firstPull)
	}
	for {
		page, err := rt.UpdatedReturns(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range page.Returns {
			err := s.SyncReturn(ctx, ch, r)
			switch {
			case errors.Is(err, returns.ErrUnknownOrder), fault.Is(err, fault.Conflict):
				// Its order is not in Ordo yet, or it cannot be taken as Ordo's order stands (more
				// units than Ordo shipped): fetched again on its own, so that it holds no other up.
				why := "its order is not in Ordo yet; fetching it again later"
				if !errors.Is(err, returns.ErrUnknownOrder) {
					why = err.Error() + "; fetching it again later"
				}
				if aerr := s.returnAlert(ctx, ch, r, why); aerr != nil {
					return aerr
				}
				// One such fetch waits per return, however many pulls (their windows overlap) see it.
				opts := &river.InsertOpts{Queue: jobs.QueueIngest, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
				if _, err := s.Queue.Insert(ctx, ReturnFetchArgs{ChannelID: ch.ID, ReturnIDs: []string{r.ExternalID}, Topic: "pull"}, opts); err != nil {
					return err
				}
			case fault.Is(err, fault.InvalidArgument):
				if aerr := s.returnAlert(ctx, ch, r, err.Error()); aerr != nil {
					return aerr
				}
			case err != nil:
				return err
			}
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if err := s.DB.Client.Channel.UpdateOneID(ch.ID).SetReturnsPulledUntil(q.Until).Exec(ctx); err != nil {
		return fmt.Errorf("record return pull: %w", err)
	}
	return nil
}
