package promise

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestZoneOf(t *testing.T) {
	named := func(country, region, city string) Candidate {
		return Candidate{CountryCode: country, Region: region, City: city}
	}
	to := func(country, region, city string) Destination {
		return Destination{CountryCode: country, Region: region, City: city}
	}
	at := func(c Candidate, lat, lng float64) Candidate { c.Lat, c.Lng = coord(lat), coord(lng); return c }
	toAt := func(d Destination, lat, lng float64) Destination { d.Lat, d.Lng = coord(lat), coord(lng); return d }

	tests := []struct {
		name  string
		from  Candidate
		to    Destination
		bands []Band
		want  Zone
	}{
		{"same city by name", named("TH", "Bangkok", "Bangkok"), to("TH", "Bangkok", "Bangkok"), nil, SameCity},
		{"names ignore case and spaces", named("th", "bangkok", " Bangkok"), to("TH", "BANGKOK", "bangkok "), nil, SameCity},
		{"same city, one region missing", named("PH", "", "Makati"), to("PH", "Metro Manila", "Makati"), nil, SameCity},
		{"same city name in another region", named("PH", "Cebu", "San Fernando"), to("PH", "Pampanga", "San Fernando"), nil, SameCountry},
		{"same region", named("ID", "Jawa Barat", "Bandung"), to("ID", "Jawa Barat", "Bekasi"), nil, SameRegion},
		{"same country", named("TH", "Bangkok", "Bangkok"), to("TH", "Chiang Mai", "Chiang Mai"), nil, SameCountry},
		{"another country", named("TH", "Bangkok", "Bangkok"), to("ID", "DKI Jakarta", "Jakarta"), nil, International},
		{"missing country is international", named("TH", "Bangkok", "Bangkok"), to("", "Bangkok", "Bangkok"), nil, International},
		{"empty city names never match", named("TH", "Bangkok", ""), to("TH", "Bangkok", ""), nil, SameRegion},

		// Distance decides within a country when both ends have coordinates.
		{"Bangkok to Nonthaburi is one metro area", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), DefaultBands(), SameCity},
		{"Bangkok to Hua Hin is a day's drive", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Prachuap Khiri Khan", "Hua Hin"), 12.5684, 99.9577), DefaultBands(), SameRegion},
		{"Bangkok to Chiang Mai is the country", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Chiang Mai", "Chiang Mai"), 18.7883, 98.9853), DefaultBands(), SameCountry},
		{"far apart despite one city name", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Bangkok", "Bangkok"), 18.7883, 98.9853), DefaultBands(), SameCountry},
		{"bands in any order", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), []Band{{300, SameRegion}, {40, SameCity}}, SameCity},
		{"a border is never crossed by distance", at(named("SG", "Singapore", "Singapore"), 1.3521, 103.8198),
			toAt(to("MY", "Johor", "Johor Bahru"), 1.4927, 103.7414), DefaultBands(), International},
		{"no bands: names only", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			toAt(to("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), nil, SameCountry},
		{"one end without coordinates: names only", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			to("TH", "Nonthaburi", "Nonthaburi"), DefaultBands(), SameCountry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ZoneOf(tt.from, tt.to, tt.bands))
		})
	}
}

func TestDistanceKm(t *testing.T) {
	require.InDelta(t, 0, DistanceKm(13.7563, 100.5018, 13.7563, 100.5018), 1e-9)
	require.InDelta(t, 582, DistanceKm(13.7563, 100.5018, 18.7883, 98.9853), 10, "Bangkok to Chiang Mai")
	require.InDelta(t, 2320, DistanceKm(13.7563, 100.5018, -6.2088, 106.8456), 40, "Bangkok to Jakarta")
	require.InDelta(t, DistanceKm(1, 2, 3, 4), DistanceKm(3, 4, 1, 2), 1e-9, "symmetric")
}
