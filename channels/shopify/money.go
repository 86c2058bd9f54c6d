package shopify

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// currencyExponent is the number of minor-unit digits of the currencies whose exponent is not 2.
// IDR is 0 because marketplaces and shops price it in whole rupiah.
var currencyExponent = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IDR": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// Exponent answers how many decimal digits a currency's minor unit has (2 unless listed).
func Exponent(currency string) int {
	if e, ok := currencyExponent[strings.ToUpper(currency)]; ok {
		return e
	}
	return 2
}

var errMoney = errors.New("shopify: bad amount")

// minorUnits parses a decimal string such as "404.95" exactly into minor units of currency. An
// amount finer than the currency's minor unit is an error rather than a silent rounding.
func minorUnits(s, currency string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !digitsOnly(intPart) || !digitsOnly(frac) {
		return 0, fmt.Errorf("%w: %q", errMoney, s)
	}
	exp := Exponent(currency)
	for len(frac) < exp {
		frac += "0"
	}
	if strings.Trim(frac[exp:], "0") != "" {
		return 0, fmt.Errorf("%w: %q has more than %d decimals", errMoney, s, exp)
	}
	digits := strings.TrimLeft(intPart+frac[:exp], "0")
	if digits == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %w", errMoney, s, err)
	}
	if neg {
		n = -n
	}
	return n, nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
