// Package notifications tells customers what became of their orders: a confirmation, a backorder,
// each shipment as it leaves, comes out for delivery and arrives, a delay, a pickup ready, a return
// approved and received, a refund, a cancellation. A relay reads the event log from a durable
// checkpoint ("notifications"), turns each event into intents (decide.go, pure), and writes one
// Notification row per (order, kind, version, provider) with ON CONFLICT DO NOTHING, so that a
// message is asked for at most once however often its events are read. A row is screened when it
// is written (opted out, kind muted, address unsubscribed or masked by a marketplace, no address,
// no provider: SKIPPED with its reason); a PENDING row gets a send job in the same transaction as
// the checkpoint's move, so that nothing asked for is lost.
//
// The send job renders the message (package message) from the store, hands it to its Provider
// (email over SMTP, or an HTTP messaging gateway), and marks the row SENT with a guarded update.
// Sending and marking cannot be one atomic step: a process that dies between them sends the
// message again when the job is retried. The window is kept to the one update right after Send,
// and every email carries a Message-ID stable across attempts (<ntf_…@host>), so that receivers
// that dedupe by it show one message. A permanent refusal (ErrRejected) fails the row and raises
// notification.failed on the order's timeline; other failures are retried with backoff.
package notifications

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/jobs"
)

// Service runs the notification relay, its send jobs, the unsubscribe page, and customers'
// preferences.
type Service struct {
	DB *database.DB
	// Queue runs the send jobs; set before Run.
	Queue *jobs.Queue
	// Providers send messages; with none, the relay does not run and customers are not notified.
	Providers []Provider
	// From is the default sender, "Name <addr>" (a channel's branding overrides it).
	From string
	// PublicURL is the base of unsubscribe and document links.
	PublicURL string
	// SecretKey derives the key unsubscribe tokens are signed with (never used as it is).
	SecretKey []byte
	// Committed wakes the process's hubs after a commit that wrote events; may be nil.
	Committed func()
	// Retry is the backoff after a failed send's attempt (1, 2, …); nil: DefaultRetry.
	Retry func(attempt int) time.Duration
	// Clock is the time rows are stamped with; nil means the wall clock.
	Clock func() time.Time
	Log   *slog.Logger

	once sync.Once
	wake chan struct{} // see Wake
}

// Medium is which of a customer's addresses a provider sends to.
type Medium int

// The media.
const (
	Email Medium = iota
	Phone
)

// Message is one rendered notification as a provider sends it.
type Message struct {
	// ID is the notification's id: stable across attempts, so that receivers can dedupe.
	ID, To, From, ReplyTo, Subject, HTML, Text, Locale, Kind, OrderNumber, UnsubscribeURL string
	// Attachments are files the message carries (a return's label); providers that carry no files
	// leave them out.
	Attachments []Attachment
}

// Attachment is a file a message carries.
type Attachment struct {
	Name, ContentType string
	Body              []byte
}

// Provider delivers messages through one medium.
type Provider interface {
	// Name is stored in Notification.provider: "email", "http".
	Name() string
	// Medium is which address of the customer it sends to.
	Medium() Medium
	// Send delivers m and returns the provider's id of the message. An error wrapping ErrRejected
	// is permanent (an unknown mailbox, a refused request); any other is retried.
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// ErrRejected marks a permanent failure of a send: retrying cannot help.
var ErrRejected = errors.New("notifications: rejected")

// Wake tells the relay that a local commit wrote events, so that it reads them now rather than at
// its next poll. It never blocks.
func (s *Service) Wake() {
	select {
	case s.wakeup() <- struct{}{}:
	default:
	}
}

func (s *Service) wakeup() chan struct{} {
	s.once.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

// DefaultRetry is the backoff of a failed send: 10s, 30s, 1m, 5m, 15m, 30m, then every hour, so
// that a mail server down for a moment costs seconds and one down for a day is still caught up
// (MaxAttempts attempts span about a day).
func DefaultRetry(attempt int) time.Duration {
	steps := []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute}
	if attempt >= 1 && attempt <= len(steps) {
		return steps[attempt-1]
	}
	if attempt < 1 {
		return steps[0]
	}
	return time.Hour
}

func (s *Service) retry(attempt int) time.Duration {
	if s.Retry != nil {
		return s.Retry(attempt)
	}
	return DefaultRetry(attempt)
}
