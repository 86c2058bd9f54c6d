package e2e_test

// Issue 10, order edits before picking: quantities up and down, lines added and removed, a new
// address that routes the order to the other warehouse, and edits refused once picking started or
// when stock is short, changing nothing.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipmentline"
)

const editOrderOp = `mutation($in: EditOrderInput!) { editOrder(input: $in) { order { id status version shippingMethod
  lines { id sku quantity cancelledQuantity } } } }`

type editedOrder struct {
	EditOrder struct {
		Order struct {
			ID, Status, ShippingMethod string
			Version                    int
			Lines                      []struct {
				ID, SKU                     string
				Quantity, CancelledQuantity int
			}
		}
	}
}

func (f *shipFixture) edit(t *testing.T, in map[string]any) editedOrder {
	t.Helper()
	var out editedOrder
	f.admin.MustDo(t, editOrderOp, map[string]any{"in": in}, &out)
	return out
}

func (f *shipFixture) lineOf(t *testing.T, orderID pulid.ID, sku string) pulid.ID {
	t.Helper()
	l, err := f.srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(orderID), orderline.Sku(sku)).Only(context.Background())
	require.NoError(t, err)
	return l.ID
}

func TestEditQuantitiesAndLinesBeforePicking(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "EDA", map[string]int{"BKK": 5})
		f.stock(t, "EDB", map[string]int{"BKK": 2})
		orderID, lineA := placedLine(t, f, "EDA", 2)
		shipments := f.plan(t, string(orderID))
		require.Len(t, shipments, 1)
		ctx := context.Background()

		// Up: two more units reserved at BKK, in the open shipment.
		out := f.edit(t, map[string]any{"orderID": orderID, "setQuantities": []any{map[string]any{"lineID": lineA, "quantity": 4}}, "reason": "buyer wants more"})
		require.Equal(t, "ALLOCATED", out.EditOrder.Order.Status)
		require.Equal(t, 2, out.EditOrder.Order.Version)
		require.Equal(t, map[string]int64{"BKK": 4}, openAllocations(t, f, orderID))
		require.Equal(t, int64(4), levelOf(t, f, "EDA", "BKK").Reserved)
		sl, err := f.srv.Inst.DB.Client.ShipmentLine.Query().Where(shipmentline.ShipmentID(pulid.ID(shipments[0].ID))).All(ctx)
		require.NoError(t, err)
		var units int64
		for _, l := range sl {
			units += l.Quantity
		}
		require.Equal(t, int64(4), units, "the open shipment was packed again with the new units")

		// Down, a line added and a shipping method, in one edit.
		out = f.edit(t, map[string]any{"orderID": orderID, "setQuantities": []any{map[string]any{"lineID": lineA, "quantity": 1}},
			"addLines": []any{map[string]any{"sku": "EDB", "quantity": 2}}, "shippingMethod": "EXPRESS"})
		require.Equal(t, 3, out.EditOrder.Order.Version)
		require.Equal(t, "EXPRESS", out.EditOrder.Order.ShippingMethod)
		require.Equal(t, int64(1), levelOf(t, f, "EDA", "BKK").Reserved)
		require.Equal(t, int64(2), levelOf(t, f, "EDB", "BKK").Reserved)
		stored, err := f.srv.Inst.DB.Client.Order.Get(ctx, orderID)
		require.NoError(t, err)
		require.Equal(t, int64(3000), stored.SubtotalAmount, "1 × EDA + 2 × EDB")
		require.Equal(t, int64(3000), stored.TotalAmount)

		// More than the stock, without backorders: INSUFFICIENT_STOCK, nothing changes.
		lineB := f.lineOf(t, orderID, "EDB")
		before := changeFingerprint(t, f.srv)
		res, err := f.admin.Do(ctx, editOrderOp, map[string]any{"in": map[string]any{"orderID": orderID,
			"setQuantities": []any{map[string]any{"lineID": lineB, "quantity": 5}}}})
		require.NoError(t, err)
		require.Equal(t, "INSUFFICIENT_STOCK", res.Code())
		require.Equal(t, before, changeFingerprint(t, f.srv))

		// Remove a line: its units are released.
		out = f.edit(t, map[string]any{"orderID": orderID, "removeLines": []any{lineB}})
		require.Equal(t, int64(0), levelOf(t, f, "EDB", "BKK").Reserved)
		require.Equal(t, map[string]int64{"BKK": 1}, openAllocations(t, f, orderID))
		for _, l := range out.EditOrder.Order.Lines {
			if l.SKU == "EDB" {
				require.Equal(t, l.Quantity, l.CancelledQuantity)
			}
		}
		f.srv.Audit(t)
	})
}

