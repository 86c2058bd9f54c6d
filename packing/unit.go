package packing

import (
	"cmp"
	"slices"
)

// group is a run of identical units from one Item, with unknown data replaced by assumptions.
type group struct {
	ref, sku string
	dims     [3]int // sorted, longest first
	volume   int64  // of one unit, mm³
	weight   int    // of one unit, grams
	count    int    // units still to place
}

// groups turns items into groups of units, largest first (first-fit decreasing). The order is a
// total one over everything that can tell two groups apart, so shuffled input gives the same
// order.
func groups(items []Item) []group {
	out := make([]group, 0, len(items))
	for _, it := range items {
		if it.Quantity <= 0 {
			continue
		}
		d := sorted3(known(it.LengthMM, AssumedDimensionMM), known(it.WidthMM, AssumedDimensionMM), known(it.HeightMM, AssumedDimensionMM))
		for i := range d {
			d[i] = min(d[i], maxDimensionMM+1) // too long for any box either way; keeps the volume in range
		}
		out = append(out, group{
			ref:    it.Ref,
			sku:    it.SKU,
			dims:   d,
			volume: int64(d[0]) * int64(d[1]) * int64(d[2]),
			weight: known(it.WeightGrams, AssumedWeightGrams),
			count:  it.Quantity,
		})
	}
	slices.SortFunc(out, func(a, b group) int {
		return cmp.Or(
			cmp.Compare(b.volume, a.volume),
			slices.Compare(b.dims[:], a.dims[:]),
			cmp.Compare(b.weight, a.weight),
			cmp.Compare(a.sku, b.sku),
			cmp.Compare(a.ref, b.ref),
			cmp.Compare(b.count, a.count),
		)
	})
	return out
}

// known returns v, or assumed when v is missing (zero or negative).
func known(v, assumed int) int {
	if v <= 0 {
		return assumed
	}
	return v
}

// merge sums the quantities of entries with the same Ref and SKU and sorts them by Ref, then SKU.
func merge(ps []Packed) []Packed {
	slices.SortFunc(ps, func(a, b Packed) int {
		return cmp.Or(cmp.Compare(a.Ref, b.Ref), cmp.Compare(a.SKU, b.SKU))
	})
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].Ref == p.Ref && out[n-1].SKU == p.SKU {
			out[n-1].Quantity += p.Quantity
			continue
		}
		out = append(out, p)
	}
	return out
}
