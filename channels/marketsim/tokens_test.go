package marketsim_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/registry"
)

// clock is a simulator time that a test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Each connector whose tokens expire, against the simulator's auth server: an expired access token
// is refused with the channel's own error (ErrTokenExpired), the connector's refresh brings a
// working token and rotates the refresh token (Square's code flow keeps it), a spent refresh token
// and a revoked authorization are refused (ErrRefused), and the simulator counts it all.
func TestTokenRefreshRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		kind    channels.Kind
		rotates bool
	}{{channels.Shopee, true}, {channels.Lazada, true}, {channels.TikTokShop, true}, {channels.POS, false}} {
		kind := tc.kind
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			clk := &clock{now: time.Now().UTC()}
			sim := marketsim.New("", marketsim.Options{TokenLifetime: time.Minute, Clock: clk.Now})
			srv := httptest.NewServer(sim.Handler())
			sim.SetBase(srv.URL)
			t.Cleanup(func() {
				sim.Close()
				srv.Close()
			})
			cfg, err := marketsim.DemoShop(kind, "THB", []marketsim.Product{{SKU: "TEE-M", Name: "Tee", Price: 100}})
			require.NoError(t, err)
			sh, err := sim.AddShop(cfg)
			require.NoError(t, err)
			require.WithinDuration(t, clk.Now().Add(time.Minute), sh.TokenExpiry(), time.Second)
			open := func(a channels.Account) channels.Connector {
				c, err := registry.Open(a, nil)
				require.NoError(t, err)
				return c
			}
			pull := func(c channels.Connector) error {
				_, err := c.Updated(ctx, channels.PullQuery{Since: clk.Now().Add(-time.Hour), Until: clk.Now()})
				return err
			}
			first := open(sh.Account())
			require.NoError(t, pull(first))

			clk.Add(2 * time.Minute)
			err = pull(first)
			require.ErrorIs(t, err, channels.ErrTokenExpired)
			require.ErrorIs(t, err, channels.ErrRefused)
			require.Equal(t, 1, sh.ExpiredCalls())

			before := time.Now()
			toks, err := first.(channels.Refresher).RefreshTokens(ctx)
			require.NoError(t, err)
			require.NotEqual(t, sh.Account().AccessToken, toks.AccessToken)
			if tc.rotates {
				require.NotEqual(t, sh.Account().RefreshToken, toks.RefreshToken)
			} else {
				require.Equal(t, sh.Account().RefreshToken, toks.RefreshToken)
			}
			require.False(t, toks.AccessExpiresAt.IsZero(), "the channel says when the new token expires")
			require.True(t, toks.AccessExpiresAt.After(before.Add(-time.Second)), "expires %v", toks.AccessExpiresAt)

			a := sh.Account()
			a.AccessToken, a.RefreshToken = toks.AccessToken, toks.RefreshToken
			second := open(a)
			require.NoError(t, pull(second), "the refreshed token works")
			require.Equal(t, 1, sh.Refreshes())

			refreshes := 1
			_, err = first.(channels.Refresher).RefreshTokens(ctx)
			if tc.rotates {
				require.ErrorIs(t, err, channels.ErrRefused, "a spent refresh token is refused")
				require.Equal(t, 1, sh.RefreshReuses())
			} else {
				require.NoError(t, err, "the code flow's refresh token stays good")
				refreshes++
			}
			require.Equal(t, refreshes, sh.Refreshes())

			sh.RevokeRefresh()
			_, err = second.(channels.Refresher).RefreshTokens(ctx)
			require.ErrorIs(t, err, channels.ErrRefused, "a revoked authorization is refused")
			require.Equal(t, refreshes, sh.Refreshes())
		})
	}
}
