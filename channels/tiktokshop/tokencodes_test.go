package tiktokshop

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Which answers ask for a token refresh: 105001 and 105002, whatever the HTTP status.
func TestTokenErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		status  int
		body    string
		expired bool
	}{
		{401, `{"code":105002,"message":"Expired credentials. The access token has expired.","request_id":"x"}`, true},
		{200, `{"code":"105001","message":"Invalid credentials.","request_id":"x"}`, true},
		{401, `{"code":36009004,"message":"Invalid credentials. The x-tts-access-token header is invalid."}`, false},
		{200, `{"code":12052032,"message":"product not found"}`, false},
	} {
		_, err := answer(http.MethodGet, "/order/202309/orders", &channels.Response{Status: tc.status, Body: []byte(tc.body)})
		require.ErrorIs(t, err, channels.ErrRefused, tc.body)
		require.Equal(t, tc.expired, errors.Is(err, channels.ErrTokenExpired), tc.body)
	}
}
