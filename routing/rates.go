package routing

import "strings"

// Zone is how far a parcel travels, decided from the location and the destination address.
type Zone string

// The shipping zones.
const (
	ZoneSameCity      Zone = "SAME_CITY"
	ZoneSameRegion    Zone = "SAME_REGION"
	ZoneSameCountry   Zone = "SAME_COUNTRY"
	ZoneInternational Zone = "INTERNATIONAL"
)

// RateTable prices one parcel by zone and weight band. Money is in minor units.
type RateTable struct {
	// BandsGrams are the ascending upper bounds of the weight bands.
	BandsGrams []int
	// Prices holds, per zone, one price per band.
	Prices map[Zone][]int64
	// ExtraPerKg is added per started kilogram beyond the last band.
	ExtraPerKg map[Zone]int64
	// ParcelMaxGrams is the most one parcel can carry (the box catalogue's strongest box). A heavier
	// shipment is priced as that many parcels sharing its weight, so that the parcel count weighs in
	// the split decision. Zero: one parcel whatever the weight.
	ParcelMaxGrams int
}

// DefaultRates is a plausible Southeast Asian parcel rate card, in minor units (e.g. satang),
// used until an operator configures carriers' real rates.
func DefaultRates() RateTable {
	return RateTable{
		BandsGrams: []int{500, 1000, 2000, 5000, 10000, 20000},
		Prices: map[Zone][]int64{
			ZoneSameCity:      {3500, 4000, 5000, 7000, 10000, 15000},
			ZoneSameRegion:    {4500, 5000, 6500, 9000, 13000, 20000},
			ZoneSameCountry:   {5500, 6500, 8000, 11000, 16000, 25000},
			ZoneInternational: {35000, 50000, 80000, 150000, 260000, 480000},
		},
		ExtraPerKg: map[Zone]int64{
			ZoneSameCity:      500,
			ZoneSameRegion:    700,
			ZoneSameCountry:   900,
			ZoneInternational: 22000,
		},
	}
}

// Cost is the price of a shipment of the given weight in the given zone: one parcel, or as many as
// ParcelMaxGrams calls for. A zone missing from the table is priced as international.
func (t RateTable) Cost(z Zone, grams int) int64 {
	if len(t.BandsGrams) == 0 {
		t = DefaultRates()
	}
	if t.ParcelMaxGrams > 0 && grams > t.ParcelMaxGrams {
		n := (grams + t.ParcelMaxGrams - 1) / t.ParcelMaxGrams
		return int64(n) * t.parcelCost(z, (grams+n-1)/n)
	}
	return t.parcelCost(z, grams)
}

// Parcels is how many parcels a shipment of grams takes (at least one).
func (t RateTable) Parcels(grams int) int {
	if t.ParcelMaxGrams <= 0 || grams <= t.ParcelMaxGrams {
		return 1
	}
	return (grams + t.ParcelMaxGrams - 1) / t.ParcelMaxGrams
}

// parcelCost prices one parcel by zone and weight band.
func (t RateTable) parcelCost(z Zone, grams int) int64 {
	prices, ok := t.Prices[z]
	if !ok {
		z = ZoneInternational
		prices = t.Prices[z]
	}
	if len(prices) == 0 {
		return 0
	}
	for i, max := range t.BandsGrams {
		if grams <= max && i < len(prices) {
			return prices[i]
		}
	}
	last := min(len(t.BandsGrams), len(prices)) - 1
	over := grams - t.BandsGrams[last]
	kgs := int64((over + 999) / 1000)
	return prices[last] + kgs*t.ExtraPerKg[z]
}

// ZoneFor decides the zone of a parcel from a location to an address: another country is
// international; otherwise the same city (when both name one), the same region, or the same country.
func ZoneFor(l Location, to Address) Zone {
	if !strings.EqualFold(l.CountryCode, to.CountryCode) {
		return ZoneInternational
	}
	if l.City != "" && normName(l.City) == normName(to.City) &&
		(l.Region == "" || to.Region == "" || strings.EqualFold(l.Region, to.Region)) {
		return ZoneSameCity
	}
	if l.Region != "" && strings.EqualFold(l.Region, to.Region) {
		return ZoneSameRegion
	}
	return ZoneSameCountry
}
