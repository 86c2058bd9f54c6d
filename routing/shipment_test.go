package routing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// sku is one product of the generated catalogue.
type sku struct {
	id      pulid.ID
	grams   int
	l, w, h int // mm
}

// The kinds of the generated catalogue (small, medium, bulky but light, dense, large): share of
// 100, weight and side ranges.
var skuKinds = []struct {
	share      int
	gMin, gMax int
	side       [3][2]int // mm ranges, longest first
}{
	{40, 30, 400, [3][2]int{{50, 200}, {30, 150}, {5, 60}}},          // cases, cosmetics, cables
	{25, 300, 2000, [3][2]int{{150, 350}, {100, 250}, {30, 120}}},    // books, shoes, small appliances
	{15, 150, 1500, [3][2]int{{300, 550}, {250, 380}, {150, 350}}},   // pillows, lampshades, plush toys
	{10, 2000, 9000, [3][2]int{{100, 250}, {80, 200}, {50, 150}}},    // dumbbells, cast iron, paint
	{10, 3000, 15000, [3][2]int{{400, 580}, {300, 380}, {100, 380}}}, // monitors, cookers, fans
}

// generatedCatalogue is n SKUs drawn from skuKinds with a fixed seed.
func generatedCatalogue(r *rand.Rand, n int) []sku {
	between := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	out := make([]sku, n)
	for i := range out {
		pick, k := r.IntN(100), 0
		for pick >= skuKinds[k].share {
			pick -= skuKinds[k].share
			k++
		}
		kind := skuKinds[k]
		out[i] = sku{id: pulid.ID(fmt.Sprintf("var_%03d", i)), grams: between(kind.gMin, kind.gMax),
			l: between(kind.side[0][0], kind.side[0][1]), w: between(kind.side[1][0], kind.side[1][1]), h: between(kind.side[2][0], kind.side[2][1])}
	}
	return out
}

// shipmentStudy routes generated orders from a Thai network (each order from one location, to
// destinations in every zone) and compares what box-aware routing plans with the naive plan: the
// order's weight over the strongest box's capacity, as routing estimated before.
type shipmentStudy struct {
	orders                           int
	parcels, naiveParcels            int
	cost, naiveBilled, naiveEstimate int64
}

func studyShipments(seed uint64, skus, orders int) (shipmentStudy, []Input) {
	r := rand.New(rand.NewPCG(seed, seed))
	cat := generatedCatalogue(r, skus)
	locs := []Location{bkkWH(), cnxWH(), hktWH()}
	for i := range locs {
		locs[i].PostalCode = []string{"10330", "50200", "83000"}[i]
	}
	st := Stock{}
	for _, s := range cat {
		st[s.id] = map[pulid.ID]int64{locs[0].ID: 1_000_000, locs[1].ID: 1_000_000, locs[2].ID: 1_000_000}
	}
	dests := []Address{
		addrBangkok,
		{Lat: fp(13.8591), Lng: fp(100.5217), CountryCode: "TH", Region: "Nonthaburi", City: "Nonthaburi", PostalCode: "11000"},
		{Lat: fp(12.5684), Lng: fp(99.9577), CountryCode: "TH", Region: "Prachuap Khiri Khan", City: "Hua Hin", PostalCode: "77110"},
		{CountryCode: "TH", Region: "Khon Kaen", City: "Khon Kaen", PostalCode: "40000"},
		{CountryCode: "TH", Region: "Songkhla", City: "Hat Yai", PostalCode: "90110"},
	}
	p := DefaultPolicy()
	p.MaxShipments = 1
	boxes := packing.DefaultBoxes()
	strongest, xl := 0, boxes[0]
	for _, b := range boxes {
		if b.MaxWeightGrams-b.TareGrams > strongest {
			strongest, xl = b.MaxWeightGrams-b.TareGrams, b
		}
	}
	card := shipping.DefaultRateCards()[0]
	flat := card
	flat.DimDivisor = 0 // the naive estimate: actual weight only
	var s shipmentStudy
	ins := make([]Input, orders)
	for i := range ins {
		o := Order{ID: pulid.ID(fmt.Sprintf("ord_%05d", i)), Destination: dests[r.IntN(len(dests))], PlacedAt: now}
		lines := 1 + min(r.IntN(8), r.IntN(6)) // 1 to 6, mostly few
		grams := 0
		for j := range lines {
			it := cat[r.IntN(len(cat))]
			q := []int64{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)]
			o.Lines = append(o.Lines, Line{ID: pulid.ID(fmt.Sprintf("oli_%05d_%d", i, j)), VariantID: it.id, SKU: string(it.id), Quantity: q,
				WeightGrams: it.grams, LengthMM: it.l, WidthMM: it.w, HeightMM: it.h})
			grams += int(q) * it.grams
		}
		ins[i] = Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now}
		d := Route(ins[i])
		if len(d.Shipments) != 1 {
			panic(fmt.Sprintf("order %d: %d shipments: %s", i, len(d.Shipments), d.Trace.Plan.Why))
		}
		sh := d.Shipments[0]
		s.orders++
		s.parcels += sh.Parcels
		s.cost += sh.Cost

		n := max(1, (grams+strongest-1)/strongest)
		per := (grams + n - 1) / n
		est, _, err1 := flat.Quote(sh.Zone, shipping.Measure{WeightGrams: per})
		billed, _, err2 := card.Quote(sh.Zone, shipping.Measure{WeightGrams: per + xl.TareGrams, LengthMM: xl.LengthMM, WidthMM: xl.WidthMM, HeightMM: xl.HeightMM})
		if err1 != nil || err2 != nil {
			panic(fmt.Sprint(err1, err2))
		}
		s.naiveParcels += n
		s.naiveEstimate += int64(n) * est
		s.naiveBilled += int64(n) * billed
	}
	return s, ins
}

