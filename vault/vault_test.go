package vault

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSealOpen(t *testing.T) {
	v, err := New(DevelopmentKey())
	require.NoError(t, err)
	secret := []byte(`{"appSecret":"hush"}`)
	a, err := v.Seal(secret, "chn_1")
	require.NoError(t, err)
	b, err := v.Seal(secret, "chn_1")
	require.NoError(t, err)
	require.False(t, bytes.Equal(a, b), "a fresh nonce every time")
	require.False(t, bytes.Contains(a, secret), "the secret is not in the sealed value")

	got, err := v.Open(a, "chn_1")
	require.NoError(t, err)
	require.Equal(t, secret, got)

	_, err = v.Open(a, "chn_2")
	require.ErrorIs(t, err, ErrOpen, "bound to its row")
	tampered := bytes.Clone(a)
	tampered[len(tampered)-1] ^= 1
	_, err = v.Open(tampered, "chn_1")
	require.ErrorIs(t, err, ErrOpen)
	_, err = v.Open(a[:5], "chn_1")
	require.ErrorIs(t, err, ErrOpen)

	other, err := New(bytes.Repeat([]byte{7}, KeySize))
	require.NoError(t, err)
	_, err = other.Open(a, "chn_1")
	require.ErrorIs(t, err, ErrOpen, "another key")
}

func TestParseKey(t *testing.T) {
	k := bytes.Repeat([]byte{0xfb}, KeySize)
	for _, s := range []string{base64.StdEncoding.EncodeToString(k), base64.URLEncoding.EncodeToString(k), base64.RawStdEncoding.EncodeToString(k)} {
		got, err := ParseKey(s)
		require.NoError(t, err, s)
		require.Equal(t, k, got)
	}
	for _, s := range []string{"", "short", base64.StdEncoding.EncodeToString(k[:16])} {
		_, err := ParseKey(s)
		require.Error(t, err, s)
	}
	_, err := New(k[:16])
	require.Error(t, err)
}
