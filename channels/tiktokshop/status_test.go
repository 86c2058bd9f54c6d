package tiktokshop

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
		"UNPAID": channels.PendingPayment, "ON_HOLD": channels.OnHold, "AWAITING_SHIPMENT": channels.Confirmed,
		"AWAITING_COLLECTION": channels.ReadyToShip, "PARTIALLY_SHIPPING": channels.Shipped,
		"IN_TRANSIT": channels.Shipped, "DELIVERED": channels.Delivered, "COMPLETED": channels.Completed,
		"CANCELLED":  channels.Cancelled, // order API
		"CANCEL":     channels.Cancelled, // order-status webhook
		"TO_SHIP":    channels.Confirmed, // line display_status in the docs sample
		"cancelled":  channels.Cancelled, // case does not matter
		"CANCELED":   channels.Unknown,   // not a TikTok spelling: nothing is guessed
		"TELEPORTED": channels.Unknown,
		"":           channels.Unknown,
	} {
		require.Equal(t, want, Status(raw), raw)
	}
}

func TestCancelAndReturnStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
		"CANCELLATION_REQUEST_PENDING": channels.CancelRequested, "CANCELLATION_REQUEST_SUCCESS": channels.Cancelled,
		"CANCELLATION_REQUEST_COMPLETE": channels.Cancelled,
	} {
		got, ok := CancelStatus(raw)
		require.True(t, ok, raw)
		require.Equal(t, want, got, raw)
	}
	_, ok := CancelStatus("CANCELLATION_REQUEST_CANCELLED")
	require.False(t, ok)

	for raw, want := range map[string]channels.Status{
		"RETURN_OR_REFUND_REQUEST_PENDING": channels.ReturnRequested, "AWAITING_BUYER_SHIP": channels.ReturnRequested,
		"BUYER_SHIPPED_ITEM": channels.ReturnRequested, "RETURN_OR_REFUND_REQUEST_SUCCESS": channels.Refunded,
		"RETURN_OR_REFUND_REQUEST_COMPLETE": channels.Returned,
	} {
		got, ok := ReturnStatus(raw)
		require.True(t, ok, raw)
		require.Equal(t, want, got, raw)
	}
	for _, raw := range []string{"REFUND_OR_RETURN_REQUEST_REJECT", "RETURN_OR_REFUND_REQUEST_CANCEL", "NEW_THING"} {
		_, ok := ReturnStatus(raw)
		require.False(t, ok, raw)
	}
}
