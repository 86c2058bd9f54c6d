package shipping

import (
	"errors"
	"testing"
)

func TestFormatMinor(t *testing.T) {
	for _, c := range []struct {
		minor int64
		exp   int
		want  string
	}{
		{1250, 2, "12.50"},
		{5, 2, "0.05"},
		{0, 2, "0.00"},
		{-5, 2, "-0.05"},
		{-123456, 2, "-1234.56"},
		{48000, 0, "48000"},
		{1, 3, "0.001"},
		{9223372036854775807, 2, "92233720368547758.07"},
	} {
		if got := FormatMinor(c.minor, c.exp); got != c.want {
			t.Errorf("FormatMinor(%d, %d) = %q, want %q", c.minor, c.exp, got, c.want)
		}
	}
}

func TestRefusedWraps(t *testing.T) {
	err := Refused("easypost: %s", "bad address")
	if !errors.Is(err, ErrRefused) || err.Error() != "shipping: the carrier refused the call: easypost: bad address" {
		t.Fatalf("Refused = %v", err)
	}
}
