package routing

import (
	"cmp"
	"slices"
)

// beamWidth bounds the plan search: at each extra shipment only the beamWidth most promising
// partial plans are extended.
const beamWidth = 12

// plan is a scored set of locations. set holds candidate indices in the order the plan fills
// them: the first location takes all it can, the next fills what is left, and so on.
type plan struct {
	set       []int
	left      []int64 // per group, units not yet allocated
	unmet     uint64  // groups with units left (see bit)
	allocated int64   // component units allocated
	misses    int     // shipments that miss the ship-by deadline
	cost      int64
	distance  float64
	rankSum   int
}

func (p *plan) shipments() int { return len(p.set) }

// compareComplete orders plans that cover the order: fewer shipments, fewer ship-by misses,
// lower cost, shorter distance, better-ranked locations, then the sets themselves.
func compareComplete(a, b *plan) int {
	if r := cmp.Compare(len(a.set), len(b.set)); r != 0 {
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

// search finds the best plan of up to MaxShipments locations.
//
// Every single location is scored first: O(C·(V+G)). If none covers the order, a beam search
// extends the beamWidth best partial plans by every candidate that can supply something still
// missing, keeping extensions that allocate more; each extension costs O(V+G), so a level costs
// O(beamWidth·C·(V+G)) and the whole search O(MaxShipments·beamWidth·C·(V+G)). The search stops
// at the first plan size that has a complete plan, so shipments are minimised first; it is a
// heuristic beyond two shipments (a complete plan outside the beam can be missed).
func (r *router) search() searchResult {
	var res searchResult
	if r.units == 0 {
		return res
	}
	G := len(r.d.groups)
	root := plan{left: make([]int64, G)}
	for g := range r.d.groups {
		root.left[g] = r.d.groups[g].qty
		root.unmet |= bit(g)
	}
	consider := func(p *plan) {
		if p.allocated == r.units {
			switch {
			case !res.complete || compareComplete(p, &res.best) < 0:
				if !res.complete || p.shipments() != res.best.shipments() {
					res.rivals = 0
				}
				res.best, res.found, res.complete = *p, true, true
				res.rivals++
			case p.shipments() == res.best.shipments():
				res.rivals++
			}
			return
		}
		if !res.complete && (!res.found || comparePartial(p, &res.best) < 0) {
			res.best, res.found = *p, true
		}
	}
	beam := []plan{root}
	for k := 1; k <= r.p.MaxShipments && !res.complete && len(beam) > 0; k++ {
		var next []plan // the best beamWidth extensions, sorted, distinct location sets
		last := k == r.p.MaxShipments
		// At the last size, first try only candidates that could complete a plan; the others
		// matter only if no plan completes.
		for pass := range 2 {
			if pass == 1 && (!last || res.complete) {
				break
			}
			for bi := range beam {
				s := &beam[bi]
				for c := range r.cands {
					if r.supply[c]&s.unmet == 0 || slices.Contains(s.set, c) {
						continue
					}
					if last && (pass == 0) != (r.supply[c]&s.unmet == s.unmet) {
						continue
					}
					res.evaluated++
					added := r.extend(s, c)
					if added == 0 {
						continue
					}
					p := plan{allocated: s.allocated + added, misses: s.misses, cost: s.cost,
						distance: s.distance + r.dist[c], rankSum: s.rankSum + c, set: s.set[:len(s.set):len(s.set)]}
					if !r.shipByMet[c] {
						p.misses++
					}
					// Decide on the scalars whether the plan matters before paying for its slices,
					// and for its packing: a plan that does not matter even at no added cost never
					// will (a higher cost only ranks it lower).
					p.set = append(p.set, c) // copies: the capacity above is full
					complete := p.allocated == r.units
					judge := func() (extendable, useful bool) {
						extendable = !complete && k < r.p.MaxShipments &&
							(len(next) < beamWidth || comparePartial(&p, &next[len(next)-1]) < 0)
						return extendable, extendable || complete || !res.complete && (!res.found || comparePartial(&p, &res.best) < 0)
					}
					if _, useful := judge(); !useful {
						continue
					}
					p.cost += r.cost(r.zone[c], r.take).Amount
					extendable, useful := judge()
					if !useful {
						continue
					}
					p.left = slices.Clone(s.left)
					for g, t := range r.take {
						p.left[g] -= t
						if p.left[g] > 0 {
							p.unmet |= bit(g)
						}
					}
					consider(&p)
					if extendable {
						next = insertBeam(next, p)
					}
				}
			}
		}
		beam = next
	}
	return res
}

// insertBeam adds a plan to a sorted beam of at most beamWidth plans, keeping only the better of
// two plans over the same set of locations.
func insertBeam(beam []plan, p plan) []plan {
	if len(beam) == beamWidth && comparePartial(&p, &beam[len(beam)-1]) >= 0 {
		return beam
	}
	for i := range beam {
		if sameSet(beam[i].set, p.set) {
			if comparePartial(&p, &beam[i]) >= 0 {
				return beam
			}
			beam = slices.Delete(beam, i, i+1)
			break
		}
	}
	i, _ := slices.BinarySearchFunc(beam, p, func(a, b plan) int { return comparePartial(&a, &b) })
	beam = slices.Insert(beam, i, p)
	if len(beam) > beamWidth {
		beam = beam[:beamWidth]
	}
	return beam
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// extend fills what plan s leaves unallocated from candidate c: indivisible bundles first, then
// the other groups, each in line order. It leaves the units taken per group in r.take and
// returns the component units added.
func (r *router) extend(s *plan, c int) (added int64) {
	row := r.rem[:len(r.d.variants)]
	copy(row, r.row(c))
	clear(r.take)
	n := len(r.cands)
	for _, g := range r.groupOrder {
		left := s.left[g]
		if left == 0 || !r.ok[g*n+c] {
			continue
		}
		gr := &r.d.groups[g]
		take := min(maxUnits(gr, row), left)
		if take == 0 {
			continue
		}
		for _, nd := range gr.needs {
			row[nd.v] -= take * nd.per
		}
		r.take[g] = take
		added += take * gr.unitsPer
	}
	return added
}

// replay recomputes a plan's allocation into r.alloc (group × position in the set).
func (r *router) replay(p plan) {
	k, G := len(p.set), len(r.d.groups)
	alloc := r.alloc[:G*k]
	clear(alloc)
	s := plan{left: make([]int64, G)}
	for g := range r.d.groups {
		s.left[g] = r.d.groups[g].qty
	}
	for i, c := range p.set {
		r.extend(&s, c)
		for g, t := range r.take {
			alloc[g*k+i] = t
			s.left[g] -= t
		}
	}
}
