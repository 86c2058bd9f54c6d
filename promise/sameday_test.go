package promise

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
)

// TestSameDay: a location that offers same-day delivery promises it to destinations in its own
// city (SAME_CITY) when the order can ship before today's cut-off, delivered by the end of the
// day, at the same-day markup of the cards' price; otherwise it is not offered.
func TestSameDay(t *testing.T) {
	sameDay := func(c Candidate) Candidate { c.SameDay = true; return c }
	with := func(c Candidate, f func(*Candidate)) Candidate { f(&c); return c }
	tests := []struct {
		name  string
		now   string // local time in Bangkok
		cands []Candidate
		dest  Destination
		want  string // location tag of the same-day option, "" for none
		ship  string // its local ship time; delivered by the end of that day
	}{
		{name: "before the cut-off with time to process", now: "2026-03-09 10:00", cands: []Candidate{sameDay(bkkWarehouse())},
			want: "BKK", ship: "2026-03-09 15:00"},
		{name: "the location does not offer it", now: "2026-03-09 10:00", cands: []Candidate{bkkWarehouse()}},
		{name: "processing overruns the cut-off", now: "2026-03-09 13:30", cands: []Candidate{sameDay(bkkWarehouse())}},
		{name: "after the cut-off", now: "2026-03-09 16:00", cands: []Candidate{sameDay(bkkWarehouse())}},
		{name: "a holiday today", now: "2026-03-09 10:00", cands: []Candidate{with(sameDay(bkkWarehouse()), func(c *Candidate) {
			c.Calendar.Holidays = []calendar.Date{calendar.MustParseDate("2026-03-09")}
		})}},
		{name: "Sunday, not a working day", now: "2026-03-15 10:00", cands: []Candidate{sameDay(bkkWarehouse())}},
		{name: "another city", now: "2026-03-09 10:00", cands: []Candidate{sameDay(chiangMaiStore())}},
		{name: "another country", now: "2026-03-09 10:00", cands: []Candidate{sameDay(bkkWarehouse())}, dest: jakartaHome},
		{name: "without the stock", now: "2026-03-09 10:00", cands: []Candidate{with(sameDay(bkkWarehouse()), func(c *Candidate) { c.CanFulfil = false })}},
		{name: "a store's later cut-off", now: "2026-03-09 16:30", cands: []Candidate{sameDay(bkkWarehouse()), sameDay(siamStore())},
			want: "SAM", ship: "2026-03-09 18:00"},
		{name: "the earlier collection wins", now: "2026-03-09 10:00", cands: []Candidate{sameDay(siamStore()), sameDay(bkkWarehouse())},
			want: "BKK", ship: "2026-03-09 15:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := bangkokHome
			if tt.dest.CountryCode != "" {
				dest = tt.dest
			}
			got := Promise(tt.cands, dest, 1500, thbTransit(), local(bangkok, tt.now))
			var same []Option
			standard := int64(-1)
			for i, o := range got {
				switch o.Service {
				case SameDay:
					same = append(same, o)
					require.True(t, i == len(got)-1 || got[i+1].Service == Pickup, "same-day comes after express, before pick-up")
				case Standard:
					standard = o.Cost
				}
			}
			if tt.want == "" {
				require.Empty(t, same)
				return
			}
			ship := local(bangkok, tt.ship)
			date := ship.In(bangkok).Format("2006-01-02")
			require.Equal(t, []Option{{Service: SameDay, LocationID: id(tt.want), Zone: "SAME_CITY", ShipBy: ship, DeliverFrom: ship,
				DeliverTo: dayEnd(bangkok, date), Cost: (4000 + 1000) * 2, Currency: "THB"}}, same)
			require.Equal(t, int64(4000+1000), standard, "same-day is priced from the cards standard is")
		})
	}
}
