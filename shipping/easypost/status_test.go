package easypost

import (
	"testing"

	"github.com/ordo-oms/ordo/shipping"
)

func TestTag(t *testing.T) {
	for _, c := range []struct {
		status string
		want   shipping.Tag
	}{
		{"unknown", shipping.Pending},
		{"pre_transit", shipping.InfoReceived},
		{"in_transit", shipping.InTransit},
		{"out_for_delivery", shipping.OutForDelivery},
		{"delivered", shipping.Delivered},
		{"available_for_pickup", shipping.AvailableForPickup},
		{"return_to_sender", shipping.Exception},
		{"failure", shipping.AttemptFail},
		{"cancelled", shipping.Exception},
		{"error", shipping.Exception},
		{" Delivered ", shipping.Delivered},
		{"teleported", shipping.Pending},
		{"", shipping.Pending},
	} {
		if got := Tag(c.status); got != c.want {
			t.Errorf("Tag(%q) = %s, want %s", c.status, got, c.want)
		}
	}
}

func TestIsDelay(t *testing.T) {
	for detail, want := range map[string]bool{"delayed": true, "weather_delay": true, "arrived_at_facility": false, "": false} {
		if IsDelay(detail) != want {
			t.Errorf("IsDelay(%q) = %v", detail, !want)
		}
	}
}
