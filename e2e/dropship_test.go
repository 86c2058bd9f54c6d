package e2e_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
)

const supplierLocation = `mutation($code: String!, $supplies: [ID!]) {
  createLocation(input: {code: $code, name: $code, kind: DROP_SHIP_SUPPLIER, supplyIDs: $supplies,
    address: {city: "Bangkok", countryCode: "TH", latitude: 13.70, longitude: 100.60}}) { id } }`

type partnerShipments struct {
	Shipments struct {
		Edges []struct {
			Node struct {
				ID, Number, Status, Method, LocationID string
				Lines                                  []struct {
					SKU      string
					Quantity int
				}
				Order struct{ Number string }
			}
		}
	}
}

// Must-show 7: drop-ship. An order line only a supplier supplies is routed to it; its shipment is
// carried by the SUPPLIER with a purchase order; the supplier's partner key, through persisted
// operations only, sees that shipment and no other (not the warehouse's shipment of the same
// order) and confirms it with tracking; another supplier's key neither sees nor ships it.
func TestDropShipSupplierConfirmsItsShipment(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.admin.MustDo(t, `mutation { setRoutingPolicy(input: {criteria: [{name: "DISTANCE", weight: 4}], maxShipments: 2, backorder: PARTIAL, dropShip: true}) { version } }`, nil, nil)
		f.stock(t, "OWN", map[string]int{"BKK": 5})
		f.stock(t, "SUPPLIED", nil)
		f.stock(t, "OTHER", nil)
		variant := func(sku string) string {
			var v struct{ VariantBySku struct{ ID string } }
			f.admin.MustDo(t, `query($sku: String!) { variantBySku(sku: $sku) { id } }`, map[string]any{"sku": sku}, &v)
			return v.VariantBySku.ID
		}
		for code, sku := range map[string]string{"SUP": "SUPPLIED", "SUP2": "OTHER"} {
			var out struct{ CreateLocation struct{ ID string } }
			f.admin.MustDo(t, supplierLocation, map[string]any{"code": code, "supplies": []string{variant(sku)}}, &out)
			f.locs[code] = out.CreateLocation.ID
			f.admin.MustDo(t, receive, map[string]any{"sku": sku, "loc": f.locs[code], "q": 100}, nil)
		}

		var placed struct {
			PlaceOrder struct {
				Order struct {
					ID, Number, Status string
					Allocations        []struct{ Location struct{ Code string } }
				}
			}
		}
		f.admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "OWN", quantity: 1}, {sku: "SUPPLIED", quantity: 2}], paid: true,
			shippingAddress: {city: "Bangkok", countryCode: "TH", latitude: 13.7367, longitude: 100.5231}}) {
			order { id number status allocations { location { code } } } } }`, nil, &placed)
		o := placed.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status)
		shipments := f.plan(t, o.ID)
		require.Len(t, shipments, 2)
		byCode := map[string]shipmentResult{}
		for _, s := range shipments {
			byCode[s.Location.Code] = s
		}
		require.Contains(t, byCode, "SUP")
		require.Contains(t, byCode, "BKK")
		supplied, own := byCode["SUP"], byCode["BKK"]
		require.Equal(t, "SUPPLIER", supplied.Method)
		require.Equal(t, "MANUAL", own.Method)

		// The supplier's shipment came with a purchase order naming the supplier and what to send.
		evs, err := f.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(o.ID), event.Type(events.KindPurchaseOrder)).All(context.Background())
		require.NoError(t, err)
		require.Len(t, evs, 1, "one purchase order, for the supplier's shipment only")
		require.Equal(t, f.locs["SUP"], evs[0].LocationID)
		require.Equal(t, supplied.ID, evs[0].Data["shipmentID"])
		require.Equal(t, f.locs["SUP"], evs[0].Data["supplierID"])
		require.Equal(t, []any{map[string]any{"sku": "SUPPLIED", "quantity": float64(2)}}, evs[0].Data["lines"])

		partner := func(loc string) string {
			_, key, err := f.srv.Inst.Keys.CreateBound(context.Background(), "supplier "+loc, auth.Partner, auth.Binding{LocationIDs: []pulid.ID{pulid.ID(f.locs[loc])}})
			require.NoError(t, err)
			return key
		}
		sup, sup2 := f.srv.Client(partner("SUP")), f.srv.Client(partner("SUP2"))

		// The supplier sees its shipment, not the warehouse's shipment of the same order.
		res := persisted(t, sup, "PartnerOpenShipments", nil)
		require.Empty(t, res.Errors)
		var list partnerShipments
		require.NoError(t, res.Decode(&list))
		require.Len(t, list.Shipments.Edges, 1)
		n := list.Shipments.Edges[0].Node
		require.Equal(t, supplied.ID, n.ID)
		require.Equal(t, "SUPPLIER", n.Method)
		require.Equal(t, o.Number, n.Order.Number)
		require.Len(t, n.Lines, 1)
		require.Equal(t, "SUPPLIED", n.Lines[0].SKU)
		require.Equal(t, 2, n.Lines[0].Quantity)

		// Another supplier sees nothing of it and cannot ship it.
		res = persisted(t, sup2, "PartnerOpenShipments", nil)
		require.Empty(t, res.Errors)
		require.NoError(t, res.Decode(&list))
		require.Empty(t, list.Shipments.Edges)
		ship := map[string]any{"shipmentID": supplied.ID, "carrier": "Flash", "trackingNumbers": []string{"FL-1"}}
		res = persisted(t, sup2, "PartnerShipShipment", ship)
		require.NotEmpty(t, res.Errors)
		require.Equal(t, "NOT_FOUND", res.Code())
		res = persisted(t, sup, "PartnerShipShipment", map[string]any{"shipmentID": own.ID, "carrier": "Flash", "trackingNumbers": []string{"FL-0"}})
		require.Equal(t, "NOT_FOUND", res.Code(), "nor may the supplier ship the warehouse's shipment")

		// Partners send no documents of their own.
		raw, err := sup.Do(context.Background(), `mutation($id: ID!) { shipShipment(input: {shipmentID: $id, carrier: "X", trackingNumbers: ["Y"]}) { shipment { id } } }`,
			map[string]any{"id": supplied.ID})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", raw.Code())

		// The supplier confirms with tracking.
		res = persisted(t, sup, "PartnerShipShipment", ship)
		require.Empty(t, res.Errors)
		var shipped struct {
			ShipShipment struct {
				Shipment struct {
					Status, Carrier string
					TrackingNumbers []string
				}
			}
		}
		require.NoError(t, res.Decode(&shipped))
		require.Equal(t, "SHIPPED", shipped.ShipShipment.Shipment.Status)
		require.Equal(t, "Flash", shipped.ShipShipment.Shipment.Carrier)
		require.Equal(t, []string{"FL-1"}, shipped.ShipShipment.Shipment.TrackingNumbers)
		status, ful := f.order(t, o.ID)
		require.Equal(t, "ALLOCATED", status)
		require.Equal(t, "PARTIALLY_FULFILLED", ful)
		onHand, reserved := f.level(t, "SUPPLIED", f.locs["SUP"])
		require.Equal(t, 98, onHand, "the supplier's units left its stock")
		require.Equal(t, 0, reserved)

		res = persisted(t, sup, "PartnerOpenShipments", nil)
		require.NoError(t, res.Decode(&list))
		require.Empty(t, list.Shipments.Edges, "nothing left to send")

		require.Equal(t, "SHIPPED", f.ship(t, own.ID, "Kerry", "KER-D1").Status)
		status, ful = f.order(t, o.ID)
		require.Equal(t, "SHIPPED", status)
		require.Equal(t, "FULFILLED", ful)
		f.srv.Audit(t)
	})
}
