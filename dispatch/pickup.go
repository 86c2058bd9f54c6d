package dispatch

import (
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/routing"
)

// pickupOnly narrows routing to the store a click-and-collect order is collected at: that location
// is the only candidate (when it lacks stock, the order is backordered there, and the releaser
// allocates it there when stock arrives), and the checks that concern carrying a parcel to an
// address (ship-from-store, the destination country) do not apply to a customer collecting it.
// Other orders pass unchanged.
func pickupOnly(o *ent.Order, in routing.Input) routing.Input {
	if o.DeliveryMethod != order.DeliveryMethodPICKUP || o.PickupLocationID == nil {
		return in
	}
	kept := make([]routing.Location, 0, 1)
	for _, l := range in.Locations {
		if l.ID == *o.PickupLocationID {
			kept = append(kept, l)
		}
	}
	in.Locations = kept
	in.Policy.ShipFromStore = true
	in.Order.Destination.CountryCode = ""
	return in
}
