package dispatch

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/promise"
	"github.com/ordo-oms/ordo/routing"
	"github.com/ordo-oms/ordo/shipping"
)

// operatorPricing is a configured catalogue and two cards unlike the defaults: a courier dearer
// by weight but with a generous divisor, and a post cheaper for small parcels.
func operatorPricing() pricing {
	courier := shipping.RateCard{Carrier: "COURIER", Service: "NEXT_DAY", Currency: "THB", DimDivisor: 6000}
	post := shipping.RateCard{Carrier: "POST", Service: "REGISTERED", Currency: "THB", DimDivisor: 4000}
	for i, z := range shipping.Zones() {
		k := int64(i + 1)
		courier.Bands = append(courier.Bands, shipping.RateBand{Zone: z, MaxGrams: 3000, Amount: 7700 * k}, shipping.RateBand{Zone: z, MaxGrams: 30000, Amount: 19900 * k})
		post.Bands = append(post.Bands, shipping.RateBand{Zone: z, MaxGrams: 1000, Amount: 3100 * k}, shipping.RateBand{Zone: z, MaxGrams: 8000, Amount: 12300 * k})
	}
	boxes := []packing.Box{
		{Code: "ENVELOPE", LengthMM: 300, WidthMM: 220, HeightMM: 30, MaxWeightGrams: 1000, TareGrams: 20},
		{Code: "CUBE", LengthMM: 300, WidthMM: 300, HeightMM: 300, MaxWeightGrams: 8000, TareGrams: 300},
		{Code: "CRATE", LengthMM: 700, WidthMM: 500, HeightMM: 400, MaxWeightGrams: 25000, TareGrams: 1500},
	}
	return pricing{boxes: boxes, cards: []shipping.RateCard{courier, post}}
}

// TestRoutedCostAndPromiseAgree: for the same trip and goods, the cost of the shipment routing
// decides and the price of the STANDARD promise are the same amount, both the goods packed into
// the configured boxes and priced by the configured cards. It fails if routing or the promise
// stops pricing with the shared pricing (the defaults price every case below differently).
func TestRoutedCostAndPromiseAgree(t *testing.T) {
	pr := operatorPricing()
	f := func(v float64) *float64 { return &v }
	bangkok := routing.Location{ID: "loc_BKK", Code: "BKK", Kind: routing.KindWarehouse, Active: true, Lat: f(13.7466), Lng: f(100.5393),
		CountryCode: "TH", Region: "Bangkok", City: "Bangkok", ShipsTo: []string{"TH", "SG"}}
	dests := map[shipping.Zone]routing.Address{
		shipping.SameCity:      {Lat: f(13.7307), Lng: f(100.5680), CountryCode: "TH", Region: "Bangkok", City: "Bangkok", PostalCode: "10110"},
		shipping.SameRegion:    {Lat: f(12.5684), Lng: f(99.9577), CountryCode: "TH", Region: "Prachuap Khiri Khan", City: "Hua Hin", PostalCode: "77110"},
		shipping.SameCountry:   {Lat: f(18.7883), Lng: f(98.9853), CountryCode: "TH", Region: "Chiang Mai", City: "Chiang Mai", PostalCode: "50200"},
		shipping.International: {Lat: f(1.3521), Lng: f(103.8198), CountryCode: "SG", Region: "Singapore", City: "Singapore"},
	}
	type unit struct {
		sku            string
		qty            int64
		grams, l, w, h int
	}
	goods := map[string][]unit{
		"a card":                     {{sku: "CARD", qty: 1, grams: 40, l: 150, w: 100, h: 5}},
		"a light bulky cushion":      {{sku: "CUSHION", qty: 1, grams: 900, l: 600, w: 450, h: 300}},
		"kettlebells over two boxes": {{sku: "KETTLEBELL", qty: 3, grams: 6000, l: 200, w: 150, h: 200}},
		"a mixed basket":             {{sku: "MUG", qty: 4, grams: 350, l: 120, w: 90, h: 100}, {sku: "TEA", qty: 2, grams: 250, l: 200, w: 80, h: 80}, {sku: "CARD", qty: 1, grams: 40, l: 150, w: 100, h: 5}},
		"no dimensions known":        {{sku: "MYSTERY", qty: 2, grams: 1200}},
	}
	now := time.Date(2026, 3, 9, 3, 0, 0, 0, time.UTC)
	for name, units := range goods {
		for _, zone := range shipping.Zones() {
			t.Run(fmt.Sprintf("%s %s", name, zone), func(t *testing.T) {
				to := dests[zone]
				o := routing.Order{ID: "ord_1", PlacedAt: now, Destination: to}
				st := routing.Stock{}
				var items []packing.Item
				for i, u := range units {
					v := pulid.ID("var_" + u.sku)
					o.Lines = append(o.Lines, routing.Line{ID: pulid.ID(fmt.Sprintf("oli_%d", i)), VariantID: v, SKU: u.sku, Quantity: u.qty,
						WeightGrams: u.grams, LengthMM: u.l, WidthMM: u.w, HeightMM: u.h})
					st[v] = map[pulid.ID]int64{bangkok.ID: 100}
					items = append(items, packing.Item{Ref: u.sku, SKU: string(v), Quantity: int(u.qty), WeightGrams: u.grams, LengthMM: u.l, WidthMM: u.w, HeightMM: u.h})
				}
				loc := bangkok
				loc.EarliestShip = now
				d := routing.Route(routing.Input{Order: o, Locations: []routing.Location{loc}, Stock: st, Policy: routingPolicy(nil, pr), Now: now})
				require.Len(t, d.Shipments, 1, d.Trace.Plan.Why)
				sh := d.Shipments[0]
				require.Equal(t, zone, sh.Zone)

				cand := promise.Candidate{LocationID: loc.ID, Kind: "WAREHOUSE", Calendar: calendar.Calendar{Location: time.UTC}, CanFulfil: true,
					Lat: loc.Lat, Lng: loc.Lng, CountryCode: loc.CountryCode, Region: loc.Region, City: loc.City}
				dest := promise.Destination{Lat: to.Lat, Lng: to.Lng, CountryCode: to.CountryCode, Region: to.Region, City: to.City, PostalCode: to.PostalCode}
				opts := promise.PromiseGoods([]promise.Candidate{cand}, dest, items, transit(pr), now)
				require.NotEmpty(t, opts)
				std := opts[0]
				require.Equal(t, promise.Standard, std.Service)
				require.Equal(t, sh.Zone, std.Zone)
				require.Equal(t, "THB", std.Currency)

				require.Equal(t, sh.Cost, std.Cost, "routing's shipment and the promise price the same trip and goods")
				want, err := shipping.EstimatePlan(pr.cards, zone, packing.Pack(items, pr.boxes), pr.boxes, items)
				require.NoError(t, err)
				require.Equal(t, want.Amount, sh.Cost, "priced by the configured cards and boxes")
				byDefault, err := shipping.EstimatePlan(shipping.DefaultRateCards(), zone, packing.Pack(items, packing.DefaultBoxes()), packing.DefaultBoxes(), items)
				require.NoError(t, err)
				require.NotEqual(t, byDefault.Amount, sh.Cost, "the defaults would price this differently")
			})
		}
	}
}

