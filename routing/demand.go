package routing

import (
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// need is one variant a group draws on: per units of variant v for each unit of the group.
type need struct {
	v       int // index into demand.variants
	variant pulid.ID
	per     int64
	grams   int
	dims    [3]int // one unit's outer dimensions in mm, zero when unknown
}

// group is the unit of allocation. A plain line is one divisible group (its units may come from
// several locations); a bundle line is one indivisible group (every kit from one location) unless
// bundles may split, when each component becomes its own divisible group.
type group struct {
	line      int // index into Order.Lines
	lineID    pulid.ID
	needs     []need
	qty       int64
	divisible bool
	bundle    bool
	unitGrams int
	unitsPer  int64 // component units in one unit of the group
}

// demand is the order expanded into groups, with the held pre-order quantities set aside.
type demand struct {
	groups   []group
	variants []pulid.ID // in order of first appearance in the order
	held     []Hold
	heldLine []bool // per order line
	units    int64  // component units to allocate
}

// expand turns the order lines into allocation groups.
func expand(o Order, p Policy, now time.Time) demand {
	d := demand{heldLine: make([]bool, len(o.Lines))}
	index := map[pulid.ID]int{}
	vi := func(id pulid.ID) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(d.variants)
		d.variants = append(d.variants, id)
		return len(d.variants) - 1
	}
	for li, l := range o.Lines {
		if l.Quantity <= 0 {
			continue
		}
		needs := lineNeeds(l, vi)
		if len(needs) == 0 {
			continue
		}
		if l.ReleaseAt != nil && l.ReleaseAt.After(now) {
			d.heldLine[li] = true
			for _, n := range needs {
				d.held = append(d.held, Hold{LineID: l.ID, VariantID: n.variant, Quantity: l.Quantity * n.per, ReleaseAt: *l.ReleaseAt})
			}
			continue
		}
		bundle := len(l.Components) > 0
		switch {
		case !bundle:
			d.groups = append(d.groups, group{line: li, lineID: l.ID, needs: needs, qty: l.Quantity, divisible: true, unitGrams: l.WeightGrams})
		case p.SplitBundles:
			for _, n := range needs {
				d.groups = append(d.groups, group{line: li, lineID: l.ID, needs: []need{{v: n.v, variant: n.variant, per: 1, grams: n.grams, dims: n.dims}},
					qty: l.Quantity * n.per, divisible: true, bundle: true, unitGrams: n.grams})
			}
		default:
			g := group{line: li, lineID: l.ID, needs: needs, qty: l.Quantity, bundle: true}
			for _, n := range needs {
				g.unitGrams += int(n.per) * n.grams
			}
			if g.unitGrams == 0 {
				g.unitGrams = l.WeightGrams
			}
			d.groups = append(d.groups, g)
		}
	}
	for i := range d.groups {
		g := &d.groups[i]
		for _, n := range g.needs {
			g.unitsPer += n.per
		}
		d.units += g.qty * g.unitsPer
	}
	return d
}

// lineNeeds lists the variants one unit of a line draws on, merging repeated components.
func lineNeeds(l Line, vi func(pulid.ID) int) []need {
	if len(l.Components) == 0 {
		return []need{{v: vi(l.VariantID), variant: l.VariantID, per: 1, grams: l.WeightGrams, dims: [3]int{l.LengthMM, l.WidthMM, l.HeightMM}}}
	}
	var needs []need
outer:
	for _, c := range l.Components {
		if c.Quantity <= 0 {
			continue
		}
		for i := range needs {
			if needs[i].variant == c.VariantID {
				needs[i].per += c.Quantity
				continue outer
			}
		}
		needs = append(needs, need{v: vi(c.VariantID), variant: c.VariantID, per: c.Quantity, grams: c.WeightGrams,
			dims: [3]int{c.LengthMM, c.WidthMM, c.HeightMM}})
	}
	return needs
}
