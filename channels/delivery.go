package channels

import (
	"context"
	"fmt"
	"time"
)

// DeliveryConfirmer is implemented by connectors of channels that take word of a parcel's
// delivery from the seller: Shopify records a "delivered" fulfillment event on the fulfillment
// that carried the tracking number. Channels whose own logistics track parcels (Shopee, TikTok
// Shop, Lazada's carriers) learn of deliveries themselves and do not implement it.
type DeliveryConfirmer interface {
	// ConfirmDelivery tells the channel that the parcels of one shipment, confirmed to it before
	// (Connector.ConfirmShipment), were delivered. Telling it again is harmless. An error wrapping
	// ErrRefused means the channel will not take it (no fulfillment carries the tracking number).
	ConfirmDelivery(ctx context.Context, d Delivery) error
}

// Delivery is one shipment of a channel's order that reached its customer.
type Delivery struct {
	OrderID string // the channel's order id
	// ShipmentID is Ordo's id of the shipment, for logs.
	ShipmentID string
	// TrackingNumber is the shipment's (first) tracking number, as its confirmation carried it.
	TrackingNumber string
	// Packages are the shipment's parcels, each with its own tracking number and, where the
	// marketplace arranged it, the channel's id of the package.
	Packages []Package
	// DeliveredAt is when the carrier delivered it.
	DeliveredAt time.Time
	// Refs are the channel's own references kept from the order (Order.Refs).
	Refs map[string]string
}

// ErrUnknownShipment is wrapped by a DeliveryConfirmer's refusal when the channel has no
// shipment carrying the delivery's parcels: the shipment's own confirmation has not reached it
// (yet). It wraps ErrRefused.
var ErrUnknownShipment = fmt.Errorf("%w: no shipment of the order carries the parcel", ErrRefused)
