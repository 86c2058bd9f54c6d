package tiktokshop_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// The refresh call carries the app secret and the refresh token in its query, as TikTok Shop wants:
// an error reaching the auth host must not repeat them (errors end up in job rows and logs).
func TestRefreshErrorsHideTheSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler) // the connection drops
	}))
	defer srv.Close()
	c, err := tiktokshop.NewClient(channels.Account{
		Kind: channels.TikTokShop, BaseURL: srv.URL, AuthURL: srv.URL, ShopID: "1",
		Credentials: channels.Credentials{AppKey: "k", AppSecret: "the-app-secret", AccessToken: "a", RefreshToken: "the-refresh-token",
			Extra: map[string]string{tiktokshop.ExtraShopCipher: "c"}},
	}, srv.Client())
	require.NoError(t, err)
	_, err = c.RefreshTokens(context.Background())
	require.Error(t, err)
	require.NotErrorIs(t, err, channels.ErrRefused, "a dropped connection is worth a retry")
	require.NotContains(t, err.Error(), "the-app-secret")
	require.NotContains(t, err.Error(), "the-refresh-token")
}
