package lazada

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Only IllegalAccessToken asks for a token refresh.
func TestTokenErrorCodes(t *testing.T) {
	for code, expired := range map[string]bool{"IllegalAccessToken": true, "IllegalRefreshToken": false, "IncompleteSignature": false, "16": false} {
		err := error(&apiError{path: "/orders/get", code: code})
		require.Equal(t, expired, errors.Is(err, channels.ErrTokenExpired), code)
		require.ErrorIs(t, err, channels.ErrRefused)
	}
}

// /auth/token/refresh's answers, read.
func TestReadTokens(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		want    channels.Tokens
		refused bool
	}{
		{"new tokens and their lifetimes", 200, `{"access_token":"a2","refresh_token":"r2","expires_in":604800,"refresh_expires_in":2592000,"account_platform":"seller_center","country":"th","code":"0","request_id":"x"}`,
			channels.Tokens{AccessToken: "a2", RefreshToken: "r2", AccessExpiresAt: now.Add(7 * 24 * time.Hour), RefreshExpiresAt: now.Add(30 * 24 * time.Hour)}, false},
		{"lifetimes unsaid", 200, `{"access_token":"a2","refresh_token":"r2","code":0}`, channels.Tokens{AccessToken: "a2", RefreshToken: "r2"}, false},
		{"a refused refresh token", 200, `{"type":"ISV","code":"IllegalRefreshToken","message":"The specified refresh token is invalid or expired"}`, channels.Tokens{}, true},
		{"an HTTP refusal", http.StatusBadRequest, `bad`, channels.Tokens{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readTokens(&channels.Response{Status: tc.status, Body: []byte(tc.body)}, now)
			if tc.refused {
				require.ErrorIs(t, err, channels.ErrRefused)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
