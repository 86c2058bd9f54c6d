package demo_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ordotest"
)

func TestRestock(t *testing.T) {
	target := func(sku, code string) int64 {
		return map[string]int64{"SCARF/BKK": 60, "SCARF/CGK": 10, "BAG/BKK": 12}[sku+"/"+code]
	}
	for _, tc := range []struct {
		name   string
		levels []demo.Level
		want   []demo.Delivery
	}{
		{"full stock: nothing", []demo.Level{{SKU: "SCARF", LocationID: "loc_b", LocationCode: "BKK", OnHand: 60}}, nil},
		{"one unit short: a batch", []demo.Level{{SKU: "SCARF", LocationID: "loc_b", LocationCode: "BKK", OnHand: 61, SafetyStock: 2}},
			[]demo.Delivery{{SKU: "SCARF", LocationID: "loc_b", Quantity: 61}}},
		{"sold and reserved: to twice the opening stock", []demo.Level{{SKU: "SCARF", LocationID: "loc_b", LocationCode: "BKK", OnHand: 40, Reserved: 9, SafetyStock: 2}},
			[]demo.Delivery{{SKU: "SCARF", LocationID: "loc_b", Quantity: 91}}},
		{"oversold (backorders waiting): covers them too", []demo.Level{{SKU: "SCARF", LocationID: "loc_c", LocationCode: "CGK", OnHand: 0, Reserved: 0, SafetyStock: 3}},
			[]demo.Delivery{{SKU: "SCARF", LocationID: "loc_c", Quantity: 23}}},
		{"a level the seed never stocked: nothing", []demo.Level{{SKU: "BAG", LocationID: "loc_m", LocationCode: "MNL", OnHand: 0}}, nil},
		{"several, in a stable order", []demo.Level{
			{SKU: "SCARF", LocationID: "loc_c", LocationCode: "CGK", OnHand: 1},
			{SKU: "BAG", LocationID: "loc_b", LocationCode: "BKK", OnHand: 2},
			{SKU: "SCARF", LocationID: "loc_b", LocationCode: "BKK", OnHand: 0},
		}, []demo.Delivery{{SKU: "BAG", LocationID: "loc_b", Quantity: 22}, {SKU: "SCARF", LocationID: "loc_b", Quantity: 120}, {SKU: "SCARF", LocationID: "loc_c", Quantity: 19}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, demo.Restock(tc.levels, target))
		})
	}
}

// demoSpeedup is how much faster than `make run` the test runs the demo: 10 × the order rate and
// 1/10 of the restock interval, so 3 minutes of test (when Ordo keeps up) are 30 minutes of demo.
const demoSpeedup = 10