func TestEditAddressRoutesToTheOtherWarehouse(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "MOVE", map[string]int{"BKK": 3, "JKT": 3})
		orderID, _ := placedLine(t, f, "MOVE", 2)
		require.Equal(t, map[string]int64{"BKK": 2}, openAllocations(t, f, orderID))
		f.plan(t, string(orderID))

		f.edit(t, map[string]any{"orderID": orderID, "shippingAddress": map[string]any{"city": "Jakarta", "countryCode": "ID",
			"latitude": -6.2, "longitude": 106.8}, "reason": "buyer moved"})
		require.Equal(t, map[string]int64{"JKT": 2}, openAllocations(t, f, orderID), "routed again from the new address")
		require.Equal(t, int64(0), levelOf(t, f, "MOVE", "BKK").Reserved)
		require.Equal(t, int64(2), levelOf(t, f, "MOVE", "JKT").Reserved)
		o, err := f.srv.Inst.DB.Client.Order.Get(context.Background(), orderID)
		require.NoError(t, err)
		require.Equal(t, "Jakarta", o.ShippingAddress.City)
		require.NotNil(t, o.PromisedDeliveryTo)
		f.srv.Audit(t)
	})
}

func TestEditAfterPickingIsAConflict(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "LATE", map[string]int{"BKK": 5})
		orderID, lineID := placedLine(t, f, "LATE", 2)
		shipments := f.plan(t, string(orderID))
		f.admin.MustDo(t, `mutation($id: ID!) { pickShipment(input: {shipmentID: $id}) { shipment { status } } }`, map[string]any{"id": shipments[0].ID}, nil)
		ctx := context.Background()
		before := changeFingerprint(t, f.srv)
		for _, in := range []map[string]any{
			{"orderID": orderID, "setQuantities": []any{map[string]any{"lineID": lineID, "quantity": 3}}},
			{"orderID": orderID, "removeLines": []any{lineID}},
			{"orderID": orderID, "shippingMethod": "EXPRESS"},
		} {
			res, err := f.admin.Do(ctx, editOrderOp, map[string]any{"in": in})
			require.NoError(t, err)
			require.Equal(t, "CONFLICT", res.Code(), "%v", in)
		}
		require.Equal(t, before, changeFingerprint(t, f.srv), "a refused edit changes nothing")
		f.srv.Audit(t)
	})
}

// A Shopify merchant edits an order (orders/edited names the order only): Ordo reads the lines'
// current quantities back and converges the same way as its own edit: a unit fewer of one line is
// released, more of another and a new line are reserved.
func TestShopifyOrderEditConverges(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify}})
		sh := m.Shops[channels.Shopify]
		ctx := context.Background()
		so := order2(t, sh) // 2 TEE-M, 1 CAP
		o := channelOrder(t, srv, m.Channels[channels.Shopify], so.ID, order.StatusALLOCATED)

		require.NoError(t, sh.EditOrder(so.ID, map[string]int64{so.Lines[0].ID: 1, so.Lines[1].ID: 3},
			[]marketsim.SpecLine{{ListingID: listingOf(t, sh, "CAP"), Quantity: 1}}))
		var lines []*ent.OrderLine
		require.Eventually(t, func() bool {
			var err error
			lines, err = srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).Order(ent.Asc(orderline.FieldID)).All(ctx)
			return err == nil && len(lines) == 3
		}, channelWait, 10*time.Millisecond, "the edit never converged")
		want := map[string]int64{}
		for _, l := range lines {
			want[l.Sku] += l.Quantity - l.CancelledQuantity
		}
		require.Equal(t, map[string]int64{"TEE-M": 1, "CAP": 4}, want)
		var open = map[string]int64{}
		as, err := srv.Inst.DB.Client.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN)).WithVariant().All(ctx)
		require.NoError(t, err)
		for _, a := range as {
			open[a.Edges.Variant.Sku] += a.Quantity
		}
		require.Equal(t, map[string]int64{"TEE-M": 1, "CAP": 4}, open, "exactly the wanted units are reserved")
		o, err = srv.Inst.DB.Client.Order.Get(ctx, o.ID)
		require.NoError(t, err)
		require.Equal(t, order.StatusALLOCATED, o.Status)
		require.Equal(t, 2, o.Version)
		n, err := srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(o.ID)), event.Type("order.edited")).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		srv.Audit(t)
	})
}
