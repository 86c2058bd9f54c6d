package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
)

const pickupLocation = `mutation($code: String!, $pickup: Boolean!) {
  createLocation(input: {code: $code, name: $code, kind: STORE, offersPickup: $pickup, pickupHoldDays: 2,
    address: {city: "Bangkok", countryCode: "TH", latitude: 13.7460, longitude: 100.5340}}) { id } }`

const pickupOrder = `mutation($sku: String!, $q: Int!, $method: OrderDeliveryMethod, $at: ID) {
  placeOrder(input: {lines: [{sku: $sku, quantity: $q}], paymentMethod: COD, deliveryMethod: $method, pickupLocationID: $at}) {
    order { id status deliveryMethod pickupLocationID allocations { quantity location { code } } } } }`

type pickupPlaced struct {
	PlaceOrder struct {
		Order struct {
			ID, Status, DeliveryMethod, PickupLocationID string
			Allocations                                  []struct {
				Quantity int
				Location struct{ Code string }
			}
		}
	}
}

type pickupShipment struct {
	ID, Status, Method, CancelReason string
	PickupExpiresAt                  *time.Time
	Location                         struct{ Code string }
}

const pickupShipmentFields = `id status method cancelReason pickupExpiresAt location { code }`

// level is a SKU's on hand and reserved at a location.
func (f *shipFixture) level(t *testing.T, sku, loc string) (onHand, reserved int) {
	var out struct {
		InventoryLevels struct {
			Edges []struct {
				Node struct {
					OnHand, Reserved int
					Variant          struct{ Sku string }
				}
			}
		}
	}
	f.admin.MustDo(t, `query($loc: ID!) { inventoryLevels(where: {locationID: $loc}) { edges { node { onHand reserved variant { sku } } } } }`,
		map[string]any{"loc": loc}, &out)
	for _, e := range out.InventoryLevels.Edges {
		if e.Node.Variant.Sku == sku {
			return e.Node.OnHand, e.Node.Reserved
		}
	}
	return 0, 0
}

func (f *shipFixture) pickupCommand(t *testing.T, mutation, id string) pickupShipment {
	var out map[string]struct{ Shipment pickupShipment }
	f.admin.MustDo(t, `mutation($id: ID!) { `+mutation+`(input: {shipmentID: $id}) { shipment { `+pickupShipmentFields+` } } }`, map[string]any{"id": id}, &out)
	return out[mutation].Shipment
}

