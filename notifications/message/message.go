// Package message renders customer notifications: one HTML part (html/template, its CSS inlined for
// email clients) and one plain-text part per message, in the customer's language (en, th, vi, id,
// ms, falling back to en), with money and dates written as that language writes them, in the
// customer's time zone, under the brand's name, logo and colours. It is pure: it renders what it is
// given and reads nothing.
package message

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/vanng822/go-premailer/premailer"
)

// The layouts every message is written in: one HTML page (its <style> inlined by Render, since
// many mail clients drop style blocks) and one plain-text part. Parsed once; a layout that does not
// parse stops the program at start-up, as a compile error would.
var (
	//go:embed layouts
	layouts    embed.FS
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(layouts, "layouts/message.html"))
	textLayout = texttemplate.Must(texttemplate.ParseFS(layouts, "layouts/message.txt"))
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
	// ReturnLabelAttached says that the message carries the return's label (RETURN_APPROVED, sent
	// again once the label is printed).
	ReturnNumber        string
	ReturnLabelAttached bool
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
// An unknown kind is an error, and so is a currency that is not one when the message shows amounts.
func Render(d Data) (Rendered, error) {
	v, err := compose(d)
	if err != nil {
		return Rendered{}, err
	}
	var h, t strings.Builder
	if err := htmlLayout.Execute(&h, v); err != nil {
		return Rendered{}, fmt.Errorf("message: %s: html: %w", d.Kind, err)
	}
	if err := textLayout.Execute(&t, v); err != nil {
		return Rendered{}, fmt.Errorf("message: %s: text: %w", d.Kind, err)
	}
	p, err := premailer.NewPremailerFromString(h.String(), premailer.NewOptions())
	if err != nil {
		return Rendered{}, fmt.Errorf("message: %s: inlining css: %w", d.Kind, err)
	}
	inlined, err := p.Transform()
	if err != nil {
		return Rendered{}, fmt.Errorf("message: %s: inlining css: %w", d.Kind, err)
	}
	return Rendered{Subject: v.Subject, HTML: inlined, Text: tidyText(t.String())}, nil
}

// blankRuns are the runs of blank lines that optional sections leave in the plain-text part.
var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidyText keeps at most one blank line between the plain-text part's paragraphs and ends it with
// one line break, whichever optional sections a message has.
func tidyText(s string) string {
	return strings.TrimSpace(blankRuns.ReplaceAllString(s, "\n\n")) + "\n"
}
