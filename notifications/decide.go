package notifications

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
)

// The notification kinds (schema.NotificationKinds).
const (
	KindOrderConfirmed = "ORDER_CONFIRMED"
	KindBackordered    = "BACKORDERED"
	KindAllocated      = "ALLOCATED"
	KindShipped        = "SHIPPED"
	KindOutForDelivery = "OUT_FOR_DELIVERY"
	KindDelivered      = "DELIVERED"
	KindDelayed        = "DELAYED"
	KindReadyForPickup = "READY_FOR_PICKUP"
	KindPickupExpiring = "PICKUP_EXPIRING"
	KindReturnApproved = "RETURN_APPROVED"
	KindReturnReceived = "RETURN_RECEIVED"
	KindRefundIssued   = "REFUND_ISSUED"
	KindCancelled      = "CANCELLED"
	KindLinesCancelled = "LINES_CANCELLED"
)

// The facts an intent carries into its row (Notification.facts) for the message to tell.
const (
	factAmount          = "amount"          // a refund's, minor units
	factNewPromise      = "newPromise"      // RFC 3339
	factPreviousPromise = "previousPromise" // RFC 3339
	factLines           = "lines"           // JSON []events.CancelledLine
	factReason          = "reason"
	factPickupBy        = "pickupBy" // RFC 3339
	factLabel           = "label"    // the document id of a return's label
)

// Intent is a message an event asks for: its kind, its version (what makes it distinct from the
// other messages of that kind on the order: sent once per version), what it is about, and what the
// event said that the message tells.
type Intent struct {
	Kind      string
	Version   string
	SubjectID string
	Facts     map[string]string
}

// relayed are the event kinds that may ask for a notification.
var relayed = []string{
	events.KindOrderPlaced, events.KindOrderRouted, events.KindBackorderReleased, events.KindStatusChanged,
	events.KindLinesCancelled, events.KindShipmentUpdated, events.KindShipmentDelayed,
	events.KindDocumentCreated, events.KindReturnStatusChanged, events.KindReturnReceived, events.KindRefundSettled, events.KindRefundMirrored,
}

