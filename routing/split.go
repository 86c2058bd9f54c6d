package routing

import (
	"cmp"
	"slices"
)

// beamWidth bounds the plan search: at each extra shipment only the beamWidth most promising
// partial plans are extended.
const beamWidth = 12

// plan is a scored set of locations. set holds candidate indices in rank order.
type plan struct {
	set       []int
	allocated int64 // component units allocated
	shipments int   // locations that ship something
	misses    int   // shipments that miss the ship-by deadline
	cost      int64
	distance  float64
	rankSum   int
}

// compareComplete orders plans that cover the order: fewer shipments, fewer ship-by misses,
// lower cost, shorter distance, better-ranked locations, then the sets themselves.
func compareComplete(a, b *plan) int {
	if r := cmp.Compare(a.shipments, b.shipments); r != 0 {
		return r
	}
	if r := cmp.Compare(a.misses, b.misses); r != 0 {
		return r
	}
	if r := cmp.Compare(a.cost, b.cost); r != 0 {
		return r
	}
	if r := cmp.Compare(a.distance, b.distance); r != 0 {
		return r
	}
	if r := cmp.Compare(a.rankSum, b.rankSum); r != 0 {
		return r
	}
	return slices.Compare(a.set, b.set)
}

// comparePartial orders any plans: more units allocated first, then as compareComplete.
func comparePartial(a, b *plan) int {
	if r := cmp.Compare(b.allocated, a.allocated); r != 0 {
		return r
	}
	return compareComplete(a, b)
}

// searchResult is the outcome of the plan search.
type searchResult struct {
	best      plan
	found     bool // best allocates something
	complete  bool
	evaluated int
	rivals    int // complete plans with the winner's number of shipments
}

// search finds the best plan of up to MaxShipments locations. It scores every single location
// first (O(C·V)); if none covers the order it runs a beam search: at each extra shipment, each of
// the beamWidth best partial plans is extended by every useful candidate, keeping additions that
// allocate more. It stops at the first size with a complete plan, so shipments are minimised
// first. Cost: O(C·V) + O(MaxShipments · beamWidth · C · (k·V + G·k)).
func (r *router) search() searchResult {
	var res searchResult
	if r.units == 0 {
		return res
	}
	var pool []int
	for c := range r.cands {
		for g := range r.d.groups {
			if r.ok[g*len(r.cands)+c] && maxUnits(&r.d.groups[g], r.row(c)) > 0 {
				pool = append(pool, c)
				break
			}
		}
	}
	consider := func(p plan) {
		res.evaluated++
		if p.allocated == 0 {
			return
		}
		if p.allocated == r.units {
			switch {
			case !res.complete || compareComplete(&p, &res.best) < 0:
				if !res.complete || p.shipments != res.best.shipments {
					res.rivals = 0
				}
				res.best, res.found, res.complete = p, true, true
				res.rivals++
			case p.shipments == res.best.shipments:
				res.rivals++
			}
			return
		}
		if !res.complete && (!res.found || comparePartial(&p, &res.best) < 0) {
			res.best, res.found = p, true
		}
	}
	var beam []plan
	for _, c := range pool {
		p := r.eval([]int{c})
		consider(p)
		if p.allocated > 0 {
			beam = append(beam, p)
		}
	}
	seen := map[string]struct{}{}
	key := make([]byte, 0, 2*r.p.MaxShipments)
	for k := 2; k <= r.p.MaxShipments && !res.complete && len(beam) > 0; k++ {
		slices.SortFunc(beam, func(a, b plan) int { return comparePartial(&a, &b) })
		beam = beam[:min(len(beam), beamWidth)]
		var next []plan
		for _, s := range beam {
			for _, c := range pool {
				if slices.Contains(s.set, c) {
					continue
				}
				set := make([]int, 0, k)
				set = append(set, s.set...)
				set = append(set, c)
				slices.Sort(set)
				key = key[:0]
				for _, x := range set {
					key = append(key, byte(x>>8), byte(x))
				}
				if _, dup := seen[string(key)]; dup {
					continue
				}
				seen[string(key)] = struct{}{}
				p := r.eval(set)
				if p.allocated <= s.allocated {
					res.evaluated++
					continue
				}
				consider(p)
				next = append(next, p)
			}
		}
		beam = next
	}
	return res
}

// eval allocates the order greedily over a set of locations (indivisible bundles first, then
// lines, each from the best-ranked location in the set that has stock) and scores the result.
// The allocation is left in r.alloc (group × set position).
func (r *router) eval(set []int) plan {
	k, V, G := len(set), len(r.d.variants), len(r.d.groups)
	rem := r.rem[:k*V]
	for i, c := range set {
		copy(rem[i*V:(i+1)*V], r.row(c))
	}
	alloc := r.alloc[:G*k]
	clear(alloc)
	p := plan{set: set}
	for _, g := range r.groupOrder {
		gr := &r.d.groups[g]
		left := gr.qty
		for i, c := range set {
			if left == 0 {
				break
			}
			if !r.ok[g*len(r.cands)+c] {
				continue
			}
			row := rem[i*V : (i+1)*V]
			take := maxUnits(gr, row)
			take = min(take, left)
			if take == 0 {
				continue
			}
			for _, n := range gr.needs {
				row[n.v] -= take * n.per
			}
			alloc[g*k+i] = take
			left -= take
			p.allocated += take * gr.unitsPer
		}
	}
	for i, c := range set {
		grams, ships := 0, false
		for g := range r.d.groups {
			if a := alloc[g*k+i]; a > 0 {
				grams += int(a) * r.d.groups[g].unitGrams
				ships = true
			}
		}
		if !ships {
			continue
		}
		p.shipments++
		p.rankSum += c
		p.cost += r.p.Rates.Cost(r.zone[c], grams)
		p.distance += r.dist[c]
		if !r.shipByMet[c] {
			p.misses++
		}
	}
	return p
}
