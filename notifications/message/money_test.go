package message

import (
	"math"
	"testing"
)

func TestMoney(t *testing.T) {
	cases := []struct {
		l        Locale
		currency string
		minor    int64
		want     string
	}{
		{English, "THB", 125000, "฿1,250.00"},
		{English, "USD", 125000, "$1,250.00"},
		{Thai, "THB", 125000, "฿1,250.00"},
		{Thai, "THB", 5, "฿0.05"},
		{Thai, "THB", 0, "฿0.00"},
		{Vietnamese, "VND", 1250000, "1.250.000 ₫"},
		{Vietnamese, "VND", 999, "999 ₫"},
		{Vietnamese, "THB", 125050, "1.250,50 ฿"},
		{Indonesian, "IDR", 1250000, "Rp1.250.000"}, // whole rupiah, as Ordo stores them
		{Indonesian, "USD", 125050, "$1.250,50"},
		{Malay, "MYR", 125000, "RM1,250.00"},
		{Malay, "myr", 100, "RM1.00"},
		{English, "VND", 1250000, "₫1,250,000"},
		{English, "JPY", 1250, "¥1,250"},
		{English, "KWD", 1250, "KWD 1.250"}, // three decimals, no symbol listed
		{Vietnamese, "KWD", 1250, "1,250 KWD"},
		{English, "THB", -125000, "-฿1,250.00"},
		{Vietnamese, "VND", -1250000, "-1.250.000 ₫"},
		{Indonesian, "IDR", -500, "-Rp500"},
		{English, "THB", -5, "-฿0.05"},
		{English, "VND", math.MinInt64, "-₫9,223,372,036,854,775,808"},
		{English, "THB", 100000000000, "฿1,000,000,000.00"},
		{Locale("fr"), "THB", 125000, "฿1,250.00"}, // unsupported: as English
		{English, "baht", 125000, "125000 baht"},   // not a currency: not scaled by a guess
	}
	for _, tc := range cases {
		if got := Money(tc.l, tc.currency, tc.minor); got != tc.want {
			t.Errorf("Money(%s, %s, %d) = %q, want %q", tc.l, tc.currency, tc.minor, got, tc.want)
		}
	}
}
