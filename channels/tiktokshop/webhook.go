package tiktokshop

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

// DefaultMaxAge is how old a webhook may be, by its body timestamp, before Verify refuses it.
// TikTok Shop retries after 2 min, 30 min, 3 h and 12 h; whether a retry carries a fresh timestamp is
// not known, so the window covers the whole run. Ingestion is idempotent anyway.
const DefaultMaxAge = 16 * time.Hour

// maxSkew is how far in the future a webhook timestamp may be (clock drift) before it is refused.
const maxSkew = 5 * time.Minute

// Webhook types that concern orders.
const (
	TypeOrderStatusChange        = 1
	TypeRecipientAddressUpdate   = 3
	TypePackageUpdate            = 4
	TypeCancellationStatusChange = 11
	TypeReturnStatusChange       = 12
	TypeInventoryStatusChange    = 27
)

// topics names the webhook types, as the docs title them.
var topics = map[int]string{
	TypeOrderStatusChange:        "ORDER_STATUS_CHANGE",
	TypeRecipientAddressUpdate:   "RECIPIENT_ADDRESS_UPDATE",
	TypePackageUpdate:            "PACKAGE_UPDATE",
	TypeCancellationStatusChange: "CANCELLATION_STATUS_CHANGE",
	TypeReturnStatusChange:       "RETURN_STATUS_CHANGE",
	TypeInventoryStatusChange:    "INVENTORY_STATUS_CHANGE",
}

// Webhooks verifies and reads TikTok Shop webhooks. The scheme is the community SDK's, unverified
// against a real delivery (channels.md §4 [U]): it signs app_key + raw body, so the app key, which
// the channels.Webhooks contract does not pass, is held here.
type Webhooks struct {
	// AppKey is the TikTok Shop app's key, the prefix of the signed string.
	AppKey string
	// MaxAge overrides DefaultMaxAge when positive.
	MaxAge time.Duration
}

var _ channels.Webhooks = Webhooks{}

// WebhookSignature is the Authorization header of a TikTok Shop webhook: the lowercase hex
// HMAC-SHA256 of appKey + raw body keyed with the app secret [U].
func WebhookSignature(appKey, appSecret string, body []byte) string {
	return channels.HMACHex(appSecret, appKey+string(body))
}

// Verify checks the Authorization header against the raw body in constant time, then refuses a
// webhook whose body timestamp (unix seconds) is older than the window or too far ahead of now. A
// webhook without a readable timestamp is refused as stale.
func (w Webhooks) Verify(h http.Header, body []byte, secret string, now time.Time) error {
	got := strings.TrimSpace(h.Get("Authorization"))
	if got == "" {
		return channels.ErrUnsigned
	}
	if secret == "" || w.AppKey == "" {
		return fmt.Errorf("tiktokshop: no app key or secret configured: %w", channels.ErrBadSignature)
	}
	if err := channels.CheckHMACHex(got, secret, w.AppKey+string(body)); err != nil {
		return err
	}
	var p struct {
		Timestamp scalar `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		// Signed but unreadable: its age cannot be told, so it is refused like a stale one.
		return fmt.Errorf("tiktokshop: webhook body: %v: %w", err, channels.ErrStale)
	}
	secs, err := strconv.ParseInt(p.Timestamp.String(), 10, 64)
	if err != nil || secs <= 0 {
		return channels.ErrStale
	}
	maxAge := w.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return channels.CheckAge(time.Unix(secs, 0), now, maxAge, maxSkew)
}

// webhook is the envelope of every TikTok Shop webhook, with the data fields Ordo reads.
type webhook struct {
	Type           scalar `json:"type"`
	NotificationID scalar `json:"tts_notification_id"`
	ShopID         scalar `json:"shop_id"`
	Data           struct {
		OrderID      scalar `json:"order_id"`
		OrderStatus  scalar `json:"order_status"`
		CancelStatus scalar `json:"cancel_status"`
		ReturnStatus scalar `json:"return_status"`
		ReturnID     scalar `json:"return_id"`
		SCType       scalar `json:"sc_type"`
		Inventory    scalar `json:"current_inventory_status"`
		PackageList  []struct {
			OrderIDList []scalar `json:"order_id_list"`
		} `json:"package_list"`
	} `json:"data"`
}

// Parse reads a verified webhook. The topic names the type and carries its status:
// "ORDER_STATUS_CHANGE:AWAITING_SHIPMENT" (map with Status), "CANCELLATION_STATUS_CHANGE:…"
// (CancelStatus), "RETURN_STATUS_CHANGE:…" (ReturnStatus), "PACKAGE_UPDATE:COMBINE" (every order of
// every package), "RECIPIENT_ADDRESS_UPDATE", "INVENTORY_STATUS_CHANGE:LOW_STOCK" (no order), or
// "TYPE_N" for the others. DeliveryID is tts_notification_id. A return status change also names
// its return_id in ReturnIDs (fetched with ReturnsByID).
func (Webhooks) Parse(_ http.Header, body []byte) (channels.Notification, error) {
	var p webhook
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return channels.Notification{}, fmt.Errorf("tiktokshop: webhook body: %w", err)
	}
	if p.Type.String() == "" {
		return channels.Notification{}, errors.New("tiktokshop: webhook has no type")
	}
	typ64, err := p.Type.Int()
	if err != nil || typ64 < 0 || typ64 > 1<<20 {
		return channels.Notification{}, fmt.Errorf("tiktokshop: webhook type %q is not a type number", p.Type.String())
	}
	typ := int(typ64)
	n := channels.Notification{ShopID: p.ShopID.String(), DeliveryID: p.NotificationID.String()}
	topic, ok := topics[typ]
	if !ok {
		n.Topic = "TYPE_" + strconv.Itoa(typ)
		return n, nil
	}
	var status string
	switch typ {
	case TypeOrderStatusChange:
		status = p.Data.OrderStatus.String()
	case TypeCancellationStatusChange:
		status = p.Data.CancelStatus.String()
	case TypeReturnStatusChange:
		status = p.Data.ReturnStatus.String()
		if id := p.Data.ReturnID.String(); id != "" {
			n.ReturnIDs = []string{id}
		}
	case TypePackageUpdate:
		status = p.Data.SCType.String()
		for _, pkg := range p.Data.PackageList {
			for _, id := range pkg.OrderIDList {
				if s := id.String(); s != "" {
					n.OrderIDs = append(n.OrderIDs, s)
				}
			}
		}
	case TypeInventoryStatusChange:
		status = p.Data.Inventory.String()
	}
	n.Topic = topic
	if status != "" {
		n.Topic += ":" + status
	}
	if id := p.Data.OrderID.String(); id != "" {
		n.OrderIDs = append(n.OrderIDs, id)
	}
	if len(n.OrderIDs) == 0 && typ != TypeInventoryStatusChange {
		return channels.Notification{}, fmt.Errorf("tiktokshop: %s webhook names no order", topic)
	}
	return n, nil
}
