package channels

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Account is what a connector needs to talk to one shop on its channel: where the channel's API is,
// which shop, and the credentials Ordo holds for it (decrypted). Fields a channel does not use stay
// empty; each connector says which it needs and refuses to open without them.
type Account struct {
	Kind Kind
	// ShopID is the shop on the channel: Shopify's shop handle, Shopee's shop_id, Lazada's seller id,
	// TikTok Shop's shop id, Meta's commerce account (CMS) or page id, Square's location id.
	ShopID string
	// BaseURL is the channel's API root, e.g. https://partner.shopeemobile.com; tests and the demo
	// point it at the marketplace simulator.
	BaseURL string
	// WebhookURL is Ordo's public URL for this channel's webhooks, exactly as registered with the
	// channel: Shopee and Square sign it together with the body.
	WebhookURL string
	// AuthURL is the channel's OAuth host where it differs from BaseURL (Lazada's
	// https://auth.lazada.com/rest, TikTok Shop's https://auth.tiktok-shops.com); empty: the
	// channel's production host. Tests point it at the simulator.
	AuthURL string
	Credentials
}

// Credentials are a shop's secrets. Which ones a channel uses:
//
//	Shopify     AccessToken (X-Shopify-Access-Token), AppSecret (webhook HMAC), Extra["location_id"]
//	Shopee      AppKey (partner_id), AppSecret (partner_key), AccessToken, RefreshToken
//	Lazada      AppKey, AppSecret, AccessToken, RefreshToken
//	TikTok Shop AppKey, AppSecret, AccessToken, RefreshToken, Extra["shop_cipher"], Extra["warehouse_id"]
//	Meta        AccessToken (page or system-user token), Extra["catalog_id"], Extra["location_id"]
//	            (the fulfillment_location_id of shipments that name none)
//	Square      AccessToken, WebhookSecret (the subscription's signature key); to refresh the
//	            access token: RefreshToken, AppKey (application id), AppSecret (application secret)
type Credentials struct {
	AppKey        string            `json:"appKey,omitempty"`
	AppSecret     string            `json:"appSecret,omitempty"`
	AccessToken   string            `json:"accessToken,omitempty"`
	RefreshToken  string            `json:"refreshToken,omitempty"`
	WebhookSecret string            `json:"webhookSecret,omitempty"`
	Extra         map[string]string `json:"extra,omitempty"`
}

// Connector is one shop's connection to its channel: verify and read its webhooks, fetch and pull
// its orders with the channel's request signing and paging, and tell it about stock, shipments and
// cancellations. Implementations are safe for concurrent use and keep no state between calls but
// the account; every call honours ctx.
type Connector interface {
	// Verify checks an inbound webhook's signature over the raw body, in constant time, and refuses
	// stale messages where the channel signs a time: ErrUnsigned, ErrBadSignature or ErrStale.
	Verify(h http.Header, body []byte, now time.Time) error
	// Parse reads a verified webhook body. It never panics, whatever the input.
	Parse(h http.Header, body []byte) (Notification, error)
	// Orders fetches whole orders by their channel ids (for thin notifications). Ids the channel
	// does not know are left out of the answer, not an error.
	Orders(ctx context.Context, ids []string) ([]Order, error)
	// Updated lists the orders updated in [q.Since, q.Until), one page per call; a page with an
	// empty Next is the last.
	Updated(ctx context.Context, q PullQuery) (OrderPage, error)
	// Accept tells the channel that Ordo has taken these orders (Meta's acknowledge_order), those of
	// them that wait for it; channels without such a step do nothing.
	Accept(ctx context.Context, orders []Order) error
	// PushStock sets the sellable quantity of listings. Per-listing failures are in the results;
	// an error means no listing was updated.
	PushStock(ctx context.Context, levels []StockLevel) ([]StockResult, error)
	// ConfirmShipment tells the channel that one shipment of an order (its lines, or the whole order
	// when it names none) left with a carrier. Marketplaces that carry parcels themselves also
	// implement Logistics.
	ConfirmShipment(ctx context.Context, s Shipment) error
	// CancelOrder tells the channel that Ordo cancelled an order.
	CancelOrder(ctx context.Context, c Cancellation) error
}

// Tokens are what a channel answers a token refresh with. The refresh token rotates: the one sent
// is spent, and the next refresh must send this one.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	// AccessExpiresAt and RefreshExpiresAt are zero when the channel did not say.
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

