package shipping_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/promise"
	"github.com/ordo-oms/ordo/routing"
	"github.com/ordo-oms/ordo/shipping"
)

func at(lat, lng float64) (*float64, *float64) { return &lat, &lng }

// TestRoutingAndPromiseAgreeOnZones is issue 9's "must show" 8 (zones): for every trip, the zone
// routing prices a shipment at and the zone the delivery promise reads its transit days at are the
// same, and both are shipping.ZoneOf's. The trips include ones where names and distance disagree,
// so that a package falling back to a rule of its own fails here.
func TestRoutingAndPromiseAgreeOnZones(t *testing.T) {
	place := func(country, region, city, postal string, coords ...float64) shipping.Place {
		p := shipping.Place{CountryCode: country, Region: region, City: city, PostalCode: postal}
		if len(coords) == 2 {
			p.Lat, p.Lng = at(coords[0], coords[1])
		}
		return p
	}
	bangkok := place("TH", "Bangkok", "Bangkok", "10330", 13.7466, 100.5393)
	trips := []struct {
		from, to shipping.Place
		want     shipping.Zone
	}{
		{bangkok, place("TH", "Bangkok", "Bangkok", "10110", 13.7307, 100.5680), shipping.SameCity},
		{bangkok, place("TH", "Nonthaburi", "Nonthaburi", "11000", 13.8591, 100.5217), shipping.SameCity},        // names say SAME_COUNTRY
		{bangkok, place("TH", "Prachuap Khiri Khan", "Hua Hin", "77110", 12.5684, 99.9577), shipping.SameRegion}, // names say SAME_COUNTRY
		{bangkok, place("TH", "Bangkok", "Bangkok", "", 18.7883, 98.9853), shipping.SameCountry},                 // names say SAME_CITY
		{bangkok, place("TH", "Chiang Mai", "Chiang Mai", "50200", 18.7883, 98.9853), shipping.SameCountry},
		{bangkok, place("TH", "Nonthaburi", "Nonthaburi", "11000"), shipping.SameCountry},             // no coordinates: names
		{bangkok, place("TH", "bangkok", " BANGKOK", ""), shipping.SameCity},                          // names, folded
		{bangkok, place("TH", "", "Bangkok", ""), shipping.SameCity},                                  // a region missing
		{bangkok, place("TH", "Bangkok", "Bang Rak", ""), shipping.SameRegion},                        // a district of the region
		{place("VN", "Hà Nội", "Hà Nội", ""), place("VN", "Ha Noi", "Ha Noi", ""), shipping.SameCity}, // accents
		{place("ID", "Jawa Barat", "Bandung", ""), place("ID", "Jawa Barat", "Bekasi", ""), shipping.SameRegion},
		{place("SG", "Singapore", "Singapore", "", 1.3521, 103.8198), place("MY", "Johor", "Johor Bahru", "", 1.4927, 103.7414), shipping.International},
		{bangkok, place("ID", "DKI Jakarta", "Jakarta", "10310", -6.1944, 106.8229), shipping.International},
	}
	now := time.Date(2026, 3, 9, 3, 0, 0, 0, time.UTC)
	for i, trip := range trips {
		t.Run(fmt.Sprintf("%d %s to %s", i, trip.from.City, trip.to.City), func(t *testing.T) {
			require.Equal(t, trip.want, shipping.ZoneOf(trip.from, trip.to, shipping.DefaultBands()))

			loc := routing.Location{ID: "loc_1", Code: "WH", Kind: routing.KindWarehouse, Active: true,
				Lat: trip.from.Lat, Lng: trip.from.Lng, CountryCode: trip.from.CountryCode, Region: trip.from.Region,
				City: trip.from.City, PostalCode: trip.from.PostalCode, ShipsTo: []string{trip.to.CountryCode}}
			to := trip.to
			d := routing.Route(routing.Input{
				Order: routing.Order{ID: "ord_1", PlacedAt: now, Destination: routing.Address{Lat: to.Lat, Lng: to.Lng,
					CountryCode: to.CountryCode, Region: to.Region, City: to.City, PostalCode: to.PostalCode},
					Lines: []routing.Line{{ID: "oli_1", VariantID: "var_1", SKU: "A", Quantity: 1, WeightGrams: 300}}},
				Locations: []routing.Location{loc},
				Stock:     routing.Stock{"var_1": {"loc_1": 5}},
				Policy:    routing.DefaultPolicy(),
				Now:       now,
			})
			require.Len(t, d.Shipments, 1, d.Trace.Plan.Why)

			opts := promise.Promise([]promise.Candidate{{LocationID: pulid.ID("loc_1"), Kind: "WAREHOUSE",
				Calendar: calendar.Calendar{Location: time.UTC}, Lat: trip.from.Lat, Lng: trip.from.Lng,
				CountryCode: trip.from.CountryCode, Region: trip.from.Region, City: trip.from.City, CanFulfil: true}},
				promise.Destination{Lat: to.Lat, Lng: to.Lng, CountryCode: to.CountryCode, Region: to.Region, City: to.City, PostalCode: to.PostalCode},
				300, promise.DefaultTransit(), now)
			require.NotEmpty(t, opts)

			require.Equal(t, trip.want, d.Shipments[0].Zone, "routing")
			for _, o := range opts {
				require.Equal(t, d.Shipments[0].Zone, o.Zone, "promise %s", o.Service)
			}
		})
	}
}
