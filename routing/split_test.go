package routing

import (
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/stretchr/testify/require"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		lines   []Line
		stock   Stock
		want    []string
		outcome Outcome
	}{
		{"one location preferred over a cheaper-looking split", 3,
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 1)},
			stock("TEE", "BKK", 1, "CAP", "BKK2", 1, "TEE", "CNX", 1, "CAP", "CNX", 1),
			[]string{"CNX"}, OutcomeAllocate},
		{"cheapest single location among several", 1,
			[]Line{plainLine("1", "TEE", 1)},
			stock("TEE", "HKT", 1, "TEE", "BKK2", 1, "TEE", "CNX", 1),
			[]string{"BKK2"}, OutcomeAllocate},
		{"one line's quantity split across two", 2,
			[]Line{plainLine("1", "TEE", 5)},
			stock("TEE", "BKK", 3, "TEE", "CNX", 2),
			[]string{"BKK", "CNX"}, OutcomeAllocate},
		{"three shipments when allowed", 3,
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 1), plainLine("3", "MUG", 1)},
			stock("TEE", "BKK", 1, "CAP", "CNX", 1, "MUG", "HKT", 1),
			[]string{"BKK", "CNX", "HKT"}, OutcomeAllocate},
		{"split limit: the best two of three, rest backordered", 2,
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 3), plainLine("3", "MUG", 1)},
			stock("TEE", "BKK", 1, "CAP", "CNX", 3, "MUG", "HKT", 1),
			[]string{"BKK", "CNX"}, OutcomePartial},
		{"the only two-shipment plan that covers", 2,
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 1), plainLine("3", "MUG", 1)},
			stock("TEE", "BKK", 1, "CAP", "BKK", 1, "MUG", "HKT", 1, "TEE", "CNX", 1),
			[]string{"BKK", "HKT"}, OutcomeAllocate},
		{"fewest shipments beats cheapest", 3,
			// three same-city parcels (3 × 3500) would cost less than CNX + HKT (2 × 5500), but two shipments win
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 1), plainLine("3", "MUG", 1)},
			stock("TEE", "BKK", 1, "CAP", "BKK2", 1, "MUG", "BKK3", 1, "TEE", "CNX", 1, "CAP", "CNX", 1, "MUG", "HKT", 1),
			[]string{"BKK3", "CNX"}, OutcomeAllocate}, // CNX + BKK3: two parcels, the cheaper pair
		{"cheapest among plans of the same size", 2,
			[]Line{plainLine("1", "TEE", 1), plainLine("2", "CAP", 1)},
			stock("TEE", "BKK", 1, "TEE", "CNX", 1, "CAP", "HKT", 1, "CAP", "BKK2", 1),
			[]string{"BKK", "BKK2"}, OutcomeAllocate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			p.MaxShipments = tt.max
			locs := []Location{bkkWH(), bkk2WH(), warehouse("BKK3", 13.8, 100.55, "TH", "Bangkok", "Bangkok"), cnxWH(), hktWH()}
			d := Route(Input{Order: bangkokOrder(tt.lines...), Locations: locs, Stock: tt.stock, Policy: p, Now: now})
			var want []pulid.ID
			for _, c := range tt.want {
				want = append(want, locID(c))
			}
			require.ElementsMatch(t, want, locations(d))
			require.Equal(t, tt.outcome, d.Outcome)
			require.LessOrEqual(t, len(d.Shipments), tt.max)
			require.Equal(t, len(d.Shipments), d.Trace.Plan.Shipments)
			require.NotEmpty(t, d.Trace.Plan.Why)
		})
	}
}

func bundleLine(qty int64) Line {
	return Line{ID: lineID("KIT"), VariantID: varID("KIT"), SKU: "KIT", Quantity: qty, Components: []Component{
		{VariantID: varID("SHAMPOO"), Quantity: 1, WeightGrams: 400},
		{VariantID: varID("COMB"), Quantity: 2, WeightGrams: 50},
	}}
}

