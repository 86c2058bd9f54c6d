package calendar

import (
	"fmt"
	"time"
)

// Date is a local calendar date with no zone, such as a public holiday: 2026-12-25 is a holiday
// wherever the location is, from its own midnight to its own midnight.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is the only text form of a Date.
const dateLayout = "2006-01-02"

// ParseDate reads a date written as YYYY-MM-DD, rejecting dates that do not exist (2026-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: date %q: want YYYY-MM-DD: %w", s, err)
	}
	return DateOf(t, time.UTC), nil
}

// MustParseDate is ParseDate for dates written in code and tests; it panics on a malformed date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the local date of t in loc (UTC when loc is nil).
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(orUTC(loc)).Date()
	return Date{Year: y, Month: m, Day: d}
}

// String writes the date as YYYY-MM-DD, the form ParseDate reads.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Contains reports whether the instant t falls on this date in loc (UTC when loc is nil): 17:30 UTC
// on 24 December is already 25 December in Bangkok.
func (d Date) Contains(t time.Time, loc *time.Location) bool {
	return DateOf(t, loc) == d
}

// MarshalText writes the date as YYYY-MM-DD, so holidays read well in JSON and config.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// midnight returns 00:00 of the date in loc.
func (d Date) midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// next returns the following date.
func (d Date) next() Date { return d.add(1) }

// add returns the date n days later (earlier when n is negative).
func (d Date) add(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
