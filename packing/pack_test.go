package packing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// cube is a one-box catalogue that makes limits easy to reach: 100 mm a side (fill limit
// 850,000 mm³) and 900 g for contents.
var cube = []Box{{Code: "CUBE", LengthMM: 100, WidthMM: 100, HeightMM: 100, MaxWeightGrams: 1000, TareGrams: 100}}

// light is cube with a weight limit that never binds.
var light = []Box{{Code: "CUBE", LengthMM: 100, WidthMM: 100, HeightMM: 100, MaxWeightGrams: 1_000_000}}

func item(ref string, qty, grams, l, w, h int) Item {
	return Item{Ref: ref, SKU: "SKU-" + ref, Quantity: qty, WeightGrams: grams, LengthMM: l, WidthMM: w, HeightMM: h}
}

func packed(ref string, qty int) Packed { return Packed{Ref: ref, SKU: "SKU-" + ref, Quantity: qty} }

// shape is the part of a parcel the table checks: the box and its contents.
type shape struct {
	Box   string
	Items []Packed
}

func TestPack(t *testing.T) {
	tests := []struct {
		name       string
		items      []Item
		boxes      []Box
		parcels    []shape
		unpackable []Packed
	}{
		{
			name:    "one small item goes in the smallest box",
			items:   []Item{item("case", 1, 50, 150, 80, 20)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"S", []Packed{packed("case", 1)}}},
		},
		{
			name:    "small items share one box up to its weight limit",
			items:   []Item{item("w", 9, 100, 10, 10, 10)},
			boxes:   cube,
			parcels: []shape{{"CUBE", []Packed{packed("w", 9)}}},
		},
		{
			name:    "one unit over the weight limit opens a second box",
			items:   []Item{item("w", 10, 100, 10, 10, 10)},
			boxes:   cube,
			parcels: []shape{{"CUBE", []Packed{packed("w", 9)}}, {"CUBE", []Packed{packed("w", 1)}}},
		},
		{
			name:    "small items share one box up to its fill limit",
			items:   []Item{item("v", 850, 1, 10, 10, 10)},
			boxes:   light,
			parcels: []shape{{"CUBE", []Packed{packed("v", 850)}}},
		},
		{
			name:    "one unit over the fill limit opens a second box",
			items:   []Item{item("v", 851, 1, 10, 10, 10)},
			boxes:   light,
			parcels: []shape{{"CUBE", []Packed{packed("v", 850)}}, {"CUBE", []Packed{packed("v", 1)}}},
		},
		{
			name:  "the second box is the smallest that takes the rest",
			items: []Item{item("kettlebell", 10, 2000, 100, 100, 100)},
			boxes: DefaultBoxes(),
			parcels: []shape{
				{"XL", []Packed{packed("kettlebell", 9)}},
				{"M", []Packed{packed("kettlebell", 1)}}, // 2 kg is over S's limit
			},
		},
		{
			name:    "one larger box rather than several smaller ones",
			items:   []Item{item("pot", 3, 500, 200, 200, 140)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"L", []Packed{packed("pot", 3)}}},
		},
		{
			name:       "an item heavier than every box is unpackable; the rest still ships",
			items:      []Item{item("anvil", 2, 25_000, 300, 200, 200), item("case", 1, 50, 150, 80, 20)},
			boxes:      DefaultBoxes(),
			parcels:    []shape{{"S", []Packed{packed("case", 1)}}},
			unpackable: []Packed{packed("anvil", 2)},
		},
		{
			name:       "an item longer than every box is unpackable",
			items:      []Item{item("rod", 1, 500, 20, 20, 700)},
			boxes:      DefaultBoxes(),
			unpackable: []Packed{packed("rod", 1)},
		},
		{
			name:       "volume alone is not enough: every side must fit",
			items:      []Item{item("globe", 1, 1000, 410, 410, 410)},
			boxes:      DefaultBoxes(),
			unpackable: []Packed{packed("globe", 1)},
		},
		{
			name:    "a long thin item fits only when rotated",
			items:   []Item{item("umbrella", 1, 400, 20, 580, 20)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"XL", []Packed{packed("umbrella", 1)}}},
		},
		{
			name:    "a tube takes a rod lying along any axis",
			items:   []Item{item("rod", 1, 100, 480, 20, 20)},
			boxes:   []Box{{Code: "TUBE", LengthMM: 80, WidthMM: 80, HeightMM: 500, MaxWeightGrams: 2000, TareGrams: 50}},
			parcels: []shape{{"TUBE", []Packed{packed("rod", 1)}}},
		},
		{
			name:    "a lone unit may fill its box past the fill limit",
			items:   []Item{item("snug", 2, 100, 98, 98, 98)},
			boxes:   cube,
			parcels: []shape{{"CUBE", []Packed{packed("snug", 1)}}, {"CUBE", []Packed{packed("snug", 1)}}},
		},
		{
			name:    "unknown dimensions and weight are packed as a small, light unit",
			items:   []Item{item("mystery", 3, 0, 0, 0, 0)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"S", []Packed{packed("mystery", 3)}}},
		},
		{
			name:    "an unknown dimension is assumed, the known ones are kept",
			items:   []Item{item("poster", 1, 200, 0, 400, 300)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"L", []Packed{packed("poster", 1)}}},
		},
		{
			name:    "lines with the same Ref and SKU are reported together",
			items:   []Item{item("a", 1, 50, 100, 50, 20), item("a", 2, 50, 100, 50, 20)},
			boxes:   DefaultBoxes(),
			parcels: []shape{{"S", []Packed{packed("a", 3)}}},
		},
		{
			name:    "lines with no quantity are ignored",
			items:   []Item{item("none", 0, 50, 10, 10, 10), item("less", -1, 50, 10, 10, 10)},
			boxes:   DefaultBoxes(),
			parcels: nil,
		},
		{
			name:       "absurd sizes are ignored or unpackable, without overflow",
			items:      []Item{item("huge", 1, 10, 1<<62, 1<<62, 1<<62), item("a", 1, 50, 10, 10, 10)},
			boxes:      []Box{{Code: "HANGAR", LengthMM: 1 << 40, WidthMM: 1 << 40, HeightMM: 1 << 40, MaxWeightGrams: 1 << 40}, cube[0]},
			parcels:    []shape{{"CUBE", []Packed{packed("a", 1)}}},
			unpackable: []Packed{packed("huge", 1)},
		},
		{
			name:       "without usable boxes everything is unpackable",
			items:      []Item{item("a", 1, 50, 10, 10, 10)},
			boxes:      []Box{{Code: "FLAT", LengthMM: 100, WidthMM: 100}, {Code: "TARE", LengthMM: 100, WidthMM: 100, HeightMM: 100, MaxWeightGrams: 10, TareGrams: 10}},
			unpackable: []Packed{packed("a", 1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := Pack(tt.items, tt.boxes)
			var got []shape
			for _, p := range plan.Parcels {
				got = append(got, shape{p.Box, p.Items})
			}
			require.Equal(t, tt.parcels, got)
			require.Equal(t, tt.unpackable, plan.Unpackable)
		})
	}
}

