package routing

import (
	"math"
	"strings"
	"unicode"
)

const earthRadiusKm = 6371.0088

// Point is a position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Haversine is the great-circle distance between two points, in kilometres.
func Haversine(a, b Point) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Where a position came from, as recorded in the trace.
const (
	SourceCoordinates = "COORDINATES"
	SourcePostalCode  = "POSTAL_CODE"
	SourceCity        = "CITY"
	SourceCountry     = "COUNTRY"
	SourceUnknown     = "UNKNOWN"
)

// Centroid looks up an approximate position for an address without coordinates: the longest
// postal-code prefix known for the country, else the city name (accents, case, spaces and common
// aliases tolerated), else the country when it is a city-state. The table covers about fifty
// Southeast Asian cities; source is one of SourcePostalCode, SourceCity, SourceCountry.
func Centroid(countryCode, postalCode, city string) (p Point, source string, ok bool) {
	cc := strings.ToUpper(strings.TrimSpace(countryCode))
	pc := strings.ReplaceAll(strings.TrimSpace(postalCode), " ", "")
	best, bestLen := -1, 0
	if pc != "" {
		for i := range centroids {
			c := &centroids[i]
			if c.country != cc {
				continue
			}
			for _, pre := range c.postal {
				if len(pre) > bestLen && strings.HasPrefix(pc, pre) {
					best, bestLen = i, len(pre)
				}
			}
		}
		if best >= 0 {
			return Point{centroids[best].lat, centroids[best].lng}, SourcePostalCode, true
		}
	}
	if n := normName(city); n != "" {
		for i := range centroids {
			c := &centroids[i]
			if c.country != cc {
				continue
			}
			if normName(c.city) == n {
				return Point{c.lat, c.lng}, SourceCity, true
			}
			for _, a := range c.aliases {
				if normName(a) == n {
					return Point{c.lat, c.lng}, SourceCity, true
				}
			}
		}
	}
	for i := range centroids {
		if c := &centroids[i]; c.country == cc && c.countryWide {
			return Point{c.lat, c.lng}, SourceCountry, true
		}
	}
	return Point{}, SourceUnknown, false
}

// position resolves coordinates, falling back to the centroid table.
func position(lat, lng *float64, country, postal, city string) (Point, string, bool) {
	if lat != nil && lng != nil && !math.IsNaN(*lat) && !math.IsNaN(*lng) {
		return Point{*lat, *lng}, SourceCoordinates, true
	}
	return Centroid(country, postal, city)
}

// normName folds a place name for comparison: lower case, letters and digits only, common
// Vietnamese and Thai-romanisation accents removed.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := foldAccent[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var foldAccent = func() map[rune]rune {
	m := map[rune]rune{'đ': 'd'}
	for base, accented := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
