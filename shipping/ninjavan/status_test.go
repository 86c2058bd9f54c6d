package ninjavan

import (
	"testing"

	"github.com/ordo-oms/ordo/shipping"
)

func TestTag(t *testing.T) {
	for _, c := range []struct {
		in   string
		want shipping.Tag
		ok   bool
	}{
		{"Pending Pickup", shipping.InfoReceived, true},
		{"Van en-route to pickup", shipping.InfoReceived, true},
		{"Successful Pickup", shipping.InTransit, true},
		{"Picked Up, In Transit To Origin Hub", shipping.InTransit, true}, // the case Ninja Van varies
		{"Arrived at Sorting Hub", shipping.InTransit, true},
		{"In Transit to Next Sorting Hub", shipping.InTransit, true},
		{"International Transit, Linehaul Departed", shipping.InTransit, true},
		{"On Vehicle for Delivery", shipping.OutForDelivery, true},
		{"At PUDO, Pending Customer Collection", shipping.AvailableForPickup, true},
		{"Arrived at Distribution Point", shipping.AvailableForPickup, true},
		{"Successful Delivery", shipping.Delivered, true},
		{"Delivered, Left at Doorstep", shipping.Delivered, true},
		{"Delivered,  Received By Customer", shipping.Delivered, true},
		{"First Attempt Delivery Fail", shipping.AttemptFail, true},
		{"Delivery Exception, Reattempt Scheduled", shipping.AttemptFail, true},
		{"Delivery Exception, Parcel Lost", shipping.Exception, true},
		{"Returned to Sender Triggered", shipping.Exception, true},
		{"Cancelled", shipping.Exception, true},
		{"International Transit, Customs Held", shipping.Exception, true},
		{"Parcel Measurements Update", "", false},
		{"Parcel Weight", "", false},
		{"Something New", shipping.Pending, true},
	} {
		got, ok := Tag(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Tag(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestLookupFlags(t *testing.T) {
	for _, c := range []struct {
		event, status string
		rts, delay    bool
		subtag        string
	}{
		{"Returned to Sender Triggered", "", true, false, ""},
		{"Delivery Exception, Return to Sender Initiated", "Delivery Exception", true, false, ""},
		{"Return to Shipper Exception, Parcel Scrapped", "", true, false, ""},
		{"Pickup Exception, Pending Reschedule", "Pickup Exception", false, true, ""},
		{"International Transit, Customs Held", "", false, true, "Exception_004"},
		{"", "Delivery Exception", false, true, ""},
		{"Delivered, Received by Customer", "Delivered", false, false, ""},
	} {
		m := lookup(c.event, c.status)
		if m.rts != c.rts || m.delay != c.delay || m.subtag != c.subtag {
			t.Errorf("lookup(%q, %q) = %+v", c.event, c.status, m)
		}
	}
	if m := lookup("A New V3 Event", "Delivered"); m.tag != shipping.Delivered {
		t.Errorf("an unknown event does not fall back to its status: %+v", m)
	}
}
