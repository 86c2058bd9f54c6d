package shipping

import (
	"math"
	"strings"
	"unicode"
)

// earthRadiusKm is the mean Earth radius.
const earthRadiusKm = 6371.0088

// Point is a position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// DistanceKm is the great-circle (haversine) distance between two points, in kilometres.
func DistanceKm(a, b Point) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Place is one end of a trip: a location or a delivery address. Coordinates are optional.
type Place struct {
	Lat, Lng    *float64
	CountryCode string
	Region      string
	City        string
	PostalCode  string
}

// coordinates returns the place's own coordinates, when it has usable ones.
func (p Place) coordinates() (Point, bool) {
	if p.Lat == nil || p.Lng == nil || math.IsNaN(*p.Lat) || math.IsNaN(*p.Lng) {
		return Point{}, false
	}
	return Point{*p.Lat, *p.Lng}, true
}

// Position is where the place is: its coordinates (SourceCoordinates), else its centroid (see
// Centroid). ok is false when neither is known.
func (p Place) Position() (pt Point, source string, ok bool) {
	if pt, ok := p.coordinates(); ok {
		return pt, SourceCoordinates, true
	}
	return Centroid(p.CountryCode, p.PostalCode, p.City)
}

// Where a position came from, as Position and Centroid report it.
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
// Southeast Asian cities; source is one of SourcePostalCode, SourceCity, SourceCountry, or
// SourceUnknown when ok is false.
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
