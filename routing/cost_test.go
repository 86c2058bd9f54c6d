package routing

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// TestShipmentsArePricedBoxByBox: a shipment costs its parcels, each billed on the greater of its
// weight and its box's dimensional weight, not its weight over the strongest box.
func TestShipmentsArePricedBoxByBox(t *testing.T) {
	card := shipping.DefaultRateCards()[0]
	boxes := map[string]packing.Box{}
	for _, b := range packing.DefaultBoxes() {
		boxes[b.Code] = b
	}
	quote := func(box string, grams int) int64 {
		b := boxes[box]
		amount, _, err := card.Quote(shipping.SameCity, shipping.Measure{WeightGrams: grams + b.TareGrams, LengthMM: b.LengthMM, WidthMM: b.WidthMM, HeightMM: b.HeightMM})
		require.NoError(t, err)
		return amount
	}
	line := func(code string, qty int64, grams, l, w, h int) Line {
		return Line{ID: lineID(code), VariantID: varID(code), SKU: code, Quantity: qty, WeightGrams: grams, LengthMM: l, WidthMM: w, HeightMM: h}
	}
	tests := []struct {
		name    string
		lines   []Line
		parcels int
		cost    int64
	}{
		// 500×350×300 mm fits only the XL box, two overfill it: four boxes of 19.2 kg dimensional.
		{"bulky pillows, a box each", []Line{line("PILLOW", 4, 800, 500, 350, 300)}, 4, 4 * quote("XL", 800)},
		// 27 kg of dumbbells: two in an XL box (19.3 kg at most), the third in an L (9.6 kg).
		{"heavy dumbbells, by weight", []Line{line("DUMBBELL", 3, 9000, 200, 120, 120)}, 2, quote("XL", 18000) + quote("L", 9000)},
		{"a phone case and its cable, one mailer", []Line{line("CASE", 1, 60, 170, 90, 15), line("CABLE", 1, 80, 120, 80, 20)}, 1, quote("S", 140)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []any
			for _, l := range tt.lines {
				rows = append(rows, l.SKU, "BKK", 10)
			}
			d := Route(Input{Order: bangkokOrder(tt.lines...), Locations: []Location{bkkWH()}, Stock: stock(rows...), Policy: DefaultPolicy(), Now: now})
			require.Len(t, d.Shipments, 1, d.Trace.Plan.Why)
			require.Equal(t, shipping.SameCity, d.Shipments[0].Zone)
			require.Equal(t, tt.parcels, d.Shipments[0].Parcels)
			require.Equal(t, tt.cost, d.Shipments[0].Cost)
			require.Equal(t, tt.cost, d.Cost)
		})
	}
}
