package ninjavan

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

// HeaderSignature is the header Ninja Van signs webhooks in.
const HeaderSignature = "X-Ninjavan-Hmac-Sha256"

// Sign computes the X-Ninjavan-Hmac-Sha256 value of a body: base64(HMAC-SHA256(client secret,
// body)).
func Sign(secret string, body []byte) string {
	return shipping.Base64HMAC(secret, body)
}

// Webhooks verifies and reads Ninja Van webhooks for one account.
type Webhooks struct {
	// Secret is the account's client secret (Ninja Van's "client key"), which signs webhooks.
	Secret string
}

var _ shipping.TrackingSource = Webhooks{}

// Verify implements shipping.TrackingSource, in constant time.
func (w Webhooks) Verify(h http.Header, body []byte) error {
	return shipping.CheckBase64HMAC(h.Get(HeaderSignature), w.Secret, body)
}

// hub is where a hub event happened.
type hub struct {
	Country string `json:"country"`
	City    string `json:"city"`
	Hub     string `json:"hub"`
}

// exception is a failed pickup or delivery.
type exception struct {
	State           string `json:"state"`
	FailureReason   string `json:"failure_reason"`
	RescheduledDate string `json:"rescheduled_date"`
}

// payload is a webhook v2 body (the v1 fields it shares with v2: tracking_id, status, timestamp).
type payload struct {
	TrackingID        string     `json:"tracking_id"`
	ShipperOrderRefNo string     `json:"shipper_order_ref_no"`
	Timestamp         string     `json:"timestamp"`
	Event             string     `json:"event"`
	Status            string     `json:"status"`
	IsParcelOnRTSLeg  bool       `json:"is_parcel_on_rts_leg"`
	ArrivedAtOrigin   *hub       `json:"arrived_at_origin_hub_information,omitempty"`
	ArrivedAtTransit  *hub       `json:"arrived_at_transit_hub_information,omitempty"`
	ArrivedAtDest     *hub       `json:"arrived_at_destination_hub_information,omitempty"`
	InTransitToNext   *hub       `json:"in_transit_to_next_sorting_hub_information,omitempty"`
	PickupException   *exception `json:"pickup_exception,omitempty"`
	DeliveryException *exception `json:"delivery_exception,omitempty"`
	RTSReason         string     `json:"rts_reason,omitempty"`
}

// Parse implements shipping.TrackingSource: one event per webhook, identified by the tracking
// id, the event (or status) and its timestamp, as Ninja Van sends no event id; none for an
// informational event (parcel measurements).
func (Webhooks) Parse(_ http.Header, body []byte) ([]shipping.TrackingEvent, error) {
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("ninjavan: webhook: %w", err)
	}
	if p.TrackingID == "" || (p.Event == "" && p.Status == "") {
		return nil, fmt.Errorf("ninjavan: webhook without tracking_id or event")
	}
	m := lookup(p.Event, p.Status)
	if m.info {
		return nil, nil
	}
	raw := firstNonEmpty(p.Event, p.Status)
	e := shipping.TrackingEvent{
		Source:         shipping.NinjaVan,
		EventID:        strings.Join([]string{p.TrackingID, raw, p.Timestamp}, "/"),
		TrackingNumber: p.TrackingID,
		Carrier:        "ninjavan",
		Tag:            m.tag,
		Subtag:         m.subtag,
		RawStatus:      raw,
		Message:        raw,
		OccurredAt:     parseTime(p.Timestamp),
		ReturnToSender: m.rts || p.IsParcelOnRTSLeg,
		Delay:          m.delay,
		Raw:            json.RawMessage(append([]byte(nil), body...)),
	}
	for _, h := range []*hub{p.ArrivedAtDest, p.ArrivedAtTransit, p.ArrivedAtOrigin, p.InTransitToNext} {
		if h != nil {
			e.Location = joinNonEmpty(", ", h.Hub, h.City, h.Country)
			break
		}
	}
	for _, x := range []*exception{p.DeliveryException, p.PickupException} {
		if x != nil && x.FailureReason != "" {
			e.Message += ": " + x.FailureReason
		}
	}
	if p.RTSReason != "" {
		e.Message += ": " + p.RTSReason
	}
	return []shipping.TrackingEvent{e}, nil
}

// parseTime reads Ninja Van's timestamps: RFC 3339, or with a zone offset without a colon
// (2023-01-26T07:10:08+0000); zero when absent or malformed.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
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
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
