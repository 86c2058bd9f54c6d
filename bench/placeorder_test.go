package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/ordotest"
)

// placeOrder is the mutation measured, asking for what a storefront would show after checkout.
const placeOrder = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { replayed order { id number status } }
}`

// workload says what the orders of a run look like and at which concurrencies it is measured.
type workload struct {
	name string
	// skus is how many SKUs the store is seeded with; lines pick among the first picked of them.
	skus, picked int
	concurrency  []int
	// lines returns the SKU indexes of one order's lines.
	lines func(r *rand.Rand, picked int) []int
}

const (
	linesPerOrder = 3
	locations     = 4
	seedPerLevel  = 10_000 // units received per (SKU, location) when the store is seeded
)

var workloads = []workload{
	{
		// Orders spread over many SKUs: rows rarely collide, so this measures the cost of one order.
		name: "spread", skus: 500, picked: 500, concurrency: []int{1, 8, 32},
		lines: func(r *rand.Rand, picked int) []int {
			out := make([]int, linesPerOrder)
			for i := range out {
				out[i] = r.IntN(picked)
			}
			return out
		},
	},
	{
		// Every order takes one unit of each of the same 3 SKUs: every request updates the same
		// three stock levels, so this measures contention on hot rows.
		name: "hot", skus: 3, picked: 3, concurrency: []int{8, 32},
		lines: func(r *rand.Rand, picked int) []int { return r.Perm(picked)[:linesPerOrder] },
	},
}

// BenchmarkPlaceOrder places b.N orders through the GraphQL API with a fixed number of concurrent
// clients and reports orders/s and the p50 and p99 request latency. Each sub-benchmark has a store of
// its own; the ledger is audited after every run.
func BenchmarkPlaceOrder(b *testing.B) {
	stores := []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", dbtest.SQLiteURL},
		{"postgres", dbtest.PostgresURL},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			for _, w := range workloads {
				b.Run(w.name, func(b *testing.B) {
					parent := b
					for _, c := range w.concurrency {
						// The testing package calls the function below again for every b.N it
						// tries; the store is set up on the first call only, and lives until the
						// workload's benchmark ends, so that no setup is done for a sub-benchmark
						// that -bench filters out.
						var f *fixture
						b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
							if f == nil {
								f = newFixture(outliving{b, parent}, st.url, w)
							}
							f.run(b, c)
						})
					}
				})
			}
		})
	}
}

// outliving is a sub-benchmark's testing.TB whose cleanups and temporary directories belong to an
// enclosing benchmark, so that what it creates survives the sub-benchmark's repeated runs. Errors
// reported without stopping (as cleanups do, after the sub-benchmark is over) go to the enclosing
// benchmark too; Fatal stays with the sub-benchmark, whose goroutine calls it.
type outliving struct {
	testing.TB
	parent testing.TB
}

func (o outliving) Cleanup(fn func())              { o.parent.Cleanup(fn) }
func (o outliving) TempDir() string                { return o.parent.TempDir() }
func (o outliving) Error(args ...any)              { o.parent.Error(args...) }
func (o outliving) Errorf(format string, a ...any) { o.parent.Errorf(format, a...) }

// fixture is a running server with a seeded store, shared by the runs of one sub-benchmark.
type fixture struct {
	srv    *ordotest.Server
	client *ordotest.Client
	w      workload
	skus   []string
	rounds int
	placed int // orders placed by earlier runs
}

func newFixture(tb testing.TB, url func(testing.TB) string, w workload) *fixture {
	tb.Helper()
	srv := ordotest.Start(tb, url(tb))
	locs := make([]pulid.ID, locations)
	for i := range locs {
		locs[i] = srv.Location(tb, fmt.Sprintf("WH%d", i+1), 10*(i+1)).ID
	}
	f := &fixture{srv: srv, client: srv.Admin(), w: w, skus: make([]string, w.skus)}
	for i := range f.skus {
		f.skus[i] = fmt.Sprintf("%s-%04d", w.name, i)
	}
	// Seeding is a few thousand small transactions: run them side by side.
	ctx := auth.NewContext(context.Background(), auth.System)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make(chan error, seeders)
	)
	for range seeders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(f.skus); i = int(next.Add(1)) - 1 {
				if err := seed(ctx, srv, f.skus[i], locs); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatal(err)
	}
	return f
}

const seeders = 8

// seed creates a SKU priced 1000 minor units and receives seedPerLevel units of it at every location.
func seed(ctx context.Context, srv *ordotest.Server, sku string, locs []pulid.ID) error {
	p, err := srv.Inst.Catalog.CreateProduct(ctx, ent.CreateProductInput{Name: sku})
	if err != nil {
		return fmt.Errorf("seed %s: %w", sku, err)
	}
	price := int64(1000)
	if _, err := srv.Inst.Catalog.CreateVariant(ctx, ent.CreateVariantInput{Sku: sku, Name: sku, ProductID: p.ID, PriceAmount: &price}); err != nil {
		return fmt.Errorf("seed %s: %w", sku, err)
	}
	for _, l := range locs {
		if _, err := srv.Inst.Inventory.Receive(ctx, inventory.Receive{SKU: sku, LocationID: l, Quantity: seedPerLevel, Reference: "bench seed"}); err != nil {
			return fmt.Errorf("seed %s: %w", sku, err)
		}
	}
	return nil
}

// run is one timed run of b.N orders by c concurrent clients.
func (f *fixture) run(b *testing.B, c int) {
	f.rounds++
	r := rand.New(rand.NewPCG(uint64(f.rounds), uint64(c)))
	inputs := make([]map[string]any, b.N)
	demand := make(map[string]int64)
	for i := range inputs {
		var lines []map[string]any
		for _, k := range f.w.lines(r, f.w.picked) {
			lines = append(lines, map[string]any{"sku": f.skus[k], "quantity": 1})
			demand[f.skus[k]]++
		}
		inputs[i] = map[string]any{"input": map[string]any{
			"lines": lines, "paid": true, "customer": map[string]any{"email": fmt.Sprintf("buyer-%d-%d@example.com", f.rounds, i)},
		}}
	}
	f.topUp(b, demand)
	latencies := make([]time.Duration, b.N)
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	ctx := context.Background()

	b.ResetTimer()
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				res, err := f.client.Do(ctx, placeOrder, inputs[i])
				latencies[i] = time.Since(t0)
				if err == nil {
					err = checkPlaced(res)
				}
				if err != nil {
					fail(fmt.Errorf("order %d: %w", i, err))
					next.Store(int64(b.N)) // stop the other clients
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "orders/s")
	b.ReportMetric(ms(percentile(latencies, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(latencies, 99)), "p99-ms")

	f.placed += b.N
	n, err := f.srv.Inst.DB.Client.Order.Query().Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if n != f.placed {
		b.Fatalf("%d orders in the store, want %d", n, f.placed)
	}
	f.srv.Audit(b)
}

// checkPlaced fails a response that is not a freshly placed, fully allocated order.
func checkPlaced(res *ordotest.Response) error {
	if len(res.Errors) > 0 {
		return fmt.Errorf("status %d: %+v", res.Status, res.Errors)
	}
	var out struct {
		PlaceOrder struct {
			Replayed bool
			Order    struct{ ID, Status string }
		}
	}
	if err := res.Decode(&out); err != nil {
		return fmt.Errorf("decode %s: %w", res.Data, err)
	}
	if p := out.PlaceOrder; p.Replayed || p.Order.ID == "" || p.Order.Status != "ALLOCATED" {
		return fmt.Errorf("unexpected answer %s", res.Data)
	}
	return nil
}

// topUp receives stock at the first location wherever what is available of a SKU does not cover its
// demand in the coming run, so that no order of it can fail for lack of stock.
func (f *fixture) topUp(b *testing.B, demand map[string]int64) {
	b.Helper()
	ctx := auth.NewContext(context.Background(), auth.System)
	levels, err := f.srv.Inst.DB.Client.InventoryLevel.Query().WithVariant().All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	available := map[string]int64{}
	first := map[string]pulid.ID{}
	for _, l := range levels {
		sku := l.Edges.Variant.Sku
		available[sku] += inventory.Available(l)
		if _, ok := first[sku]; !ok || l.LocationID < first[sku] {
			first[sku] = l.LocationID
		}
	}
	for sku, need := range demand {
		if short := need - available[sku]; short > 0 {
			_, err := f.srv.Inst.Inventory.Receive(ctx, inventory.Receive{SKU: sku, LocationID: first[sku], Quantity: short + seedPerLevel, Reference: "bench top-up"})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// percentile is the nearest-rank p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := (len(sorted)*p + 99) / 100 // ⌈n·p/100⌉
	return sorted[max(k, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
