package promise

import (
	"github.com/ordo-oms/ordo/shipping"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
)

func TestBangkokOrderShipsFromBangkok(t *testing.T) {
	now := local(bangkok, "2026-03-09 10:00") // Monday; ready 12:00, ships at the 15:00 cut-off
	got := Promise([]Candidate{jktWarehouse(), bkkWarehouse()}, bangkokHome, 1500, thbTransit(), now)

	ship := local(bangkok, "2026-03-09 15:00")
	require.Equal(t, []Option{
		{Service: Standard, LocationID: id("BKK"), Zone: shipping.SameCity, ShipBy: ship,
			DeliverFrom: dayStart(bangkok, "2026-03-10"), DeliverTo: dayEnd(bangkok, "2026-03-11"),
			Cost: 4000 + 1000, Currency: "THB"},
		{Service: Express, LocationID: id("BKK"), Zone: shipping.SameCity, ShipBy: ship,
			DeliverFrom: dayStart(bangkok, "2026-03-10"), DeliverTo: dayEnd(bangkok, "2026-03-10"),
			Cost: (4000 + 1000) * 160 / 100, Currency: "THB"},
	}, got)
	for _, o := range got {
		require.Equal(t, time.UTC, o.ShipBy.Location())
		require.Equal(t, time.UTC, o.DeliverFrom.Location())
		require.Equal(t, time.UTC, o.DeliverTo.Location())
	}
}

func TestJakartaOrderShipsFromJakarta(t *testing.T) {
	now := local(jakarta, "2026-03-09 10:00")
	got := Promise([]Candidate{bkkWarehouse(), jktWarehouse()}, jakartaHome, 800, DefaultTransit(), now)
	require.Len(t, got, 2)
	for _, o := range got {
		require.Equal(t, id("JKT"), o.LocationID, o.Service)
		require.Equal(t, local(jakarta, "2026-03-09 15:00"), o.ShipBy)
		require.Equal(t, dayStart(jakarta, "2026-03-10"), o.DeliverFrom)
	}
}

// TestPromiseHonoursCutOffAndHolidays is issue 3's "must show" 4: the same order promises
// different dates depending on the clock, the cut-off, the working week and the holidays.
func TestPromiseHonoursCutOffAndHolidays(t *testing.T) {
	songkran := []calendar.Date{calendar.MustParseDate("2026-04-13"), calendar.MustParseDate("2026-04-14"), calendar.MustParseDate("2026-04-15")}
	tests := []struct {
		name     string
		now      time.Time
		location func(*Candidate)
		carrier  []calendar.Date // carrier holidays
		ship     string          // local ship time in Bangkok
		std, exp [2]string       // local delivery dates (first, last)
	}{
		{name: "before cut-off ships today", now: local(bangkok, "2026-03-09 12:00"),
			ship: "2026-03-09 15:00", std: [2]string{"2026-03-10", "2026-03-11"}, exp: [2]string{"2026-03-10", "2026-03-10"}},
		{name: "processing overruns cut-off", now: local(bangkok, "2026-03-09 13:30"),
			ship: "2026-03-10 15:00", std: [2]string{"2026-03-11", "2026-03-12"}, exp: [2]string{"2026-03-11", "2026-03-11"}},
		{name: "after cut-off ships tomorrow", now: local(bangkok, "2026-03-09 16:00"),
			ship: "2026-03-10 15:00", std: [2]string{"2026-03-11", "2026-03-12"}, exp: [2]string{"2026-03-11", "2026-03-11"}},
		{name: "Friday after cut-off, Saturday works", now: local(bangkok, "2026-03-13 16:00"),
			ship: "2026-03-14 15:00", std: [2]string{"2026-03-16", "2026-03-17"}, exp: [2]string{"2026-03-16", "2026-03-16"}},
		{name: "Friday after cut-off, Monday to Friday", now: local(bangkok, "2026-03-13 16:00"),
			location: func(c *Candidate) { c.Calendar.WorkDays = monToFri },
			ship:     "2026-03-16 15:00", std: [2]string{"2026-03-17", "2026-03-18"}, exp: [2]string{"2026-03-17", "2026-03-17"}},
		{name: "Christmas Day pushes shipping to Saturday", now: local(bangkok, "2026-12-24 16:00"),
			location: func(c *Candidate) { c.Calendar.Holidays = []calendar.Date{calendar.MustParseDate("2026-12-25")} },
			ship:     "2026-12-26 15:00", std: [2]string{"2026-12-28", "2026-12-29"}, exp: [2]string{"2026-12-28", "2026-12-28"}},
		{name: "Songkran stops the carrier too", now: local(bangkok, "2026-04-10 16:00"),
			location: func(c *Candidate) { c.Calendar.Holidays = songkran }, carrier: songkran,
			ship: "2026-04-11 15:00", std: [2]string{"2026-04-16", "2026-04-17"}, exp: [2]string{"2026-04-16", "2026-04-16"}},
		{name: "23:30 UTC Monday is Tuesday morning in Bangkok", now: time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC),
			ship: "2026-03-10 15:00", std: [2]string{"2026-03-11", "2026-03-12"}, exp: [2]string{"2026-03-11", "2026-03-11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bkkWarehouse()
			if tt.location != nil {
				tt.location(&c)
			}
			tr := DefaultTransit()
			tr.Carrier.Holidays = tt.carrier
			got := Promise([]Candidate{c}, bangkokHome, 500, tr, tt.now)
			require.Len(t, got, 2)
			ship := local(bangkok, tt.ship)
			for _, w := range []struct {
				o     Option
				s     Service
				dates [2]string
			}{{got[0], Standard, tt.std}, {got[1], Express, tt.exp}} {
				require.Equal(t, w.s, w.o.Service)
				require.Equal(t, ship, w.o.ShipBy, "%s ship %s", w.s, w.o.ShipBy.In(bangkok))
				require.Equal(t, dayStart(bangkok, w.dates[0]), w.o.DeliverFrom, "%s from %s", w.s, w.o.DeliverFrom.In(bangkok))
				require.Equal(t, dayEnd(bangkok, w.dates[1]), w.o.DeliverTo, "%s to %s", w.s, w.o.DeliverTo.In(bangkok))
			}
		})
	}
}

