package ninjavan

import (
	"strings"

	"github.com/ordo-oms/ordo/shipping"
)

// meaning is what a Ninja Van event or status says about a parcel.
type meaning struct {
	tag shipping.Tag
	// subtag is the AfterShip subtag that says the same, where one does (a customs hold).
	subtag string
	rts    bool // the parcel is going back to the shipper
	delay  bool // the parcel is late: a failed pickup or delivery to be tried again
	// info: the event changes nothing of the parcel's progress (a measurement); it yields no event.
	info bool
}

// meanings maps webhook v2 events, their coarse statuses and the v1 statuses (lower case, single
// spaces) onto tags. Pickup exceptions leave a parcel InfoReceived (it has not moved), delivery
// exceptions that will be retried are AttemptFail, everything final that is not a delivery is an
// Exception, return legs flagged.
var meanings = map[string]meaning{
	// v2 events
	"pending pickup":                                                       {tag: shipping.InfoReceived},
	"driver dispatched for pickup":                                         {tag: shipping.InfoReceived},
	"pending pickup, shipper dropoff":                                      {tag: shipping.InfoReceived},
	"picked up, in transit to origin hub":                                  {tag: shipping.InTransit},
	"pickup exception, pending reschedule":                                 {tag: shipping.InfoReceived, delay: true},
	"pickup exception, reattempt scheduled":                                {tag: shipping.InfoReceived, delay: true},
	"pickup exception, pending retrieval from pudo":                        {tag: shipping.InfoReceived, delay: true},
	"pickup exception, max attempts reached":                               {tag: shipping.Exception},
	"arrived at origin hub":                                                {tag: shipping.InTransit},
	"arrived at transit hub":                                               {tag: shipping.InTransit},
	"arrived at destination hub":                                           {tag: shipping.InTransit},
	"in transit to next sorting hub":                                       {tag: shipping.InTransit},
	"on vehicle for delivery":                                              {tag: shipping.OutForDelivery},
	"at pudo, pending customer collection":                                 {tag: shipping.AvailableForPickup},
	"delivered, collected by customer":                                     {tag: shipping.Delivered},
	"delivered, left at doorstep":                                          {tag: shipping.Delivered},
	"delivered, received by customer":                                      {tag: shipping.Delivered},
	"delivery exception, pending reschedule":                               {tag: shipping.AttemptFail, delay: true},
	"delivery exception, reattempt scheduled":                              {tag: shipping.AttemptFail, delay: true},
	"delivery exception, max attempts reached":                             {tag: shipping.Exception},
	"delivery exception, parcel overstayed at pudo":                        {tag: shipping.Exception},
	"delivery exception, parcel lost":                                      {tag: shipping.Exception},
	"delivery exception, parcel damaged":                                   {tag: shipping.Exception},
	"delivery exception, return to sender initiated":                       {tag: shipping.Exception, rts: true},
	"returned to sender":                                                   {tag: shipping.Exception, rts: true},
	"cancelled":                                                            {tag: shipping.Exception},
	"parcel measurements update":                                           {info: true},
	"international transit, customs held":                                  {tag: shipping.Exception, subtag: "Exception_004", delay: true},
	"international transit, parcel exception":                              {tag: shipping.Exception},
	"international transit, parcel lost":                                   {tag: shipping.Exception},
	"international transit, parcel damaged":                                {tag: shipping.Exception},
	"international transit, parcel disposed":                               {tag: shipping.Exception},
	"international transit, returned to sender at origin facility":         {tag: shipping.Exception, rts: true},
	"international transit, returned to xb warehouse":                      {tag: shipping.Exception, rts: true},
	"return to shipper exception, parcel triggered for shipper collection": {tag: shipping.Exception, rts: true},
	"return to shipper exception, parcel collected by shipper":             {tag: shipping.Exception, rts: true},
	"return to shipper exception, parcel scrapped":                         {tag: shipping.Exception, rts: true},
	"return to shipper exception, max attempts reached":                    {tag: shipping.Exception, rts: true},
	// v2 coarse statuses
	"picked up":          {tag: shipping.InTransit},
	"in transit":         {tag: shipping.InTransit},
	"delivered":          {tag: shipping.Delivered},
	"delivery exception": {tag: shipping.AttemptFail, delay: true},
	"pickup exception":   {tag: shipping.InfoReceived, delay: true},
	// v1 statuses
	"van en-route to pickup":        {tag: shipping.InfoReceived},
	"successful pickup":             {tag: shipping.InTransit},
	"en-route to sorting hub":       {tag: shipping.InTransit},
	"arrived at sorting hub":        {tag: shipping.InTransit},
	"arrived at distribution point": {tag: shipping.AvailableForPickup},
	"successful delivery":           {tag: shipping.Delivered},
	"completed":                     {tag: shipping.Delivered},
	"first attempt delivery fail":   {tag: shipping.AttemptFail, delay: true},
	"pending reschedule":            {tag: shipping.AttemptFail, delay: true},
	"return to sender triggered":    {tag: shipping.Exception, rts: true},
	"returned to sender triggered":  {tag: shipping.Exception, rts: true},
	"cross border transit":          {tag: shipping.InTransit},
	"customs cleared":               {tag: shipping.InTransit},
	"customs held":                  {tag: shipping.Exception, subtag: "Exception_004", delay: true},
	"parcel weight":                 {info: true},
	"parcel size":                   {info: true},
}

// key normalizes an event or status for the table: lower case, single spaces.
func key(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// lookup finds what an event (or, failing that, its status) means. International transit stages
// the table does not name are in transit. Anything else is Pending, the lowest rank, so that it
// never moves a shipment; the raw value is kept beside it.
func lookup(event, status string) meaning {
	for _, s := range []string{event, status} {
		if m, ok := meanings[key(s)]; ok {
			return m
		}
	}
	for _, s := range []string{event, status} {
		if strings.HasPrefix(key(s), "international transit") {
			return meaning{tag: shipping.InTransit}
		}
	}
	return meaning{tag: shipping.Pending}
}

// Tag maps a Ninja Van event or status string onto a tag (Pending when unknown); informational
// events (measurements) have none.
func Tag(eventOrStatus string) (shipping.Tag, bool) {
	m := lookup(eventOrStatus, "")
	return m.tag, !m.info
}
