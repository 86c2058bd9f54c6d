package facebook

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestMapStatus(t *testing.T) {
	tests := []struct {
		in   StatusInput
		want channels.Status
	}{
		{StatusInput{State: "FB_PROCESSING"}, channels.OnHold},
		{StatusInput{State: "CREATED"}, channels.Confirmed},
		{StatusInput{State: "created "}, channels.Confirmed},
		{StatusInput{State: "IN_PROGRESS"}, channels.Confirmed},
		{StatusInput{State: "IN_PROGRESS", AllShipped: true}, channels.Shipped},
		{StatusInput{State: "COMPLETED"}, channels.Completed},
		{StatusInput{State: "COMPLETED", AllShipped: true}, channels.Completed},
		{StatusInput{State: "CREATED", AllShipped: true}, channels.Confirmed},
		{StatusInput{State: "COMPLETED", AllCancelled: true}, channels.Cancelled},
		{StatusInput{State: "IN_PROGRESS", AllCancelled: true}, channels.Cancelled},
		{StatusInput{State: "FB_PROCESSING", AllCancelled: true}, channels.Cancelled},
		{StatusInput{State: ""}, channels.Unknown},
		{StatusInput{State: "DELIVERED"}, channels.Unknown},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, MapStatus(tt.in), "%+v", tt.in)
	}
}

// TestStatesCoverTheEnum checks the table against Meta's own list of order states.
func TestStatesCoverTheEnum(t *testing.T) {
	var enums []struct {
		Name   string   `json:"name"`
		Values []string `json:"values"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "fb_codegen_enum_types.commerce_excerpt.json"), &enums))
	var want []string
	for _, e := range enums {
		if e.Name == "commercemerchantsettingscommerce_orders_state_enum_param" {
			want = e.Values
		}
	}
	require.NotEmpty(t, want)
	got := make([]string, 0, len(states))
	for s := range states {
		got = append(got, s)
	}
	sort.Strings(got)
	sort.Strings(want)
	require.Equal(t, want, got)
}

func TestPaid(t *testing.T) {
	require.False(t, Paid("FB_PROCESSING"))
	require.True(t, Paid("CREATED"))
	require.True(t, Paid("in_progress"))
	require.True(t, Paid("COMPLETED"))
	require.False(t, Paid(""))
	require.False(t, Paid("REFUNDED"))
}
