package shipping

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/packing"
)

func defaultCard(t *testing.T) RateCard {
	t.Helper()
	cards := DefaultRateCards()
	require.Len(t, cards, 1)
	return cards[0]
}

func TestQuote(t *testing.T) {
	c := defaultCard(t)
	tests := []struct {
		name     string
		zone     Zone
		m        Measure
		amount   int64
		billable int
		err      error
	}{
		{"nothing weighs the first band", SameCity, Measure{}, 3500, 0, nil},
		{"the band's bound is inside it", SameCity, Measure{WeightGrams: 500}, 3500, 500, nil},
		{"a gram more is the next band", SameCity, Measure{WeightGrams: 501}, 4000, 501, nil},
		{"the last band", SameCountry, Measure{WeightGrams: 20000}, 25000, 20000, nil},
		{"extra per started kg past it", SameCountry, Measure{WeightGrams: 21001}, 25000 + 2*900, 21001, nil},
		// 350×250×150 mm is 13,125 cm³: 2,625 g at 5,000 cm³/kg, heavier than its 600 g.
		{"a light bulky parcel bills its volume", SameCity, Measure{WeightGrams: 600, LengthMM: 350, WidthMM: 250, HeightMM: 150}, 7000, 2625, nil},
		{"a dense parcel bills its weight", SameCity, Measure{WeightGrams: 4000, LengthMM: 350, WidthMM: 250, HeightMM: 150}, 7000, 4000, nil},
		{"a missing side: no dimensional weight", SameCity, Measure{WeightGrams: 600, LengthMM: 350, WidthMM: 250}, 4000, 600, nil},
		{"dimensional weight rounds up", SameCity, Measure{WeightGrams: 1, LengthMM: 1, WidthMM: 1, HeightMM: 5001}, 3500, 2, nil},
		{"an unknown zone has no rate", "MOON", Measure{WeightGrams: 700}, 0, 700, ErrNoRate},
		{"past the limit of any card", International, Measure{WeightGrams: MaxBillableGrams + 1}, 0, MaxBillableGrams + 1, ErrTooHeavy},
		{"huge sides never overflow", International, Measure{WeightGrams: 1, LengthMM: math.MaxInt, WidthMM: math.MaxInt, HeightMM: math.MaxInt}, 0, MaxBillableGrams + 1, ErrTooHeavy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			amount, billable, err := c.Quote(tt.zone, tt.m)
			require.ErrorIs(t, err, tt.err)
			require.Equal(t, tt.amount, amount)
			require.Equal(t, tt.billable, billable)
		})
	}

	_, _, err := c.Quote(SameCity, Measure{WeightGrams: -1})
	require.Error(t, err, "a negative weight")
	_, _, err = c.Quote(SameCity, Measure{WeightGrams: 1, HeightMM: -1})
	require.Error(t, err, "a negative side")

	noExtra := c
	noExtra.Extra = nil
	_, _, err = noExtra.Quote(SameCity, Measure{WeightGrams: 20001})
	require.ErrorIs(t, err, ErrTooHeavy)

	flat := c
	flat.DimDivisor = 0
	amount, billable, err := flat.Quote(SameCity, Measure{WeightGrams: 600, LengthMM: 350, WidthMM: 250, HeightMM: 150})
	require.NoError(t, err)
	require.Equal(t, int64(4000), amount, "no divisor: actual weight only")
	require.Equal(t, 600, billable)

	shuffled := c
	shuffled.Bands = append([]RateBand(nil), c.Bands...)
	for i, j := 0, len(shuffled.Bands)-1; i < j; i, j = i+1, j-1 {
		shuffled.Bands[i], shuffled.Bands[j] = shuffled.Bands[j], shuffled.Bands[i]
	}
	for _, g := range []int{0, 500, 501, 4999, 19999, 20000, 25000} {
		for _, z := range Zones() {
			want, _, _ := c.Quote(z, Measure{WeightGrams: g})
			got, _, err := shuffled.Quote(z, Measure{WeightGrams: g})
			require.NoError(t, err)
			require.Equal(t, want, got, "bands in any order: %s %d g", z, g)
		}
	}
}

func TestValidate(t *testing.T) {
	c := defaultCard(t)
	require.NoError(t, c.Validate())
	for _, z := range Zones() {
		_, _, err := c.Quote(z, Measure{WeightGrams: 1000})
		require.NoError(t, err, "the default card serves %s", z)
	}

	raw, err := json.Marshal(c)
	require.NoError(t, err)
	var back RateCard
	require.NoError(t, json.Unmarshal(raw, &back))
	require.Equal(t, c, back, "a card survives its stored JSON")
	require.Contains(t, string(raw), `"dimDivisor":5000`)

	broken := map[string]func(*RateCard){
		"no carrier":          func(c *RateCard) { c.Carrier = "" },
		"no service":          func(c *RateCard) { c.Service = "" },
		"no currency":         func(c *RateCard) { c.Currency = "" },
		"negative divisor":    func(c *RateCard) { c.DimDivisor = -1 },
		"unknown zone":        func(c *RateCard) { c.Bands[0].Zone = "NEARBY" },
		"zero weight":         func(c *RateCard) { c.Bands[0].MaxGrams = 0 },
		"weight past limit":   func(c *RateCard) { c.Bands[5].MaxGrams = MaxBillableGrams + 1 },
		"negative amount":     func(c *RateCard) { c.Bands[0].Amount = -1 },
		"bands not ascending": func(c *RateCard) { c.Bands[1].MaxGrams = c.Bands[0].MaxGrams },
		"cheaper when heavier": func(c *RateCard) {
			c.Bands[1].Amount = c.Bands[0].Amount - 1
		},
		"extra without bands": func(c *RateCard) { c.Extra = append(c.Extra, RateExtra{Zone: "NEARBY", PerKg: 1}) },
		"two extras":          func(c *RateCard) { c.Extra = append(c.Extra, c.Extra[0]) },
		"negative extra":      func(c *RateCard) { c.Extra[0].PerKg = -1 },
		"extra overflows":     func(c *RateCard) { c.Extra[0].PerKg = math.MaxInt64 / 1000 },
	}
	for name, breakIt := range broken {
		t.Run(name, func(t *testing.T) {
			b := defaultCard(t)
			b.Bands = append([]RateBand(nil), b.Bands...)
			b.Extra = append([]RateExtra(nil), b.Extra...)
			breakIt(&b)
			require.Error(t, b.Validate())
		})
	}
}

