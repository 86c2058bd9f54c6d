package e2e_test

// Issue 10, cancellations by line and unit: exactly the cancelled units' stock is released where it
// was held, the rest stays allocated, picking started is a CONFLICT, units handed over become a
// return through the Returner.

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentline"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/ordotest"
)

const cancelLinesOp = `mutation($o: ID!, $l: ID!, $q: Int!) {
  cancelOrderLines(input: {orderID: $o, lines: [{lineID: $l, quantity: $q}], reason: "customer changed their mind"}) {
    order { id status version lines { id quantity cancelledQuantity } } } }`

type cancelledOrder struct {
	CancelOrderLines struct {
		Order struct {
			ID, Status string
			Version    int
			Lines      []struct {
				ID                          string
				Quantity, CancelledQuantity int
			}
		}
	}
}

// placedLine places an order of q units of sku shipped to Bangkok and returns it with its one line.
func placedLine(t *testing.T, f *shipFixture, sku string, q int) (orderID, lineID pulid.ID) {
	t.Helper()
	var out struct {
		PlaceOrder struct{ Order routedOrderResult }
	}
	f.admin.MustDo(t, routedOrder, map[string]any{"sku": sku, "q": q}, &out)
	o := out.PlaceOrder.Order
	l, err := f.srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(pulid.ID(o.ID))).Only(context.Background())
	require.NoError(t, err)
	return pulid.ID(o.ID), l.ID
}

// levelOf is sku's stock level at the location with code.
func levelOf(t *testing.T, f *shipFixture, sku, code string) *ent.InventoryLevel {
	t.Helper()
	l, err := f.srv.Inst.DB.Client.InventoryLevel.Query().
		Where(inventorylevel.HasVariantWith(variant.Sku(sku)), inventorylevel.LocationID(pulid.ID(f.locs[code]))).Only(context.Background())
	require.NoError(t, err)
	return l
}

// openAllocations sums an order's open allocations by location code.
func openAllocations(t *testing.T, f *shipFixture, orderID pulid.ID) map[string]int64 {
	t.Helper()
	as, err := f.srv.Inst.DB.Client.Allocation.Query().Where(allocation.OrderID(orderID), allocation.StatusEQ(allocation.StatusOPEN)).
		WithLocation().All(context.Background())
	require.NoError(t, err)
	out := map[string]int64{}
	for _, a := range as {
		out[a.Edges.Location.Code] += a.Quantity
	}
	return out
}

func TestCancelUnitsOfALineReleasesExactlyThem(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "CXL", map[string]int{"BKK": 5, "JKT": 5})
		orderID, lineID := placedLine(t, f, "CXL", 3)
		require.Equal(t, map[string]int64{"BKK": 3}, openAllocations(t, f, orderID), "routed to the nearest warehouse")
		shipments := f.plan(t, string(orderID))
		require.Len(t, shipments, 1)

		var out cancelledOrder
		f.admin.MustDo(t, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 2}, &out)
		o := out.CancelOrderLines.Order
		require.Equal(t, "ALLOCATED", o.Status)
		require.Equal(t, 2, o.Version)
		require.Equal(t, 3, o.Lines[0].Quantity)
		require.Equal(t, 2, o.Lines[0].CancelledQuantity)

		// Exactly two units were released, at BKK; one stays allocated there; JKT untouched.
		require.Equal(t, map[string]int64{"BKK": 1}, openAllocations(t, f, orderID))
		require.Equal(t, int64(1), levelOf(t, f, "CXL", "BKK").Reserved)
		require.Equal(t, int64(0), levelOf(t, f, "CXL", "JKT").Reserved)
		// The open shipment carries what is left, packed again.
		ctx := context.Background()
		lines, err := f.srv.Inst.DB.Client.ShipmentLine.Query().Where(shipmentline.ShipmentID(pulid.ID(shipments[0].ID))).All(ctx)
		require.NoError(t, err)
		require.Len(t, lines, 1)
		require.Equal(t, int64(1), lines[0].Quantity)
		// The totals follow the units still wanted.
		stored, err := f.srv.Inst.DB.Client.Order.Get(ctx, orderID)
		require.NoError(t, err)
		require.Equal(t, int64(1000), stored.SubtotalAmount)
		f.srv.Audit(t)

		// More than the line still wants is refused; the last unit cancels the order.
		res, err := f.admin.Do(ctx, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 2})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		f.admin.MustDo(t, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1}, &out)
		require.Equal(t, "CANCELLED", out.CancelOrderLines.Order.Status)
		require.Empty(t, openAllocations(t, f, orderID))
		sh, err := f.srv.Inst.DB.Client.Shipment.Get(ctx, pulid.ID(shipments[0].ID))
		require.NoError(t, err)
		require.Equal(t, shipment.StatusCANCELLED, sh.Status, "the emptied shipment is cancelled")
		require.Equal(t, int64(0), levelOf(t, f, "CXL", "BKK").Reserved)
		f.srv.Audit(t)
	})
}