func TestBundles(t *testing.T) {
	locs := []Location{bkkWH(), cnxWH()}
	split := stock("SHAMPOO", "BKK", 10, "COMB", "CNX", 10)

	t.Run("ships as its components from one location", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(bundleLine(2)), Locations: locs,
			Stock: stock("SHAMPOO", "CNX", 2, "COMB", "CNX", 4, "SHAMPOO", "BKK", 5), Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeAllocate, d.Outcome)
		require.Equal(t, []pulid.ID{locID("CNX")}, locations(d))
		require.Equal(t, []Item{
			{LineID: lineID("KIT"), VariantID: varID("SHAMPOO"), Quantity: 2, Bundle: true},
			{LineID: lineID("KIT"), VariantID: varID("COMB"), Quantity: 4, Bundle: true},
		}, d.Shipments[0].Items)
		require.Equal(t, 2*(400+2*50), d.Shipments[0].WeightGrams)
	})
	t.Run("together: components apart means backorder", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(bundleLine(1)), Locations: locs, Stock: split, Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeBackorder, d.Outcome)
		require.Equal(t, []Shortfall{
			{LineID: lineID("KIT"), VariantID: varID("SHAMPOO"), Quantity: 1, Reason: ShortNoStock},
			{LineID: lineID("KIT"), VariantID: varID("COMB"), Quantity: 2, Reason: ShortNoStock},
		}, d.Backordered)
	})
	t.Run("together: not enough of one component anywhere", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(bundleLine(2)), Locations: locs,
			Stock: stock("SHAMPOO", "BKK", 2, "COMB", "BKK", 3), Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeBackorder, d.Outcome, "a bundle line is all or nothing")
	})
	t.Run("split allowed: components from two locations", func(t *testing.T) {
		p := DefaultPolicy()
		p.SplitBundles = true
		d := Route(Input{Order: bangkokOrder(bundleLine(1)), Locations: locs, Stock: split, Policy: p, Now: now})
		require.Equal(t, OutcomeAllocate, d.Outcome)
		require.Equal(t, []pulid.ID{locID("BKK"), locID("CNX")}, locations(d))
		require.Equal(t, []Item{{LineID: lineID("KIT"), VariantID: varID("SHAMPOO"), Quantity: 1, Bundle: true}}, d.Shipments[0].Items)
		require.Equal(t, []Item{{LineID: lineID("KIT"), VariantID: varID("COMB"), Quantity: 2, Bundle: true}}, d.Shipments[1].Items)
	})
	t.Run("a component shared with a plain line draws on the same stock", func(t *testing.T) {
		o := bangkokOrder(bundleLine(1), plainLine("1", "COMB", 1))
		d := Route(Input{Order: o, Locations: locs, Stock: stock("SHAMPOO", "BKK", 1, "COMB", "BKK", 2, "COMB", "CNX", 1),
			Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeAllocate, d.Outcome)
		require.Equal(t, []pulid.ID{locID("BKK"), locID("CNX")}, locations(d), "the kit takes BKK's combs, the loose comb comes from CNX")
	})
}

func TestPreOrder(t *testing.T) {
	release := now.Add(72 * time.Hour)
	pre := plainLine("PRE", "CONSOLE", 1)
	pre.ReleaseAt = &release
	locs := []Location{bkkWH()}

	t.Run("held even with stock", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(pre), Locations: locs, Stock: stock("CONSOLE", "BKK", 9), Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeHold, d.Outcome)
		require.Empty(t, d.Shipments)
		require.Equal(t, []Hold{{LineID: lineID("PRE"), VariantID: varID("CONSOLE"), Quantity: 1, ReleaseAt: release}}, d.Held)
		require.True(t, d.Trace.Lines[0].Held)
	})
	t.Run("held without stock", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(pre), Locations: locs, Stock: Stock{}, Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeHold, d.Outcome)
		require.Empty(t, d.Backordered)
	})
	t.Run("the rest of the order ships", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(pre, plainLine("1", "TEE", 1)), Locations: locs,
			Stock: stock("TEE", "BKK", 1, "CONSOLE", "BKK", 1), Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeHold, d.Outcome)
		require.Equal(t, []Item{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 1}}, d.Shipments[0].Items)
		require.Len(t, d.Held, 1)
	})
	t.Run("released once its time has come", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(pre), Locations: locs, Stock: stock("CONSOLE", "BKK", 1), Policy: DefaultPolicy(), Now: release})
		require.Equal(t, OutcomeAllocate, d.Outcome)
		require.Empty(t, d.Held)
	})
	t.Run("a pre-order bundle is held as its components", func(t *testing.T) {
		kit := bundleLine(2)
		kit.ReleaseAt = &release
		d := Route(Input{Order: bangkokOrder(kit), Locations: locs, Stock: Stock{}, Policy: DefaultPolicy(), Now: now})
		require.Equal(t, []Hold{
			{LineID: lineID("KIT"), VariantID: varID("SHAMPOO"), Quantity: 2, ReleaseAt: release},
			{LineID: lineID("KIT"), VariantID: varID("COMB"), Quantity: 4, ReleaseAt: release},
		}, d.Held)
	})
}