func TestPackWeightAndFill(t *testing.T) {
	plan := Pack([]Item{item("case", 2, 50, 150, 80, 20), item("mystery", 1, 0, 0, 0, 0)}, DefaultBoxes())
	require.Len(t, plan.Parcels, 1)
	p := plan.Parcels[0]
	require.Equal(t, "S", p.Box)
	require.Equal(t, 40+2*50+AssumedWeightGrams, p.WeightGrams, "tare, contents and the assumed weight")
	require.InDelta(t, float64(2*150*80*20+50*50*50)/(250*180*60), p.FillRatio, 1e-12)
}

func TestDownsize(t *testing.T) {
	cartons := catalogue(DefaultBoxes())
	small := []content{{group: groups([]Item{item("case", 1, 50, 150, 80, 20)})[0], count: 1}}
	require.Equal(t, "S", downsize(cartons, small).box.Code, "a small unit packed in XL moves to S")

	heavy := []content{{group: groups([]Item{item("w", 1, 3000, 100, 100, 50)})[0], count: 1}}
	require.Equal(t, "M", downsize(cartons, heavy).box.Code, "S fits it but cannot carry 3 kg")

	many := []content{{group: groups([]Item{item("v", 1, 10, 100, 100, 100)})[0], count: 12}}
	require.Equal(t, "L", downsize(cartons, many).box.Code, "12 litres is over M's fill limit")
}

func TestPackIgnoresInputOrder(t *testing.T) {
	items := []Item{
		item("a", 3, 800, 300, 200, 100), item("b", 5, 0, 0, 0, 0), item("c", 2, 2500, 200, 200, 200),
		item("d", 1, 30_000, 100, 100, 100), item("e", 4, 120, 250, 30, 30), item("b2", 5, 0, 0, 0, 0),
	}
	boxes := DefaultBoxes()
	want := Pack(items, boxes)
	for _, perm := range [][]int{{5, 4, 3, 2, 1, 0}, {2, 0, 5, 1, 3, 4}, {3, 5, 1, 4, 0, 2}} {
		shuffled := make([]Item, len(items))
		for i, j := range perm {
			shuffled[i] = items[j]
		}
		reversed := []Box{boxes[3], boxes[1], boxes[0], boxes[2]}
		require.Equal(t, want, Pack(shuffled, reversed))
	}
}

func TestPackDoesNotChangeItsInput(t *testing.T) {
	items := []Item{item("b", 1, 10, 10, 20, 30), item("a", 2, 10, 30, 20, 10)}
	boxes := []Box{DefaultBoxes()[3], DefaultBoxes()[0]}
	itemsBefore, boxesBefore := append([]Item(nil), items...), append([]Box(nil), boxes...)
	Pack(items, boxes)
	require.Equal(t, itemsBefore, items)
	require.Equal(t, boxesBefore, boxes)
}
