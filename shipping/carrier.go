package shipping

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CarrierKind names a carrier or tracking aggregator Ordo holds an account with, as a carrier
// account row stores it.
type CarrierKind string

// The carrier kinds with an adapter. EasyPost buys labels and tracks; Ninja Van books orders
// (labels are its waybills) and pushes tracking; AfterShip tracks any carrier's parcels; J&T
// pushes tracking.
const (
	EasyPost  CarrierKind = "EASYPOST"
	NinjaVan  CarrierKind = "NINJAVAN"
	AfterShip CarrierKind = "AFTERSHIP"
	JNT       CarrierKind = "JNT"
)

// Account is what an adapter needs to talk to one carrier account: where its API is and the
// credentials Ordo holds for it (decrypted). Fields a carrier does not use stay empty; each adapter
// says which it needs and refuses to open without them (ErrAccount).
//
//	EasyPost   APIKey (HTTP Basic user), WebhookSecret (X-Hmac-Signature)
//	Ninja Van  ClientID, ClientSecret (OAuth and X-Ninjavan-Hmac-Sha256), CountryCode (sg, my, th…)
//	AfterShip  APIKey (as-api-key), WebhookSecret (aftership-hmac-sha256)
//	J&T        WebhookSecret (the private key that signs pushes)
type Account struct {
	Kind CarrierKind
	// BaseURL is the carrier's API root (https://api.easypost.com, https://api.ninjavan.co,
	// https://api.aftership.com); empty: production. Tests point it at the carrier simulator.
	BaseURL       string
	APIKey        string
	ClientID      string
	ClientSecret  string
	WebhookSecret string
	// CountryCode is the carrier's country path segment where its API has one (Ninja Van).
	CountryCode string
}

// Party is a sender or a recipient.
type Party struct {
	Name, Company, Phone, Email string
	Line1, Line2                string
	City, Region, PostalCode    string
	Country                     string // ISO 3166-1 alpha-2
}

// Parcel is one box as packed: grams and millimetres, whatever the carrier's units.
type Parcel struct {
	WeightGrams                 int
	LengthMM, WidthMM, HeightMM int
	// Reference is Ordo's package id, printed or sent where the carrier takes one.
	Reference string
}

// Money is an amount in minor units of an ISO 4217 currency.
type Money struct {
	Amount   int64
	Currency string
}

