package channels

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// server answers the n-th call (from 1) with answer(n).
func server(t *testing.T, answer func(n int64, w http.ResponseWriter)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(calls.Add(1), w) }))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func get(url string) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}
}

func TestCallerRetriesThrottlingAndOutages(t *testing.T) {
	srv, calls := server(t, func(n int64, w http.ResponseWriter) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0.05")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	})
	c := Caller{Backoff: time.Millisecond}
	resp, err := c.Do(context.Background(), get(srv.URL))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status)
	require.JSONEq(t, `{"ok":true}`, string(resp.Body))
	require.Equal(t, int64(3), calls.Load())
}

func TestCallerGivesUpAsRateLimited(t *testing.T) {
	srv, calls := server(t, func(_ int64, w http.ResponseWriter) {
		_, _ = w.Write([]byte(`{"error":"error_rate_limit"}`)) // a 200 that says slow down
	})
	c := Caller{Attempts: 3, Backoff: time.Millisecond, Throttled: func(_ int, body []byte) bool { return string(body) == `{"error":"error_rate_limit"}` }}
	_, err := c.Do(context.Background(), get(srv.URL))
	var rl *RateLimitError
	require.True(t, errors.As(err, &rl), "%v", err)
	require.Equal(t, int64(3), calls.Load())

	// A pause longer than the caller waits is left to the job: no second call.
	srv2, calls2 := server(t, func(_ int64, w http.ResponseWriter) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err = Caller{Backoff: time.Millisecond}.Do(context.Background(), get(srv2.URL))
	require.True(t, errors.As(err, &rl), "%v", err)
	require.Equal(t, 2*time.Minute, rl.RetryAfter)
	require.Equal(t, int64(1), calls2.Load())
}

func TestCallerReturnsRefusalsAndStopsWithContext(t *testing.T) {
	srv, calls := server(t, func(_ int64, w http.ResponseWriter) { w.WriteHeader(http.StatusUnprocessableEntity) })
	resp, err := Caller{}.Do(context.Background(), get(srv.URL))
	require.NoError(t, err, "a 4xx is an answer for the connector")
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
	require.Equal(t, int64(1), calls.Load(), "4xx is not retried")

	down, _ := server(t, func(_ int64, w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = Caller{Attempts: 100, Backoff: 20 * time.Millisecond}.Do(ctx, get(down.URL))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, Refused("listing %s", "x"), ErrRefused)
}
