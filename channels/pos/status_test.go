package pos

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestMapStatus(t *testing.T) {
	ship := func(state string) Fulfillment { return Fulfillment{Type: "SHIPMENT", State: state} }
	pickup := func(state string) Fulfillment { return Fulfillment{Type: "PICKUP", State: state} }
	tests := []struct {
		state string
		fs    []Fulfillment
		want  channels.Status
	}{
		{"DRAFT", nil, channels.PendingPayment},
		{"DRAFT", []Fulfillment{ship("PROPOSED")}, channels.PendingPayment},
		{"OPEN", nil, channels.Confirmed},
		{"open", nil, channels.Confirmed},
		{"OPEN", []Fulfillment{ship("PROPOSED")}, channels.Confirmed},
		{"OPEN", []Fulfillment{ship("RESERVED")}, channels.Confirmed},
		{"OPEN", []Fulfillment{ship("PREPARED")}, channels.Confirmed},
		{"OPEN", []Fulfillment{pickup("PREPARED")}, channels.Confirmed},
		{"OPEN", []Fulfillment{ship("COMPLETED")}, channels.Shipped},
		{"OPEN", []Fulfillment{pickup("COMPLETED")}, channels.Delivered},
		{"OPEN", []Fulfillment{{Type: "DELIVERY", State: "COMPLETED"}}, channels.Delivered},
		{"OPEN", []Fulfillment{ship("COMPLETED"), ship("PROPOSED")}, channels.Shipped},
		{"OPEN", []Fulfillment{pickup("COMPLETED"), pickup("PROPOSED")}, channels.Shipped},
		{"OPEN", []Fulfillment{pickup("COMPLETED"), ship("CANCELED")}, channels.Delivered},
		{"OPEN", []Fulfillment{ship("CANCELED"), ship("PROPOSED")}, channels.Confirmed},
		{"OPEN", []Fulfillment{ship("CANCELED")}, channels.Cancelled},
		{"OPEN", []Fulfillment{ship("FAILED")}, channels.Exception},
		{"OPEN", []Fulfillment{ship("COMPLETED"), ship("FAILED")}, channels.Exception},
		{"COMPLETED", nil, channels.Completed},
		{"COMPLETED", []Fulfillment{ship("COMPLETED")}, channels.Completed},
		{"CANCELED", []Fulfillment{ship("PROPOSED")}, channels.Cancelled},
		{"CANCELLED", nil, channels.Unknown},
		{"", nil, channels.Unknown},
		{"OPEN", []Fulfillment{ship("LOST")}, channels.Unknown},
		{"OPEN", []Fulfillment{{Type: "DRONE", State: "PROPOSED"}}, channels.Unknown},
	}
	for _, tt := range tests {
		t.Run(RawStatus(tt.state, tt.fs), func(t *testing.T) {
			require.Equal(t, tt.want, MapStatus(tt.state, tt.fs))
		})
	}
}

func TestRawStatus(t *testing.T) {
	require.Equal(t, "OPEN", RawStatus("OPEN", nil))
	require.Equal(t, "OPEN/SHIPMENT:COMPLETED,PICKUP:PROPOSED", RawStatus("OPEN", []Fulfillment{{"SHIPMENT", "COMPLETED"}, {"PICKUP", "PROPOSED"}}))
}
