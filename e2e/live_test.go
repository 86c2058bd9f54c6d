package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

func liveCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// next reads the next payload of sub into v, failing on errors or the end of the stream.
func next(t *testing.T, ctx context.Context, sub *ordotest.Subscription, v any) {
	t.Helper()
	m, err := sub.Next(ctx)
	require.NoError(t, err)
	require.Empty(t, m.Errors)
	require.False(t, m.Done, "the subscription ended")
	require.NoError(t, json.Unmarshal(m.Data, v))
}

const receive = `mutation($sku: String!, $loc: ID!, $q: Int!) { receiveStock(input: {sku: $sku, locationID: $loc, quantity: $q}) { replayed } }`

func TestStockLevelChangedFollowsOneSKU(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "WATCHED", map[pulid.ID]int64{loc.ID: 5})
		srv.SKU(t, "OTHER", map[pulid.ID]int64{loc.ID: 5})
		sub, err := srv.Subscribe(ctx, srv.AdminKey, `subscription($skus: [String!]) {
			stockLevelChanged(filter: {skus: $skus}) { sku locationID onHand reserved available reason cursor level { id } } }`,
			map[string]any{"skus": []string{"WATCHED"}})
		require.NoError(t, err)
		defer sub.Close()

		admin := srv.Admin()
		type change struct {
			StockLevelChanged struct {
				Sku, LocationID, Reason, Cursor string
				OnHand, Reserved, Available     int64
				Level                           struct{ ID string }
			}
		}
		// In step: receive 1 until a change arrives, then take every primed unit away again (the marker).
		primed := 0
		require.NoError(t, sub.Sync(ctx, func() error {
			primed++
			_, err := admin.Do(ctx, receive, map[string]any{"sku": "WATCHED", "loc": loc.ID, "q": 1})
			return err
		}, func() error {
			_, err := admin.Do(ctx, `mutation($sku: String!, $loc: ID!, $d: Int!) { adjustStock(input: {sku: $sku, locationID: $loc, delta: $d, reason: "sync"}) { replayed } }`,
				map[string]any{"sku": "WATCHED", "loc": loc.ID, "d": -primed})
			return err
		}, func(m ordotest.Message) bool {
			var c change
			return json.Unmarshal(m.Data, &c) == nil && c.StockLevelChanged.Reason == "ADJUSTMENT"
		}))
		// Changes to another SKU interleave with the watched one; only the watched ones arrive, in order.
		admin.MustDo(t, receive, map[string]any{"sku": "OTHER", "loc": loc.ID, "q": 1}, nil)
		admin.MustDo(t, receive, map[string]any{"sku": "WATCHED", "loc": loc.ID, "q": 3}, nil)
		admin.MustDo(t, receive, map[string]any{"sku": "OTHER", "loc": loc.ID, "q": 1}, nil)
		admin.MustDo(t, placeOne, map[string]any{"sku": "OTHER"}, nil)
		admin.MustDo(t, placeOne, map[string]any{"sku": "WATCHED"}, nil)

		var c change
		next(t, ctx, sub, &c)
		require.Equal(t, "WATCHED", c.StockLevelChanged.Sku)
		require.Equal(t, "RECEIPT", c.StockLevelChanged.Reason)
		require.EqualValues(t, 8, c.StockLevelChanged.OnHand)
		require.EqualValues(t, 0, c.StockLevelChanged.Reserved)
		require.EqualValues(t, 8, c.StockLevelChanged.Available)
		require.Equal(t, string(loc.ID), c.StockLevelChanged.LocationID)
		require.NotEmpty(t, c.StockLevelChanged.Level.ID)

		next(t, ctx, sub, &c)
		require.Equal(t, "WATCHED", c.StockLevelChanged.Sku)
		require.Equal(t, "RESERVATION", c.StockLevelChanged.Reason)
		require.EqualValues(t, 8, c.StockLevelChanged.OnHand)
		require.EqualValues(t, 1, c.StockLevelChanged.Reserved)
		require.EqualValues(t, 7, c.StockLevelChanged.Available)
	})
}

const orderState = `mutation($id: ID!) { %s(input: {orderID: $id}) { order { status } } }`