// TestBoxAwarePlansCostNoMoreThanTheNaivePlan checks, on the generated catalogue, that what
// box-aware routing pays for its parcels (each box billed on its dimensional weight) is never more
// in aggregate than the naive plan billed by the same card: the order's weight over the strongest
// box, in that box. It also shows what the naive estimate, by actual weight alone, leaves out.
func TestBoxAwarePlansCostNoMoreThanTheNaivePlan(t *testing.T) {
	s, _ := studyShipments(42, 300, 1500)
	if s.cost > s.naiveBilled {
		t.Fatalf("box-aware plans cost %d, the naive plans %d, over %d orders", s.cost, s.naiveBilled, s.orders)
	}
	if s.parcels < s.naiveParcels {
		t.Fatalf("box-aware plans ship %d parcels, fewer than the %d weight alone needs", s.parcels, s.naiveParcels)
	}
	if s.cost < s.naiveEstimate {
		t.Fatalf("box-aware plans cost %d, less than the naive estimate %d by actual weight: dimensional weight is missing", s.cost, s.naiveEstimate)
	}
	t.Logf("%d orders: box-aware %.3f parcels and %.0f per order; naive %.3f parcels, billed %.0f, estimated %.0f per order",
		s.orders, float64(s.parcels)/float64(s.orders), float64(s.cost)/float64(s.orders),
		float64(s.naiveParcels)/float64(s.orders), float64(s.naiveBilled)/float64(s.orders), float64(s.naiveEstimate)/float64(s.orders))
}

// BenchmarkShipmentPlans routes 3,000 generated orders of 1 to 6 lines over 300 SKUs and reports
// parcels and shipping cost per order for box-aware routing and for the naive plan (weight over
// the strongest box: billed in that box, and as routing used to estimate it, by weight alone);
// then, over an unevenly stocked network (split-*), what box-aware and naive routing's choices
// cost billed alike, and how many orders they route differently.
func BenchmarkShipmentPlans(b *testing.B) {
	s, ins := studyShipments(42, 300, 3000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Route(ins[i%len(ins)])
		i++
	}
	per := func(x int64) float64 { return float64(x) / float64(s.orders) }
	b.ReportMetric(per(int64(s.parcels)), "parcels/order")
	b.ReportMetric(per(int64(s.naiveParcels)), "naive-parcels/order")
	b.ReportMetric(per(s.cost), "cost/order")
	b.ReportMetric(per(s.naiveBilled), "naive-cost/order")
	b.ReportMetric(per(s.naiveEstimate), "naive-estimate/order")
	sp := studySplits(7, 300, 3000)
	perSplit := func(x int64) float64 { return float64(x) / float64(sp.orders) }
	b.ReportMetric(perSplit(int64(sp.parcels)), "split-parcels/order")
	b.ReportMetric(perSplit(int64(sp.naiveParcels)), "split-naive-parcels/order")
	b.ReportMetric(perSplit(sp.cost), "split-cost/order")
	b.ReportMetric(perSplit(sp.naiveCost), "split-naive-cost/order")
	b.ReportMetric(perSplit(int64(sp.differ)), "split-differ/order")
}

// splitStudy compares routing decisions over a network where SKUs are stocked unevenly, so that
// the plan search chooses among locations and splits: box-aware routing against routing with the
// naive estimate (one box as strong as the strongest, as large as anything, priced by actual
// weight). Both decisions are billed the same way, their shipments packed into the real boxes and
// priced by the real card, so that only the choices differ.
type splitStudy struct {
	orders, differ        int
	parcels, naiveParcels int
	cost, naiveCost       int64
}

