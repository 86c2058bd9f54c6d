package notifications

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/fault"
)

func TestDefaultRetry(t *testing.T) {
	var total time.Duration
	prev := time.Duration(0)
	for a := 1; a < MaxAttempts; a++ {
		d := DefaultRetry(a)
		require.GreaterOrEqual(t, d, prev, "attempt %d", a)
		require.LessOrEqual(t, d, time.Hour)
		total += d
		prev = d
	}
	require.Greater(t, total, 20*time.Hour, "a day-long outage is caught up")
	require.Less(t, total, 30*time.Hour)
}

func TestPermanent(t *testing.T) {
	require.True(t, permanent(fmt.Errorf("email: %w: 550 no such mailbox", ErrRejected)))
	require.True(t, permanent(fault.New(fault.NotFound, "order ord_1 not found")), "an order gone")
	require.False(t, permanent(errors.New("dial tcp: connection refused")))
	require.False(t, permanent(fmt.Errorf("load order: %w", context.DeadlineExceeded)))
}
