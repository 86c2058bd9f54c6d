package notifications

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/jobs"
)

// MaxAttempts is how often a send is tried before its notification fails: with DefaultRetry, about
// a day.
const MaxAttempts = 30

// SendArgs sends one PENDING notification.
type SendArgs struct {
	NotificationID pulid.ID `json:"notification_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "notification_send" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// Register adds the send worker.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &sendWorker{s: s})
	river.AddWorker(w, &pickupSweepWorker{s: s})
}

// Periodic returns the service's scheduled jobs: the sweep that reminds customers of pickups about
// to expire.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(PickupSweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PickupSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	return w.s.send(ctx, job.Args.NotificationID, job.Attempt >= job.MaxAttempts)
}

// NextRetry retries a failed send after Service.Retry.
func (w *sendWorker) NextRetry(job *river.Job[SendArgs]) time.Time {
	return time.Now().Add(w.s.retry(job.Attempt))
}

// send sends a PENDING notification and marks it SENT; anything else is done already. A refusal
// (ErrRejected), or any failure of the last attempt, fails the notification for good.
func (s *Service) send(ctx context.Context, id pulid.ID, last bool) error {
	n, err := s.DB.Client.Notification.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load notification: %w", err)
	}
	if n.Status != notification.StatusPENDING {
		return nil
	}
	p := s.provider(n.Provider)
	if p == nil {
		return s.fail(ctx, n, fmt.Errorf("%w: provider %q is not configured", ErrRejected, n.Provider), true)
	}
	m, err := s.compose(ctx, n)
	if err != nil {
		return s.fail(ctx, n, err, last || permanent(err))
	}
	providerID, err := p.Send(ctx, m)
	if err != nil {
		return s.fail(ctx, n, err, last || permanent(err))
	}
	return s.sent(ctx, n, m, providerID)
}

// permanent reports whether a failed send cannot succeed by trying again: the provider refused it,
// or it is bad data by the rule every job follows (an order gone, an unreadable fact).
func permanent(err error) bool {
	return errors.Is(err, ErrRejected) || jobs.Classify(err) == jobs.Stop
}

func (s *Service) provider(name string) Provider {
	for _, p := range s.Providers {
		if p.Name() == name {
			return p
		}
	}
	return nil
}

// sent marks n SENT, once (a guarded update: a retry that raced a finished attempt changes
// nothing), and records notification.sent on its order's timeline.
func (s *Service) sent(ctx context.Context, n *ent.Notification, m Message, providerID string) error {
	var done bool
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		k, err := tx.Notification.Update().Where(notification.ID(n.ID), notification.StatusEQ(notification.StatusPENDING)).
			SetStatus(notification.StatusSENT).SetSentAt(s.now()).SetSubject(m.Subject).SetLocale(m.Locale).
			SetMessageID(providerID).AddAttempts(1).ClearLastError().SetUpdatedAt(s.now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("mark notification sent: %w", err)
		}
		if done = k == 1; !done {
			return nil
		}
		return events.Append(ctx, tx, s.event(ctx, tx, n, events.NotificationSent{NotificationID: string(n.ID),
			Notification: string(n.Kind), Provider: n.Provider, Recipient: n.Recipient, Subject: m.Subject}))
	})
	if err == nil && done {
		s.committed()
	}
	return err
}

// fail records a failed attempt of n. A permanent failure fails n and raises notification.failed
// (an alert on the order's timeline) and cancels the job; otherwise the error is returned for
// River to retry.
func (s *Service) fail(ctx context.Context, n *ent.Notification, cause error, permanent bool) error {
	msg := truncate(cause.Error(), 1000)
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		upd := tx.Notification.Update().Where(notification.ID(n.ID), notification.StatusEQ(notification.StatusPENDING)).
			AddAttempts(1).SetLastError(msg).SetUpdatedAt(s.now())
		if permanent {
			upd.SetStatus(notification.StatusFAILED)
		}
		k, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("record failed send: %w", err)
		}
		if k == 0 || !permanent {
			return nil
		}
		return events.Append(ctx, tx, s.event(ctx, tx, n, events.NotificationFailed{NotificationID: string(n.ID),
			Notification: string(n.Kind), Provider: n.Provider, Recipient: n.Recipient, Error: msg}))
	})
	if err != nil {
		return err
	}
	if permanent {
		s.committed()
		s.log().WarnContext(ctx, "notification failed", "notification", n.ID, "kind", n.Kind, "err", msg)
		return river.JobCancel(cause)
	}
	return cause
}

// event is a notification event on n's order's timeline (with its customer and channel).
func (s *Service) event(ctx context.Context, tx *ent.Tx, n *ent.Notification, p events.Payload) events.Event {
	e := events.Event{OrderID: string(n.OrderID), Payload: p, Actor: actor}
	if n.CustomerID != nil {
		e.CustomerID = string(*n.CustomerID)
	}
	if o, err := tx.Order.Get(ctx, n.OrderID); err == nil && o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return e
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