func TestTransitCountsCarrierWorkingDays(t *testing.T) {
	sevenDays := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	tests := []struct {
		name     string
		now      string
		location func(*Candidate)
		carrier  calendar.Calendar
		from, to string
	}{
		{name: "Saturday shipment skips Sunday", now: "2026-03-14 10:00",
			from: "2026-03-16", to: "2026-03-17"},
		{name: "Sunday shipment waits for the carrier's Monday", now: "2026-03-15 10:00",
			location: func(c *Candidate) { c.Calendar.WorkDays = sevenDays },
			from:     "2026-03-17", to: "2026-03-18"},
		{name: "carrier holiday on Monday", now: "2026-03-14 10:00",
			carrier: calendar.Calendar{Holidays: []calendar.Date{calendar.MustParseDate("2026-03-16")}},
			from:    "2026-03-17", to: "2026-03-18"},
		{name: "carrier working Monday to Friday", now: "2026-03-13 10:00",
			carrier: calendar.Calendar{WorkDays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
			from:    "2026-03-16", to: "2026-03-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bkkWarehouse()
			if tt.location != nil {
				tt.location(&c)
			}
			tr := DefaultTransit()
			tr.Carrier = tt.carrier
			got := Promise([]Candidate{c}, bangkokHome, 500, tr, local(bangkok, tt.now))
			require.NotEmpty(t, got)
			require.Equal(t, Standard, got[0].Service)
			require.Equal(t, dayStart(bangkok, tt.from), got[0].DeliverFrom, "from %s", got[0].DeliverFrom.In(bangkok))
			require.Equal(t, dayEnd(bangkok, tt.to), got[0].DeliverTo, "to %s", got[0].DeliverTo.In(bangkok))
		})
	}
}

func TestInternationalWindowCountsCarrierDays(t *testing.T) {
	tr := DefaultTransit()
	delete(tr.Days[Express], shipping.International) // no express across borders in this table
	got := Promise([]Candidate{bkkWarehouse()}, jakartaHome, 500, tr, local(bangkok, "2026-03-09 10:00"))
	require.Equal(t, []Option{{
		Service: Standard, LocationID: id("BKK"), Zone: shipping.International, ShipBy: local(bangkok, "2026-03-09 15:00"),
		// 7 and 14 carrier working days, Monday to Saturday, in the shipping location's zone.
		DeliverFrom: dayStart(bangkok, "2026-03-17"), DeliverTo: dayEnd(bangkok, "2026-03-25"),
	}}, got)
}

