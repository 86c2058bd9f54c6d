package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
)

const exchangeMutation = `mutation($in: CreateExchangeInput!) { createExchange(input: $in) {
	return { id resolution exchangeOrder { id } }
	order { id status paymentStatus balanceDue { amount } total { amount } exchangeFor { id } lines { sku allocatedQuantity } } } }`

type exchangeResult struct {
	Return struct {
		ID, Resolution string
		ExchangeOrder  struct{ ID string }
	}
	Order struct {
		ID, Status, PaymentStatus string
		BalanceDue, Total         struct{ Amount int64 }
		ExchangeFor               *struct{ ID string }
		Lines                     []struct {
			SKU               string
			AllocatedQuantity int
		}
	}
}

func (f *refundFixture) exchange(t *testing.T, in map[string]any) exchangeResult {
	var out struct{ CreateExchange exchangeResult }
	f.admin.MustDo(t, exchangeMutation, map[string]any{"in": in}, &out)
	return out.CreateExchange
}

// reserved is the reserved units of sku at the fixture's warehouse.
func (f *refundFixture) reserved(t *testing.T, sku string) int64 {
	l, err := f.srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.HasVariantWith(variant.Sku(sku)), inventorylevel.LocationID(f.loc)).Only(context.Background())
	require.NoError(t, err)
	return l.Reserved
}

