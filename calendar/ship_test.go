package calendar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestEarliestShip(t *testing.T) {
	bkk := Calendar{Location: bangkok, Cutoff: "15:00"}
	with := func(c Calendar, f func(*Calendar)) Calendar { f(&c); return c }
	christmas := dates("2026-12-25")

	tests := []struct {
		name string
		cal  Calendar
		now  time.Time
		want time.Time
	}{
		// 2026-03-09 is a Monday.
		{"before cut-off, no processing", bkk,
			local(bangkok, "2026-03-09 10:00"), local(bangkok, "2026-03-09 15:00")},
		{"before cut-off, processing fits", with(bkk, func(c *Calendar) { c.ProcessingHours = 4 }),
			local(bangkok, "2026-03-09 10:00"), local(bangkok, "2026-03-09 15:00")},
		{"processing ends exactly at cut-off", with(bkk, func(c *Calendar) { c.ProcessingHours = 4 }),
			local(bangkok, "2026-03-09 11:00"), local(bangkok, "2026-03-09 15:00")},
		{"processing overruns cut-off", with(bkk, func(c *Calendar) { c.ProcessingHours = 4 }),
			local(bangkok, "2026-03-09 12:00"), local(bangkok, "2026-03-10 15:00")},
		{"exactly at cut-off is after it", bkk,
			local(bangkok, "2026-03-09 15:00"), local(bangkok, "2026-03-10 15:00")},
		{"after cut-off", bkk,
			local(bangkok, "2026-03-09 16:30"), local(bangkok, "2026-03-10 15:00")},
		{"one minute before a 12:30 cut-off", with(bkk, func(c *Calendar) { c.Cutoff = "12:30" }),
			local(bangkok, "2026-03-09 12:29"), local(bangkok, "2026-03-09 12:30")},
		{"at a 12:30 cut-off", with(bkk, func(c *Calendar) { c.Cutoff = "12:30" }),
			local(bangkok, "2026-03-09 12:30"), local(bangkok, "2026-03-10 12:30")},
		{"empty cut-off is 15:00", Calendar{Location: bangkok},
			local(bangkok, "2026-03-09 14:59"), local(bangkok, "2026-03-09 15:00")},

		// Weekends: 2026-03-13 is a Friday.
		{"Friday after cut-off, Saturday works", bkk,
			local(bangkok, "2026-03-13 16:00"), local(bangkok, "2026-03-14 15:00")},
		{"Friday after cut-off, Monday to Friday", with(bkk, func(c *Calendar) { c.WorkDays = monToFri }),
			local(bangkok, "2026-03-13 16:00"), local(bangkok, "2026-03-16 15:00")},
		{"Saturday after cut-off", bkk,
			local(bangkok, "2026-03-14 15:30"), local(bangkok, "2026-03-16 15:00")},
		{"Sunday morning", bkk,
			local(bangkok, "2026-03-15 09:00"), local(bangkok, "2026-03-16 15:00")},

		// Holidays: 2026-12-25 is a Friday.
		{"Christmas Eve after cut-off, Saturday works", with(bkk, func(c *Calendar) { c.Holidays = christmas }),
			local(bangkok, "2026-12-24 16:00"), local(bangkok, "2026-12-26 15:00")},
		{"Christmas Eve after cut-off, Monday to Friday", with(bkk, func(c *Calendar) { c.Holidays = christmas; c.WorkDays = monToFri }),
			local(bangkok, "2026-12-24 16:00"), local(bangkok, "2026-12-28 15:00")},
		{"placed on the holiday before cut-off", with(bkk, func(c *Calendar) { c.Holidays = christmas }),
			local(bangkok, "2026-12-25 10:00"), local(bangkok, "2026-12-26 15:00")},
		{"Songkran: Friday after cut-off waits to Thursday", with(bkk, func(c *Calendar) { c.Holidays = thaiHolidays2026; c.WorkDays = monToFri }),
			local(bangkok, "2026-04-10 16:00"), local(bangkok, "2026-04-16 15:00")},
		{"Nyepi and Idul Fitri in Jakarta", Calendar{Location: jakarta, Holidays: indonesianHolidays2026},
			local(jakarta, "2026-03-18 16:00"), local(jakarta, "2026-03-23 15:00")},

		// Processing over nights, weekends and holidays.
		{"processing spans a night", with(bkk, func(c *Calendar) { c.ProcessingHours = 12 }),
			local(bangkok, "2026-03-09 14:00"), local(bangkok, "2026-03-10 15:00")},
		{"a day of processing ships the next day", with(bkk, func(c *Calendar) { c.ProcessingHours = 24 }),
			local(bangkok, "2026-03-09 10:00"), local(bangkok, "2026-03-10 15:00")},
		{"a day of processing after cut-off ships in two days", with(bkk, func(c *Calendar) { c.ProcessingHours = 24 }),
			local(bangkok, "2026-03-09 16:00"), local(bangkok, "2026-03-11 15:00")},
		{"processing stops over the weekend", with(bkk, func(c *Calendar) { c.ProcessingHours = 24; c.WorkDays = monToFri }),
			local(bangkok, "2026-03-13 14:00"), local(bangkok, "2026-03-16 15:00")},
		{"processing stops over a holiday", with(bkk, func(c *Calendar) { c.ProcessingHours = 24; c.Holidays = christmas }),
			local(bangkok, "2026-12-24 10:00"), local(bangkok, "2026-12-26 15:00")},

		// Zones: the same instant is read in the location's own zone.
		{"23:30 UTC Monday is Tuesday morning in Bangkok", bkk,
			time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC), local(bangkok, "2026-03-10 15:00")},
		{"08:30 UTC is after cut-off in Bangkok", bkk,
			time.Date(2026, 3, 9, 8, 30, 0, 0, time.UTC), local(bangkok, "2026-03-10 15:00")},
		{"08:30 UTC is before cut-off in a UTC calendar", Calendar{},
			time.Date(2026, 3, 9, 8, 30, 0, 0, time.UTC), time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)},
		{"07:30 UTC Friday is after cut-off in Manila", Calendar{Location: manila, WorkDays: monToFri},
			time.Date(2026, 3, 13, 7, 30, 0, 0, time.UTC), local(manila, "2026-03-16 15:00")},
		{"07:30 UTC Friday is before cut-off in Bangkok", Calendar{Location: bangkok, WorkDays: monToFri},
			time.Date(2026, 3, 13, 7, 30, 0, 0, time.UTC), local(bangkok, "2026-03-13 15:00")},
		{"Singapore", Calendar{Location: singapore},
			local(singapore, "2026-03-09 14:00"), local(singapore, "2026-03-09 15:00")},
		{"a holiday is read in local time", with(bkk, func(c *Calendar) { c.Holidays = christmas }),
			time.Date(2026, 12, 24, 17, 30, 0, 0, time.UTC), local(bangkok, "2026-12-26 15:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.EarliestShip(tt.now)
			require.Equal(t, tt.want.UTC(), got, "got %s local", got.In(tt.cal.loc()))
			require.Equal(t, time.UTC, got.Location())
			require.True(t, tt.cal.IsWorkingDay(got))
		})
	}
}

