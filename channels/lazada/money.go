package lazada

import (
	"fmt"
	"strings"
)

// exponents is the number of minor-unit digits per currency Lazada sells in.
var exponents = map[string]int{
	"VND": 0, "IDR": 0,
	"THB": 2, "MYR": 2, "PHP": 2, "SGD": 2,
}

// Exponent returns the minor-unit digits of an ISO 4217 currency Lazada uses, and false for any
// other currency, so that an amount is never scaled by a guess.
func Exponent(currency string) (int, bool) {
	e, ok := exponents[strings.ToUpper(strings.TrimSpace(currency))]
	return e, ok
}

// parseMinor reads a decimal amount ("99.00", "89.1", "48000", "-5") exactly into minor units with
// exp fraction digits. Extra fraction digits must be zeros: an amount the currency cannot hold is an
// error, not a rounding. An empty or "null" amount is zero.
func parseMinor(s string, exp int) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "null" {
		return 0, nil
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("amount %q: no digits", s)
	}
	for len(frac) > exp {
		if frac[len(frac)-1] != '0' {
			return 0, fmt.Errorf("amount %q: more than %d decimals", s, exp)
		}
		frac = frac[:len(frac)-1]
	}
	frac += strings.Repeat("0", exp-len(frac))
	var n int64
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("amount %q: not a decimal", s)
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, fmt.Errorf("amount %q: out of range", s)
		}
		n = n*10 + d
	}
	if neg {
		n = -n
	}
	return n, nil
}