// Must show 4: an exchange's replacement order is linked both ways, its stock reserved at once, and
// it ships like any order; an even exchange needs no payment (held until the return arrives, then
// released), a dearer one records the balance due until it is paid, a cheaper one refunds the
// difference.
func TestExchange(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRefundFixture(t, url)
		f.sku(t, "EX-M", 1000, 10)
		f.sku(t, "EX-L", 1000, 10)
		f.sku(t, "EX-XL", 1500, 10)
		f.sku(t, "EX-S", 600, 10)

		// Even: 2 × M back for 2 × L, held until the return is received.
		o := f.shipped(t, []any{map[string]any{"sku": "EX-M", "quantity": 2}}, nil)
		r := f.returned(t, o.ID, map[pulid.ID]int64{o.Lines[0].ID: 2})
		even := f.exchange(t, map[string]any{"returnID": r.ID, "lines": []any{map[string]any{"sku": "EX-L", "quantity": 2}}, "note": "size"})
		require.Equal(t, "EXCHANGE", even.Return.Resolution)
		require.Equal(t, even.Order.ID, even.Return.ExchangeOrder.ID, "the return names its replacement")
		require.NotNil(t, even.Order.ExchangeFor)
		require.Equal(t, string(r.ID), even.Order.ExchangeFor.ID, "the replacement names its return")
		require.Equal(t, "ON_HOLD", even.Order.Status, "held until the goods come back")
		require.Equal(t, "PAID", even.Order.PaymentStatus, "an even exchange needs no payment")
		require.Zero(t, even.Order.BalanceDue.Amount)
		require.Equal(t, 2, even.Order.Lines[0].AllocatedQuantity, "reserved at creation")
		require.Equal(t, int64(2), f.reserved(t, "EX-L"))
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PAID"}, f.order(t, o.ID), "an exchange refunds nothing")

		// The original order lists its return, and the return cannot be refunded or exchanged again.
		var orig struct {
			Node struct{ Returns []struct{ ID string } }
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { returns { id } } } }`, map[string]any{"id": o.ID}, &orig)
		require.Equal(t, string(r.ID), orig.Node.Returns[0].ID)
		res, err := f.admin.Do(context.Background(), refundReturnMutation, map[string]any{"in": map[string]any{"returnID": r.ID}})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		res, err = f.admin.Do(context.Background(), exchangeMutation, map[string]any{"in": map[string]any{"returnID": r.ID, "lines": []any{map[string]any{"sku": "EX-L", "quantity": 1}}}})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())

		// The return arrives: the receipt's job releases the replacement, which then ships.
		f.receiveAll(t, r)
		require.Eventually(t, func() bool { return f.order(t, pulid.ID(even.Order.ID)).Status == "ALLOCATED" },
			30*time.Second, 20*time.Millisecond, "the receipt released the exchange held for it")
		f.ship(t, pulid.ID(even.Order.ID))
		require.Equal(t, "SHIPPED", f.order(t, pulid.ID(even.Order.ID)).Status)
		require.Zero(t, f.reserved(t, "EX-L"))

		// Upsell, cross-shipped: 1 × M (1000) for 1 × XL (1500): 500 due, reserved, waiting for it.
		o2 := f.shipped(t, []any{map[string]any{"sku": "EX-M", "quantity": 1}}, nil)
		r2 := f.returned(t, o2.ID, map[pulid.ID]int64{o2.Lines[0].ID: 1})
		up := f.exchange(t, map[string]any{"returnID": r2.ID, "lines": []any{map[string]any{"sku": "EX-XL", "quantity": 1}}, "shipBeforeReturn": true})
		require.Equal(t, "PENDING_PAYMENT", up.Order.Status)
		require.Equal(t, "PENDING", up.Order.PaymentStatus)
		require.Equal(t, int64(500), up.Order.BalanceDue.Amount, "the upsell's balance due")
		require.Equal(t, 1, up.Order.Lines[0].AllocatedQuantity)
		res, err = f.admin.Do(context.Background(), `mutation($id: ID!) { recordExchangePayment(input: {orderID: $id, amount: 499}) { order { id } } }`, map[string]any{"id": up.Order.ID})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code(), "the balance, not another amount")
		f.admin.MustDo(t, `mutation($id: ID!) { recordExchangePayment(input: {orderID: $id, amount: 500}) { order { id } } }`, map[string]any{"id": up.Order.ID}, nil)
		require.Equal(t, orderMoney{Status: "ALLOCATED", PaymentStatus: "PAID"}, f.order(t, pulid.ID(up.Order.ID)))
		f.ship(t, pulid.ID(up.Order.ID))

		// Downsell: 1 × M (1000) for 1 × S (600): the 400 difference is a pending refund.
		o3 := f.shipped(t, []any{map[string]any{"sku": "EX-M", "quantity": 1}}, nil)
		r3 := f.returned(t, o3.ID, map[pulid.ID]int64{o3.Lines[0].ID: 1})
		down := f.exchange(t, map[string]any{"returnID": r3.ID, "lines": []any{map[string]any{"sku": "EX-S", "quantity": 1}}, "shipBeforeReturn": true})
		require.Equal(t, "ALLOCATED", down.Order.Status)
		require.Equal(t, "PAID", down.Order.PaymentStatus)
		rfs, err := f.srv.Inst.DB.Client.Refund.Query().Where(refund.ReturnID(r3.ID)).All(context.Background())
		require.NoError(t, err)
		require.Len(t, rfs, 1)
		require.Equal(t, int64(400), rfs[0].Amount)
		require.Equal(t, refund.StatusPENDING, rfs[0].Status)
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PARTIALLY_REFUNDED", Refunded: struct{ Amount int64 }{400}}, f.order(t, o3.ID))
		// What the exchange credited is not refundable on the original order any more.
		res, err = f.admin.Do(context.Background(), `mutation($id: ID!) { refundOrder(input: {orderID: $id, amount: 1}) { refund { id } } }`, map[string]any{"id": o3.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		f.srv.Audit(t)
	})
}

const claimMutation = `mutation($in: CreateClaimInput!) { createClaim(input: $in) {
	return { id kind status resolution exchangeOrder { id } }
	replacement { id status paymentStatus exchangeFor { id } lines { sku quantity allocatedQuantity } }
	refund { status amount { amount } lines { quantity } } } }`

// A claim (missing, wrong or damaged items) needs no goods back: it ships a replacement at once,
// linked both ways, or refunds the claimed units.
func TestClaims(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newRefundFixture(t, url)
		f.sku(t, "CL-MUG", 1000, 10)
		o := f.shipped(t, []any{map[string]any{"sku": "CL-MUG", "quantity": 3}}, nil)
		line := o.Lines[0].ID

		var replaced struct {
			CreateClaim struct {
				Return struct {
					ID, Kind, Status, Resolution string
					ExchangeOrder                struct{ ID string }
				}
				Replacement struct {
					ID, Status, PaymentStatus string
					ExchangeFor               struct{ ID string }
					Lines                     []struct {
						SKU                         string
						Quantity, AllocatedQuantity int
					}
				}
			}
		}
		f.admin.MustDo(t, claimMutation, map[string]any{"in": map[string]any{"orderID": o.ID, "resolution": "REPLACE",
			"lines": []any{map[string]any{"orderLineID": line, "quantity": 1, "reason": "MISSING_ITEM"}}}}, &replaced)
		c := replaced.CreateClaim
		require.Equal(t, "CLAIM", c.Return.Kind)
		require.Equal(t, "APPROVED", c.Return.Status)
		require.Equal(t, "REPLACE", c.Return.Resolution)
		require.Equal(t, c.Replacement.ID, c.Return.ExchangeOrder.ID)
		require.Equal(t, c.Return.ID, c.Replacement.ExchangeFor.ID)
		require.Equal(t, "ALLOCATED", c.Replacement.Status, "nothing is coming back: not held")
		require.Equal(t, "PAID", c.Replacement.PaymentStatus)
		require.Equal(t, "CL-MUG", c.Replacement.Lines[0].SKU)
		require.Equal(t, 1, c.Replacement.Lines[0].AllocatedQuantity)
		f.ship(t, pulid.ID(c.Replacement.ID))
		require.Equal(t, "SHIPPED", f.order(t, pulid.ID(c.Replacement.ID)).Status)

		var refunded struct {
			CreateClaim struct {
				Return struct{ Kind, Resolution string }
				Refund struct {
					Status string
					Amount struct{ Amount int64 }
					Lines  []struct{ Quantity int }
				}
			}
		}
		f.admin.MustDo(t, claimMutation, map[string]any{"in": map[string]any{"orderID": o.ID, "resolution": "REFUND",
			"lines": []any{map[string]any{"orderLineID": line, "quantity": 1, "reason": "DAMAGED"}}}}, &refunded)
		require.Equal(t, "CLAIM", refunded.CreateClaim.Return.Kind)
		require.Equal(t, "PENDING", refunded.CreateClaim.Refund.Status)
		require.Equal(t, int64(1000), refunded.CreateClaim.Refund.Amount.Amount)
		require.Equal(t, orderMoney{Status: "SHIPPED", PaymentStatus: "PARTIALLY_REFUNDED", Refunded: struct{ Amount int64 }{1000}}, f.order(t, o.ID))

		// Both claims are the original order's; the units they settled are settled.
		var orig struct {
			Node struct{ Returns []struct{ Kind string } }
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { returns { kind } } } }`, map[string]any{"id": o.ID}, &orig)
		require.Len(t, orig.Node.Returns, 2)
		res, err := f.admin.Do(context.Background(), `mutation($id: ID!, $line: ID!) { refundOrder(input: {orderID: $id, lines: [{orderLineID: $line, quantity: 2}]}) { refund { id } } }`,
			map[string]any{"id": o.ID, "line": line})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "two of the three units are settled by the claims")
		f.srv.Audit(t)
	})
}