func TestReadyAt(t *testing.T) {
	c := Calendar{Location: bangkok, ProcessingHours: 12}
	require.Equal(t, local(bangkok, "2026-03-10 02:00").UTC(), c.ReadyAt(local(bangkok, "2026-03-09 14:00")))
	require.Equal(t, local(bangkok, "2026-03-11 12:00").UTC(), c.ReadyAt(local(bangkok, "2026-03-10 15:00")),
		"after cut-off, processing starts at midnight")
	c.ProcessingHours = 0
	require.Equal(t, local(bangkok, "2026-03-09 14:00").UTC(), c.ReadyAt(local(bangkok, "2026-03-09 14:00")))
}

// TestEarliestShipInvariants checks random orders over a year: the ship time is a cut-off on a
// working day, never before the order, and a later order never ships earlier.
func TestEarliestShipInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []Calendar{
		{Location: bangkok, Holidays: thaiHolidays2026, ProcessingHours: 24},
		{Location: jakarta, Holidays: indonesianHolidays2026, ProcessingHours: 6, Cutoff: "11:00"},
		{Location: manila, WorkDays: monToFri, ProcessingHours: 40, Cutoff: "17:30"},
	} {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var prevNow, prevShip time.Time
		for i := 0; i < 2000; i++ {
			now := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			ship := c.EarliestShip(now)
			require.True(t, c.IsWorkingDay(ship), "ship %s", ship)
			require.False(t, ship.Before(now))
			require.Equal(t, c.cutoffOn(DateOf(ship, c.loc())).UTC(), ship)
			require.False(t, ship.Before(c.ReadyAt(now)))
			if !prevNow.IsZero() && now.After(prevNow) {
				require.False(t, ship.Before(prevShip), "later order %s ships before %s", now, prevNow)
			}
			prevNow, prevShip = now, ship
		}
	}
}

func TestNoWorkingDayGivesZeroTime(t *testing.T) {
	var all []Date
	for d := MustParseDate("2026-01-01"); d.Year < 2028; d = d.next() {
		all = append(all, d)
	}
	c := Calendar{Location: bangkok, Holidays: all}
	now := local(bangkok, "2026-03-09 10:00")
	require.True(t, c.ReadyAt(now).IsZero())
	require.True(t, c.EarliestShip(now).IsZero())
	require.True(t, c.AddWorkingDays(now, 1).IsZero())
}
