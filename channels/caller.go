package channels

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Caller sends a connector's API calls: each attempt builds its request anew (so that timestamps
// and signatures are fresh), answers of 429 and 5xx and transport errors are retried with
// exponential backoff that honours Retry-After, and a channel that keeps throttling is reported as
// a RateLimitError for the caller's job to wait out.
type Caller struct {
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
	// Attempts caps the tries of one call (default 4).
	Attempts int
	// Backoff is the delay before the first retry (default 200ms); it doubles up to MaxBackoff
	// (default 5s).
	Backoff, MaxBackoff time.Duration
	// Throttled, when set, recognizes throttling that a channel answers with a success status and an
	// error code in the body (Shopee, Lazada and TikTok Shop do).
	Throttled func(status int, body []byte) bool
}

// maxResponse bounds what one answer may hold.
const maxResponse = 32 << 20

// Response is a channel's final answer to a call, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends the request build makes until an answer is final, and returns it. Only transport
// failures, throttling or 5xx answers that outlast the attempts, and ctx ending are errors; a final
// 4xx is returned as an answer for the connector to read.
func (c Caller) Do(ctx context.Context, build func(ctx context.Context) (*http.Request, error)) (*Response, error) {
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = 4
	}
	backoff, maxBackoff := c.Backoff, c.MaxBackoff
	if backoff <= 0 {
		backoff = 200 * time.Millisecond
	}
	if maxBackoff <= 0 {
		maxBackoff = 5 * time.Second
	}
	var last error
	for attempt := 1; ; attempt++ {
		req, err := build(ctx)
		if err != nil {
			return nil, err
		}
		wait := backoff
		a, err := send(client, req)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			last = err
		case a.Status == http.StatusTooManyRequests || (c.Throttled != nil && c.Throttled(a.Status, a.Body)):
			wait = max(wait, retryAfter(a.Header.Get("Retry-After")))
			last = &RateLimitError{RetryAfter: wait, Detail: fmt.Sprintf("%s %s: HTTP %d: %s", req.Method, req.URL.Path, a.Status, snippet(a.Body))}
		case a.Status >= 500:
			last = fmt.Errorf("channels: %s %s: HTTP %d: %s", req.Method, req.URL.Path, a.Status, snippet(a.Body))
		default:
			return a, nil
		}
		// A channel that asks for a long pause is left to the caller's own retry.
		if attempt >= attempts || wait > maxBackoff {
			return nil, last
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

func send(client *http.Client, req *http.Request) (*Response, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("channels: read %s: %w", req.URL.Path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}

// snippet is the start of an answer, for error messages.
func snippet(body []byte) string {
	if len(body) > 200 {
		return string(body[:200]) + "…"
	}
	return string(body)
}

// Refused wraps a channel's deliberate refusal of a call in ErrRefused.
func Refused(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, a...))
}
