package shopee

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestMapStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
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
		"":                   channels.Unknown,
		"ready_to_ship":      channels.Unknown, // Shopee's enum is upper case; anything else is news
		"AWAITING_SHIPMENT":  channels.Unknown, // TikTok's word, not Shopee's
	} {
		require.Equal(t, want, MapStatus(raw), raw)
	}
}

func TestMapLogisticsStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
		"LOGISTICS_NOT_START":        channels.PendingPayment,
		"LOGISTICS_READY":            channels.Confirmed,
		"LOGISTICS_REQUEST_CREATED":  channels.ReadyToShip,
		"LOGISTICS_PICKUP_DONE":      channels.Shipped,
		"LOGISTICS_DELIVERY_DONE":    channels.Delivered,
		"LOGISTICS_PICKUP_FAILED":    channels.Exception,
		"LOGISTICS_DELIVERY_FAILED":  channels.Exception,
		"LOGISTICS_LOST":             channels.Exception,
		"LOGISTICS_COD_REJECTED":     channels.Exception,
		"LOGISTICS_REQUEST_CANCELED": channels.Cancelled,
		"LOGISTICS_TELEPORTED":       channels.Unknown,
	} {
		require.Equal(t, want, MapLogisticsStatus(raw), raw)
	}
}

func TestTopic(t *testing.T) {
	require.Equal(t, "order_status", Topic(3))
	require.Equal(t, "order_tracking_number", Topic(4))
	require.Equal(t, "code_14", Topic(14))
}
