package promise

import (
	"time"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
)

// Service is a delivery service offered at checkout.
type Service string

// The services, in the order options are returned.
const (
	Standard Service = "STANDARD"
	Express  Service = "EXPRESS"
	SameDay  Service = "SAME_DAY"
	Pickup   Service = "PICKUP"
)

// services are the services in the order options are returned.
var services = []Service{Standard, Express, SameDay, Pickup}

// KindStore is the location kind that may offer pick-up (the location schema's STORE).
const KindStore = "STORE"

// Option is one delivery choice shown at checkout: which location serves it, when it ships, when it
// arrives and what it costs. Orders keep the option they were promised.
type Option struct {
	Service    Service
	LocationID pulid.ID
	// Zone is how far the parcel travels (shipping.ZoneOf), the zone its days and cost are read at.
	Zone shipping.Zone
	// ShipBy is the earliest time the parcel leaves the location (UTC).
	ShipBy time.Time
	// DeliverFrom and DeliverTo bound the delivery window (UTC). For PICKUP both are the time the
	// order is ready for pick-up; for SAME_DAY the window runs from ShipBy to the end of its day.
	DeliverFrom, DeliverTo time.Time
	// Cost is in minor units of Currency.
	Cost     int64
	Currency string
}

// Candidate is a location the caller considers for the order, with what the promise needs to know
// about it. The caller decides stock: CanFulfil means the location has every line.
type Candidate struct {
	LocationID pulid.ID
	// Kind is the location kind: WAREHOUSE, STORE, THIRD_PARTY_LOGISTICS, DROP_SHIP_SUPPLIER.
	Kind     string
	Calendar calendar.Calendar
	Lat, Lng *float64
	// CountryCode, Region and City place the location for the zone rule.
	CountryCode, Region, City string
	// CanFulfil means the location has stock for every line of the order.
	CanFulfil bool
	// Pickup means the location is a store that offers pick-up.
	Pickup bool
	// SameDay means the location delivers in its own city on the day of an order placed early
	// enough to ship before its cut-off (the location schema's same_day).
	SameDay bool
}

// Destination is where the customer wants the order delivered.
type Destination struct {
	Lat, Lng                              *float64
	CountryCode, Region, City, PostalCode string
}

// place is the candidate as the start of a trip.
func (c Candidate) place() shipping.Place {
	return shipping.Place{Lat: c.Lat, Lng: c.Lng, CountryCode: c.CountryCode, Region: c.Region, City: c.City}
}

// place is the destination as the end of a trip.
func (d Destination) place() shipping.Place {
	return shipping.Place{Lat: d.Lat, Lng: d.Lng, CountryCode: d.CountryCode, Region: d.Region, City: d.City, PostalCode: d.PostalCode}
}
