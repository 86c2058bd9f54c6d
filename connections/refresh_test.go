package connections_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/connections"
)

func TestRefreshAt(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		life    time.Duration
		wantAgo time.Duration // before the expiry
	}{
		{"Shopee's four hours: 30 minutes ahead", 4 * time.Hour, 30 * time.Minute},
		{"Lazada's week: capped at 30 minutes", 7 * 24 * time.Hour, 30 * time.Minute},
		{"an hour: a quarter ahead", time.Hour, 15 * time.Minute},
		{"a test's four seconds: one second ahead", 4 * time.Second, time.Second},
		{"issued when it expires: at the expiry", 0, 0},
		{"issued after it expired: at the expiry", -time.Minute, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expires := t0.Add(tc.life)
			require.Equal(t, expires.Add(-tc.wantAgo), connections.RefreshAt(t0, expires))
		})
	}
}