func TestOrderUpdatedFollowsTheLifecycle(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 50})
		admin := srv.Admin()

		const placeFor = `mutation($email: String!, $note: String) {
			placeOrder(input: {lines: [{sku: "TEE", quantity: 1}], customer: {email: $email}, note: $note}) { order { id customer { id } } } }`
		place := func(email, note string) (id, customer string) {
			var o struct {
				PlaceOrder struct {
					Order struct {
						ID       string
						Customer struct{ ID string }
					}
				}
			}
			admin.MustDo(t, placeFor, map[string]any{"email": email, "note": note}, &o)
			return o.PlaceOrder.Order.ID, o.PlaceOrder.Order.Customer.ID
		}
		_, ann := place("ann@example.com", "")
		other, _ := place("bob@example.com", "")

		sub, err := srv.Subscribe(ctx, srv.AdminKey, `subscription($c: ID) { orderUpdated(filter: {customerID: $c}) { id status note } }`, map[string]any{"c": ann})
		require.NoError(t, err)
		defer sub.Close()
		require.NoError(t, sub.Sync(ctx,
			func() error { place("ann@example.com", "sync"); return nil },
			func() error { place("ann@example.com", "marker"); return nil },
			func(m ordotest.Message) bool { return strings.Contains(string(m.Data), `"note":"marker"`) }))

		id, _ := place("ann@example.com", "followed")
		steps := []struct{ mutation, want string }{
			{"confirmOrder", "ALLOCATED"}, // confirmed, then allocated: every unit is reserved
			{"startPicking", "PICKING"},
			{"packOrder", "PACKED"},
			{"markReadyToShip", "READY_TO_SHIP"},
			{"shipOrder", "SHIPPED"},
			{"markOrderDelivered", "DELIVERED"},
			{"completeOrder", "COMPLETED"},
		}
		var seen []string
		for _, step := range steps {
			// Another customer's order changes too; nothing of it may reach this subscription.
			admin.MustDo(t, `mutation($id: ID!) { holdOrder(input: {orderID: $id, reason: "noise"}) { order { id } } }`, map[string]any{"id": other}, nil)
			admin.MustDo(t, `mutation($id: ID!) { releaseOrderHold(input: {orderID: $id}) { order { id } } }`, map[string]any{"id": other}, nil)
			if step.mutation == "shipOrder" {
				admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "Kerry", trackingNumber: "KE123"}) { order { status } } }`, map[string]any{"id": id}, nil)
			} else {
				admin.MustDo(t, fmt.Sprintf(orderState, step.mutation), map[string]any{"id": id}, nil)
			}
			for len(seen) == 0 || seen[len(seen)-1] != step.want {
				var u struct {
					OrderUpdated struct{ ID, Status, Note string }
				}
				next(t, ctx, sub, &u)
				require.NotEqual(t, other, u.OrderUpdated.ID, "another customer's order reached the subscription")
				if u.OrderUpdated.Note == "marker" || u.OrderUpdated.Note == "sync" {
					continue // the tail of the orders placed to get in step
				}
				require.Equal(t, id, u.OrderUpdated.ID)
				seen = append(seen, u.OrderUpdated.Status)
			}
		}
		// Each committed change arrives once and in order; the order is re-read at delivery, so the
		// events of placing and confirming may show the status they led to.
		require.Equal(t, []string{"PICKING", "PACKED", "READY_TO_SHIP", "SHIPPED", "DELIVERED", "COMPLETED"}, seen[len(seen)-6:])
		for _, st := range seen[:len(seen)-6] {
			require.Contains(t, []string{"PENDING_PAYMENT", "CONFIRMED", "ALLOCATED"}, st)
		}
	})
}

func TestOrderEventsResumeFromCursorExactlyOnce(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 100})
		admin := srv.Admin()
		const q = `subscription($after: String) { orderEvents(after: $after, filter: {types: ["order.placed"]}) { cursor type orderID data } }`
		type ev struct {
			OrderEvents struct {
				Cursor, Type, OrderID string
				Data                  map[string]any
			}
		}
		place := func() string {
			var o placed
			admin.MustDo(t, placeOne, map[string]any{"sku": "TEE"}, &o)
			return o.PlaceOrder.Order.ID
		}

		// Start from a real cursor (the last event of a first order), so that when the server
		// registers the subscription does not matter.
		var start struct {
			Node struct {
				Events []struct{ Cursor string }
			}
		}
		admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { events { cursor } } } }`, map[string]any{"id": place()}, &start)
		sub, err := srv.Subscribe(ctx, srv.AdminKey, q, map[string]any{"after": start.Node.Events[len(start.Node.Events)-1].Cursor})
		require.NoError(t, err)
		first := []string{place(), place()}
		var cursor string
		for _, id := range first {
			var e ev
			next(t, ctx, sub, &e)
			require.Equal(t, "order.placed", e.OrderEvents.Type)
			require.Equal(t, id, e.OrderEvents.OrderID)
			cursor = e.OrderEvents.Cursor
		}
		sub.Close() // disconnect

		var missed []string
		for range 5 {
			missed = append(missed, place())
		}
		sub, err = srv.Subscribe(ctx, srv.AdminKey, q, map[string]any{"after": cursor})
		require.NoError(t, err)
		defer sub.Close()
		live := place()
		var got []string
		for range len(missed) + 1 {
			var e ev
			next(t, ctx, sub, &e)
			require.Equal(t, "order.placed", e.OrderEvents.Type)
			got = append(got, e.OrderEvents.OrderID)
		}
		require.Equal(t, append(missed, live), got, "every missed event once, in order, then live ones")

		// A cursor that is not one is refused with a clear code.
		bad, err := srv.Subscribe(ctx, srv.AdminKey, q, map[string]any{"after": "not-a-cursor"})
		require.NoError(t, err)
		defer bad.Close()
		m, err := bad.Next(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, m.Errors)
		require.Equal(t, "INVALID_ARGUMENT", m.Errors[0].Code())
	})
}
