package shipping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func coord(x float64) *float64 { return &x }

func TestZoneOf(t *testing.T) {
	named := func(country, region, city string) Place {
		return Place{CountryCode: country, Region: region, City: city}
	}
	at := func(p Place, lat, lng float64) Place { p.Lat, p.Lng = coord(lat), coord(lng); return p }

	tests := []struct {
		name     string
		from, to Place
		bands    []Band
		want     Zone
	}{
		{"same city by name", named("TH", "Bangkok", "Bangkok"), named("TH", "Bangkok", "Bangkok"), nil, SameCity},
		{"names ignore case and spaces", named("th", "bangkok", " Bangkok"), named("TH", "BANGKOK", "bangkok "), nil, SameCity},
		{"names ignore accents and punctuation", named("VN", "Hà Nội", "Hà Nội"), named("VN", "Ha Noi", "ha-noi"), nil, SameCity},
		{"same city, one region missing", named("PH", "", "Makati"), named("PH", "Metro Manila", "Makati"), nil, SameCity},
		{"same city name in another region", named("PH", "Cebu", "San Fernando"), named("PH", "Pampanga", "San Fernando"), nil, SameCountry},
		{"same region", named("ID", "Jawa Barat", "Bandung"), named("ID", "Jawa Barat", "Bekasi"), nil, SameRegion},
		{"another district of the region", named("TH", "Bangkok", "Bang Rak"), named("TH", "Bangkok", "Bangkok"), nil, SameRegion},
		{"same country", named("TH", "Bangkok", "Bangkok"), named("TH", "Chiang Mai", "Chiang Mai"), nil, SameCountry},
		{"another country", named("TH", "Bangkok", "Bangkok"), named("ID", "DKI Jakarta", "Jakarta"), nil, International},
		{"missing country is international", named("TH", "Bangkok", "Bangkok"), named("", "Bangkok", "Bangkok"), nil, International},
		{"both countries missing is international", named("", "Bangkok", "Bangkok"), named("", "Bangkok", "Bangkok"), nil, International},
		{"empty city names never match", named("TH", "Bangkok", ""), named("TH", "Bangkok", ""), nil, SameRegion},
		{"empty region names never match", named("TH", "", "Bang Rak"), named("TH", "", "Bangkok"), nil, SameCountry},

		// Distance decides within a country when both ends have coordinates.
		{"Bangkok to Nonthaburi is one metro area", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), DefaultBands(), SameCity},
		{"Bangkok to Hua Hin is a day's drive", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Prachuap Khiri Khan", "Hua Hin"), 12.5684, 99.9577), DefaultBands(), SameRegion},
		{"Bangkok to Chiang Mai is the country", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Chiang Mai", "Chiang Mai"), 18.7883, 98.9853), DefaultBands(), SameCountry},
		{"far apart despite one city name", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Bangkok", "Bangkok"), 18.7883, 98.9853), DefaultBands(), SameCountry},
		{"bands in any order", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), []Band{{300, SameRegion}, {40, SameCity}}, SameCity},
		{"a border is never crossed by distance", at(named("SG", "Singapore", "Singapore"), 1.3521, 103.8198),
			at(named("MY", "Johor", "Johor Bahru"), 1.4927, 103.7414), DefaultBands(), International},
		{"no bands: names only", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			at(named("TH", "Nonthaburi", "Nonthaburi"), 13.8591, 100.5217), nil, SameCountry},
		{"one end without coordinates: names only, never a centroid", at(named("TH", "Bangkok", "Bangkok"), 13.7563, 100.5018),
			Place{CountryCode: "TH", Region: "Nonthaburi", City: "Nonthaburi", PostalCode: "11000"}, DefaultBands(), SameCountry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ZoneOf(tt.from, tt.to, tt.bands))
			require.Equal(t, tt.want, ZoneOf(tt.to, tt.from, tt.bands), "the rule is symmetric")
		})
	}
}

func TestZoneRank(t *testing.T) {
	for i, z := range Zones() {
		require.Equal(t, i, z.Rank())
		require.True(t, z.Known())
	}
	require.False(t, Zone("NEARBY").Known())
	require.Equal(t, International.Rank(), Zone("NEARBY").Rank())
}
