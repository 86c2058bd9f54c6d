package promise

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// TestCostComesFromTheRateCards: an option costs what the cheapest card quotes for the order's
// weight in the trip's zone, times the service's markup; no cards, nothing; a zone no card
// serves, no option.
func TestCostComesFromTheRateCards(t *testing.T) {
	idr := func(carrier string, base, perKg int64) shipping.RateCard {
		return shipping.RateCard{Carrier: carrier, Service: "REG", Currency: "IDR",
			Bands: []shipping.RateBand{{Zone: shipping.SameCity, MaxGrams: 1000, Amount: base}},
			Extra: []shipping.RateExtra{{Zone: shipping.SameCity, PerKg: perKg}}}
	}
	now := local(jakarta, "2026-03-09 10:00")
	tests := []struct {
		name           string
		cards          []shipping.RateCard
		markup         map[Service]int
		grams          int
		standard, expr int64 // -1: not offered
	}{
		{name: "first kilogram", cards: []shipping.RateCard{idr("A", 1000000, 300000)}, grams: 1000, standard: 1000000, expr: 1600000},
		{name: "a started kilogram", cards: []shipping.RateCard{idr("A", 1000000, 300000)}, grams: 1001, standard: 1300000, expr: 2080000},
		{name: "negative weight is none", cards: []shipping.RateCard{idr("A", 1000000, 300000)}, grams: -5, standard: 1000000, expr: 1600000},
		{name: "five and a half kilograms", cards: []shipping.RateCard{idr("A", 1000000, 300000)}, grams: 5500, standard: 2500000, expr: 4000000},
		{name: "the cheapest card", cards: []shipping.RateCard{idr("A", 1000000, 300000), idr("B", 900000, 400000)}, grams: 1000, standard: 900000, expr: 1440000},
		{name: "the cheapest card by weight", cards: []shipping.RateCard{idr("A", 1000000, 300000), idr("B", 900000, 400000)}, grams: 3000, standard: 1600000, expr: 2560000},
		{name: "markup rounds down", cards: []shipping.RateCard{idr("A", 999, 0)}, markup: map[Service]int{Express: 150}, grams: 500, standard: 999, expr: 1498},
		{name: "no cards: free", grams: 5000, standard: 0, expr: 0},
		{name: "no band for the zone: not offered", cards: []shipping.RateCard{func() shipping.RateCard {
			c := idr("A", 1000000, 0)
			c.Bands[0].Zone, c.Extra = shipping.SameRegion, nil
			return c
		}()}, grams: 500, standard: -1, expr: -1},
		{name: "too heavy for the card: not offered", cards: []shipping.RateCard{func() shipping.RateCard { c := idr("A", 1000000, 0); c.Extra = nil; return c }()},
			grams: 1001, standard: -1, expr: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := DefaultTransit()
			tr.RateCards = tt.cards
			if tt.markup != nil {
				tr.Markup = tt.markup
			}
			require.NoError(t, tr.Validate())
			got := map[Service]int64{Standard: -1, Express: -1}
			for _, o := range Promise([]Candidate{jktWarehouse()}, jakartaHome, tt.grams, tr, now) {
				got[o.Service] = o.Cost
				if len(tt.cards) > 0 {
					require.Equal(t, "IDR", o.Currency)
				}
			}
			require.Equal(t, map[Service]int64{Standard: tt.standard, Express: tt.expr}, got)
		})
	}
}

// TestGoodsArePricedByBox: PromiseGoods bills the packed parcels on their boxes' dimensional
// weight, where Promise bills the weight alone; a heavy order split over two boxes pays two.
func TestGoodsArePricedByBox(t *testing.T) {
	card := shipping.RateCard{Carrier: "C", Service: "S", Currency: "THB", DimDivisor: 5000, Bands: []shipping.RateBand{
		{Zone: shipping.SameCity, MaxGrams: 1000, Amount: 100}, {Zone: shipping.SameCity, MaxGrams: 5000, Amount: 300}, {Zone: shipping.SameCity, MaxGrams: 20000, Amount: 900}}}
	small := packing.Box{Code: "S", LengthMM: 200, WidthMM: 150, HeightMM: 100, MaxWeightGrams: 5000}  // 3000 cm³: 600 g dimensional
	large := packing.Box{Code: "L", LengthMM: 600, WidthMM: 400, HeightMM: 300, MaxWeightGrams: 15000} // 72000 cm³: 14.4 kg dimensional
	tr := DefaultTransit()
	tr.RateCards, tr.Boxes = []shipping.RateCard{card}, []packing.Box{small, large}
	now := local(bangkok, "2026-03-09 10:00")
	tests := []struct {
		name  string
		items []packing.Item
		want  int64
	}{
		{name: "a small item, a small box", items: []packing.Item{{Ref: "1", SKU: "pen", Quantity: 1, WeightGrams: 200, LengthMM: 100, WidthMM: 50, HeightMM: 20}}, want: 100},
		{name: "a light bulky item pays its box's volume", items: []packing.Item{{Ref: "1", SKU: "pillow", Quantity: 1, WeightGrams: 800, LengthMM: 500, WidthMM: 350, HeightMM: 250}}, want: 900},
		{name: "too heavy for one box: three plates in the large one, one in the small", items: []packing.Item{{Ref: "1", SKU: "plate", Quantity: 4, WeightGrams: 4000, LengthMM: 150, WidthMM: 100, HeightMM: 20}}, want: 900 + 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PromiseGoods([]Candidate{bkkWarehouse()}, bangkokHome, tt.items, tr, now)
			require.Len(t, got, 2)
			require.Equal(t, Standard, got[0].Service)
			require.Equal(t, tt.want, got[0].Cost)
			require.Equal(t, tt.want*160/100, got[1].Cost)
		})
	}
}

func TestTransitValidate(t *testing.T) {
	require.NoError(t, DefaultTransit().Validate())
	require.NoError(t, thbTransit().Validate())

	for name, mutate := range map[string]func(*Transit){
		"inverted days":     func(t *Transit) { t.Days[Standard][shipping.SameCity] = Days{Min: 3, Max: 1} },
		"negative days":     func(t *Transit) { t.Days[Express][shipping.SameCity] = Days{Min: -1, Max: 1} },
		"unknown zone":      func(t *Transit) { t.Days[Standard]["MOON"] = Days{Min: 1, Max: 2} },
		"pick-up travels":   func(t *Transit) { t.Days[Pickup] = map[shipping.Zone]Days{shipping.SameCity: {Min: 1, Max: 1}} },
		"invalid rate card": func(t *Transit) { t.RateCards[0].Bands[0].Amount = -1 },
		"two currencies": func(t *Transit) {
			c := t.RateCards[0]
			c.Carrier, c.Currency = "OTHER", "IDR"
			t.RateCards = append(t.RateCards, c)
		},
		"markup for pick-up":   func(t *Transit) { t.Markup[Pickup] = 100 },
		"no markup":            func(t *Transit) { t.Markup[Express] = 0 },
		"bad band":             func(t *Transit) { t.Bands = []shipping.Band{{MaxKm: -1, Zone: shipping.SameCity}} },
		"unknown pick-up zone": func(t *Transit) { t.PickupZone = "NEARBY" },
		"bad carrier calendar": func(t *Transit) { t.Carrier = calendar.Calendar{WorkDays: []time.Weekday{9}} },
	} {
		t.Run(name, func(t *testing.T) {
			tr := thbTransit()
			mutate(&tr)
			require.Error(t, tr.Validate())
		})
	}
}
