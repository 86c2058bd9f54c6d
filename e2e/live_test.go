package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
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

// lastCursor is the cursor of the newest event of an order.
func lastCursor(t *testing.T, admin *ordotest.Client, orderID string) (cursor string, events int) {
	t.Helper()
	var o struct {
		Node struct {
			Events []struct{ Cursor string }
		}
	}
	admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { events { cursor } } } }`, map[string]any{"id": orderID}, &o)
	require.NotEmpty(t, o.Node.Events)
	return o.Node.Events[len(o.Node.Events)-1].Cursor, len(o.Node.Events)
}

const (
	holdOne    = `mutation($id: ID!) { holdOrder(input: {orderID: $id, reason: "look"}) { order { status } } }`
	releaseOne = `mutation($id: ID!) { releaseOrderHold(input: {orderID: $id}) { order { status } } }`
)

// Each committed change of an order reaches orderUpdated once, in order, even when its transaction
// wrote several events (confirming writes the confirmation, the routing decision and the allocation),
// and each message's cursor is that of the change's last event.
func TestOrderUpdatedOncePerCommittedChange(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 50})
		admin := srv.Admin()
		var o struct {
			PlaceOrder struct{ Order struct{ ID, Status string } }
		}
		admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "TEE", quantity: 1}], customer: {email: "ann@example.com"}}) { order { id status } } }`, nil, &o)
		id := o.PlaceOrder.Order.ID
		start, _ := lastCursor(t, admin, id)
		sub, err := srv.Subscribe(ctx, srv.AdminKey, `subscription($after: String, $id: ID) { orderUpdated(after: $after, filter: {orderID: $id}) { id status } }`,
			map[string]any{"after": start, "id": id})
		require.NoError(t, err)
		defer sub.Close()

		steps := []struct{ mutation, want string }{
			{fmt.Sprintf(orderState, "confirmOrder"), "ALLOCATED"},
			{holdOne, "ON_HOLD"},
			{releaseOne, "ALLOCATED"},
			{fmt.Sprintf(orderState, "startPicking"), "PICKING"},
			{fmt.Sprintf(orderState, "packOrder"), "PACKED"},
			{holdOne, "ON_HOLD"}, // the last change: had any before it come twice, this would not be next
		}
		_, before := lastCursor(t, admin, id)
		for i, step := range steps {
			admin.MustDo(t, step.mutation, map[string]any{"id": id}, nil)
			want, n := lastCursor(t, admin, id)
			if i == 0 {
				require.GreaterOrEqual(t, n-before, 2, "confirming writes several events in one transaction")
			}
			m, err := sub.Next(ctx)
			require.NoError(t, err)
			require.Empty(t, m.Errors)
			var u struct{ OrderUpdated struct{ ID, Status string } }
			require.NoError(t, json.Unmarshal(m.Data, &u))
			require.Equal(t, step.want, u.OrderUpdated.Status, "step %d", i)
			require.Equal(t, want, m.Cursor, "step %d: one message per committed change, carrying its last event's cursor", i)
		}
	})
}

