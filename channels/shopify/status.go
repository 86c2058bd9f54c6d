package shopify

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// StatusInput is what Shopify says about an order's state: REST financial_status and
// fulfillment_status (empty when null, meaning unfulfilled), whether cancelled_at and closed_at are
// set, and whether the order is cash on delivery.
type StatusInput struct {
	Financial   string
	Fulfillment string
	Cancelled   bool
	Closed      bool
	COD         bool
}

// Raw is the status as Ordo keeps it beside the normalized one: "financial/fulfillment", with
// "/cancelled" or "/closed" appended when those timestamps are set.
func (in StatusInput) Raw() string {
	f := in.Fulfillment
	if f == "" {
		f = "unfulfilled"
	}
	raw := in.Financial + "/" + f
	switch {
	case in.Cancelled:
		raw += "/cancelled"
	case in.Closed:
		raw += "/closed"
	}
	return raw
}

// financialStatus maps financial_status (REST, lower case; GraphQL values lower-cased) for an order
// that is neither cancelled, refunded, restocked nor fulfilled. Pending is awaiting payment except
// for cash on delivery, which is paid on delivery and ships now. Voided or expired payments without
// a cancel must not ship, so they are held.
var financialStatus = map[string]channels.Status{
	"pending":            channels.PendingPayment,
	"authorized":         channels.Confirmed,
	"partially_paid":     channels.Confirmed,
	"paid":               channels.Confirmed,
	"partially_refunded": channels.Confirmed,
	"refunded":           channels.Refunded,
	"voided":             channels.OnHold,
	"expired":            channels.OnHold,
}

// fulfillmentStatus maps REST fulfillment_status; unfulfilled defers to financialStatus ("").
var fulfillmentStatus = map[string]channels.Status{
	"":            "",
	"unfulfilled": "",
	"partial":     channels.Shipped,
	"fulfilled":   channels.Shipped,
	"restocked":   channels.Returned,
}

// MapStatus derives Ordo's status from Shopify's pair of statuses (channels.md §8): a cancel wins,
// then a full refund, a restock, shipping (completed once closed), and for unfulfilled orders the
// payment state. A value no table knows yields channels.Unknown, never an error.
func MapStatus(in StatusInput) channels.Status {
	if in.Cancelled {
		return channels.Cancelled
	}
	fin, finOK := financialStatus[strings.ToLower(in.Financial)]
	ful, fulOK := fulfillmentStatus[strings.ToLower(in.Fulfillment)]
	switch {
	case !finOK || !fulOK:
		return channels.Unknown
	case fin == channels.Refunded:
		return channels.Refunded
	case ful == channels.Shipped && in.Closed && strings.EqualFold(in.Fulfillment, "fulfilled"):
		return channels.Completed
	case ful != "":
		return ful
	case fin == channels.PendingPayment && in.COD:
		return channels.Confirmed
	}
	return fin
}

// Paid reports whether financial_status means the buyer's money is captured.
func Paid(financial string) bool {
	switch strings.ToLower(financial) {
	case "paid", "partially_refunded", "refunded":
		return true
	}
	return false
}

// IsCOD reports whether the payment gateways name cash on delivery. Shopify has no COD flag: COD is
// a manual gateway, conventionally named "Cash on Delivery (COD)".
func IsCOD(gateways []string) bool {
	for _, g := range gateways {
		g = strings.ToLower(strings.TrimSpace(g))
		if g == "cod" || strings.Contains(g, "cash on delivery") || strings.Contains(g, "(cod)") {
			return true
		}
	}
	return false
}
