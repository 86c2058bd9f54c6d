package channels

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// exponents lists the currencies whose minor unit is not 2 digits: ISO 4217's, and marketplace
// practice where it differs (IDR and TWD are priced in whole units on the platforms).
var exponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IDR": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "TWD": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// ErrAmount is wrapped by every error of ParseMinor and RoundMinor.
var ErrAmount = errors.New("channels: bad amount")

// Exponent is how many decimal digits a currency's minor unit has. A code that is not three
// letters is an error, so that no amount is ever scaled by a guess.
func Exponent(currency string) (int, error) {
	c := strings.ToUpper(strings.TrimSpace(currency))
	if !currencyCode.MatchString(c) {
		return 0, fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrAmount, currency)
	}
	if e, ok := exponents[c]; ok {
		return e, nil
	}
	return 2, nil
}

// ParseMinor reads a decimal amount ("404.95", "89.1", "48000", "-5") exactly into minor units with
// exp fraction digits. Extra fraction digits must be zeros: an amount the currency cannot hold is an
// error, not a rounding. An empty or "null" amount is zero.
func ParseMinor(s string, exp int) (int64, error) {
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
		return 0, fmt.Errorf("%w: %q has no digits", ErrAmount, s)
	}
	for len(frac) > exp {
		if frac[len(frac)-1] != '0' {
			return 0, fmt.Errorf("%w: %q has more than %d decimals", ErrAmount, s, exp)
		}
		frac = frac[:len(frac)-1]
	}
	frac += strings.Repeat("0", exp-len(frac))
	var n int64
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: %q is not a decimal", ErrAmount, s)
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, fmt.Errorf("%w: %q is out of range", ErrAmount, s)
		}
		n = n*10 + d
	}
	if neg {
		n = -n
	}
	return n, nil
}

// maxShift bounds the decimal exponent a JSON number may carry, so that "1e999999999" costs nothing.
const maxShift = 40

// RoundMinor reads the literal text of a JSON number that a channel computed in floating point
// (Shopee: 48000, 1004.0, 12.35, perhaps 12.349999999 or 1.2e5) into minor units with exp fraction
// digits, rounding half away from zero below the minor unit to absorb float noise. It never goes
// through float64.
func RoundMinor(num string, exp int) (int64, error) {
	s := strings.TrimSpace(num)
	if s == "" {
		return 0, nil
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !digitsOnly(intPart) || !digitsOnly(frac) {
		return 0, fmt.Errorf("%w: %q", ErrAmount, num)
	}
	shift := exp - len(frac)
	if hasExp {
		e, err := strconv.Atoi(expPart)
		if err != nil || e > maxShift || e < -maxShift {
			return 0, fmt.Errorf("%w: %q", ErrAmount, num)
		}
		shift += e
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return 0, nil
	}
	roundUp := false
	switch {
	case shift > maxShift:
		return 0, fmt.Errorf("%w: %q is too large", ErrAmount, num)
	case shift > 0:
		digits += strings.Repeat("0", shift)
	case shift < 0:
		cut := len(digits) + shift
		if cut < 0 {
			return 0, nil
		}
		roundUp = digits[cut] >= '5'
		digits = digits[:cut]
	}
	var n int64
	if digits != "" {
		var err error
		if n, err = strconv.ParseInt(digits, 10, 64); err != nil {
			return 0, fmt.Errorf("%w: %q: %w", ErrAmount, num, err)
		}
	}
	if roundUp {
		if n == math.MaxInt64 {
			return 0, fmt.Errorf("%w: %q is too large", ErrAmount, num)
		}
		n++
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
