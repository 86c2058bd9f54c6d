package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
)

// Outcome is what becomes of a job whose work returned an error.
type Outcome int

// The outcomes of a failed attempt.
const (
	// Retry runs the job again after a backoff: the failure may pass (a 5xx answer, a timeout, the
	// network, the store out of reach, a conflict, or an error nobody classified).
	Retry Outcome = iota
	// Wait snoozes the job for as long as the channel asked (a 429 or a throttling code), without
	// counting an attempt.
	Wait
	// Stop cancels the job: retrying cannot help (bad data, refused by the channel, an unparseable
	// payload). The failure is recorded on the job and raised as a job.failed event.
	Stop
)

// Classify decides, in one place for every job, what a (non-nil) error means:
//   - Wait: the channel or carrier asks Ordo to slow down (*channels.RateLimitError,
//     *shipping.RateLimitError);
//   - Retry: the store is unavailable (database.IsUnavailable), a call failed in transit or with
//     a 5xx answer that outlasted the channels.Caller's own retries, and any unclassified error;
//   - Stop: refused by the channel (channels.ErrRefused: a 4xx answer other than
//     429, or a refusal code in the body); an account that lacks what it needs
//     (channels.ErrAccount); a carrier's refusal, an incomplete carrier account or a call the
//     carrier has no API for (shipping.ErrRefused, shipping.ErrAccount, shipping.ErrUnsupported); bad data (INVALID_ARGUMENT or NOT_FOUND faults, text the store cannot
//     hold); an unparseable payload (malformed JSON, a value of the wrong type, a bad amount).
func Classify(err error) Outcome {
	var (
		rl     *channels.RateLimitError
		crl    *shipping.RateLimitError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &rl), errors.As(err, &crl):
		return Wait
	case database.IsUnavailable(err):
		return Retry
	case errors.Is(err, channels.ErrRefused), errors.Is(err, channels.ErrAccount), errors.Is(err, channels.ErrAmount),
		errors.Is(err, shipping.ErrRefused), errors.Is(err, shipping.ErrAccount), errors.Is(err, shipping.ErrUnsupported),
		errors.As(err, &syntax), errors.As(err, &typ):
		return Stop
	}
	if f := database.Fault(err); f != nil && f.Code == fault.InvalidArgument {
		return Stop
	}
	switch fault.CodeOf(err) {
	case fault.InvalidArgument, fault.NotFound:
		return Stop
	}
	return Retry
}

// settle is the worker middleware that applies Classify to every job's error: it snoozes a
// throttled job, passes a retryable error on to River's retry policy, and cancels a job that
// failed for good, recording why on the job (River keeps the error) and as a job.failed event.
// Errors that already tell River what to do (river.JobCancel, river.JobSnooze) pass unchanged.
type settle struct {
	river.MiddlewareDefaults
	db  *database.DB
	log *slog.Logger
}

// Work implements rivertype.WorkerMiddleware.
func (s *settle) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	err := doInner(ctx)
	if err == nil {
		return nil
	}
	var (
		cancel *rivertype.JobCancelError
		snooze *rivertype.JobSnoozeError
	)
	if errors.As(err, &cancel) || errors.As(err, &snooze) {
		return err
	}
	switch Classify(err) {
	case Wait:
		return river.JobSnooze(max(retryAfter(err), time.Second))
	case Stop:
		if aerr := Alert(ctx, s.db, job, err); aerr != nil {
			s.log.WarnContext(ctx, "job failed for good but the alert could not be written; retrying", "job", job.ID, "kind", job.Kind, "err", err, "alert_err", aerr)
			return err
		}
		s.log.WarnContext(ctx, "job failed for good; not retried", "job", job.ID, "kind", job.Kind, "err", err)
		return river.JobCancel(err)
	}
	return err
}

// retryAfter is how long the channel or carrier that throttled err asked Ordo to wait.
func retryAfter(err error) time.Duration {
	var (
		rl  *channels.RateLimitError
		crl *shipping.RateLimitError
	)
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	if errors.As(err, &crl) {
		return crl.RetryAfter
	}
	return 0
}

// alertTimeout bounds the writing of a job.failed event.
const alertTimeout = 10 * time.Second

// Alert writes the job.failed event of a job that failed for good, on the order or the channel
// its arguments name. The middleware raises it for every job it stops; a recurring job that keeps
// its schedule despite such a failure raises it itself.
func Alert(ctx context.Context, db *database.DB, job *rivertype.JobRow, err error) error {
	sub := subjectOf(job.EncodedArgs)
	ev := events.JobFailed{JobID: job.ID, Job: job.Kind, Attempt: job.Attempt, Reason: err.Error(), ExternalIDs: sub.externalIDs()}.
		Event(sub.OrderID, sub.ChannelID)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), alertTimeout)
	defer cancel()
	if werr := db.Tx(ctx, func(tx *ent.Tx) error { return events.Append(ctx, tx, ev) }); werr != nil {
		return fmt.Errorf("write job.failed: %w", werr)
	}
	return nil
}

// subject is what a job is about, read from the fields its arguments share by convention: an
// order (order_id), a channel (channel_id), a channel's orders (order_ids, or a whole order).
type subject struct {
	OrderID   string   `json:"order_id"`
	ChannelID string   `json:"channel_id"`
	OrderIDs  []string `json:"order_ids"`
	Order     struct {
		ExternalID string
	} `json:"order"`
}

func subjectOf(args []byte) subject {
	var s subject
	_ = json.Unmarshal(args, &s) // a job's args are Ordo's own JSON; a field that is not there is empty
	return s
}

func (s subject) externalIDs() []string {
	if s.Order.ExternalID != "" {
		return append(s.OrderIDs, s.Order.ExternalID)
	}
	return s.OrderIDs
}
