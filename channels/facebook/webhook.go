package facebook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// HeaderSignature is the header Graph webhooks carry their signature in: "sha256=" and the hex
// HMAC-SHA256 of the raw body keyed with the app secret.
const HeaderSignature = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// Webhooks verifies and reads Graph API webhooks. Meta sends no order webhooks (orders are pulled
// and acknowledged); this is the generic Graph envelope, for a subscription Ordo might add. Graph
// signs no timestamp, so nothing is refused as stale.
type Webhooks struct{}

var _ channels.Webhooks = Webhooks{}

// Sign computes the X-Hub-Signature-256 value of a body.
func Sign(appSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify checks the signature header over the raw body in constant time. A missing header is
// channels.ErrUnsigned; a wrong or malformed one, or no app secret to check it with, is
// channels.ErrBadSignature.
func (Webhooks) Verify(h http.Header, body []byte, appSecret string, _ time.Time) error {
	sig := strings.TrimSpace(header(h, HeaderSignature))
	if sig == "" {
		return channels.ErrUnsigned
	}
	if appSecret == "" {
		return fmt.Errorf("%w: no app secret configured", channels.ErrBadSignature)
	}
	hexSig, ok := strings.CutPrefix(sig, signaturePrefix)
	if !ok || hexSig == "" {
		return fmt.Errorf("%w: not a sha256= signature", channels.ErrBadSignature)
	}
	return channels.CheckHMACHex(hexSig, appSecret, string(body))
}

// ErrNoChanges is returned by Parse for a body with no entry that reports a change.
var ErrNoChanges = errors.New("facebook: webhook reports no change")

// Parse reads a verified {object, entry:[{id, time, changes:[{field, value}]}]} body: the topic is
// the first change's field, the shop the first entry's id (the page or account subscribed), and the
// order ids those of every change whose value names an order_id.
func (Webhooks) Parse(_ http.Header, body []byte) (channels.Notification, error) {
	var env struct {
		Entry []struct {
			ID      text `json:"id"`
			Changes []struct {
				Field text            `json:"field"`
				Value json.RawMessage `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return channels.Notification{}, fmt.Errorf("facebook: webhook: %w", err)
	}
	var n channels.Notification
	for _, e := range env.Entry {
		for _, c := range e.Changes {
			if n.Topic == "" {
				n.Topic, n.ShopID = string(c.Field), string(e.ID)
			}
			if id := orderID(c.Value); id != "" {
				n.OrderIDs = append(n.OrderIDs, id)
			}
		}
	}
	if n.Topic == "" {
		return channels.Notification{}, ErrNoChanges
	}
	return n, nil
}

// orderID reads value.order_id when the value is an object that has one.
func orderID(value json.RawMessage) string {
	var v struct {
		OrderID text `json:"order_id"`
	}
	if json.Unmarshal(value, &v) != nil {
		return ""
	}
	return strings.TrimSpace(string(v.OrderID))
}

// header reads a header under its canonical name, also from maps built by hand with other cases.
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
