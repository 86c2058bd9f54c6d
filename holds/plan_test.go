package holds

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
)

func TestPlan(t *testing.T) {
	const (
		a, b     = pulid.ID("loc_A"), pulid.ID("loc_B")
		tee, cap = pulid.ID("var_TEE"), pulid.ID("var_CAP")
	)
	teeLine := func(q int64) want {
		return want{SKU: "TEE", Quantity: q, Parts: []part{{VariantID: tee, SKU: "TEE", Per: 1}}}
	}
	capLine := func(q int64) want {
		return want{SKU: "CAP", Quantity: q, Parts: []part{{VariantID: cap, SKU: "CAP", Per: 1}}}
	}
	kit := func(q int64) want {
		return want{SKU: "KIT", Quantity: q, Parts: []part{{VariantID: tee, SKU: "TEE", Per: 1}, {VariantID: cap, SKU: "CAP", Per: 2}}}
	}
	for _, tc := range []struct {
		name      string
		wants     []want
		locations []pulid.ID
		stock     stock
		needs     []inventory.HoldNeed
		short     []string
	}{
		{name: "the first location that has it", wants: []want{teeLine(3)}, locations: []pulid.ID{a, b},
			stock: stock{tee: {a: 5, b: 9}}, needs: []inventory.HoldNeed{{VariantID: tee, SKU: "TEE", Quantity: 3, LocationID: a}}},
		{name: "preference order, not stock order", wants: []want{teeLine(3)}, locations: []pulid.ID{b, a},
			stock: stock{tee: {a: 5, b: 9}}, needs: []inventory.HoldNeed{{VariantID: tee, SKU: "TEE", Quantity: 3, LocationID: b}}},
		{name: "a line split over locations", wants: []want{teeLine(7)}, locations: []pulid.ID{a, b},
			stock: stock{tee: {a: 5, b: 9}}, needs: []inventory.HoldNeed{
				{VariantID: tee, SKU: "TEE", Quantity: 5, LocationID: a}, {VariantID: tee, SKU: "TEE", Quantity: 2, LocationID: b}}},
		{name: "two lines of one SKU share its stock", wants: []want{teeLine(4), teeLine(4)}, locations: []pulid.ID{a},
			stock: stock{tee: {a: 5}}, short: []string{"TEE"}},
		{name: "a location not offered is not used", wants: []want{teeLine(2)}, locations: []pulid.ID{a},
			stock: stock{tee: {b: 9}}, short: []string{"TEE"}},
		{name: "every short SKU is named", wants: []want{teeLine(6), capLine(1)}, locations: []pulid.ID{a, b},
			stock: stock{tee: {a: 5}}, short: []string{"CAP", "TEE"}},
		{name: "a bundle is held whole at one location", wants: []want{kit(2)}, locations: []pulid.ID{a, b},
			stock: stock{tee: {a: 2, b: 2}, cap: {a: 3, b: 4}}, needs: []inventory.HoldNeed{
				{VariantID: tee, SKU: "TEE", Quantity: 2, LocationID: b}, {VariantID: cap, SKU: "CAP", Quantity: 4, LocationID: b}}},
		{name: "a bundle is not split over locations", wants: []want{kit(2)}, locations: []pulid.ID{a, b},
			stock: stock{tee: {a: 1, b: 1}, cap: {a: 4, b: 4}}, short: []string{"KIT"}},
		{name: "a bundle's components count against the plain line after it", wants: []want{kit(1), teeLine(2)}, locations: []pulid.ID{a},
			stock: stock{tee: {a: 2}, cap: {a: 2}}, short: []string{"TEE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			needs, short := plan(tc.wants, tc.locations, tc.stock)
			require.Equal(t, tc.short, short)
			if tc.short == nil {
				require.Equal(t, tc.needs, needs)
			}
		})
	}
}

func TestHoldInputValidate(t *testing.T) {
	ok := HoldInput{Cart: "c1", Lines: []Line{{SKU: "TEE", Quantity: 1}}}
	require.NoError(t, ok.Validate())
	bad := []func(*HoldInput){
		func(in *HoldInput) { in.Cart = " " },
		func(in *HoldInput) { in.Lines = nil },
		func(in *HoldInput) { in.Lines = []Line{{SKU: "TEE", Quantity: 0}} },
		func(in *HoldInput) { in.Lines = []Line{{SKU: "", Quantity: 1}} },
		func(in *HoldInput) { in.Lines = []Line{{SKU: "TEE", Quantity: MaxQuantity + 1}} },
		func(in *HoldInput) { in.TTL = MinTTL - 1 },
		func(in *HoldInput) { in.TTL = MaxTTL + 1 },
		func(in *HoldInput) { id := pulid.ID("loc_1"); in.ChannelID = &id },
	}
	for i, mutate := range bad {
		in := ok
		mutate(&in)
		require.Error(t, in.Validate(), "case %d", i)
	}
}
