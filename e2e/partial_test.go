package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/events"
)

// storefrontChannel makes the business's own STOREFRONT channel with the given partial-shipment
// setting; its settings also apply to orders placed through the API without a channel.
func (f *shipFixture) storefrontChannel(t *testing.T, partial string) string {
	var ch struct{ CreateChannel struct{ ID string } }
	f.admin.MustDo(t, `mutation { createChannel(input: {kind: STOREFRONT, name: "Own shop"}) { id } }`, nil, &ch)
	f.setPartial(t, ch.CreateChannel.ID, partial)
	return ch.CreateChannel.ID
}

func (f *shipFixture) setPartial(t *testing.T, channelID, partial string) {
	var out struct {
		SetChannelFulfilment struct {
			Channel struct {
				PartialShipments string
				ShipByAlertHours int
			}
		}
	}
	f.admin.MustDo(t, `mutation($ch: ID!, $p: ChannelPartialShipments!) {
		setChannelFulfilment(input: {channelID: $ch, partialShipments: $p, shipByAlertHours: 4}) { channel { partialShipments shipByAlertHours } } }`,
		map[string]any{"ch": channelID, "p": partial}, &out)
	require.Equal(t, partial, out.SetChannelFulfilment.Channel.PartialShipments)
	require.Equal(t, 4, out.SetChannelFulfilment.Channel.ShipByAlertHours)
}

// Must-show 2: a partially backordered order ships what it has; the rest ships as a second
// shipment when stock arrives. A WAIT_COMPLETE channel's backordered order waits.
func TestPartialOrderShipsWhatItHasThenTheRest(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		ch := f.storefrontChannel(t, "SHIP_PARTIAL")
		f.stock(t, "PART", map[string]int{"BKK": 1})
		var out struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "PART", "q": 3}, &out)
		o := out.PlaceOrder.Order
		require.Equal(t, "BACKORDERED", o.Status)
		require.Len(t, o.Allocations, 1)
		require.Equal(t, 1, o.Allocations[0].Quantity)

		// The unit in stock ships now.
		first := f.plan(t, o.ID)
		require.Len(t, first, 1)
		require.Equal(t, "BKK", first[0].Location.Code)
		require.Equal(t, 1, first[0].Lines[0].Quantity)
		require.Empty(t, f.plan(t, o.ID), "nothing else is allocated yet")
		require.Equal(t, "SHIPPED", f.ship(t, first[0].ID, "Kerry", "KER-P1").Status)
		status, ful := f.order(t, o.ID)
		require.Equal(t, "BACKORDERED", status, "two units still wait for stock")
		require.Equal(t, "PARTIALLY_FULFILLED", ful)

		// Stock arrives: the releaser allocates the rest.
		f.admin.MustDo(t, receive, map[string]any{"sku": "PART", "loc": f.locs["BKK"], "q": 2}, nil)
		require.Eventually(t, func() bool {
			status, _ := f.order(t, o.ID)
			return status == "ALLOCATED"
		}, 15*time.Second, 50*time.Millisecond, "the backorder is released when stock arrives")
		second := f.plan(t, o.ID)
		require.Len(t, second, 1, "the rest is a second shipment")
		require.NotEqual(t, first[0].ID, second[0].ID)
		require.NotEqual(t, first[0].Number, second[0].Number)
		require.Equal(t, 2, second[0].Lines[0].Quantity)
		require.Equal(t, "SHIPPED", f.ship(t, second[0].ID, "Kerry", "KER-P2").Status)
		status, ful = f.order(t, o.ID)
		require.Equal(t, "SHIPPED", status)
		require.Equal(t, "FULFILLED", ful)

		// The same shop set to WAIT_COMPLETE: a backordered order is not planned.
		f.setPartial(t, ch, "WAIT_COMPLETE")
		f.stock(t, "WAIT", map[string]int{"BKK": 1})
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "WAIT", "q": 2}, &out)
		waiting := out.PlaceOrder.Order
		require.Equal(t, "BACKORDERED", waiting.Status)
		res, err := f.admin.Do(t.Context(), `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": waiting.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		require.Contains(t, res.Errors[0].Message, "WAIT_COMPLETE")

		// Only managers set the policy; bad input is refused.
		res, err = f.admin.Do(t.Context(), `mutation($ch: ID!) { setChannelFulfilment(input: {channelID: $ch, shipByAlertHours: -1}) { channel { id } } }`, map[string]any{"ch": ch})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())
		f.srv.Audit(t)
	})
}

// Without any STOREFRONT channel, an API order follows the schema's default, WAIT_COMPLETE.
func TestPartialDefaultsToWaitComplete(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "NOCH", map[string]int{"BKK": 1})
		var out struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "NOCH", "q": 2}, &out)
		require.Equal(t, "BACKORDERED", out.PlaceOrder.Order.Status)
		res, err := f.admin.Do(t.Context(), `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": out.PlaceOrder.Order.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		f.srv.Audit(t)
	})
}