func studySplits(seed uint64, skus, orders int) splitStudy {
	r := rand.New(rand.NewPCG(seed, seed+1))
	cat := generatedCatalogue(r, skus)
	byID := map[pulid.ID]sku{}
	for _, s := range cat {
		byID[s.id] = s
	}
	locs := []Location{bkkWH(), bkk2WH(), cnxWH(), hktWH()}
	st := Stock{}
	for _, s := range cat {
		st[s.id] = map[pulid.ID]int64{}
		for _, l := range locs {
			if r.IntN(2) == 0 {
				st[s.id][l.ID] = 1_000_000
			}
		}
		if len(st[s.id]) == 0 {
			st[s.id][locs[r.IntN(len(locs))].ID] = 1_000_000
		}
	}
	dests := []Address{addrBangkok,
		{Lat: fp(13.8591), Lng: fp(100.5217), CountryCode: "TH", Region: "Nonthaburi", City: "Nonthaburi", PostalCode: "11000"},
		{CountryCode: "TH", Region: "Chiang Mai", City: "Chiang Mai", PostalCode: "50200"},
		{CountryCode: "TH", Region: "Phuket", City: "Phuket", PostalCode: "83000"},
		{CountryCode: "TH", Region: "Khon Kaen", City: "Khon Kaen", PostalCode: "40000"}}
	boxAware := DefaultPolicy()
	naive := DefaultPolicy()
	strongest := 0
	for _, b := range packing.DefaultBoxes() {
		strongest = max(strongest, b.MaxWeightGrams-b.TareGrams)
	}
	naive.Boxes = []packing.Box{{Code: "NAIVE", LengthMM: 100_000, WidthMM: 100_000, HeightMM: 100_000, MaxWeightGrams: strongest}}
	naive.RateCards = shipping.DefaultRateCards()
	naive.RateCards[0].DimDivisor = 0
	bill := func(d Decision) (parcels int, cost int64) {
		for _, sh := range d.Shipments {
			var items []packing.Item
			for _, it := range sh.Items {
				s := byID[it.VariantID]
				items = append(items, packing.Item{Ref: string(it.LineID), SKU: string(it.VariantID), Quantity: int(it.Quantity),
					WeightGrams: s.grams, LengthMM: s.l, WidthMM: s.w, HeightMM: s.h})
			}
			boxes := packing.DefaultBoxes()
			e, err := shipping.EstimatePlan(shipping.DefaultRateCards(), sh.Zone, packing.Pack(items, boxes), boxes, items)
			if err != nil {
				panic(err)
			}
			parcels, cost = parcels+e.Parcels, cost+e.Amount
		}
		return parcels, cost
	}
	var s splitStudy
	for i := range orders {
		o := Order{ID: pulid.ID(fmt.Sprintf("ord_%05d", i)), Destination: dests[r.IntN(len(dests))], PlacedAt: now}
		for j := range 1 + min(r.IntN(8), r.IntN(6)) {
			it := cat[r.IntN(len(cat))]
			o.Lines = append(o.Lines, Line{ID: pulid.ID(fmt.Sprintf("oli_%05d_%d", i, j)), VariantID: it.id, SKU: string(it.id),
				Quantity: []int64{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)], WeightGrams: it.grams, LengthMM: it.l, WidthMM: it.w, HeightMM: it.h})
		}
		a := Route(Input{Order: o, Locations: locs, Stock: st, Policy: boxAware, Now: now})
		n := Route(Input{Order: o, Locations: locs, Stock: st, Policy: naive, Now: now})
		ap, ac := bill(a)
		np, nc := bill(n)
		s.orders++
		s.parcels, s.cost, s.naiveParcels, s.naiveCost = s.parcels+ap, s.cost+ac, s.naiveParcels+np, s.naiveCost+nc
		if fmt.Sprint(a.Trace.Plan.Locations) != fmt.Sprint(n.Trace.Plan.Locations) {
			s.differ++
		}
	}
	return s
}

// TestBoxAwareRoutingChoosesNoDearerPlans: over the uneven network, box-aware routing's choices
// cost no more in aggregate than the naive estimate's, billed alike.
func TestBoxAwareRoutingChoosesNoDearerPlans(t *testing.T) {
	s := studySplits(7, 300, 1500)
	if s.cost > s.naiveCost {
		t.Fatalf("box-aware choices cost %d, naive ones %d, over %d orders", s.cost, s.naiveCost, s.orders)
	}
	t.Logf("%d orders, %d routed differently: box-aware %.3f parcels and %.0f per order; naive choices %.3f parcels and %.0f per order",
		s.orders, s.differ, float64(s.parcels)/float64(s.orders), float64(s.cost)/float64(s.orders),
		float64(s.naiveParcels)/float64(s.orders), float64(s.naiveCost)/float64(s.orders))
}