// Every stream resumes from the cursor of the last message a client got: every change it missed
// once, in order, then live ones.
func TestStreamsResumeFromCursor(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 100})
		admin := srv.Admin()
		var o placed
		admin.MustDo(t, placeOne, map[string]any{"sku": "TEE"}, &o)
		id := o.PlaceOrder.Order.ID

		held := false
		toggle := func() string { // one committed change of the order: its last event's cursor
			q := holdOne
			if held {
				q = releaseOne
			}
			held = !held
			admin.MustDo(t, q, map[string]any{"id": id}, nil)
			c, _ := lastCursor(t, admin, id)
			return c
		}
		onHand := int64(100)
		receive1 := func() string {
			admin.MustDo(t, receive, map[string]any{"sku": "TEE", "loc": loc.ID, "q": 1}, nil)
			onHand++
			return fmt.Sprint(onHand)
		}
		for _, tc := range []struct {
			name   string
			query  string
			change func() string                 // makes one change and says what its message shows
			shows  func(ordotest.Message) string // what a message shows
		}{
			{"orderUpdated", `subscription($after: String, $id: ID) { orderUpdated(after: $after, filter: {orderID: $id}) { status } }`,
				toggle, func(m ordotest.Message) string { return m.Cursor }},
			{"orderEvents", `subscription($after: String, $id: ID) { orderEvents(after: $after, filter: {orderID: $id, types: ["order.status_changed"]}) { cursor } }`,
				toggle, func(m ordotest.Message) string { return m.Cursor }},
			{"stockLevelChanged", `subscription($after: String) { stockLevelChanged(after: $after, filter: {skus: ["TEE"]}) { onHand } }`,
				receive1, func(m ordotest.Message) string {
					var c struct{ StockLevelChanged struct{ OnHand int64 } }
					require.NoError(t, json.Unmarshal(m.Data, &c))
					return fmt.Sprint(c.StockLevelChanged.OnHand)
				}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				start, _ := lastCursor(t, admin, id)
				vars := func(after string) map[string]any { return map[string]any{"after": after, "id": id} }
				read := func(sub *ordotest.Subscription) ordotest.Message {
					m, err := sub.Next(ctx)
					require.NoError(t, err)
					require.Empty(t, m.Errors)
					require.NotEmpty(t, m.Cursor)
					return m
				}
				first, err := srv.Subscribe(ctx, srv.AdminKey, tc.query, vars(start))
				require.NoError(t, err)
				want := []string{tc.change(), tc.change()}
				var got []string
				var cursor string
				for range want {
					m := read(first)
					got = append(got, tc.shows(m))
					cursor = m.Cursor
				}
				require.Equal(t, want, got)
				first.Close()

				var missed []string
				for range 4 {
					missed = append(missed, tc.change())
				}
				again, err := srv.Subscribe(ctx, srv.AdminKey, tc.query, vars(cursor))
				require.NoError(t, err)
				defer again.Close()
				want = append(missed, tc.change(), tc.change()) // and two live ones
				got = nil
				for range want {
					got = append(got, tc.shows(read(again)))
				}
				require.Equal(t, want, got, "every missed change once, in order, then the live ones")
			})
		}
	})
}

// A subscriber that stops reading is cut off once it is more than ORDO_SUBSCRIPTION_BUFFER
// transactions behind; when it reads again it gets what was already sent, then SLOW_CONSUMER with
// the cursor of the last message it got, then a close (1013, try again later), not a dropped
// connection; resuming from the cursor gives the rest, each event once.
func TestSlowConsumerIsToldWhereToResumeBeforeTheClose(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		t.Setenv("ORDO_SUBSCRIPTION_BUFFER", "2")
		srv := ordotest.Start(t, url)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		head, err := srv.Inst.Hub.Head(ctx)
		require.NoError(t, err)
		slow := pulid.New("ord") // an order id no order has: only this test's events carry it
		q := `subscription($after: String) { orderEvents(after: $after, filter: {orderID: "` + string(slow) + `"}) { cursor data } }`
		sub, err := srv.SubscribeSlow(ctx, ordotest.Slow{ReceiveBuffer: 4096}, srv.AdminKey, q, map[string]any{"after": head.Cursor()})
		require.NoError(t, err)
		defer sub.Close()

		require.Eventually(t, func() bool { return srv.Inst.Hub.Subscribers() == 1 }, 10*time.Second, time.Millisecond,
			"the subscription is live before the changes commit")
		// Commit changes until the subscriber is cut off: the server's writes block once the kernel's
		// socket buffers are full, then its buffer of two transactions overflows.
		const perTx = 40
		alert := strings.Repeat("the channel says something long. ", 48)
		written := 0
		for srv.Inst.Hub.Subscribers() > 0 {
			require.Less(t, written, 400*perTx, "the subscriber that does not read is never cut off")
			require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
				evs := make([]events.Event, perTx)
				for i := range evs {
					evs[i] = events.Event{OrderID: string(slow), Payload: events.ChannelAlert{Alert: alert}}
				}
				return events.Append(ctx, tx, evs...)
			}))
			written += perTx
			srv.Inst.Hub.Wake()
		}
		// Read at full speed from now on: the server's blocked write must not time out.
		require.NoError(t, sub.Conn().NetConn().(*net.TCPConn).SetReadBuffer(1<<20))

		seen := map[string]bool{}
		var last string
		for {
			m, err := sub.Next(ctx)
			require.NoError(t, err, "the end is told before the close")
			if len(m.Errors) > 0 {
				require.Equal(t, "SLOW_CONSUMER", m.Errors[0].Code())
				require.Equal(t, last, m.Errors[0].Extensions["cursor"], "resume after the last message delivered")
				break
			}
			var e struct{ OrderEvents struct{ Cursor string } }
			require.NoError(t, json.Unmarshal(m.Data, &e))
			require.False(t, seen[e.OrderEvents.Cursor])
			seen[e.OrderEvents.Cursor] = true
			last = e.OrderEvents.Cursor
		}
		require.Less(t, len(seen), written)
		_, err = sub.Next(ctx)
		require.True(t, websocket.IsCloseError(err, websocket.CloseTryAgainLater), "closed with 1013, got %v", err)

		again, err := srv.Subscribe(ctx, srv.AdminKey, q, map[string]any{"after": last})
		require.NoError(t, err)
		defer again.Close()
		for len(seen) < written {
			m, err := again.Next(ctx)
			require.NoError(t, err)
			require.Empty(t, m.Errors)
			var e struct{ OrderEvents struct{ Cursor string } }
			require.NoError(t, json.Unmarshal(m.Data, &e))
			require.False(t, seen[e.OrderEvents.Cursor], "delivered twice")
			seen[e.OrderEvents.Cursor] = true
		}
	})
}

