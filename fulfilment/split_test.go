package fulfilment

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func TestCarve(t *testing.T) {
	alloc := func(id, line, variant string, q int64) *ent.Allocation {
		return &ent.Allocation{ID: pulid.ID(id), LineID: pulid.ID(line), VariantID: pulid.ID(variant), Quantity: q}
	}
	// Line A: two allocations of the same variant (3 and 2); line B: one of 1; line K: a bundle
	// (two component variants).
	allocs := []*ent.Allocation{
		alloc("a1", "A", "va", 3), alloc("a2", "A", "va", 2), alloc("b1", "B", "vb", 1),
		alloc("k1", "K", "vk1", 2), alloc("k2", "K", "vk2", 4),
	}
	type moved struct {
		id   string
		move int64
	}
	for _, tc := range []struct {
		name  string
		lines []SplitLine
		want  []moved
		err   string
	}{
		{name: "part of the first allocation", lines: []SplitLine{{"A", 2}}, want: []moved{{"a1", 2}}},
		{name: "a whole allocation", lines: []SplitLine{{"A", 3}}, want: []moved{{"a1", 3}}},
		{name: "across allocations", lines: []SplitLine{{"A", 4}}, want: []moved{{"a1", 3}, {"a2", 1}}},
		{name: "two lines", lines: []SplitLine{{"B", 1}, {"A", 5}}, want: []moved{{"b1", 1}, {"a1", 3}, {"a2", 2}}},
		{name: "a bundle moves whole", lines: []SplitLine{{"K", 6}}, want: []moved{{"k1", 2}, {"k2", 4}}},
		{name: "a bundle in part", lines: []SplitLine{{"K", 3}}, err: "bundle"},
		{name: "more than the line has", lines: []SplitLine{{"A", 6}}, err: "has 5 units"},
		{name: "a line not in the shipment", lines: []SplitLine{{"Z", 1}}, err: "not in this shipment"},
		{name: "everything", lines: []SplitLine{{"A", 5}, {"B", 1}, {"K", 6}}, err: "leaves something"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cuts, err := carve(allocs, tc.lines)
			if tc.err != "" {
				require.Error(t, err)
				require.True(t, fault.Is(err, fault.InvalidArgument))
				require.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			got := make([]moved, len(cuts))
			for i, c := range cuts {
				got[i] = moved{string(c.alloc.ID), c.move}
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSplitInputValidate(t *testing.T) {
	ok := SplitInput{ShipmentID: pulid.New("shp"), Lines: []SplitLine{{OrderLineID: pulid.New("lin"), Quantity: 1}}}
	require.NoError(t, ok.Validate())
	line := ok.Lines[0]
	for name, in := range map[string]SplitInput{
		"no shipment":   {Lines: ok.Lines},
		"wrong prefix":  {ShipmentID: pulid.New("ord"), Lines: ok.Lines},
		"no lines":      {ShipmentID: ok.ShipmentID},
		"zero quantity": {ShipmentID: ok.ShipmentID, Lines: []SplitLine{{OrderLineID: line.OrderLineID}}},
		"twice":         {ShipmentID: ok.ShipmentID, Lines: []SplitLine{line, line}},
		"bad line id":   {ShipmentID: ok.ShipmentID, Lines: []SplitLine{{OrderLineID: "x", Quantity: 1}}},
	} {
		err := in.Validate()
		require.Error(t, err, name)
		require.True(t, fault.Is(err, fault.InvalidArgument), name)
	}
}
