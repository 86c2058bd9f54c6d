package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/ordotest"
)

// simulatedOrders is how many past orders BenchmarkSimulateRouting replays.
const simulatedOrders = 10_000

// BenchmarkSimulateRouting replays 10,000 stored orders (3 lines each, 20 locations across
// Southeast Asia) against a draft policy, as simulateRouting does: loading them, one stock snapshot,
// and two routing decisions per order. Seeding is not timed.
func BenchmarkSimulateRouting(b *testing.B) {
	for _, st := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", dbtest.SQLiteURL}, {"postgres", dbtest.PostgresURL}} {
		b.Run(st.name, func(b *testing.B) {
			srv := ordotest.Start(b, st.url(b))
			seedHistory(b, srv)
			draft := dispatch.PolicyInput{
				Criteria:     []schema.RoutingCriterion{{Name: "COST", Weight: 3}, {Name: "DISTANCE", Weight: 1}},
				MaxShipments: 1, Backorder: routingpolicy.BackorderPARTIAL,
			}
			b.ResetTimer()
			var sim dispatch.Simulation
			for b.Loop() {
				var err error
				sim, err = srv.Inst.Router.Simulate(context.Background(), draft, simulatedOrders, nil, nil, time.Now())
				if err != nil {
					b.Fatal(err)
				}
			}
			if sim.Orders != simulatedOrders {
				b.Fatalf("replayed %d orders, want %d", sim.Orders, simulatedOrders)
			}
			b.ReportMetric(float64(sim.Changed), "changed")
		})
	}
}

// seedHistory places simulatedOrders orders through the order service, 8 at a time.
func seedHistory(b *testing.B, srv *ordotest.Server) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	var locs []pulid.ID
	for i := range 20 {
		l, err := srv.Inst.Catalog.CreateLocation(ctx, ent.CreateLocationInput{
			Code: fmt.Sprintf("L%02d", i), Name: fmt.Sprint("L", i), Kind: "WAREHOUSE",
			Address: &schema.Address{CountryCode: "TH", Latitude: ptr(5 + r.Float64()*15), Longitude: ptr(98 + r.Float64()*8)},
		})
		if err != nil {
			b.Fatal(err)
		}
		locs = append(locs, l.ID)
	}
	const skus = 200
	for i := range skus {
		sku := fmt.Sprint("SIM-", i)
		srv.SKU(b, sku, nil)
		for _, l := range locs {
			if r.IntN(3) == 0 {
				if _, err := srv.Inst.Inventory.Receive(ctx, inventory.Receive{SKU: sku, LocationID: l, Quantity: 1000}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	work := make(chan orders.PlaceInput)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for in := range work {
				if _, _, err := srv.Inst.Orders.Place(ctx, in); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for range simulatedOrders {
		in := orders.PlaceInput{Paid: true, AllowBackorder: true,
			ShippingAddress: &schema.Address{CountryCode: "TH", Latitude: ptr(5 + r.Float64()*15), Longitude: ptr(98 + r.Float64()*8)}}
		for range 3 {
			in.Lines = append(in.Lines, orders.Line{SKU: fmt.Sprint("SIM-", r.IntN(skus)), Quantity: 1})
		}
		work <- in
	}
	close(work)
	wg.Wait()
}

func ptr[T any](v T) *T { return &v }