func TestCancelUnitsBackorderedFirstThenPickingStartedIsAConflict(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "BKO", map[string]int{"BKK": 2})
		orderID, lineID := placedLine(t, f, "BKO", 3) // 2 allocated, 1 backordered
		require.Equal(t, map[string]int64{"BKK": 2}, openAllocations(t, f, orderID))

		var out cancelledOrder
		f.admin.MustDo(t, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1}, &out)
		require.Equal(t, "ALLOCATED", out.CancelOrderLines.Order.Status, "the backordered unit went first: the rest is all allocated")
		require.Equal(t, map[string]int64{"BKK": 2}, openAllocations(t, f, orderID), "no stock was released for it")

		shipments := f.plan(t, string(orderID))
		f.admin.MustDo(t, `mutation($id: ID!) { pickShipment(input: {shipmentID: $id}) { shipment { status } } }`, map[string]any{"id": shipments[0].ID}, nil)
		ctx := context.Background()
		before := changeFingerprint(t, f.srv)
		res, err := f.admin.Do(ctx, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		require.Contains(t, res.Errors[0].Message, "picking started")
		require.Equal(t, before, changeFingerprint(t, f.srv), "a refused cancellation changes nothing")
		f.srv.Audit(t)
	})
}

// fakeReturner records what CancelLines hands it.
type fakeReturner struct {
	mu    sync.Mutex
	lines []orders.ReturnLine
}

func (r *fakeReturner) ReturnAfterHandover(_ context.Context, _ *ent.Tx, _ pulid.ID, lines []orders.ReturnLine, _ string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, lines...)
	return nil
}

func TestCancelAfterHandoverBecomesAReturnOnlyWithAReturner(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "GONE", map[string]int{"BKK": 3})
		orderID, lineID := placedLine(t, f, "GONE", 2)
		shipments := f.plan(t, string(orderID))
		f.ship(t, shipments[0].ID, "Kerry", "KE100")
		ctx := context.Background()

		f.srv.Inst.Orders.Returner = nil
		res, err := f.admin.Do(ctx, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "without returns, a shipped unit cannot be cancelled")

		ret := &fakeReturner{}
		f.srv.Inst.Orders.Returner = ret
		t.Cleanup(func() { f.srv.Inst.Orders.Returner = nil })
		var out cancelledOrder
		f.admin.MustDo(t, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1}, &out)
		require.Equal(t, []orders.ReturnLine{{OrderLineID: lineID, Quantity: 1}}, ret.lines)
		require.Equal(t, 0, out.CancelOrderLines.Order.Lines[0].CancelledQuantity, "a return is not a cancellation")
		require.Equal(t, "SHIPPED", out.CancelOrderLines.Order.Status)
		f.srv.Audit(t)
	})
}

// changeFingerprint is the store as input_test fingerprints it, orders and locations by their
// numbers (their addresses print as pointers).
func changeFingerprint(t *testing.T, srv *ordotest.Server) inputStoreState {
	t.Helper()
	st := inputFingerprint(t, srv)
	st.Locations = nil
	os, err := srv.Inst.DB.Client.Order.Query().Order(ent.Asc(order.FieldID)).All(context.Background())
	require.NoError(t, err)
	st.Orders = nil
	for _, o := range os {
		st.Orders = append(st.Orders, fmt.Sprintf("%s %s %s v%d %d/%d %s %s", o.ID, o.Status, o.FulfillmentStatus, o.Version,
			o.SubtotalAmount, o.TotalAmount, o.ShippingMethod, o.ShippingAddress.City))
	}
	return st
}