func TestSameDayTransitStartsAtCollection(t *testing.T) {
	tr := DefaultTransit()
	tr.Days[Express][shipping.SameCity] = Days{Min: 0, Max: 1}
	got := Promise([]Candidate{bkkWarehouse()}, bangkokHome, 500, tr, local(bangkok, "2026-03-09 10:00"))
	require.Len(t, got, 2)
	require.Equal(t, Express, got[1].Service)
	require.Equal(t, local(bangkok, "2026-03-09 15:00"), got[1].DeliverFrom)
	require.Equal(t, dayEnd(bangkok, "2026-03-10"), got[1].DeliverTo)
}

func TestManilaZone(t *testing.T) {
	mnl := Candidate{
		LocationID: id("MNL"), Kind: "WAREHOUSE", CanFulfil: true,
		Calendar:    calendar.Calendar{Location: manila, Cutoff: "15:00"},
		CountryCode: "PH", Region: "Metro Manila", City: "Makati",
	}
	home := Destination{CountryCode: "PH", Region: "Metro Manila", City: "Makati"}
	// 07:30 UTC on Friday is 15:30 in Manila: after cut-off, ships Saturday.
	got := Promise([]Candidate{mnl}, home, 500, DefaultTransit(), time.Date(2026, 3, 13, 7, 30, 0, 0, time.UTC))
	require.Len(t, got, 2)
	require.Equal(t, local(manila, "2026-03-14 15:00"), got[0].ShipBy)
	require.Equal(t, dayStart(manila, "2026-03-16"), got[0].DeliverFrom)
	require.Equal(t, dayEnd(manila, "2026-03-17"), got[0].DeliverTo)
}

func TestPickup(t *testing.T) {
	now := local(bangkok, "2026-03-09 10:00")
	with := func(c Candidate, f func(*Candidate)) Candidate { f(&c); return c }
	tower := with(siamStore(), func(c *Candidate) { c.LocationID = id("TWR"); c.Calendar.Cutoff = "12:00" })

	tests := []struct {
		name   string
		cands  []Candidate
		tr     func(*Transit)
		want   string // location tag of the pick-up option, "" for none
		zone   shipping.Zone
		ready  string
		others int // shipping options
	}{
		{name: "a store that offers pick-up", cands: []Candidate{bkkWarehouse(), siamStore()},
			want: "SAM", zone: shipping.SameCity, ready: "2026-03-09 18:00", others: 2},
		{name: "a store without pick-up", cands: []Candidate{with(siamStore(), func(c *Candidate) { c.Pickup = false })},
			others: 2},
		{name: "a warehouse never offers pick-up", cands: []Candidate{with(bkkWarehouse(), func(c *Candidate) { c.Pickup = true })},
			others: 2},
		{name: "a store without the stock", cands: []Candidate{bkkWarehouse(), with(siamStore(), func(c *Candidate) { c.CanFulfil = false })},
			others: 2},
		{name: "a store in another city", cands: []Candidate{chiangMaiStore()},
			others: 2},
		{name: "a store in another city when the country is close enough", cands: []Candidate{chiangMaiStore()},
			tr: func(t *Transit) { t.PickupZone = shipping.SameCountry }, want: "CNX", zone: shipping.SameCountry, ready: "2026-03-09 18:00", others: 2},
		{name: "the store ready first wins", cands: []Candidate{siamStore(), tower},
			want: "TWR", zone: shipping.SameCity, ready: "2026-03-09 12:00", others: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := thbTransit()
			if tt.tr != nil {
				tt.tr(&tr)
			}
			got := Promise(tt.cands, bangkokHome, 500, tr, now)
			var pickups []Option
			for _, o := range got {
				if o.Service == Pickup {
					pickups = append(pickups, o)
				}
			}
			require.Len(t, got, tt.others+len(pickups))
			if tt.want == "" {
				require.Empty(t, pickups)
				return
			}
			ready := local(bangkok, tt.ready)
			require.Equal(t, []Option{{Service: Pickup, LocationID: id(tt.want), Zone: tt.zone, ShipBy: ready, DeliverFrom: ready, DeliverTo: ready, Currency: "THB"}}, pickups)
			require.Equal(t, Pickup, got[len(got)-1].Service, "pick-up comes last")
		})
	}
}

