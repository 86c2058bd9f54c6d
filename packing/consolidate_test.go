package packing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLargeItemTravelsWithItsAccessories is issue 9's shipment optimisation: a large item and its
// accessories go in one box, the large one's, rather than a box each; and units that several
// small boxes could take are consolidated into the fewest parcels.
func TestLargeItemTravelsWithItsAccessories(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		boxes []string // the plan's boxes, in order
	}{
		{"a monitor with its cable and stand screws", []Item{
			{Ref: "l1", SKU: "MONITOR", Quantity: 1, WeightGrams: 4200, LengthMM: 560, WidthMM: 360, HeightMM: 120},
			{Ref: "l2", SKU: "HDMI", Quantity: 1, WeightGrams: 80, LengthMM: 150, WidthMM: 100, HeightMM: 20},
			{Ref: "l3", SKU: "SCREWS", Quantity: 2, WeightGrams: 20, LengthMM: 60, WidthMM: 40, HeightMM: 10},
		}, []string{"XL"}},
		{"a rice cooker with its spare bowl", []Item{
			{Ref: "l1", SKU: "COOKER", Quantity: 1, WeightGrams: 3000, LengthMM: 330, WidthMM: 280, HeightMM: 260},
			{Ref: "l2", SKU: "BOWL", Quantity: 1, WeightGrams: 400, LengthMM: 200, WidthMM: 200, HeightMM: 120},
		}, []string{"XL"}},
		{"three phone cases in one mailer, not three", []Item{
			{Ref: "l1", SKU: "CASE", Quantity: 3, WeightGrams: 60, LengthMM: 170, WidthMM: 90, HeightMM: 15},
		}, []string{"S"}},
		{"an accessory too heavy to add travels apart", []Item{
			{Ref: "l1", SKU: "AMP", Quantity: 1, WeightGrams: 19000, LengthMM: 500, WidthMM: 380, HeightMM: 300},
			{Ref: "l2", SKU: "CABLE", Quantity: 1, WeightGrams: 900, LengthMM: 200, WidthMM: 150, HeightMM: 50},
		}, []string{"XL", "S"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := Pack(tt.items, DefaultBoxes())
			require.Empty(t, plan.Unpackable)
			var boxes []string
			units := 0
			for _, p := range plan.Parcels {
				boxes = append(boxes, p.Box)
				for _, it := range p.Items {
					units += it.Quantity
				}
			}
			require.Equal(t, tt.boxes, boxes)
			want := 0
			for _, it := range tt.items {
				want += it.Quantity
			}
			require.Equal(t, want, units)
			if len(tt.boxes) == 1 {
				require.Len(t, plan.Parcels[0].Items, len(tt.items), "every line in the one box")
			}
		})
	}
}
