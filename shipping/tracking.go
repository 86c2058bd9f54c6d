package shipping

import (
	"encoding/json"
	"strings"
	"time"
)

// Tag is the normalized delivery status of a parcel: AfterShip's nine tags, which every source's
// statuses map onto (carriers.md §2.1). The raw carrier status is kept beside it.
type Tag string

// The nine tags.
const (
	Pending            Tag = "Pending"
	InfoReceived       Tag = "InfoReceived"
	InTransit          Tag = "InTransit"
	OutForDelivery     Tag = "OutForDelivery"
	AttemptFail        Tag = "AttemptFail"
	Delivered          Tag = "Delivered"
	AvailableForPickup Tag = "AvailableForPickup"
	Exception          Tag = "Exception"
	Expired            Tag = "Expired"
)

// ranks orders the tags by how far a parcel has got.
var ranks = map[Tag]int{
	Pending:            0,
	InfoReceived:       1,
	InTransit:          2,
	OutForDelivery:     3,
	AttemptFail:        4,
	AvailableForPickup: 4,
	Exception:          4,
	Expired:            5,
	Delivered:          6,
}

// ParseTag reads a tag in any letter case ("intransit", "InTransit"); ok is false for anything
// that is not one of the nine.
func ParseTag(s string) (t Tag, ok bool) {
	s = strings.TrimSpace(s)
	for tag := range ranks {
		if strings.EqualFold(string(tag), s) {
			return tag, true
		}
	}
	return "", false
}

// Rank is how far along the way a tag is: Pending 0, InfoReceived 1, InTransit 2,
// OutForDelivery 3, AttemptFail, AvailableForPickup and Exception 4, Expired 5, Delivered 6; -1 for
// a value that is not a tag. Between two events of the same time, the higher rank is the newer
// state; a terminal state is never left for a lower one.
func (t Tag) Rank() int {
	if r, ok := ranks[t]; ok {
		return r
	}
	return -1
}

// Terminal reports whether no further scan is expected: Delivered or Expired.
func (t Tag) Terminal() bool { return t == Delivered || t == Expired }

// delaySubtags are AfterShip's sub-statuses that say a parcel is late but still on its way:
// Exception_004 customs delay, _005 external factors (weather, strikes), _016 carrier processing
// delay, _017 weather (carriers.md §2.4).
var delaySubtags = map[string]bool{
	"Exception_004": true,
	"Exception_005": true,
	"Exception_016": true,
	"Exception_017": true,
}

// IsDelaySubtag reports whether an AfterShip subtag says the parcel is delayed.
func IsDelaySubtag(subtag string) bool { return delaySubtags[strings.TrimSpace(subtag)] }

// CODCollectedSubtag is AfterShip's "delivered and cash on delivery collected".
const CODCollectedSubtag = "Delivered_004"

// TrackingEvent is one scan or status change of one parcel, from a webhook or a pull, normalized.
type TrackingEvent struct {
	// Source is the carrier kind the event came through (an aggregator: AFTERSHIP).
	Source CarrierKind
	// EventID identifies the event within its source, for de-duplication, and is the same whether
	// the event came pushed or pulled and however often the source resends it: EasyPost, which gives
	// a scan no id and resends the whole tracker in every Event, the tracker id with the scan's time
	// and statuses; AfterShip, which resends every checkpoint, the tracking id with the checkpoint's
	// time, subtag and a digest of its message (the webhook's event_id for edd_revise and
	// tracking_pending_time); Ninja Van its tracking_id, event and timestamp; J&T the billCode,
	// scanTime and scanTypeCode. Ids are unique within a Source only: dedupe on both.
	EventID        string
	TrackingNumber string
	// Carrier is the carrier's slug as the source names it (fedex, ninjavan-sg…).
	Carrier string
	Tag     Tag
	// Subtag is AfterShip's finer sub-status when the source gives one.
	Subtag string
	// RawStatus is the source's own status, as sent (EasyPost "in_transit/arrived_at_facility",
	// Ninja Van "Delivered, Received by Customer").
	RawStatus string
	Message   string
	Location  string
	// OccurredAt is when the carrier says the event happened (UTC); zero when it did not say.
	OccurredAt time.Time
	// EstimatedDeliveryMax is the latest delivery the source now estimates, when it gives one.
	EstimatedDeliveryMax *time.Time
	// ReturnToSender: the parcel is on its way back to the sender.
	ReturnToSender bool
	// CODCollected: delivered, and the cash on delivery collected.
	CODCollected bool
	// Delay: the source says the parcel is late (a delay subtag or status).
	Delay bool
	// Raw is the source's own record of the event (a checkpoint, a tracking detail, the body).
	Raw json.RawMessage
}
