package orders_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

func TestPlaceInputValidatesPickup(t *testing.T) {
	store := pulid.New("loc")
	notALocation := pulid.New("chn")
	base := func(method order.DeliveryMethod, at *pulid.ID) orders.PlaceInput {
		return orders.PlaceInput{Lines: []orders.Line{{SKU: "TEE", Quantity: 1}}, DeliveryMethod: method, PickupLocationID: at}
	}
	for _, in := range []orders.PlaceInput{base("", nil), base(order.DeliveryMethodSHIP, nil), base(order.DeliveryMethodPICKUP, &store)} {
		require.NoError(t, in.Validate())
	}
	for name, in := range map[string]orders.PlaceInput{
		"pickup without a location":  base(order.DeliveryMethodPICKUP, nil),
		"pickup at a non-location":   base(order.DeliveryMethodPICKUP, &notALocation),
		"a shipped order's location": base(order.DeliveryMethodSHIP, &store),
		"a location without method":  base("", &store),
		"an unknown method":          base("DRONE", nil),
	} {
		err := in.Validate()
		require.Error(t, err, name)
		require.True(t, fault.Is(err, fault.InvalidArgument), name)
	}
}
