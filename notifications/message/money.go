package message

import (
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// symbols are the signs amounts are written with; a currency not listed is written with its code.
// Where the sign alone would be ambiguous in a region (the dollars), it carries its country.
var symbols = map[string]string{
	"THB": "฿", "VND": "₫", "IDR": "Rp", "MYR": "RM", "SGD": "S$", "PHP": "₱", "USD": "$",
	"EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "KRW": "₩", "AUD": "A$", "HKD": "HK$",
	"TWD": "NT$", "INR": "₹", "BND": "B$", "KHR": "៛", "LAK": "₭", "MMK": "K",
}

// numberFormat is how a locale writes an amount: its separators, and whether the sign follows the
// number (Vietnamese: 1.250.000 ₫) or leads it (฿1,250.00, Rp1.250.000).
type numberFormat struct {
	group, decimal string
	trailingSign   bool
}

var numberFormats = map[Locale]numberFormat{
	English:    {",", ".", false},
	Thai:       {",", ".", false},
	Malay:      {",", ".", false},
	Vietnamese: {".", ",", true},
	Indonesian: {".", ",", false},
}

// Money writes an amount of minor units of currency as locale writes it (฿1,250.00, 1.250.000 ₫,
// Rp1.250.000, RM1,250.00, $1,250.00). The decimals are the currency's minor unit as Ordo stores it
// (channels.Exponent): VND, JPY and KRW have none, and IDR none either, because Ordo keeps rupiah
// in whole units as the marketplaces price them (ISO 4217's exponent 2 is never used in practice).
// A code that is not a currency is written unscaled after the digits, so that no amount is shown
// scaled by a guess (Render refuses such a currency).
func Money(l Locale, currency string, minor int64) string {
	f, ok := numberFormats[l]
	if !ok {
		f = numberFormats[English]
	}
	code := strings.ToUpper(strings.TrimSpace(currency))
	exp, err := channels.Exponent(code)
	if err != nil {
		return strconv.FormatInt(minor, 10) + " " + currency
	}
	sign := ""
	mag := uint64(minor) // the magnitude of math.MinInt64 fits only unsigned
	if minor < 0 {
		sign, mag = "-", -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(f.group)
		}
		b.WriteRune(c)
	}
	number := b.String()
	if frac != "" {
		number += f.decimal + frac
	}
	sym, known := symbols[code]
	switch {
	case !known:
		if f.trailingSign {
			return sign + number + " " + code
		}
		return sign + code + " " + number
	case f.trailingSign:
		return sign + number + " " + sym
	}
	return sign + sym + number
}
