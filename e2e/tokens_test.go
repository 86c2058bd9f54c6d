package e2e_test

// Issue 8, token refresh: marketplace access tokens expire; Ordo refreshes them ahead of expiry by
// a job that runs once per token whichever replica takes it, refreshes and retries when a channel
// refuses one, and raises an alert when a channel will not refresh.

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// expiring are the channels whose access tokens expire: the marketplaces and Square.
var expiring = []channels.Kind{channels.Shopee, channels.Lazada, channels.TikTokShop, channels.POS}

// soakDuration is how long the token soak runs: ORDO_TEST_TOKEN_SOAK, else 60 s on PostgreSQL and
// 15 s on SQLite.
func soakDuration(t *testing.T, url string) time.Duration {
	if v := os.Getenv("ORDO_TEST_TOKEN_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "ORDO_TEST_TOKEN_SOAK")
		return d
	}
	if strings.HasPrefix(url, "postgres") {
		return 60 * time.Second
	}
	return 15 * time.Second
}

// Must-show 7: with access tokens that last four seconds, orders and stock changes on every
// marketplace and Square for the soak's duration (on PostgreSQL with two Ordo replicas on one store) lose
// nothing: every order is ingested and every channel is told the final stock. Every refresh is
// made once: no refresh token is sent twice, and the channel's refreshes are Ordo's recorded ones.
func TestTokenRefreshSoak(t *testing.T) {
	t.Parallel() // it is paced by the clock (a minute of load), not by the CPU: it runs beside the other tests that wait
	dbtest.EachURL(t, func(t *testing.T, url string) {
		const lifetime = 4 * time.Second
		soak := soakDuration(t, url)
		srv := ordotest.Start(t, url)
		replicas := []*ordotest.Server{srv}
		if strings.HasPrefix(url, "postgres") {
			replicas = append(replicas, ordotest.Start(t, url)) // runs jobs too: refreshes, fetches, pushes
		}
		wh := warehouse(t, srv)
		const initial = 100000
		srv.SKU(t, "TEE-M", map[pulid.ID]int64{wh: initial})
		srv.SKU(t, "CAP", map[pulid.ID]int64{wh: initial})
		m := srv.ConnectMarket(t, ordotest.MarketOptions{
			MarketOptions: demo.MarketOptions{Kinds: expiring, Products: channelProducts},
			Sim:           marketsim.Options{TokenLifetime: lifetime},
		})

		var orders, receipts int64
		created := map[channels.Kind][]string{}
		start := time.Now()
		tick := time.NewTicker(250 * time.Millisecond) // paces the load; nothing waits on it
		defer tick.Stop()
		for n := 0; time.Since(start) < soak; n++ {
			<-tick.C
			sh := m.Shops[expiring[n%len(expiring)]]
			o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 1}}})
			require.NoError(t, err)
			created[sh.Kind()] = append(created[sh.Kind()], o.ID)
			orders++
			if n%2 == 0 {
				receiveStock(t, replicas[n%len(replicas)], "TEE-M", wh, 1)
				receipts++
			}
		}

		// Every order is in, and every channel is told the final quantity.
		for kind, ids := range created {
			for _, id := range ids {
				channelOrder(t, srv, m.Channels[kind], id, order.StatusALLOCATED)
			}
		}
		requireStock(t, m, "TEE-M", initial+receipts-orders)

		ctx := auth.NewContext(context.Background(), auth.System)
		for kind, sh := range m.Shops {
			ch, err := srv.Inst.DB.Client.Channel.Get(ctx, m.Channels[kind])
			require.NoError(t, err)
			recorded, err := srv.Inst.DB.Client.Event.Query().
				Where(event.Type(connections.EventTokensRefreshed), event.ChannelID(string(ch.ID))).Count(ctx)
			require.NoError(t, err)
			t.Logf("%s: %d orders, %d pushes, %d refreshes (%d recorded), %d calls refused for an expired token, credentials version %d",
				kind, len(created[kind]), len(sh.Pushes()), sh.Refreshes(), recorded, sh.ExpiredCalls(), ch.CredentialsVersion)
			require.Zero(t, sh.RefreshReuses(), "%s: a refresh token was sent twice", kind)
			require.Equal(t, sh.Refreshes(), recorded, "%s: every refresh the channel made is one Ordo stored", kind)
			require.Equal(t, int64(1+sh.Refreshes()), ch.CredentialsVersion, "%s: one credentials write per refresh", kind)
			require.GreaterOrEqual(t, sh.Refreshes(), int(soak/lifetime)/2, "%s: tokens were refreshed as they expired", kind)
			require.Equal(t, channel.AuthStatusOK, ch.AuthStatus)
		}
		srv.Audit(t)
	})
}

// A channel that ends its access tokens early refuses Ordo's next calls: Ordo has the token
// refreshed and makes the calls again, so the orders behind the webhooks come in. The fetches
// refused together (on two replicas on PostgreSQL) wait for one refresh.
func TestExpiredTokenIsRefreshedAndTheCallRetried(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShopWith(t, url, marketsim.Options{TokenLifetime: time.Hour})
		if strings.HasPrefix(url, "postgres") {
			ordotest.Start(t, url) // a second replica takes jobs too
		}
		for kind, sh := range m.Shops {
			sh.ExpireTokens()
			var ids []string
			for range 5 {
				o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 1}}})
				require.NoError(t, err)
				ids = append(ids, o.ID)
			}
			for _, id := range ids {
				channelOrder(t, srv, m.Channels[kind], id, order.StatusALLOCATED)
			}
			require.Equal(t, 1, sh.Refreshes(), kind)
			require.GreaterOrEqual(t, sh.ExpiredCalls(), 1, kind)
			require.Zero(t, sh.RefreshReuses(), kind)
		}
	})
}

