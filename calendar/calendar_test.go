package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		name string
		cal  Calendar
		at   time.Time
		want bool
	}{
		{"Monday", Calendar{}, local(time.UTC, "2026-03-09 10:00"), true},
		{"Saturday by default", Calendar{}, local(time.UTC, "2026-03-14 10:00"), true},
		{"Sunday by default", Calendar{}, local(time.UTC, "2026-03-15 10:00"), false},
		{"Saturday, Monday to Friday", Calendar{WorkDays: monToFri}, local(time.UTC, "2026-03-14 10:00"), false},
		{"Sunday when Sunday works", Calendar{WorkDays: []time.Weekday{time.Sunday}}, local(time.UTC, "2026-03-15 10:00"), true},
		{"holiday", Calendar{Holidays: dates("2026-12-25")}, local(time.UTC, "2026-12-25 10:00"), false},
		{"holiday in Bangkok starts at 17:00 UTC", Calendar{Location: bangkok, Holidays: dates("2026-12-25")},
			time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC), false},
		{"same instant in a UTC calendar", Calendar{Holidays: dates("2026-12-25")},
			time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.cal.IsWorkingDay(tt.at))
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	bkk := Calendar{Location: bangkok, Holidays: dates("2026-12-25")}
	weekdays := Calendar{Location: bangkok, WorkDays: monToFri}
	tests := []struct {
		name string
		cal  Calendar
		from string
		n    int
		want string
	}{
		{"Saturday plus one skips Sunday", bkk, "2026-03-14 10:00", 1, "2026-03-16 10:00"},
		{"Friday plus one, Monday to Friday", weekdays, "2026-03-13 10:00", 1, "2026-03-16 10:00"},
		{"zero keeps a Sunday", bkk, "2026-03-15 10:00", 0, "2026-03-15 10:00"},
		{"from a Sunday, one is Monday", bkk, "2026-03-15 10:00", 1, "2026-03-16 10:00"},
		{"over Christmas", bkk, "2026-12-24 15:00", 1, "2026-12-26 15:00"},
		{"two over Christmas", bkk, "2026-12-24 15:00", 2, "2026-12-28 15:00"},
		{"a week of six days", bkk, "2026-03-09 08:00", 6, "2026-03-16 08:00"},
		{"backwards over Sunday", bkk, "2026-03-16 10:00", -1, "2026-03-14 10:00"},
		{"backwards over a weekend", weekdays, "2026-03-16 10:00", -1, "2026-03-13 10:00"},
		{"late evening keeps its local date", bkk, "2026-03-09 23:30", 1, "2026-03-10 23:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.AddWorkingDays(local(bangkok, tt.from), tt.n)
			require.Equal(t, local(bangkok, tt.want).UTC(), got)
			require.Equal(t, time.UTC, got.Location())
		})
	}
}

func TestValidate(t *testing.T) {
	require.NoError(t, Calendar{}.Validate())
	require.NoError(t, Calendar{Location: bangkok, Cutoff: "09:30", ProcessingHours: 48, WorkDays: monToFri, Holidays: thaiHolidays2026}.Validate())

	for name, c := range map[string]Calendar{
		"words for a cut-off": {Cutoff: "3pm"},
		"hour 25":             {Cutoff: "25:00"},
		"negative processing": {ProcessingHours: -1},
		"weekday 7":           {WorkDays: []time.Weekday{7}},
		"30 February":         {Holidays: []Date{{2026, time.February, 30}}},
		"month 0":             {Holidays: []Date{{2026, 0, 1}}},
	} {
		t.Run(name, func(t *testing.T) { require.Error(t, c.Validate()) })
	}
}
