package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

// idleWorkload is the store of BenchmarkPlaceOrderIdleSubscribers: orders spread over 100 SKUs.
var idleWorkload = workload{
	name: "idle", skus: 100, picked: 100, concurrency: []int{8},
	lines: workloads[0].lines,
}

// idleSubscribers is how many storefront subscriptions the loaded runs hold open.
const idleSubscribers = 100

// BenchmarkPlaceOrderIdleSubscribers measures what idle live subscriptions cost order placement:
// placeOrder throughput (as BenchmarkPlaceOrder) with 0 and with 100 storefront subscribers, each
// with a key bound to a customer of its own and subscribed to orderUpdated for that customer, so
// that none of the orders placed concerns any of them. The goal is a cost under 10%.
//
//	go test -run '^$' -bench BenchmarkPlaceOrderIdleSubscribers -benchtime 1500x ./bench/
func BenchmarkPlaceOrderIdleSubscribers(b *testing.B) {
	stores := []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", dbtest.SQLiteURL},
		{"postgres", dbtest.PostgresURL},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			for _, subs := range []int{0, idleSubscribers} {
				b.Run(fmt.Sprintf("subscribers=%d", subs), func(b *testing.B) {
					parent := b
					for _, c := range idleWorkload.concurrency {
						var f *fixture
						b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
							if f == nil {
								f = newFixture(outliving{b, parent}, st.url, idleWorkload)
								subscribeIdle(outliving{b, parent}, f.srv, subs)
							}
							f.run(b, c)
						})
					}
				})
			}
		})
	}
}

// subscribeIdle opens n storefront subscriptions to orderUpdated, each for a customer of its own that
// places no order, and waits until the server feeds all of them.
func subscribeIdle(tb testing.TB, srv *ordotest.Server, n int) {
	tb.Helper()
	ctx := auth.NewContext(context.Background(), auth.System)
	for i := range n {
		cus, err := srv.Inst.DB.Client.Customer.Create().SetEmail(fmt.Sprintf("idle-%d@example.com", i)).Save(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		key := srv.Key(tb, auth.Storefront, &cus.ID)
		sub, err := srv.Subscribe(context.Background(), key,
			`subscription($c: ID) { orderUpdated(filter: {customerID: $c}) { id status } }`, map[string]any{"c": cus.ID})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(sub.Close)
	}
	require.Eventually(tb, func() bool { return srv.Inst.Hub.Subscribers() >= n }, time.Minute, 10*time.Millisecond,
		"the server feeds every idle subscription")
}
