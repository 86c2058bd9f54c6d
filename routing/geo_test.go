package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHaversine(t *testing.T) {
	bkk, jkt := Point{13.7563, 100.5018}, Point{-6.2088, 106.8456}
	require.InDelta(t, 2320, Haversine(bkk, jkt), 30)
	require.InDelta(t, Haversine(bkk, jkt), Haversine(jkt, bkk), 1e-9)
	require.Zero(t, Haversine(bkk, bkk))
}

func TestCentroid(t *testing.T) {
	tests := []struct {
		country, postal, city string
		want                  string // city of the expected row, "" for unknown
		source                string
	}{
		{"TH", "10330", "", "Bangkok", SourcePostalCode},
		{"th", "50 200", "", "Chiang Mai", SourcePostalCode},
		{"ID", "16412", "", "Depok", SourcePostalCode},
		{"ID", "16111", "", "Bogor", SourcePostalCode},
		{"ID", "40115", "", "Bandung", SourcePostalCode},
		{"MY", "40100", "", "Shah Alam", SourcePostalCode},
		{"PH", "6000", "", "Cebu City", SourcePostalCode},
		{"VN", "", "Hà Nội", "Hanoi", SourceCity},
		{"VN", "", "TP. Hồ Chí Minh", "Ho Chi Minh City", SourceCity},
		{"VN", "", "saigon", "Ho Chi Minh City", SourceCity},
		{"MY", "", "Penang", "George Town", SourceCity},
		{"ID", "99999", "Surabaya", "Surabaya", SourceCity},
		{"SG", "018956", "", "Singapore", SourceCountry},
		{"TH", "", "Atlantis", "", SourceUnknown},
		{"FR", "75001", "Paris", "", SourceUnknown},
	}
	for _, tt := range tests {
		p, src, ok := Centroid(tt.country, tt.postal, tt.city)
		require.Equal(t, tt.source, src, "%+v", tt)
		require.Equal(t, tt.want != "", ok)
		if ok {
			found := false
			for _, c := range centroids {
				if c.city == tt.want {
					require.Equal(t, Point{c.lat, c.lng}, p, "%+v", tt)
					found = true
				}
			}
			require.True(t, found)
		}
	}
	require.GreaterOrEqual(t, len(centroids), 50)
}

func TestRates(t *testing.T) {
	r := DefaultRates()
	require.Equal(t, int64(3500), r.Cost(ZoneSameCity, 0))
	require.Equal(t, int64(3500), r.Cost(ZoneSameCity, 500))
	require.Equal(t, int64(4000), r.Cost(ZoneSameCity, 501))
	require.Equal(t, int64(25000), r.Cost(ZoneSameCountry, 20000))
	require.Equal(t, int64(25000+2*900), r.Cost(ZoneSameCountry, 21001))
	require.Equal(t, r.Cost(ZoneInternational, 700), r.Cost("MOON", 700), "unknown zones are priced as international")
	require.Equal(t, r.Cost(ZoneSameRegion, 700), RateTable{}.Cost(ZoneSameRegion, 700), "zero table means default")
	for _, z := range []Zone{ZoneSameCity, ZoneSameRegion, ZoneSameCountry, ZoneInternational} {
		require.Len(t, r.Prices[z], len(r.BandsGrams))
	}
}

func TestZoneFor(t *testing.T) {
	to := Address{CountryCode: "TH", Region: "Bangkok", City: "Bangkok"}
	tests := []struct {
		loc  Location
		want Zone
	}{
		{Location{CountryCode: "TH", Region: "Bangkok", City: "bangkok"}, ZoneSameCity},
		{Location{CountryCode: "TH", City: "Bangkok"}, ZoneSameCity},
		{Location{CountryCode: "TH", Region: "Bangkok", City: "Bang Rak"}, ZoneSameRegion},
		{Location{CountryCode: "TH", Region: "Chiang Mai", City: "Chiang Mai"}, ZoneSameCountry},
		{Location{CountryCode: "ID", Region: "Bangkok", City: "Bangkok"}, ZoneInternational},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ZoneFor(tt.loc, to), "%+v", tt.loc)
	}
}
