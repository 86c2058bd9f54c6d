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

// thbCard prices a parcel per zone at base for the first kilogram and perKg for each further
// started kilogram, in baht (minor units: satang), with no dimensional weight.
func thbCard(rates map[shipping.Zone][2]int64) shipping.RateCard {
	c := shipping.RateCard{Carrier: "TEST", Service: "STANDARD", Currency: "THB"}
	for _, z := range shipping.Zones() {
		if r, ok := rates[z]; ok {
			c.Bands = append(c.Bands, shipping.RateBand{Zone: z, MaxGrams: 1000, Amount: r[0]})
			c.Extra = append(c.Extra, shipping.RateExtra{Zone: z, PerKg: r[1]})
		}
	}
	return c
}

// thbTransit is the default transit table priced by a card in baht.
func thbTransit() Transit {
	t := DefaultTransit()
	t.RateCards = []shipping.RateCard{thbCard(map[shipping.Zone][2]int64{
		shipping.SameCity: {4000, 1000}, shipping.SameRegion: {5000, 1500}, shipping.SameCountry: {6000, 2000}, shipping.International: {50000, 10000},
	})}
	return t
}
