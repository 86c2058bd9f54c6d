package channels

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCheckHMACHex(t *testing.T) {
	sig := HMACHex("secret", "key{\"a\":1}")
	require.NoError(t, CheckHMACHex(sig, "secret", "key{\"a\":1}"))
	require.NoError(t, CheckHMACHex(" "+strings.ToUpper(sig)+" ", "secret", "key{\"a\":1}"), "either case, trimmed")
	require.ErrorIs(t, CheckHMACHex("", "secret", "x"), ErrUnsigned)
	require.ErrorIs(t, CheckHMACHex(sig, "other", "key{\"a\":1}"), ErrBadSignature)
	require.ErrorIs(t, CheckHMACHex(sig, "secret", "key{\"a\":2}"), ErrBadSignature, "tampered body")
	require.ErrorIs(t, CheckHMACHex("zz", "secret", "x"), ErrBadSignature, "not hex")
	require.ErrorIs(t, CheckHMACHex(sig[:10], "secret", "key{\"a\":1}"), ErrBadSignature, "cut short")
}

func TestCheckAge(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	require.NoError(t, CheckAge(now.Add(-time.Hour), now, 2*time.Hour, time.Minute))
	require.ErrorIs(t, CheckAge(now.Add(-3*time.Hour), now, 2*time.Hour, time.Minute), ErrStale)
	require.NoError(t, CheckAge(now.Add(30*time.Second), now, 2*time.Hour, time.Minute))
	require.ErrorIs(t, CheckAge(now.Add(2*time.Minute), now, 2*time.Hour, time.Minute), ErrStale, "from the future")
}
