package shopee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Webhooks verifies and reads Shopee pushes for one callback URL, the exact URL registered in the
// Open Platform console, because Shopee signs it together with the body.
type Webhooks struct {
	// CallbackURL is the live push URL as registered, scheme, host, path and query included.
	CallbackURL string
	// MaxAge, when positive, refuses pushes whose signed body timestamp is further than this from
	// now in either direction. Zero accepts any age: Shopee retries failed pushes later, and
	// get_lost_push_message returns up to three days of them.
	MaxAge time.Duration
}

var _ channels.Webhooks = Webhooks{}

// Topics of Shopee's push codes (set_app_push_config, push guide); an unlisted code reads "code_N".
var topics = map[int64]string{
	1:  "shop_authorization",
	2:  "shop_deauthorization",
	3:  "order_status",
	4:  "order_tracking_number",
	5:  "shopee_updates",
	6:  "banned_item",
	7:  "item_promotion",
	8:  "reserved_stock_change",
	9:  "promotion_update",
	10: "webchat",
	11: "video_upload",
	12: "authorization_expiry",
	13: "brand_register_result",
	15: "shipping_document_status",
}

// Topic names a push code.
func Topic(code int64) string {
	if t, ok := topics[code]; ok {
		return t
	}
	return "code_" + strconv.FormatInt(code, 10)
}

// Verify checks the Authorization header, lowercase hex HMAC-SHA256 of CallbackURL + "|" + the raw
// body, in constant time, then the body's timestamp against MaxAge. A missing header is
// channels.ErrUnsigned; a wrong one, or no secret or URL configured, channels.ErrBadSignature; a
// signed but old push channels.ErrStale.
func (w Webhooks) Verify(h http.Header, body []byte, secret string, now time.Time) error {
	got := strings.TrimSpace(h.Get("Authorization"))
	if got == "" {
		return channels.ErrUnsigned
	}
	if secret == "" || w.CallbackURL == "" {
		return fmt.Errorf("%w: no partner key or callback URL configured", channels.ErrBadSignature)
	}
	if err := channels.CheckHMACHex(got, secret, w.CallbackURL+"|"+string(body)); err != nil {
		return err
	}
	if w.MaxAge <= 0 {
		return nil
	}
	var p struct {
		Timestamp text `json:"timestamp"`
	}
	if err := decode(body, &p); err != nil {
		return fmt.Errorf("%w: unreadable timestamp", channels.ErrStale)
	}
	at, err := unix(p.Timestamp)
	if err != nil || at.IsZero() {
		return fmt.Errorf("%w: no timestamp", channels.ErrStale)
	}
	if err := channels.CheckAge(at, now, w.MaxAge, w.MaxAge); err != nil {
		return fmt.Errorf("%w: sent %s, now %s", err, at.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// push is a push body: {"shop_id":…,"code":3,"timestamp":…,"data":{"ordersn":…,"status":…}}.
// get_lost_push_message nests the whole push once more under data.
type push struct {
	ShopID    text            `json:"shop_id"`
	Code      text            `json:"code"`
	Timestamp text            `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

type pushData struct {
	OrderSN text `json:"ordersn"`
	Status  text `json:"status"`
	// A lost push message re-wraps the original push here.
	Code text            `json:"code"`
	Data json.RawMessage `json:"data"`
}

// Parse reads a verified push. Pushes are thin: an order status push (code 3) names the order in
// data.ordersn, and so does a tracking number push (code 4); the connector fetches the detail.
// Other codes keep only their topic and shop. Shopee sends no delivery id.
func (Webhooks) Parse(_ http.Header, body []byte) (channels.Notification, error) {
	var p push
	if err := decode(body, &p); err != nil {
		return channels.Notification{}, fmt.Errorf("shopee: push: %w", err)
	}
	return p.notification(true)
}

// notification reads a push; unwrap allows one level of get_lost_push_message nesting.
func (p push) notification(unwrap bool) (channels.Notification, error) {
	code, err := strconv.ParseInt(string(p.Code), 10, 64)
	if err != nil {
		return channels.Notification{}, fmt.Errorf("shopee: push code %q", p.Code)
	}
	n := channels.Notification{Topic: Topic(code), ShopID: string(p.ShopID)}
	if len(bytes.TrimSpace(p.Data)) == 0 {
		return n, nil
	}
	var d pushData
	if err := decode(p.Data, &d); err != nil {
		// data is not an object (some codes send other shapes): the topic is all there is.
		return n, nil
	}
	if unwrap && d.Code != "" && len(d.Data) > 0 {
		return push{ShopID: p.ShopID, Code: d.Code, Data: d.Data}.notification(false)
	}
	if d.OrderSN != "" && (code == 3 || code == 4) {
		n.OrderIDs = []string{string(d.OrderSN)}
	}
	return n, nil
}

// ParseLostPushMessages reads a get_lost_push_message response into notifications, oldest first,
// with the last_message_id to confirm through confirm_consumed_lost_push_message and whether more
// pages remain.
func ParseLostPushMessages(raw []byte) (ns []channels.Notification, lastMessageID string, more bool, err error) {
	var resp struct {
		Error    text `json:"error"`
		Message  text `json:"message"`
		Response struct {
			List          []push `json:"push_message_list"`
			HasNextPage   flag   `json:"has_next_page"`
			LastMessageID text   `json:"last_message_id"`
		} `json:"response"`
	}
	if err := decode(raw, &resp); err != nil {
		return nil, "", false, fmt.Errorf("shopee: get_lost_push_message: %w", err)
	}
	if resp.Error != "" && resp.Error != "-" { // the docs sample fills every field with "-"
		return nil, "", false, fmt.Errorf("shopee: get_lost_push_message: %s: %s", resp.Error, resp.Message)
	}
	for _, p := range resp.Response.List {
		n, err := p.notification(true)
		if err != nil {
			return nil, "", false, err
		}
		ns = append(ns, n)
	}
	return ns, string(resp.Response.LastMessageID), bool(resp.Response.HasNextPage), nil
}
