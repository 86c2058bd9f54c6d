package routing

import (
	"testing"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/stretchr/testify/require"
)

// Each filter: the BKK warehouse fails it and BKK2 (a little further, same city) takes the order.
func TestFilters(t *testing.T) {
	shopee, lazada := pulid.ID("chn_SHOPEE"), pulid.ID("chn_LAZADA")
	tests := []struct {
		name   string
		edit   func(o *Order, p *Policy, bkk *Location)
		reason Reason
	}{
		{"inactive", func(_ *Order, _ *Policy, l *Location) { l.Active = false }, ReasonInactive},
		{"excluded after a rejection", func(o *Order, _ *Policy, l *Location) { o.Exclude = []pulid.ID{l.ID} }, ReasonExcluded},
		{"does not serve the channel", func(o *Order, _ *Policy, l *Location) { o.ChannelID = &shopee; l.Channels = []pulid.ID{lazada} }, ReasonChannel},
		{"no cash on delivery", func(o *Order, _ *Policy, l *Location) { o.COD = true; l.AcceptsCOD = false }, ReasonCOD},
		{"does not ship to the country", func(_ *Order, _ *Policy, l *Location) { l.ShipsTo = []string{"MY"} }, ReasonDestination},
		{"own country only by default", func(_ *Order, _ *Policy, l *Location) { l.CountryCode = "VN" }, ReasonDestination},
		{"daily capacity used up", func(_ *Order, _ *Policy, l *Location) { l.DailyCapacity, l.Workload = 100, 100 }, ReasonCapacity},
		{"store while ship-from-store is off", func(_ *Order, _ *Policy, l *Location) { l.Kind = KindStore }, ReasonKindPolicy},
		{"drop-ship supplier while drop-ship is off", func(_ *Order, _ *Policy, l *Location) {
			l.Kind = KindDropShipSupplier
			l.SupplierOf = []pulid.ID{varID("TEE")}
		}, ReasonKindPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := bangkokOrder(plainLine("1", "TEE", 1))
			p := DefaultPolicy()
			bkk, bkk2 := bkkWH(), bkk2WH()
			bkk2.AcceptsCOD = true
			bkk.AcceptsCOD = true
			st := stock("TEE", "BKK", 10, "TEE", "BKK2", 10)
			before := Route(Input{Order: o, Locations: []Location{bkk, bkk2}, Stock: st, Policy: p, Now: now})
			require.Equal(t, []pulid.ID{locID("BKK")}, locations(before), "BKK wins when it passes")

			tt.edit(&o, &p, &bkk)
			d := Route(Input{Order: o, Locations: []Location{bkk, bkk2}, Stock: st, Policy: p, Now: now})
			require.Equal(t, tt.reason, rejected(d, bkk.ID))
			require.Equal(t, []pulid.ID{locID("BKK2")}, locations(d))
			require.Equal(t, OutcomeAllocate, d.Outcome)
		})
	}
}

func TestFilterPasses(t *testing.T) {
	shopee := pulid.ID("chn_SHOPEE")
	tests := []struct {
		name string
		edit func(o *Order, p *Policy, l *Location)
	}{
		{"serves every channel when it lists none", func(o *Order, _ *Policy, _ *Location) { o.ChannelID = &shopee }},
		{"serves a listed channel", func(o *Order, _ *Policy, l *Location) { o.ChannelID = &shopee; l.Channels = []pulid.ID{shopee} }},
		{"accepts COD", func(o *Order, _ *Policy, l *Location) { o.COD = true; l.AcceptsCOD = true }},
		{"ships abroad when listed", func(_ *Order, _ *Policy, l *Location) { l.CountryCode = "MY"; l.ShipsTo = []string{"my", "th"} }},
		{"capacity left", func(_ *Order, _ *Policy, l *Location) { l.DailyCapacity, l.Workload = 100, 99 }},
		{"store with ship-from-store on", func(_ *Order, p *Policy, l *Location) { l.Kind = KindStore; p.ShipFromStore = true }},
		{"3PL always", func(_ *Order, _ *Policy, l *Location) { l.Kind = KindThirdPartyLogistics }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := bangkokOrder(plainLine("1", "TEE", 1))
			p := DefaultPolicy()
			l := bkkWH()
			tt.edit(&o, &p, &l)
			d := Route(Input{Order: o, Locations: []Location{l}, Stock: stock("TEE", "BKK", 1), Policy: p, Now: now})
			require.Empty(t, d.Trace.Rejected)
			require.Equal(t, []pulid.ID{l.ID}, locations(d))
		})
	}
}

