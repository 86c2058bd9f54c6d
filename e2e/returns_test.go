package e2e_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

// retFixture is a shipping warehouse (A, where the SKU's 3 units are), a returns centre (B) and a
// shipped order of 3 units for customer A.
type retFixture struct {
	srv      *ordotest.Server
	admin    *ordotest.Client
	a, b     pulid.ID
	variant  pulid.ID
	customer pulid.ID
	order    pulid.ID
	number   string
	line     pulid.ID
}

const retFields = `id number status kind origin locationID lines { id sku quantity receivedQuantity dispositionedQuantity
  dispositions { id kind quantity openQuantity locationID fromID } } order { returnStatus }`

type retResult struct {
	ID, Number, Status, Kind, Origin, LocationID string
	Lines                                        []struct {
		ID, SKU                                           string
		Quantity, ReceivedQuantity, DispositionedQuantity int
		Dispositions                                      []struct {
			ID, Kind, LocationID, FromID string
			Quantity, OpenQuantity       int
		}
	}
	Order struct{ ReturnStatus string }
}

func newRetFixture(t *testing.T, url string) *retFixture {
	srv := ordotest.Start(t, url)
	f := &retFixture{srv: srv, admin: srv.Admin()}
	f.a = srv.Location(t, "RET-A", 1).ID
	f.b = srv.Location(t, "RET-B", 2).ID
	f.variant = srv.SKU(t, "RET-TEE", map[pulid.ID]int64{f.a: 3}).ID
	var placed struct {
		PlaceOrder struct {
			Order struct {
				ID, CustomerID pulid.ID
				Number         string
				Lines          []struct{ ID pulid.ID }
			}
		}
	}
	f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number customerID lines { id } } } }`,
		map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": "RET-TEE", "quantity": 3}}, "paid": true,
			"customer": map[string]any{"email": "ret-a@example.com", "name": "Customer A"}}}, &placed)
	o := placed.PlaceOrder.Order
	f.order, f.customer, f.number, f.line = o.ID, o.CustomerID, o.Number, o.Lines[0].ID
	f.admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "RET-1"}) { order { status } } }`,
		map[string]any{"id": f.order}, nil)
	return f
}

// request asks for q units of the order back with c's key.
func (f *retFixture) request(t *testing.T, c *ordotest.Client, q int) (*ordotest.Response, retResult) {
	res, err := c.Do(context.Background(), `mutation($o: ID!, $l: ID!, $q: Int!) { requestReturn(input: {orderID: $o,
		lines: [{orderLineID: $l, quantity: $q, reasonCode: "SIZE"}], reasonCode: "SIZE"}) { return { `+retFields+` } } }`,
		map[string]any{"o": f.order, "l": f.line, "q": q})
	require.NoError(t, err)
	var out struct{ RequestReturn struct{ Return retResult } }
	if len(res.Errors) == 0 {
		require.NoError(t, res.Decode(&out))
	}
	return res, out.RequestReturn.Return
}

// do runs a return mutation as admin and returns the return it answers.
func (f *retFixture) do(t *testing.T, field, input string, vars map[string]any) retResult {
	t.Helper()
	var out map[string]struct{ Return retResult }
	f.admin.MustDo(t, `mutation(`+input+`) { `+field+` { return { `+retFields+` } } }`, vars, &out)
	return out[fieldName(field)].Return
}

func fieldName(call string) string {
	for i, c := range call {
		if c == '(' {
			return call[:i]
		}
	}
	return call
}

// try runs a return mutation as admin and returns its error code.
func (f *retFixture) try(t *testing.T, query string, vars map[string]any) string {
	t.Helper()
	res, err := f.admin.Do(context.Background(), query, vars)
	require.NoError(t, err)
	return res.Code()
}

func (f *retFixture) level(t *testing.T, loc pulid.ID) *ent.InventoryLevel {
	l, err := f.srv.Inst.DB.Client.InventoryLevel.Query().
		Where(inventorylevel.VariantID(f.variant), inventorylevel.LocationID(loc)).Only(context.Background())
	require.NoError(t, err)
	return l
}

// available is the variant's available units over every location.
func (f *retFixture) available(t *testing.T) int64 {
	ls, err := f.srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.VariantID(f.variant)).All(context.Background())
	require.NoError(t, err)
	var n int64
	for _, l := range ls {
		n += max(0, l.OnHand-l.Reserved-l.SafetyStock)
	}
	return n
}

