package e2e_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/disposition"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/returns"
)

// refundFixture is a warehouse with stock, a customer's storefront key, and orders placed, shipped
// and returned for refund and exchange tests.
type refundFixture struct {
	srv   *ordotest.Server
	admin *ordotest.Client
	loc   pulid.ID
}

func newRefundFixture(t *testing.T, url string) *refundFixture {
	srv := ordotest.Start(t, url)
	return &refundFixture{srv: srv, admin: srv.Admin(), loc: srv.Location(t, "RF-A", 1).ID}
}

// system is the context the tests call the returns package with (Ordo's own work).
func refundSystem() context.Context { return auth.NewContext(context.Background(), auth.System) }

// sku makes a variant priced price with stock units at the fixture's warehouse.
func (f *refundFixture) sku(t *testing.T, sku string, price int64, stock int) {
	var p struct{ CreateProduct struct{ ID string } }
	f.admin.MustDo(t, `mutation($n: String!) { createProduct(input: {name: $n}) { id } }`, map[string]any{"n": sku}, &p)
	f.admin.MustDo(t, `mutation($s: String!, $p: ID!, $price: Int!) { createVariant(input: {sku: $s, name: $s, productID: $p, priceAmount: $price, currency: "USD", weightGrams: 300, lengthMm: 200, widthMm: 150, heightMm: 50}) { id } }`,
		map[string]any{"s": sku, "p": p.CreateProduct.ID, "price": price}, nil)
	f.admin.MustDo(t, `mutation($s: String!, $l: ID!, $q: Int!) { receiveStock(input: {sku: $s, locationID: $l, quantity: $q}) { replayed } }`,
		map[string]any{"s": sku, "l": f.loc, "q": stock}, nil)
}

type refundOrder struct {
	ID, CustomerID pulid.ID
	Lines          []struct{ ID pulid.ID }
}

// shipped places a paid order with extra input fields, and ships it.
func (f *refundFixture) shipped(t *testing.T, lines []any, extra map[string]any) refundOrder {
	in := map[string]any{"lines": lines, "paid": true, "customer": map[string]any{"email": "buyer@example.com"}}
	for k, v := range extra {
		in[k] = v
	}
	var out struct {
		PlaceOrder struct{ Order refundOrder }
	}
	f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id customerID lines { id } } } }`, map[string]any{"in": in}, &out)
	o := out.PlaceOrder.Order
	f.ship(t, o.ID)
	return o
}

func (f *refundFixture) ship(t *testing.T, id pulid.ID) {
	f.admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "RF-1"}) { order { status } } }`,
		map[string]any{"id": id}, nil)
}

// returned asks back quantity units of each given line, approved (an agent's return).
func (f *refundFixture) returned(t *testing.T, orderID pulid.ID, lines map[pulid.ID]int64) *ent.OrderReturn {
	in := returns.RequestInput{OrderID: orderID, Approve: true}
	for id, q := range lines {
		in.Lines = append(in.Lines, returns.LineInput{OrderLineID: id, Quantity: q})
	}
	r, err := f.srv.Inst.Refunds.Returns.Request(refundSystem(), in)
	require.NoError(t, err)
	return r
}

// receiveAll receives every unit of return r at the fixture's warehouse.
func (f *refundFixture) receiveAll(t *testing.T, r *ent.OrderReturn) {
	lines, err := r.QueryLines().All(context.Background())
	require.NoError(t, err)
	in := returns.ReceiveInput{ReturnID: r.ID, LocationID: f.loc}
	for _, l := range lines {
		in.Lines = append(in.Lines, returns.ReceiveLine{ReturnLineID: l.ID, Quantity: l.Quantity})
	}
	_, err = f.srv.Inst.Refunds.Returns.Receive(refundSystem(), in)
	require.NoError(t, err)
}

type orderMoney struct {
	Status, PaymentStatus string
	Refunded, BalanceDue  struct{ Amount int64 }
}

