package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Header names Shopify sends with every webhook; Shopify's own SDK also accepts each without the
// X- prefix, and so does header.
const (
	HeaderHMAC       = "X-Shopify-Hmac-Sha256"
	HeaderTopic      = "X-Shopify-Topic"
	HeaderShopDomain = "X-Shopify-Shop-Domain"
	HeaderWebhookID  = "X-Shopify-Webhook-Id"
	HeaderAPIVersion = "X-Shopify-API-Version"
)

// Webhooks verifies and reads Shopify webhooks. Shopify signs no timestamp, so nothing is refused
// as stale; replays are caught by the webhook id (Notification.DeliveryID).
type Webhooks struct{}

var _ channels.Webhooks = Webhooks{}

// Sign computes the X-Shopify-Hmac-Sha256 value of a body: base64(HMAC-SHA256(secret, body)). The
// marketplace simulator signs with it; Verify checks against it.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks the HMAC header over the raw body in constant time. A missing header is
// channels.ErrUnsigned; a wrong, malformed or unverifiable one (no secret configured) is
// channels.ErrBadSignature.
func (Webhooks) Verify(h http.Header, body []byte, secret string, _ time.Time) error {
	got := header(h, HeaderHMAC)
	if got == "" {
		return channels.ErrUnsigned
	}
	if secret == "" {
		return fmt.Errorf("%w: no secret configured", channels.ErrBadSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(got))
	if err != nil {
		return fmt.Errorf("%w: not base64", channels.ErrBadSignature)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return channels.ErrBadSignature
	}
	return nil
}

// ErrNoTopic is returned by Parse for a request without a topic header.
var ErrNoTopic = errors.New("shopify: webhook has no topic")

// Parse reads a verified webhook. orders/* bodies are whole orders and come back normalized in
// Notification.Order (orders/delete carries only the id); fulfillments/* name their order through
// order_id; returns/* (request, approve, decline, update, process, cancel, close, reopen) name
// their Return in ReturnIDs (its gid, admin_graphql_api_id or built from id); refunds/create names
// its order in OrderIDs and, when the refund belongs to a return, that return in ReturnIDs; other
// topics keep only the topic, shop and delivery id.
func (Webhooks) Parse(h http.Header, body []byte) (channels.Notification, error) {
	n := channels.Notification{
		Topic:      strings.ToLower(header(h, HeaderTopic)),
		ShopID:     header(h, HeaderShopDomain),
		DeliveryID: header(h, HeaderWebhookID),
	}
	if n.Topic == "" {
		return channels.Notification{}, ErrNoTopic
	}
	switch {
	case n.Topic == "orders/delete":
		var o struct {
			ID  text `json:"id"`
			GID text `json:"admin_graphql_api_id"`
		}
		if err := decode(body, &o); err != nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s: %w", n.Topic, err)
		}
		n.OrderIDs = nonEmpty(id(o.ID, o.GID))
	case strings.HasPrefix(n.Topic, "orders/"):
		o, err := NormalizeOrder(body)
		if err != nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s: %w", n.Topic, err)
		}
		o.ShopID = n.ShopID
		n.Order = &o
		n.OrderIDs = nonEmpty(o.ExternalID)
	case strings.HasPrefix(n.Topic, "fulfillments/"):
		var f struct {
			OrderID text `json:"order_id"`
		}
		if err := decode(body, &f); err != nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s: %w", n.Topic, err)
		}
		n.OrderIDs = nonEmpty(string(f.OrderID))
	case strings.HasPrefix(n.Topic, "returns/"):
		var r struct {
			ID  text `json:"id"`
			GID text `json:"admin_graphql_api_id"`
		}
		if err := decode(body, &r); err != nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s: %w", n.Topic, err)
		}
		n.ReturnIDs = nonEmpty(returnGID(r.ID, r.GID))
		if n.ReturnIDs == nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s names no return", n.Topic)
		}
	case n.Topic == "refunds/create":
		var r struct {
			OrderID text `json:"order_id"`
			Return  *struct {
				ID  text `json:"id"`
				GID text `json:"admin_graphql_api_id"`
			} `json:"return"`
		}
		if err := decode(body, &r); err != nil {
			return channels.Notification{}, fmt.Errorf("shopify: %s: %w", n.Topic, err)
		}
		n.OrderIDs = nonEmpty(string(r.OrderID))
		if r.Return != nil {
			n.ReturnIDs = nonEmpty(returnGID(r.Return.ID, r.Return.GID))
		}
	}
	return n, nil
}

// returnGID is a return's gid from a webhook's admin_graphql_api_id, else from its numeric id.
func returnGID(numeric, gid text) string {
	if strings.HasPrefix(string(gid), "gid://shopify/Return/") {
		return string(gid)
	}
	if s := numeric.String(); s != "" && strings.Trim(s, "0123456789") == "" {
		return "gid://shopify/Return/" + s
	}
	return ""
}

func nonEmpty(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}

// header reads a Shopify header under its canonical name or without the X- prefix, also from
// header maps built by hand with lower-case keys.
func header(h http.Header, name string) string {
	for _, n := range []string{name, strings.TrimPrefix(name, "X-")} {
		if v := h.Get(n); v != "" {
			return v
		}
		for k, vs := range h {
			if strings.EqualFold(k, n) && len(vs) > 0 && vs[0] != "" {
				return vs[0]
			}
		}
	}
	return ""
}
