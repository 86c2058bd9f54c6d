package returns

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
)

func TestDecide(t *testing.T) {
	// Two lines: 3 × 1000 and 1 × 1000; a 400 discount (300 + 100 pro rata), 200 tax (150 + 50),
	// 500 shipping. Paid: 4000 − 400 + 200 + 500 = 4300.
	two := Basis{Discount: 400, Tax: 200, Shipping: 500, Paid: 4300, Lines: []BasisLine{
		{ID: "a", UnitPrice: 1000, Quantity: 3}, {ID: "b", UnitPrice: 1000, Quantity: 1},
	}}
	with := func(b Basis, f func(*Basis)) Basis {
		b.Lines = append([]BasisLine(nil), b.Lines...)
		f(&b)
		return b
	}
	// Three units of 1000 with a 100 discount: the line is worth 2900; units 966, 966, 968.
	odd := Basis{Discount: 100, Paid: 2900, Lines: []BasisLine{{ID: "a", UnitPrice: 1000, Quantity: 3}}}
	cases := []struct {
		name string
		b    Basis
		a    Ask
		want Amounts
		code fault.Code
	}{
		{name: "units carry their share of discount and tax", b: two, a: Ask{Lines: []AskLine{{"a", 2}}},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "a", Quantity: 2, Amount: 1900}}, Goods: 1900, Total: 1900}},
		{name: "whole shipping, less a restocking fee", b: two, a: Ask{Lines: []AskLine{{"b", 1}}, FullShipping: true, RestockingFee: 150},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "b", Quantity: 1, Amount: 950}}, Goods: 950, Shipping: 500, RestockingFee: 150, Total: 1300}},
		{name: "part of the shipping", b: two, a: Ask{Lines: []AskLine{{"b", 1}}, ShippingAmount: 200},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "b", Quantity: 1, Amount: 950}}, Goods: 950, Shipping: 200, Total: 1150}},
		{name: "everything is exactly what was paid", b: two, a: Ask{Lines: []AskLine{{"a", 3}, {"b", 1}}, FullShipping: true},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "a", Quantity: 3, Amount: 2850}, {OrderLineID: "b", Quantity: 1, Amount: 950}},
				Goods: 3800, Shipping: 500, Total: 4300}},
		{name: "a goodwill amount without lines", b: two, a: Ask{Extra: 250}, want: Amounts{Extra: 250, Total: 250}},
		{name: "rounding: one unit", b: odd, a: Ask{Lines: []AskLine{{"a", 1}}},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "a", Quantity: 1, Amount: 966}}, Goods: 966, Total: 966}},
		{name: "rounding: the last units take the rest", b: with(odd, func(b *Basis) { b.Lines[0].Settled, b.Lines[0].SettledAmount = 1, 966; b.Refunded = 966 }),
			a:    Ask{Lines: []AskLine{{"a", 2}}},
			want: Amounts{Lines: []schema.RefundLine{{OrderLineID: "a", Quantity: 2, Amount: 1934}}, Goods: 1934, Total: 1934}},
		{name: "units already settled", b: with(two, func(b *Basis) { b.Lines[1].Settled = 1 }), a: Ask{Lines: []AskLine{{"b", 1}}}, code: fault.Conflict},
		{name: "more units than the line has", b: two, a: Ask{Lines: []AskLine{{"a", 4}}}, code: fault.Conflict},
		{name: "over-refund of what was paid", b: with(two, func(b *Basis) { b.Refunded = 3500 }), a: Ask{Lines: []AskLine{{"a", 1}}}, code: fault.Conflict},
		{name: "credit applied to an exchange is not refundable", b: with(two, func(b *Basis) { b.Credited = 4000 }), a: Ask{Extra: 301}, code: fault.Conflict},
		{name: "credit leaves the rest refundable", b: with(two, func(b *Basis) { b.Credited = 4000 }), a: Ask{Extra: 300}, want: Amounts{Extra: 300, Total: 300}},
		{name: "unpaid order", b: with(two, func(b *Basis) { b.Paid = 0 }), a: Ask{Lines: []AskLine{{"a", 1}}}, code: fault.Conflict},
		{name: "shipping beyond what is left", b: with(two, func(b *Basis) { b.ShippingRefunded = 400 }), a: Ask{ShippingAmount: 101}, code: fault.Conflict},
		{name: "shipping refunded already", b: with(two, func(b *Basis) { b.ShippingRefunded = 500 }), a: Ask{FullShipping: true}, code: fault.Conflict},
		{name: "whole and part of the shipping", b: two, a: Ask{FullShipping: true, ShippingAmount: 1}, code: fault.InvalidArgument},
		{name: "fee beyond the lines", b: two, a: Ask{Lines: []AskLine{{"b", 1}}, FullShipping: true, RestockingFee: 951}, code: fault.InvalidArgument},
		{name: "negative fee", b: two, a: Ask{Lines: []AskLine{{"b", 1}}, RestockingFee: -1}, code: fault.InvalidArgument},
		{name: "nothing asked", b: two, a: Ask{}, code: fault.InvalidArgument},
		{name: "fee eats the whole refund", b: two, a: Ask{Lines: []AskLine{{"b", 1}}, RestockingFee: 950}, code: fault.InvalidArgument},
		{name: "a line of another order", b: two, a: Ask{Lines: []AskLine{{"z", 1}}}, code: fault.InvalidArgument},
		{name: "a line twice", b: two, a: Ask{Lines: []AskLine{{"a", 1}, {"a", 1}}}, code: fault.InvalidArgument},
		{name: "zero units", b: two, a: Ask{Lines: []AskLine{{"a", 0}}}, code: fault.InvalidArgument},
		{name: "overflow is refused, not wrapped", b: Basis{Paid: math.MaxInt64, Lines: []BasisLine{{ID: "a", UnitPrice: math.MaxInt64 / 2, Quantity: 3}}},
			a: Ask{Lines: []AskLine{{"a", 1}}}, code: fault.InvalidArgument},
		{name: "extra amounts overflow", b: Basis{Paid: math.MaxInt64, Shipping: math.MaxInt64, Lines: []BasisLine{{ID: "a", UnitPrice: 1, Quantity: 1}}},
			a: Ask{FullShipping: true, Extra: 1}, code: fault.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decide(tc.b, tc.a)
			if tc.code != "" {
				var f *fault.Error
				require.True(t, errors.As(err, &f), "want %s, got %v", tc.code, err)
				require.Equal(t, tc.code, f.Code, err.Error())
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// Refunding a line unit by unit adds up to exactly its value, whatever the discount's rounding.
func TestDecidePartsAddUp(t *testing.T) {
	for _, discount := range []int64{0, 1, 7, 99, 1000, 2999} {
		b := Basis{Discount: discount, Tax: 13, Paid: 1 << 40, Lines: []BasisLine{{ID: "a", UnitPrice: 1000, Quantity: 7}, {ID: "b", UnitPrice: 333, Quantity: 2}}}
		whole, err := Decide(b, Ask{Lines: []AskLine{{"a", 7}}})
		require.NoError(t, err)
		var sum int64
		for range 7 {
			got, err := Decide(b, Ask{Lines: []AskLine{{"a", 1}}})
			require.NoError(t, err)
			sum += got.Total
			b.Lines[0].Settled++
			b.Lines[0].SettledAmount += got.Total
			b.Refunded += got.Total
		}
		require.Equal(t, whole.Total, sum, "discount %d", discount)
	}
}
