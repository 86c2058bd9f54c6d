package calendar

import (
	"errors"
	"fmt"
	"time"
)

// DefaultCutoff is the cut-off used when a calendar leaves Cutoff empty; it matches the location
// schema's default.
const DefaultCutoff = "15:00"

// maxIdleDays bounds every search for a working day, so that a calendar with no working day (every
// date a holiday) yields a zero time instead of looping for ever.
const maxIdleDays = 366

// DefaultWorkDays are the days a location works when its calendar does not say: Monday to
// Saturday, as most South-East Asian warehouses and carriers do.
func DefaultWorkDays() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
}

// Calendar is the working time of one location: its zone, daily cut-off, processing time, working
// weekdays and holidays. The zero value is a UTC calendar, Monday to Saturday, 15:00 cut-off, no
// processing time and no holidays.
type Calendar struct {
	// Location is the zone in which the cut-off, weekdays and holidays are read; nil means UTC.
	Location *time.Location
	// Cutoff is the local "15:04" time after which an order no longer starts that day; empty
	// means DefaultCutoff. It is also when the carrier collects.
	Cutoff string
	// ProcessingHours is how long picking and packing take, counted over working days only.
	ProcessingHours int
	// WorkDays are the weekdays the location works; empty means DefaultWorkDays.
	WorkDays []time.Weekday
	// Holidays are local dates on which the location does not work.
	Holidays []Date
}

// Validate reports what is wrong with a calendar read from configuration or the database. The
// other methods assume a valid calendar: they read a malformed cut-off as DefaultCutoff and a
// negative processing time as zero.
func (c Calendar) Validate() error {
	var errs []error
	if _, _, err := parseClock(c.cutoff()); err != nil {
		errs = append(errs, err)
	}
	if c.ProcessingHours < 0 {
		errs = append(errs, fmt.Errorf("calendar: negative processing hours %d", c.ProcessingHours))
	}
	for _, w := range c.WorkDays {
		if w < time.Sunday || w > time.Saturday {
			errs = append(errs, fmt.Errorf("calendar: no such weekday %d", int(w)))
		}
	}
	for _, h := range c.Holidays {
		if p, err := ParseDate(h.String()); err != nil || p != h {
			errs = append(errs, fmt.Errorf("calendar: no such holiday date %v", h))
		}
	}
	return errors.Join(errs...)
}

// IsWorkingDay reports whether the local date of t is a working day: a working weekday that is not
// a holiday.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	return c.works(DateOf(t, c.loc()))
}

// AddWorkingDays moves t by n working days (backwards when n is negative), keeping its local
// clock time: Saturday 10:00 plus one working day is Monday 10:00 in a Monday-to-Saturday calendar.
// n = 0 returns t itself, working day or not. The result is in UTC; it is the zero time if no
// working day comes within a year.
func (c Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	loc := c.loc()
	local := t.In(loc)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := DateOf(local, loc)
	for ; n > 0; n-- {
		var ok bool
		if d, ok = c.seek(d.add(step), step); !ok {
			return time.Time{}
		}
	}
	h, m, s := local.Clock()
	return time.Date(d.Year, d.Month, d.Day, h, m, s, local.Nanosecond(), loc).UTC()
}

// works reports whether d is a working day.
func (c Calendar) works(d Date) bool {
	wd := d.midnight(time.UTC).Weekday()
	days := c.WorkDays
	if len(days) == 0 {
		days = DefaultWorkDays()
	}
	working := false
	for _, w := range days {
		if w == wd {
			working = true
			break
		}
	}
	if !working {
		return false
	}
	for _, h := range c.Holidays {
		if h == d {
			return false
		}
	}
	return true
}

// seek returns the first working day from d on, walking by step (1 or -1) days; false when none
// comes within maxIdleDays.
func (c Calendar) seek(d Date, step int) (Date, bool) {
	for i := 0; i <= maxIdleDays; i++ {
		if c.works(d) {
			return d, true
		}
		d = d.add(step)
	}
	return Date{}, false
}

func (c Calendar) loc() *time.Location { return orUTC(c.Location) }

func (c Calendar) cutoff() string {
	if c.Cutoff == "" {
		return DefaultCutoff
	}
	return c.Cutoff
}

// cutoffOn returns the cut-off instant on local date d.
func (c Calendar) cutoffOn(d Date) time.Time {
	h, m, err := parseClock(c.cutoff())
	if err != nil {
		h, m, _ = parseClock(DefaultCutoff)
	}
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, c.loc())
}

// parseClock reads a "15:04" local time of day.
func parseClock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("calendar: cut-off %q: want HH:MM: %w", s, err)
	}
	return t.Hour(), t.Minute(), nil
}
