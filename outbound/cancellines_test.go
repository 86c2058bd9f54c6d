package outbound

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/events"
)

func TestPartialCancellation(t *testing.T) {
	// testOrderLines: TEE with three unit ids, a line without unit ids, a tip.
	tee := string(testOrderLines[0].ID)
	other := string(testOrderLines[1].ID)
	lines, ok := PartialCancellation(events.LinesCancelled{Lines: []events.CancelledLine{
		{LineID: tee, SKU: "TEE", Quantity: 1, UnitIDs: []string{"U3"}},
		{LineID: tee, SKU: "TEE", Returned: 1}, // all of it had left: a return, not told here
	}}, testOrderLines)
	require.True(t, ok)
	require.Equal(t, []channels.ShipmentLine{{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", UnitIDs: []string{"U3"}, Quantity: 1}}, lines)

	_, ok = PartialCancellation(events.LinesCancelled{Lines: []events.CancelledLine{{LineID: other, Quantity: 1}}}, testOrderLines)
	require.False(t, ok, "a channel that keeps lines, not units, hears only of whole cancellations")
	_, ok = PartialCancellation(events.LinesCancelled{Lines: []events.CancelledLine{{LineID: "lin_gone", Quantity: 1, UnitIDs: []string{"U9"}}}}, testOrderLines)
	require.False(t, ok)
}

// A whole cancellation after partial ones names only the units still wanted.
func TestOrderLinesLeaveCancelledUnitsOut(t *testing.T) {
	ls := []*ent.OrderLine{
		{ID: "lin_1", Kind: orderline.KindSTOCK, Sku: "TEE", Quantity: 3, CancelledQuantity: 1, ExternalUnitIds: []string{"U1", "U2", "U3"}},
		{ID: "lin_2", Kind: orderline.KindSTOCK, Sku: "CAP", ExternalLineID: "L2", Quantity: 2, CancelledQuantity: 2},
		{ID: "lin_3", Kind: orderline.KindSTOCK, Sku: "MUG", ExternalLineID: "L3", Quantity: 4, CancelledQuantity: 1},
	}
	require.Equal(t, []channels.ShipmentLine{
		{SKU: "TEE", UnitIDs: []string{"U1", "U2"}, Quantity: 2},
		{LineID: "L3", SKU: "MUG", Quantity: 3},
	}, orderLines(ls))
}
