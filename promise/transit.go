package promise

import (
	"errors"
	"fmt"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// maxMarkup bounds a service's markup, in percent.
const maxMarkup = 10_000

// Days is a transit time in carrier working days: delivery happens between Min and Max working
// days after the carrier collects.
type Days struct{ Min, Max int }

// Transit holds the carrier side of a promise: transit days per service and zone, the rate cards
// and box catalogue parcels are priced with, the distance bands that refine zones, and the days
// the carrier delivers.
type Transit struct {
	// Days gives the transit time per service and zone; a missing entry means the service is not
	// offered for that zone.
	Days map[Service]map[shipping.Zone]Days
	// RateCards price the order's parcels as routing prices a shipment: each parcel by the
	// cheapest card that carries it (shipping.Cheapest), the order's items packed into Boxes when
	// they are known (PromiseGoods). They share one currency, the options' Currency. None: every
	// option is free.
	RateCards []shipping.RateCard
	// Boxes is the box catalogue items are packed into; none means packing.DefaultBoxes.
	Boxes []packing.Box
	// Markup is a service's price in percent of the rate cards' price; a missing entry is 100.
	Markup map[Service]int
	// Bands refine domestic zones by distance when both ends have coordinates (shipping.ZoneOf);
	// none means shipping.DefaultBands, as in routing.
	Bands []shipping.Band
	// Carrier is the carrier's working calendar (its WorkDays and Holidays; the zero value is
	// Monday to Saturday). A nil Location means the shipping location's zone.
	Carrier calendar.Calendar
	// PickupZone is the farthest zone from the destination at which a store is offered for
	// pick-up; empty means shipping.SameCity.
	PickupZone shipping.Zone
}

// DefaultTransit returns typical South-East Asian parcel transit times, with the default distance
// bands, a Monday-to-Saturday carrier, express at 160% and same-day at 200% of the cards' price,
// and no rate cards (set RateCards for costs).
func DefaultTransit() Transit {
	return Transit{
		Days: map[Service]map[shipping.Zone]Days{
			Standard: {
				shipping.SameCity:      {Min: 1, Max: 2},
				shipping.SameRegion:    {Min: 2, Max: 3},
				shipping.SameCountry:   {Min: 3, Max: 5},
				shipping.International: {Min: 7, Max: 14},
			},
			Express: {
				shipping.SameCity:      {Min: 1, Max: 1},
				shipping.SameRegion:    {Min: 1, Max: 2},
				shipping.SameCountry:   {Min: 2, Max: 3},
				shipping.International: {Min: 3, Max: 5},
			},
		},
		Markup: map[Service]int{Express: 160, SameDay: 200},
		Bands:  shipping.DefaultBands(),
	}
}

// Validate reports what is wrong with a transit table read from configuration: negative or
// inverted day ranges, services or zones it does not know, invalid rate cards or cards in several
// currencies, a markup out of range (1-10000%) or for pick-up, an invalid carrier calendar.
// Promise assumes a valid table.
func (t Transit) Validate() error {
	var errs []error
	for s, zones := range t.Days {
		if s != Standard && s != Express {
			errs = append(errs, fmt.Errorf("promise: transit days for service %q: only STANDARD and EXPRESS travel", s))
		}
		for z, d := range zones {
			if !z.Known() {
				errs = append(errs, fmt.Errorf("promise: unknown zone %q", z))
			}
			if d.Min < 0 || d.Max < d.Min {
				errs = append(errs, fmt.Errorf("promise: %s %s: transit days %d-%d", s, z, d.Min, d.Max))
			}
		}
	}
	for i, c := range t.RateCards {
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("promise: rate card %d (%s %s): %w", i, c.Carrier, c.Service, err))
		}
		if c.Currency != t.RateCards[0].Currency {
			errs = append(errs, fmt.Errorf("promise: rate cards in %s and %s", t.RateCards[0].Currency, c.Currency))
		}
	}
	for s, pct := range t.Markup {
		if s != Standard && s != Express && s != SameDay {
			errs = append(errs, fmt.Errorf("promise: markup for service %q: only delivered services are priced", s))
		}
		if pct < 1 || pct > maxMarkup {
			errs = append(errs, fmt.Errorf("promise: %s markup %d%% out of range 1-%d", s, pct, maxMarkup))
		}
	}
	for _, b := range t.Bands {
		if b.MaxKm < 0 || !b.Zone.Known() {
			errs = append(errs, fmt.Errorf("promise: distance band %v km to %q", b.MaxKm, b.Zone))
		}
	}
	if !t.pickupZone().Known() {
		errs = append(errs, fmt.Errorf("promise: unknown pick-up zone %q", t.PickupZone))
	}
	if err := t.Carrier.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("promise: carrier calendar: %w", err))
	}
	return errors.Join(errs...)
}

// currency is the ISO code of the options' costs: the rate cards', none without cards.
func (t Transit) currency() string {
	if len(t.RateCards) == 0 {
		return ""
	}
	return t.RateCards[0].Currency
}

// markup is a service's price in percent of the cards' price.
func (t Transit) markup(s Service) int64 {
	if pct, ok := t.Markup[s]; ok {
		return int64(pct)
	}
	return 100
}

// boxes is the box catalogue parcels are packed into.
func (t Transit) boxes() []packing.Box {
	if len(t.Boxes) == 0 {
		return packing.DefaultBoxes()
	}
	return t.Boxes
}

// bands are the distance bands zones are decided with.
func (t Transit) bands() []shipping.Band {
	if len(t.Bands) == 0 {
		return shipping.DefaultBands()
	}
	return t.Bands
}

func (t Transit) pickupZone() shipping.Zone {
	if t.PickupZone == "" {
		return shipping.SameCity
	}
	return t.PickupZone
}
