package aftership

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

// HeaderSignature is the header AfterShip signs tracking webhooks in.
const HeaderSignature = "Aftership-Hmac-Sha256"

// The webhook events.
const (
	EventTrackingUpdate = "tracking_update"
	EventEDDRevise      = "edd_revise"
	EventPendingTime    = "tracking_pending_time"
)

// Sign computes the aftership-hmac-sha256 value of a body: base64(HMAC-SHA256(secret, body)).
func Sign(secret string, body []byte) string {
	return shipping.Base64HMAC(secret, body)
}

// Webhooks verifies and reads AfterShip tracking webhooks for one account.
type Webhooks struct {
	// Secret is the account's webhook secret.
	Secret string
}

var _ shipping.TrackingSource = Webhooks{}

// Verify implements shipping.TrackingSource, in constant time.
func (w Webhooks) Verify(h http.Header, body []byte) error {
	return shipping.CheckBase64HMAC(h.Get(HeaderSignature), w.Secret, body)
}

// envelope is a webhook's body.
type envelope struct {
	Event   string          `json:"event"`
	EventID string          `json:"event_id"`
	Msg     json.RawMessage `json:"msg"`
}

// Parse implements shipping.TrackingSource. tracking_update yields the tracking's events (see
// tracking.Events); edd_revise and tracking_pending_time yield one event for the tracking's
// current tag, identified by the webhook's event_id, carrying the new estimate or (pending time) a
// delay; other events yield none.
func (Webhooks) Parse(_ http.Header, body []byte) ([]shipping.TrackingEvent, error) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("aftership: webhook: %w", err)
	}
	if e.Event == "" || e.EventID == "" {
		return nil, fmt.Errorf("aftership: webhook without event or event_id")
	}
	switch e.Event {
	case EventTrackingUpdate, EventEDDRevise, EventPendingTime:
	default:
		return nil, nil
	}
	var t tracking
	if err := json.Unmarshal(e.Msg, &t); err != nil {
		return nil, fmt.Errorf("aftership: %s: tracking: %w", e.Event, err)
	}
	if t.TrackingNumber == "" {
		return nil, fmt.Errorf("aftership: %s: tracking without a tracking number", e.Event)
	}
	if e.Event == EventTrackingUpdate {
		return t.Events(e.EventID), nil
	}
	ev := t.current(e.EventID, e.Msg)
	switch e.Event {
	case EventEDDRevise:
		ev.Message = "estimated delivery revised"
	case EventPendingTime:
		ev.Message = "no scan yet past the pending-time threshold"
		ev.Delay = true
	}
	return []shipping.TrackingEvent{ev}, nil
}

// tracking is AfterShip's Tracking object, as much of it as Ordo reads.
type tracking struct {
	ID                  string       `json:"id"`
	TrackingNumber      string       `json:"tracking_number"`
	Slug                string       `json:"slug"`
	Tag                 string       `json:"tag"`
	Subtag              string       `json:"subtag"`
	SubtagMessage       string       `json:"subtag_message"`
	UpdatedAt           string       `json:"updated_at"`
	Checkpoints         []checkpoint `json:"checkpoints"`
	EstimatedDeliveryAS *struct {
		Date    string `json:"estimated_delivery_date"`
		DateMin string `json:"estimated_delivery_date_min"`
		DateMax string `json:"estimated_delivery_date_max"`
	} `json:"aftership_estimated_delivery_date"`
}

type checkpoint struct {
	CheckpointTime string `json:"checkpoint_time"`
	Message        string `json:"message"`
	Slug           string `json:"slug"`
	Tag            string `json:"tag"`
	Subtag         string `json:"subtag"`
	SubtagMessage  string `json:"subtag_message"`
	Location       string `json:"location"`
	City           string `json:"city"`
	State          string `json:"state"`
	Country        string `json:"country_region"`
	CountryISO3    string `json:"country_iso3"`
	PostalCode     string `json:"postal_code"`
	Zip            string `json:"zip"`
	RawTag         string `json:"raw_tag"`
}

