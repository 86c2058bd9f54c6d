package tiktokshop

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// orderStatuses maps TikTok Shop's order status, and a line's display_status, to Ordo's
// (docs/channels.md §8). The order API says CANCELLED where the order-status webhook says CANCEL;
// both are here.
var orderStatuses = map[string]channels.Status{
	"UNPAID":              channels.PendingPayment,
	"ON_HOLD":             channels.OnHold,
	"AWAITING_SHIPMENT":   channels.Confirmed,
	"TO_SHIP":             channels.Confirmed, // a line display_status in the docs sample, not in the list [U]
	"AWAITING_COLLECTION": channels.ReadyToShip,
	"PARTIALLY_SHIPPING":  channels.Shipped,
	"IN_TRANSIT":          channels.Shipped,
	"DELIVERED":           channels.Delivered,
	"COMPLETED":           channels.Completed,
	"CANCELLED":           channels.Cancelled,
	"CANCEL":              channels.Cancelled,
}

// cancelStatuses maps the cancel_status of a cancellation webhook (type 11).
// CANCELLATION_REQUEST_CANCELLED (the request was withdrawn) is absent on purpose: the order's own
// status stands.
var cancelStatuses = map[string]channels.Status{
	"CANCELLATION_REQUEST_PENDING":  channels.CancelRequested,
	"CANCELLATION_REQUEST_SUCCESS":  channels.Cancelled,
	"CANCELLATION_REQUEST_COMPLETE": channels.Cancelled,
}

// returnStatuses maps the return_status of a return webhook (type 12) per channels.md §8;
// rejections and withdrawals are absent: the order's own status stands.
var returnStatuses = map[string]channels.Status{
	"RETURN_OR_REFUND_REQUEST_PENDING":  channels.ReturnRequested,
	"AWAITING_BUYER_SHIP":               channels.ReturnRequested,
	"BUYER_SHIPPED_ITEM":                channels.ReturnRequested,
	"RETURN_OR_REFUND_REQUEST_SUCCESS":  channels.Refunded,
	"RETURN_OR_REFUND_REQUEST_COMPLETE": channels.Returned, // [U]
}

// Status maps an order status (order API or webhook vocabulary) or a line display_status to Ordo's;
// anything unmapped is channels.Unknown, never an error.
func Status(raw string) channels.Status {
	if s, ok := orderStatuses[strings.ToUpper(strings.TrimSpace(raw))]; ok {
		return s
	}
	return channels.Unknown
}

// CancelStatus maps a cancellation webhook's cancel_status. ok is false when the value leaves the
// order's status as it is, or is not known.
func CancelStatus(raw string) (s channels.Status, ok bool) {
	s, ok = cancelStatuses[strings.ToUpper(strings.TrimSpace(raw))]
	return s, ok
}

// ReturnStatus maps a return webhook's return_status. ok is false when the value leaves the order's
// status as it is (a rejected or withdrawn request), or is not known.
func ReturnStatus(raw string) (s channels.Status, ok bool) {
	s, ok = returnStatuses[strings.ToUpper(strings.TrimSpace(raw))]
	return s, ok
}

// beforeShipping reports whether an order in status s has not left the seller yet, the only time
// a buyer's cancel request changes what Ordo does.
func beforeShipping(s channels.Status) bool {
	switch s {
	case channels.PendingPayment, channels.OnHold, channels.Confirmed, channels.ReadyToShip:
		return true
	}
	return false
}
