package e2e_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockhold"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

const holdStockOp = `mutation($cart: String!, $sku: String!, $q: Int!, $ttl: Int) {
  holdStock(input: {cart: $cart, lines: [{sku: $sku, quantity: $q}], ttlSeconds: $ttl}) {
    hold { id status expiresAt lines { sku quantity location { code } } } } }`

type heldStock struct {
	HoldStock struct {
		Hold struct {
			ID, Status string
			ExpiresAt  time.Time
			Lines      []struct {
				SKU      string `json:"sku"`
				Quantity int
				Location struct{ Code string }
			}
		}
	}
}

const holdPlaceOp = `mutation($sku: String!, $q: Int!, $hold: ID, $method: OrderPaymentMethod) {
  placeOrder(input: {lines: [{sku: $sku, quantity: $q}], holdID: $hold, paymentMethod: $method}) {
    order { id status allocations { quantity status location { code } } } } }`

type holdPlaced struct {
	PlaceOrder struct {
		Order struct {
			ID, Status  string
			Allocations []struct {
				Quantity int
				Status   string
				Location struct{ Code string }
			}
		}
	}
}

// reservedOf sums a variant's reserved and on-hand units over its levels.
func reservedOf(t *testing.T, srv *ordotest.Server, variantID pulid.ID) (onHand, reserved int64) {
	t.Helper()
	ls, err := srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.VariantID(variantID)).All(context.Background())
	require.NoError(t, err)
	for _, l := range ls {
		onHand += l.OnHand
		reserved += l.Reserved
	}
	return onHand, reserved
}

func holdEvents(t *testing.T, srv *ordotest.Server, kind string) []*ent.Event {
	t.Helper()
	evs, err := srv.Inst.DB.Client.Event.Query().Where(event.Type(kind)).All(context.Background())
	require.NoError(t, err)
	return evs
}