// returnsState is the store as inputFingerprint sees it, and its returns.
func returnsState(t *testing.T, srv *ordotest.Server) string {
	c := srv.Inst.DB.Client
	b, err := json.Marshal(map[string]any{
		"store":        inputFingerprint(t, srv),
		"returns":      inputRows(t, c.OrderReturn.Query().Order(ent.Asc("id")).All),
		"lines":        inputRows(t, c.ReturnLine.Query().Order(ent.Asc("id")).All),
		"dispositions": inputRows(t, c.Disposition.Query().Order(ent.Asc("id")).All),
	})
	require.NoError(t, err)
	return string(b)
}

const (
	approveReturn = `approveReturn(input: {returnID: $id})`
	receiveReturn = `receiveReturn(input: {returnID: $id, locationID: $loc, lines: [{returnLineID: $line, quantity: $q}]})`
	receiveVars   = `$id: ID!, $loc: ID!, $line: ID!, $q: Int!`
)

// Must show 1 (without its refund): 2 of 3 shipped units come back to another location; 1 goes
// back on sale there, 1 is damaged. On hand +1 at the receiving location, damaged +1, available up
// by 1 only, the stock.changed events say so, and the ledger explains every level.
func TestReturnRestocksSellableAndKeepsDamagedApart(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRetFixture(t, url)
		before := f.available(t)
		res, r := f.request(t, f.admin, 2)
		require.Empty(t, res.Errors)
		require.Equal(t, "RMA-"+f.number+"-1", r.Number)
		require.Equal(t, "REQUESTED", r.Status)
		require.Equal(t, "AGENT", r.Origin)
		require.Equal(t, string(f.a), r.LocationID, "expected back where it shipped from")
		require.Equal(t, "REQUESTED", r.Order.ReturnStatus)

		r = f.do(t, approveReturn, `$id: ID!`, map[string]any{"id": r.ID})
		require.Equal(t, "APPROVED", r.Status)
		line := r.Lines[0].ID
		r = f.do(t, receiveReturn, receiveVars, map[string]any{"id": r.ID, "loc": f.b, "line": line, "q": 1})
		require.Equal(t, "RECEIVED", r.Status)
		require.Equal(t, "PARTIALLY_RETURNED", r.Order.ReturnStatus)
		r = f.do(t, receiveReturn, receiveVars, map[string]any{"id": r.ID, "loc": f.b, "line": line, "q": 1})
		require.Equal(t, 2, r.Lines[0].ReceivedQuantity, "a second parcel")
		require.Equal(t, string(f.b), r.LocationID, "received at B")
		require.Equal(t, before, f.available(t), "receiving moves no stock")

		r = f.do(t, `dispositionReturn(input: {returnID: $id, lines: [{returnLineID: $line, kind: SELLABLE, quantity: 1},
			{returnLineID: $line, kind: DAMAGED, quantity: 1, note: "torn seam"}]})`, `$id: ID!, $line: ID!`,
			map[string]any{"id": r.ID, "line": line})
		require.Equal(t, "INSPECTED", r.Status, "every received unit has a disposition")
		require.Equal(t, 2, r.Lines[0].DispositionedQuantity)
		require.Len(t, r.Lines[0].Dispositions, 2)

		lb := f.level(t, f.b)
		require.Equal(t, int64(1), lb.OnHand, "the sellable unit is on hand at the receiving location")
		require.Equal(t, int64(1), lb.Damaged, "the damaged unit is in its non-sellable bucket")
		require.Equal(t, int64(0), f.level(t, f.a).OnHand, "nothing came back to where it shipped from")
		require.Equal(t, before+1, f.available(t), "available up by the sellable unit only")

		evs, err := f.srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindStockChanged), event.LocationID(string(f.b))).
			Order(event.ByID()).All(context.Background())
		require.NoError(t, err)
		require.Len(t, evs, 2)
		restock, err := events.Decode[events.StockChanged](evs[0])
		require.NoError(t, err)
		require.Equal(t, "RETURN_RESTOCK", restock.Movement)
		require.Equal(t, int64(1), restock.Available, "the channels hear the sellable unit")
		damaged, err := events.Decode[events.StockChanged](evs[1])
		require.NoError(t, err)
		require.Equal(t, "RETURN_DAMAGED", damaged.Movement)
		require.Equal(t, int64(1), damaged.Available, "a damaged unit is never available")
		require.Equal(t, int64(1), damaged.Damaged)
		require.Equal(t, evs[0].OrderID, string(f.order), "on the order's timeline")

		// The refund (its amounts: e2e/refunds_test.go) must be paid before the return completes.
		var rf struct {
			RefundReturn struct {
				Refund struct {
					ID, Status string
					Amount     struct{ Amount int64 }
				}
			}
		}
		f.admin.MustDo(t, `mutation($id: ID!) { refundReturn(input: {returnID: $id}) { refund { id status amount { amount } } } }`,
			map[string]any{"id": r.ID}, &rf)
		require.Equal(t, "PENDING", rf.RefundReturn.Refund.Status)
		require.Positive(t, rf.RefundReturn.Refund.Amount.Amount)
		res, err = f.admin.Do(context.Background(), `mutation($id: ID!) { completeReturn(input: {returnID: $id}) { return { status } } }`, map[string]any{"id": r.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "a return completes once its refund is paid")
		f.admin.MustDo(t, `mutation($id: ID!) { recordRefundResult(input: {refundID: $id, status: SUCCEEDED, externalID: "pay_1"}) { refund { status } } }`,
			map[string]any{"id": rf.RefundReturn.Refund.ID}, nil)
		r = f.do(t, `completeReturn(input: {returnID: $id})`, `$id: ID!`, map[string]any{"id": r.ID})
		require.Equal(t, "COMPLETED", r.Status)
		r = f.do(t, `closeReturn(input: {returnID: $id})`, `$id: ID!`, map[string]any{"id": r.ID})
		require.Equal(t, "CLOSED", r.Status)

		var tl struct {
			Node struct{ Timeline []struct{ Type string } }
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Return { timeline { type } } } }`, map[string]any{"id": r.ID}, &tl)
		var types []string
		for _, e := range tl.Node.Timeline {
			types = append(types, e.Type)
		}
		require.Equal(t, []string{"return.requested", "return.status_changed", "return.status_changed", "return.received",
			"return.received", "return.dispositioned", "return.dispositioned", "return.status_changed",
			"refund.requested", "refund.settled", "return.status_changed", "return.status_changed"}, types)
		f.srv.Audit(t)
	})
}

// Must show 7 for returns: receiving on a declined return, and asking back more than was shipped
// and not yet asked back, are CONFLICT and change nothing; a storefront key cannot return another
// customer's order, and may return its own.
func TestReturnRefusalsChangeNothing(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRetFixture(t, url)
		res, first := f.request(t, f.admin, 2)
		require.Empty(t, res.Errors)
		res, declined := f.request(t, f.admin, 1)
		require.Empty(t, res.Errors)
		declined = f.do(t, `declineReturn(input: {returnID: $id, reason: "outside policy"})`, `$id: ID!`, map[string]any{"id": declined.ID})
		require.Equal(t, "DECLINED", declined.Status)

		state := returnsState(t, f.srv)
		require.Equal(t, "CONFLICT", f.try(t, `mutation(`+receiveVars+`) { `+receiveReturn+` { return { id } } }`,
			map[string]any{"id": declined.ID, "loc": f.a, "line": declined.Lines[0].ID, "q": 1}))
		require.Equal(t, "CONFLICT", f.try(t, `mutation($id: ID!) { `+approveReturn+` { return { id } } }`, map[string]any{"id": declined.ID}))
		require.Equal(t, state, returnsState(t, f.srv), "a refused command changes nothing")

		// 3 shipped, 2 on the first return (the declined one gave its unit back): 2 more is too many.
		res, _ = f.request(t, f.admin, 2)
		require.Equal(t, "CONFLICT", res.Code())
		require.Equal(t, state, returnsState(t, f.srv), "an over-return changes nothing")
		// Receiving more than asked back is refused too.
		f.do(t, approveReturn, `$id: ID!`, map[string]any{"id": first.ID})
		state = returnsState(t, f.srv)
		require.Equal(t, "CONFLICT", f.try(t, `mutation(`+receiveVars+`) { `+receiveReturn+` { return { id } } }`,
			map[string]any{"id": first.ID, "loc": f.a, "line": first.Lines[0].ID, "q": 3}))
		require.Equal(t, state, returnsState(t, f.srv))

		// Another customer's storefront key cannot see the order, let alone return it.
		other, err := f.srv.Inst.DB.Client.Customer.Create().SetEmail("ret-b@example.com").Save(context.Background())
		require.NoError(t, err)
		stranger := f.srv.Client(f.srv.Key(t, auth.Storefront, &other.ID))
		state = returnsState(t, f.srv)
		res, _ = f.request(t, stranger, 1)
		require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, res.Code())
		require.Equal(t, state, returnsState(t, f.srv), "the stranger changed nothing")
		var seen struct {
			Returns struct{ TotalCount int }
		}
		require.NoError(t, stranger.Query(context.Background(), `{ returns { totalCount } }`, nil, &seen))
		require.Zero(t, seen.Returns.TotalCount, "nor sees its returns")

		// The order's own customer may: a customer return, within the window.
		owner := f.srv.Client(f.srv.Key(t, auth.Storefront, &f.customer))
		res, mine := f.request(t, owner, 1)
		require.Empty(t, res.Errors)
		require.Equal(t, "CUSTOMER", mine.Origin)
		require.Equal(t, "REQUESTED", mine.Status)
		require.NoError(t, owner.Query(context.Background(), `{ returns { totalCount } }`, nil, &seen))
		require.Equal(t, 3, seen.Returns.TotalCount, "its own order's returns")
		f.srv.Audit(t)
	})
}

// Quarantined units are non-sellable until re-dispositioned: back on sale they become available at
// their location, and only the open units can be re-dispositioned.
func TestRedispositionQuarantineToSellable(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRetFixture(t, url)
		res, r := f.request(t, f.admin, 2)
		require.Empty(t, res.Errors)
		f.do(t, approveReturn, `$id: ID!`, map[string]any{"id": r.ID})
		r = f.do(t, receiveReturn, receiveVars, map[string]any{"id": r.ID, "loc": f.a, "line": r.Lines[0].ID, "q": 2})
		before := f.available(t)
		r = f.do(t, `dispositionReturn(input: {returnID: $id, lines: [{returnLineID: $line, kind: QUARANTINE, quantity: 2}]})`,
			`$id: ID!, $line: ID!`, map[string]any{"id": r.ID, "line": r.Lines[0].ID})
		require.Equal(t, "INSPECTED", r.Status)
		q := r.Lines[0].Dispositions[0]
		require.Equal(t, 2, q.OpenQuantity)
		require.Equal(t, int64(2), f.level(t, f.a).Quarantined)
		require.Equal(t, before, f.available(t), "quarantined units are not available")

		redispose := `redisposition(input: {dispositionID: $d, kind: $k, quantity: $q})`
		r = f.do(t, redispose, `$d: ID!, $k: DispositionKind!, $q: Int!`, map[string]any{"d": q.ID, "k": "SELLABLE", "q": 1})
		l := f.level(t, f.a)
		require.Equal(t, int64(1), l.Quarantined)
		require.Equal(t, int64(1), l.OnHand)
		require.Equal(t, before+1, f.available(t), "the re-dispositioned unit is on sale")
		require.Len(t, r.Lines[0].Dispositions, 2)
		for _, d := range r.Lines[0].Dispositions {
			if d.ID == q.ID {
				require.Equal(t, 1, d.OpenQuantity)
			} else {
				require.Equal(t, "SELLABLE", d.Kind)
				require.Equal(t, q.ID, d.FromID)
			}
		}
		r = f.do(t, redispose, `$d: ID!, $k: DispositionKind!, $q: Int!`, map[string]any{"d": q.ID, "k": "WRITE_OFF", "q": 1})
		l = f.level(t, f.a)
		require.Equal(t, int64(0), l.Quarantined, "written off")
		require.Equal(t, int64(1), l.OnHand)

		state := returnsState(t, f.srv)
		require.Equal(t, "CONFLICT", f.try(t, `mutation($d: ID!) { redisposition(input: {dispositionID: $d, kind: SELLABLE, quantity: 1}) { return { id } } }`,
			map[string]any{"d": q.ID}), "no open units left")
		require.Equal(t, state, returnsState(t, f.srv))
		f.srv.Audit(t)
	})
}

// returnUpdated delivers each committed change of a return once, and resumes after a cursor.
func TestReturnUpdatedStreamsAndResumes(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRetFixture(t, url)
		ctx := liveCtx(t)
		const q = `subscription($o: ID, $after: String) { returnUpdated(after: $after, filter: {orderID: $o}) { id status } }`
		sub, err := f.srv.Subscribe(ctx, f.srv.AdminKey, q, map[string]any{"o": f.order})
		require.NoError(t, err)
		defer sub.Close()
		type msg struct{ ReturnUpdated struct{ ID, Status string } }
		next := func(s *ordotest.Subscription) (msg, string) {
			m, err := s.Next(ctx)
			require.NoError(t, err)
			require.Empty(t, m.Errors)
			var v msg
			require.NoError(t, json.Unmarshal(m.Data, &v))
			require.NotEmpty(t, m.Cursor)
			return v, m.Cursor
		}
		require.Eventually(t, func() bool { return f.srv.Inst.Hub.Subscribers() > 0 }, 10*time.Second, 10*time.Millisecond)

		res, r := f.request(t, f.admin, 1)
		require.Empty(t, res.Errors)
		got, cursor := next(sub)
		require.Equal(t, r.ID, got.ReturnUpdated.ID)
		require.Equal(t, "REQUESTED", got.ReturnUpdated.Status)
		f.do(t, approveReturn, `$id: ID!`, map[string]any{"id": r.ID})
		got, _ = next(sub)
		require.Equal(t, "APPROVED", got.ReturnUpdated.Status)

		again, err := f.srv.Subscribe(ctx, f.srv.AdminKey, q, map[string]any{"o": f.order, "after": cursor})
		require.NoError(t, err)
		defer again.Close()
		resumed, _ := next(again)
		require.Equal(t, r.ID, resumed.ReturnUpdated.ID)
		require.Equal(t, "APPROVED", resumed.ReturnUpdated.Status, "resumed after the request: the approval, once")

		// A storefront key of another customer hears nothing of it.
		other, err := f.srv.Inst.DB.Client.Customer.Create().SetEmail("ret-live@example.com").Save(context.Background())
		require.NoError(t, err)
		stranger, err := f.srv.Subscribe(ctx, f.srv.Key(t, auth.Storefront, &other.ID), `subscription($after: String) { returnUpdated(after: $after) { id } }`,
			map[string]any{"after": cursor})
		require.NoError(t, err)
		defer stranger.Close()
		sctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		_, err = stranger.Next(sctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// A 3PL partner receives and dispositions the returns expected at its locations, through its
// persisted operations, and nowhere else: a location it does not serve is FORBIDDEN, a return it
// cannot see NOT_FOUND.
func TestPartnerReceivesReturnsAtItsLocations(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRetFixture(t, url)
		res, r := f.request(t, f.admin, 2)
		require.Empty(t, res.Errors)
		f.do(t, approveReturn, `$id: ID!`, map[string]any{"id": r.ID})
		_, key, err := f.srv.Inst.Keys.CreateBound(context.Background(), "3pl", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{f.a}})
		require.NoError(t, err)
		partner := f.srv.Client(key)

		res = persisted(t, partner, "PartnerReturnsToReceive", nil)
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), r.ID)

		state := returnsState(t, f.srv)
		line := r.Lines[0].ID
		res = persisted(t, partner, "PartnerReceiveReturn", map[string]any{"returnID": r.ID, "locationID": f.b,
			"lines": []any{map[string]any{"returnLineID": line, "quantity": 1}}})
		require.Equal(t, "FORBIDDEN", res.Code(), "B is not the partner's")
		require.Equal(t, state, returnsState(t, f.srv))

		res = persisted(t, partner, "PartnerReceiveReturn", map[string]any{"returnID": r.ID, "locationID": f.a,
			"lines": []any{map[string]any{"returnLineID": line, "quantity": 2}}})
		require.Empty(t, res.Errors)
		res = persisted(t, partner, "PartnerDispositionReturn", map[string]any{"returnID": r.ID,
			"lines": []any{map[string]any{"returnLineID": line, "kind": "SELLABLE", "quantity": 1},
				map[string]any{"returnLineID": line, "kind": "MISSING", "quantity": 1}}})
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), `"INSPECTED"`)
		l := f.level(t, f.a)
		require.Equal(t, int64(1), l.OnHand, "the sellable unit is back; the missing one is nowhere")
		require.Zero(t, l.Damaged+l.Quarantined)

		// Another partner's warehouse neither sees nor touches it.
		_, otherKey, err := f.srv.Inst.Keys.CreateBound(context.Background(), "other 3pl", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{f.b}})
		require.NoError(t, err)
		res = persisted(t, f.srv.Client(otherKey), "PartnerReturnsToReceive", map[string]any{"statuses": []string{"INSPECTED"}})
		require.Empty(t, res.Errors)
		require.NotContains(t, string(res.Data), r.ID)

		// A return expected at B is B's to receive, though its order shipped from A.
		res, r2 := f.request(t, f.admin, 1)
		require.Empty(t, res.Errors)
		f.do(t, `approveReturn(input: {returnID: $id, locationID: $loc})`, `$id: ID!, $loc: ID!`, map[string]any{"id": r2.ID, "loc": f.b})
		other := f.srv.Client(otherKey)
		res = persisted(t, other, "PartnerReturnsToReceive", nil)
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), r2.ID)
		res = persisted(t, other, "PartnerReceiveReturn", map[string]any{"returnID": r2.ID, "locationID": f.b,
			"lines": []any{map[string]any{"returnLineID": r2.Lines[0].ID, "quantity": 1}}})
		require.Empty(t, res.Errors)
		res = persisted(t, other, "PartnerDispositionReturn", map[string]any{"returnID": r2.ID,
			"lines": []any{map[string]any{"returnLineID": r2.Lines[0].ID, "kind": "SELLABLE", "quantity": 1}}})
		require.Empty(t, res.Errors)
		require.Equal(t, int64(1), f.level(t, f.b).OnHand)
		o, err := f.srv.Inst.DB.Client.Order.Get(context.Background(), f.order)
		require.NoError(t, err)
		require.Equal(t, "RETURNED", string(o.ReturnStatus), "all 3 shipped units came back")
		f.srv.Audit(t)
	})
}

// Must show 1, the channels' part: a returned sellable unit is pushed to the channels as available
// stock, a damaged one is not.
func TestReturnedSellableUnitsReachTheChannels(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify}})
		admin := srv.Admin()
		wh := locationOf(t, srv, "BKK-1")
		requireStock(t, m, "TEE-M", 40)
		var placed struct {
			PlaceOrder struct {
				Order struct {
					ID    pulid.ID
					Lines []struct{ ID pulid.ID }
				}
			}
		}
		admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "TEE-M", quantity: 3}], paid: true}) { order { id lines { id } } } }`, nil, &placed)
		o := placed.PlaceOrder.Order
		admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "RET-CH"}) { order { status } } }`,
			map[string]any{"id": o.ID}, nil)
		requireStock(t, m, "TEE-M", 37)

		var ret struct {
			RequestReturn struct {
				Return struct {
					ID    pulid.ID
					Lines []struct{ ID pulid.ID }
				}
			}
		}
		admin.MustDo(t, `mutation($o: ID!, $l: ID!) { requestReturn(input: {orderID: $o, lines: [{orderLineID: $l, quantity: 2}]}) { return { id lines { id } } } }`,
			map[string]any{"o": o.ID, "l": o.Lines[0].ID}, &ret)
		id, line := ret.RequestReturn.Return.ID, ret.RequestReturn.Return.Lines[0].ID
		admin.MustDo(t, `mutation($id: ID!) { approveReturn(input: {returnID: $id}) { return { id } } }`, map[string]any{"id": id}, nil)
		admin.MustDo(t, `mutation($id: ID!, $loc: ID!, $l: ID!) { receiveReturn(input: {returnID: $id, locationID: $loc, lines: [{returnLineID: $l, quantity: 2}]}) { return { id } } }`,
			map[string]any{"id": id, "loc": wh, "l": line}, nil)
		admin.MustDo(t, `mutation($id: ID!, $l: ID!) { dispositionReturn(input: {returnID: $id, lines: [
			{returnLineID: $l, kind: SELLABLE, quantity: 1}, {returnLineID: $l, kind: DAMAGED, quantity: 1}]}) { return { status } } }`,
			map[string]any{"id": id, "l": line}, nil)
		requireStock(t, m, "TEE-M", 38)
		sh := m.Shops[channels.Shopify]
		listing := listingOf(t, sh, "TEE-M")
		time.Sleep(500 * time.Millisecond)
		require.Equal(t, int64(38), lastPush(sh, listing), "the damaged unit is never offered")
		srv.Audit(t)
	})
}
