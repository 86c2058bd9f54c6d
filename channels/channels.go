// Package channels is the contract every sales-channel connector implements (one package per
// channel beneath this one), and the normalized order they all produce. Connectors turn a channel's
// own formats into these types at the edge: money into integer minor units, every time into UTC,
// statuses through a mapping table (anything unmapped is UNKNOWN, never an error), per-unit lines
// grouped by SKU while keeping each unit's id. Beside the Connector contract, optional ones: Logistics
// (marketplaces that arrange the carrier and print the airway bill), DeliveryConfirmer (channels told
// of a delivery) and Refresher (expiring tokens). This package knows nothing of Ordo's store.
package channels

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// Kind names a channel type, as Ordo's Channel.kind does.
type Kind string

// The channel kinds.
const (
	Shopee     Kind = "SHOPEE"
	Lazada     Kind = "LAZADA"
	TikTokShop Kind = "TIKTOK_SHOP"
	Shopify    Kind = "SHOPIFY"
	Facebook   Kind = "FACEBOOK"
	POS        Kind = "POS"
)

// Status is Ordo's normalized order status (design §4), as a string: connectors do not import the
// store's types.
type Status string

// The statuses a channel can put an order in. Unknown is for a raw status no table maps: ingestion
// keeps the raw value, raises an alert event and never fails on it.
const (
	PendingPayment  Status = "PENDING_PAYMENT"
	Confirmed       Status = "CONFIRMED"
	ReadyToShip     Status = "READY_TO_SHIP"
	Shipped         Status = "SHIPPED"
	Delivered       Status = "DELIVERED"
	Completed       Status = "COMPLETED"
	OnHold          Status = "ON_HOLD"
	CancelRequested Status = "CANCEL_REQUESTED"
	Cancelled       Status = "CANCELLED"
	ReturnRequested Status = "RETURN_REQUESTED"
	Returned        Status = "RETURNED"
	Refunded        Status = "REFUNDED"
	Exception       Status = "EXCEPTION"
	Unknown         Status = "UNKNOWN"
)

// Address is a ship-to as a channel gives it.
type Address struct {
	Name, Phone, Line1, Line2, City, Region, PostalCode, CountryCode string
	Latitude, Longitude                                              *float64
}

// Buyer is the customer as a channel identifies them.
type Buyer struct {
	ExternalID, Name, Email, Phone string
}

// Line is one SKU of an order. Channels that send one line per unit (Lazada, TikTok Shop) are
// grouped by SKU and price; UnitIDs keeps every unit's line id for per-unit cancels and returns.
type Line struct {
	SKU string
	// ListingID is the channel's id of what was sold (Shopify variant, Shopee item:model, Lazada
	// SkuId, TikTok sku_id, Meta retailer_id, Square catalog object), matched against Ordo's listings
	// when the seller SKU alone does not say which Ordo SKU it is.
	ListingID string
	// LineID is the channel's id of the line (Shopify line item, Shopee order_item_id, Square uid),
	// for shipment and cancellation confirmations; per-unit channels keep UnitIDs instead.
	LineID    string
	Name      string
	Quantity  int64
	UnitPrice int64 // minor units, before discounts
	Discount  int64 // minor units, the whole line's discount (seller and platform)
	UnitIDs   []string
	// Status is set for channels that carry a status per line or unit.
	Status Status
	// NonStock says the line sells nothing from stock: a tip, a service charge, a custom amount
	// keyed in at a till, a custom item. Ingestion keeps it priced on the order, never reserved,
	// routed, packed or pushed. A line with neither SKU nor ListingID is one too, flagged or not.
	NonStock bool
}

// Stocked reports whether the line names something Ordo may hold in stock: it is not flagged
// NonStock and carries a SKU or a ListingID to map.
func (l Line) Stocked() bool {
	return !l.NonStock && (strings.TrimSpace(l.SKU) != "" || strings.TrimSpace(l.ListingID) != "")
}

// Order is a channel order in Ordo's terms.
type Order struct {
	Kind             Kind
	ShopID           string
	ExternalID       string // always a string: ids exceed 2^53
	Number           string // what the buyer sees, e.g. #9999
	Status           Status
	ChannelStatus    string // the raw status, kept beside the normalized one
	Paid             bool
	COD              bool
	Currency         string // ISO 4217
	Subtotal         int64
	Shipping         int64
	Discount         int64 // seller discounts
	PlatformDiscount int64 // vouchers the platform funds
	Tax              int64
	Total            int64 // what the buyer pays
	PlacedAt         time.Time
	UpdatedAt        time.Time
	ShipBy           *time.Time // the marketplace's ship-by deadline
	Buyer            Buyer
	ShippingAddress  Address
	Lines            []Line
	// Carrier and TrackingNumber are set once the channel reports the order shipped.
	Carrier, TrackingNumber string
	// Refs are channel references a connector needs again to confirm a shipment or a cancellation
	// (TikTok's package id, Square's fulfillment uid and order version…); Ordo keeps them verbatim.
	Refs map[string]string
}

// Notification is what a webhook or push says: which orders changed, and possibly how. Where the
// push is thin (Shopee, Lazada, TikTok Shop, Square) the connector then fetches the order detail.
type Notification struct {
	Topic    string
	ShopID   string
	OrderIDs []string
	// ReturnIDs are the channel's return ids a return push names (Lazada msg_type 10, TikTok
	// Shop type 12, Shopify returns/*); fetched with Returns.ReturnsByID.
	ReturnIDs []string
	// Order is set when the webhook carries the whole order (Shopify).
	Order *Order
	// DeliveryID identifies the delivery, for de-duplication, when the channel sends one.
	DeliveryID string
}

// Webhooks verifies and reads a channel's inbound webhooks or pushes.
type Webhooks interface {
	// Verify checks the request's signature over the raw body with the channel's secret, in
	// constant time, and refuses stale messages where the channel signs a timestamp. It returns
	// ErrUnsigned or ErrBadSignature (answered with 401; nothing is stored).
	Verify(h http.Header, body []byte, secret string, now time.Time) error
	// Parse reads a verified body. It never panics, whatever the input.
	Parse(h http.Header, body []byte) (Notification, error)
}

// Errors of webhook verification.
var (
	ErrUnsigned     = errors.New("channels: request is not signed")
	ErrBadSignature = errors.New("channels: signature does not match")
	ErrStale        = errors.New("channels: request is too old")
)