func TestNoStockFilter(t *testing.T) {
	o := bangkokOrder(plainLine("1", "TEE", 1))
	st := stock("TEE", "BKK", 0, "TEE", "BKK2", 1)
	d := Route(Input{Order: o, Locations: []Location{bkkWH(), bkk2WH()}, Stock: st, Policy: DefaultPolicy(), Now: now})
	require.Equal(t, []pulid.ID{locID("BKK2")}, locations(d))
	require.Equal(t, ReasonNoStock, lineRejected(d, lineID("1"), locID("BKK")))
	require.Len(t, d.Trace.Lines[0].Candidates, 1)

	// negative availability (oversold) counts as none
	st = stock("TEE", "BKK", -3)
	d = Route(Input{Order: o, Locations: []Location{bkkWH()}, Stock: st, Policy: DefaultPolicy(), Now: now})
	require.Equal(t, OutcomeBackorder, d.Outcome)
	require.Equal(t, []Shortfall{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 1, Reason: ShortNoStock}}, d.Backordered)
}

func TestDropShipSupplierOnlyForItsVariants(t *testing.T) {
	sup := Location{ID: locID("SUP"), Code: "SUP", Kind: KindDropShipSupplier, Active: true, CountryCode: "TH", City: "Bangkok",
		SupplierOf: []pulid.ID{varID("MUG")}}
	o := bangkokOrder(plainLine("1", "TEE", 1), plainLine("2", "MUG", 1))
	st := stock("TEE", "BKK", 5, "MUG", "SUP", 50, "TEE", "SUP", 50)
	p := DefaultPolicy()
	p.DropShip = true
	d := Route(Input{Order: o, Locations: []Location{bkkWH(), sup}, Stock: st, Policy: p, Now: now})

	require.Equal(t, OutcomeAllocate, d.Outcome)
	require.Equal(t, []pulid.ID{locID("BKK"), locID("SUP")}, locations(d))
	require.Equal(t, []Item{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 1}}, d.Shipments[0].Items)
	require.Equal(t, []Item{{LineID: lineID("2"), VariantID: varID("MUG"), Quantity: 1}}, d.Shipments[1].Items)
	require.Equal(t, ReasonDropShipSKU, lineRejected(d, lineID("1"), locID("SUP")), "stock of TEE at the supplier is not its to ship")

	// drop-ship off: the mug is backordered
	p.DropShip = false
	d = Route(Input{Order: o, Locations: []Location{bkkWH(), sup}, Stock: st, Policy: p, Now: now})
	require.Equal(t, ReasonKindPolicy, rejected(d, locID("SUP")))
	require.Equal(t, OutcomePartial, d.Outcome)
	require.Equal(t, []Shortfall{{LineID: lineID("2"), VariantID: varID("MUG"), Quantity: 1, Reason: ShortNoStock}}, d.Backordered)
}

