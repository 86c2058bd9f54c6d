package routing

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// benchNetwork is 100 locations across Southeast Asia with stock of 200 variants, each location
// holding about a third of them.
func benchNetwork(r *rand.Rand) ([]Location, Stock, []pulid.ID) {
	variants := make([]pulid.ID, 200)
	for i := range variants {
		variants[i] = pulid.ID(fmt.Sprintf("var_%03d", i))
	}
	locs := make([]Location, 100)
	st := Stock{}
	for i := range locs {
		cc := countries[i%len(countries)]
		locs[i] = Location{ID: pulid.ID(fmt.Sprintf("loc_%03d", i)), Code: fmt.Sprintf("L%03d", i), Kind: KindWarehouse, Active: true,
			Lat: fp(-8 + r.Float64()*28), Lng: fp(96 + r.Float64()*28), CountryCode: cc, City: cities[cc][r.IntN(len(cities[cc]))],
			ShipsTo: countries, AcceptsCOD: i%2 == 0, Priority: r.IntN(3), DailyCapacity: 1000, Workload: r.IntN(900),
			EarliestShip: now.Add(time.Duration(r.IntN(48)) * time.Hour)}
		for _, v := range variants {
			if r.IntN(3) == 0 {
				if st[v] == nil {
					st[v] = map[pulid.ID]int64{}
				}
				st[v][locs[i].ID] = int64(r.IntN(20))
			}
		}
	}
	return locs, st, variants
}

func benchOrder(r *rand.Rand, i int, variants []pulid.ID, lines int) Order {
	cc := countries[r.IntN(len(countries))]
	sb := now.Add(time.Duration(12+r.IntN(48)) * time.Hour)
	o := Order{ID: pulid.ID(fmt.Sprintf("ord_%05d", i)), Destination: Address{CountryCode: cc, City: cities[cc][r.IntN(len(cities[cc]))]},
		COD: r.IntN(5) == 0, Priority: r.IntN(3), ShipBy: &sb, PlacedAt: now.Add(-time.Duration(r.IntN(10000)) * time.Minute)}
	for j := range lines {
		l := Line{ID: pulid.ID(fmt.Sprintf("oli_%05d_%02d", i, j)), VariantID: variants[r.IntN(len(variants))], Quantity: int64(1 + r.IntN(3)), WeightGrams: 200 + r.IntN(2000)}
		if r.IntN(10) == 0 {
			l.Components = []Component{{VariantID: variants[r.IntN(len(variants))], Quantity: 1, WeightGrams: 300}, {VariantID: variants[r.IntN(len(variants))], Quantity: 2, WeightGrams: 100}}
		}
		o.Lines = append(o.Lines, l)
	}
	return o
}

// BenchmarkRoute is one decision for 10 lines over 100 locations (target: well under 1 ms).
// With 10 random variants no single location usually holds everything, so this exercises the
// split search up to three shipments.
func BenchmarkRoute(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	locs, st, variants := benchNetwork(r)
	p := DefaultPolicy()
	p.MaxShipments = 3
	in := Input{Order: benchOrder(r, 0, variants, 10), Locations: locs, Stock: st, Policy: p, Now: now}
	b.ReportAllocs()
	var d Decision
	for b.Loop() {
		d = Route(in)
	}
	b.ReportMetric(float64(len(d.Shipments)), "shipments")
	b.ReportMetric(float64(d.Trace.Plan.Evaluated), "plans")
}

// BenchmarkRouteMany routes 10,000 varied orders against one network: the core of simulateRouting.
func BenchmarkRouteMany(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	locs, st, variants := benchNetwork(r)
	p := DefaultPolicy()
	p.MaxShipments = 3
	orders := make([]Order, 10000)
	for i := range orders {
		orders[i] = benchOrder(r, i, variants, 1+r.IntN(10))
	}
	orders = PrioritySort(orders)
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range orders {
			Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		}
	}
}
