package promise

import (
	"github.com/ordo-oms/ordo/shipping"
	"time"

	"github.com/ordo-oms/ordo/calendar"
)

// Promise returns the delivery options for an order of weightGrams going to dest, placed at now:
// at most one per service, in the order STANDARD, EXPRESS, PICKUP, each from the candidate that
// delivers earliest (see the package rules). It returns nil when no candidate can fulfil.
func Promise(cands []Candidate, dest Destination, weightGrams int, transit Transit, now time.Time) []Option {
	var out []Option
	for _, s := range []Service{Standard, Express, Pickup} {
		var best *Option
		for _, c := range cands {
			o, ok := offer(c, s, dest, weightGrams, transit, now)
			if ok && (best == nil || better(o, *best)) {
				best = &o
			}
		}
		if best != nil {
			out = append(out, *best)
		}
	}
	return out
}

// offer is what candidate c can promise for service s, if anything.
func offer(c Candidate, s Service, dest Destination, weightGrams int, t Transit, now time.Time) (Option, bool) {
	if !c.CanFulfil {
		return Option{}, false
	}
	zone := shipping.ZoneOf(c.place(), dest.place(), t.bands())
	if s == Pickup {
		if !c.Pickup || c.Kind != KindStore || zone.Rank() > t.pickupZone().Rank() {
			return Option{}, false
		}
		ready := c.Calendar.EarliestShip(now)
		if ready.IsZero() {
			return Option{}, false
		}
		return Option{Service: s, LocationID: c.LocationID, Zone: zone, ShipBy: ready, DeliverFrom: ready, DeliverTo: ready, Currency: t.Currency}, true
	}
	days, ok := t.Days[s][zone]
	if !ok {
		return Option{}, false
	}
	ship := c.Calendar.EarliestShip(now)
	if ship.IsZero() {
		return Option{}, false
	}
	carrier := t.Carrier
	if carrier.Location == nil {
		carrier.Location = c.Calendar.Location
	}
	from, to, ok := window(ship, days, carrier)
	if !ok {
		return Option{}, false
	}
	return Option{
		Service: s, LocationID: c.LocationID, Zone: zone, ShipBy: ship, DeliverFrom: from, DeliverTo: to,
		Cost: t.cost(s, zone, weightGrams), Currency: t.Currency,
	}, true
}

// window is the delivery window of a parcel handed over at ship, in carrier working days.
func window(ship time.Time, d Days, carrier calendar.Calendar) (from, to time.Time, ok bool) {
	minDays := max(d.Min, 0)
	maxDays := max(d.Max, minDays)
	collect := ship
	if !carrier.IsWorkingDay(ship) {
		collect = carrier.AddWorkingDays(ship, 1)
	}
	first := carrier.AddWorkingDays(collect, minDays)
	last := carrier.AddWorkingDays(collect, maxDays)
	if collect.IsZero() || first.IsZero() || last.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	loc := carrier.Location
	if loc == nil {
		loc = time.UTC
	}
	from = startOfDay(first, loc)
	if minDays == 0 {
		from = collect
	}
	to = startOfDay(last, loc).AddDate(0, 0, 1).Add(-time.Second)
	return from.UTC(), to.UTC(), true
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// better reports whether a beats b: earlier DeliverTo, then earlier DeliverFrom, then lower cost,
// then lower location id.
func better(a, b Option) bool {
	switch {
	case !a.DeliverTo.Equal(b.DeliverTo):
		return a.DeliverTo.Before(b.DeliverTo)
	case !a.DeliverFrom.Equal(b.DeliverFrom):
		return a.DeliverFrom.Before(b.DeliverFrom)
	case a.Cost != b.Cost:
		return a.Cost < b.Cost
	default:
		return a.LocationID < b.LocationID
	}
}
