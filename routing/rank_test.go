package routing

import (
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/stretchr/testify/require"
)

// twin is a warehouse at the same spot as BKK: cost and distance tie, so the ranking decides.
func twin(code string) Location {
	return warehouse(code, 13.7200, 100.5200, "TH", "Bangkok", "Bangkok")
}

func only(name string) Policy {
	p := DefaultPolicy()
	p.Criteria = []Criterion{{Name: name, Weight: 1}}
	return p
}

func ranking(d Decision) []pulid.ID {
	var ids []pulid.ID
	for _, c := range d.Trace.Ranking {
		ids = append(ids, c.LocationID)
	}
	return ids
}

func TestCriteria(t *testing.T) {
	shipBy := now.Add(24 * time.Hour)
	tests := []struct {
		name   string
		policy Policy
		order  func() Order
		locs   func() []Location
		stock  Stock
		rank   []string // expected order-level ranking
		chosen string
	}{
		{
			name: "distance", policy: only(CriterionDistance),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs:  func() []Location { return []Location{hktWH(), cnxWH(), bkkWH()} },
			stock: stock("TEE", "BKK", 1, "TEE", "CNX", 1, "TEE", "HKT", 1),
			rank:  []string{"BKK", "CNX", "HKT"}, chosen: "BKK",
		},
		{
			name: "stock after allocation", policy: only(CriterionStockAfter),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs:  func() []Location { return []Location{twin("A"), twin("B")} },
			stock: stock("TEE", "A", 5, "TEE", "B", 50),
			rank:  []string{"B", "A"}, chosen: "B",
		},
		{
			name: "congestion", policy: only(CriterionCongestion),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs: func() []Location {
				a, b, c := twin("A"), twin("B"), twin("C")
				a.DailyCapacity, a.Workload = 100, 90
				b.DailyCapacity, b.Workload = 100, 10
				c.DailyCapacity, c.Workload = 1000, 500
				return []Location{a, b, c}
			},
			stock: stock("TEE", "A", 5, "TEE", "B", 5, "TEE", "C", 5),
			rank:  []string{"B", "C", "A"}, chosen: "B",
		},
		{
			name: "ship-by: more slack first, infeasible last whatever its score", policy: DefaultPolicy(),
			order: func() Order { o := bangkokOrder(plainLine("1", "TEE", 1)); o.ShipBy = &shipBy; return o },
			locs: func() []Location {
				a, b, c := twin("A"), twin("B"), twin("C")
				a.EarliestShip, a.Priority = shipBy.Add(time.Hour), -10 // misses it
				b.EarliestShip = shipBy.Add(-2 * time.Hour)
				c.EarliestShip = shipBy.Add(-20 * time.Hour)
				return []Location{a, b, c}
			},
			stock: stock("TEE", "A", 500, "TEE", "B", 5, "TEE", "C", 5),
			rank:  []string{"C", "B", "A"}, chosen: "C",
		},
		{
			name: "cost", policy: only(CriterionCost),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs:  func() []Location { return []Location{jktWH(), cnxWH(), bkkWH()} },
			stock: stock("TEE", "BKK", 1, "TEE", "CNX", 1, "TEE", "JKT", 1),
			rank:  []string{"BKK", "CNX", "JKT"}, chosen: "BKK",
		},
		{
			name: "priority", policy: only(CriterionPriority),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs: func() []Location {
				a, b := twin("A"), twin("B")
				a.Priority, b.Priority = 2, 1
				return []Location{a, b}
			},
			stock: stock("TEE", "A", 5, "TEE", "B", 5),
			rank:  []string{"B", "A"}, chosen: "B",
		},
		{
			name: "all equal: priority then id", policy: DefaultPolicy(),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs:  func() []Location { return []Location{twin("Z"), twin("M"), twin("A")} },
			stock: stock("TEE", "A", 5, "TEE", "M", 5, "TEE", "Z", 5),
			rank:  []string{"A", "M", "Z"}, chosen: "A",
		},
		{
			name: "weights: stock outweighs distance in the ranking, the plan still ships the cheaper parcel",
			policy: func() Policy {
				p := DefaultPolicy()
				p.Criteria = []Criterion{{Name: CriterionDistance, Weight: 1}, {Name: CriterionStockAfter, Weight: 10}}
				return p
			}(),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs:  func() []Location { return []Location{bkkWH(), cnxWH()} },
			stock: stock("TEE", "BKK", 2, "TEE", "CNX", 200),
			rank:  []string{"CNX", "BKK"}, chosen: "BKK",
		},
		{
			name: "criteria order breaks ties of equal weighted scores",
			policy: func() Policy {
				p := DefaultPolicy()
				p.Criteria = []Criterion{{Name: CriterionCongestion, Weight: 1}, {Name: CriterionStockAfter, Weight: 1}}
				return p
			}(),
			order: func() Order { return bangkokOrder(plainLine("1", "TEE", 1)) },
			locs: func() []Location {
				a, b := twin("A"), twin("B")
				a.DailyCapacity, a.Workload = 10, 5 // worse congestion, more stock
				b.DailyCapacity, b.Workload = 10, 0
				return []Location{a, b}
			},
			stock: stock("TEE", "A", 20, "TEE", "B", 10),
			rank:  []string{"B", "A"}, chosen: "B",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Route(Input{Order: tt.order(), Locations: tt.locs(), Stock: tt.stock, Policy: tt.policy, Now: now})
			var want []pulid.ID
			for _, c := range tt.rank {
				want = append(want, locID(c))
			}
			require.Equal(t, want, ranking(d))
			require.Equal(t, want, func() []pulid.ID {
				var ids []pulid.ID
				for _, c := range d.Trace.Lines[0].Candidates {
					ids = append(ids, c.LocationID)
				}
				return ids
			}(), "the line ranks like the order when it has one line")
			require.Equal(t, []pulid.ID{locID(tt.chosen)}, locations(d))
			for i, c := range d.Trace.Ranking {
				require.Equal(t, i+1, c.Rank)
				var sum float64
				for _, s := range c.Criteria {
					require.GreaterOrEqual(t, s.Normalised, 0.0)
					require.LessOrEqual(t, s.Normalised, 1.0)
					sum += s.Weighted
				}
				require.InDelta(t, c.Score, sum, 1e-3)
			}
		})
	}
}

