package routing

import (
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/stretchr/testify/require"
)

func TestPrioritySort(t *testing.T) {
	t0 := now
	sb := func(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }
	orders := []Order{
		{ID: "ord_G", Priority: 0, PlacedAt: t0},
		{ID: "ord_F", Priority: 0, PlacedAt: t0},
		{ID: "ord_E", Priority: 0, PlacedAt: t0.Add(-time.Hour)},
		{ID: "ord_D", Priority: 0, ShipBy: sb(48), PlacedAt: t0},
		{ID: "ord_C", Priority: 0, ShipBy: sb(24), PlacedAt: t0.Add(time.Hour)},
		{ID: "ord_B", Priority: 5, ShipBy: sb(72), PlacedAt: t0},
		{ID: "ord_A", Priority: 9, PlacedAt: t0.Add(time.Hour)},
	}
	in := append([]Order(nil), orders...)
	got := PrioritySort(orders)
	var ids []pulid.ID
	for _, o := range got {
		ids = append(ids, o.ID)
	}
	require.Equal(t, []pulid.ID{"ord_A", "ord_B", "ord_C", "ord_D", "ord_E", "ord_F", "ord_G"}, ids)
	require.Equal(t, in, orders, "the input is left alone")
}

func TestCompare(t *testing.T) {
	locs := []Location{bkkWH(), cnxWH()}
	o := bangkokOrder(plainLine("1", "TEE", 2), plainLine("2", "CAP", 1))
	st := stock("TEE", "BKK", 2, "CAP", "CNX", 1)
	one, two := DefaultPolicy(), DefaultPolicy()
	one.MaxShipments = 1
	a := Route(Input{Order: o, Locations: locs, Stock: st, Policy: one, Now: now})
	b := Route(Input{Order: o, Locations: locs, Stock: st, Policy: two, Now: now})

	same := Compare(a, a)
	require.False(t, same.Changed())

	d := Compare(a, b)
	require.True(t, d.Changed())
	require.Equal(t, OutcomePartial, d.OutcomeBefore)
	require.Equal(t, OutcomeAllocate, d.OutcomeAfter)
	require.Equal(t, []pulid.ID{locID("CNX")}, d.AddedLocations)
	require.Empty(t, d.RemovedLocations)
	require.True(t, d.LocationChanged())
	require.True(t, d.SplitChanged())
	require.Equal(t, 1, d.ShipmentsBefore)
	require.Equal(t, 2, d.ShipmentsAfter)
	require.Equal(t, b.Cost-a.Cost, d.CostDelta())
	require.Positive(t, d.CostDelta())
	require.True(t, d.PromiseChanged(), "a backordered unit now ships")
	require.Equal(t, int64(1), d.BackorderedBefore)
	require.Zero(t, d.BackorderedAfter)

	// a later ship date is a promise change even with the same locations
	late := cnxWH()
	late.EarliestShip = now.Add(48 * time.Hour)
	c := Route(Input{Order: o, Locations: []Location{bkkWH(), late}, Stock: st, Policy: two, Now: now})
	d = Compare(b, c)
	require.False(t, d.LocationChanged())
	require.True(t, d.PromiseChanged())
	require.Equal(t, late.EarliestShip, d.ShipDateAfter)
}
