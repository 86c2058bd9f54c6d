package orders

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/fault"
)

func TestTotals(t *testing.T) {
	lines := func(q ...int64) []Line {
		out := make([]Line, len(q))
		for i, n := range q {
			out[i] = Line{SKU: "SKU-" + string(rune('A'+i)), Quantity: n}
		}
		return out
	}
	stated := int64(777)
	cases := []struct {
		name            string
		in              PlaceInput
		prices          []int64
		subtotal, total int64
		err             string // substring of the INVALID_ARGUMENT message; "" for success
	}{
		{name: "lines, shipping, tax and discount", in: PlaceInput{Lines: lines(2, 1), ShippingAmount: 300, TaxAmount: 70, DiscountAmount: 50},
			prices: []int64{1000, 250}, subtotal: 2250, total: 2570},
		{name: "the channel's stated total wins", in: PlaceInput{Lines: lines(1), ShippingAmount: 300, Total: &stated},
			prices: []int64{1000}, subtotal: 1000, total: 777},
		{name: "a line total of 4 (2^62 × 4 wrapped) is refused", in: PlaceInput{Lines: lines(4)},
			prices: []int64{1 << 62}, err: "line 1 (SKU-A): unit price 4611686018427387904 × quantity 4 overflows"},
		{name: "two large lines overflow the subtotal", in: PlaceInput{Lines: lines(1, 1)},
			prices: []int64{math.MaxInt64 - 1, 2}, err: "subtotal overflows"},
		{name: "shipping overflows the total", in: PlaceInput{Lines: lines(1), ShippingAmount: math.MaxInt64},
			prices: []int64{1}, err: "total overflows"},
		{name: "a stated total does not excuse an overflowing line", in: PlaceInput{Lines: lines(3), Total: &stated},
			prices: []int64{math.MaxInt64 / 2}, err: "overflows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub, total, err := totals(tc.in, tc.prices)
			if tc.err != "" {
				require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), "%v", err)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.subtotal, sub)
			require.Equal(t, tc.total, total)
		})
	}
}
