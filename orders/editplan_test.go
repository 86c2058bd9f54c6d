package orders

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

func TestPlanEdit(t *testing.T) {
	lines := []*ent.OrderLine{
		{ID: "lin_a", Sku: "A", Quantity: 3, CancelledQuantity: 1}, // wants 2
		{ID: "lin_b", Sku: "B", Quantity: 1},
		{ID: "lin_c", Sku: "C", Quantity: 2, CancelledQuantity: 2}, // wants nothing
	}
	price := int64(700)
	tests := []struct {
		name  string
		in    EditInput
		want  editPlan
		fault fault.Code
	}{
		{name: "lower cancels the difference", in: EditInput{SetQuantities: []EditQuantity{{"lin_a", 1}}},
			want: editPlan{Cancel: []CancelLine{{LineID: "lin_a", Quantity: 1}},
				Changes: []events.EditChange{{Kind: events.ChangeQuantity, LineID: "lin_a", SKU: "A", From: 2, To: 1}}}},
		{name: "higher raises by the difference", in: EditInput{SetQuantities: []EditQuantity{{"lin_b", 4}}},
			want: editPlan{Raise: []EditQuantity{{"lin_b", 3}},
				Changes: []events.EditChange{{Kind: events.ChangeQuantity, LineID: "lin_b", SKU: "B", From: 1, To: 4}}}},
		{name: "the same quantity changes nothing", in: EditInput{SetQuantities: []EditQuantity{{"lin_a", 2}}}, want: editPlan{}},
		{name: "zero cancels what the line wants", in: EditInput{SetQuantities: []EditQuantity{{"lin_a", 0}}},
			want: editPlan{Cancel: []CancelLine{{LineID: "lin_a", Quantity: 2}},
				Changes: []events.EditChange{{Kind: events.ChangeQuantity, LineID: "lin_a", SKU: "A", From: 2}}}},
		{name: "remove cancels all it wants; a line with nothing left is skipped",
			in: EditInput{RemoveLines: []pulid.ID{"lin_b", "lin_c"}},
			want: editPlan{Cancel: []CancelLine{{LineID: "lin_b", Quantity: 1}},
				Changes: []events.EditChange{{Kind: events.ChangeRemoveLine, LineID: "lin_b", SKU: "B", From: 1}}}},
		{name: "an added line", in: EditInput{AddLines: []Line{{SKU: "D", Quantity: 2, UnitPrice: &price}}},
			want: editPlan{Add: []Line{{SKU: "D", Quantity: 2, UnitPrice: &price}},
				Changes: []events.EditChange{{Kind: events.ChangeAddLine, SKU: "D", To: 2}}}},
		{name: "a line named twice", in: EditInput{SetQuantities: []EditQuantity{{"lin_a", 1}}, RemoveLines: []pulid.ID{"lin_a"}}, fault: fault.InvalidArgument},
		{name: "another order's line", in: EditInput{SetQuantities: []EditQuantity{{"lin_x", 1}}}, fault: fault.NotFound},
		{name: "a negative quantity", in: EditInput{SetQuantities: []EditQuantity{{"lin_a", -1}}}, fault: fault.InvalidArgument},
		{name: "an added line without units", in: EditInput{AddLines: []Line{{SKU: "D"}}}, fault: fault.InvalidArgument},
		{name: "an added line without SKU", in: EditInput{AddLines: []Line{{Quantity: 1}}}, fault: fault.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planEdit(lines, tc.in)
			if tc.fault != "" {
				require.Equal(t, tc.fault, fault.CodeOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestDiffChannelLines(t *testing.T) {
	perUnit := &ent.OrderLine{ID: "lin_u", Sku: "TEE", Quantity: 3, ExternalUnitIds: []string{"u1", "u2", "u3"}}
	byLine := &ent.OrderLine{ID: "lin_l", Sku: "CAP", Quantity: 2, ExternalLineID: "L1"}
	tests := []struct {
		name  string
		lines []*ent.OrderLine
		snap  []ChannelLine
		want  lineChanges
	}{
		{name: "a unit shown cancelled is cancelled, named", lines: []*ent.OrderLine{perUnit},
			snap: []ChannelLine{{SKU: "TEE", Quantity: 2, UnitIDs: []string{"u1", "u3"}}, {SKU: "TEE", Quantity: 1, UnitIDs: []string{"u2"}, Cancelled: true}},
			want: lineChanges{Cancel: []CancelLine{{LineID: "lin_u", Quantity: 1, unitIDs: []string{"u2"}}}}},
		{name: "a unit no longer shown counts as cancelled", lines: []*ent.OrderLine{perUnit},
			snap: []ChannelLine{{SKU: "TEE", Quantity: 2, UnitIDs: []string{"u1", "u2"}}},
			want: lineChanges{Cancel: []CancelLine{{LineID: "lin_u", Quantity: 1, unitIDs: []string{"u3"}}}}},
		{name: "units already counted cancelled change nothing",
			lines: []*ent.OrderLine{{ID: "lin_u", Quantity: 3, CancelledQuantity: 1, ExternalUnitIds: []string{"u1", "u2", "u3"}}},
			snap:  []ChannelLine{{Quantity: 2, UnitIDs: []string{"u1", "u2"}}, {Quantity: 1, UnitIDs: []string{"u3"}, Cancelled: true}},
			want:  lineChanges{}},
		{name: "a snapshot without unit ids leaves per-unit lines alone", lines: []*ent.OrderLine{perUnit},
			snap: []ChannelLine{{SKU: "TEE", Quantity: 1}}, want: lineChanges{}},
		{name: "a lower current quantity cancels, a higher raises", lines: []*ent.OrderLine{byLine, {ID: "lin_m", Quantity: 1, ExternalLineID: "L2"}},
			snap: []ChannelLine{{LineID: "L1", Quantity: 1}, {LineID: "L2", Quantity: 3}},
			want: lineChanges{Cancel: []CancelLine{{LineID: "lin_l", Quantity: 1}}, Raise: []EditQuantity{{"lin_m", 3}}}},
		{name: "a cancelled line wants nothing", lines: []*ent.OrderLine{byLine},
			snap: []ChannelLine{{LineID: "L1", Quantity: 2, Cancelled: true}},
			want: lineChanges{Cancel: []CancelLine{{LineID: "lin_l", Quantity: 2}}}},
		{name: "a new line with a SKU is added; unmapped or empty ones are not", lines: []*ent.OrderLine{byLine},
			snap: []ChannelLine{{LineID: "L1", Quantity: 2}, {LineID: "L9", SKU: "CAP", Quantity: 1, UnitPrice: 500},
				{LineID: "L10", Quantity: 1}, {LineID: "L11", SKU: "CAP"}},
			want: lineChanges{Add: []Line{{SKU: "CAP", Quantity: 1, UnitPrice: ptr(int64(500)), ChannelLineID: "L9"}}}},
		{name: "no snapshot lines: nothing", lines: []*ent.OrderLine{byLine}, want: lineChanges{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, diffChannelLines(tc.lines, tc.snap))
		})
	}
}
