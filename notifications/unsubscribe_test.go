package notifications

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTokens(t *testing.T) {
	key := tokenKey([]byte("instance secret"))
	u := unsubscribe{Address: "ann@example.com", CustomerID: "cus_1"}
	tok := sign(key, u)
	got, err := verify(key, tok)
	require.NoError(t, err)
	require.Equal(t, u, got)

	require.NotEqual(t, []byte("instance secret"), key, "the secret is never the key")
	_, err = verify(tokenKey([]byte("another secret")), tok)
	require.ErrorIs(t, err, errToken, "signed with another key")
	forged := sign(tokenKey([]byte("another secret")), unsubscribe{Address: "bob@example.com"})
	_, err = verify(key, forged)
	require.ErrorIs(t, err, errToken, "forged")
	payload, sum, _ := strings.Cut(tok, ".")
	other := sign(key, unsubscribe{Address: "bob@example.com"})
	otherPayload, _, _ := strings.Cut(other, ".")
	_, err = verify(key, otherPayload+"."+sum)
	require.ErrorIs(t, err, errToken, "another payload under this signature")
	for _, bad := range []string{"", "abc", payload, payload + ".", "." + sum, "!!." + sum, payload + ".!!"} {
		_, err = verify(key, bad)
		require.ErrorIs(t, err, errToken, bad)
	}
	empty := sign(key, unsubscribe{})
	_, err = verify(key, empty)
	require.ErrorIs(t, err, errToken, "a token names an address")
}