// A channel that refuses the refresh (the seller's authorization ended) makes the channel FAILED,
// with the channel's answer and a channel.auth_failed alert, and the refresh stops. Connected again
// with new tokens (updateChannelConnection with refreshToken and tokenExpiresAt), it is OK and its
// orders come in again.
func TestRefusedRefreshAlerts(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShopWith(t, url, marketsim.Options{TokenLifetime: time.Hour})
		for kind, sh := range m.Shops {
			sh.RevokeRefresh()
			sh.ExpireTokens()
			_, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 1}}})
			require.NoError(t, err)
			var res struct {
				Channels struct {
					Edges []struct {
						Node struct {
							ID             pulid.ID
							AuthStatus     string
							AuthError      string
							TokenExpiresAt *time.Time
						}
					}
				}
			}
			require.Eventually(t, func() bool {
				require.NoError(t, srv.Admin().Query(context.Background(),
					`{ channels(first: 10) { edges { node { id authStatus authError tokenExpiresAt } } } }`, nil, &res))
				for _, e := range res.Channels.Edges {
					if e.Node.ID == m.Channels[kind] {
						return e.Node.AuthStatus == "FAILED" && e.Node.AuthError != ""
					}
				}
				return false
			}, channelWait, 20*time.Millisecond, "%s never FAILED", kind)
			ctx := auth.NewContext(context.Background(), auth.System)
			n, err := srv.Inst.DB.Client.Event.Query().
				Where(event.Type(connections.EventAuthFailed), event.ChannelID(string(m.Channels[kind]))).Count(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, n, "%s: one alert", kind)
			require.Zero(t, sh.Refreshes(), kind)

			toks := sh.Authorize()
			a := sh.Account()
			a.AccessToken, a.RefreshToken = toks.AccessToken, toks.RefreshToken
			var upd struct {
				UpdateChannelConnection struct {
					Channel struct {
						AuthStatus     string
						TokenExpiresAt *time.Time
					}
				}
			}
			require.NoError(t, srv.Admin().Query(context.Background(),
				`mutation($in: UpdateChannelConnectionInput!) { updateChannelConnection(input: $in) { channel { authStatus tokenExpiresAt } } }`,
				map[string]any{"in": map[string]any{"channelID": m.Channels[kind], "credentials": credentialsInput(a), "tokenExpiresAt": toks.AccessExpiresAt}}, &upd))
			require.Equal(t, "OK", upd.UpdateChannelConnection.Channel.AuthStatus, kind)
			require.NotNil(t, upd.UpdateChannelConnection.Channel.TokenExpiresAt, kind)
			require.WithinDuration(t, toks.AccessExpiresAt, *upd.UpdateChannelConnection.Channel.TokenExpiresAt, time.Second)
			o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 1}}})
			require.NoError(t, err)
			channelOrder(t, srv, m.Channels[kind], o.ID, order.StatusALLOCATED)
		}
	})
}

// credentialsInput is a ChannelCredentialsInput of an account's credentials.
func credentialsInput(a channels.Account) map[string]any {
	extra := map[string]any{}
	for k, v := range a.Extra {
		extra[k] = v
	}
	return map[string]any{"appKey": a.AppKey, "appSecret": a.AppSecret, "accessToken": a.AccessToken,
		"refreshToken": a.RefreshToken, "webhookSecret": a.WebhookSecret, "extra": extra}
}

// channelShopWith is channelShop on the channels whose tokens expire, with the simulator's options.
func channelShopWith(t *testing.T, url string, sim marketsim.Options) (*ordotest.Server, *ordotest.Market) {
	t.Helper()
	srv := ordotest.Start(t, url)
	wh := warehouse(t, srv)
	srv.SKU(t, "TEE-M", map[pulid.ID]int64{wh: 40})
	srv.SKU(t, "CAP", map[pulid.ID]int64{wh: 20})
	return srv, srv.ConnectMarket(t, ordotest.MarketOptions{
		MarketOptions: demo.MarketOptions{Kinds: expiring, Products: channelProducts}, Sim: sim})
}

// A refresh that fails for the channel's outage is retried with backoff, and the channel is not
// marked FAILED: once the channel is back, the tokens are refreshed.
func TestRefreshRetriesThroughAnOutage(t *testing.T) {
	t.Parallel() // it waits for the job queue's retry backoff: it runs beside the other tests that wait
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShopWith(t, url, marketsim.Options{TokenLifetime: 3 * time.Second})
		for _, sh := range m.Shops {
			sh.SetDown(true)
		}
		ctx := auth.NewContext(context.Background(), auth.System)
		retrying := func() int {
			var n int
			require.NoError(t, srv.Inst.DB.SQL.QueryRowContext(ctx,
				`SELECT count(*) FROM river_job WHERE kind = $1 AND state = 'retryable'`, connections.RefreshArgs{}.Kind()).Scan(&n))
			return n
		}
		require.Eventually(t, func() bool { return retrying() == len(m.Shops) }, channelWait, 20*time.Millisecond,
			"every channel's refresh failed and waits for its retry")
		chs, err := srv.Inst.DB.Client.Channel.Query().Where(channel.AuthStatusEQ(channel.AuthStatusFAILED)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, chs, "an outage is not a refusal")
		for _, sh := range m.Shops {
			sh.SetDown(false)
		}
		for kind, sh := range m.Shops {
			require.Eventually(t, func() bool { return sh.Refreshes() >= 1 }, channelWait, 20*time.Millisecond, "%s never refreshed", kind)
			require.Zero(t, sh.RefreshReuses(), kind)
		}
	})
}
