package routing

import (
	"slices"
)

// lineTraces ranks, for each line, the eligible locations that can serve it and records the ones
// that cannot, with the reason, and where the plan sent it.
func (r *router) lineTraces(dec Decision) []LineTrace {
	out := make([]LineTrace, 0, len(r.in.Order.Lines))
	n := len(r.cands)
	for li, l := range r.in.Order.Lines {
		lt := LineTrace{LineID: l.ID, Held: r.d.heldLine[li]}
		var groups []int
		for g := range r.d.groups {
			if r.d.groups[g].line == li {
				groups = append(groups, g)
			}
		}
		if len(groups) > 0 {
			ms := make([]metrics, 0, n)
			lt.Rejected = make([]Rejection, 0, n)
			for _, c := range r.byID {
				loc := r.cands[c]
				allowed, units := false, int64(0)
				for _, g := range groups {
					if r.ok[g*n+c] {
						allowed = true
						units += maxUnits(&r.d.groups[g], r.row(c))
					}
				}
				switch {
				case !allowed:
					lt.Rejected = append(lt.Rejected, Rejection{LocationID: loc.ID, Code: loc.Code, Reason: ReasonDropShipSKU, Detail: "the supplier does not supply this variant"})
					continue
				case units == 0:
					lt.Rejected = append(lt.Rejected, Rejection{LocationID: loc.ID, Code: loc.Code, Reason: ReasonNoStock})
					continue
				}
				m := r.base[c]
				take := make([]int64, len(r.d.groups))
				for _, g := range groups {
					gr := &r.d.groups[g]
					for _, nd := range gr.needs {
						m.stockAfter += float64(r.row(c)[nd.v] - gr.qty*nd.per)
					}
					take[g] = gr.qty
				}
				m.cost = float64(r.cost(r.zone[c], take).Amount)
				ms = append(ms, m)
			}
			_, lt.Candidates = rank(r.p.Criteria, ms)
		}
		for _, s := range dec.Shipments {
			if slices.ContainsFunc(s.Items, func(it Item) bool { return it.LineID == l.ID }) && !slices.Contains(lt.Chosen, s.LocationID) {
				lt.Chosen = append(lt.Chosen, s.LocationID)
			}
		}
		out = append(out, lt)
	}
	return out
}