// Decide turns one event into the messages it asks for. o is the event's order and sh, for
// shipment events, its shipment, as the store holds them now (nil when gone): only an order's
// outbound shipments are told of (a return's parcel is the return's business), and a backorder is
// told once per version of the order. It is pure.
func Decide(e *ent.Event, o *ent.Order, sh *ent.Shipment) []Intent {
	if o == nil {
		return nil
	}
	one := func(kind, version, subject string, facts map[string]string) []Intent {
		return []Intent{{Kind: kind, Version: version, SubjectID: subject, Facts: facts}}
	}
	eventID := "e" + strconv.FormatInt(e.ID, 10)
	switch e.Type {
	case events.KindOrderPlaced:
		p, err := events.Decode[events.OrderPlaced](e)
		if err != nil || p.Status == string(order.StatusPENDING_PAYMENT) {
			return nil // confirmed when paid (below), or never if it expires unpaid
		}
		return one(KindOrderConfirmed, "1", "", nil)
	case events.KindOrderRouted:
		p, err := events.Decode[events.OrderRouted](e)
		if err != nil || p.BackorderedUnits <= 0 {
			return nil
		}
		return one(KindBackordered, "v"+strconv.Itoa(o.Version), "", nil)
	case events.KindBackorderReleased:
		p, err := events.Decode[events.BackorderReleased](e)
		if err != nil || p.Status == string(order.StatusBACKORDERED) {
			return nil
		}
		return one(KindAllocated, eventID, "", nil)
	case events.KindStatusChanged:
		p, err := events.Decode[events.StatusChanged](e)
		switch {
		case err != nil || p.From == p.To:
			return nil
		case p.To == string(order.StatusCANCELLED):
			return one(KindCancelled, "1", "", facts(factReason, p.Reason))
		case p.From == string(order.StatusPENDING_PAYMENT):
			return one(KindOrderConfirmed, "1", "", nil) // paid
		}
		return nil
	case events.KindLinesCancelled:
		p, err := events.Decode[events.LinesCancelled](e)
		if err != nil || len(p.Lines) == 0 {
			return nil
		}
		lines, err := json.Marshal(p.Lines)
		if err != nil {
			return nil
		}
		return one(KindLinesCancelled, eventID, "", facts(factLines, string(lines), factReason, p.Reason))
	case events.KindShipmentUpdated:
		p, err := events.Decode[events.ShipmentUpdated](e)
		if err != nil || !outbound(sh, p.ShipmentID) {
			return nil
		}
		return shipmentIntents(sh, shipment.Status(p.From), shipment.Status(p.To))
	case events.KindShipmentDelayed:
		p, err := events.Decode[events.ShipmentDelayed](e)
		if err != nil || !outbound(sh, p.ShipmentID) || p.NewPromise == "" {
			return nil
		}
		return one(KindDelayed, p.ShipmentID+":"+p.NewPromise, p.ShipmentID,
			facts(factNewPromise, p.NewPromise, factPreviousPromise, p.PromisedBy))
	case events.KindDocumentCreated:
		// A return's label printed as a PDF: the approval is told again, with the label attached
		// (a ZPL label is for a warehouse's printer, not a customer's).
		p, err := events.Decode[events.DocumentCreated](e)
		if err != nil || p.Document != string(document.KindLABEL) || !strings.HasPrefix(p.Format, "PDF") ||
			sh == nil || string(sh.ID) != p.ShipmentID || sh.Direction != shipment.DirectionRETURN || sh.ReturnID == nil {
			return nil
		}
		ret := string(*sh.ReturnID)
		return one(KindReturnApproved, ret+":label:"+p.DocumentID, ret, facts(factLabel, p.DocumentID))
	case events.KindReturnStatusChanged:
		p, err := events.Decode[events.ReturnStatusChanged](e)
		if err != nil || p.To != "APPROVED" || p.From == p.To {
			return nil
		}
		return one(KindReturnApproved, p.ReturnID, p.ReturnID, nil)
	case events.KindReturnReceived:
		p, err := events.Decode[events.ReturnReceived](e)
		if err != nil {
			return nil
		}
		return one(KindReturnReceived, p.ReturnID, p.ReturnID, nil)
	case events.KindRefundSettled:
		p, err := events.Decode[events.RefundSettled](e)
		if err != nil || p.Status != "SUCCEEDED" {
			return nil
		}
		return one(KindRefundIssued, p.RefundID, p.RefundID, facts(factAmount, strconv.FormatInt(p.Amount, 10)))
	case events.KindRefundMirrored:
		p, err := events.Decode[events.RefundMirrored](e)
		if err != nil || p.Amount <= 0 {
			return nil
		}
		return one(KindRefundIssued, p.RefundID, p.RefundID, facts(factAmount, strconv.FormatInt(p.Amount, 10)))
	}
	return nil
}

// outbound reports whether sh is the outbound shipment an event names.
func outbound(sh *ent.Shipment, id string) bool {
	return sh != nil && string(sh.ID) == id && sh.Direction == shipment.DirectionOUTBOUND
}

// shipmentIntents are the messages of an outbound shipment's move: ready at the store, left its
// origin (unless the same move delivered it or it was collected: the customer knows), out for
// delivery, delivered. Each is told once per shipment.
func shipmentIntents(sh *ent.Shipment, from, to shipment.Status) []Intent {
	id := string(sh.ID)
	var out []Intent
	switch {
	case to == shipment.StatusREADY_FOR_PICKUP && from != to:
		var f map[string]string
		if sh.PickupExpiresAt != nil {
			f = facts(factPickupBy, stamp(*sh.PickupExpiresAt))
		}
		out = append(out, Intent{Kind: KindReadyForPickup, Version: id, SubjectID: id, Facts: f})
	case !fulfilment.Shipped(from) && fulfilment.Shipped(to) && to != shipment.StatusCOLLECTED && to != shipment.StatusDELIVERED:
		out = append(out, Intent{Kind: KindShipped, Version: id, SubjectID: id})
	}
	if to == shipment.StatusOUT_FOR_DELIVERY && from != to {
		out = append(out, Intent{Kind: KindOutForDelivery, Version: id, SubjectID: id})
	}
	if to == shipment.StatusDELIVERED && from != to {
		out = append(out, Intent{Kind: KindDelivered, Version: id, SubjectID: id})
	}
	return out
}

// facts builds a facts map from key, value pairs, leaving out empty values; nil when all are.
func facts(kv ...string) map[string]string {
	var m map[string]string
	for i := 0; i+1 < len(kv); i += 2 {
		if strings.TrimSpace(kv[i+1]) == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[kv[i]] = kv[i+1]
	}
	return m
}
