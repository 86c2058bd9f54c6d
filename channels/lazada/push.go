package lazada

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// DefaultMaxAge is how old a push may be, by its body timestamp, before Verify refuses it. Lazada
// retries a failed push 12 times, 30 minutes apart, and it is not known whether a retry carries a
// fresh timestamp, so the window covers the whole retry run; ingestion is idempotent anyway.
const DefaultMaxAge = 7 * time.Hour

// maxSkew is how far in the future a push timestamp may be (clock drift) before it is refused.
const maxSkew = 5 * time.Minute

// Message types of Lazada pushes that concern orders.
const (
	MsgTradeOrder       = 0  // forward order status, per order line
	MsgReverseOrder     = 10 // cancellation, return and refund status
	MsgFulfillmentOrder = 14 // package (fulfillment order) status
)

// Webhooks verifies and reads Lazada pushes. Lazada signs app_key + raw body, so the app key, which
// the channels.Webhooks contract does not pass, is held here.
type Webhooks struct {
	// AppKey is the Lazada app's key, the prefix of the signed string.
	AppKey string
	// MaxAge overrides DefaultMaxAge when positive.
	MaxAge time.Duration
}

var _ channels.Webhooks = Webhooks{}

// PushSignature is the Authorization header Lazada sends with a push: the lowercase hex
// HMAC-SHA256 of appKey + raw body keyed with the app secret.
func PushSignature(appKey, appSecret string, body []byte) string {
	return channels.HMACHex(appSecret, appKey+string(body))
}

// Verify checks the Authorization header against the raw body in constant time, then refuses a
// push whose body timestamp (milliseconds on trade-order pushes, seconds on others) is older than
// the window or too far ahead of now. A push without a readable timestamp is refused as stale.
func (w Webhooks) Verify(h http.Header, body []byte, secret string, now time.Time) error {
	got := strings.TrimSpace(h.Get("Authorization"))
	if got == "" {
		return channels.ErrUnsigned
	}
	if secret == "" || w.AppKey == "" {
		return fmt.Errorf("lazada: no app key or secret configured: %w", channels.ErrBadSignature)
	}
	if err := channels.CheckHMACHex(got, secret, w.AppKey+string(body)); err != nil {
		return err
	}
	var p struct {
		Timestamp scalar `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		// Signed but unreadable: its age cannot be told, so it is refused like a stale one.
		return fmt.Errorf("lazada: push body: %v: %w", err, channels.ErrStale)
	}
	at, ok := parseTime(p.Timestamp.String(), "")
	if !ok {
		return channels.ErrStale
	}
	maxAge := w.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return channels.CheckAge(at, now, maxAge, maxSkew)
}

// push is the envelope of every Lazada push.
type push struct {
	SellerID    scalar `json:"seller_id"`
	MessageType scalar `json:"message_type"`
	Data        struct {
		TradeOrderID      scalar `json:"trade_order_id"`
		TradeOrderLineID  scalar `json:"trade_order_line_id"`
		OrderStatus       scalar `json:"order_status"`
		ReverseStatus     scalar `json:"reverse_status"`
		Status            scalar `json:"status"`
		StatusUpdateTime  scalar `json:"status_update_time"`
		ReverseOrderID    scalar `json:"reverse_order_id"`
		FulfillmentPackID scalar `json:"fulfillment_package_id"`
	} `json:"data"`
	Timestamp scalar `json:"timestamp"`
	Site      scalar `json:"site"`
}

// Parse reads a verified push. The topic names the message and carries the raw status:
// "trade_order:unpaid", "reverse_order:RTM_INIT", "fulfillment_order:DELIVERED", or
// "message_type:N" for the others (product pushes and the like, which name no order). OrderIDs holds
// trade_order_id as a string even when the push carries a number; a reverse-order push (msg_type 10)
// also names its reverse_order_id in ReturnIDs. Lazada sends no delivery id.
func (Webhooks) Parse(_ http.Header, body []byte) (channels.Notification, error) {
	var p push
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return channels.Notification{}, fmt.Errorf("lazada: push body: %w", err)
	}
	if p.MessageType.String() == "" {
		return channels.Notification{}, errors.New("lazada: push has no message_type")
	}
	mt, err := p.MessageType.Int()
	if err != nil {
		return channels.Notification{}, fmt.Errorf("lazada: push message_type: %w", err)
	}
	n := channels.Notification{ShopID: p.SellerID.String()}
	switch mt {
	case MsgTradeOrder:
		n.Topic = "trade_order:" + p.Data.OrderStatus.String()
	case MsgReverseOrder:
		n.Topic = "reverse_order:" + p.Data.ReverseStatus.String()
	case MsgFulfillmentOrder:
		n.Topic = "fulfillment_order:" + p.Data.Status.String()
	default:
		n.Topic = "message_type:" + strconv.FormatInt(mt, 10)
		return n, nil
	}
	id := p.Data.TradeOrderID.String()
	if id == "" {
		return channels.Notification{}, fmt.Errorf("lazada: %s push has no trade_order_id", n.Topic)
	}
	n.OrderIDs = []string{id}
	if mt == MsgReverseOrder {
		// The return itself is fetched by its id (Client.ReturnsByID); CANCEL reverse orders name
		// one too, and the returns side leaves those to the order's cancellation.
		if rid := p.Data.ReverseOrderID.String(); rid != "" {
			n.ReturnIDs = []string{rid}
		}
	}
	return n, nil
}