// Must-show 3, first half, across replicas: 64 storefront carts hold one unit each of a SKU with
// 10 units, through two Ordo servers sharing one store. Exactly 10 holds succeed, the rest are
// INSUFFICIENT_STOCK, nothing is available; the expiry sweep releases all of them, once, with a
// hold.expired event each, and the ledger explains every number throughout.
func TestConcurrentHoldsNeverOversellAndExpire(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		a, b := ordotest.Start(t, url), ordotest.Start(t, url)
		loc := a.Location(t, "HOLD-WH", 1)
		v := a.SKU(t, "HOLD-TEN", map[pulid.ID]int64{loc.ID: 10})
		key := a.Key(t, auth.Storefront, nil)
		clients := []*ordotest.Client{a.Client(key), b.Client(key)}

		var (
			wg         sync.WaitGroup
			mu         sync.Mutex
			held       []string
			short      int
			unexpected []string
		)
		for i := range 64 {
			wg.Go(func() {
				res, err := clients[i%2].Do(context.Background(), holdStockOp,
					map[string]any{"cart": fmt.Sprintf("cart-%02d", i), "sku": "HOLD-TEN", "q": 1, "ttl": 60})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					unexpected = append(unexpected, err.Error())
				case res.Code() == "INSUFFICIENT_STOCK":
					short++
				case len(res.Errors) > 0:
					unexpected = append(unexpected, fmt.Sprint(res.Errors))
				default:
					var out heldStock
					require.NoError(t, res.Decode(&out))
					held = append(held, out.HoldStock.Hold.ID)
				}
			})
		}
		wg.Wait()
		require.Empty(t, unexpected)
		require.Len(t, held, 10, "exactly the 10 units are held (one per successful cart)")
		require.Equal(t, 54, short)

		onHand, reserved := reservedOf(t, a, v.ID)
		require.EqualValues(t, 10, onHand)
		require.EqualValues(t, 10, reserved, "held units are reserved")
		var avail struct{ VariantBySku struct{ Available int64 } }
		a.Admin().MustDo(t, `{ variantBySku(sku: "HOLD-TEN") { available } }`, nil, &avail)
		require.Zero(t, avail.VariantBySku.Available)
		active, err := a.Inst.DB.Client.StockHold.Query().Where(stockhold.StatusEQ(stockhold.StatusACTIVE)).Count(t.Context())
		require.NoError(t, err)
		require.Equal(t, 10, active)
		require.Len(t, holdEvents(t, a, events.KindHoldCreated), 10)
		a.Audit(t)

		// Expiry: both replicas sweep at a clock past the holds' TTL, at once; each hold is released once.
		later := time.Now().Add(2 * time.Minute)
		var sweeps sync.WaitGroup
		for _, srv := range []*ordotest.Server{a, b} {
			sweeps.Go(func() {
				_, err := srv.Inst.Holds.Expire(context.Background(), later)
				require.NoError(t, err)
			})
		}
		sweeps.Wait()
		_, reserved = reservedOf(t, a, v.ID)
		require.Zero(t, reserved, "expired holds give their units back")
		expired, err := a.Inst.DB.Client.StockHold.Query().Where(stockhold.StatusEQ(stockhold.StatusEXPIRED)).Count(t.Context())
		require.NoError(t, err)
		require.Equal(t, 10, expired)
		require.Len(t, holdEvents(t, a, events.KindHoldExpired), 10, "one hold.expired per hold, however many replicas swept")
		a.Admin().MustDo(t, `{ variantBySku(sku: "HOLD-TEN") { available } }`, nil, &avail)
		require.EqualValues(t, 10, avail.VariantBySku.Available)
		a.Audit(t)

		// One cart held 16 times at once through both replicas: each hold replaces the one before,
		// so the cart ends with one active hold and one unit reserved.
		var same sync.WaitGroup
		for i := range 16 {
			same.Go(func() {
				res, err := clients[i%2].Do(context.Background(), holdStockOp, map[string]any{"cart": "one-cart", "sku": "HOLD-TEN", "q": 1, "ttl": 60})
				require.NoError(t, err)
				require.Empty(t, res.Errors)
			})
		}
		same.Wait()
		active, err = a.Inst.DB.Client.StockHold.Query().Where(stockhold.Cart("one-cart"), stockhold.StatusEQ(stockhold.StatusACTIVE)).Count(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, active, "a cart has one active hold")
		_, reserved = reservedOf(t, a, v.ID)
		require.EqualValues(t, 1, reserved)
		a.Audit(t)
	})
}

