package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

// boardQuery is the console's first page of the board.
const boardQuery = `query($f: OrderBoardFilter, $after: Cursor, $first: Int) {
  orderBoard(filter: $f, after: $after, first: $first) {
    edges { cursor node { id number status placedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`

type boardPage struct {
	OrderBoard struct {
		Edges []struct {
			Cursor string
			Node   struct {
				ID     pulid.ID
				Number string
				Status string
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// boardNumbers is the numbers of the board's first page (of up to 100) under filter f.
func boardNumbers(t *testing.T, c *ordotest.Client, f map[string]any) []string {
	t.Helper()
	var p boardPage
	c.MustDo(t, boardQuery, map[string]any{"f": f, "first": 100}, &p)
	out := []string{}
	for _, e := range p.OrderBoard.Edges {
		out = append(out, e.Node.Number)
	}
	return out
}

// boardStore makes a board's orders directly in the store: n orders, numbered BRD-0 (oldest) to
// BRD-n-1, one minute apart, the last placed a minute ago.
type boardStore struct {
	srv        *ordotest.Server
	c          *ent.Client
	chA, chB   pulid.ID
	locA, locB pulid.ID
	customer   pulid.ID
	ids        []pulid.ID
}

func newBoardStore(t *testing.T, srv *ordotest.Server) *boardStore {
	ctx := context.Background()
	c := srv.Inst.DB.Client
	s := &boardStore{srv: srv, c: c}
	s.chA = c.Channel.Create().SetKind(channel.KindSHOPEE).SetName("Board Shopee").SaveX(ctx).ID
	s.chB = c.Channel.Create().SetKind(channel.KindLAZADA).SetName("Board Lazada").SaveX(ctx).ID
	s.locA = c.Location.Create().SetCode("BRD-A").SetName("Bangkok DC").SetKind(location.KindWAREHOUSE).SaveX(ctx).ID
	s.locB = c.Location.Create().SetCode("BRD-B").SetName("Chiang Mai").SetKind(location.KindSTORE).SaveX(ctx).ID
	s.customer = c.Customer.Create().SetEmail("somchai@example.com").SetName("Somchai").SetPhone("+66812345678").SaveX(ctx).ID
	return s
}

// add makes one order; with changes it before saving.
func (s *boardStore) add(t *testing.T, i int, with func(*ent.OrderCreate)) pulid.ID {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	c := s.c.Order.Create().SetNumber(fmt.Sprintf("BRD-%03d", i)).SetStatus(order.StatusCONFIRMED).
		SetCurrency("THB").SetSubtotalAmount(1000).SetTotalAmount(1000).SetPlacedAt(now.Add(-time.Duration(100-i) * time.Minute))
	if with != nil {
		with(c)
	}
	o := c.SaveX(context.Background())
	s.ids = append(s.ids, o.ID)
	return o.ID
}

func TestOrderBoardFilters(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		s := newBoardStore(t, srv)
		s.add(t, 0, func(c *ent.OrderCreate) {
			c.SetChannelID(s.chA).SetExternalID("2401ABC").SetPaymentMethod(order.PaymentMethodCOD)
		})
		s.add(t, 1, func(c *ent.OrderCreate) {
			c.SetChannelID(s.chB).SetStatus(order.StatusON_HOLD).SetCustomerID(s.customer)
		})
		s.add(t, 2, func(c *ent.OrderCreate) { c.SetStatus(order.StatusSHIPPED).SetContactEmail("guest@example.com") })
		late := s.add(t, 3, func(c *ent.OrderCreate) { c.SetChannelID(s.chA).SetStatus(order.StatusSHIPPED) })
		alerted := s.add(t, 4, func(c *ent.OrderCreate) { c.SetChannelID(s.chA) })
		s.add(t, 5, func(c *ent.OrderCreate) {
			c.SetStatus(order.StatusBACKORDERED).SetPaymentMethod(order.PaymentMethodCARD)
		})
		s.c.Shipment.Create().SetOrderID(late).SetLocationID(s.locB).SetNumber("BRD-003-1").SetStatus(shipment.StatusIN_TRANSIT).
			SetLateRisk(true).SetTrackingNumbers([]string{"TH123456789", "KEX42"}).SaveX(ctx)
		require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
			return events.Append(ctx, tx, events.Event{OrderID: string(alerted), Payload: events.ChannelAlert{Alert: "unknown status"}})
		}))

		// A placed order, allocated at a location that has the stock.
		loc := srv.Location(t, "BRD-STOCK", 1)
		srv.SKU(t, "BRD-SKU", map[pulid.ID]int64{loc.ID: 5})
		var placed struct {
			PlaceOrder struct {
				Order struct {
					Number          string
					RoutingDecision struct{ Explanation []string }
				}
			}
		}
		admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { number routingDecision { explanation } } } }`,
			map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": "BRD-SKU", "quantity": 1}}, "paid": true}}, &placed)
		require.NotEmpty(t, placed.PlaceOrder.Order.RoutingDecision.Explanation)
		require.Contains(t, placed.PlaceOrder.Order.RoutingDecision.Explanation[0], "Ships from "+loc.Name+": ")

		all := boardNumbers(t, admin, nil)
		require.Equal(t, []string{placed.PlaceOrder.Order.Number, "BRD-005", "BRD-004", "BRD-003", "BRD-002", "BRD-001", "BRD-000"}, all,
			"newest placed first")
		cases := []struct {
			name string
			f    map[string]any
			want []string
		}{
			{"statuses", map[string]any{"statuses": []string{"SHIPPED", "ON_HOLD"}}, []string{"BRD-003", "BRD-002", "BRD-001"}},
			{"channels", map[string]any{"channelIDs": []pulid.ID{s.chA}}, []string{"BRD-004", "BRD-003", "BRD-000"}},
			{"location by shipment", map[string]any{"locationIDs": []pulid.ID{s.locB}}, []string{"BRD-003"}},
			{"location by allocation", map[string]any{"locationIDs": []pulid.ID{loc.ID}}, []string{placed.PlaceOrder.Order.Number}},
			{"placed range", map[string]any{"placedFrom": time.Now().Add(-99*time.Minute - 30*time.Second).Format(time.RFC3339),
				"placedTo": time.Now().Add(-97*time.Minute - 30*time.Second).Format(time.RFC3339)}, []string{"BRD-002", "BRD-001"}},
			{"late risk", map[string]any{"lateRisk": true}, []string{"BRD-003"}},
			{"late risk false narrows nothing", map[string]any{"lateRisk": false}, all},
			{"exceptions", map[string]any{"exceptions": true}, []string{"BRD-005", "BRD-004", "BRD-001"}},
			{"payment methods", map[string]any{"paymentMethods": []string{"COD", "CARD"}}, []string{"BRD-005", "BRD-000"}},
			{"search number prefix", map[string]any{"search": "BRD-00"}, []string{"BRD-005", "BRD-004", "BRD-003", "BRD-002", "BRD-001", "BRD-000"}},
			{"search number exact", map[string]any{"search": " BRD-002 "}, []string{"BRD-002"}},
			{"search external id", map[string]any{"search": "2401"}, []string{"BRD-000"}},
			{"search customer email any case", map[string]any{"search": "SomChai@Example.com"}, []string{"BRD-001"}},
			{"search guest email", map[string]any{"search": "guest@example.com"}, []string{"BRD-002"}},
			{"search phone digits", map[string]any{"search": "66 812 345 678"}, []string{"BRD-001"}},
			{"search tracking", map[string]any{"search": "KEX42"}, []string{"BRD-003"}},
			{"search tracking is exact", map[string]any{"search": "KEX4"}, []string{}},
			{"search wildcards are literal", map[string]any{"search": "BRD_00"}, []string{}},
			{"search finds nothing", map[string]any{"search": "nobody@example.com"}, []string{}},
			{"combined", map[string]any{"channelIDs": []pulid.ID{s.chA}, "statuses": []string{"SHIPPED"}}, []string{"BRD-003"}},
		}
		for _, c := range cases {
			require.Equal(t, c.want, boardNumbers(t, admin, c.f), c.name)
		}

		// Counts per status ignore the filter's statuses, and follow the rest.
		var counts struct {
			OrderCounts []struct {
				Status string
				Count  int
			}
		}
		admin.MustDo(t, `query($f: OrderBoardFilter) { orderCounts(filter: $f) { status count } }`,
			map[string]any{"f": map[string]any{"statuses": []string{"SHIPPED"}, "channelIDs": []pulid.ID{s.chA}}}, &counts)
		got := map[string]int{}
		for _, c := range counts.OrderCounts {
			got[c.Status] = c.Count
		}
		require.Equal(t, map[string]int{"CONFIRMED": 2, "SHIPPED": 1}, got)

		// Bad filters are refused.
		long := make([]pulid.ID, 51)
		for i := range long {
			long[i] = s.chA
		}
		for name, f := range map[string]map[string]any{
			"search too long": {"search": string(make([]byte, 101))},
			"list too long":   {"channelIDs": long},
			"inverted range":  {"placedFrom": time.Now().Format(time.RFC3339), "placedTo": time.Now().Add(-time.Hour).Format(time.RFC3339)},
			"not a channel":   {"channelIDs": []pulid.ID{s.locA}},
		} {
			resp, err := admin.Do(ctx, boardQuery, map[string]any{"f": f})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", resp.Code(), name)
		}
		resp, err := admin.Do(ctx, boardQuery, map[string]any{"first": 100_000})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code(), "the page cap")
	})
}

// Paging the board while new orders arrive neither repeats nor skips an order, and orders placed in
// the same instant page by id.
func TestOrderBoardKeysetPaging(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		s := newBoardStore(t, srv)
		for i := range 20 {
			s.add(t, i, func(c *ent.OrderCreate) {
				if i%4 == 0 { // some share their placed time with the next one
					c.SetPlacedAt(time.Now().UTC().Truncate(time.Second).Add(-time.Duration(100-i-1) * time.Minute))
				}
			})
		}
		var seen []string
		var after *string
		for page := 0; ; page++ {
			var p boardPage
			admin.MustDo(t, boardQuery, map[string]any{"first": 3, "after": after}, &p)
			for _, e := range p.OrderBoard.Edges {
				seen = append(seen, e.Node.Number)
			}
			// New orders arrive between pages (newer than every order so far).
			s.add(t, 100+page, func(c *ent.OrderCreate) { c.SetPlacedAt(time.Now().UTC()) })
			if !p.OrderBoard.PageInfo.HasNextPage {
				break
			}
			after = p.OrderBoard.PageInfo.EndCursor
		}
		var want []string
		for i := 19; i >= 0; i-- {
			want = append(want, fmt.Sprintf("BRD-%03d", i))
		}
		require.ElementsMatch(t, want, seen, "every order once")
		require.Len(t, seen, 20)

		resp, err := admin.Do(context.Background(), boardQuery, map[string]any{"after": "bm90IGEgY3Vyc29y"})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())
	})
}

func TestAddOrderNote(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv := ordotest.Start(t, url)
		s := newBoardStore(t, srv)
		id := s.add(t, 1, nil)
		support := srv.Client(srv.Key(t, auth.Support, nil))
		var added struct {
			AddOrderNote struct {
				Type, Actor, Cursor string
				OrderID             pulid.ID
				Data                map[string]any
			}
		}
		support.MustDo(t, `mutation($id: ID!, $n: String!) { addOrderNote(input: {orderID: $id, note: $n}) { type actor cursor orderID data } }`,
			map[string]any{"id": id, "n": "  Customer asked to leave it with the guard  "}, &added)
		require.Equal(t, "order.note_added", added.AddOrderNote.Type)
		require.Equal(t, id, added.AddOrderNote.OrderID)
		require.Equal(t, "Customer asked to leave it with the guard", added.AddOrderNote.Data["note"])
		require.NotEmpty(t, added.AddOrderNote.Actor)
		require.NotEmpty(t, added.AddOrderNote.Cursor)

		var timeline struct {
			Node struct{ Events []struct{ Type string } }
		}
		support.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { events { type } } } }`, map[string]any{"id": id}, &timeline)
		require.Equal(t, "order.note_added", timeline.Node.Events[len(timeline.Node.Events)-1].Type)

		notes := func() int {
			return s.c.Event.Query().Where(event.Type(events.KindNoteAdded)).CountX(ctx)
		}
		for name, in := range map[string]map[string]any{
			"empty":   {"id": id, "n": "   "},
			"long":    {"id": id, "n": string(make([]rune, 2001))},
			"unknown": {"id": pulid.ID("ord_01JAAAAAAAAAAAAAAAAAAAAAAA"), "n": "hello"},
		} {
			resp, err := support.Do(ctx, `mutation($id: ID!, $n: String!) { addOrderNote(input: {orderID: $id, note: $n}) { type } }`, in)
			require.NoError(t, err)
			require.Contains(t, []string{"INVALID_ARGUMENT", "NOT_FOUND"}, resp.Code(), name)
			require.Equal(t, 1, notes(), name+" changes nothing")
		}
		for _, role := range []auth.Role{auth.Storefront, auth.Partner} {
			resp, err := srv.Client(srv.Key(t, role, nil)).Do(ctx, `mutation($id: ID!) { addOrderNote(input: {orderID: $id, note: "x"}) { type } }`,
				map[string]any{"id": id})
			require.NoError(t, err)
			require.Equal(t, "FORBIDDEN", resp.Code(), role)
		}
		require.Equal(t, 1, notes())
	})
}