func (f *refundFixture) order(t *testing.T, id pulid.ID) orderMoney {
	var out struct{ Node orderMoney }
	f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status paymentStatus refunded { amount } balanceDue { amount } } } }`,
		map[string]any{"id": id}, &out)
	return out.Node
}

// refundState is what a refused refund must leave alone: orders, refunds, returns and events.
func refundState(t *testing.T, srv *ordotest.Server) []string {
	ctx := context.Background()
	c := srv.Inst.DB.Client
	var out []string
	os, err := c.Order.Query().Order(ent.Asc("id")).All(ctx)
	require.NoError(t, err)
	for _, o := range os {
		out = append(out, o.String())
	}
	rfs, err := c.Refund.Query().Order(ent.Asc("id")).All(ctx)
	require.NoError(t, err)
	for _, r := range rfs {
		out = append(out, r.String())
	}
	rs, err := c.OrderReturn.Query().Order(ent.Asc("id")).All(ctx)
	require.NoError(t, err)
	for _, r := range rs {
		out = append(out, r.String())
	}
	n, err := c.Event.Query().Count(ctx)
	require.NoError(t, err)
	return append(out, fmt.Sprint("events ", n))
}

const refundReturnMutation = `mutation($in: RefundReturnInput!) { refundReturn(input: $in) {
	replayed refund { id status returnID amount { amount currency } shipping { amount } restockingFee { amount } lines { orderLineID quantity amount { amount } } } } }`

type refundResult struct {
	Replayed bool
	Refund   struct {
		ID, Status, ReturnID string
		Amount               struct {
			Amount   int64
			Currency string
		}
		Shipping, RestockingFee struct{ Amount int64 }
		Lines                   []struct {
			OrderLineID string
			Quantity    int
			Amount      struct{ Amount int64 }
		}
	}
}

// A return's refund is worth its units (less their share of the discount), the shipping asked, less
// the restocking fee; it is PENDING with its event for the payment integration, replays by key,
// never goes beyond what was paid, and a failed one is refundable again.
func TestRefundReturnAmounts(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRefundFixture(t, url)
		f.sku(t, "RF-TEE", 1000, 10)
		// 3 × 1000, 300 discount, 500 shipping: 3200 paid; a unit is worth 900.
		o := f.shipped(t, []any{map[string]any{"sku": "RF-TEE", "quantity": 3}}, map[string]any{"shippingAmount": 500, "discountAmount": 300})
		line := o.Lines[0].ID
		// Must show 1's refund: 2 of 3 shipped units back, 1 sellable and 1 damaged.
		r := f.returned(t, o.ID, map[pulid.ID]int64{line: 2})
		f.receiveAll(t, r)
		rl, err := r.QueryLines().Only(context.Background())
		require.NoError(t, err)
		_, err = f.srv.Inst.Refunds.Returns.Disposition(refundSystem(), returns.DispositionInput{ReturnID: r.ID, Lines: []returns.DispositionLine{
			{ReturnLineID: rl.ID, Kind: disposition.KindSELLABLE, Quantity: 1}, {ReturnLineID: rl.ID, Kind: disposition.KindDAMAGED, Quantity: 1},
		}})
		require.NoError(t, err)

		in := map[string]any{"returnID": r.ID, "refundShipping": true, "restockingFee": 100, "reason": "changed mind", "idempotencyKey": "rf-1"}
		var got struct{ RefundReturn refundResult }
		f.admin.MustDo(t, refundReturnMutation, map[string]any{"in": in}, &got)
		rf := got.RefundReturn.Refund
		require.False(t, got.RefundReturn.Replayed)
		require.Equal(t, "PENDING", rf.Status)
		require.Equal(t, string(r.ID), rf.ReturnID)
		require.Equal(t, int64(1800+500-100), rf.Amount.Amount)
		require.Equal(t, "USD", rf.Amount.Currency)
		require.Equal(t, int64(500), rf.Shipping.Amount)
		require.Equal(t, int64(100), rf.RestockingFee.Amount)
		require.Len(t, rf.Lines, 1)
		require.Equal(t, string(line), rf.Lines[0].OrderLineID)
		require.Equal(t, 2, rf.Lines[0].Quantity)
		require.Equal(t, int64(1800), rf.Lines[0].Amount.Amount)
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PARTIALLY_REFUNDED", Refunded: struct{ Amount int64 }{2200}}, f.order(t, o.ID))

		// The payment integration hears it: amount, currency, lines, payment method, the return.
		ev, err := f.srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindRefundRequested), event.OrderID(string(o.ID))).Only(context.Background())
		require.NoError(t, err)
		req, err := events.Decode[events.RefundRequested](ev)
		require.NoError(t, err)
		require.Equal(t, events.RefundRequested{RefundID: rf.ID, ReturnID: string(r.ID), Status: "PENDING", Amount: 2200, Currency: "USD",
			Shipping: 500, RestockingFee: 100, Lines: []events.RefundLine{{OrderLineID: string(line), Quantity: 2, Amount: 1800}},
			PaymentMethod: "PREPAID", Reason: "changed mind", Refunded: 2200, PaymentStatus: "PARTIALLY_REFUNDED"}, req)

		// The return cannot complete while its refund is pending.
		settled := func() error {
			return f.srv.Inst.DB.Tx(context.Background(), func(tx *ent.Tx) error {
				rr, err := tx.OrderReturn.Get(context.Background(), r.ID)
				require.NoError(t, err)
				return returns.Settled(context.Background(), tx, rr)
			})
		}
		require.ErrorContains(t, settled(), "still pending")

		// The same key again is the same refund, and changes nothing.
		before := refundState(t, f.srv)
		var again struct{ RefundReturn refundResult }
		f.admin.MustDo(t, refundReturnMutation, map[string]any{"in": in}, &again)
		require.True(t, again.RefundReturn.Replayed)
		require.Equal(t, rf.ID, again.RefundReturn.Refund.ID)
		require.Equal(t, before, refundState(t, f.srv))

		// Over-refunds are CONFLICT and change nothing: the return has nothing left, and the order
		// has 1000 paid and not refunded.
		for _, bad := range []struct {
			query string
			in    map[string]any
		}{
			{refundReturnMutation, map[string]any{"returnID": r.ID}},
			{`mutation($in: RefundOrderInput!) { refundOrder(input: $in) { refund { id } } }`, map[string]any{"orderID": o.ID, "amount": 1001}},
			{refundReturnMutation, map[string]any{"returnID": r.ID, "lines": []any{map[string]any{"orderLineID": line, "quantity": 1}}}},
		} {
			res, err := f.admin.Do(context.Background(), bad.query, map[string]any{"in": bad.in})
			require.NoError(t, err)
			require.Equal(t, "CONFLICT", res.Code(), "%v: %+v", bad.in, res.Errors)
		}
		require.Equal(t, before, refundState(t, f.srv))

		// The payment failed: the amount is refundable again, and a new refund succeeds.
		res := f.recordResult(t, pulid.ID(rf.ID), "FAILED", "")
		require.Empty(t, res.Errors)
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PAID"}, f.order(t, o.ID))
		require.Equal(t, "CONFLICT", f.recordResult(t, pulid.ID(rf.ID), "SUCCEEDED", "re_1").Code(), "only a PENDING refund takes a result")
		require.ErrorContains(t, settled(), "has not been refunded yet")
		in["idempotencyKey"] = "rf-2"
		var second struct{ RefundReturn refundResult }
		f.admin.MustDo(t, refundReturnMutation, map[string]any{"in": in}, &second)
		require.Equal(t, int64(2200), second.RefundReturn.Refund.Amount.Amount)
		require.Empty(t, f.recordResult(t, pulid.ID(second.RefundReturn.Refund.ID), "SUCCEEDED", "re_2").Errors)
		require.Empty(t, f.recordResult(t, pulid.ID(second.RefundReturn.Refund.ID), "SUCCEEDED", "re_2").Errors, "the same result again")
		require.NoError(t, settled(), "refunded: the return may complete")
		stored, err := f.srv.Inst.DB.Client.Refund.Get(context.Background(), pulid.ID(second.RefundReturn.Refund.ID))
		require.NoError(t, err)
		require.Equal(t, refund.StatusSUCCEEDED, stored.Status)
		require.Equal(t, "re_2", *stored.ExternalID)

		// A goodwill refund of the order takes the rest: the order is refunded in full.
		var whole struct {
			RefundOrder struct{ Refund struct{ ReturnID *string } }
		}
		f.admin.MustDo(t, `mutation($id: ID!) { refundOrder(input: {orderID: $id, amount: 1000, reason: "late delivery"}) { refund { returnID } } }`,
			map[string]any{"id": o.ID}, &whole)
		require.Nil(t, whole.RefundOrder.Refund.ReturnID)
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "REFUNDED", Refunded: struct{ Amount int64 }{3200}}, f.order(t, o.ID))

		// The customer's storefront reads its order's refunds.
		shop := f.srv.Client(f.srv.Key(t, auth.Storefront, &o.CustomerID))
		var mine struct {
			Node struct {
				Refunds []struct {
					Status string
					Amount struct{ Amount int64 }
				}
			}
		}
		shop.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { refunds { status amount { amount } } } } }`, map[string]any{"id": o.ID}, &mine)
		require.Len(t, mine.Node.Refunds, 3)
		f.srv.Audit(t)
	})
}

