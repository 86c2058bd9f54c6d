package returns_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/returns"
)

func TestAlert(t *testing.T) {
	deadline := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	const (
		none   = orderreturn.DeadlineAlertNONE
		warned = orderreturn.DeadlineAlertWARNED
		missed = orderreturn.DeadlineAlertMISSED
	)
	for _, tc := range []struct {
		name  string
		now   time.Time
		level orderreturn.DeadlineAlert
		want  orderreturn.DeadlineAlert
		ok    bool
	}{
		{"well ahead", deadline.Add(-25 * time.Hour), none, none, false},
		{"within the warning", deadline.Add(-24 * time.Hour), none, warned, true},
		{"warned already", deadline.Add(-time.Hour), warned, warned, false},
		{"at the deadline: not missed yet", deadline, warned, warned, false},
		{"missed", deadline.Add(time.Second), warned, missed, true},
		{"missed without a warning first", deadline.Add(time.Hour), none, missed, true},
		{"missed already", deadline.Add(time.Hour), missed, missed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := returns.Alert(tc.now, deadline, tc.level, 24*time.Hour)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.ok, ok)
		})
	}
}

// The sweep raises WARNED then MISSED once each, however often it runs, and none on a return whose
// decision went out.
func TestSweepDeadlines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		out, err := s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		decided := snapshot(0, channels.RMARequested, "REQUESTED")
		decided.ExternalID, decided.Lines = "R2", decided.Lines[:1]
		decided.Lines[0].Quantity = 1
		other, err := s.sync.SyncChannelReturn(ctx, s.ch, decided)
		require.NoError(t, err)
		_, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: other.Return.ID, Action: orderreturn.SellerDecisionREFUSE, Reason: "X",
			Evidence: []string{"https://p/1"}}, func(*ent.Tx, *ent.OrderReturn) error { return nil })
		require.NoError(t, err)
		deadline := *out.Return.ChannelDeadline

		sweep := func(now time.Time) int {
			n, err := s.svc.SweepDeadlines(ctx, now, 0)
			require.NoError(t, err)
			return n
		}
		require.Zero(t, sweep(deadline.Add(-48*time.Hour)))
		require.Equal(t, 1, sweep(deadline.Add(-2*time.Hour)), "warned, the decided return not")
		require.Zero(t, sweep(deadline.Add(-time.Hour)))
		require.Equal(t, 1, sweep(deadline.Add(time.Minute)))
		require.Zero(t, sweep(deadline.Add(time.Hour)))
		r, err := db.Client.OrderReturn.Get(ctx, out.Return.ID)
		require.NoError(t, err)
		require.Equal(t, orderreturn.DeadlineAlertMISSED, r.DeadlineAlert)
		require.Equal(t, 2, s.events(t, events.KindReturnDeadlineAlert))
	})
}