func TestAlertsAndPulse(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		s := newBoardStore(t, srv)
		id := s.add(t, 99, func(c *ent.OrderCreate) { c.SetChannelID(s.chA).SetPlacedAt(time.Now().UTC()) })
		s.add(t, 98, func(c *ent.OrderCreate) { c.SetChannelID(s.chA).SetPlacedAt(time.Now().UTC()) })
		for i := range 5 {
			require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
				return events.Append(ctx, tx,
					events.Event{OrderID: string(id), Payload: events.ChannelAlert{Alert: fmt.Sprint("alert ", i)}},
					events.Event{OrderID: string(id), Payload: events.ChannelRefused{Action: "SHIP", Reason: "no"}},
					events.Event{OrderID: string(id), Payload: events.NoteAdded{Note: "not an alert"}})
			}))
		}
		type alertsPage struct {
			Alerts struct {
				Edges []struct {
					Cursor string
					Node   struct {
						Type string
						Data map[string]any
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		const q = `query($k: [String!], $after: String, $first: Int) { alerts(kinds: $k, after: $after, first: $first) {
			edges { cursor node { type data } } pageInfo { hasNextPage endCursor } } }`
		var got []string
		var after *string
		for {
			var p alertsPage
			admin.MustDo(t, q, map[string]any{"first": 4, "after": after}, &p)
			for _, e := range p.Alerts.Edges {
				got = append(got, e.Node.Type)
			}
			if !p.Alerts.PageInfo.HasNextPage {
				break
			}
			after = p.Alerts.PageInfo.EndCursor
		}
		require.Len(t, got, 10)
		require.NotContains(t, got, events.KindNoteAdded)
		var only alertsPage
		admin.MustDo(t, q, map[string]any{"k": []string{"order.channel_alert"}, "first": 10}, &only)
		require.Len(t, only.Alerts.Edges, 5)
		require.Equal(t, "alert 4", only.Alerts.Edges[0].Node.Data["alert"], "newest first")
		resp, err := admin.Do(ctx, q, map[string]any{"k": []string{"order.placed"}})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())

		var failed struct {
			FailedNotifications struct {
				Edges []struct{ Node struct{ ID pulid.ID } }
			}
		}
		admin.MustDo(t, `{ failedNotifications(first: 10) { edges { node { id } } } }`, nil, &failed)
		require.Empty(t, failed.FailedNotifications.Edges)
		for i, st := range []notification.Status{notification.StatusFAILED, notification.StatusSENT, notification.StatusFAILED} {
			s.c.Notification.Create().SetOrderID(id).SetKind(notification.KindORDER_CONFIRMED).SetVersion(fmt.Sprint("v", i)).
				SetProvider("email").SetStatus(st).SetLastError("550").SaveX(ctx)
		}
		admin.MustDo(t, `{ failedNotifications(first: 10) { edges { node { id } } } }`, nil, &failed)
		require.Len(t, failed.FailedNotifications.Edges, 2)

		var pulse struct {
			OperationsPulse struct {
				Minutes  int
				Channels []struct {
					Channel             struct{ ID pulid.ID }
					OrdersPerMinute     []struct{ Value float64 }
					StockSyncLagSeconds float64
					PushErrors          int
				}
				Queues []struct {
					Queue                                 string
					Available, Running, Retryable, Failed int
				}
				LateRiskShipments, DelayedShipments int
			}
		}
		admin.MustDo(t, `{ operationsPulse(minutes: 10) { minutes channels { channel { id name kind } ordersPerMinute { at value }
			stockSyncLagSeconds pushErrors } queues { queue available running retryable failed oldestSeconds }
			lateRiskShipments delayedShipments } }`, nil, &pulse)
		p := pulse.OperationsPulse
		require.Equal(t, 10, p.Minutes)
		require.Len(t, p.Channels, 2)
		for _, c := range p.Channels {
			require.Len(t, c.OrdersPerMinute, 10)
			total := 0.0
			for _, pt := range c.OrdersPerMinute {
				total += pt.Value
			}
			if c.Channel.ID == s.chA {
				require.Equal(t, 2.0, total)
			} else {
				require.Zero(t, total)
			}
		}
		var queues []string
		for _, q := range p.Queues {
			queues = append(queues, q.Queue)
		}
		require.Subset(t, queues, []string{"auth", "channel", "ingest", "stock"})
		for _, m := range []int{4, 1441} {
			resp, err := admin.Do(ctx, `query($m: Int) { operationsPulse(minutes: $m) { minutes } }`, map[string]any{"m": m})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", resp.Code())
		}
		resp, err = admin.Do(ctx, `{ savedViews { name } }`, nil)
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", resp.Code(), "an API key has no saved views")
	})
}
