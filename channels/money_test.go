package channels

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExponent(t *testing.T) {
	for c, want := range map[string]int{"VND": 0, "IDR": 0, "thb": 2, "MYR": 2, "USD": 2, "KWD": 3, "TWD": 0} {
		got, err := Exponent(c)
		require.NoError(t, err, c)
		require.Equal(t, want, got, c)
	}
	for _, c := range []string{"", "US", "DOLLAR", "12A"} {
		_, err := Exponent(c)
		require.ErrorIs(t, err, ErrAmount, c)
	}
}

func TestParseMinor(t *testing.T) {
	for _, tt := range []struct {
		in   string
		exp  int
		want int64
	}{
		{"99.00", 2, 9900}, {"89.1", 2, 8910}, {"0.54", 2, 54}, {"48000", 0, 48000}, {"48000.00", 0, 48000},
		{"404.95", 2, 40495}, {"-5", 2, -500}, {"", 2, 0}, {"null", 2, 0}, {".5", 2, 50}, {"7.", 2, 700}, {"1.234", 3, 1234},
	} {
		got, err := ParseMinor(tt.in, tt.exp)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
	for _, in := range []string{"0.001", "1e3", "NaN", "abc", "-", ".", "99999999999999999999", "1,000"} {
		_, err := ParseMinor(in, 2)
		require.ErrorIs(t, err, ErrAmount, in)
	}
	_, err := ParseMinor("48000.50", 0)
	require.ErrorIs(t, err, ErrAmount, "VND has no minor unit")
}

func TestRoundMinor(t *testing.T) {
	for _, tt := range []struct {
		in   string
		exp  int
		want int64
	}{
		{"48000", 0, 48000}, {"1004.0", 2, 100400}, {"12.35", 2, 1235}, {"12.349999999", 2, 1235}, {"12.344", 2, 1234},
		{"1.2E2", 2, 12000}, {"125e-2", 2, 125}, {"-3.5", 0, -4}, {"9223372036854775807", 0, 9223372036854775807}, {"", 0, 0},
	} {
		got, err := RoundMinor(tt.in, tt.exp)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
	for _, in := range []string{"0e999", "1e41", "9223372036854775807.5", "x", "1.2.3"} {
		_, err := RoundMinor(in, 0)
		require.ErrorIs(t, err, ErrAmount, in)
	}
}