// Must-show 6: a marketplace that cancels single units (Lazada, TikTok Shop) cancels one of three;
// Ordo releases exactly that unit and keeps the other two allocated, and does not echo the
// cancellation back to the channel.
func TestChannelCancelsOneUnit(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		kinds := []channels.Kind{channels.Lazada, channels.TikTokShop}
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: kinds})
		ctx := context.Background()
		for i, kind := range kinds {
			sh := m.Shops[kind]
			so, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 3}}})
			require.NoError(t, err)
			o := channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusALLOCATED)
			l, err := srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).Only(ctx)
			require.NoError(t, err)
			require.Len(t, l.ExternalUnitIds, 3, "%s keeps one id per unit", kind)
			left := int64(2 * (i + 1)) // two units of each order so far stay reserved

			gone := l.ExternalUnitIds[1]
			require.NoError(t, sh.CancelUnits(so.ID, []string{gone}, "buyer cancelled one"))
			require.Eventually(t, func() bool {
				l, err = srv.Inst.DB.Client.OrderLine.Get(ctx, l.ID)
				return err == nil && l.CancelledQuantity == 1
			}, channelWait, 10*time.Millisecond, "%s: the unit was never cancelled in Ordo", kind)
			require.Equal(t, gone, l.ExternalUnitIds[2], "the cancelled unit is kept last")

			var open int64
			as, err := srv.Inst.DB.Client.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN)).All(ctx)
			require.NoError(t, err)
			for _, a := range as {
				open += a.Quantity
			}
			require.Equal(t, int64(2), open, "%s: the other two units stay allocated", kind)
			lv, err := srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.HasVariantWith(variant.Sku("TEE-M"))).Only(ctx)
			require.NoError(t, err)
			require.Equal(t, left, lv.Reserved, "%s: exactly one unit released", kind)
			o, err = srv.Inst.DB.Client.Order.Get(ctx, o.ID)
			require.NoError(t, err)
			require.Equal(t, order.StatusALLOCATED, o.Status)
			require.Equal(t, 2*so.Lines[0].UnitPrice, o.SubtotalAmount)
			require.Empty(t, sh.Confirmations(), "%s: a channel's own cancellation is not sent back", kind)
		}
		srv.Audit(t)
	})
}

// Ordo cancels one unit of a Lazada order: Lazada hears a partial cancellation naming just that
// unit, and its webhook back changes nothing more.
func TestOrdoCancelsOneUnitOnLazada(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Lazada}})
		sh := m.Shops[channels.Lazada]
		ctx := context.Background()
		so, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 3}}})
		require.NoError(t, err)
		o := channelOrder(t, srv, m.Channels[channels.Lazada], so.ID, order.StatusALLOCATED)
		l, err := srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).Only(ctx)
		require.NoError(t, err)

		var out cancelledOrder
		srv.Admin().MustDo(t, cancelLinesOp, map[string]any{"o": o.ID, "l": l.ID, "q": 1}, &out)
		require.Equal(t, 1, out.CancelOrderLines.Order.Lines[0].CancelledQuantity)
		require.Eventually(t, func() bool { return len(sh.Confirmations()) == 1 }, channelWait, 10*time.Millisecond, "Lazada never heard")
		c := sh.Confirmations()[0]
		require.False(t, c.Shipped)
		require.Equal(t, []string{l.ExternalUnitIds[2]}, c.Units, "just the cancelled unit, the line's last")
		got, ok := sh.Order(so.ID)
		require.True(t, ok)
		require.Equal(t, marketsim.ToShip, got.Status, "the rest of the order goes on")

		// Lazada's webhook for its own change converges on what Ordo already did.
		time.Sleep(300 * time.Millisecond)
		l, err = srv.Inst.DB.Client.OrderLine.Get(ctx, l.ID)
		require.NoError(t, err)
		require.Equal(t, int64(1), l.CancelledQuantity)
		require.Len(t, sh.Confirmations(), 1, "nothing echoed back and forth")
		srv.Audit(t)
	})
}

