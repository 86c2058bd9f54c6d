package packing

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkPack packs a large order for the default catalogue: 30 lines, 200 units, from phone
// cases to small appliances, a few with unknown data.
func BenchmarkPack(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 30))
	items := make([]Item, 30)
	units := 0
	for i := range items {
		items[i] = Item{
			Ref: fmt.Sprintf("line-%d", i), SKU: fmt.Sprintf("sku-%d", i),
			Quantity:    1 + r.IntN(12),
			WeightGrams: 20 + r.IntN(1500),
			LengthMM:    20 + r.IntN(300), WidthMM: 10 + r.IntN(200), HeightMM: 5 + r.IntN(150),
		}
		if i%10 == 0 {
			items[i].WeightGrams, items[i].HeightMM = 0, 0
		}
		units += items[i].Quantity
	}
	items[0].Quantity += 200 - units // exactly 200 units
	boxes := DefaultBoxes()
	b.ReportAllocs()
	var plan Plan
	for b.Loop() {
		plan = Pack(items, boxes)
	}
	b.ReportMetric(float64(len(plan.Parcels)), "parcels/op")
}
