package packing

import (
	"cmp"
	"slices"
)

// Box is a shipping container in the catalogue a location packs from.
type Box struct {
	// Code names the box to the packer, e.g. "M".
	Code string
	// LengthMM, WidthMM and HeightMM are the inner dimensions.
	LengthMM, WidthMM, HeightMM int
	// MaxWeightGrams is the most the packed box may weigh, tare included (a carrier or carton
	// limit).
	MaxWeightGrams int
	// TareGrams is the weight of the empty box and its packing material.
	TareGrams int
}

// DefaultBoxes returns a small catalogue for a location that has not configured its own: a
// padded mailer and three cartons, with weight limits that common parcel carriers accept. It
// returns a new slice on every call.
func DefaultBoxes() []Box {
	return []Box{
		{Code: "S", LengthMM: 250, WidthMM: 180, HeightMM: 60, MaxWeightGrams: 2000, TareGrams: 40},
		{Code: "M", LengthMM: 350, WidthMM: 250, HeightMM: 150, MaxWeightGrams: 5000, TareGrams: 200},
		{Code: "L", LengthMM: 450, WidthMM: 350, HeightMM: 250, MaxWeightGrams: 10000, TareGrams: 400},
		{Code: "XL", LengthMM: 600, WidthMM: 400, HeightMM: 400, MaxWeightGrams: 20000, TareGrams: 700},
	}
}

// maxDimensionMM bounds the sides the packer works with (100 m), so that volumes never overflow.
// Longer boxes are ignored; longer items fit no box.
const maxDimensionMM = 100_000

// carton is a Box as the packer sees it.
type carton struct {
	box      Box
	dims     [3]int // sorted, longest first
	volume   int64  // mm³
	limit    int64  // the most volume its contents may take, FillLimitPercent of volume
	capacity int    // the most its contents may weigh: MaxWeightGrams − TareGrams
}

// catalogue keeps the usable boxes (sides from 1 mm to 100 m, a maximum weight above the tare, a
// tare not below zero) and sorts them smallest first: by volume, then maximum weight, then code, so
// that the order of the input never matters.
func catalogue(boxes []Box) []carton {
	out := make([]carton, 0, len(boxes))
	for _, b := range boxes {
		d := sorted3(b.LengthMM, b.WidthMM, b.HeightMM)
		if d[2] <= 0 || d[0] > maxDimensionMM || b.TareGrams < 0 || b.MaxWeightGrams <= b.TareGrams {
			continue
		}
		v := int64(b.LengthMM) * int64(b.WidthMM) * int64(b.HeightMM)
		out = append(out, carton{
			box:      b,
			dims:     d,
			volume:   v,
			limit:    v * FillLimitPercent / 100,
			capacity: b.MaxWeightGrams - b.TareGrams,
		})
	}
	slices.SortFunc(out, func(a, b carton) int {
		return cmp.Or(
			cmp.Compare(a.volume, b.volume),
			cmp.Compare(a.box.MaxWeightGrams, b.box.MaxWeightGrams),
			cmp.Compare(a.box.Code, b.box.Code),
			cmp.Compare(a.box.TareGrams, b.box.TareGrams),
			slices.Compare(a.dims[:], b.dims[:]),
		)
	})
	return out
}

// fits reports whether one unit of g fits the box on its own: in some rotation, and within the
// weight it may carry.
func (c *carton) fits(g *group) bool {
	return g.dims[0] <= c.dims[0] && g.dims[1] <= c.dims[1] && g.dims[2] <= c.dims[2] && g.weight <= c.capacity
}

// sorted3 returns three lengths longest first.
func sorted3(a, b, c int) [3]int {
	if a < b {
		a, b = b, a
	}
	if b < c {
		b, c = c, b
	}
	if a < b {
		a, b = b, a
	}
	return [3]int{a, b, c}
}
