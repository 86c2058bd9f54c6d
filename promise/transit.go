package promise

import (
	"errors"
	"fmt"
	"github.com/ordo-oms/ordo/shipping"

	"github.com/ordo-oms/ordo/calendar"
)

// Days is a transit time in carrier working days: delivery happens between Min and Max working
// days after the carrier collects.
type Days struct{ Min, Max int }

// Rate is what a shipment costs, in minor units of Transit.Currency: Base covers the first
// kilogram and PerKg each further started kilogram.
type Rate struct{ Base, PerKg int64 }

// Transit holds the carrier side of a promise: transit days and rates per service and zone, the
// distance bands that refine zones, and the days the carrier delivers.
type Transit struct {
	// Days gives the transit time per service and zone; a missing entry means the service is not
	// offered for that zone.
	Days map[Service]map[shipping.Zone]Days
	// Rates gives the cost per service and zone; a missing entry costs nothing.
	Rates map[Service]map[shipping.Zone]Rate
	// Currency is the ISO code of every amount in Rates.
	Currency string
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
// bands, a Monday-to-Saturday carrier and no rates (set Rates and Currency for costs).
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
		Bands: shipping.DefaultBands(),
	}
}

// Validate reports what is wrong with a transit table read from configuration: negative or
// inverted day ranges, negative rates, services or zones it does not know, an invalid carrier
// calendar. Promise assumes a valid table.
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
	for s, zones := range t.Rates {
		for z, r := range zones {
			if r.Base < 0 || r.PerKg < 0 {
				errs = append(errs, fmt.Errorf("promise: %s %s: negative rate", s, z))
			}
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
	if len(t.Rates) > 0 && t.Currency == "" {
		errs = append(errs, errors.New("promise: rates without a currency"))
	}
	if err := t.Carrier.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("promise: carrier calendar: %w", err))
	}
	return errors.Join(errs...)
}

// cost prices a parcel of weightGrams for a service and zone.
func (t Transit) cost(s Service, z shipping.Zone, weightGrams int) int64 {
	r := t.Rates[s][z]
	extraKg := int64(0)
	if weightGrams > 1000 {
		extraKg = int64((weightGrams - 1) / 1000) // started kilograms beyond the first
	}
	return r.Base + r.PerKg*extraKg
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
