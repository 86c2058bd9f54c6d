package promise

import (
	"math"
	"slices"
	"strings"
)

// Zone is how far a shipment travels, the key of the transit and rate tables.
type Zone string

// The zones, nearest first.
const (
	SameCity      Zone = "SAME_CITY"
	SameRegion    Zone = "SAME_REGION"
	SameCountry   Zone = "SAME_COUNTRY"
	International Zone = "INTERNATIONAL"
)

// rank orders zones from nearest to farthest; unknown zones rank as international.
func (z Zone) rank() int {
	switch z {
	case SameCity:
		return 0
	case SameRegion:
		return 1
	case SameCountry:
		return 2
	default:
		return 3
	}
}

// known reports whether z is one of the four zones.
func (z Zone) known() bool {
	return z == SameCity || z == SameRegion || z == SameCountry || z == International
}

// Band maps a great-circle distance to a zone: a shipment of at most MaxKm is in Zone.
type Band struct {
	MaxKm float64
	Zone  Zone
}

// DefaultBands are the distance bands of DefaultTransit: a metropolitan area, then a day's drive.
func DefaultBands() []Band {
	return []Band{{MaxKm: 40, Zone: SameCity}, {MaxKm: 300, Zone: SameRegion}}
}

// ZoneOf returns the zone of a shipment from c to dest under the package's zone rule, with bands
// refining domestic shipments when both ends have coordinates.
func ZoneOf(c Candidate, dest Destination, bands []Band) Zone {
	if !same(c.CountryCode, dest.CountryCode) {
		return International
	}
	if c.Lat != nil && c.Lng != nil && dest.Lat != nil && dest.Lng != nil && len(bands) > 0 {
		return bandZone(DistanceKm(*c.Lat, *c.Lng, *dest.Lat, *dest.Lng), bands)
	}
	sameRegion := same(c.Region, dest.Region)
	eitherRegionMissing := blank(c.Region) || blank(dest.Region)
	switch {
	case same(c.City, dest.City) && (sameRegion || eitherRegionMissing):
		return SameCity
	case sameRegion:
		return SameRegion
	default:
		return SameCountry
	}
}

// bandZone returns the zone of the narrowest band that holds km, SameCountry beyond them all.
func bandZone(km float64, bands []Band) Zone {
	sorted := slices.Clone(bands)
	slices.SortStableFunc(sorted, func(a, b Band) int {
		switch {
		case a.MaxKm < b.MaxKm:
			return -1
		case a.MaxKm > b.MaxKm:
			return 1
		}
		return 0
	})
	for _, b := range sorted {
		if km <= b.MaxKm {
			return b.Zone
		}
	}
	return SameCountry
}

// earthRadiusKm is the mean Earth radius.
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between two points in degrees.
func DistanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// same compares two place names: both present and equal ignoring case and surrounding spaces.
func same(a, b string) bool {
	return !blank(a) && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
