package routing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
)

// router holds one routing decision's working state.
type router struct {
	in    Input
	p     Policy
	d     demand
	units int64
	dest  shipping.Point
	// destKnown is false when the customer could not be placed; distance is then neutral.
	destKnown bool
	// cands are the eligible locations in order-level rank order; the slices below are indexed alike.
	cands      []*Location
	avail      []int64 // candidate × variant
	zone       []shipping.Zone
	dist       []float64
	distKnown  []bool
	shipByMet  []bool
	ok         []bool    // group × candidate: the location may ship the group (drop-ship rule)
	groupOrder []int     // indivisible groups first, then the rest, each in line order
	rem        []int64   // scratch: one stock row
	take       []int64   // scratch: units taken per group by the last extend
	alloc      []int64   // group × plan position, filled by replay
	base       []metrics // per candidate: distance, congestion, ship-by, priority
	byID       []int     // candidate indices in location-id order
	supply     []uint64  // per candidate: groups it could supply on its own (bit g, for g < 64)
	// full are the locations dropped only for being at their daily capacity, so that a shortfall
	// they would have covered is reported as CAPACITY, not NO_STOCK.
	full []*Location
	// costs remembers shipment estimates by zone and units per group, packs packing plans by
	// units per group (see cost); costKey is their scratch key.
	costs   map[string]shipping.Estimate
	packs   map[string]packed
	costKey []byte
}

func (r *router) row(c int) []int64 {
	V := len(r.d.variants)
	return r.avail[c*V : (c+1)*V]
}

// Route decides where an order ships from. It is pure and deterministic: see the package comment.
func Route(in Input) Decision {
	r := &router{in: in, p: in.Policy.normalised()}
	o := in.Order
	r.d = expand(o, r.p, in.Now)
	r.units = r.d.units
	var dec Decision

	var src string
	r.dest, src, r.destKnown = o.Destination.place().Position()
	dec.Trace.Destination.Source = src
	if r.destKnown {
		pt := r.dest
		dec.Trace.Destination.Point = &pt
	}

	// Canonical order: by id, so the caller's slice order never matters.
	locs := make([]*Location, len(in.Locations))
	for i := range in.Locations {
		locs[i] = &in.Locations[i]
	}
	slices.SortStableFunc(locs, func(a, b *Location) int { return strings.Compare(string(a.ID), string(b.ID)) })

	// 1. Order-level eligibility.
	var eligible []*Location
	for _, l := range locs {
		if reason, detail := orderFilter(o, r.p, l); reason != "" {
			dec.Trace.Rejected = append(dec.Trace.Rejected, Rejection{LocationID: l.ID, Code: l.Code, Reason: reason, Detail: detail})
			if reason == ReasonCapacity {
				r.full = append(r.full, l)
			}
			continue
		}
		eligible = append(eligible, l)
	}

	// 2. Order-level ranking.
	V := len(r.d.variants)
	demandV := make([]int64, V)
	whole := make([]int64, len(r.d.groups)) // every unit of the order
	for gi, g := range r.d.groups {
		for _, n := range g.needs {
			demandV[n.v] += g.qty * n.per
		}
		whole[gi] = g.qty
	}
	ms := make([]metrics, len(eligible))
	rows := make([]int64, len(eligible)*V)
	for v, id := range r.d.variants {
		if at := in.Stock[id]; at != nil {
			for i, l := range eligible {
				rows[i*V+v] = max(0, at[l.ID])
			}
		}
	}
	for i, l := range eligible {
		row := rows[i*V : (i+1)*V]
		m := r.baseMetrics(l)
		for v := range row {
			m.stockAfter += float64(row[v] - demandV[v])
		}
		m.cost = float64(r.cost(r.zoneOf(l), whole).Amount)
		ms[i] = m
	}
	order, ranking := rank(r.p.Criteria, ms)
	dec.Trace.Ranking = ranking
	n := len(order)
	r.cands = make([]*Location, n)
	r.avail = make([]int64, n*V)
	r.zone = make([]shipping.Zone, n)
	r.dist = make([]float64, n)
	r.distKnown = make([]bool, n)
	r.shipByMet = make([]bool, n)
	for c, i := range order {
		l := eligible[i]
		r.cands[c] = l
		copy(r.avail[c*V:(c+1)*V], rows[i*V:(i+1)*V])
		r.zone[c] = r.zoneOf(l)
		r.dist[c], r.distKnown[c], r.shipByMet[c] = ms[i].distance, ms[i].distanceKnown, ms[i].shipByMet
		r.base = append(r.base, ms[i])
		r.base[c].stockAfter, r.base[c].cost = 0, 0
	}
	r.byID = make([]int, n)
	for c := range r.byID {
		r.byID[c] = c
	}
	slices.SortFunc(r.byID, func(a, b int) int { return strings.Compare(string(r.cands[a].ID), string(r.cands[b].ID)) })
	G := len(r.d.groups)
	r.ok = make([]bool, G*n)
	r.supply = make([]uint64, n)
	for g := range r.d.groups {
		for c, l := range r.cands {
			r.ok[g*n+c] = supplies(l, &r.d.groups[g])
			if r.ok[g*n+c] && (g >= 64 || maxUnits(&r.d.groups[g], r.row(c)) > 0) {
				r.supply[c] |= bit(g)
			}
		}
	}
	for g := range r.d.groups {
		if !r.d.groups[g].divisible {
			r.groupOrder = append(r.groupOrder, g)
		}
	}
	for g := range r.d.groups {
		if r.d.groups[g].divisible {
			r.groupOrder = append(r.groupOrder, g)
		}
	}
	r.rem = make([]int64, V)
	r.take = make([]int64, G)
	r.alloc = make([]int64, r.p.MaxShipments*G)

	// 3. Plan search.
	res := r.search()

	// 4. Outcome.
	r.decide(&dec, res)
	dec.Trace.Lines = r.lineTraces(dec)
	return dec
}