func (f *refundFixture) recordResult(t *testing.T, id pulid.ID, status, externalID string) *ordotest.Response {
	res, err := f.admin.Do(context.Background(), `mutation($in: RecordRefundResultInput!) { recordRefundResult(input: $in) { refund { status } } }`,
		map[string]any{"in": map[string]any{"refundID": id, "status": status, "externalID": externalID, "failureReason": "card expired"}})
	require.NoError(t, err)
	return res
}

// A marketplace pays its buyers' refunds: a manual refund is refused and changes nothing, and the
// channel's refund is mirrored once however often it is reported.
func TestMarketplaceRefundIsMirrored(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRefundFixture(t, url)
		f.sku(t, "RF-MKT", 1000, 10)
		var ch struct{ CreateChannel struct{ ID pulid.ID } }
		f.admin.MustDo(t, `mutation { createChannel(input: {kind: SHOPEE, name: "shopee"}) { id } }`, nil, &ch)
		o := f.shipped(t, []any{map[string]any{"sku": "RF-MKT", "quantity": 2}}, map[string]any{"channelID": ch.CreateChannel.ID, "externalID": "SP-1"})
		r := f.returned(t, o.ID, map[pulid.ID]int64{o.Lines[0].ID: 1})

		before := refundState(t, f.srv)
		res, err := f.admin.Do(context.Background(), refundReturnMutation, map[string]any{"in": map[string]any{"returnID": r.ID}})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		require.Contains(t, res.Errors[0].Message, "the marketplace refunds the buyer; decide the return instead")
		require.Equal(t, before, refundState(t, f.srv))

		mirror := func(amount int64, ext string) *ent.Refund {
			var rf *ent.Refund
			require.NoError(t, f.srv.Inst.DB.Tx(refundSystem(), func(tx *ent.Tx) error {
				var err error
				rf, err = f.srv.Inst.Refunds.MirrorChannelRefund(refundSystem(), tx, r.ID, amount, "USD", ext)
				return err
			}))
			return rf
		}
		first := mirror(1000, "SPR-1")
		require.Equal(t, refund.StatusCHANNEL_ISSUED, first.Status)
		require.Equal(t, first.ID, mirror(1000, "SPR-1").ID, "a replay is the same refund")
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PARTIALLY_REFUNDED", Refunded: struct{ Amount int64 }{1000}}, f.order(t, o.ID))
		more := mirror(1500, "SPR-1")
		require.Equal(t, int64(500), more.Amount, "the channel raised its refund: the difference is mirrored")
		n, err := f.srv.Inst.DB.Client.Refund.Query().Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, int64(1500), f.order(t, o.ID).Refunded.Amount)
		f.srv.Audit(t)
	})
}

