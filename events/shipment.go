package events

import (
	"strings"

	"github.com/ordo-oms/ordo/ent"
)

// The kinds of shipment events. Each carries the shipment's id; the event's order and location are
// the shipment's order and origin, so that the order's timeline and a location's stream both see it.
const (
	KindShipmentCreated  = "shipment.created"
	KindShipmentUpdated  = "shipment.status_changed"
	KindShipmentTracked  = "shipment.tracking"
	KindShipmentDelayed  = "shipment.delayed"
	KindShipByAlert      = "shipment.ship_by_alert"
	KindDocumentCreated  = "shipment.document_created"
	KindPurchaseOrder    = "shipment.purchase_order"
	KindShipmentArranged = "shipment.arranged"
)

// ShipmentCreated records a shipment planned from an order's allocations at one location.
type ShipmentCreated struct {
	ShipmentID string `json:"shipmentID"`
	Number     string `json:"number"`
	Method     string `json:"method"`
	Units      int64  `json:"units"`
	Packages   int    `json:"packages"`
}

// ShipmentUpdated records one step of a shipment's lifecycle and the command or tracking event
// that made it.
type ShipmentUpdated struct {
	ShipmentID      string   `json:"shipmentID"`
	Command         string   `json:"command"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Reason          string   `json:"reason,omitempty"`
	Carrier         string   `json:"carrier,omitempty"`
	TrackingNumbers []string `json:"trackingNumbers,omitempty"`
}

// ShipmentTracked records a carrier scan that did not move the shipment's status (a checkpoint in
// transit, an event older than the latest, a new estimate).
type ShipmentTracked struct {
	ShipmentID string `json:"shipmentID"`
	Source     string `json:"source"`
	Tag        string `json:"tag"`
	Subtag     string `json:"subtag,omitempty"`
	Message    string `json:"message,omitempty"`
	OccurredAt string `json:"occurredAt"`
}

// ShipmentDelayed records a shipment found late-risk, and the new promise made for it.
type ShipmentDelayed struct {
	ShipmentID  string `json:"shipmentID"`
	Reason      string `json:"reason"`
	PromisedBy  string `json:"promisedBy,omitempty"`
	NewPromise  string `json:"newPromise"`
	EstimatedBy string `json:"estimatedBy,omitempty"`
}

// ShipByAlert records a marketplace ship-by deadline coming (WARNED) or missed (MISSED) for a
// shipment not yet handed over.
type ShipByAlert struct {
	ShipmentID string `json:"shipmentID"`
	Level      string `json:"level"`
	ShipBy     string `json:"shipBy"`
}

// DocumentCreated records a label, airway bill, packing slip or pick list stored for printing.
type DocumentCreated struct {
	ShipmentID string `json:"shipmentID,omitempty"`
	DocumentID string `json:"documentID"`
	Document   string `json:"kind"`
	Format     string `json:"format"`
}

// PurchaseOrder tells a drop-ship supplier to ship a shipment: partner webhooks and email pick it
// up, and the supplier confirms it with tracking through its partner key.
type PurchaseOrder struct {
	ShipmentID string         `json:"shipmentID"`
	Number     string         `json:"number"`
	SupplierID string         `json:"supplierID"`
	Lines      []PurchaseLine `json:"lines"`
}

// PurchaseLine is a quantity of one SKU a supplier is asked to ship.
type PurchaseLine struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// ShipmentArranged records a marketplace arranging its logistics for a shipment: the tracking
// numbers it gave, per package.
type ShipmentArranged struct {
	ShipmentID      string   `json:"shipmentID"`
	TrackingNumbers []string `json:"trackingNumbers"`
}

// Kind implements Payload.
func (ShipmentCreated) Kind() string { return KindShipmentCreated }

// Kind implements Payload.
func (ShipmentUpdated) Kind() string { return KindShipmentUpdated }

// Kind implements Payload.
func (ShipmentTracked) Kind() string { return KindShipmentTracked }

// Kind implements Payload.
func (ShipmentDelayed) Kind() string { return KindShipmentDelayed }

// Kind implements Payload.
func (ShipByAlert) Kind() string { return KindShipByAlert }

// Kind implements Payload.
func (DocumentCreated) Kind() string { return KindDocumentCreated }

// Kind implements Payload.
func (PurchaseOrder) Kind() string { return KindPurchaseOrder }

// Kind implements Payload.
func (ShipmentArranged) Kind() string { return KindShipmentArranged }

// IsShipment reports whether e is a shipment event.
func IsShipment(e *ent.Event) bool { return strings.HasPrefix(e.Type, "shipment.") }

// ShipmentOf is the id of the shipment a shipment event concerns (every shipment payload carries
// it as shipmentID), or "" for other events.
func ShipmentOf(e *ent.Event) string {
	if !IsShipment(e) {
		return ""
	}
	id, _ := e.Data["shipmentID"].(string)
	return id
}