func TestCheapest(t *testing.T) {
	slow := defaultCard(t)
	fast := defaultCard(t)
	fast.Carrier, fast.Service, fast.DimDivisor = "FAST", "EXPRESS", 0
	for i := range fast.Bands {
		fast.Bands[i].Amount += 100
	}
	bulky := Measure{WeightGrams: 600, LengthMM: 350, WidthMM: 250, HeightMM: 150}

	p, err := Cheapest([]RateCard{slow, fast}, SameCity, Measure{WeightGrams: 600})
	require.NoError(t, err)
	require.Equal(t, Price{Carrier: "DEFAULT", Service: "STANDARD", Currency: "THB", Amount: 4000, BillableGrams: 600}, p)

	p, err = Cheapest([]RateCard{slow, fast}, SameCity, bulky)
	require.NoError(t, err)
	require.Equal(t, Price{Carrier: "FAST", Service: "EXPRESS", Currency: "THB", Amount: 4100, BillableGrams: 600}, p, "no dimensional weight wins a bulky parcel")

	domestic := defaultCard(t)
	domestic.Bands = nil
	for _, b := range slow.Bands {
		if b.Zone != International {
			domestic.Bands = append(domestic.Bands, b)
		}
	}
	domestic.Extra = nil
	_, err = Cheapest([]RateCard{domestic}, International, bulky)
	require.ErrorIs(t, err, ErrNoRate)
	_, err = Cheapest(nil, SameCity, bulky)
	require.Error(t, err)

	usd := fast
	usd.Currency = "USD"
	_, err = Cheapest([]RateCard{slow, usd}, SameCity, bulky)
	require.Error(t, err, "amounts in two currencies do not compare")
}

func TestEstimatePlan(t *testing.T) {
	cards := DefaultRateCards()
	boxes := packing.DefaultBoxes()
	items := []packing.Item{
		{Ref: "l1", SKU: "PILLOW", Quantity: 1, WeightGrams: 500, LengthMM: 400, WidthMM: 300, HeightMM: 200},
		{Ref: "l2", SKU: "CASE", Quantity: 2, WeightGrams: 100, LengthMM: 160, WidthMM: 80, HeightMM: 10},
		{Ref: "l3", SKU: "SOFA", Quantity: 2, WeightGrams: 30000, LengthMM: 2000, WidthMM: 900, HeightMM: 800},
	}
	plan := packing.Pack(items, boxes)
	require.Len(t, plan.Parcels, 1, "the cases travel with the pillow")
	require.Equal(t, "L", plan.Parcels[0].Box)
	require.Len(t, plan.Unpackable, 1)

	e, err := EstimatePlan(cards, SameCity, plan, boxes, items)
	require.NoError(t, err)
	// The L box: 450×350×250 mm is 7,875 g dimensional; its 400 g tare and 700 g of goods weigh less.
	box, boxBillable, err := cards[0].Quote(SameCity, Measure{WeightGrams: 1100, LengthMM: 450, WidthMM: 350, HeightMM: 250})
	require.NoError(t, err)
	require.Equal(t, 7875, boxBillable)
	// A sofa: 1,440,000 cm³ is 288 kg dimensional.
	sofa, sofaBillable, err := cards[0].Quote(SameCity, Measure{WeightGrams: 30000, LengthMM: 2000, WidthMM: 900, HeightMM: 800})
	require.NoError(t, err)
	require.Equal(t, 288000, sofaBillable)
	require.Equal(t, Estimate{Parcels: 3, Amount: box + 2*sofa, BillableGrams: boxBillable + 2*sofaBillable}, e)

	domestic := cards[0]
	domestic.Extra = nil
	_, err = EstimatePlan([]RateCard{domestic}, SameCity, plan, boxes, items)
	require.ErrorIs(t, err, ErrTooHeavy, "a sofa past the last band without an extra")

	empty, err := EstimatePlan(cards, SameCity, packing.Plan{}, boxes, nil)
	require.NoError(t, err)
	require.Zero(t, empty)
}

func FuzzQuote(f *testing.F) {
	f.Add(500, 350, 250, 150, 5000, "SAME_CITY")
	f.Add(-1, 0, 0, 0, 0, "")
	f.Add(math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt, 1, "INTERNATIONAL")
	f.Fuzz(func(t *testing.T, grams, l, w, h, divisor int, zone string) {
		c := DefaultRateCards()[0]
		c.DimDivisor = divisor
		amount, billable, err := c.Quote(Zone(zone), Measure{WeightGrams: grams, LengthMM: l, WidthMM: w, HeightMM: h})
		if err != nil {
			require.Zero(t, amount)
			return
		}
		require.GreaterOrEqual(t, billable, grams, "billable weight is never below the actual one")
		require.GreaterOrEqual(t, amount, int64(0))
		if c.Validate() != nil {
			return
		}
		heavier, _, err := c.Quote(Zone(zone), Measure{WeightGrams: billable + 1000})
		if err == nil {
			require.GreaterOrEqual(t, heavier, amount, "a valid card never charges less for more")
		}
	})
}
