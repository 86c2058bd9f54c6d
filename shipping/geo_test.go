package shipping

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDistanceKm(t *testing.T) {
	bkk, cnx, jkt := Point{13.7563, 100.5018}, Point{18.7883, 98.9853}, Point{-6.2088, 106.8456}
	require.Zero(t, DistanceKm(bkk, bkk))
	require.InDelta(t, 582, DistanceKm(bkk, cnx), 10, "Bangkok to Chiang Mai")
	require.InDelta(t, 2320, DistanceKm(bkk, jkt), 30, "Bangkok to Jakarta")
	require.InDelta(t, DistanceKm(bkk, jkt), DistanceKm(jkt, bkk), 1e-9, "symmetric")
	require.InDelta(t, math.Pi*earthRadiusKm, DistanceKm(Point{0, 0}, Point{0, 180}), 1e-6, "antipodes")
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

func TestPosition(t *testing.T) {
	lat, lng, nan := 13.1, 100.2, math.NaN()
	p, src, ok := Place{Lat: &lat, Lng: &lng, CountryCode: "TH", City: "Chiang Mai"}.Position()
	require.True(t, ok)
	require.Equal(t, SourceCoordinates, src)
	require.Equal(t, Point{13.1, 100.2}, p, "coordinates win over the city")
	_, src, ok = Place{Lat: &nan, Lng: &lng, CountryCode: "TH", City: "Chiang Mai"}.Position()
	require.True(t, ok)
	require.Equal(t, SourceCity, src, "NaN coordinates fall back to the centroid")
	_, src, ok = Place{Lat: &lat, CountryCode: "XX"}.Position()
	require.False(t, ok)
	require.Equal(t, SourceUnknown, src)
}