func TestShipByInfeasibleRanksLastButIsNotFiltered(t *testing.T) {
	shipBy := now.Add(2 * time.Hour)
	late := bkkWH()
	late.EarliestShip = shipBy.Add(time.Hour)
	o := bangkokOrder(plainLine("1", "TEE", 1))
	o.ShipBy = &shipBy
	d := Route(Input{Order: o, Locations: []Location{late}, Stock: stock("TEE", "BKK", 1), Policy: DefaultPolicy(), Now: now})
	require.Equal(t, OutcomeAllocate, d.Outcome)
	require.False(t, d.Shipments[0].ShipByMet)
	require.False(t, d.Trace.Ranking[0].ShipByMet)
	require.Empty(t, d.Trace.Rejected)
}

func TestDistanceFromCentroidOrNeutral(t *testing.T) {
	locs := []Location{hktWH(), cnxWH()}
	st := stock("TEE", "CNX", 1, "TEE", "HKT", 1)
	p := only(CriterionDistance)

	t.Run("postal code", func(t *testing.T) {
		o := bangkokOrder(plainLine("1", "TEE", 1))
		o.Destination = Address{CountryCode: "TH", PostalCode: "50200"} // Chiang Mai
		d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		require.Equal(t, shipping.SourcePostalCode, d.Trace.Destination.Source)
		require.Equal(t, []pulid.ID{locID("CNX"), locID("HKT")}, ranking(d))
		require.Less(t, d.Distance, 1.0)
	})
	t.Run("city", func(t *testing.T) {
		o := bangkokOrder(plainLine("1", "TEE", 1))
		o.Destination = Address{CountryCode: "TH", City: "phuket"}
		d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		require.Equal(t, shipping.SourceCity, d.Trace.Destination.Source)
		require.Equal(t, []pulid.ID{locID("HKT"), locID("CNX")}, ranking(d))
	})
	t.Run("unknown: neutral for all", func(t *testing.T) {
		o := bangkokOrder(plainLine("1", "TEE", 1))
		o.Destination = Address{CountryCode: "TH", City: "Nowhere"}
		d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		require.Equal(t, shipping.SourceUnknown, d.Trace.Destination.Source)
		require.Nil(t, d.Trace.Destination.Point)
		for _, c := range d.Trace.Ranking {
			require.False(t, c.Criteria[0].Known)
			require.Equal(t, 1.0, c.Criteria[0].Normalised)
		}
		require.Equal(t, []pulid.ID{locID("CNX"), locID("HKT")}, ranking(d), "by id when nothing else differs")
		require.False(t, d.Shipments[0].DistanceKnown)
	})
}
