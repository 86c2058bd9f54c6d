package promise

import (
	"github.com/ordo-oms/ordo/shipping"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

var (
	bangkok = mustZone("Asia/Bangkok")
	jakarta = mustZone("Asia/Jakarta")
	manila  = mustZone("Asia/Manila")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// id builds a well-formed location id ending in tag (Crockford base32 letters only).
func id(tag string) pulid.ID {
	return pulid.ID("loc_01JD" + strings.Repeat("0", 22-len(tag)) + tag)
}

func coord(v float64) *float64 { return &v }

// local builds an instant from a local wall-clock time such as "2026-03-09 14:00".
func local(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// dayStart and dayEnd bound a local date, as delivery windows do.
func dayStart(loc *time.Location, date string) time.Time { return local(loc, date+" 00:00") }
func dayEnd(loc *time.Location, date string) time.Time {
	return local(loc, date+" 00:00").AddDate(0, 0, 1).Add(-time.Second)
}

var monToFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// Locations. 2026-03-09 is a Monday.
func bkkWarehouse() Candidate {
	return Candidate{
		LocationID: id("BKK"), Kind: "WAREHOUSE", CanFulfil: true,
		Calendar: calendar.Calendar{Location: bangkok, Cutoff: "15:00", ProcessingHours: 2},
		Lat:      coord(13.7563), Lng: coord(100.5018),
		CountryCode: "TH", Region: "Bangkok", City: "Bangkok",
	}
}

func jktWarehouse() Candidate {
	return Candidate{
		LocationID: id("JKT"), Kind: "WAREHOUSE", CanFulfil: true,
		Calendar: calendar.Calendar{Location: jakarta, Cutoff: "15:00", ProcessingHours: 2},
		Lat:      coord(-6.2088), Lng: coord(106.8456),
		CountryCode: "ID", Region: "DKI Jakarta", City: "Jakarta",
	}
}

func siamStore() Candidate {
	return Candidate{
		LocationID: id("SAM"), Kind: KindStore, CanFulfil: true, Pickup: true,
		Calendar: calendar.Calendar{Location: bangkok, Cutoff: "18:00", ProcessingHours: 1},
		Lat:      coord(13.7462), Lng: coord(100.5347),
		CountryCode: "TH", Region: "Bangkok", City: "Bangkok",
	}
}

func chiangMaiStore() Candidate {
	return Candidate{
		LocationID: id("CNX"), Kind: KindStore, CanFulfil: true, Pickup: true,
		Calendar: calendar.Calendar{Location: bangkok, Cutoff: "18:00", ProcessingHours: 1},
		Lat:      coord(18.7883), Lng: coord(98.9853),
		CountryCode: "TH", Region: "Chiang Mai", City: "Chiang Mai",
	}
}

// Destinations.
var (
	bangkokHome = Destination{Lat: coord(13.7308), Lng: coord(100.5418), CountryCode: "TH", Region: "Bangkok", City: "Bangkok", PostalCode: "10500"}
	jakartaHome = Destination{Lat: coord(-6.1754), Lng: coord(106.8272), CountryCode: "ID", Region: "DKI Jakarta", City: "Jakarta", PostalCode: "10110"}
)

// thbTransit is the default transit table with rates in baht (minor units: satang).
func thbTransit() Transit {
	t := DefaultTransit()
	t.Currency = "THB"
	t.Rates = map[Service]map[shipping.Zone]Rate{
		Standard: {shipping.SameCity: {Base: 4000, PerKg: 1000}, shipping.SameRegion: {Base: 5000, PerKg: 1500}, shipping.SameCountry: {Base: 6000, PerKg: 2000}, shipping.International: {Base: 50000, PerKg: 10000}},
		Express:  {shipping.SameCity: {Base: 9000, PerKg: 2000}, shipping.SameRegion: {Base: 12000, PerKg: 2500}, shipping.SameCountry: {Base: 15000, PerKg: 3000}, shipping.International: {Base: 120000, PerKg: 20000}},
	}
	return t
}
