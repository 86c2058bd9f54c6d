package e2e_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/ordotest"
)

const placeOne = `mutation($sku: String!, $key: String, $ch: ID, $ext: String) {
  placeOrder(input: {lines: [{sku: $sku, quantity: 1}], paid: true, idempotencyKey: $key, channelID: $ch, externalID: $ext}) {
    replayed order { id status }
  }
}`

type placed struct {
	PlaceOrder struct {
		Replayed bool
		Order    struct{ ID, Status string }
	}
}

// race fires n concurrent single-unit orders for sku, spread over clients, and counts the outcomes.
func race(t *testing.T, clients []*ordotest.Client, sku string, n int) (ok, short int) {
	t.Helper()
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := clients[i%len(clients)].Do(context.Background(), placeOne, map[string]any{"sku": sku})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("request %d: %v", i, err)
			case res.Code() == "":
				ok++
			case res.Code() == "INSUFFICIENT_STOCK":
				short++
			default:
				t.Errorf("request %d: unexpected %+v", i, res.Errors)
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok, short
}

func TestConcurrentPlaceOrderNeverOversells(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		bkk := srv.Location(t, "BKK", 10)
		jkt := srv.Location(t, "JKT", 20)
		srv.SKU(t, "LAST-TEN", map[pulid.ID]int64{bkk.ID: 7, jkt.ID: 3})

		ok, short := race(t, []*ordotest.Client{srv.Admin()}, "LAST-TEN", 64)
		require.Equal(t, 10, ok)
		require.Equal(t, 54, short)

		ctx := context.Background()
		levels, err := srv.Inst.DB.Client.InventoryLevel.Query().All(ctx)
		require.NoError(t, err)
		var reserved int64
		for _, l := range levels {
			require.LessOrEqual(t, l.Reserved, l.OnHand)
			reserved += l.Reserved
		}
		require.EqualValues(t, 10, reserved)
		srv.Audit(t)
	})
}

func TestPlaceOrderReplaysAreOneOrder(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 100})
		admin := srv.Admin()
		var ch struct{ CreateChannel struct{ ID string } }
		admin.MustDo(t, `mutation { createChannel(input: {kind: SHOPEE, name: "Shopee TH", shopID: "727720655"}) { id } }`, nil, &ch)

		for _, tc := range []struct {
			name string
			vars map[string]any
		}{
			{"idempotency key", map[string]any{"sku": "TEE", "key": "checkout-7f3a"}},
			{"channel and external id", map[string]any{"sku": "TEE", "ch": ch.CreateChannel.ID, "ext": "220810QSK8S7BX"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var (
					wg  sync.WaitGroup
					ids = make([]string, 8)
					rep = make([]bool, 8)
				)
				for i := range ids {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var out placed
						admin.MustDo(t, placeOne, tc.vars, &out)
						ids[i], rep[i] = out.PlaceOrder.Order.ID, out.PlaceOrder.Replayed
					}()
				}
				wg.Wait()
				fresh := 0
				for i := range ids {
					require.Equal(t, ids[0], ids[i])
					if !rep[i] {
						fresh++
					}
				}
				require.Equal(t, 1, fresh, "exactly one call places the order, the others replay it")

				ctx := context.Background()
				id := ids[0]
				n, err := srv.Inst.DB.Client.Allocation.Query().Where(allocation.OrderID(pulid.ID(id))).Count(ctx)
				require.NoError(t, err)
				require.Equal(t, 1, n, "one reservation")
				n, err = srv.Inst.DB.Client.Event.Query().Where(event.OrderID(id), event.Type(orders.EventPlaced)).Count(ctx)
				require.NoError(t, err)
				require.Equal(t, 1, n, "one order.placed event")
			})
		}
		l, err := srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.LocationID(loc.ID)).Only(context.Background())
		require.NoError(t, err)
		require.EqualValues(t, 2, l.Reserved)
		srv.Audit(t)

		// A storefront's idempotency keys are its own: the same key from another caller is another order.
		// (A storefront may not say the order is paid: graph.InputPolicy.)
		sf := srv.Client(srv.Key(t, "STOREFRONT", nil))
		var out placed
		sf.MustDo(t, `mutation($sku: String!, $key: String) {
			placeOrder(input: {lines: [{sku: $sku, quantity: 1}], idempotencyKey: $key}) { replayed order { id status } } }`,
			map[string]any{"sku": "TEE", "key": "checkout-7f3a"}, &out)
		require.False(t, out.PlaceOrder.Replayed)
	})
}
