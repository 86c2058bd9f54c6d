package connections

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/vault"
)

// A refresh writes the new tokens only over the credentials version it read: one that lost the
// race to an operator's new credentials leaves them, and records nothing; one that did not writes
// the next version with the channel's expiry, records it, and schedules the next refresh.
func TestRefreshWritesOverTheVersionItRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := auth.NewContext(context.Background(), auth.System)
		sim := marketsim.New("", marketsim.Options{TokenLifetime: time.Hour})
		srv := httptest.NewServer(sim.Handler())
		t.Cleanup(func() {
			sim.Close()
			srv.Close()
		})
		sim.SetBase(srv.URL)
		cfg, err := marketsim.DemoShop(channels.Lazada, "THB", nil)
		require.NoError(t, err)
		sh, err := sim.AddShop(cfg)
		require.NoError(t, err)
		vlt, err := vault.New(vault.DevelopmentKey())
		require.NoError(t, err)
		q, err := jobs.New(db, jobs.Config{}) // inserts only: the test runs the refreshes itself
		require.NoError(t, err)
		s := &Service{DB: db, Vault: vlt, Queue: q}
		a := sh.Account()
		exp := sh.TokenExpiry()
		ch, err := s.ConnectChannel(ctx, Connect{Kind: channel.KindLAZADA, Name: "Lazada", ShopID: a.ShopID, BaseURL: a.BaseURL,
			AuthURL: a.AuthURL, Credentials: a.Credentials, Expiry: Expiry{Access: &exp}})
		require.NoError(t, err)
		require.Equal(t, int64(1), ch.CredentialsVersion)
		refreshed := func() int {
			n, err := db.Client.Event.Query().Where(event.Type(EventTokensRefreshed)).Count(ctx)
			require.NoError(t, err)
			return n
		}

		// An operator replaces the credentials while a refresh of version 1 is under way.
		stale := ch
		ch, err = s.UpdateChannelConnection(ctx, ch.ID, Settings{Credentials: &a.Credentials})
		require.NoError(t, err)
		require.Equal(t, int64(2), ch.CredentialsVersion)
		require.NoError(t, s.refresh(ctx, stale))
		require.Equal(t, 1, sh.Refreshes(), "the channel did refresh")
		got, err := db.Client.Channel.Get(ctx, ch.ID)
		require.NoError(t, err)
		require.Equal(t, int64(2), got.CredentialsVersion, "the operator's credentials stand")
		require.Equal(t, ch.Credentials, got.Credentials)
		require.Zero(t, refreshed())

		// The operator authorizes again; a refresh of the current version is stored.
		toks := sh.Authorize()
		creds := a.Credentials
		creds.AccessToken, creds.RefreshToken = toks.AccessToken, toks.RefreshToken
		ch, err = s.UpdateChannelConnection(ctx, ch.ID, Settings{Credentials: &creds, Expiry: Expiry{Access: &toks.AccessExpiresAt}})
		require.NoError(t, err)
		require.NoError(t, s.refresh(ctx, ch))
		require.Equal(t, 2, sh.Refreshes())
		got, err = db.Client.Channel.Get(ctx, ch.ID)
		require.NoError(t, err)
		require.Equal(t, ch.CredentialsVersion+1, got.CredentialsVersion)
		require.NotNil(t, got.TokenExpiresAt)
		require.WithinDuration(t, time.Now().Add(time.Hour), *got.TokenExpiresAt, time.Minute)
		require.NotNil(t, got.RefreshTokenExpiresAt)
		require.Equal(t, 1, refreshed())
		stored, err := s.credentials(got)
		require.NoError(t, err)
		require.NotEqual(t, creds.RefreshToken, stored.RefreshToken, "the rotated refresh token is stored")
		require.Zero(t, sh.RefreshReuses())
	})
}
