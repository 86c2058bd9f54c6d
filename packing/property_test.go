package packing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The checks below restate the packing rules from the documentation rather than call the
// package's own helpers, so that a mistake in those helpers shows up here.

// unit is one unit of an item as the rules see it: sorted dimensions, volume and weight, with
// unknown data replaced by the documented assumptions.
type unit struct {
	dims   [3]int
	volume int64
	weight int
}

func unitOf(it Item) unit {
	d := []int{it.LengthMM, it.WidthMM, it.HeightMM}
	for i := range d {
		if d[i] <= 0 {
			d[i] = AssumedDimensionMM
		}
	}
	s := sorted3(d[0], d[1], d[2])
	w := it.WeightGrams
	if w <= 0 {
		w = AssumedWeightGrams
	}
	return unit{dims: s, volume: int64(s[0]) * int64(s[1]) * int64(s[2]), weight: w}
}

func boxDims(b Box) [3]int { return sorted3(b.LengthMM, b.WidthMM, b.HeightMM) }

func boxVolume(b Box) int64 { return int64(b.LengthMM) * int64(b.WidthMM) * int64(b.HeightMM) }

func usable(b Box) bool {
	return min(b.LengthMM, b.WidthMM, b.HeightMM) > 0 && max(b.LengthMM, b.WidthMM, b.HeightMM) <= 100_000 &&
		b.TareGrams >= 0 && b.MaxWeightGrams > b.TareGrams
}

func fitsIn(u unit, b Box) bool {
	d := boxDims(b)
	return u.dims[0] <= d[0] && u.dims[1] <= d[1] && u.dims[2] <= d[2]
}

// holdsAll reports whether b takes n[i] units of us[i] for every i under the documented rules.
func holdsAll(b Box, us []unit, n []int) bool {
	units, weight, volume := 0, b.TareGrams, int64(0)
	for i, u := range us {
		if !fitsIn(u, b) {
			return false
		}
		units += n[i]
		weight += n[i] * u.weight
		volume += int64(n[i]) * u.volume
	}
	return weight <= b.MaxWeightGrams && (units == 1 || volume*100 <= boxVolume(b)*FillLimitPercent)
}

// randomItems returns lines with unique refs, a mix of small, bulky, heavy, oversized and unknown
// products.
func randomItems(r *rand.Rand) []Item {
	items := make([]Item, r.IntN(15))
	for i := range items {
		dim := func() int {
			switch r.IntN(10) {
			case 0:
				return 0 // unknown
			case 1:
				return 300 + r.IntN(500) // may be too long for every box
			default:
				return 5 + r.IntN(250)
			}
		}
		weight := 1 + r.IntN(3000)
		switch r.IntN(10) {
		case 0:
			weight = 0
		case 1:
			weight = 5000 + r.IntN(25_000)
		}
		items[i] = Item{
			Ref: fmt.Sprintf("line-%d", i), SKU: fmt.Sprintf("sku-%d", r.IntN(5)),
			Quantity: r.IntN(25) - 2, WeightGrams: weight,
			LengthMM: dim(), WidthMM: dim(), HeightMM: dim(),
		}
	}
	return items
}

// randomBoxes returns the default catalogue or a random one with unique codes, sometimes with an
// unusable box in it.
func randomBoxes(r *rand.Rand) []Box {
	if r.IntN(3) == 0 {
		return DefaultBoxes()
	}
	boxes := make([]Box, 1+r.IntN(5))
	for i := range boxes {
		boxes[i] = Box{
			Code:     fmt.Sprintf("B%d", i),
			LengthMM: 50 + r.IntN(600), WidthMM: 50 + r.IntN(400), HeightMM: r.IntN(400),
			MaxWeightGrams: 500 + r.IntN(25_000), TareGrams: r.IntN(800),
		}
	}
	return boxes
}

func TestPackProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 2026))
	for trial := range 2000 {
		items, boxes := randomItems(r), randomBoxes(r)
		plan := Pack(items, boxes)
		msg := fmt.Sprintf("trial %d: items %+v boxes %+v", trial, items, boxes)

		byRef := map[string]Item{}
		for _, it := range items {
			byRef[it.Ref] = it
		}
		byCode := map[string]Box{}
		for _, b := range boxes {
			if usable(b) {
				byCode[b.Code] = b
			}
		}

		placed := map[string]int{}
		for _, p := range plan.Parcels {
			b, ok := byCode[p.Box]
			require.True(t, ok, "parcel in an unusable or unknown box %q; %s", p.Box, msg)
			require.NotEmpty(t, p.Items, msg)
			us, n := make([]unit, len(p.Items)), make([]int, len(p.Items))
			weight, volume := b.TareGrams, int64(0)
			for i, pk := range p.Items {
				require.Positive(t, pk.Quantity, msg)
				us[i], n[i] = unitOf(byRef[pk.Ref]), pk.Quantity
				placed[pk.Ref] += pk.Quantity
				weight += n[i] * us[i].weight
				volume += int64(n[i]) * us[i].volume
			}
			require.Equal(t, weight, p.WeightGrams, msg)
			require.LessOrEqual(t, p.WeightGrams, b.MaxWeightGrams, msg)
			require.InDelta(t, float64(volume)/float64(boxVolume(b)), p.FillRatio, 1e-9, msg)
			require.True(t, holdsAll(b, us, n), "parcel breaks a rule of its box: %+v; %s", p, msg)
			for _, other := range byCode {
				if boxVolume(other) < boxVolume(b) {
					require.False(t, holdsAll(other, us, n), "smaller box %s holds parcel %+v; %s", other.Code, p, msg)
				}
			}
		}
		for _, pk := range plan.Unpackable {
			u := unitOf(byRef[pk.Ref])
			for _, b := range byCode {
				require.False(t, fitsIn(u, b) && u.weight+b.TareGrams <= b.MaxWeightGrams,
					"unpackable %s fits box %s; %s", pk.Ref, b.Code, msg)
			}
			placed[pk.Ref] += pk.Quantity
		}
		for _, it := range items {
			require.Equal(t, max(it.Quantity, 0), placed[it.Ref], "units of %s in the plan; %s", it.Ref, msg)
		}

		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		r.Shuffle(len(boxes), func(i, j int) { boxes[i], boxes[j] = boxes[j], boxes[i] })
		require.Equal(t, plan, Pack(items, boxes), "shuffled input; %s", msg)
	}
}
