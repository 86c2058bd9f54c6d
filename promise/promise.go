package promise

import (
	"time"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// Promise returns the delivery options for an order of weightGrams going to dest, placed at now,
// priced as one parcel of that weight: at most one per service, in the order STANDARD, EXPRESS,
// SAME_DAY, PICKUP, each from the candidate that delivers earliest (see the package rules). It
// returns nil when no candidate can fulfil.
func Promise(cands []Candidate, dest Destination, weightGrams int, t Transit, now time.Time) []Option {
	return promise(cands, dest, t, now, byWeight(t.RateCards, weightGrams))
}

// PromiseGoods is Promise for an order whose items are known: they are packed into the transit's
// boxes and each parcel priced on its box's dimensions, as routing prices a shipment, so that the
// STANDARD option of a location costs what routing's shipment from it does.
func PromiseGoods(cands []Candidate, dest Destination, items []packing.Item, t Transit, now time.Time) []Option {
	return promise(cands, dest, t, now, byBoxes(t.RateCards, t.boxes(), items))
}

func promise(cands []Candidate, dest Destination, t Transit, now time.Time, q quote) []Option {
	p := &prices{t: t, q: q}
	var out []Option
	for _, s := range services {
		var best *Option
		for _, c := range cands {
			o, ok := offer(c, s, dest, p, now)
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
func offer(c Candidate, s Service, dest Destination, p *prices, now time.Time) (Option, bool) {
	if !c.CanFulfil {
		return Option{}, false
	}
	t := p.t
	zone := shipping.ZoneOf(c.place(), dest.place(), t.bands())
	ship := c.Calendar.EarliestShip(now)
	if ship.IsZero() {
		return Option{}, false
	}
	o := Option{Service: s, LocationID: c.LocationID, Zone: zone, ShipBy: ship, Currency: t.currency()}
	switch s {
	case Pickup:
		if !c.Pickup || c.Kind != KindStore || zone.Rank() > t.pickupZone().Rank() {
			return Option{}, false
		}
		o.DeliverFrom, o.DeliverTo = ship, ship
		return o, true
	case SameDay:
		loc := c.Calendar.Location
		if loc == nil {
			loc = time.UTC
		}
		if !c.SameDay || zone != shipping.SameCity || !startOfDay(ship, loc).Equal(startOfDay(now, loc)) {
			return Option{}, false
		}
		o.DeliverFrom, o.DeliverTo = ship, startOfDay(ship, loc).AddDate(0, 0, 1).Add(-time.Second).UTC()
	default:
		days, ok := t.Days[s][zone]
		if !ok {
			return Option{}, false
		}
		carrier := t.Carrier
		if carrier.Location == nil {
			carrier.Location = c.Calendar.Location
		}
		if o.DeliverFrom, o.DeliverTo, ok = window(ship, days, carrier); !ok {
			return Option{}, false
		}
	}
	cost, ok := p.cost(s, zone)
	if !ok {
		return Option{}, false
	}
	o.Cost = cost
	return o, true
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
