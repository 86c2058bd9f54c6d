package promise

import (
	"github.com/ordo-oms/ordo/shipping"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/calendar"
)

func TestCostPerStartedKilogram(t *testing.T) {
	tr := Transit{Currency: "IDR", Rates: map[Service]map[shipping.Zone]Rate{Standard: {shipping.SameCity: {Base: 1000000, PerKg: 300000}}}}
	for grams, want := range map[int]int64{
		-5:   1000000,
		0:    1000000,
		1000: 1000000,
		1001: 1300000,
		2000: 1300000,
		2001: 1600000,
		5500: 2500000,
	} {
		require.Equal(t, want, tr.cost(Standard, shipping.SameCity, grams), "%d g", grams)
	}
	require.Zero(t, tr.cost(Express, shipping.SameCity, 2000), "no rate costs nothing")
}

func TestTransitValidate(t *testing.T) {
	require.NoError(t, DefaultTransit().Validate())
	require.NoError(t, thbTransit().Validate())

	for name, mutate := range map[string]func(*Transit){
		"inverted days":        func(t *Transit) { t.Days[Standard][shipping.SameCity] = Days{Min: 3, Max: 1} },
		"negative days":        func(t *Transit) { t.Days[Express][shipping.SameCity] = Days{Min: -1, Max: 1} },
		"unknown zone":         func(t *Transit) { t.Days[Standard]["MOON"] = Days{Min: 1, Max: 2} },
		"pick-up travels":      func(t *Transit) { t.Days[Pickup] = map[shipping.Zone]Days{shipping.SameCity: {Min: 1, Max: 1}} },
		"negative rate":        func(t *Transit) { t.Rates[Standard][shipping.SameCity] = Rate{Base: -1} },
		"rates, no currency":   func(t *Transit) { t.Currency = "" },
		"bad band":             func(t *Transit) { t.Bands = []shipping.Band{{MaxKm: -1, Zone: shipping.SameCity}} },
		"unknown pick-up zone": func(t *Transit) { t.PickupZone = "NEARBY" },
		"bad carrier calendar": func(t *Transit) { t.Carrier = calendar.Calendar{WorkDays: []time.Weekday{9}} },
	} {
		t.Run(name, func(t *testing.T) {
			tr := thbTransit()
			mutate(&tr)
			require.Error(t, tr.Validate())
		})
	}
}
