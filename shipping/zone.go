package shipping

import "slices"

// Zone is how far a trip travels: the key of rate cards and transit tables.
type Zone string

// The zones, nearest first.
const (
	SameCity      Zone = "SAME_CITY"
	SameRegion    Zone = "SAME_REGION"
	SameCountry   Zone = "SAME_COUNTRY"
	International Zone = "INTERNATIONAL"
)

// Zones lists the zones nearest first.
func Zones() []Zone { return []Zone{SameCity, SameRegion, SameCountry, International} }

// Known reports whether z is one of the four zones.
func (z Zone) Known() bool { return slices.Contains(Zones(), z) }

// Rank orders zones from nearest (0) to farthest (3); an unknown zone ranks as international.
func (z Zone) Rank() int {
	if i := slices.Index(Zones(), z); i >= 0 {
		return i
	}
	return 3
}

// Band maps a great-circle distance to a zone: a domestic trip of at most MaxKm is in Zone.
type Band struct {
	MaxKm float64 `json:"maxKm"`
	Zone  Zone    `json:"zone"`
}

// DefaultBands are the distance bands routing and promises use unless configured otherwise: a
// metropolitan area, then a day's drive.
func DefaultBands() []Band {
	return []Band{{MaxKm: 40, Zone: SameCity}, {MaxKm: 300, Zone: SameRegion}}
}

// ZoneOf is the zone of a trip from one place to another: the one zone rule of Ordo (see the
// package comment). Bands refine domestic trips when both ends have coordinates; none means names
// only. Bands may come in any order.
func ZoneOf(from, to Place, bands []Band) Zone {
	cc := normName(from.CountryCode)
	if cc == "" || cc != normName(to.CountryCode) {
		return International
	}
	a, aok := from.coordinates()
	b, bok := to.coordinates()
	if aok && bok && len(bands) > 0 {
		return bandZone(DistanceKm(a, b), bands)
	}
	fromRegion, toRegion := normName(from.Region), normName(to.Region)
	sameRegion := fromRegion != "" && fromRegion == toRegion
	city := normName(from.City)
	switch {
	case city != "" && city == normName(to.City) && (sameRegion || fromRegion == "" || toRegion == ""):
		return SameCity
	case sameRegion:
		return SameRegion
	default:
		return SameCountry
	}
}

// bandZone returns the zone of the narrowest band that holds km, SameCountry beyond them all.
func bandZone(km float64, bands []Band) Zone {
	z, best, found := SameCountry, 0.0, false
	for _, b := range bands {
		if km <= b.MaxKm && (!found || b.MaxKm < best) {
			z, best, found = b.Zone, b.MaxKm, true
		}
	}
	return z
}
