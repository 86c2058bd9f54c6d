package events_test

import (
	"encoding/base64"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, p := range []events.Position{{}, {TxID: 0, ID: 1}, {TxID: 7_312_001, ID: 42}, {TxID: math.MaxInt64, ID: math.MaxInt64}} {
		c := p.Cursor()
		require.Equal(t, base64.RawURLEncoding.EncodeToString(mustDecode(t, c)), c, "URL-safe")
		got, err := events.ParseCursor(c)
		require.NoError(t, err)
		require.Equal(t, p, got)
	}
}

func TestParseCursorRejectsGarbage(t *testing.T) {
	valid := events.Position{TxID: 5, ID: 9}.Cursor()
	raw := mustDecode(t, valid)
	wrongVersion := append([]byte{2}, raw[1:]...)
	negative := append([]byte{1}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	negative = append(negative, raw[9:]...)
	for name, s := range map[string]string{
		"empty":         "",
		"not base64":    "!!!not a cursor!!!",
		"padded":        valid + "==",
		"too short":     valid[:len(valid)-2],
		"too long":      valid + "AA",
		"wrong version": base64.RawURLEncoding.EncodeToString(wrongVersion),
		"negative txid": base64.RawURLEncoding.EncodeToString(negative),
		"std alphabet":  "+/+/+/+/+/+/+/+/+/+/+/+",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := events.ParseCursor(s)
			require.Error(t, err)
			require.True(t, fault.Is(err, fault.InvalidArgument), "got %v", err)
		})
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}