// Must-show 6: click-and-collect. An order placed for pickup is reserved at its store only (even
// though a warehouse has more stock), made ready, collected (stock leaves, order DELIVERED); an
// uncollected one expires, its stock returns and its order is cancelled; a pickup order the store
// cannot serve is backordered there and allocated there when stock arrives.
func TestPickupPlacedReadyCollectedOrExpired(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		for code, offers := range map[string]bool{"STORE": true, "SHOP-NOPICK": false} {
			var out struct{ CreateLocation struct{ ID string } }
			f.admin.MustDo(t, pickupLocation, map[string]any{"code": code, "pickup": offers}, &out)
			f.locs[code] = out.CreateLocation.ID
		}
		f.stock(t, "PICK", map[string]int{"BKK": 50, "STORE": 2})
		store := f.locs["STORE"]
		shop := f.srv.Client(f.srv.Key(t, auth.Storefront, nil)) // a storefront may place pickup orders

		// Refused: a location without pickup, a pickup order without a location, a SHIP order naming one.
		for _, vars := range []map[string]any{
			{"sku": "PICK", "q": 1, "method": "PICKUP", "at": f.locs["SHOP-NOPICK"]},
			{"sku": "PICK", "q": 1, "method": "PICKUP", "at": f.locs["BKK"]},
			{"sku": "PICK", "q": 1, "method": "PICKUP"},
			{"sku": "PICK", "q": 1, "method": "SHIP", "at": store},
		} {
			res, err := shop.Do(t.Context(), pickupOrder, vars)
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%v", vars)
		}

		// Placed for pickup: reserved at the store, not at the fuller warehouse.
		var placed pickupPlaced
		shop.MustDo(t, pickupOrder, map[string]any{"sku": "PICK", "q": 1, "method": "PICKUP", "at": store}, &placed)
		o := placed.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status)
		require.Equal(t, "PICKUP", o.DeliveryMethod)
		require.Equal(t, store, o.PickupLocationID)
		require.Len(t, o.Allocations, 1)
		require.Equal(t, "STORE", o.Allocations[0].Location.Code)

		shipments := f.plan(t, o.ID)
		require.Len(t, shipments, 1)
		require.Equal(t, "PICKUP", shipments[0].Method)
		require.Equal(t, "STORE", shipments[0].Location.Code)
		res, err := f.admin.Do(t.Context(), `mutation($id: ID!) { shipShipment(input: {shipmentID: $id, carrier: "X", trackingNumbers: ["Y"]}) { shipment { id } } }`,
			map[string]any{"id": shipments[0].ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "a pickup is collected, not shipped")

		before := time.Now()
		ready := f.pickupCommand(t, "markReadyForPickup", shipments[0].ID)
		require.Equal(t, "READY_FOR_PICKUP", ready.Status)
		require.NotNil(t, ready.PickupExpiresAt)
		require.WithinDuration(t, before.Add(48*time.Hour), *ready.PickupExpiresAt, time.Minute, "held for the store's pickupHoldDays")
		onHand, reserved := f.level(t, "PICK", store)
		require.Equal(t, 2, onHand)
		require.Equal(t, 1, reserved)

		collected := f.pickupCommand(t, "markShipmentCollected", shipments[0].ID)
		require.Equal(t, "COLLECTED", collected.Status)
		status, ful := f.order(t, o.ID)
		require.Equal(t, "DELIVERED", status)
		require.Equal(t, "DELIVERED", ful)
		onHand, reserved = f.level(t, "PICK", store)
		require.Equal(t, 1, onHand, "the collected unit left the store")
		require.Equal(t, 0, reserved)
		var mv struct {
			InventoryMovements struct {
				Edges []struct{ Node struct{ Kind string } }
			}
		}
		f.admin.MustDo(t, `query($loc: ID!) { inventoryMovements(where: {locationID: $loc, kind: SHIPMENT}) { edges { node { kind } } } }`,
			map[string]any{"loc": store}, &mv)
		require.Len(t, mv.InventoryMovements.Edges, 1, "one SHIPMENT movement at the store")
		f.srv.Audit(t)

		// Not collected: the hold runs out, the shipment is cancelled, the stock returns.
		shop.MustDo(t, pickupOrder, map[string]any{"sku": "PICK", "q": 1, "method": "PICKUP", "at": store}, &placed)
		late := placed.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", late.Status)
		lateShipment := f.plan(t, late.ID)[0]
		f.pickupCommand(t, "markReadyForPickup", lateShipment.ID)
		ctx := context.Background()
		n, err := f.srv.Inst.Fulfilment.ExpirePickups(ctx, time.Now())
		require.NoError(t, err)
		require.Zero(t, n, "within its hold nothing expires")
		_, reserved = f.level(t, "PICK", store)
		require.Equal(t, 1, reserved)
		n, err = f.srv.Inst.Fulfilment.ExpirePickups(ctx, time.Now().Add(49*time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		var got struct {
			Node struct {
				Status, CancelReason string
				Shipments            []pickupShipment
			}
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status cancelReason shipments { `+pickupShipmentFields+` } } } }`,
			map[string]any{"id": late.ID}, &got)
		require.Equal(t, "CANCELLED", got.Node.Status)
		require.Equal(t, "not collected", got.Node.CancelReason)
		require.Len(t, got.Node.Shipments, 1)
		require.Equal(t, "CANCELLED", got.Node.Shipments[0].Status)
		require.Equal(t, "not collected", got.Node.Shipments[0].CancelReason)
		onHand, reserved = f.level(t, "PICK", store)
		require.Equal(t, 1, onHand, "the unit never left the store")
		require.Equal(t, 0, reserved, "and is available again")
		n, err = f.srv.Inst.Fulfilment.ExpirePickups(ctx, time.Now().Add(49*time.Hour))
		require.NoError(t, err)
		require.Zero(t, n, "expiry happens once")
		f.srv.Audit(t)

		// A sweep that expired a shipment but stopped before cancelling its order (a crash) is
		// finished by the next sweep.
		shop.MustDo(t, pickupOrder, map[string]any{"sku": "PICK", "q": 1, "method": "PICKUP", "at": store}, &placed)
		halfway := placed.PlaceOrder.Order
		halfShipment := f.plan(t, halfway.ID)[0]
		require.NoError(t, f.srv.Inst.DB.Client.Shipment.UpdateOneID(pulid.ID(halfShipment.ID)).
			SetStatus(shipment.StatusCANCELLED).SetCancelReason("not collected").Exec(ctx))
		n, err = f.srv.Inst.Fulfilment.ExpirePickups(ctx, time.Now())
		require.NoError(t, err)
		require.Zero(t, n)
		status, _ = f.order(t, halfway.ID)
		require.Equal(t, "CANCELLED", status)
		_, reserved = f.level(t, "PICK", store)
		require.Equal(t, 0, reserved, "the order's cancellation released its unit")
		f.srv.Audit(t)

		// The store lacks the SKU the warehouse has: the pickup order is backordered at the store,
		// and allocated there when the store receives stock.
		f.stock(t, "PICK-2", map[string]int{"BKK": 5})
		var back pickupPlaced
		f.admin.MustDo(t, `mutation($at: ID!) { placeOrder(input: {lines: [{sku: "PICK-2", quantity: 1}], paid: true, allowBackorder: true,
			deliveryMethod: PICKUP, pickupLocationID: $at}) { order { id status allocations { quantity location { code } } } } }`,
			map[string]any{"at": store}, &back)
		require.Equal(t, "BACKORDERED", back.PlaceOrder.Order.Status)
		require.Empty(t, back.PlaceOrder.Order.Allocations, "nothing is reserved away from the pickup store")
		f.admin.MustDo(t, receive, map[string]any{"sku": "PICK-2", "loc": store, "q": 1}, nil)
		require.Eventually(t, func() bool {
			status, _ := f.order(t, back.PlaceOrder.Order.ID)
			return status == "ALLOCATED"
		}, 15*time.Second, 50*time.Millisecond)
		_, reserved = f.level(t, "PICK-2", store)
		require.Equal(t, 1, reserved, "allocated at the pickup store")
		_, reserved = f.level(t, "PICK-2", f.locs["BKK"])
		require.Equal(t, 0, reserved)
		f.srv.Audit(t)
	})
}
