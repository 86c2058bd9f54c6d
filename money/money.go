// Package money is Ordo's arithmetic on amounts of minor units (int64, never floats). Every
// operation is checked: a result that does not fit an int64 is ErrOverflow, never a wrapped-around
// small or negative number stored as if it were right.
package money

import (
	"errors"
	"math"
)

// ErrOverflow is returned when a result is outside the range of int64.
var ErrOverflow = errors.New("amount out of range")

// Max is the largest amount Ordo can hold.
const Max = math.MaxInt64

// Add returns a + b.
func Add(a, b int64) (int64, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, ErrOverflow
	}
	return s, nil
}

// Sub returns a − b.
func Sub(a, b int64) (int64, error) {
	d := a - b
	if (b > 0 && d > a) || (b < 0 && d < a) {
		return 0, ErrOverflow
	}
	return d, nil
}

// Mul returns a × b: a unit price times a quantity.
func Mul(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, ErrOverflow
	}
	return p, nil
}

// Sum returns the sum of amounts.
func Sum(amounts ...int64) (int64, error) {
	var s int64
	for _, a := range amounts {
		var err error
		if s, err = Add(s, a); err != nil {
			return 0, err
		}
	}
	return s, nil
}