// Must-show 3, second half: checkout converts a hold without reserving twice; a cart has one active
// hold; another key can neither see, use nor release a hold; an ended or expired hold cannot be
// converted (CONFLICT, nothing placed) and the order then routes as any order.
func TestCheckoutConvertsAHold(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		wh := srv.Location(t, "CONV-WH", 1)
		v := srv.SKU(t, "CONV", map[pulid.ID]int64{wh.ID: 10})
		shop := srv.Client(srv.Key(t, auth.Storefront, nil))
		other := srv.Client(srv.Key(t, auth.Storefront, nil))
		ctx := t.Context()

		var first, second heldStock
		shop.MustDo(t, holdStockOp, map[string]any{"cart": "c1", "sku": "CONV", "q": 3}, &first)
		require.Equal(t, "ACTIVE", first.HoldStock.Hold.Status)
		require.WithinDuration(t, time.Now().Add(15*time.Minute), first.HoldStock.Hold.ExpiresAt, time.Minute, "the default TTL")
		// Holding again for the same cart replaces the hold: one active hold per cart.
		shop.MustDo(t, holdStockOp, map[string]any{"cart": "c1", "sku": "CONV", "q": 4, "ttl": 600}, &second)
		h := second.HoldStock.Hold
		require.Equal(t, []int{4}, []int{h.Lines[0].Quantity})
		require.Equal(t, "CONV-WH", h.Lines[0].Location.Code)
		old, err := srv.Inst.DB.Client.StockHold.Get(ctx, pulid.ID(first.HoldStock.Hold.ID))
		require.NoError(t, err)
		require.Equal(t, stockhold.StatusRELEASED, old.Status)
		_, reserved := reservedOf(t, srv, v.ID)
		require.EqualValues(t, 4, reserved)

		// Bad input changes nothing.
		for _, vars := range []map[string]any{
			{"cart": "c9", "sku": "CONV", "q": 1, "ttl": 10},
			{"cart": "", "sku": "CONV", "q": 1},
			{"cart": "c9", "sku": "NOPE", "q": 1},
			{"cart": "c9", "sku": "CONV", "q": 0},
		} {
			res, err := shop.Do(ctx, holdStockOp, vars)
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%v", vars)
		}
		res, err := shop.Do(ctx, holdStockOp, map[string]any{"cart": "c9", "sku": "CONV", "q": 7})
		require.NoError(t, err)
		require.Equal(t, "INSUFFICIENT_STOCK", res.Code(), "4 of 10 are held: 6 left")

		// Another key: the hold does not exist for it.
		res, err = other.Do(ctx, `query($id: ID!) { stockHold(id: $id) { id } }`, map[string]any{"id": h.ID})
		require.NoError(t, err)
		require.Equal(t, "NOT_FOUND", res.Code())
		res, err = other.Do(ctx, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": h.ID})
		require.NoError(t, err)
		require.Contains(t, []string{"NOT_FOUND", ""}, res.Code())
		require.NotContains(t, string(res.Data), h.ID, "node(id:) does not reveal another key's hold")
		res, err = other.Do(ctx, `mutation($id: ID!) { releaseHold(input: {holdID: $id}) { hold { id } } }`, map[string]any{"id": h.ID})
		require.NoError(t, err)
		require.Equal(t, "NOT_FOUND", res.Code())
		res, err = other.Do(ctx, holdPlaceOp, map[string]any{"sku": "CONV", "q": 4, "hold": h.ID, "method": "COD"})
		require.NoError(t, err)
		require.Equal(t, "NOT_FOUND", res.Code())
		orders, err := srv.Inst.DB.Client.Order.Query().Count(ctx)
		require.NoError(t, err)
		require.Zero(t, orders, "the refused checkout placed nothing")
		// Staff see every hold.
		var staffView struct{ StockHold struct{ Status string } }
		srv.Admin().MustDo(t, `query($id: ID!) { stockHold(id: $id) { status } }`, map[string]any{"id": h.ID}, &staffView)
		require.Equal(t, "ACTIVE", staffView.StockHold.Status)

		// Checkout converts the hold: reserved once, as the order's allocations say.
		var placed holdPlaced
		shop.MustDo(t, holdPlaceOp, map[string]any{"sku": "CONV", "q": 4, "hold": h.ID, "method": "COD"}, &placed)
		o := placed.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status)
		var allocated int64
		for _, al := range o.Allocations {
			allocated += int64(al.Quantity)
		}
		require.EqualValues(t, 4, allocated)
		_, reserved = reservedOf(t, srv, v.ID)
		require.Equal(t, allocated, reserved, "the hold's units became the order's: no double reservation")
		conv, err := srv.Inst.DB.Client.StockHold.Get(ctx, pulid.ID(h.ID))
		require.NoError(t, err)
		require.Equal(t, stockhold.StatusCONVERTED, conv.Status)
		require.NotNil(t, conv.OrderID)
		require.Equal(t, o.ID, string(*conv.OrderID))
		convEvents := holdEvents(t, srv, events.KindHoldConverted)
		require.Len(t, convEvents, 1)
		require.Equal(t, o.ID, convEvents[0].OrderID)
		srv.Audit(t)

		// A converted hold cannot be used again.
		res, err = shop.Do(ctx, holdPlaceOp, map[string]any{"sku": "CONV", "q": 1, "hold": h.ID, "method": "COD"})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())

		// An expired hold: CONFLICT at checkout, nothing placed; the order then routes normally.
		var exp heldStock
		shop.MustDo(t, holdStockOp, map[string]any{"cart": "c2", "sku": "CONV", "q": 2, "ttl": 60}, &exp)
		n, err := srv.Inst.Holds.Expire(ctx, time.Now().Add(2*time.Minute))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		before, err := srv.Inst.DB.Client.Order.Query().Count(ctx)
		require.NoError(t, err)
		res, err = shop.Do(ctx, holdPlaceOp, map[string]any{"sku": "CONV", "q": 2, "hold": exp.HoldStock.Hold.ID, "method": "COD"})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		after, err := srv.Inst.DB.Client.Order.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after)
		_, reserved = reservedOf(t, srv, v.ID)
		require.EqualValues(t, 4, reserved, "the expired hold's units are free again; only the order's are reserved")
		shop.MustDo(t, holdPlaceOp, map[string]any{"sku": "CONV", "q": 2, "method": "COD"}, &placed)
		require.Equal(t, "ALLOCATED", placed.PlaceOrder.Order.Status)

		// Released by its key: units back at once, and a released hold cannot be released again.
		var rel heldStock
		shop.MustDo(t, holdStockOp, map[string]any{"cart": "c3", "sku": "CONV", "q": 1}, &rel)
		var released struct {
			ReleaseHold struct{ Hold struct{ Status string } }
		}
		shop.MustDo(t, `mutation($id: ID!) { releaseHold(input: {holdID: $id}) { hold { status } } }`, map[string]any{"id": rel.HoldStock.Hold.ID}, &released)
		require.Equal(t, "RELEASED", released.ReleaseHold.Hold.Status)
		res, err = shop.Do(ctx, `mutation($id: ID!) { releaseHold(input: {holdID: $id}) { hold { status } } }`, map[string]any{"id": rel.HoldStock.Hold.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		_, reserved = reservedOf(t, srv, v.ID)
		require.EqualValues(t, 6, reserved, "the two orders' units only")
		srv.Audit(t)
	})
}

