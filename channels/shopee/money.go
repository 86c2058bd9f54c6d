package shopee

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// currencyExponent holds the minor-unit digits of Shopee's currencies. VND and IDR are priced in
// whole units; TWD and CLP too on Shopee; the rest have cents.
var currencyExponent = map[string]int{
	"VND": 0, "IDR": 0, "TWD": 0, "CLP": 0, "KRW": 0, "JPY": 0,
	"THB": 2, "MYR": 2, "PHP": 2, "SGD": 2, "BRL": 2, "MXN": 2, "COP": 2, "PLN": 2, "USD": 2, "CNY": 2,
}

// Exponent answers how many decimal digits a currency's minor unit has (2 unless listed).
func Exponent(currency string) int {
	if e, ok := currencyExponent[strings.ToUpper(currency)]; ok {
		return e
	}
	return 2
}

var errMoney = errors.New("shopee: bad amount")

// maxShift bounds the decimal exponent a JSON number may carry, so "1e999999999" costs nothing.
const maxShift = 40

// minorUnits turns the literal text of a JSON number (Shopee sends floats: 48000, 1004.0, 12.35,
// perhaps 1.2e5) into minor units of currency, rounding half away from zero below the minor unit
// to absorb float noise such as 12.349999999. It never goes through float64.
func minorUnits(num, currency string) (int64, error) {
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
		return 0, fmt.Errorf("%w: %q", errMoney, num)
	}
	shift := Exponent(currency) - len(frac)
	if hasExp {
		e, err := strconv.Atoi(expPart)
		if err != nil || e > maxShift || e < -maxShift {
			return 0, fmt.Errorf("%w: %q", errMoney, num)
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
		return 0, fmt.Errorf("%w: %q is too large", errMoney, num)
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
			return 0, fmt.Errorf("%w: %q: %w", errMoney, num, err)
		}
	}
	if roundUp {
		if n == math.MaxInt64 {
			return 0, fmt.Errorf("%w: %q is too large", errMoney, num)
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
