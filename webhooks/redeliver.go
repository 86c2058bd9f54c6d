package webhooks

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// redeliverAttempts caps a redelivery's tries: it is one more copy an admin asked for, not the
// stream, whose own retries follow the spec's schedule.
const redeliverAttempts = 5

// RedeliverArgs asks for one more POST of an event to an endpoint.
type RedeliverArgs struct {
	EndpointID pulid.ID `json:"endpointID"`
	EventID    int64    `json:"eventID"`
}

// Kind implements river.JobArgs.
func (RedeliverArgs) Kind() string { return "webhook_redeliver" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RedeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, MaxAttempts: redeliverAttempts}
}

// Redeliver queues one more attempt of an event at an enabled endpoint, whatever became of the
// earlier ones; the receiver gets the same webhook-id again. The event must be one of the
// endpoint's types.
func (s *Service) Redeliver(ctx context.Context, endpointID pulid.ID, eventID int64) error {
	ep, err := s.get(ctx, endpointID)
	if err != nil {
		return err
	}
	if ep.Status != webhookendpoint.StatusENABLED {
		return fault.New(fault.Conflict, "webhook endpoint %s is disabled; enable it first", endpointID)
	}
	e, err := s.DB.Client.Event.Get(ctx, eventID)
	if ent.IsNotFound(err) {
		return fault.New(fault.NotFound, "no event %d", eventID)
	}
	if err != nil {
		return fmt.Errorf("load event: %w", err)
	}
	if !subscribed(ep, e.Type) {
		return fault.New(fault.InvalidArgument, "event %d is a %s, which endpoint %s does not get", eventID, e.Type, endpointID)
	}
	if s.Queue == nil {
		return fault.New(fault.Internal, "webhooks are not configured (no job queue)")
	}
	if _, err := s.Queue.Insert(ctx, RedeliverArgs{EndpointID: endpointID, EventID: eventID}, nil); err != nil {
		return err
	}
	return nil
}

// subscribed reports whether an endpoint gets events of kind.
func subscribed(ep *ent.WebhookEndpoint, kind string) bool {
	if _, ok := catalogue[kind]; !ok {
		return false
	}
	if len(ep.EventTypes) == 0 {
		return true
	}
	for _, t := range ep.EventTypes {
		if t == kind {
			return true
		}
	}
	return false
}

type redeliverWorker struct {
	river.WorkerDefaults[RedeliverArgs]
	s *Service
}

func (w *redeliverWorker) Work(ctx context.Context, job *river.Job[RedeliverArgs]) error {
	return w.s.redeliver(ctx, job.Args)
}

// redeliver POSTs the event once and records the attempt as a redelivery. A failure is retried by
// the queue (up to redeliverAttempts); an endpoint disabled or deleted meanwhile ends the job, and
// a 410 disables the endpoint as it would from the stream.
func (s *Service) redeliver(ctx context.Context, a RedeliverArgs) error {
	s.init()
	ep, err := s.DB.Client.WebhookEndpoint.Get(ctx, a.EndpointID)
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("webhook endpoint %s deleted", a.EndpointID))
	}
	if err != nil {
		return fmt.Errorf("load webhook endpoint: %w", err)
	}
	if ep.Status != webhookendpoint.StatusENABLED {
		return river.JobCancel(fmt.Errorf("webhook endpoint %s disabled", a.EndpointID))
	}
	e, err := s.DB.Client.Event.Get(ctx, a.EventID)
	if err != nil {
		return fmt.Errorf("load event %d: %w", a.EventID, err)
	}
	keys, err := s.keys(ep, s.now())
	if err != nil {
		return err
	}
	r := s.post(ctx, ep.URL, keys, build(e))
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		n, err := tx.WebhookAttempt.Query().
			Where(webhookattempt.EndpointID(ep.ID), webhookattempt.EventID(e.ID)).Count(ctx)
		if err != nil {
			return fmt.Errorf("count webhook attempts: %w", err)
		}
		if err := r.row(tx, ep.ID, e, n+1, true).Exec(ctx); err != nil {
			if ent.IsConstraintError(err) {
				return river.JobCancel(fmt.Errorf("webhook endpoint %s deleted", ep.ID))
			}
			return fmt.Errorf("record webhook attempt: %w", err)
		}
		if r.outcome != webhookattempt.OutcomeGONE {
			return nil
		}
		_, err = disable(ctx, tx, ep.ID, fmt.Sprintf("%s answered 410 Gone", ep.URL), s.now(), actor)
		return err
	})
	if err != nil {
		return err
	}
	switch r.outcome {
	case webhookattempt.OutcomeDELIVERED:
		return nil
	case webhookattempt.OutcomeGONE:
		s.committed()
		s.endpointsChanged()
		return river.JobCancel(fmt.Errorf("redeliver event %d: %s answered 410 Gone", e.ID, ep.URL))
	}
	return fmt.Errorf("redeliver event %d to %s: %s", e.ID, ep.URL, r.describe())
}