// Refresher is implemented by the connectors of channels whose access tokens expire (Shopee,
// Lazada, TikTok Shop, Square): it trades the account's refresh token for new tokens, signed as the channel
// wants. An error wrapping ErrRefused means the channel will not refresh these tokens (the refresh
// token is expired, revoked or already spent): the seller must authorize Ordo again. Other errors
// are transient.
type Refresher interface {
	RefreshTokens(ctx context.Context) (Tokens, error)
}

// ErrTokenExpired is wrapped by the error of a call the channel refused because the access token
// is expired or invalid (Shopee invalid_acceess_token, Lazada IllegalAccessToken, TikTok Shop
// 105001 and 105002, Square ACCESS_TOKEN_EXPIRED): a refresh, then the same call again, will do. Such errors also wrap ErrRefused.
var ErrTokenExpired = errors.New("channels: the access token is expired or invalid")

// TokenExpired returns an error for a call refused for its access token: it wraps both
// ErrTokenExpired and ErrRefused.
func TokenExpired(format string, args ...any) error {
	return tokenExpired(fmt.Sprintf(format, args...))
}

type tokenExpired string

func (e tokenExpired) Error() string { return string(e) }

func (tokenExpired) Is(target error) bool { return target == ErrTokenExpired || target == ErrRefused }

// PullQuery asks for the orders updated in a time window, one page at a time.
type PullQuery struct {
	Since, Until time.Time
	// Cursor is the Next of the previous page; empty for the first.
	Cursor string
	// PageSize is a hint; connectors clamp it to what the channel allows.
	PageSize int
}

// OrderPage is one page of pulled orders.
type OrderPage struct {
	Orders []Order
	// Next continues the pull; empty when this page is the last.
	Next string
}

// StockLevel is the sellable quantity Ordo wants a listing to show.
type StockLevel struct {
	// ListingID is the channel's id of the listing (see Listing), Attrs its other keys.
	ListingID string
	Attrs     map[string]string
	SKU       string
	Quantity  int64
}

// StockResult says how the channel took one listing's stock update.
type StockResult struct {
	ListingID string
	// Err is nil when the channel accepted the quantity.
	Err error
}

// Shipment confirms that one shipment of an order left: some of its lines (or all of them when
// Lines is empty), from one origin location, in one or more packages. A confirmation concerns exactly
// these lines; an order shipped in several shipments is confirmed once per shipment.
type Shipment struct {
	OrderID string // the channel's order id
	// ShipmentID is Ordo's id of the shipment: the idempotency key where the channel takes one
	// (Meta's idempotency_key and external_shipment_id). Empty: the connector derives none.
	ShipmentID string
	// Carrier and TrackingNumber are the shipment's carrier and its (first) tracking number; each
	// package may carry its own in Packages.
	Carrier        string
	TrackingNumber string
	// TrackingURL is where the buyer follows the parcel, for channels that show it (Shopify).
	TrackingURL string
	// LocationRef is the channel's id of the location the shipment leaves from (Shopify's
	// location_id, Meta's fulfillment_location_id); empty: the connector may fall back to
	// Account.Extra["location_id"].
	LocationRef string
	ShippedAt   time.Time
	// Lines are the lines shipped; all of the order when empty.
	Lines []ShipmentLine
	// Packages are the parcels of the shipment, when Ordo knows them; empty: one parcel with
	// TrackingNumber.
	Packages []Package
	// Refs are the channel's own references kept from the order (Order.Refs).
	Refs map[string]string
}

// Package is one parcel of a shipment.
type Package struct {
	// Ref is the channel's id of the package where it has one (TikTok Shop package_id, Shopee
	// package_number, Lazada package_id); empty otherwise.
	Ref            string
	TrackingNumber string
	// Lines are the quantities in this parcel (a subset of the shipment's).
	Lines []ShipmentLine
}

// ShipmentLine is a quantity of one order line that shipped.
type ShipmentLine struct {
	LineID    string
	ListingID string
	SKU       string
	UnitIDs   []string
	Quantity  int64
}

// Cancellation tells a channel that Ordo cancelled an order.
type Cancellation struct {
	OrderID string
	Reason  string
	Lines   []ShipmentLine
	Refs    map[string]string
}

// RateLimitError is returned when a channel keeps refusing calls for their rate; the caller should
// try again after RetryAfter.
type RateLimitError struct {
	RetryAfter time.Duration
	Detail     string
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("channels: rate limited (retry after %v): %s", e.RetryAfter, e.Detail)
}

// ErrRefused is wrapped by errors a channel answered with on purpose (a bad request, an order in
// the wrong state, an unknown listing): retrying the same call will not help.
var ErrRefused = errors.New("channels: the channel refused the call")

// ErrAccount is wrapped by the error a connector returns when an account lacks what it needs.
var ErrAccount = errors.New("channels: account is incomplete")
