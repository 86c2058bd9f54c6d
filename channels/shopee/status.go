package shopee

import "github.com/ordo-oms/ordo/channels"

// orderStatus maps Shopee's order_status (the v2 data definition, plus PENDING and INVOICE_PENDING
// that get_order_list accepts) to Ordo's status, as channels.md §8 proposes.
var orderStatus = map[string]channels.Status{
	"UNPAID":             channels.PendingPayment,
	"PENDING":            channels.OnHold,
	"INVOICE_PENDING":    channels.OnHold,
	"READY_TO_SHIP":      channels.Confirmed,
	"PROCESSED":          channels.ReadyToShip,
	"RETRY_SHIP":         channels.ReadyToShip,
	"SHIPPED":            channels.Shipped,
	"TO_CONFIRM_RECEIVE": channels.Delivered,
	"COMPLETED":          channels.Completed,
	"IN_CANCEL":          channels.CancelRequested,
	"CANCELLED":          channels.Cancelled,
	"TO_RETURN":          channels.ReturnRequested,
}

// MapStatus maps an order_status; anything unmapped is channels.Unknown, never an error.
func MapStatus(orderStatusValue string) channels.Status {
	if s, ok := orderStatus[orderStatusValue]; ok {
		return s
	}
	return channels.Unknown
}

// logisticsStatus maps a package's logistics_status (LogisticsStatus in the data definition). The
// cancelled-before-shipping values (LOGISTICS_INVALID, LOGISTICS_REQUEST_CANCELED) follow the order.
var logisticsStatus = map[string]channels.Status{
	"LOGISTICS_NOT_START":        channels.PendingPayment,
	"LOGISTICS_PENDING_ARRANGE":  channels.Confirmed,
	"LOGISTICS_READY":            channels.Confirmed,
	"LOGISTICS_REQUEST_CREATED":  channels.ReadyToShip,
	"LOGISTICS_PICKUP_RETRY":     channels.ReadyToShip,
	"LOGISTICS_PICKUP_DONE":      channels.Shipped,
	"LOGISTICS_DELIVERY_DONE":    channels.Delivered,
	"LOGISTICS_PICKUP_FAILED":    channels.Exception,
	"LOGISTICS_DELIVERY_FAILED":  channels.Exception,
	"LOGISTICS_LOST":             channels.Exception,
	"LOGISTICS_COD_REJECTED":     channels.Exception,
	"LOGISTICS_INVALID":          channels.Cancelled,
	"LOGISTICS_REQUEST_CANCELED": channels.Cancelled,
}

// MapLogisticsStatus maps a package's logistics_status; anything unmapped is channels.Unknown.
func MapLogisticsStatus(v string) channels.Status {
	if s, ok := logisticsStatus[v]; ok {
		return s
	}
	return channels.Unknown
}

// exceptionable reports whether a package's failure (lost, failed pickup or delivery, COD
// rejected) turns an order in status s into an exception: not once it is settled or unknown.
func exceptionable(s channels.Status) bool {
	switch s {
	case channels.Cancelled, channels.Completed, channels.Returned, channels.Refunded,
		channels.ReturnRequested, channels.Unknown:
		return false
	}
	return true
}