// TestDemoKeepsSellingAndTheReadmeExampleWorksAfterThirtyMinutes runs the demo of `make run` (the
// seed, the six simulated shops, the suppliers) at demoSpeedup × its pace until it has taken as many
// channel orders as 30 minutes of the demo bring (an order every five seconds per shop: 2,160), far
// more than the seed's stock (sold out after about 7 minutes without suppliers), then runs the
// README's first example.
func TestDemoKeepsSellingAndTheReadmeExampleWorksAfterThirtyMinutes(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	require.Contains(t, string(readme), readmeExample, "the example tested is the README's")
	srv := ordotest.Start(t, dbtest.PostgresURL(t))
	ctx := context.Background()
	inst := srv.Inst
	require.NoError(t, demo.Seed(ctx, demo.Services{Catalog: inst.Catalog, Inventory: inst.Inventory, Orders: inst.Orders, Policies: inst.Router.Policies}))

	const demoRate, demoMinutes = 0.2, 30 // make run: --market-rate 0.2, six shops
	want := int(demoRate * 6 * demoMinutes * 60)
	mctx, stop := context.WithCancel(ctx)
	marketDone := make(chan error, 1)
	go func() {
		marketDone <- demo.RunMarket(mctx, demo.MarketConfig{Addr: "127.0.0.1:0", API: srv.Admin(),
			Rate: demoRate * demoSpeedup, RestockEvery: demo.DefaultRestockEvery / demoSpeedup, Seed: 8})
	}()
	channelOrders := func() int {
		n, err := inst.DB.Client.Order.Query().Where(order.ChannelIDNotNil()).Count(ctx)
		require.NoError(t, err)
		return n
	}
	deadline := time.Now().Add(8 * time.Minute)
	logged, last, grew := time.Now(), 0, time.Now()
	for n := channelOrders(); n < want; n = channelOrders() {
		if time.Since(logged) > 15*time.Second {
			t.Logf("%d of %d channel orders", n, want)
			logged = time.Now()
		}
		if n > last {
			last, grew = n, time.Now()
		}
		require.Less(t, time.Since(grew), time.Minute, "the shops stopped selling after %d orders: sold out?", n)
		select {
		case err := <-marketDone:
			t.Fatalf("the simulator stopped after %d orders: %v", n, err)
		default:
		}
		require.True(t, time.Now().Before(deadline), "only %d of %d channel orders after 8 minutes", n, want)
		time.Sleep(200 * time.Millisecond) // polling the store's order count: no event to wait on
	}
	// The README's example, tried as someone watching `make run` would: while the shops keep selling
	// and the suppliers deliver. The shops sell at demoSpeedup × their pace, so the example may meet
	// a moment when every location that could ship its bundle is sold out; it is tried again after
	// the next delivery (the suppliers restock every DefaultRestockEvery / demoSpeedup), for a while.
	r, err := srv.Admin().Do(ctx, readmeExample, nil)
	require.NoError(t, err)
	for tries := 1; r.Code() == "INSUFFICIENT_STOCK" && tries < 20; tries++ {
		t.Logf("the README's example waits for a delivery (try %d): %s", tries, r.Errors[0].Message)
		time.Sleep(2 * demo.DefaultRestockEvery / demoSpeedup)
		r, err = srv.Admin().Do(ctx, readmeExample, nil)
		require.NoError(t, err)
	}
	stop()
	require.NoError(t, <-marketDone)
	closed, err := inst.DB.Client.OrderReturn.Query().Where(orderreturn.StatusEQ(orderreturn.StatusCLOSED)).Count(ctx)
	require.NoError(t, err)
	require.Positive(t, closed, "the demo's returns desk took no return back to the end")

	var res struct {
		PlaceOrder struct {
			Order struct {
				Status string
				Lines  []struct {
					SKU               string
					Quantity          int
					AllocatedQuantity int
				}
			}
		}
	}
	if len(r.Errors) > 0 {
		levels, err := inst.DB.Client.InventoryLevel.Query().WithVariant().WithLocation().All(ctx)
		require.NoError(t, err)
		for _, l := range levels {
			if sku := l.Edges.Variant.Sku; sku == "COFFEE-PHIN-250" || sku == "KAYA-PANDAN" {
				t.Logf("%s at %s: on hand %d, reserved %d, safety %d", sku, l.Edges.Location.Code, l.OnHand, l.Reserved, l.SafetyStock)
			}
		}
		var byStatus []struct {
			Status string `json:"status"`
			Count  int    `json:"count"`
		}
		require.NoError(t, inst.DB.Client.Order.Query().GroupBy(order.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &byStatus))
		t.Logf("orders by status: %+v", byStatus)
		t.Fatalf("the README's first example failed: %+v", r.Errors)
	}
	require.NoError(t, r.Decode(&res))
	require.Equal(t, "ALLOCATED", res.PlaceOrder.Order.Status)
	for _, l := range res.PlaceOrder.Order.Lines {
		require.Equal(t, l.Quantity, l.AllocatedQuantity, "%s is in stock", l.SKU)
	}
	srv.Audit(t)
}

// readmeExample is the README's first example, as a user pastes it into GraphiQL.
var readmeExample = strings.TrimSpace(`
mutation {
  placeOrder(input: {
    lines: [{sku: "SCARF-SILK-RED", quantity: 1}, {sku: "GIFT-BREAKFAST", quantity: 1}]
    customer: {email: "you@example.com"}, paid: true, idempotencyKey: "try-1"
  }) { replayed order { id number status total { amount currency } lines { sku quantity allocatedQuantity } } }
}`)
