package packing

// Pack plans parcels for items from the boxes in the catalogue. It aims first for as few parcels
// as possible, then for the smallest total box volume.
//
// Units are taken largest first (by volume, then dimensions, weight, SKU and Ref). A unit that no
// box can take, by its dimensions or its weight, goes to Plan.Unpackable. The rest are packed one
// box at a time: for each box that can take the largest unit left, Pack fills an empty one by
// first fit over the units left, in order. If some box takes them all, the smallest such box is
// used and packing ends; otherwise the box that takes the most volume (then weight, then the
// smaller box) is used and packing continues with what is left. Each parcel is then moved to the
// smallest box that still holds its contents under the same rules.
//
// Guarantees: every unit is either in exactly one parcel or in Unpackable; no parcel weighs more
// than its box's MaxWeightGrams; no parcel of two or more units fills more than FillLimitPercent
// of its box; every unit fits its box in some rotation; no smaller box holds a parcel's
// contents; and the plan is the same whatever the order of items and boxes. Boxes with a
// side of zero or less or over 100 m, a negative tare, or no weight left for contents are ignored.
func Pack(items []Item, boxes []Box) Plan {
	cartons := catalogue(boxes)
	var plan Plan
	var rest []group
	for _, g := range groups(items) {
		if fitsAny(cartons, &g) {
			rest = append(rest, g)
		} else {
			plan.Unpackable = append(plan.Unpackable, Packed{Ref: g.ref, SKU: g.sku, Quantity: g.count})
		}
	}
	plan.Unpackable = merge(plan.Unpackable)

	p := packer{cartons: cartons, take: make([]int, len(rest)), best: make([]int, len(rest))}
	for len(rest) > 0 {
		c := p.choose(rest)
		contents := make([]content, 0, len(rest))
		kept := rest[:0]
		for i, g := range rest {
			if n := p.best[i]; n > 0 {
				contents = append(contents, content{group: g, count: n})
				g.count -= n
			}
			if g.count > 0 {
				kept = append(kept, g)
			}
		}
		rest = kept
		plan.Parcels = append(plan.Parcels, parcel(downsize(cartons[:c+1], contents), contents))
	}
	return plan
}

// fitsAny reports whether some box in the catalogue takes one unit of g.
func fitsAny(cartons []carton, g *group) bool {
	for i := range cartons {
		if cartons[i].fits(g) {
			return true
		}
	}
	return false
}

// packer chooses boxes; take and best are scratch counts per group left, reused between parcels.
type packer struct {
	cartons    []carton
	take, best []int
}

// choose returns the index of the box to open next and leaves in p.best how many units of each
// group left go in it. rest is not empty and its first unit fits some box, so some box is chosen
// and it takes at least that unit.
func (p *packer) choose(rest []group) int {
	left := 0
	for _, g := range rest {
		left += g.count
	}
	chosen, bestVolume, bestWeight := -1, int64(0), 0
	for i := range p.cartons {
		c := &p.cartons[i]
		if !c.fits(&rest[0]) {
			continue
		}
		units, volume, weight := fill(c, rest, p.take)
		better := chosen < 0 || volume > bestVolume || (volume == bestVolume && weight > bestWeight)
		if units == left || better {
			chosen, bestVolume, bestWeight = i, volume, weight
			p.take, p.best = p.best, p.take
		}
		if units == left {
			break // the smallest box that takes everything left
		}
	}
	return chosen
}

// fill packs an empty box c by first fit over rest, in order, writing how many units of each
// group it takes into take, and returns the units, volume and weight taken. A single unit may
// fill the box past its limit, since it fits by its dimensions; nothing is added to it then.
func fill(c *carton, rest []group, take []int) (units int, volume int64, weight int) {
	for i := range take[:len(rest)] {
		take[i] = 0
	}
	smallest := rest[len(rest)-1].volume
	for i := range rest {
		if units > 0 && c.limit-volume < smallest {
			break // nothing left fits; take[i:] stay zero
		}
		g := &rest[i]
		if !c.fits(g) {
			continue
		}
		n := min(g.count, (c.capacity-weight)/g.weight, int((c.limit-volume)/g.volume))
		if n == 0 && units == 0 {
			n = 1 // a lone unit larger than the fill limit allows
		}
		if n <= 0 {
			continue
		}
		take[i] = n
		units += n
		volume += int64(n) * g.volume
		weight += n * g.weight
	}
	return units, volume, weight
}
