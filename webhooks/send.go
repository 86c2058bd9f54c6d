package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
)

// excerpt is how much of an answer's body an attempt keeps.
const excerpt = 1024

// drain is how much more of an answer's body is read (and dropped) so that the connection can be
// reused; a longer answer closes it.
const drain = 64 << 10

// result is what came of one POST.
type result struct {
	outcome    webhookattempt.Outcome
	status     int
	latency    time.Duration
	response   string
	err        string
	retryAfter time.Time
}

// Outcome classifies an answer: a 2xx delivered it, 410 means the endpoint is gone, anything else
// (a redirect, which is not followed, 429, 4xx, 5xx) failed; without an answer, a connection
// refused for its private address is REFUSED and any other error (a timeout, the network) FAILED.
// It is pure.
func Outcome(status int, err error) webhookattempt.Outcome {
	switch {
	case err != nil && errors.Is(err, errRefused):
		return webhookattempt.OutcomeREFUSED
	case err != nil:
		return webhookattempt.OutcomeFAILED
	case status >= 200 && status < 300:
		return webhookattempt.OutcomeDELIVERED
	case status == http.StatusGone:
		return webhookattempt.OutcomeGONE
	}
	return webhookattempt.OutcomeFAILED
}

// post sends one event to url, signed with keys, and says what came of it.
func (s *Service) post(ctx context.Context, url string, keys [][]byte, it item) result {
	if it.err != nil {
		return result{outcome: webhookattempt.OutcomeFAILED, err: it.err.Error()}
	}
	e, body := it.e, it.body
	now := s.now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return result{outcome: webhookattempt.OutcomeFAILED, err: err.Error()}
	}
	for k, v := range Headers(keys, MessageID(e.ID), now, body) {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Ordo-Webhooks/1")
	start := time.Now()
	s.init()
	resp, err := s.client.Do(req)
	r := result{latency: time.Since(start)}
	if err != nil {
		r.outcome = Outcome(0, err)
		r.err = clip(err.Error(), 500)
		return r
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, excerpt))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drain))
	r.status = resp.StatusCode
	r.outcome = Outcome(resp.StatusCode, nil)
	// PostgreSQL's text holds no NUL; a binary answer is kept as readable as it goes.
	r.response = strings.ReplaceAll(strings.ToValidUTF8(string(head), "\uFFFD"), "\x00", "")
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		r.err = clip(fmt.Sprintf("redirect to %q not followed", resp.Header.Get("Location")), 500)
	case r.outcome == webhookattempt.OutcomeFAILED:
		r.retryAfter = RetryAfter(resp.Header.Get("Retry-After"), now)
	}
	return r
}

// describe says what went wrong, for a disabled endpoint's reason.
func (r *result) describe() string {
	if r.err != "" {
		return r.err
	}
	return fmt.Sprintf("HTTP %d", r.status)
}

// row is the attempt record of r.
func (r *result) row(tx *ent.Tx, endpoint pulid.ID, e *ent.Event, attempt int, redelivery bool) *ent.WebhookAttemptCreate {
	return tx.WebhookAttempt.Create().SetEndpointID(endpoint).SetEventID(e.ID).SetEventType(e.Type).
		SetOrderID(e.OrderID).SetAttempt(attempt).SetRedelivery(redelivery).SetOutcome(r.outcome).
		SetStatusCode(r.status).SetLatencyMs(int(r.latency.Milliseconds())).SetResponse(r.response).
		SetError(r.err)
}

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
