package webhooks

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/fault"
)

func TestBody(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	t.Run("a shipment's move: envelope, subject and the payload's own fields in one object", func(t *testing.T) {
		e := &ent.Event{ID: 42, Txid: 7, Type: "shipment.status_changed", OrderID: "ord_1", CustomerID: "cus_1",
			ChannelID: "chn_1", LocationID: "loc_1", CreatedAt: at,
			Data: map[string]any{"shipmentID": "shp_1", "command": "SHIP", "from": "PACKED", "to": "SHIPPED",
				"carrier": "Kerry", "trackingNumbers": []any{"KE1", "KE2"}}}
		b, err := Body(e)
		require.NoError(t, err)
		require.JSONEq(t, `{"type":"shipment.status_changed","timestamp":"2026-03-01T05:30:00Z","version":1,"data":{
			"eventId":"evt_42","sequence":42,"orderId":"ord_1","customerId":"cus_1","channelId":"chn_1","locationId":"loc_1",
			"shipmentID":"shp_1","command":"SHIP","from":"PACKED","to":"SHIPPED","carrier":"Kerry","trackingNumbers":["KE1","KE2"]}}`,
			string(b))
	})
	t.Run("a stock change carries its variant; ids an event is not about are empty", func(t *testing.T) {
		e := &ent.Event{ID: 9, Type: "stock.changed", VariantID: "var_1", LocationID: "loc_1", CreatedAt: at,
			Data: map[string]any{"sku": "TEE", "kind": "RECEIPT", "onHand": json.Number("5"), "available": json.Number("5")}}
		b, err := Body(e)
		require.NoError(t, err)
		var got struct {
			Data map[string]any `json:"data"`
		}
		require.NoError(t, json.Unmarshal(b, &got))
		require.Equal(t, "var_1", got.Data["variantId"])
		require.Equal(t, "", got.Data["orderId"])
		require.Equal(t, "TEE", got.Data["sku"])
		require.EqualValues(t, 5, got.Data["onHand"])
	})
	t.Run("an event outside the catalogue is not sent", func(t *testing.T) {
		_, err := Body(&ent.Event{ID: 1, Type: "hold.created", CreatedAt: at})
		require.ErrorContains(t, err, "not sent to partners")
	})
}

func TestCheckTypes(t *testing.T) {
	got, err := checkTypes([]string{"shipment.created", "order.placed"})
	require.NoError(t, err)
	require.Equal(t, []string{"order.placed", "shipment.created"}, got)
	got, err = checkTypes(nil)
	require.NoError(t, err)
	require.Empty(t, got, "none means all")
	_, err = checkTypes([]string{"order.placed", "hold.created"})
	require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
	require.ErrorContains(t, err, `"hold.created"`)
	_, err = checkTypes([]string{"order.placed", "order.placed"})
	require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
	for _, want := range []string{"order.placed", "order.status_changed", "order.lines_cancelled", "order.edited",
		"shipment.created", "shipment.status_changed", "shipment.delayed", "shipment.purchase_order", "return.requested",
		"return.status_changed", "return.received", "refund.requested", "refund.settled", "stock.changed"} {
		require.Contains(t, EventTypes(), want)
	}
}
