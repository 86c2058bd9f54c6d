package packing_test

import (
	"fmt"

	"github.com/ordo-oms/ordo/packing"
)

func ExamplePack() {
	plan := packing.Pack([]packing.Item{
		{Ref: "line-1", SKU: "MUG", Quantity: 4, WeightGrams: 350, LengthMM: 120, WidthMM: 90, HeightMM: 100},
		{Ref: "line-2", SKU: "CASE", Quantity: 2, WeightGrams: 40, LengthMM: 160, WidthMM: 80, HeightMM: 15},
		{Ref: "line-3", SKU: "ANVIL", Quantity: 1, WeightGrams: 30_000, LengthMM: 400, WidthMM: 200, HeightMM: 250},
	}, packing.DefaultBoxes())
	for _, p := range plan.Parcels {
		fmt.Printf("%s %d g %.0f%% %v\n", p.Box, p.WeightGrams, 100*p.FillRatio, p.Items)
	}
	fmt.Println("unpackable", plan.Unpackable)
	// Output:
	// M 1680 g 36% [{line-1 MUG 4} {line-2 CASE 2}]
	// unpackable [{line-3 ANVIL 1}]
}