// Events turns a tracking into events: one per checkpoint, oldest first, identified by the
// tracking with the checkpoint's time, subtag and message (AfterShip resends every checkpoint in
// each update, under a new event_id); and one more for the tracking's own tag when no checkpoint
// shows it (Expired, a tracking without checkpoints), identified by eventID when a webhook carried
// it. The newest event carries the tracking's estimated delivery.
func (t tracking) Events(eventID string) []shipping.TrackingEvent {
	var out []shipping.TrackingEvent
	for _, c := range t.Checkpoints {
		raw, _ := json.Marshal(c)
		tag, ok := shipping.ParseTag(c.Tag)
		if !ok {
			tag = shipping.Pending
		}
		slug := c.Slug
		if slug == "" {
			slug = t.Slug
		}
		out = append(out, shipping.TrackingEvent{
			Source:         shipping.AfterShip,
			EventID:        strings.Join([]string{t.key(), c.CheckpointTime, c.Subtag, short(c.Message)}, "/"),
			TrackingNumber: t.TrackingNumber,
			Carrier:        slug,
			Tag:            tag,
			Subtag:         c.Subtag,
			RawStatus:      firstNonEmpty(c.RawTag, c.Subtag, c.Tag),
			Message:        c.Message,
			Location:       c.location(),
			OccurredAt:     parseTime(c.CheckpointTime),
			ReturnToSender: returnSubtags[c.Subtag],
			CODCollected:   c.Subtag == shipping.CODCollectedSubtag,
			Delay:          shipping.IsDelaySubtag(c.Subtag),
			Raw:            raw,
		})
	}
	tag, _ := shipping.ParseTag(t.Tag)
	if n := len(out); tag != "" && (n == 0 || out[n-1].Tag != tag || (t.Subtag != "" && out[n-1].Subtag != t.Subtag)) {
		id := eventID
		if id == "" {
			id = strings.Join([]string{t.key(), t.UpdatedAt, t.Tag, t.Subtag}, "/")
		}
		out = append(out, t.current(id, nil))
	}
	if len(out) > 0 {
		out[len(out)-1].EstimatedDeliveryMax = t.eddMax()
	}
	return out
}

// current is an event for the tracking's own tag and subtag.
func (t tracking) current(id string, raw json.RawMessage) shipping.TrackingEvent {
	tag, ok := shipping.ParseTag(t.Tag)
	if !ok {
		tag = shipping.Pending
	}
	return shipping.TrackingEvent{
		Source:               shipping.AfterShip,
		EventID:              id,
		TrackingNumber:       t.TrackingNumber,
		Carrier:              t.Slug,
		Tag:                  tag,
		Subtag:               t.Subtag,
		RawStatus:            firstNonEmpty(t.Subtag, t.Tag),
		Message:              t.SubtagMessage,
		OccurredAt:           parseTime(t.UpdatedAt),
		EstimatedDeliveryMax: t.eddMax(),
		ReturnToSender:       returnSubtags[t.Subtag],
		CODCollected:         t.Subtag == shipping.CODCollectedSubtag,
		Delay:                shipping.IsDelaySubtag(t.Subtag),
		Raw:                  raw,
	}
}

// returnSubtags are AfterShip's sub-statuses of a parcel going back: Exception_010 returning to
// sender, Exception_011 returned to sender.
var returnSubtags = map[string]bool{"Exception_010": true, "Exception_011": true}

func (t tracking) key() string { return firstNonEmpty(t.ID, t.Slug+":"+t.TrackingNumber) }

// eddMax is AfterShip's latest estimated delivery: the max of its window, else its single date.
func (t tracking) eddMax() *time.Time {
	e := t.EstimatedDeliveryAS
	if e == nil {
		return nil
	}
	for _, s := range []string{e.DateMax, e.Date} {
		if at := parseEstimate(s); !at.IsZero() {
			return &at
		}
	}
	return nil
}

func (c checkpoint) location() string {
	if l := strings.TrimSpace(c.Location); l != "" {
		return l
	}
	var parts []string
	for _, p := range []string{c.City, c.State, firstNonEmpty(c.Country, c.CountryISO3), firstNonEmpty(c.PostalCode, c.Zip)} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// short is a stable digest of a message, to keep event ids short.
func short(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// parseTime reads a checkpoint time: RFC 3339, or AfterShip's local time without a zone (read as
// UTC); zero when absent or malformed.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseEstimate reads an estimated delivery: a time, or a date alone, read as the end of that day
// in UTC, so that a parcel is not called late before its day is over.
func parseEstimate(s string) time.Time {
	if t := parseTime(s); !t.IsZero() {
		return t
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return d.Add(24*time.Hour - time.Second)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
