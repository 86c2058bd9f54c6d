package shopee

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Which of Shopee's codes ask for a token refresh.
func TestTokenErrorCodes(t *testing.T) {
	for code, expired := range map[string]bool{
		"invalid_acceess_token": true, "invalid_access_token": true,
		"error_auth": false, "error_sign": false, "error_param": false, "error_server": false,
	} {
		err := error(&apiError{path: PathOrderDetail, code: code})
		require.Equal(t, expired, errors.Is(err, channels.ErrTokenExpired), code)
	}
}

// access_token/get's answers, read.
func TestReadTokens(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		want      channels.Tokens
		refused   bool
		transient bool
	}{
		{"new tokens, expire_in seconds", 200, `{"refresh_token":"r2","access_token":"a2","expire_in":14400,"request_id":"x","error":"","message":"","partner_id":2001887,"shop_id":727720655}`,
			channels.Tokens{AccessToken: "a2", RefreshToken: "r2", AccessExpiresAt: now.Add(4 * time.Hour)}, false, false},
		{"expire_in quoted", 200, `{"refresh_token":"r2","access_token":"a2","expire_in":"60","error":""}`,
			channels.Tokens{AccessToken: "a2", RefreshToken: "r2", AccessExpiresAt: now.Add(time.Minute)}, false, false},
		{"a spent refresh token", http.StatusForbidden, `{"error":"error_auth","message":"Invalid refresh_token.","request_id":"x"}`, channels.Tokens{}, true, false},
		{"Shopee's own trouble", 200, `{"error":"error_server","message":"System error"}`, channels.Tokens{}, false, true},
		{"no tokens in a success", 200, `{"error":"","message":""}`, channels.Tokens{}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readTokens(&channels.Response{Status: tc.status, Body: []byte(tc.body)}, now)
			if !tc.refused && !tc.transient {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			require.Equal(t, tc.refused, errors.Is(err, channels.ErrRefused), "%v", err)
		})
	}
}
