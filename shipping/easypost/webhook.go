package easypost

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ordo-oms/ordo/shipping"
)

// HeaderSignature is the header EasyPost signs webhooks in; its value is SignaturePrefix and the
// lowercase hex digest.
const (
	HeaderSignature = "X-Hmac-Signature"
	SignaturePrefix = "hmac-sha256-hex="
)

// Sign computes the X-Hmac-Signature value of a body as EasyPost does: the HMAC-SHA256 of the raw
// body keyed with the NFKD normal form of the secret's UTF-8, in lowercase hex, after the
// hmac-sha256-hex= prefix.
func Sign(secret string, body []byte) string {
	return SignaturePrefix + hex.EncodeToString(digest(secret, body))
}

func digest(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(norm.NFKD.String(secret)))
	m.Write(body)
	return m.Sum(nil)
}

// Webhooks verifies and reads EasyPost webhooks for one account.
type Webhooks struct {
	// Secret is the webhook's secret, as registered with EasyPost.
	Secret string
}

var _ shipping.TrackingSource = Webhooks{}

// Verify implements shipping.TrackingSource: the header's digest against the body's, in constant
// time; the prefix is optional and the hex may be in either case.
func (w Webhooks) Verify(h http.Header, body []byte) error {
	sig := strings.TrimSpace(h.Get(HeaderSignature))
	if sig == "" {
		return shipping.ErrUnsigned
	}
	if w.Secret == "" {
		return fmt.Errorf("%w: no webhook secret configured", shipping.ErrBadSignature)
	}
	if len(sig) >= len(SignaturePrefix) && strings.EqualFold(sig[:len(SignaturePrefix)], SignaturePrefix) {
		sig = sig[len(SignaturePrefix):]
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("%w: not hex", shipping.ErrBadSignature)
	}
	if !hmac.Equal(got, digest(w.Secret, body)) {
		return shipping.ErrBadSignature
	}
	return nil
}

// event is EasyPost's Event object, as much of it as Ordo reads.
type event struct {
	ID          string          `json:"id"`
	Object      string          `json:"object"`
	Description string          `json:"description"`
	Result      json.RawMessage `json:"result"`
}

// Parse implements shipping.TrackingSource. A tracker.created or tracker.updated event yields the
// tracker's events (see Events); any other event (batch.created, refund.successful…) yields none.
func (Webhooks) Parse(_ http.Header, body []byte) ([]shipping.TrackingEvent, error) {
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("easypost: event: %w", err)
	}
	if e.Object != "Event" || e.ID == "" {
		return nil, fmt.Errorf("easypost: not an Event object")
	}
	if !strings.HasPrefix(e.Description, "tracker.") {
		return nil, nil
	}
	var t tracker
	if err := json.Unmarshal(e.Result, &t); err != nil {
		return nil, fmt.Errorf("easypost: %s: tracker: %w", e.Description, err)
	}
	if t.Object != "Tracker" {
		return nil, fmt.Errorf("easypost: %s: the result is a %q, not a Tracker", e.Description, t.Object)
	}
	return t.events(), nil
}

// tracker is EasyPost's Tracker object (easypost-go tracker.go), as much of it as Ordo reads.
type tracker struct {
	ID              string           `json:"id"`
	Object          string           `json:"object"`
	TrackingCode    string           `json:"tracking_code"`
	Status          string           `json:"status"`
	StatusDetail    string           `json:"status_detail"`
	UpdatedAt       string           `json:"updated_at"`
	EstDeliveryDate string           `json:"est_delivery_date"`
	Carrier         string           `json:"carrier"`
	IsReturn        bool             `json:"is_return"`
	TrackingDetails []trackingDetail `json:"tracking_details"`
	CarrierDetail   *struct {
		GuaranteedDeliveryDate string `json:"guaranteed_delivery_date"`
	} `json:"carrier_detail"`
}

type trackingDetail struct {
	Message          string `json:"message"`
	Description      string `json:"description"`
	Status           string `json:"status"`
	StatusDetail     string `json:"status_detail"`
	Datetime         string `json:"datetime"`
	CarrierCode      string `json:"carrier_code"`
	TrackingLocation *struct {
		City    string `json:"city"`
		State   string `json:"state"`
		Country string `json:"country"`
		Zip     string `json:"zip"`
	} `json:"tracking_location"`
}

// events turns a tracker into tracking events: one per tracking detail, oldest first, or, for a
// tracker without details that has a status, one for its status. EasyPost gives a scan no id and
// every tracker.updated repeats the whole history, so an event's id is the tracker's id with the
// scan's time and statuses: the same whether the tracker was pushed or pulled, and whichever
// Event carried it. The newest event carries what the tracker says as a whole: the estimated
// delivery, return to sender.
func (t tracker) events() []shipping.TrackingEvent {
	carrier := strings.ToLower(t.Carrier)
	var out []shipping.TrackingEvent
	for _, d := range t.TrackingDetails {
		raw, _ := json.Marshal(d)
		e := shipping.TrackingEvent{
			Source:         shipping.EasyPost,
			EventID:        strings.Join([]string{t.ID, d.Datetime, d.Status, d.StatusDetail}, "/"),
			TrackingNumber: t.TrackingCode,
			Carrier:        carrier,
			Tag:            Tag(d.Status),
			RawStatus:      raw2(d.Status, d.StatusDetail),
			Message:        firstNonEmpty(d.Message, d.Description),
			OccurredAt:     parseTime(d.Datetime),
			ReturnToSender: strings.EqualFold(d.Status, "return_to_sender"),
			Delay:          IsDelay(d.StatusDetail),
			Raw:            raw,
		}
		if l := d.TrackingLocation; l != nil {
			e.Location = joinNonEmpty(", ", l.City, l.State, joinNonEmpty(" ", l.Country, l.Zip))
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		if t.Status == "" || strings.EqualFold(t.Status, "unknown") {
			return nil
		}
		out = append(out, shipping.TrackingEvent{
			Source:         shipping.EasyPost,
			EventID:        strings.Join([]string{t.ID, t.UpdatedAt, t.Status, t.StatusDetail}, "/"),
			TrackingNumber: t.TrackingCode,
			Carrier:        carrier,
			Tag:            Tag(t.Status),
			RawStatus:      raw2(t.Status, t.StatusDetail),
			OccurredAt:     parseTime(t.UpdatedAt),
			Delay:          IsDelay(t.StatusDetail),
		})
	}
	last := &out[len(out)-1]
	last.ReturnToSender = last.ReturnToSender || t.IsReturn || strings.EqualFold(t.Status, "return_to_sender")
	last.Delay = last.Delay || IsDelay(t.StatusDetail)
	edd := t.EstDeliveryDate
	if t.CarrierDetail != nil && t.CarrierDetail.GuaranteedDeliveryDate != "" {
		edd = t.CarrierDetail.GuaranteedDeliveryDate
	}
	if at := parseTime(edd); !at.IsZero() {
		last.EstimatedDeliveryMax = &at
	}
	return out
}

func raw2(status, detail string) string {
	if detail == "" {
		return status
	}
	return status + "/" + detail
}

// parseTime reads EasyPost's times (RFC 3339, with or without fraction); zero when absent or
// malformed.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func joinNonEmpty(sep string, parts ...string) string {
	var b bytes.Buffer
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}
