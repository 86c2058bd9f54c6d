package calendar

import (
	"time"
)

// Zones used across the tests; time/tzdata makes them load without a system database.
var (
	bangkok   = mustZone("Asia/Bangkok")
	jakarta   = mustZone("Asia/Jakarta")
	manila    = mustZone("Asia/Manila")
	singapore = mustZone("Asia/Singapore")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// local builds an instant from a local wall-clock time such as "2026-03-09 14:00".
func local(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// Public holidays as test data. Thailand 2026 (fixed-date holidays and substitutes; lunar ones left
// out) and Indonesia 2026 around Nyepi and Idul Fitri. They are examples for the tests, not an
// authoritative list: each location's holidays are configuration.
var (
	thaiHolidays2026 = dates("2026-01-01", "2026-04-06", "2026-04-13", "2026-04-14", "2026-04-15",
		"2026-05-01", "2026-05-04", "2026-07-28", "2026-08-12", "2026-10-13", "2026-10-23",
		"2026-12-07", "2026-12-10", "2026-12-31")
	indonesianHolidays2026 = dates("2026-01-01", "2026-03-19", "2026-03-20", "2026-03-21",
		"2026-05-01", "2026-06-01", "2026-08-17", "2026-12-25")
)

func dates(ss ...string) []Date {
	out := make([]Date, len(ss))
	for i, s := range ss {
		out[i] = MustParseDate(s)
	}
	return out
}

var monToFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