// On shutdown every websocket is closed with 1012 (service restart): clients reconnect and resume.
func TestShutdownClosesSocketsWithServiceRestart(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		sub, err := srv.Subscribe(ctx, srv.AdminKey, `subscription { orderEvents { cursor } }`, nil)
		require.NoError(t, err)
		defer sub.Close()
		srv.Stop()
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				require.True(t, websocket.IsCloseError(err, websocket.CloseServiceRestart), "closed with 1012, got %v", err)
				return
			}
			require.Empty(t, m.Data, "no data after the shutdown began")
		}
	})
}

// One key holds at most ORDO_MAX_SUBSCRIPTIONS_PER_KEY subscriptions open; one more is refused with
// TOO_MANY_SUBSCRIPTIONS, another key is not affected, and closing one frees its place.
func TestSubscriptionsPerKeyAreLimited(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		t.Setenv("ORDO_MAX_SUBSCRIPTIONS_PER_KEY", "2")
		srv := ordotest.Start(t, url)
		ctx := liveCtx(t)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 10})
		var o placed
		srv.Admin().MustDo(t, placeOne, map[string]any{"sku": "TEE"}, &o)
		key := srv.Key(t, auth.Support, nil)
		const q = `subscription($after: String) { orderEvents(after: $after) { cursor } }`
		from := events.Position{}.Cursor() // replays the order's events: a message says the subscription is open
		open := func(key string) (*ordotest.Subscription, ordotest.Message) {
			s, err := srv.Subscribe(ctx, key, q, map[string]any{"after": from})
			require.NoError(t, err)
			t.Cleanup(s.Close)
			m, err := s.Next(ctx)
			require.NoError(t, err)
			return s, m
		}
		first, m := open(key)
		require.Empty(t, m.Errors)
		_, m = open(key)
		require.Empty(t, m.Errors)
		_, m = open(key)
		require.NotEmpty(t, m.Errors)
		require.Equal(t, "TOO_MANY_SUBSCRIPTIONS", m.Errors[0].Code())
		_, m = open(srv.AdminKey)
		require.Empty(t, m.Errors, "another key has its own count")

		first.Close()
		require.Eventually(t, func() bool {
			_, m := open(key)
			return len(m.Errors) == 0
		}, 10*time.Second, 10*time.Millisecond, "a closed subscription frees its place")
	})
}
