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
// placeOrder throughput (as BenchmarkPlaceOrder) with no subscriber and with 100 storefront
// subscribers, each with a key bound to a customer of its own that none of the orders placed concerns:
// subscribed to orderUpdated for that customer, or to orderUpdated with no filter (the key's scope
// hides the orders). The goal is a cost under 10%.
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
			for _, subs := range []struct {
				name     string
				n        int
				filtered bool
			}{{"none", 0, false}, {"100-own-customer", idleSubscribers, true}, {"100-unfiltered", idleSubscribers, false}} {
				b.Run("subscribers="+subs.name, func(b *testing.B) {
					parent := b
					for _, c := range idleWorkload.concurrency {
						var f *fixture
						b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
							if f == nil {
								f = newFixture(outliving{b, parent}, st.url, idleWorkload)
								subscribeIdle(outliving{b, parent}, f.srv, subs.n, subs.filtered)
							}
							f.run(b, c)
							if n := f.srv.Inst.Hub.Subscribers(); n != subs.n {
								b.Fatalf("%d of %d idle subscriptions are still open: the others were cut off", n, subs.n)
							}
						})
					}
				})
			}
		})
	}
}

// subscribeIdle opens n storefront subscriptions to orderUpdated, each with a key bound to a customer
// of its own that places no order, and waits until the server feeds all of them. filtered
// subscriptions name their customer (decided on each event, with no read); the others rely on the
// key's row scope (one shared read of each changed order decides for all of them).
func subscribeIdle(tb testing.TB, srv *ordotest.Server, n int, filtered bool) {
	tb.Helper()
	ctx := auth.NewContext(context.Background(), auth.System)
	for i := range n {
		cus, err := srv.Inst.DB.Client.Customer.Create().SetEmail(fmt.Sprintf("idle-%d@example.com", i)).Save(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		key := srv.Key(tb, auth.Storefront, &cus.ID)
		query, vars := `subscription { orderUpdated { id status } }`, map[string]any(nil)
		if filtered {
			query, vars = `subscription($c: ID) { orderUpdated(filter: {customerID: $c}) { id status } }`, map[string]any{"c": cus.ID}
		}
		sub, err := srv.Subscribe(context.Background(), key, query, vars)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(sub.Close)
	}
	require.Eventually(tb, func() bool { return srv.Inst.Hub.Subscribers() >= n }, time.Minute, 10*time.Millisecond,
		"the server feeds every idle subscription")
}
