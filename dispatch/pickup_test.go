package dispatch

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/routing"
)

func TestPickupOnly(t *testing.T) {
	store, warehouse := pulid.New("loc"), pulid.New("loc")
	in := routing.Input{
		Locations: []routing.Location{{ID: warehouse, Kind: routing.KindWarehouse}, {ID: store, Kind: routing.KindStore}},
		Order:     routing.Order{Destination: routing.Address{CountryCode: "TH"}},
	}
	ship := &ent.Order{DeliveryMethod: order.DeliveryMethodSHIP}
	require.Equal(t, in, pickupOnly(ship, in), "a shipped order routes as before")

	pickup := &ent.Order{DeliveryMethod: order.DeliveryMethodPICKUP, PickupLocationID: &store}
	got := pickupOnly(pickup, in)
	require.Len(t, got.Locations, 1)
	require.Equal(t, store, got.Locations[0].ID, "only the pickup store is a candidate")
	require.True(t, got.Policy.ShipFromStore, "collecting at a store is not shipping from it")
	require.Empty(t, got.Order.Destination.CountryCode, "nothing travels to an address")
	require.Len(t, in.Locations, 2, "the input is not changed in place")

	gone := pulid.New("loc")
	require.Empty(t, pickupOnly(&ent.Order{DeliveryMethod: order.DeliveryMethodPICKUP, PickupLocationID: &gone}, in).Locations,
		"a pickup store routing does not know leaves no candidate: the order is backordered")
}
