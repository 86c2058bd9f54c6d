package easypost

import (
	"strings"

	"github.com/ordo-oms/ordo/shipping"
)

// tags maps a tracker's (or a tracking detail's) status onto the nine tags. Return to sender is
// an Exception with TrackingEvent.ReturnToSender set; cancelled and error are Exceptions too.
var tags = map[string]shipping.Tag{
	"unknown":              shipping.Pending,
	"pre_transit":          shipping.InfoReceived,
	"in_transit":           shipping.InTransit,
	"out_for_delivery":     shipping.OutForDelivery,
	"delivered":            shipping.Delivered,
	"available_for_pickup": shipping.AvailableForPickup,
	"return_to_sender":     shipping.Exception,
	"failure":              shipping.AttemptFail,
	"cancelled":            shipping.Exception,
	"error":                shipping.Exception,
}

// Tag maps an EasyPost status onto a tag. A status the table does not know is Pending, the lowest
// rank, so that it never moves a shipment; the raw status is kept beside it.
func Tag(status string) shipping.Tag {
	if t, ok := tags[strings.ToLower(strings.TrimSpace(status))]; ok {
		return t
	}
	return shipping.Pending
}

// delayDetails are the status_detail values that say a parcel is late.
var delayDetails = map[string]bool{"delayed": true, "weather_delay": true}

// IsDelay reports whether a status_detail says the parcel is late.
func IsDelay(statusDetail string) bool {
	return delayDetails[strings.ToLower(strings.TrimSpace(statusDetail))]
}