func TestShipFromStore(t *testing.T) {
	store := Location{ID: locID("STORE"), Code: "STORE", Kind: KindStore, Active: true, Lat: fp(13.7466), Lng: fp(100.5393),
		CountryCode: "TH", Region: "Bangkok", City: "Bangkok"}
	o := bangkokOrder(plainLine("1", "TEE", 1))
	st := stock("TEE", "STORE", 3, "TEE", "CNX", 3)

	on := DefaultPolicy()
	on.ShipFromStore = true
	d := Route(Input{Order: o, Locations: []Location{store, cnxWH()}, Stock: st, Policy: on, Now: now})
	require.Equal(t, []pulid.ID{store.ID}, locations(d), "the store next door ships when allowed")

	d = Route(Input{Order: o, Locations: []Location{store, cnxWH()}, Stock: st, Policy: DefaultPolicy(), Now: now})
	require.Equal(t, []pulid.ID{locID("CNX")}, locations(d), "ship-from-store off: the far warehouse ships")
	require.Equal(t, ReasonKindPolicy, rejected(d, store.ID))
}

func TestCODOnlyFromLocationsThatAcceptIt(t *testing.T) {
	bkk, cnx := bkkWH(), cnxWH()
	cnx.AcceptsCOD = true
	o := bangkokOrder(plainLine("1", "TEE", 1))
	o.COD = true
	st := stock("TEE", "BKK", 3, "TEE", "CNX", 3)
	d := Route(Input{Order: o, Locations: []Location{bkk, cnx}, Stock: st, Policy: DefaultPolicy(), Now: now})
	require.Equal(t, []pulid.ID{cnx.ID}, locations(d))
	require.Equal(t, ReasonCOD, rejected(d, bkk.ID))

	cnx.AcceptsCOD = false
	d = Route(Input{Order: o, Locations: []Location{bkk, cnx}, Stock: st, Policy: DefaultPolicy(), Now: now})
	require.Equal(t, OutcomeBackorder, d.Outcome)
	require.Len(t, d.Trace.Rejected, 2)
}

// A shortfall says why: NO_STOCK when no location has the units, CAPACITY when locations that have
// them were dropped for being at their daily capacity (the order is refused for capacity, not for
// stock), SPLIT_LIMIT when the eligible ones have them but not within the shipment limit.
func TestShortfallReason(t *testing.T) {
	full := func(l *Location) { l.DailyCapacity, l.Workload = 50, 50 }
	tests := []struct {
		name    string
		qty     int64
		bkk     int // stock at BKK
		bkk2    int // stock at BKK2
		edit    func(bkk, bkk2 *Location)
		reasons []string // per backordered need, in order
	}{
		{"no location has it", 5, 0, 0, nil, []string{ShortNoStock}},
		{"the one stocked location is at capacity", 5, 10, 0, func(bkk, _ *Location) { full(bkk) }, []string{ShortCapacity}},
		{"every location is at capacity", 5, 3, 3, func(bkk, bkk2 *Location) { full(bkk); full(bkk2) }, []string{ShortCapacity}},
		{"stock at capacity makes up the eligible shortfall", 5, 3, 2, func(bkk, _ *Location) { full(bkk) }, []string{ShortCapacity}},
		{"not enough even counting locations at capacity", 5, 2, 1, func(bkk, _ *Location) { full(bkk) }, []string{ShortNoStock}},
		{"a location dropped for another reason is no excuse", 5, 10, 0, func(bkk, _ *Location) { bkk.Active = false }, []string{ShortNoStock}},
		{"capacity left: allocated, nothing short", 5, 10, 0, func(bkk, _ *Location) { bkk.DailyCapacity, bkk.Workload = 50, 49 }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := bangkokOrder(plainLine("1", "TEE", tt.qty))
			bkk, bkk2 := bkkWH(), bkk2WH()
			if tt.edit != nil {
				tt.edit(&bkk, &bkk2)
			}
			st := stock("TEE", "BKK", tt.bkk, "TEE", "BKK2", tt.bkk2)
			d := Route(Input{Order: o, Locations: []Location{bkk, bkk2}, Stock: st, Policy: DefaultPolicy(), Now: now})
			var reasons []string
			for _, sf := range d.Backordered {
				reasons = append(reasons, sf.Reason)
			}
			require.Equal(t, tt.reasons, reasons)
		})
	}
}