// Refunds racing each other never pay back more than was paid: each sees what the others granted,
// or is refused, and the order's refunded amount is the sum of the refunds granted.
func TestConcurrentRefundsNeverOverRefund(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRefundFixture(t, url)
		f.sku(t, "RF-RACE", 1000, 10)
		o := f.shipped(t, []any{map[string]any{"sku": "RF-RACE", "quantity": 3}}, nil)
		const n = 8
		done := make(chan *ordotest.Response, n)
		for i := range n {
			go func() {
				res, err := f.admin.Do(context.Background(), `mutation($id: ID!, $k: String!) { refundOrder(input: {orderID: $id, amount: 1000, idempotencyKey: $k}) { refund { id } } }`,
					map[string]any{"id": o.ID, "k": fmt.Sprint("race-", i)})
				if err != nil {
					res = &ordotest.Response{Errors: []ordotest.Error{{Message: err.Error()}}}
				}
				done <- res
			}()
		}
		granted := 0
		for range n {
			res := <-done
			if len(res.Errors) == 0 {
				granted++
				continue
			}
			require.Equal(t, "CONFLICT", res.Code(), "%+v", res.Errors)
		}
		require.LessOrEqual(t, granted, 3)
		require.GreaterOrEqual(t, granted, 1)
		sum, err := f.srv.Inst.DB.Client.Refund.Query().Where(refund.OrderID(o.ID)).Aggregate(ent.Sum(refund.FieldAmount)).Int(context.Background())
		require.NoError(t, err)
		require.Equal(t, int64(granted*1000), int64(sum))
		require.Equal(t, int64(sum), f.order(t, o.ID).Refunded.Amount)
		f.srv.Audit(t)
	})
}
