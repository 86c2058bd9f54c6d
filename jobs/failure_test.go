package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/shipping"
)

// Which failures a job retries, waits out or stops on, decided in one place.
func TestClassify(t *testing.T) {
	var syntax *json.SyntaxError
	bad := json.Unmarshal([]byte(`{"order_sn": `), &struct{}{})
	require.ErrorAs(t, bad, &syntax)
	wrongType := json.Unmarshal([]byte(`{"n": "x"}`), &struct{ N int }{})
	cases := []struct {
		name string
		err  error
		want jobs.Outcome
	}{
		{"a channel's 404 (a refusal)", channels.Refused("shopee: error_not_found: the order is not found"), jobs.Stop},
		{"a refusal wrapped by a worker", fmt.Errorf("order 123: %w", channels.Refused("HTTP 400: bad request")), jobs.Stop},
		{"an incomplete account", fmt.Errorf("%w: no access token", channels.ErrAccount), jobs.Stop},
		{"an unparseable answer", fmt.Errorf("shopee: decode: %w", bad), jobs.Stop},
		{"a value of the wrong type", fmt.Errorf("decode: %w", wrongType), jobs.Stop},
		{"a bad amount", fmt.Errorf("%w: 12.345 USD", channels.ErrAmount), jobs.Stop},
		{"bad data (INVALID_ARGUMENT)", fault.New(fault.InvalidArgument, "unknown SKU X"), jobs.Stop},
		{"text PostgreSQL cannot store", fmt.Errorf("create order: %w", &pgconn.PgError{Code: "22021"}), jobs.Stop},
		{"throttled (429)", &channels.RateLimitError{RetryAfter: 3 * time.Second}, jobs.Wait},
		{"throttled, wrapped", fmt.Errorf("push: %w", &channels.RateLimitError{RetryAfter: time.Second}), jobs.Wait},
		{"a carrier's refusal", fmt.Errorf("cancel label: %w", shipping.Refused("already picked up")), jobs.Stop},
		{"an incomplete carrier account", fmt.Errorf("%w: no client secret", shipping.ErrAccount), jobs.Stop},
		{"a call the carrier has no API for", fmt.Errorf("ninjavan: track: %w", shipping.ErrUnsupported), jobs.Stop},
		{"a carrier throttling", fmt.Errorf("pull: %w", &shipping.RateLimitError{RetryAfter: 2 * time.Second}), jobs.Wait},
		{"a 5xx that outlasted the caller's retries", errors.New("channels: GET /api: HTTP 502: bad gateway"), jobs.Retry},
		{"a timeout", context.DeadlineExceeded, jobs.Retry},
		{"the network", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, jobs.Retry},
		{"the store went away mid-query", fmt.Errorf("load channel: %w", io.ErrUnexpectedEOF), jobs.Retry},
		{"the store is read-only", &pgconn.PgError{Code: "25006"}, jobs.Retry},
		{"a conflict", fault.New(fault.Conflict, "order moved"), jobs.Retry},
		{"not enough stock", fault.New(fault.InsufficientStock, "short"), jobs.Retry},
		{"an error nobody classified", errors.New("something odd"), jobs.Retry},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, jobs.Classify(tc.err))
		})
	}
}