// splitShipment moves part of a line into a new shipment at the same location: the allocation is
// split in two, reservations stay exact, both shipments are packed and ship on their own.
func TestSplitShipment(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "SPL-A", map[string]int{"BKK": 10})
		f.stock(t, "SPL-B", map[string]int{"BKK": 10})
		var placedOut struct {
			PlaceOrder struct {
				Order struct {
					ID, Status string
					Lines      []struct {
						ID, Sku string
					}
				}
			}
		}
		f.admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "SPL-A", quantity: 4}, {sku: "SPL-B", quantity: 1}], paid: true,
			shippingAddress: {city: "Bangkok", countryCode: "TH", latitude: 13.7367, longitude: 100.5231}}) { order { id status lines { id sku } } } }`, nil, &placedOut)
		o := placedOut.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status)
		lineA, lineB := o.Lines[0].ID, o.Lines[1].ID
		if o.Lines[0].Sku != "SPL-A" {
			lineA, lineB = lineB, lineA
		}
		shipments := f.plan(t, o.ID)
		require.Len(t, shipments, 1)
		sh := shipments[0]
		f.admin.MustDo(t, `mutation($id: ID!) { pickShipment(input: {shipmentID: $id}) { shipment { status } } }`, map[string]any{"id": sh.ID}, nil)

		const split = `mutation($id: ID!, $lines: [SplitShipmentLineInput!]!) { splitShipment(input: {shipmentID: $id, lines: $lines}) {
			shipment { ` + shipmentFields + ` } newShipment { ` + shipmentFields + ` } } }`
		var out struct {
			SplitShipment struct{ Shipment, NewShipment shipmentResult }
		}
		f.admin.MustDo(t, split, map[string]any{"id": sh.ID, "lines": []map[string]any{
			{"orderLineID": lineA, "quantity": 1}, {"orderLineID": lineB, "quantity": 1}}}, &out)
		old, made := out.SplitShipment.Shipment, out.SplitShipment.NewShipment
		require.Equal(t, "PICKING", old.Status)
		require.Equal(t, "OPEN", made.Status)
		require.Equal(t, "BKK", made.Location.Code)
		require.NotEqual(t, old.Number, made.Number)
		units := func(s shipmentResult) map[string]int {
			m := map[string]int{}
			for _, l := range s.Lines {
				m[l.SKU] += l.Quantity
			}
			return m
		}
		packed := func(s shipmentResult) map[string]int {
			m := map[string]int{}
			for _, p := range s.Packages {
				for _, c := range p.Contents {
					m[c.SKU] += c.Quantity
				}
			}
			return m
		}
		require.Equal(t, map[string]int{"SPL-A": 3}, units(old))
		require.Equal(t, map[string]int{"SPL-A": 3}, packed(old), "the shipment split is packed again")
		require.Equal(t, map[string]int{"SPL-A": 1, "SPL-B": 1}, units(made))
		require.Equal(t, map[string]int{"SPL-A": 1, "SPL-B": 1}, packed(made))
		evs, err := f.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(o.ID)).Order(event.ByID()).All(context.Background())
		require.NoError(t, err)
		var splitEvents, created int
		for _, e := range evs {
			switch {
			case e.Type == events.KindShipmentUpdated && e.Data["command"] == "SPLIT":
				splitEvents++
				require.Equal(t, old.ID, e.Data["shipmentID"])
			case e.Type == events.KindShipmentCreated && e.Data["shipmentID"] == made.ID:
				created++
				require.Equal(t, float64(2), e.Data["units"])
			}
		}
		require.Equal(t, 1, splitEvents, "the split shipment's event")
		require.Equal(t, 1, created, "the new shipment's event")

		// The allocation of line A is now two (3 + 1); BKK still reserves 4 + 1.
		var got struct {
			Node struct {
				Allocations []struct {
					Quantity int
					Status   string
					Variant  struct{ Sku string }
				}
			}
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { allocations { quantity status variant { sku } } } } }`, map[string]any{"id": o.ID}, &got)
		var quantities []int
		for _, a := range got.Node.Allocations {
			if a.Variant.Sku == "SPL-A" {
				quantities = append(quantities, a.Quantity)
				require.Equal(t, "OPEN", a.Status)
			}
		}
		require.ElementsMatch(t, []int{3, 1}, quantities)
		var lv struct {
			InventoryLevels struct {
				Edges []struct {
					Node struct {
						Reserved, OnHand int
						Variant          struct{ Sku string }
					}
				}
			}
		}
		f.admin.MustDo(t, `query($loc: ID!) { inventoryLevels(where: {locationID: $loc}) { edges { node { reserved onHand variant { sku } } } } }`, map[string]any{"loc": f.locs["BKK"]}, &lv)
		reserved := map[string]int{}
		for _, e := range lv.InventoryLevels.Edges {
			reserved[e.Node.Variant.Sku] = e.Node.Reserved
		}
		require.Equal(t, map[string]int{"SPL-A": 4, "SPL-B": 1}, reserved)
		f.srv.Audit(t)

		// Bad splits change nothing: moving everything, more than there is, a line not in it.
		for _, lines := range [][]map[string]any{
			{{"orderLineID": lineA, "quantity": 3}},
			{{"orderLineID": lineA, "quantity": 5}},
			{{"orderLineID": lineB, "quantity": 1}},
		} {
			res, err := f.admin.Do(t.Context(), split, map[string]any{"id": old.ID, "lines": lines})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%v", lines)
		}

		// Each ships on its own; the order ships when both have.
		require.Equal(t, "SHIPPED", f.ship(t, made.ID, "Kerry", "KER-S1").Status)
		status, ful := f.order(t, o.ID)
		require.Equal(t, "PICKING", status)
		require.Equal(t, "PARTIALLY_FULFILLED", ful)
		res, err := f.admin.Do(t.Context(), split, map[string]any{"id": made.ID, "lines": []map[string]any{{"orderLineID": lineA, "quantity": 1}}})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "a shipped shipment is not split")
		require.Equal(t, "SHIPPED", f.ship(t, old.ID, "Kerry", "KER-S2").Status)
		status, ful = f.order(t, o.ID)
		require.Equal(t, "SHIPPED", status)
		require.Equal(t, "FULFILLED", ful)
		f.srv.Audit(t)
	})
}
