package pos

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// HeaderSignature is the header Square signs webhooks in (sent as x-square-hmacsha256-signature).
// The legacy x-square-signature (HMAC-SHA1) is not read.
const HeaderSignature = "X-Square-Hmacsha256-Signature"

// Sign computes a webhook's signature: base64(HMAC-SHA256(signature key, notification URL + raw
// body)). The URL is the subscription's, byte for byte. The marketplace simulator signs with it;
// Verify checks against it.
func Sign(signatureKey, notificationURL string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(signatureKey))
	mac.Write([]byte(notificationURL))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Webhooks verifies and reads Square webhooks. Square signs the notification URL with the body, so
// the URL, which the channels.Webhooks contract does not pass, is held here. No time is signed, so
// nothing is refused as stale; replays are caught by the event id (Notification.DeliveryID).
type Webhooks struct {
	// URL is the subscription's notification URL, exactly as registered with Square.
	URL string
}

var _ channels.Webhooks = Webhooks{}

// Verify checks the signature header over the URL and raw body in constant time. A missing header
// is channels.ErrUnsigned; a wrong, malformed or unverifiable one (no key or URL configured) is
// channels.ErrBadSignature.
func (w Webhooks) Verify(h http.Header, body []byte, secret string, _ time.Time) error {
	got := strings.TrimSpace(header(h, HeaderSignature))
	if got == "" {
		return channels.ErrUnsigned
	}
	if secret == "" || w.URL == "" {
		return fmt.Errorf("pos: no signature key or notification URL configured: %w", channels.ErrBadSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(got)
	if err != nil {
		return fmt.Errorf("pos: signature is not base64: %w", channels.ErrBadSignature)
	}
	want, _ := base64.StdEncoding.DecodeString(Sign(secret, w.URL, body))
	if !hmac.Equal(sig, want) {
		return channels.ErrBadSignature
	}
	return nil
}

// header reads h[name] also from header maps built by hand with lower-case keys.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// ErrNoTopic is returned by Parse for a body without an event type.
var ErrNoTopic = errors.New("pos: webhook has no event type")

// event is Square's webhook envelope; data.object holds one object named after data.type
// (order_created, order_updated, order_fulfillment_updated…).
type event struct {
	MerchantID string `json:"merchant_id"`
	Type       string `json:"type"`
	EventID    string `json:"event_id"`
	Data       *struct {
		Type   string                     `json:"type"`
		ID     string                     `json:"id"`
		Object map[string]json.RawMessage `json:"object"`
	} `json:"data"`
}

// Parse reads a verified webhook. order.* events (order.created, order.updated,
// order.fulfillment.updated) are thin: they name the order (data.id, or the object's order_id) and
// its location, which is the Notification's ShopID; the connector then fetches the order. Other
// events keep only their type and event id.
func (Webhooks) Parse(_ http.Header, body []byte) (channels.Notification, error) {
	var e event
	if err := decode(body, &e); err != nil {
		return channels.Notification{}, fmt.Errorf("pos: webhook: %w", err)
	}
	if e.Type == "" {
		return channels.Notification{}, ErrNoTopic
	}
	n := channels.Notification{Topic: e.Type, DeliveryID: e.EventID}
	if !strings.HasPrefix(e.Type, "order.") {
		return n, nil
	}
	var obj struct {
		OrderID    string `json:"order_id"`
		LocationID string `json:"location_id"`
	}
	if d := e.Data; d != nil {
		if raw := d.Object[d.Type]; len(raw) > 0 {
			if err := decode(raw, &obj); err != nil {
				return channels.Notification{}, fmt.Errorf("pos: %s: %w", e.Type, err)
			}
		}
		obj.OrderID = cmp.Or(d.ID, obj.OrderID)
	}
	if obj.OrderID == "" {
		return channels.Notification{}, fmt.Errorf("pos: %s names no order", e.Type)
	}
	n.ShopID, n.OrderIDs = obj.LocationID, []string{obj.OrderID}
	return n, nil
}
