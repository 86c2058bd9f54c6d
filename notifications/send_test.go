package notifications

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