// baseMetrics measures what does not depend on the lines: distance, congestion, ship-by, priority.
func (r *router) baseMetrics(l *Location) metrics {
	m := metrics{loc: l, priority: float64(l.Priority), shipByMet: true}
	if r.destKnown {
		if pt, _, ok := l.place().Position(); ok {
			m.distance, m.distanceKnown = shipping.DistanceKm(pt, r.dest), true
		}
	}
	if l.DailyCapacity > 0 {
		m.congestion = float64(l.Workload) / float64(l.DailyCapacity)
	}
	if sb := r.in.Order.ShipBy; sb != nil && !l.EarliestShip.IsZero() {
		m.slackHours = sb.Sub(l.EarliestShip).Hours()
		m.slackKnown = true
		m.shipByMet = !l.EarliestShip.After(*sb)
	}
	return m
}

// decide turns the search result into the decision's outcome, shipments and shortfalls.
func (r *router) decide(dec *Decision, res searchResult) {
	dec.Held = r.d.held
	mode := r.p.Backorder
	if r.units == 0 {
		if len(r.d.held) > 0 {
			dec.Outcome = OutcomeHold
			dec.Trace.Plan.Why = "every line is a pre-order not yet released"
		} else {
			dec.Outcome = OutcomeReview
			dec.ReviewReason = "the order has no units to route"
			dec.Trace.Plan.Why = dec.ReviewReason
		}
		return
	}
	ship := res.found && (res.complete || mode == BackorderPartial)
	if ship {
		r.replay(res.best)
		r.shipments(dec, res.best.set)
	}
	allocated := make([]int64, len(r.d.groups))
	if ship {
		k := len(res.best.set)
		for g := range r.d.groups {
			for i := range k {
				allocated[g] += r.alloc[g*k+i]
			}
		}
	}
	for g := range r.d.groups {
		gr := &r.d.groups[g]
		short := gr.qty - allocated[g]
		if short == 0 {
			continue
		}
		reason := r.shortReason(g)
		switch {
		case !res.complete && mode == BackorderWhole:
			reason = ShortWhole
		case !res.complete && mode == BackorderReview:
			reason = ShortReview
		}
		for _, n := range gr.needs {
			dec.Backordered = append(dec.Backordered, Shortfall{LineID: gr.lineID, VariantID: n.variant, Quantity: short * n.per, Reason: reason})
		}
	}
	pt := &dec.Trace.Plan
	pt.Evaluated = res.evaluated
	pt.Complete = res.complete
	for _, s := range dec.Shipments {
		pt.Locations = append(pt.Locations, s.LocationID)
	}
	pt.Shipments, pt.Cost, pt.Distance = len(dec.Shipments), dec.Cost, dec.Distance
	best := r.describe(res.best)
	switch {
	case res.complete && len(r.d.held) > 0:
		dec.Outcome = OutcomeHold
		pt.Why = fmt.Sprintf("%s; pre-order lines held until release", r.why(res, best))
	case res.complete:
		dec.Outcome = OutcomeAllocate
		pt.Why = r.why(res, best)
	case mode == BackorderReview:
		dec.Outcome = OutcomeReview
		if res.found {
			dec.ReviewReason = fmt.Sprintf("cannot serve all %d units within %d shipment(s): the best plan (%s) allocates %d", r.units, r.p.MaxShipments, best, res.best.allocated)
		} else {
			dec.ReviewReason = fmt.Sprintf("no eligible location has stock for any of the %d units", r.units)
		}
		pt.Why = "parked for review: " + dec.ReviewReason
	case mode == BackorderWhole || !res.found:
		dec.Outcome = OutcomeBackorder
		if res.found {
			pt.Why = fmt.Sprintf("cannot serve all %d units within %d shipment(s) (best: %s allocates %d); the policy backorders the whole order", r.units, r.p.MaxShipments, best, res.best.allocated)
		} else {
			pt.Why = fmt.Sprintf("no eligible location has stock for any of the %d units", r.units)
		}
	default:
		dec.Outcome = OutcomePartial
		pt.Why = fmt.Sprintf("cannot serve all %d units within %d shipment(s); allocating %d from %s, backordering the rest", r.units, r.p.MaxShipments, res.best.allocated, best)
	}
}

