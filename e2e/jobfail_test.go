package e2e_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/events"
)

// Issue 8 §4: a job that fails for good stops retrying, records why and raises a job.failed alert;
// a transient failure is retried until it passes. The simulated Shopee refuses Ordo's calls once
// the access token Ordo holds is revoked (error_auth: no retry can help); the simulated Lazada
// answers 503 while it is down (transient).
func TestPermanentJobFailureStopsAndAlerts(t *testing.T) {
	t.Parallel() // it waits for the job queue's retry backoff: it runs beside the other tests that wait
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee, channels.Lazada}})
		srv.Inst.Ingestion.SetInline(0) // every push's work is a job
		ctx := context.Background()
		jobState := func(orderID string) (state string, errs string) {
			t.Helper()
			row := srv.Inst.DB.SQL.QueryRowContext(ctx,
				"SELECT state, CAST(errors AS TEXT) FROM river_job WHERE kind = 'channel_fetch' AND CAST(args AS TEXT) LIKE '%' || $1 || '%'", orderID)
			var e *string
			if err := row.Scan(&state, &e); err != nil {
				return "", err.Error()
			}
			if e != nil {
				errs = *e
			}
			return state, errs
		}
		alerts := func() []*ent.Event {
			evs, err := srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindJobFailed)).All(ctx)
			require.NoError(t, err)
			return evs
		}

		// Shopee: Ordo's access token is revoked; the shop refuses get_order_detail.
		sp := m.Shops[channels.Shopee]
		sp.Hold(true)
		a := sp.Account()
		srv.Admin().MustDo(t, `mutation($in: UpdateChannelConnectionInput!) { updateChannelConnection(input: $in) { channel { id } } }`,
			map[string]any{"in": map[string]any{"channelID": m.Channels[channels.Shopee], "baseURL": a.BaseURL,
				"credentials": map[string]any{"appKey": a.AppKey, "appSecret": a.AppSecret, "accessToken": "revoked-token"}}}, nil)
		refused := order2(t, sp)
		require.Equal(t, http.StatusOK, sp.Redeliver(sp.Deliveries()[0]), "the push is signed: it is taken")
		require.Eventually(t, func() bool { s, _ := jobState(refused.ID); return s == "cancelled" }, channelWait, 20*time.Millisecond,
			"the refused fetch must stop, not retry")
		_, errs := jobState(refused.ID)
		require.Contains(t, errs, "error_auth", "the job records why it stopped")
		got := alerts()
		require.Len(t, got, 1, "one alert")
		require.Equal(t, string(m.Channels[channels.Shopee]), got[0].ChannelID, "the alert is on the channel")
		require.Empty(t, got[0].OrderID, "Ordo has no such order")
		require.Equal(t, "channel_fetch", got[0].Data["job"])
		require.Contains(t, got[0].Data["reason"], "error_auth")
		require.Equal(t, []any{refused.ID}, got[0].Data["externalIDs"])

		// Lazada: the shop is down (503); the fetch is retried until the shop is back.
		lz := m.Shops[channels.Lazada]
		lz.Hold(true)
		o := order2(t, lz)
		lz.SetDown(true)
		require.Equal(t, http.StatusOK, lz.Redeliver(lz.Deliveries()[0]))
		require.Eventually(t, func() bool { s, _ := jobState(o.ID); return s == "retryable" }, channelWait, 20*time.Millisecond,
			"a transient failure is retried")
		lz.SetDown(false)
		require.Eventually(t, func() bool { s, _ := jobState(o.ID); return s == "completed" }, channelWait, 20*time.Millisecond,
			"and succeeds once the shop is back")
		replayedOrder(t, srv, m.Channels[channels.Lazada], o.ID)
		require.Len(t, alerts(), 1, "a transient failure raises no alert")
		srv.Audit(t)
	})
}

// A scheduled pull refused for good keeps its schedule (so that it resumes once the account is
// fixed) without retrying sooner, and raises one alert when pulls start failing, not one per pull.
func TestRefusedScheduledPullAlertsOnce(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee},
			PullIntervalSeconds: map[channels.Kind]int{channels.Shopee: 1}})
		ctx := context.Background()
		chID := m.Channels[channels.Shopee]
		a := m.Shops[channels.Shopee].Account()
		srv.Admin().MustDo(t, `mutation($in: UpdateChannelConnectionInput!) { updateChannelConnection(input: $in) { channel { id } } }`,
			map[string]any{"in": map[string]any{"channelID": chID, "baseURL": a.BaseURL,
				"credentials": map[string]any{"appKey": a.AppKey, "appSecret": a.AppSecret, "accessToken": "revoked-token"}}}, nil)
		pulledAt := func() (time.Time, string) {
			ch, err := srv.Inst.DB.Client.Channel.Get(ctx, chID)
			require.NoError(t, err)
			if ch.LastPullAt == nil {
				return time.Time{}, ch.LastPullError
			}
			return *ch.LastPullAt, ch.LastPullError
		}
		var failedAt time.Time
		require.Eventually(t, func() bool {
			at, e := pulledAt()
			failedAt = at
			return e != "" && !at.IsZero()
		}, channelWait, 20*time.Millisecond, "the pull never failed")
		for range 2 { // two more scheduled pulls, both refused
			require.Eventually(t, func() bool {
				at, e := pulledAt()
				if at.After(failedAt) && e != "" {
					failedAt = at
					return true
				}
				return false
			}, channelWait, 20*time.Millisecond, "the scheduled pull stopped running")
		}
		evs, err := srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindJobFailed)).All(ctx)
		require.NoError(t, err)
		require.Len(t, evs, 1, "one alert for a pull that keeps being refused")
		require.Equal(t, "channel_pull", evs[0].Data["job"])
		require.Equal(t, string(chID), evs[0].ChannelID)
		require.Contains(t, evs[0].Data["reason"], "error_auth")
	})
}
