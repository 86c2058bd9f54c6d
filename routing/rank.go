package routing

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// metrics are a candidate's raw measures, one per criterion.
type metrics struct {
	loc           *Location
	distance      float64
	distanceKnown bool
	stockAfter    float64
	congestion    float64
	slackHours    float64
	slackKnown    bool
	shipByMet     bool
	cost          float64
	priority      float64
}

// raw returns a criterion's measure for a candidate, whether it is known, and whether higher is better.
func (m *metrics) raw(name string) (v float64, known, higherBetter bool) {
	switch name {
	case CriterionDistance:
		return m.distance, m.distanceKnown, false
	case CriterionStockAfter:
		return m.stockAfter, true, true
	case CriterionCongestion:
		return m.congestion, true, false
	case CriterionShipBy:
		return m.slackHours, m.slackKnown, true
	case CriterionCost:
		return m.cost, true, false
	case CriterionPriority:
		return m.priority, true, false
	}
	return 0, false, false // an unknown criterion is neutral for everyone
}

// rank scores candidates by the criteria and returns their indices best first with the trace of
// each, in the same order. Every criterion is normalised across the candidates to [0,1], 1 best;
// a criterion nobody can measure is 1 for all, and a candidate that cannot be measured when
// others can is 0. Candidates that miss the ship-by deadline rank last. Ties fall to the
// weighted criteria in listed order, then Location.Priority, then Location.ID.
func rank(criteria []Criterion, ms []metrics) ([]int, []Candidate) {
	n, k := len(ms), len(criteria)
	buf := make([]float64, 3*n*k+n)
	raws, norm, weighted, total := buf[:n*k], buf[n*k:2*n*k], buf[2*n*k:3*n*k], buf[3*n*k:]
	known := make([]bool, n*k)
	for c, cr := range criteria {
		lo, hi, seen := math.Inf(1), math.Inf(-1), false
		higher := false
		for i := range ms {
			v, ok, hb := ms[i].raw(cr.Name)
			higher = hb
			raws[i*k+c], known[i*k+c] = v, ok
			if ok {
				lo, hi, seen = min(lo, v), max(hi, v), true
			}
		}
		for i := range ms {
			x := 1.0
			switch {
			case !seen:
			case !known[i*k+c]:
				x = 0
			case hi > lo:
				if higher {
					x = (raws[i*k+c] - lo) / (hi - lo)
				} else {
					x = (hi - raws[i*k+c]) / (hi - lo)
				}
			}
			norm[i*k+c] = x
			weighted[i*k+c] = cr.Weight * x
			total[i] += weighted[i*k+c]
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if ms[a].shipByMet != ms[b].shipByMet {
			if ms[a].shipByMet {
				return -1
			}
			return 1
		}
		if r := cmp.Compare(total[b], total[a]); r != 0 {
			return r
		}
		for c := range k {
			if r := cmp.Compare(weighted[b*k+c], weighted[a*k+c]); r != 0 {
				return r
			}
		}
		if r := cmp.Compare(ms[a].loc.Priority, ms[b].loc.Priority); r != 0 {
			return r
		}
		return strings.Compare(string(ms[a].loc.ID), string(ms[b].loc.ID))
	})
	scores := make([]CriterionScore, n*k)
	cands := make([]Candidate, n)
	for r, i := range order {
		cs := scores[r*k : (r+1)*k : (r+1)*k]
		for c, cr := range criteria {
			cs[c] = CriterionScore{Name: cr.Name, Raw: round(raws[i*k+c]), Known: known[i*k+c],
				Normalised: round(norm[i*k+c]), Weighted: round(weighted[i*k+c])}
		}
		cands[r] = Candidate{LocationID: ms[i].loc.ID, Code: ms[i].loc.Code, Rank: r + 1,
			Score: round(total[i]), ShipByMet: ms[i].shipByMet, Criteria: cs}
	}
	return order, cands
}

// round keeps trace numbers readable and free of float noise.
func round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1e4) / 1e4
}