// why explains a complete plan.
func (r *router) why(res searchResult, best string) string {
	if res.best.shipments() == 1 {
		return fmt.Sprintf("one location covers the whole order: %s, best of %d single-location plan(s) by ship-by, cost, distance, then rank", best, res.rivals)
	}
	return fmt.Sprintf("no single location covers the order; %s is the best of %d complete %d-shipment plan(s) found by ship-by, cost, distance, then rank", best, res.rivals, res.best.shipments())
}

// describe names a plan's locations.
func (r *router) describe(p plan) string {
	codes := make([]string, len(p.set))
	for i, c := range p.set {
		codes[i] = r.cands[c].Code
		if codes[i] == "" {
			codes[i] = string(r.cands[c].ID)
		}
	}
	return strings.Join(codes, " + ")
}

// shortReason says whether the eligible network lacks a group's units or could not reach them
// within the split limit.
func (r *router) shortReason(g int) string {
	gr := &r.d.groups[g]
	var units int64
	for c := range r.cands {
		if r.ok[g*len(r.cands)+c] {
			units += maxUnits(gr, r.row(c))
		}
	}
	if units >= gr.qty {
		return ShortSplitLimit
	}
	// Would the locations at capacity have had the rest?
	row := make([]int64, len(r.d.variants))
	for _, l := range r.full {
		if !supplies(l, gr) {
			continue
		}
		for v, id := range r.d.variants {
			row[v] = max(0, r.in.Stock[id][l.ID])
		}
		if units += maxUnits(gr, row); units >= gr.qty {
			return ShortCapacity
		}
	}
	return ShortNoStock
}

// shipments materialises the allocation left in r.alloc for a set of locations.
func (r *router) shipments(dec *Decision, set []int) {
	k := len(set)
	take := make([]int64, len(r.d.groups))
	for i, c := range set {
		l := r.cands[c]
		s := Shipment{LocationID: l.ID, Code: l.Code, Kind: l.Kind, Zone: r.zone[c], Distance: round(r.dist[c]),
			DistanceKnown: r.distKnown[c], EarliestShip: l.EarliestShip, ShipByMet: r.shipByMet[c]}
		for g := range r.d.groups {
			a := r.alloc[g*k+i]
			take[g] = a
			if a == 0 {
				continue
			}
			gr := &r.d.groups[g]
			for _, n := range gr.needs {
				s.Items = append(s.Items, Item{LineID: gr.lineID, VariantID: n.variant, Quantity: a * n.per, Bundle: gr.bundle})
				s.Units += a * n.per
			}
			s.WeightGrams += int(a) * gr.unitGrams
		}
		if len(s.Items) == 0 {
			continue
		}
		slices.SortStableFunc(s.Items, func(a, b Item) int { return r.lineIndex(a.LineID) - r.lineIndex(b.LineID) })
		e := r.cost(s.Zone, take)
		s.Cost, s.Parcels = e.Amount, e.Parcels
		dec.Cost += s.Cost
		dec.Distance += s.Distance
		dec.Shipments = append(dec.Shipments, s)
	}
	dec.Distance = round(dec.Distance)
}

// lineIndex is the position of a line in the order.
func (r *router) lineIndex(id pulid.ID) int {
	for i, l := range r.in.Order.Lines {
		if l.ID == id {
			return i
		}
	}
	return len(r.in.Order.Lines)
}

// bit is a group's bit in a supply mask; groups beyond 63 share the top bit, which only makes the
// mask a weaker filter.
func bit(g int) uint64 { return 1 << min(g, 63) }
