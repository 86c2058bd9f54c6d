package outbound

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ingestion"
)

func TestDelivered(t *testing.T) {
	for _, tt := range []struct {
		from, to shipment.Status
		want     bool
	}{
		{shipment.StatusIN_TRANSIT, shipment.StatusDELIVERED, true},
		{shipment.StatusOUT_FOR_DELIVERY, shipment.StatusDELIVERED, true},
		{shipment.StatusSHIPPED, shipment.StatusDELIVERED, true},
		{shipment.StatusPACKED, shipment.StatusDELIVERED, true}, // a carrier's first scan
		{shipment.StatusDELIVERED, shipment.StatusDELIVERED, false},
		{shipment.StatusIN_TRANSIT, shipment.StatusOUT_FOR_DELIVERY, false},
		{shipment.StatusDELIVERED, shipment.StatusRETURNED_TO_SENDER, false},
		{shipment.StatusREADY_FOR_PICKUP, shipment.StatusCOLLECTED, false},
	} {
		require.Equal(t, tt.want, Delivered(tt.from, tt.to), "%s → %s", tt.from, tt.to)
	}
}

// shipmentMove is the event of a shipment's move, by Ordo or by the channel itself.
func shipmentMove(from, to, actor string) *ent.Event {
	return &ent.Event{Type: events.KindShipmentUpdated, OrderID: "ord_1", ChannelID: "chn_1", Actor: actor,
		Data: map[string]any{"shipmentID": "shp_1", "from": from, "to": to}}
}

func TestRelayedDeliveries(t *testing.T) {
	ship := ConfirmArgs{OrderID: "ord_1", ShipmentID: "shp_1", Action: ActionShip}
	deliver := DeliverArgs{OrderID: "ord_1", ShipmentID: "shp_1"}
	for _, tt := range []struct {
		name     string
		from, to string
		actor    string
		want     []river.JobArgs
	}{
		{"delivered", "IN_TRANSIT", "DELIVERED", "user:u1", []river.JobArgs{deliver}},
		{"left", "READY", "SHIPPED", "user:u1", []river.JobArgs{ship}},
		{"left delivered", "PACKED", "DELIVERED", "carrier", []river.JobArgs{ship, deliver}},
		{"on its way", "SHIPPED", "IN_TRANSIT", "carrier", nil},
		{"the channel's own", "IN_TRANSIT", "DELIVERED", ingestion.ActorPrefix + "chn_1", nil},
	} {
		e := shipmentMove(tt.from, tt.to, tt.actor)
		if !relevant(e) {
			require.Nil(t, tt.want, tt.name)
			continue
		}
		got, err := confirmOf(e)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
	e := shipmentMove("IN_TRANSIT", "DELIVERED", "carrier")
	e.ChannelID = ""
	require.False(t, relevant(e), "not a channel's order")
}

func TestDelivery(t *testing.T) {
	ext, at, now := "5551", time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	o := &ent.Order{ExternalID: &ext, ChannelRefs: map[string]string{"name": "#1001"}, Edges: ent.OrderEdges{Lines: testOrderLines}}
	sh := &ent.Shipment{ID: "shp_1", TrackingNumbers: []string{"KER-1", "KER-2"}, DeliveredAt: &at, Edges: ent.ShipmentEdges{Packages: []*ent.ShipmentPackage{
		{Index: 1, Contents: []schema.PackageItem{{LineID: "oln_tee", Quantity: 1}}}, {Index: 2, ChannelRef: "PKG2"},
	}}}
	require.Equal(t, channels.Delivery{
		OrderID: "5551", ShipmentID: "shp_1", TrackingNumber: "KER-1", DeliveredAt: at, Refs: map[string]string{"name": "#1001"},
		Packages: []channels.Package{
			{TrackingNumber: "KER-1", Lines: []channels.ShipmentLine{{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", Quantity: 1}}},
			{Ref: "PKG2", TrackingNumber: "KER-2"},
		},
	}, delivery(o, sh, now))
	sh.DeliveredAt, sh.TrackingNumbers = nil, nil
	d := delivery(o, sh, now)
	require.Equal(t, now, d.DeliveredAt, "no delivery time from the carrier: now")
	require.Empty(t, d.TrackingNumber)
}
