package shopify

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestMapStatus(t *testing.T) {
	tests := []struct {
		in   StatusInput
		want channels.Status
	}{
		{StatusInput{Financial: "pending"}, channels.PendingPayment},
		{StatusInput{Financial: "pending", COD: true}, channels.Confirmed},
		{StatusInput{Financial: "authorized"}, channels.Confirmed},
		{StatusInput{Financial: "paid"}, channels.Confirmed},
		{StatusInput{Financial: "PAID", Fulfillment: "unfulfilled"}, channels.Confirmed},
		{StatusInput{Financial: "partially_paid"}, channels.Confirmed},
		{StatusInput{Financial: "partially_refunded"}, channels.Confirmed},
		{StatusInput{Financial: "paid", Fulfillment: "partial"}, channels.Shipped},
		{StatusInput{Financial: "paid", Fulfillment: "fulfilled"}, channels.Shipped},
		{StatusInput{Financial: "paid", Fulfillment: "fulfilled", Closed: true}, channels.Completed},
		{StatusInput{Financial: "paid", Fulfillment: "partial", Closed: true}, channels.Shipped},
		{StatusInput{Financial: "paid", Fulfillment: "restocked"}, channels.Returned},
		{StatusInput{Financial: "refunded", Fulfillment: "restocked"}, channels.Refunded},
		{StatusInput{Financial: "refunded"}, channels.Refunded},
		{StatusInput{Financial: "voided"}, channels.OnHold},
		{StatusInput{Financial: "expired"}, channels.OnHold},
		{StatusInput{Financial: "voided", Cancelled: true}, channels.Cancelled},
		{StatusInput{Financial: "refunded", Fulfillment: "fulfilled", Cancelled: true}, channels.Cancelled},
		{StatusInput{Financial: "bartered"}, channels.Unknown},
		{StatusInput{Financial: ""}, channels.Unknown},
		{StatusInput{Financial: "paid", Fulfillment: "teleported"}, channels.Unknown},
		{StatusInput{Financial: "bartered", Cancelled: true}, channels.Cancelled},
	}
	for _, tt := range tests {
		t.Run(tt.in.Raw(), func(t *testing.T) {
			require.Equal(t, tt.want, MapStatus(tt.in))
		})
	}
}

func TestRawStatus(t *testing.T) {
	require.Equal(t, "paid/unfulfilled", StatusInput{Financial: "paid"}.Raw())
	require.Equal(t, "paid/fulfilled/closed", StatusInput{Financial: "paid", Fulfillment: "fulfilled", Closed: true}.Raw())
	require.Equal(t, "voided/unfulfilled/cancelled", StatusInput{Financial: "voided", Cancelled: true, Closed: true}.Raw())
}

func TestPaidAndCOD(t *testing.T) {
	require.True(t, Paid("paid"))
	require.True(t, Paid("partially_refunded"))
	require.False(t, Paid("authorized"))
	require.False(t, Paid("pending"))
	require.True(t, IsCOD([]string{"Cash on Delivery (COD)"}))
	require.True(t, IsCOD([]string{"manual", "cod"}))
	require.False(t, IsCOD([]string{"visa", "bogus"}))
	require.False(t, IsCOD(nil))
}