// FormatMinor writes an amount in minor units as the decimal carriers take, with exp fraction
// digits (channels.Exponent): 1250, 2 → "12.50"; 5, 2 → "0.05"; 48000, 0 → "48000".
func FormatMinor(minor int64, exp int) string {
	s := strconv.FormatInt(minor, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if exp > 0 {
		s = strings.Repeat("0", max(0, exp+1-len(s))) + s
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// RateRequest asks what shipping some parcels between two parties would cost.
type RateRequest struct {
	From, To Party
	Parcels  []Parcel
	// COD is the cash to collect on delivery; a zero Amount: none.
	COD Money
}

// Rate is one service a carrier offers for a RateRequest.
type Rate struct {
	// Carrier is the carrier that runs the service (EasyPost resells many: USPS, FedEx…).
	Carrier string
	Service string
	Amount  int64 // minor units
	// Currency is ISO 4217.
	Currency string
	// EstDays is the carrier's transit estimate in days; 0 when it gave none.
	EstDays int
	// ID is the carrier's id of the quote, where it has one (EasyPost rate_…); it is valid only for
	// the shipment it was quoted on.
	ID string
}

// LabelFormat is the format of a label document.
type LabelFormat string

// The label formats Ordo asks carriers for.
const (
	PDF LabelFormat = "PDF"
	ZPL LabelFormat = "ZPL"
)

// LabelRequest asks a carrier to book a shipment and issue its label.
type LabelRequest struct {
	// Reference is Ordo's shipment id, sent as the carrier's reference (EasyPost's shipment
	// reference, Ninja Van's merchant_order_number; with -1, -2… per parcel when there are several).
	Reference string
	From, To  Party
	Parcels   []Parcel
	// Carrier and Service choose among the carrier's rates (Rate.Carrier, Rate.Service); an empty
	// Service takes the cheapest, an empty Carrier any carrier's. Carriers with one service ignore
	// them.
	Carrier, Service string
	// Format is the label format wanted; empty is PDF. A carrier that issues one format only
	// (Ninja Van: PDF) returns that; Document.Format says which.
	Format LabelFormat
	COD    Money
}

// Document is a label or other shipping document: its bytes, or where to fetch them.
type Document struct {
	Format      LabelFormat
	ContentType string
	Body        []byte
	// URL is set when the carrier serves the document rather than returning it (EasyPost).
	URL string
}

// Label is a booked shipment.
type Label struct {
	// CarrierRef is the carrier's id of what was booked, the argument of CancelLabel: EasyPost's
	// shipment ids, Ninja Van's tracking numbers, comma-separated when there are several parcels.
	CarrierRef string
	// TrackingNumbers has one tracking number per parcel, in the order of LabelRequest.Parcels.
	TrackingNumbers []string
	// Carrier and Service are what was bought.
	Carrier, Service string
	Documents        []Document
	// Amount and Currency are the postage charged, when the carrier says (zero otherwise).
	Amount   int64
	Currency string
}

// Tracker reads a parcel's tracking history from a carrier or an aggregator.
type Tracker interface {
	// Track returns the tracking events the carrier has for a tracking number, oldest first. A
	// number the carrier does not know yet is an empty answer, not an error.
	Track(ctx context.Context, trackingNumber string) ([]TrackingEvent, error)
}

// Carrier is one carrier account: quote, book and cancel shipments, and read their tracking.
// Implementations are safe for concurrent use, honour ctx, and retry throttled or failed calls a
// few times before giving up with a *RateLimitError or a transient error. Errors wrapping
// ErrRefused are the carrier's deliberate refusals: retrying the same call will not help. A call
// the carrier has no API for wraps ErrUnsupported.
type Carrier interface {
	Tracker
	// Rates quotes the carrier's services for the parcels, cheapest first.
	Rates(ctx context.Context, r RateRequest) ([]Rate, error)
	// CreateLabel books the shipment and returns its tracking numbers and label documents. It is
	// not idempotent across calls: a caller that retries after an unknown outcome must look for
	// the first booking (by Reference) or cancel it.
	CreateLabel(ctx context.Context, r LabelRequest) (Label, error)
	// CancelLabel voids a booked shipment (EasyPost refund, Ninja Van order cancellation) by its
	// Label.CarrierRef. A shipment the carrier has already picked up wraps ErrRefused.
	CancelLabel(ctx context.Context, carrierRef string) error
}

// TrackingSource verifies and reads a carrier's or aggregator's tracking webhooks. Callers bound
// the body's size before calling; both methods cope with any input and never panic.
type TrackingSource interface {
	// Verify checks the request's signature over the raw body with the account's webhook secret,
	// in constant time: ErrUnsigned when it carries none, ErrBadSignature when it does not match
	// (or no secret is configured). None of the supported schemes signs a time: replays are caught
	// by TrackingEvent.EventID.
	Verify(h http.Header, body []byte) error
	// Parse reads a verified body into tracking events (none for a notification that is not
	// about tracking). A body that is not the source's format is an error.
	Parse(h http.Header, body []byte) ([]TrackingEvent, error)
}

// Acknowledger is implemented by tracking sources whose carrier expects a particular answer to a
// webhook it should not resend (J&T); other sources take any 2xx.
type Acknowledger interface {
	Ack() (contentType string, body []byte)
}

// Errors of carrier calls and webhooks. Callers test them with errors.Is.
var (
	// ErrRefused: the carrier refused the call on purpose (a bad address, an unknown or already
	// shipped shipment); retrying will not help.
	ErrRefused = errors.New("shipping: the carrier refused the call")
	// ErrAccount: the account lacks what its adapter needs.
	ErrAccount = errors.New("shipping: carrier account is incomplete")
	// ErrUnsupported: the carrier has no API for the call (Ninja Van quotes no rates and serves no
	// tracking pull; rate cards and webhooks stand in).
	ErrUnsupported = errors.New("shipping: the carrier does not support this call")
	// ErrUnsigned: a webhook without a signature.
	ErrUnsigned = errors.New("shipping: webhook is not signed")
	// ErrBadSignature: a webhook whose signature does not match.
	ErrBadSignature = errors.New("shipping: webhook signature does not match")
)

// Refused returns an error wrapping ErrRefused.
func Refused(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, a...))
}

// RateLimitError is returned when a carrier keeps refusing calls for their rate; the caller should
// try again after RetryAfter.
type RateLimitError struct {
	RetryAfter time.Duration
	Detail     string
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("shipping: rate limited (retry after %v): %s", e.RetryAfter, e.Detail)
}
