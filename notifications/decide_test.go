package notifications

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
)

func TestDecide(t *testing.T) {
	o := &ent.Order{ID: "ord_1", Version: 3}
	out := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionOUTBOUND}
	back := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionRETURN}
	retID := pulid.ID("ret_1")
	backFor := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionRETURN, ReturnID: &retID}
	expires := time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)
	pickup := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionOUTBOUND, PickupExpiresAt: &expires}
	ev := func(typ string, data map[string]any) *ent.Event {
		return &ent.Event{ID: 42, Type: typ, OrderID: "ord_1", Data: data}
	}
	move := func(from, to string) *ent.Event {
		return ev(events.KindShipmentUpdated, map[string]any{"shipmentID": "shp_1", "from": from, "to": to})
	}
	for _, tt := range []struct {
		name string
		e    *ent.Event
		sh   *ent.Shipment
		want []Intent
	}{
		{"placed", ev(events.KindOrderPlaced, map[string]any{"status": "CONFIRMED"}), nil,
			[]Intent{{Kind: KindOrderConfirmed, Version: "1"}}},
		{"placed unpaid: told when paid", ev(events.KindOrderPlaced, map[string]any{"status": "PENDING_PAYMENT"}), nil, nil},
		{"paid", ev(events.KindStatusChanged, map[string]any{"from": "PENDING_PAYMENT", "to": "CONFIRMED"}), nil,
			[]Intent{{Kind: KindOrderConfirmed, Version: "1"}}},
		{"expired unpaid", ev(events.KindStatusChanged, map[string]any{"from": "PENDING_PAYMENT", "to": "CANCELLED", "reason": "unpaid"}), nil,
			[]Intent{{Kind: KindCancelled, Version: "1", Facts: map[string]string{factReason: "unpaid"}}}},
		{"routed with a backorder: once per version of the order", ev(events.KindOrderRouted, map[string]any{"backorderedUnits": 2}), nil,
			[]Intent{{Kind: KindBackordered, Version: "v3"}}},
		{"routed whole", ev(events.KindOrderRouted, map[string]any{"backorderedUnits": 0}), nil, nil},
		{"backorder released whole", ev(events.KindBackorderReleased, map[string]any{"units": 2, "status": "ALLOCATED"}), nil,
			[]Intent{{Kind: KindAllocated, Version: "e42"}}},
		{"backorder released in part", ev(events.KindBackorderReleased, map[string]any{"units": 1, "status": "BACKORDERED"}), nil, nil},
		{"cancelled", ev(events.KindStatusChanged, map[string]any{"from": "CONFIRMED", "to": "CANCELLED", "reason": "out of stock"}), nil,
			[]Intent{{Kind: KindCancelled, Version: "1", Facts: map[string]string{factReason: "out of stock"}}}},
		{"another move", ev(events.KindStatusChanged, map[string]any{"from": "CONFIRMED", "to": "ALLOCATED"}), nil, nil},
		{"lines cancelled", ev(events.KindLinesCancelled, map[string]any{"lines": []any{map[string]any{"lineID": "oln_1", "sku": "TEE", "quantity": 1}}, "source": "AGENT"}), nil,
			[]Intent{{Kind: KindLinesCancelled, Version: "e42", Facts: map[string]string{factLines: `[{"lineID":"oln_1","sku":"TEE","quantity":1}]`}}}},
		{"shipped", move("READY", "SHIPPED"), out, []Intent{{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan in transit", move("PACKED", "IN_TRANSIT"), out, []Intent{{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}}},
		{"on its way", move("SHIPPED", "IN_TRANSIT"), out, nil},
		{"out for delivery", move("IN_TRANSIT", "OUT_FOR_DELIVERY"), out, []Intent{{Kind: KindOutForDelivery, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan out for delivery", move("READY", "OUT_FOR_DELIVERY"), out, []Intent{
			{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}, {Kind: KindOutForDelivery, Version: "shp_1", SubjectID: "shp_1"}}},
		{"delivered", move("OUT_FOR_DELIVERY", "DELIVERED"), out, []Intent{{Kind: KindDelivered, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan delivered: not shipped too", move("PACKED", "DELIVERED"), out, []Intent{{Kind: KindDelivered, Version: "shp_1", SubjectID: "shp_1"}}},
		{"ready for pickup", move("PACKED", "READY_FOR_PICKUP"), pickup, []Intent{{Kind: KindReadyForPickup, Version: "shp_1", SubjectID: "shp_1",
			Facts: map[string]string{factPickupBy: "2026-12-09T10:00:00Z"}}}},
		{"collected", move("READY_FOR_PICKUP", "COLLECTED"), pickup, nil},
		{"a return's parcel delivered", move("IN_TRANSIT", "DELIVERED"), back, nil},
		{"a shipment gone", move("IN_TRANSIT", "DELIVERED"), nil, nil},
		{"delayed", ev(events.KindShipmentDelayed, map[string]any{"shipmentID": "shp_1", "newPromise": "2026-12-12T00:00:00Z", "promisedBy": "2026-12-10T00:00:00Z"}), out,
			[]Intent{{Kind: KindDelayed, Version: "shp_1:2026-12-12T00:00:00Z", SubjectID: "shp_1",
				Facts: map[string]string{factNewPromise: "2026-12-12T00:00:00Z", factPreviousPromise: "2026-12-10T00:00:00Z"}}}},
		{"return approved", ev(events.KindReturnStatusChanged, map[string]any{"returnID": "ret_1", "from": "REQUESTED", "to": "APPROVED"}), nil,
			[]Intent{{Kind: KindReturnApproved, Version: "ret_1", SubjectID: "ret_1"}}},
		{"a return's PDF label", ev(events.KindDocumentCreated, map[string]any{"shipmentID": "shp_1", "documentID": "doc_1", "kind": "LABEL", "format": "PDF_4X6"}), backFor,
			[]Intent{{Kind: KindReturnApproved, Version: "ret_1:label:doc_1", SubjectID: "ret_1", Facts: map[string]string{factLabel: "doc_1"}}}},
		{"a return's ZPL label", ev(events.KindDocumentCreated, map[string]any{"shipmentID": "shp_1", "documentID": "doc_1", "kind": "LABEL", "format": "ZPL"}), backFor, nil},
		{"an outbound shipment's label", ev(events.KindDocumentCreated, map[string]any{"shipmentID": "shp_1", "documentID": "doc_1", "kind": "LABEL", "format": "PDF_4X6"}), out, nil},
		{"a return's packing slip", ev(events.KindDocumentCreated, map[string]any{"shipmentID": "shp_1", "documentID": "doc_1", "kind": "PACKING_SLIP", "format": "PDF_A4"}), backFor, nil},
		{"return declined", ev(events.KindReturnStatusChanged, map[string]any{"returnID": "ret_1", "from": "REQUESTED", "to": "DECLINED"}), nil, nil},
		{"return received", ev(events.KindReturnReceived, map[string]any{"returnID": "ret_1", "units": 1}), nil,
			[]Intent{{Kind: KindReturnReceived, Version: "ret_1", SubjectID: "ret_1"}}},
		{"refund paid", ev(events.KindRefundSettled, map[string]any{"refundID": "rfd_1", "status": "SUCCEEDED", "amount": 1500}), nil,
			[]Intent{{Kind: KindRefundIssued, Version: "rfd_1", SubjectID: "rfd_1", Facts: map[string]string{factAmount: "1500"}}}},
		{"refund failed", ev(events.KindRefundSettled, map[string]any{"refundID": "rfd_1", "status": "FAILED", "amount": 1500}), nil, nil},
		{"a marketplace's refund", ev(events.KindRefundMirrored, map[string]any{"refundID": "rfd_2", "returnID": "ret_1", "amount": 900}), nil,
			[]Intent{{Kind: KindRefundIssued, Version: "rfd_2", SubjectID: "rfd_2", Facts: map[string]string{factAmount: "900"}}}},
		{"an event that asks for nothing", ev(events.KindStockChanged, nil), nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Decide(tt.e, o, tt.sh))
		})
	}
	require.Nil(t, Decide(ev(events.KindOrderPlaced, nil), nil, nil), "an order gone")
}
