package orders

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

func TestPlanCuts(t *testing.T) {
	one := map[pulid.ID]int64{"var_a": 1}
	tests := []struct {
		name  string
		line  lineUnits
		q     int64
		want  cutPlan
		fault fault.Code
	}{
		{name: "backordered units go first and hold nothing",
			line: lineUnits{Wanted: 3, PerUnit: one, Allocs: []unitAlloc{{ID: "alc_1", VariantID: "var_a", Quantity: 2}}},
			q:    1, want: cutPlan{Backordered: 1}},
		{name: "then units in no shipment, part of an allocation",
			line: lineUnits{Wanted: 3, PerUnit: one, Allocs: []unitAlloc{{ID: "alc_1", VariantID: "var_a", Quantity: 3}}},
			q:    2, want: cutPlan{Released: 2, Cuts: []inventory.UnitCut{{AllocationID: "alc_1", Quantity: 2}}}},
		{name: "unplanned before open shipments, which are named",
			line: lineUnits{Wanted: 3, PerUnit: one, Allocs: []unitAlloc{
				{ID: "alc_1", VariantID: "var_a", Quantity: 2, Stage: stageOpen, ShipmentID: "shp_1"},
				{ID: "alc_2", VariantID: "var_a", Quantity: 1}}},
			q: 2, want: cutPlan{Released: 2, Cuts: []inventory.UnitCut{{AllocationID: "alc_2", Quantity: 1}, {AllocationID: "alc_1", Quantity: 1}},
				Shipments: []pulid.ID{"shp_1"}}},
		{name: "units being picked are a conflict",
			line: lineUnits{Wanted: 2, PerUnit: one, Allocs: []unitAlloc{
				{ID: "alc_1", VariantID: "var_a", Quantity: 1, Stage: stageStarted, ShipmentID: "shp_1"},
				{ID: "alc_2", VariantID: "var_a", Quantity: 1}}},
			q: 2, fault: fault.Conflict},
		{name: "units handed over become a return",
			line: lineUnits{Wanted: 2, PerUnit: one, Allocs: []unitAlloc{
				{ID: "alc_1", VariantID: "var_a", Quantity: 1, Stage: stageShipped},
				{ID: "alc_2", VariantID: "var_a", Quantity: 1}}},
			q: 2, want: cutPlan{Released: 1, Returned: 1, Cuts: []inventory.UnitCut{{AllocationID: "alc_2", Quantity: 1}}}},
		{name: "a bundle unit cuts each component by its count",
			line: lineUnits{Wanted: 2, PerUnit: map[pulid.ID]int64{"var_a": 1, "var_b": 2}, Allocs: []unitAlloc{
				{ID: "alc_1", VariantID: "var_a", Quantity: 2}, {ID: "alc_2", VariantID: "var_b", Quantity: 4}}},
			q: 1, want: cutPlan{Released: 1, Cuts: []inventory.UnitCut{{AllocationID: "alc_1", Quantity: 1}, {AllocationID: "alc_2", Quantity: 2}}}},
		{name: "more than the line wants", line: lineUnits{Wanted: 1, PerUnit: one}, q: 2, fault: fault.Conflict},
		{name: "nothing", line: lineUnits{Wanted: 1, PerUnit: one}, q: 0, fault: fault.InvalidArgument},
		{name: "a line without stock cancels what it wants", line: lineUnits{Wanted: 2, PerUnit: map[pulid.ID]int64{}}, q: 2,
			want: cutPlan{Backordered: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planCuts(tc.line, tc.q)
			if tc.fault != "" {
				require.Equal(t, tc.fault, fault.CodeOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestCancelledUnitsStayLast(t *testing.T) {
	ids := []string{"u1", "u2", "u3", "u4"}
	tests := []struct {
		name                string
		cancelled, n        int64
		named               []string
		wantOrder, wantGone []string
	}{
		{"Ordo's cancellation takes the last units wanted", 0, 2, nil, []string{"u1", "u2", "u3", "u4"}, []string{"u3", "u4"}},
		{"the channel's named unit moves behind the live ones", 0, 1, []string{"u2"}, []string{"u1", "u3", "u4", "u2"}, []string{"u2"}},
		{"already cancelled units stay at the end", 1, 1, []string{"u1"}, []string{"u2", "u3", "u1", "u4"}, []string{"u1"}},
		{"a named unit already cancelled is not taken twice", 1, 1, []string{"u4"}, []string{"u1", "u2", "u3", "u4"}, []string{"u3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			order, gone := cancelledUnits(ids, 4, tc.cancelled, tc.n, tc.named)
			require.Equal(t, tc.wantOrder, order)
			require.Equal(t, tc.wantGone, gone)
		})
	}
	o, gone := cancelledUnits([]string{"u1"}, 3, 0, 1, nil)
	require.Nil(t, o, "not one id per unit: nothing to say")
	require.Nil(t, gone)
}

func TestRetotal(t *testing.T) {
	lines := []*ent.OrderLine{{UnitPriceAmount: 1000, Quantity: 3, CancelledQuantity: 2}, {UnitPriceAmount: 500, Quantity: 2}}
	sub, total, err := retotal(4000, 4300, lines) // a channel's total: shipping and rounding beyond Ordo's sum
	require.NoError(t, err)
	require.Equal(t, int64(2000), sub)
	require.Equal(t, int64(2300), total, "the total moves by what the subtotal moved")
	_, total, err = retotal(4000, 100, lines)
	require.NoError(t, err)
	require.Equal(t, int64(0), total, "never below zero")
	_, _, err = retotal(0, 0, []*ent.OrderLine{{UnitPriceAmount: 1 << 62, Quantity: 4}})
	require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))
}
