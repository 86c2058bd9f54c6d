package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/ordo-oms/ordo/money"
)

func TestArithmetic(t *testing.T) {
	const maxI, minI = math.MaxInt64, math.MinInt64
	cases := []struct {
		name string
		op   func() (int64, error)
		want int64
		over bool
	}{
		{"add", func() (int64, error) { return money.Add(2, 3) }, 5, false},
		{"add to the max", func() (int64, error) { return money.Add(maxI-1, 1) }, maxI, false},
		{"add past the max", func() (int64, error) { return money.Add(maxI, 1) }, 0, true},
		{"add past the min", func() (int64, error) { return money.Add(minI, -1) }, 0, true},
		{"sub", func() (int64, error) { return money.Sub(2, 3) }, -1, false},
		{"sub past the min", func() (int64, error) { return money.Sub(minI, 1) }, 0, true},
		{"sub a negative past the max", func() (int64, error) { return money.Sub(maxI, -1) }, 0, true},
		{"mul", func() (int64, error) { return money.Mul(1999, 3) }, 5997, false},
		{"mul by zero", func() (int64, error) { return money.Mul(maxI, 0) }, 0, false},
		{"mul the issue's line: 2^62 × 4", func() (int64, error) { return money.Mul(1<<62, 4) }, 0, true},
		{"mul just past the max", func() (int64, error) { return money.Mul(maxI/2+1, 2) }, 0, true},
		{"mul to just under the max", func() (int64, error) { return money.Mul(maxI/3, 3) }, maxI / 3 * 3, false},
		{"mul negatives", func() (int64, error) { return money.Mul(-4, -5) }, 20, false},
		{"mul min by -1", func() (int64, error) { return money.Mul(minI, -1) }, 0, true},
		{"mul -1 by min", func() (int64, error) { return money.Mul(-1, minI) }, 0, true},
		{"sum", func() (int64, error) { return money.Sum(1, 2, 3) }, 6, false},
		{"sum of nothing", func() (int64, error) { return money.Sum() }, 0, false},
		{"sum that overflows on the way", func() (int64, error) { return money.Sum(maxI, 100, -200) }, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.op()
			if tc.over {
				if !errors.Is(err, money.ErrOverflow) {
					t.Fatalf("got %d, %v; want ErrOverflow", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}