func TestNothingCanFulfil(t *testing.T) {
	now := local(bangkok, "2026-03-09 10:00")
	none := func(c Candidate) Candidate { c.CanFulfil = false; return c }
	require.Nil(t, Promise(nil, bangkokHome, 500, DefaultTransit(), now))
	require.Nil(t, Promise([]Candidate{none(bkkWarehouse()), none(siamStore()), none(jktWarehouse())}, bangkokHome, 500, DefaultTransit(), now))

	// A location whose calendar never works cannot promise either.
	var closed []calendar.Date
	for i := 0; i < 800; i++ {
		closed = append(closed, calendar.DateOf(time.Date(2026, 3, 9+i, 12, 0, 0, 0, time.UTC), time.UTC))
	}
	shut := bkkWarehouse()
	shut.Calendar.Holidays = closed
	require.Nil(t, Promise([]Candidate{shut}, bangkokHome, 500, DefaultTransit(), now))
}

func TestNoTransitForZoneMeansNoService(t *testing.T) {
	tr := DefaultTransit()
	tr.Days = map[Service]map[shipping.Zone]Days{Standard: {shipping.SameCity: {1, 2}}, Express: {shipping.SameCity: {1, 1}}}
	got := Promise([]Candidate{bkkWarehouse()}, jakartaHome, 500, tr, local(bangkok, "2026-03-09 10:00"))
	require.Nil(t, got)
}

func TestWinnerRules(t *testing.T) {
	now := local(bangkok, "2026-03-09 10:00")
	near := bkkWarehouse()
	near.LocationID, near.Lat, near.Lng = id("AAA"), nil, nil
	across := near
	across.LocationID, across.City = id("ZZZ"), "Bang Kapi" // same region, another city
	home := bangkokHome
	home.Lat, home.Lng = nil, nil

	t.Run("earliest last day beats earliest first day", func(t *testing.T) {
		tr := DefaultTransit()
		tr.Days = map[Service]map[shipping.Zone]Days{Standard: {shipping.SameCity: {1, 4}, shipping.SameRegion: {2, 3}}}
		got := Promise([]Candidate{near, across}, home, 500, tr, now)
		require.Len(t, got, 1)
		require.Equal(t, id("ZZZ"), got[0].LocationID)
	})
	t.Run("same window: lower cost", func(t *testing.T) {
		tr := DefaultTransit()
		tr.Days = map[Service]map[shipping.Zone]Days{Standard: {shipping.SameCity: {1, 2}, shipping.SameRegion: {1, 2}}}
		tr.RateCards = []shipping.RateCard{thbCard(map[shipping.Zone][2]int64{shipping.SameCity: {5000, 0}, shipping.SameRegion: {4000, 0}})}
		got := Promise([]Candidate{near, across}, home, 500, tr, now)
		require.Len(t, got, 1)
		require.Equal(t, id("ZZZ"), got[0].LocationID)
		require.Equal(t, int64(4000), got[0].Cost)
	})
	t.Run("same window and cost: lower location id", func(t *testing.T) {
		twin := near
		twin.LocationID = id("MMM")
		got := Promise([]Candidate{twin, near}, home, 500, thbTransit(), now)
		require.Len(t, got, 2)
		require.Equal(t, id("AAA"), got[0].LocationID)
		require.Equal(t, id("AAA"), got[1].LocationID)
	})
	t.Run("an earlier ship time wins from farther away", func(t *testing.T) {
		late := near
		late.Calendar.Cutoff = "09:00" // placed at 10:00: ships tomorrow
		other := across
		other.LocationID = id("BBB")
		tr := thbTransit() // the city rate is cheaper, so cost cannot explain the choice
		tr.Days = map[Service]map[shipping.Zone]Days{Standard: {shipping.SameCity: {1, 1}, shipping.SameRegion: {1, 1}}}
		got := Promise([]Candidate{late, other}, home, 500, tr, now)
		require.Len(t, got, 1)
		require.Equal(t, id("BBB"), got[0].LocationID)
		require.Equal(t, dayEnd(bangkok, "2026-03-10"), got[0].DeliverTo)
	})
}

func TestDeterministic(t *testing.T) {
	now := local(bangkok, "2026-03-09 10:00")
	twin := bkkWarehouse()
	twin.LocationID = id("BKX")
	noStock := jktWarehouse()
	noStock.LocationID, noStock.CanFulfil = id("NST"), false
	cands := []Candidate{bkkWarehouse(), twin, jktWarehouse(), siamStore(), chiangMaiStore(), noStock}

	want := Promise(cands, bangkokHome, 2500, thbTransit(), now)
	require.Len(t, want, 3)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 200; i++ {
		shuffled := append([]Candidate(nil), cands...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		require.Equal(t, want, Promise(shuffled, bangkokHome, 2500, thbTransit(), now), "order %d", i)
	}
}
