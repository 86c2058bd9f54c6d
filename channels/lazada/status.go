package lazada

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// itemStatuses maps Lazada's item status (the authoritative one; the order's statuses[] is only the
// set of its items' statuses) to Ordo's, per docs/channels.md §8. Lazada has no "packed" in Ordo's
// contract: a packed item is still CONFIRMED until it is ready to ship.
var itemStatuses = map[string]channels.Status{
	"unpaid":                channels.PendingPayment,
	"pending":               channels.Confirmed,
	"topack":                channels.Confirmed,
	"repacked":              channels.Confirmed,
	"packed":                channels.Confirmed,
	"ready_to_ship_pending": channels.ReadyToShip,
	"ready_to_ship":         channels.ReadyToShip,
	"toship":                channels.ReadyToShip,
	"shipping":              channels.Shipped,
	"shipped":               channels.Shipped,
	"delivered":             channels.Delivered,
	"confirmed":             channels.Completed, // [U] in channels.md
	"canceled":              channels.Cancelled,
	"returned":              channels.Returned,
	"shipped_back_success":  channels.Returned, // failed delivery, back with the seller
	"failed":                channels.Exception,
	"failed_delivery":       channels.Exception,
	"lost":                  channels.Exception,
	"lost_by_3pl":           channels.Exception,
	"damaged_by_3pl":        channels.Exception,
	"package_scrapped":      channels.Exception,
	"shipped_back":          channels.Exception, // failed delivery, on its way back
	"shipped_back_failed":   channels.Exception,
}

// reverseStatuses maps the reverse_status of a msg_type 10 push. The values that close a return or
// cancellation without effect (RTM_CANCELED, RTW_REJECT, REFUND_REJECTED…) are absent on purpose:
// they leave the forward status standing.
var reverseStatuses = map[string]channels.Status{
	"CANCEL_INIT":          channels.CancelRequested,
	"CANCEL_SUCCESS":       channels.Cancelled,
	"CANCEL_REFUND_ISSUED": channels.Cancelled,
	"RTM_INIT":             channels.ReturnRequested,
	"RTM_SHIPPING_BACK":    channels.ReturnRequested,
	"RTW_INIT":             channels.ReturnRequested,
	"RTW_SHIPPING_BACK":    channels.ReturnRequested,
	"REFUND_INIT":          channels.ReturnRequested,
	"REFUND_PENDING":       channels.ReturnRequested,
	"RTM_RECEIVE_ITEM":     channels.Returned,
	"RTW_REFUND_PENDING":   channels.Refunded,
	"REFUND_SUCCESS":       channels.Refunded,
}

// ItemStatus maps a Lazada item status (case-insensitive) to Ordo's status; anything unmapped is
// channels.Unknown, never an error.
func ItemStatus(raw string) channels.Status {
	if s, ok := itemStatuses[strings.ToLower(strings.TrimSpace(raw))]; ok {
		return s
	}
	return channels.Unknown
}

// ReverseStatus maps a reverse-order push's reverse_status. ok is false for the values that close
// a return or cancellation without changing the order (the forward status stands) and for values
// no table knows; only the latter should raise an alert, so known tells them apart.
func ReverseStatus(raw string) (s channels.Status, ok bool) {
	s, ok = reverseStatuses[strings.ToUpper(strings.TrimSpace(raw))]
	return s, ok
}

// progress orders the statuses an order moves through; side states not listed (cancel requests,
// exceptions, unknown) are handled apart.
var progress = map[channels.Status]int{
	channels.PendingPayment:  0,
	channels.OnHold:          1,
	channels.Confirmed:       2,
	channels.ReadyToShip:     3,
	channels.Shipped:         4,
	channels.Delivered:       5,
	channels.Completed:       6,
	channels.ReturnRequested: 7,
	channels.Returned:        8,
	channels.Refunded:        9,
}

// orderStatus derives the order's status from its units' statuses (design: the least progress
// among units that are not cancelled). All cancelled is CANCELLED; any unknown unit makes the order
// UNKNOWN (the raw value is kept and alerted on); any exception makes it EXCEPTION. A pending
// cancel request turns an order that has not shipped yet into CANCEL_REQUESTED.
func orderStatus(units []channels.Status, cancelPending bool) channels.Status {
	var active []channels.Status
	for _, s := range units {
		if s != channels.Cancelled {
			active = append(active, s)
		}
	}
	if len(active) == 0 {
		if len(units) == 0 {
			return channels.Unknown
		}
		return channels.Cancelled
	}
	least, rank := channels.Unknown, 1<<30
	for _, s := range active {
		switch s {
		case channels.Unknown:
			return channels.Unknown
		case channels.Exception:
			least, rank = channels.Exception, -1
		}
		if r, ok := progress[s]; ok && rank >= 0 && r < rank {
			least, rank = s, r
		}
	}
	if cancelPending && rank >= 0 && rank < progress[channels.Shipped] {
		return channels.CancelRequested
	}
	return least
}