func TestBackorderModes(t *testing.T) {
	locs := []Location{bkkWH(), cnxWH()}
	o := bangkokOrder(plainLine("1", "TEE", 5), plainLine("2", "CAP", 1))
	st := stock("TEE", "BKK", 3, "CAP", "BKK", 1, "TEE", "CNX", 1)
	route := func(mode BackorderMode, max int) Decision {
		p := DefaultPolicy()
		p.Backorder, p.MaxShipments = mode, max
		return Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
	}

	t.Run("partial", func(t *testing.T) {
		d := route(BackorderPartial, 2)
		require.Equal(t, OutcomePartial, d.Outcome)
		require.Equal(t, int64(4), d.Allocated(lineID("1"), varID("TEE")))
		require.Equal(t, int64(1), d.Allocated(lineID("2"), varID("CAP")))
		require.Equal(t, []Shortfall{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 1, Reason: ShortNoStock}}, d.Backordered)
	})
	t.Run("partial within the split limit says so", func(t *testing.T) {
		d := route(BackorderPartial, 1)
		require.Equal(t, OutcomePartial, d.Outcome)
		require.Equal(t, []pulid.ID{locID("BKK")}, locations(d))
		require.Equal(t, []Shortfall{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 2, Reason: ShortNoStock}}, d.Backordered)
	})
	t.Run("whole", func(t *testing.T) {
		d := route(BackorderWhole, 2)
		require.Equal(t, OutcomeBackorder, d.Outcome)
		require.Empty(t, d.Shipments)
		require.Equal(t, []Shortfall{
			{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 5, Reason: ShortWhole},
			{LineID: lineID("2"), VariantID: varID("CAP"), Quantity: 1, Reason: ShortWhole},
		}, d.Backordered)
	})
	t.Run("review", func(t *testing.T) {
		d := route(BackorderReview, 2)
		require.Equal(t, OutcomeReview, d.Outcome)
		require.Empty(t, d.Shipments)
		require.Contains(t, d.ReviewReason, "cannot serve all 6 units within 2 shipment(s)")
		require.Equal(t, int64(0), d.Cost)
	})
	t.Run("split limit reason when the network has it", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(plainLine("1", "TEE", 4)), Locations: locs,
			Stock: stock("TEE", "BKK", 2, "TEE", "CNX", 2), Policy: Policy{MaxShipments: 1}, Now: now})
		require.Equal(t, OutcomePartial, d.Outcome)
		require.Equal(t, ShortSplitLimit, d.Backordered[0].Reason)
	})
	t.Run("nothing anywhere", func(t *testing.T) {
		d := Route(Input{Order: o, Locations: locs, Stock: Stock{}, Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeBackorder, d.Outcome)
		require.Contains(t, d.Trace.Plan.Why, "no eligible location has stock")
	})
	t.Run("no units at all goes to review", func(t *testing.T) {
		d := Route(Input{Order: bangkokOrder(plainLine("1", "TEE", 0)), Locations: locs, Stock: st, Policy: DefaultPolicy(), Now: now})
		require.Equal(t, OutcomeReview, d.Outcome)
	})
}