// Unpaid orders expire by their channel's rule (per payment method, "*" for the others): the sweep
// cancels a PENDING_PAYMENT order past its expiry ("payment expired") and releases its stock; a
// confirmed payment clears the expiry; cash on delivery never expires; an order placed through the
// API without a channel follows the storefront channel's rules.
func TestUnpaidOrdersExpire(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		wh := srv.Location(t, "UNPAID-WH", 1)
		v := srv.SKU(t, "UNPAID", map[pulid.ID]int64{wh.ID: 20})
		admin := srv.Admin()
		ctx := t.Context()
		var ch struct{ CreateChannel struct{ ID string } }
		admin.MustDo(t, `mutation { createChannel(input: {kind: STOREFRONT, name: "web shop"}) { id } }`, nil, &ch)
		var set struct {
			SetChannelUnpaidExpiry struct {
				Channel struct {
					UnpaidExpiry []struct {
						PaymentMethod string
						Minutes       int
					}
				}
			}
		}
		admin.MustDo(t, `mutation($id: ID!) { setChannelUnpaidExpiry(input: {channelID: $id, rules: [{paymentMethod: "*", minutes: 1}, {paymentMethod: "BANK_TRANSFER", minutes: 30}]}) {
			channel { unpaidExpiry { paymentMethod minutes } } } }`, map[string]any{"id": ch.CreateChannel.ID}, &set)
		require.Len(t, set.SetChannelUnpaidExpiry.Channel.UnpaidExpiry, 2)
		for _, rules := range []string{`[{paymentMethod: "COD", minutes: 5}]`, `[{paymentMethod: "*", minutes: 0}]`, `[{paymentMethod: "BITCOIN", minutes: 5}]`} {
			res, err := admin.Do(ctx, `mutation($id: ID!) { setChannelUnpaidExpiry(input: {channelID: $id, rules: `+rules+`}) { channel { id } } }`,
				map[string]any{"id": ch.CreateChannel.ID})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), rules)
		}

		const place = `mutation($ch: ID, $method: OrderPaymentMethod!) {
		  placeOrder(input: {lines: [{sku: "UNPAID", quantity: 2}], channelID: $ch, paymentMethod: $method}) { order { id status expiresAt placedAt } } }`
		type placedOrder struct {
			PlaceOrder struct {
				Order struct {
					ID, Status string
					ExpiresAt  *time.Time
					PlacedAt   time.Time
				}
			}
		}
		placeWith := func(c *ordotest.Client, chID any, method string) (id string, status string, expires *time.Time, placedAt time.Time) {
			var out placedOrder
			c.MustDo(t, place, map[string]any{"ch": chID, "method": method}, &out)
			o := out.PlaceOrder.Order
			return o.ID, o.Status, o.ExpiresAt, o.PlacedAt
		}
		card, status, expires, placedAt := placeWith(admin, ch.CreateChannel.ID, "CARD")
		require.Equal(t, "PENDING_PAYMENT", status)
		require.NotNil(t, expires, "CARD falls under the * rule")
		require.WithinDuration(t, placedAt.Add(time.Minute), *expires, time.Second)
		bank, _, expires, placedAt := placeWith(admin, ch.CreateChannel.ID, "BANK_TRANSFER")
		require.WithinDuration(t, placedAt.Add(30*time.Minute), *expires, time.Second)
		cod, status, expires, _ := placeWith(admin, ch.CreateChannel.ID, "COD")
		require.Equal(t, "ALLOCATED", status, "COD orders go straight on")
		require.Nil(t, expires, "cash on delivery never expires")
		paid, _, expires, _ := placeWith(admin, ch.CreateChannel.ID, "WALLET")
		require.NotNil(t, expires)
		admin.MustDo(t, `mutation($id: ID!) { confirmOrder(input: {orderID: $id}) { order { id } } }`, map[string]any{"id": paid}, nil)
		// A storefront's order without a channel follows the storefront channel's rules.
		shop := srv.Client(srv.Key(t, auth.Storefront, nil))
		web, _, expires, _ := placeWith(shop, nil, "PREPAID")
		require.NotNil(t, expires, "the storefront channel's * rule")

		_, reserved := reservedOf(t, srv, v.ID)
		require.EqualValues(t, 10, reserved)

		// Two minutes on: the CARD and storefront orders expire; BANK_TRANSFER (30 min), COD and the paid one stay.
		n, err := srv.Inst.Orders.ExpireUnpaid(ctx, time.Now().Add(2*time.Minute))
		require.NoError(t, err)
		require.Equal(t, 2, n)
		for id, want := range map[string]string{card: "CANCELLED", web: "CANCELLED", bank: "PENDING_PAYMENT", cod: "ALLOCATED", paid: "ALLOCATED"} {
			o, err := srv.Inst.DB.Client.Order.Get(ctx, pulid.ID(id))
			require.NoError(t, err)
			require.Equal(t, want, string(o.Status), id)
			if want == "CANCELLED" {
				require.Equal(t, "payment expired", o.CancelReason)
			}
			if id == paid {
				require.Nil(t, o.ExpiresAt, "a confirmed payment clears the expiry")
			}
		}
		_, reserved = reservedOf(t, srv, v.ID)
		require.EqualValues(t, 6, reserved, "the two expired orders' units are free again")
		n, err = srv.Inst.Orders.ExpireUnpaid(ctx, time.Now().Add(2*time.Minute))
		require.NoError(t, err)
		require.Zero(t, n, "an expired order is cancelled once")
		// An hour on, the bank transfer expires too.
		n, err = srv.Inst.Orders.ExpireUnpaid(ctx, time.Now().Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, reserved = reservedOf(t, srv, v.ID)
		require.EqualValues(t, 4, reserved)
		srv.Audit(t)
	})
}
