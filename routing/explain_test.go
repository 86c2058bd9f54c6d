package routing_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/routing"
)

func TestExplain(t *testing.T) {
	bkk, cnx, hkt, pos := pulid.ID("loc_BKK"), pulid.ID("loc_CNX"), pulid.ID("loc_HKT"), pulid.ID("loc_POS")
	names := map[pulid.ID]string{bkk: "Bangkok DC", cnx: "Chiang Mai store", hkt: "Phuket DC"}
	distance := func(km float64) routing.CriterionScore {
		return routing.CriterionScore{Name: routing.CriterionDistance, Raw: km, Known: true}
	}
	shipBy := routing.CriterionScore{Name: routing.CriterionShipBy, Raw: 5, Known: true}
	tests := []struct {
		name  string
		trace routing.Trace
		want  []string
	}{
		{
			name: "one location chosen, one ranked lower, one rejected",
			trace: routing.Trace{
				Rejected: []routing.Rejection{{LocationID: pos, Code: "POS-1", Reason: routing.ReasonNoStock}},
				Ranking: []routing.Candidate{
					{LocationID: bkk, Code: "BKK", Rank: 1, ShipByMet: true, Criteria: []routing.CriterionScore{distance(12.4), shipBy}},
					{LocationID: hkt, Code: "HKT", Rank: 2, ShipByMet: false, Criteria: []routing.CriterionScore{distance(680), shipBy}},
				},
				Plan: routing.PlanTrace{Locations: []pulid.ID{bkk}, Shipments: 1, Complete: true},
			},
			want: []string{
				"Ships from Bangkok DC: 12 km, in stock, meets the ship-by.",
				"Phuket DC ranked 2, not chosen: it cannot meet the ship-by.",
				"POS-1 not considered: out of stock.",
			},
		},
		{
			name: "a split over two locations, no distance known, no ship-by",
			trace: routing.Trace{
				Ranking: []routing.Candidate{
					{LocationID: bkk, Rank: 1, Criteria: []routing.CriterionScore{{Name: routing.CriterionDistance}}},
					{LocationID: cnx, Rank: 2},
				},
				Rejected: []routing.Rejection{{LocationID: hkt, Reason: routing.ReasonCapacity, Detail: "200 of 200 today"}},
				Plan:     routing.PlanTrace{Locations: []pulid.ID{bkk, cnx}, Shipments: 2, Complete: false},
			},
			want: []string{
				"Ships from Bangkok DC: in stock.",
				"Ships from Chiang Mai store: in stock.",
				"Some units wait for stock (backordered or held).",
				"Phuket DC not considered: at its daily capacity (200 of 200 today).",
			},
		},
		{
			name:  "nothing could ship",
			trace: routing.Trace{Plan: routing.PlanTrace{Why: "no stock anywhere"}},
			want:  []string{"Not allocated: no stock anywhere."},
		},
		{
			name:  "an empty trace",
			trace: routing.Trace{},
			want:  []string{"Not allocated: no location could ship it."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, routing.Explain(tc.trace, names))
		})
	}
}
