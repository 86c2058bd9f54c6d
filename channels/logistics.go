package channels

import "context"

// Logistics is implemented by connectors of marketplaces whose own logistics carry the parcel
// (Shopee, Lazada, TikTok Shop): Ordo asks the marketplace to arrange the shipment, gets its
// tracking numbers, and downloads the shipping documents (airway bills) to print.
type Logistics interface {
	// ArrangeShipment asks the marketplace to carry r's lines: it books the carrier (pickup or
	// drop-off) for every package concerned and returns each package with its tracking number.
	// Arranging a package the marketplace already arranged is not an error: its tracking number is
	// returned again.
	ArrangeShipment(ctx context.Context, r ArrangeRequest) (Arranged, error)
	// ShippingDocuments downloads the shipping document (airway bill, label) of every package of
	// a, one document per package in a.Packages' order.
	ShippingDocuments(ctx context.Context, a Arranged) ([]Document, error)
}

// Handover methods: how a parcel reaches the marketplace's carrier.
const (
	HandoverPickup  = "PICKUP"   // the carrier collects it from the seller
	HandoverDropOff = "DROP_OFF" // the seller drops it at the carrier's point
)

// ArrangeRequest asks a marketplace to carry (part of) an order.
type ArrangeRequest struct {
	OrderID string // the channel's order id
	// ShipmentID is Ordo's id of the shipment, for logs and channels that take a reference.
	ShipmentID string
	// Lines are the lines to ship; all of the order when empty. Channels that split orders into
	// packages themselves (TikTok Shop, Shopee) arrange the packages holding these lines.
	Lines []ShipmentLine
	// Refs are the channel's own references kept from the order (Order.Refs).
	Refs map[string]string
	// Handover is HandoverPickup or HandoverDropOff; empty: whichever the channel's shipping
	// parameters allow (pickup first).
	Handover string
}

// Arranged is what a marketplace answered an ArrangeRequest with.
type Arranged struct {
	OrderID string // the channel's order id
	// Packages are the packages the marketplace will carry, each with its tracking number.
	Packages []ArrangedPackage
	// ConfirmOnHandover is set where the channel wants to hear again when the parcels are handed
	// over: ConfirmShipment with these packages (Lazada marks them ready to ship). Where it is not
	// set (Shopee, TikTok Shop), arranging was the shipment and ConfirmShipment must not follow.
	ConfirmOnHandover bool
	// Refs are the channel's references needed later (ShippingDocuments), e.g. the order's ids.
	Refs map[string]string
}

// ArrangedPackage is one package a marketplace will carry.
type ArrangedPackage struct {
	// Ref is the channel's id of the package (TikTok Shop package_id, Shopee package_number,
	// Lazada package_id).
	Ref            string
	TrackingNumber string
	// Carrier is the marketplace's name of the carrier, when it says.
	Carrier string
}

// Document is a shipping document to print.
type Document struct {
	// PackageRef is the package the document is for (ArrangedPackage.Ref).
	PackageRef string
	// ContentType is the document's media type: application/pdf, or text/html for Lazada's HTML
	// airway bills.
	ContentType string
	Body        []byte
}
