package notifications

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExpiring(t *testing.T) {
	at := func(h int) *time.Time {
		v := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
		return &v
	}
	for _, tt := range []struct {
		name           string
		ready, expires *time.Time
		now            time.Time
		want           bool
	}{
		{"three-day hold, a day left", at(0), at(72), *at(48), true},
		{"three-day hold, two days left", at(0), at(72), *at(24), false},
		{"three-day hold, an hour left", at(0), at(72), *at(71), true},
		{"expired", at(0), at(72), *at(72), false},
		{"a one-day hold: its ready message said it", at(0), at(24), *at(12), false},
		{"not ready", nil, at(72), *at(48), false},
	} {
		require.Equal(t, tt.want, expiring(tt.ready, tt.expires, tt.now), tt.name)
	}
}
