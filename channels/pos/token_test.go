package pos

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Only ACCESS_TOKEN_EXPIRED asks for a token refresh; every Square error is a refusal.
func TestTokenErrorCodes(t *testing.T) {
	for code, expired := range map[string]bool{"ACCESS_TOKEN_EXPIRED": true, "ACCESS_TOKEN_REVOKED": false, "UNAUTHORIZED": false, "NOT_FOUND": false} {
		err := refusal("POST", "/v2/orders/search", 401, []apiError{{Category: "AUTHENTICATION_ERROR", Code: code}}, nil)
		require.ErrorIs(t, err, channels.ErrRefused, code)
		require.Equal(t, expired, errors.Is(err, channels.ErrTokenExpired), code)
	}
}