// A storefront key cancels units of its own customer's unpaid order; another customer's order is
// not found, and a paid one is for the shop to cancel.
func TestStorefrontCancelsUnitsOfItsOwnUnpaidOrderOnly(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "SF", map[string]int{"BKK": 10})
		ctx := context.Background()
		place := func(email string, paid bool) (pulid.ID, pulid.ID, pulid.ID) {
			var out struct {
				PlaceOrder struct {
					Order struct {
						ID       pulid.ID
						Customer struct{ ID pulid.ID }
						Lines    []struct{ ID pulid.ID }
					}
				}
			}
			f.admin.MustDo(t, `mutation($e: String!, $p: Boolean!) { placeOrder(input: {lines: [{sku: "SF", quantity: 2}], paid: $p,
			  customer: {email: $e}, shippingAddress: {city: "Bangkok", countryCode: "TH", latitude: 13.7, longitude: 100.5}}) {
			  order { id customer { id } lines { id } } } }`, map[string]any{"e": email, "p": paid}, &out)
			o := out.PlaceOrder.Order
			return o.ID, o.Lines[0].ID, o.Customer.ID
		}
		mine, mineLine, me := place("me@example.com", false)
		paid, paidLine, _ := place("me@example.com", true)
		theirs, theirsLine, _ := place("them@example.com", false)
		sf := f.srv.Client(f.srv.Key(t, "STOREFRONT", &me))

		var out cancelledOrder
		sf.MustDo(t, cancelLinesOp, map[string]any{"o": mine, "l": mineLine, "q": 1}, &out)
		require.Equal(t, 1, out.CancelOrderLines.Order.Lines[0].CancelledQuantity)
		for _, c := range []struct {
			order, line pulid.ID
			code        string
		}{{theirs, theirsLine, "NOT_FOUND"}, {paid, paidLine, "FORBIDDEN"}} {
			res, err := sf.Do(ctx, cancelLinesOp, map[string]any{"o": c.order, "l": c.line, "q": 1})
			require.NoError(t, err)
			require.Equal(t, c.code, res.Code())
		}
		f.srv.Audit(t)
	})
}

// Concurrent cancellations of one line: each either applies or is a CONFLICT, and the line, the
// reservations and the ledger agree on exactly the units that were cancelled.
func TestConcurrentUnitCancellationsAgree(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "RACE", map[string]int{"BKK": 10})
		orderID, lineID := placedLine(t, f, "RACE", 8)
		ctx := context.Background()
		var (
			wg sync.WaitGroup
			mu sync.Mutex
			ok int
		)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.admin.Do(ctx, cancelLinesOp, map[string]any{"o": orderID, "l": lineID, "q": 1})
				if err != nil {
					t.Error(err)
					return
				}
				if len(res.Errors) == 0 {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if res.Code() != "CONFLICT" {
					t.Errorf("unexpected %s: %s", res.Code(), res.Errors[0].Message)
				}
			}()
		}
		wg.Wait()
		require.Positive(t, ok)
		l, err := f.srv.Inst.DB.Client.OrderLine.Get(ctx, lineID)
		require.NoError(t, err)
		require.Equal(t, int64(ok), l.CancelledQuantity)
		require.Equal(t, map[string]int64{"BKK": int64(8 - ok)}, openAllocations(t, f, orderID))
		require.Equal(t, int64(8-ok), levelOf(t, f, "RACE", "BKK").Reserved)
		o, err := f.srv.Inst.DB.Client.Order.Get(ctx, orderID)
		require.NoError(t, err)
		require.Equal(t, 1+ok, o.Version)
		require.Equal(t, int64(1000*(8-ok)), o.SubtotalAmount)
		f.srv.Audit(t)
	})
}

// Units cancelled on one order free stock another order waits for: the backorder is released.
func TestCancelledUnitsServeABackorder(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "SCARCE", map[string]int{"BKK": 3})
		first, line := placedLine(t, f, "SCARCE", 3)
		waiting, _ := placedLine(t, f, "SCARCE", 2)
		ctx := context.Background()
		o, err := f.srv.Inst.DB.Client.Order.Get(ctx, waiting)
		require.NoError(t, err)
		require.Equal(t, "BACKORDERED", string(o.Status))

		f.admin.MustDo(t, cancelLinesOp, map[string]any{"o": first, "l": line, "q": 2}, nil)
		require.Eventually(t, func() bool {
			o, err = f.srv.Inst.DB.Client.Order.Get(ctx, waiting)
			return err == nil && o.Status == "ALLOCATED"
		}, 10*time.Second, 20*time.Millisecond, "the waiting order was never allocated")
		require.Equal(t, map[string]int64{"BKK": 1}, openAllocations(t, f, first))
		require.Equal(t, map[string]int64{"BKK": 2}, openAllocations(t, f, waiting))
		f.srv.Audit(t)
	})
}
