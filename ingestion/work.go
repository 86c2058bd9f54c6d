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
)

// ApplyArgs is the job of applying an order that a webhook carried whole (Shopify).
type ApplyArgs struct {
	ChannelID pulid.ID       `json:"channel_id"`
	Order     channels.Order `json:"order"`
	Topic     string         `json:"topic,omitempty"`
}

// Kind implements river.JobArgs.
func (ApplyArgs) Kind() string { return "channel_order" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ApplyArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueIngest} }

// FetchArgs is the job of fetching and applying the orders a thin notification named.
type FetchArgs struct {
	ChannelID pulid.ID `json:"channel_id"`
	OrderIDs  []string `json:"order_ids"`
	Topic     string   `json:"topic,omitempty"`
}

// Kind implements river.JobArgs.
func (FetchArgs) Kind() string { return "channel_fetch" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (FetchArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueIngest} }

// PullArgs is the job of pulling a channel's orders updated since the last pull (or since Since).
// The scheduled pull of a channel is one job that, after each pull, waits out the channel's pull
// interval and runs again; a manual pull (Manual) runs once. One of each waits or runs at a time.
type PullArgs struct {
	ChannelID pulid.ID   `json:"channel_id" river:"unique"`
	Manual    bool       `json:"manual,omitempty" river:"unique"`
	Since     *time.Time `json:"since,omitempty"`
}

// Kind implements river.JobArgs.
func (PullArgs) Kind() string { return "channel_pull" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PullArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueIngest, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

// PullSweepArgs is the periodic job that queues the pulls that are due.
type PullSweepArgs struct{}

// Kind implements river.JobArgs.
func (PullSweepArgs) Kind() string { return "channel_pull_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PullSweepArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueIngest} }

// Register adds ingestion's workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &applyWorker{s: s})
	river.AddWorker(w, &fetchWorker{s: s})
	river.AddWorker(w, &pullWorker{s: s})
	river.AddWorker(w, &pullSweepWorker{s: s})
}

// SweepInterval is how often channels whose scheduled pull is not running are looked for.
const SweepInterval = 5 * time.Second

// Periodic returns ingestion's scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PullSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

type applyWorker struct {
	river.WorkerDefaults[ApplyArgs]
	s *Service
}

func (w *applyWorker) Work(ctx context.Context, job *river.Job[ApplyArgs]) error {
	ch, err := w.s.channel(ctx, job.Args.ChannelID)
	if err != nil || ch == nil {
		return err
	}
	_, err = w.s.Apply(ctx, ch, job.Args.Order)
	return err
}

type fetchWorker struct {
	river.WorkerDefaults[FetchArgs]
	s *Service
}

func (w *fetchWorker) Work(ctx context.Context, job *river.Job[FetchArgs]) error {
	ch, err := w.s.channel(ctx, job.Args.ChannelID)
	if err != nil || ch == nil {
		return err
	}
	conn, err := w.s.Connections.Connector(ch)
	if err != nil {
		return err
	}
	got, err := conn.Orders(ctx, job.Args.OrderIDs)
	if err != nil {
		return err
	}
	// An order Ordo cannot take is recorded (channel.order_rejected) and the others go on.
	accepted, err := w.s.applyPage(ctx, ch, got)
	if err != nil {
		return err
	}
	return conn.Accept(ctx, accepted)
}

type pullWorker struct {
	river.WorkerDefaults[PullArgs]
	s *Service
}

func (w *pullWorker) Work(ctx context.Context, job *river.Job[PullArgs]) error {
	// Read afresh, not from the cache: the pull starts where the last one ended.
	ch, err := w.s.DB.Client.Channel.Get(ctx, job.Args.ChannelID)
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
	if err := w.s.Pull(ctx, ch, job.Args.Since); err != nil {
		if jobs.Classify(err) != jobs.Stop || job.Args.Manual || interval <= 0 {
			return err // the jobs middleware retries, waits or stops it
		}
		// Refused for good (credentials revoked, say): the scheduled pull is not retried sooner,
		// but keeps its schedule, so that it resumes once the account is fixed; the alert is raised
		// when pulls start failing (the last one had not), not at every interval.
		if ch.LastPullError == "" {
			if aerr := jobs.Alert(ctx, w.s.DB, job.JobRow, err); aerr != nil {
				return aerr
			}
		}
		return river.JobSnooze(interval)
	}
	if job.Args.Manual || interval <= 0 {
		return nil
	}
	return river.JobSnooze(interval)
}

type pullSweepWorker struct {
	river.WorkerDefaults[PullSweepArgs]
	s *Service
}

func (w *pullSweepWorker) Work(ctx context.Context, _ *river.Job[PullSweepArgs]) error {
	return w.s.queueDuePulls(ctx)
}

// channel loads a job's channel; a channel that is gone or disabled ends the job quietly (nil).
func (s *Service) channel(ctx context.Context, id pulid.ID) (*ent.Channel, error) {
	ch, err := s.load(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load channel: %w", err)
	}
	if !ch.Active {
		return nil, nil
	}
	return ch, nil
}

// EventOrderRejected records a pulled channel order Ordo cannot take as it is (an unmapped
// listing, a missing currency); the pull goes on without it and the next pull tries it again.
// (A job that fails for good raises jobs' job.failed instead.)
const EventOrderRejected = events.KindOrderRejected

// rejected records a pulled order that was refused.
func (s *Service) rejected(ctx context.Context, ch *ent.Channel, externalID string, err error) error {
	s.log().WarnContext(ctx, "channel order refused", "channel", ch.ID, "order", externalID, "err", err)
	reason := err.Error()
	var f *fault.Error
	if errors.As(err, &f) {
		reason = f.Message
	}
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		return events.Append(Actor(ctx, ch.ID), tx, events.Event{
			ChannelID: string(ch.ID), Payload: events.OrderRejected{ExternalID: externalID, Reason: reason},
		})
	})
}

// waitingStates are the job states in which a unique job is not inserted again: River requires
// these four; completed jobs do not block a new one.
var waitingStates = jobs.WaitingStates()

// queueDuePulls starts the scheduled pull of every enabled channel that pulls and has none running
// or waiting (a new channel, one enabled again, one whose job gave up).
func (s *Service) queueDuePulls(ctx context.Context) error {
	chs, err := s.DB.Client.Channel.Query().
		Where(channel.Active(true), channel.PullIntervalSecondsGT(0), channel.KindNEQ(channel.KindSTOREFRONT), channel.CredentialsNotNil()).
		All(ctx)
	if err != nil {
		return fmt.Errorf("load channels: %w", err)
	}
	for _, ch := range chs {
		if _, err := s.Queue.Insert(ctx, PullArgs{ChannelID: ch.ID}, nil); err != nil {
			return err
		}
	}
	return nil
}

// QueuePull asks for a pull of a channel's orders now, from since when given (else from where the
// last pull ended). queued is false when a pull was already waiting.
func (s *Service) QueuePull(ctx context.Context, channelID pulid.ID, since *time.Time) (queued bool, err error) {
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
	dup, err := s.Queue.Insert(ctx, PullArgs{ChannelID: ch.ID, Manual: true, Since: since}, nil)
	return !dup, err
}
