package lazada

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestItemStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
		"unpaid": channels.PendingPayment, "pending": channels.Confirmed, "topack": channels.Confirmed,
		"repacked": channels.Confirmed, "packed": channels.Confirmed,
		"ready_to_ship_pending": channels.ReadyToShip, "ready_to_ship": channels.ReadyToShip, "toship": channels.ReadyToShip,
		"shipping": channels.Shipped, "shipped": channels.Shipped, "delivered": channels.Delivered,
		"confirmed": channels.Completed, "canceled": channels.Cancelled, "returned": channels.Returned,
		"shipped_back_success": channels.Returned, "shipped_back": channels.Exception,
		"shipped_back_failed": channels.Exception, "failed": channels.Exception, "failed_delivery": channels.Exception,
		"lost": channels.Exception, "lost_by_3pl": channels.Exception, "damaged_by_3pl": channels.Exception,
		"package_scrapped": channels.Exception,
		"DELIVERED":        channels.Delivered, // case and spaces do not matter
		" pending ":        channels.Confirmed,
		"cancelled":        channels.Unknown, // Lazada spells it canceled; nothing is guessed
		"teleported":       channels.Unknown,
		"":                 channels.Unknown,
	} {
		require.Equal(t, want, ItemStatus(raw), raw)
	}
}

func TestReverseStatus(t *testing.T) {
	for raw, want := range map[string]channels.Status{
		"CANCEL_INIT": channels.CancelRequested, "CANCEL_SUCCESS": channels.Cancelled,
		"CANCEL_REFUND_ISSUED": channels.Cancelled, "RTM_INIT": channels.ReturnRequested,
		"RTW_INIT": channels.ReturnRequested, "REFUND_INIT": channels.ReturnRequested,
		"RTM_RECEIVE_ITEM": channels.Returned, "REFUND_SUCCESS": channels.Refunded,
		"RTW_REFUND_PENDING": channels.Refunded,
	} {
		got, ok := ReverseStatus(raw)
		require.True(t, ok, raw)
		require.Equal(t, want, got, raw)
	}
	for _, raw := range []string{"RTM_CANCELED", "RTW_REJECT", "REFUND_REJECTED", "SOMETHING_NEW"} {
		_, ok := ReverseStatus(raw)
		require.False(t, ok, raw)
	}
}

func TestOrderStatus(t *testing.T) {
	c, s, d := channels.Confirmed, channels.Shipped, channels.Delivered
	tests := []struct {
		name          string
		units         []channels.Status
		cancelPending bool
		want          channels.Status
	}{
		{"least progress wins", []channels.Status{d, s, c}, false, c},
		{"cancelled units do not count", []channels.Status{channels.Cancelled, s}, false, s},
		{"all cancelled", []channels.Status{channels.Cancelled, channels.Cancelled}, false, channels.Cancelled},
		{"an unknown unit makes the order unknown", []channels.Status{d, channels.Unknown}, false, channels.Unknown},
		{"an exception wins over progress", []channels.Status{d, channels.Exception}, false, channels.Exception},
		{"partial return stays delivered", []channels.Status{d, channels.Returned}, false, d},
		{"all returned", []channels.Status{channels.Returned}, false, channels.Returned},
		{"cancel pending before shipping", []channels.Status{c}, true, channels.CancelRequested},
		{"cancel pending after shipping is ignored", []channels.Status{s}, true, s},
		{"no units", nil, false, channels.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, orderStatus(tt.units, tt.cancelPending))
		})
	}
}