func TestUsableRateCards(t *testing.T) {
	card := func(carrier, currency string) shipping.RateCard {
		return shipping.RateCard{Carrier: carrier, Service: "STD", Currency: currency,
			Bands: []shipping.RateBand{{Zone: shipping.SameCity, MaxGrams: 1000, Amount: 100}}}
	}
	broken := card("BROKEN", "THB")
	broken.Bands = append(broken.Bands, shipping.RateBand{Zone: shipping.SameCity, MaxGrams: 500, Amount: 50}) // bands not ascending
	unknownZone := card("MOON", "THB")
	unknownZone.Bands[0].Zone = "MOON"
	tests := []struct {
		name    string
		cards   []shipping.RateCard
		use     []string // carriers
		skipped int
	}{
		{name: "none"},
		{name: "all valid, one currency", cards: []shipping.RateCard{card("A", "IDR"), card("B", "IDR")}, use: []string{"A", "B"}},
		{name: "an invalid card is left out", cards: []shipping.RateCard{card("A", "THB"), broken, unknownZone}, use: []string{"A"}, skipped: 2},
		{name: "every card invalid", cards: []shipping.RateCard{broken}, skipped: 1},
		{name: "the most common currency", cards: []shipping.RateCard{card("A", "USD"), card("B", "SGD"), card("C", "USD")}, use: []string{"A", "C"}, skipped: 1},
		{name: "invalid cards do not count", cards: []shipping.RateCard{card("A", "SGD"), broken, unknownZone}, use: []string{"A"}, skipped: 2},
		{name: "a tie goes to the default card's currency", cards: []shipping.RateCard{card("A", "USD"), card("B", "THB")}, use: []string{"B"}, skipped: 1},
		{name: "then to the first alphabetically", cards: []shipping.RateCard{card("A", "USD"), card("B", "SGD")}, use: []string{"B"}, skipped: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			use, skipped := UsableRateCards(tt.cards)
			var carriers []string
			for _, c := range use {
				carriers = append(carriers, c.Carrier)
				require.Equal(t, use[0].Currency, c.Currency)
			}
			require.Equal(t, tt.use, carriers)
			require.Len(t, skipped, tt.skipped, "%v", skipped)
		})
	}
}
