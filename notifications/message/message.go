// Package message renders customer notifications: one HTML part (html/template, its CSS inlined for
// email clients) and one plain-text part per message, in the customer's language (en, th, vi, id,
// ms, falling back to en), with money and dates written as that language writes them, in the
// customer's time zone, under the brand's name, logo and colours. It is pure: it renders what it is
// given and reads nothing.
package message

import (
	"time"
)

// Locale is a language messages are written in.
type Locale string

// The locales messages are written in.
const (
	English    Locale = "en"
	Thai       Locale = "th"
	Vietnamese Locale = "vi"
	Indonesian Locale = "id"
	Malay      Locale = "ms"
)

// Brand is how a message looks and whom it is from (a channel's branding over the instance's
// defaults).
type Brand struct {
	Name         string
	LogoURL      string
	Color        string // #RRGGBB of the header
	AccentColor  string // #RRGGBB of buttons and links
	SupportEmail string
}

// Line is an order line as a message lists it.
type Line struct {
	SKU      string
	Name     string
	Quantity int64
	Amount   int64 // the line's total, minor units of Data.Currency
}

// Parcel is one package of a shipment and how to follow it.
type Parcel struct {
	Carrier        string
	TrackingNumber string
	TrackingURL    string
}

// Data is everything one message tells. Kind is one of the notification kinds (ORDER_CONFIRMED,
// BACKORDERED, ALLOCATED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED, DELAYED, READY_FOR_PICKUP,
// PICKUP_EXPIRING, RETURN_APPROVED, RETURN_RECEIVED, REFUND_ISSUED, CANCELLED, LINES_CANCELLED);
// the fields a kind does not use are ignored.
type Data struct {
	Kind   string
	Locale Locale
	Zone   *time.Location // nil: UTC
	Brand  Brand

	CustomerName string
	OrderNumber  string
	PlacedAt     time.Time
	Currency     string // ISO 4217; amounts are in its minor units
	Total        int64
	Lines        []Line

	// ShipmentNumber and Parcels are the shipment a SHIPPED, OUT_FOR_DELIVERY or DELIVERED message
	// is about.
	ShipmentNumber string
	Parcels        []Parcel
	// ExpectedBy is the promised delivery date (ORDER_CONFIRMED, SHIPPED), the expected date of
	// backordered units (BACKORDERED; nil when unknown) or the new promise (DELAYED).
	ExpectedBy *time.Time
	// PreviousPromise is the date a DELAYED shipment was promised before.
	PreviousPromise *time.Time

	// PickupLocation, PickupAddress and PickupBy describe a READY_FOR_PICKUP or PICKUP_EXPIRING
	// order's store and until when it is kept.
	PickupLocation string
	PickupAddress  string
	PickupBy       *time.Time

	// ReturnNumber is the return a RETURN_APPROVED or RETURN_RECEIVED message is about;
	// ReturnLabelURL downloads its label (RETURN_APPROVED), if one was issued.
	ReturnNumber   string
	ReturnLabelURL string
	// RefundAmount is a REFUND_ISSUED message's amount.
	RefundAmount int64
	// CancelledLines are the lines (or units) a CANCELLED or LINES_CANCELLED message names;
	// Reason is why, when told.
	CancelledLines []Line
	Reason         string

	// OrderURL links to the order's page, if the brand has one; UnsubscribeURL is where the
	// customer stops these messages (every message carries it).
	OrderURL       string
	UnsubscribeURL string
}

// Rendered is a message ready to send.
type Rendered struct {
	Subject string
	HTML    string // CSS inlined
	Text    string
}

// Render writes d's message in d.Locale (falling back to English for a text that locale lacks).
// An unknown kind is an error.
func Render(d Data) (Rendered, error) {
	panic("message.Render: being written")
}

// Supported resolves a language tag ("th", "th-TH", "vi_VN", "EN") to a supported locale; ok is
// false when none matches.
func Supported(tag string) (l Locale, ok bool) {
	panic("message.Supported: being written")
}

// OfCountry is the locale of an ISO 3166-1 alpha-2 country (TH th, VN vi, ID id, MY ms, else en).
func OfCountry(country string) Locale {
	panic("message.OfCountry: being written")
}

// ZoneOfCountry is the time zone messages to a country are dated in (TH Asia/Bangkok, VN
// Asia/Ho_Chi_Minh, ID Asia/Jakarta, MY Asia/Kuala_Lumpur, SG Asia/Singapore, PH Asia/Manila, else
// UTC).
func ZoneOfCountry(country string) *time.Location {
	panic("message.ZoneOfCountry: being written")
}

// Money writes an amount of minor units of currency as locale writes it (฿1,250.00, 1.250.000 ₫,
// Rp1.250.000, RM1,250.00, $1,250.00).
func Money(l Locale, currency string, minor int64) string {
	panic("message.Money: being written")
}

// Date writes the calendar day of t in zone as locale writes it (7 December 2026; 7 ธันวาคม 2569;
// 7 tháng 12, 2026; 7 Desember 2026; 7 Disember 2026).
func Date(l Locale, t time.Time, zone *time.Location) string {
	panic("message.Date: being written")
}
