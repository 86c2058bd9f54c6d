package routing

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/stretchr/testify/require"
)

var (
	countries = []string{"TH", "ID", "VN", "MY", "PH", "SG"}
	cities    = map[string][]string{
		"TH": {"Bangkok", "Chiang Mai", "Phuket"}, "ID": {"Jakarta", "Surabaya", "Bandung"}, "VN": {"Hanoi", "Ho Chi Minh City"},
		"MY": {"Kuala Lumpur", "Penang"}, "PH": {"Manila", "Cebu City"}, "SG": {"Singapore"},
	}
	kinds = []Kind{KindWarehouse, KindWarehouse, KindStore, KindThirdPartyLogistics, KindDropShipSupplier}
)

// randomInput builds a random but valid routing input.
func randomInput(r *rand.Rand, nLines, nLocs, nVariants int) Input {
	variants := make([]pulid.ID, nVariants)
	for i := range variants {
		variants[i] = pulid.ID(fmt.Sprintf("var_%03d", i))
	}
	channels := []pulid.ID{"chn_A", "chn_B"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	locs := make([]Location, nLocs)
	st := Stock{}
	for i := range locs {
		cc := pick(countries)
		l := Location{ID: pulid.ID(fmt.Sprintf("loc_%03d", i)), Code: fmt.Sprintf("L%03d", i), Kind: kinds[r.IntN(len(kinds))],
			Active: r.IntN(10) > 0, CountryCode: cc, City: pick(cities[cc]), AcceptsCOD: r.IntN(2) == 0,
			Priority: r.IntN(5), DailyCapacity: r.IntN(3) * 100, Workload: r.IntN(150),
			EarliestShip: now.Add(time.Duration(r.IntN(72)) * time.Hour)}
		if r.IntN(3) > 0 {
			l.Lat, l.Lng = fp(-10+r.Float64()*30), fp(95+r.Float64()*30)
		}
		if r.IntN(3) == 0 {
			l.ShipsTo = []string{pick(countries), pick(countries), cc}
		}
		if r.IntN(4) == 0 {
			l.Channels = []pulid.ID{channels[r.IntN(2)]}
		}
		if l.Kind == KindDropShipSupplier {
			l.SupplierOf = []pulid.ID{variants[r.IntN(nVariants)], variants[r.IntN(nVariants)]}
		}
		locs[i] = l
		for _, v := range variants {
			if r.IntN(3) == 0 {
				if st[v] == nil {
					st[v] = map[pulid.ID]int64{}
				}
				st[v][l.ID] = int64(r.IntN(12)) - 1
			}
		}
	}
	cc := pick(countries)
	o := Order{ID: "ord_X", Destination: Address{CountryCode: cc, City: pick(cities[cc])}, COD: r.IntN(4) == 0,
		Priority: r.IntN(3), PlacedAt: now.Add(-time.Duration(r.IntN(1000)) * time.Minute)}
	if r.IntN(2) == 0 {
		o.ChannelID = &channels[r.IntN(2)]
	}
	if r.IntN(2) == 0 {
		sb := now.Add(time.Duration(r.IntN(72)) * time.Hour)
		o.ShipBy = &sb
	}
	if r.IntN(5) == 0 {
		o.Exclude = []pulid.ID{locs[r.IntN(nLocs)].ID}
	}
	for i := range nLines {
		l := Line{ID: pulid.ID(fmt.Sprintf("oli_%02d", i)), VariantID: variants[r.IntN(nVariants)], Quantity: int64(1 + r.IntN(4)), WeightGrams: r.IntN(3000)}
		if r.IntN(5) == 0 {
			for range 1 + r.IntN(3) {
				l.Components = append(l.Components, Component{VariantID: variants[r.IntN(nVariants)], Quantity: int64(1 + r.IntN(2)), WeightGrams: r.IntN(800)})
			}
		}
		if r.IntN(8) == 0 {
			at := now.Add(time.Duration(r.IntN(48)-24) * time.Hour)
			l.ReleaseAt = &at
		}
		o.Lines = append(o.Lines, l)
	}
	p := DefaultPolicy()
	p.MaxShipments = 1 + r.IntN(4)
	p.ShipFromStore, p.DropShip, p.SplitBundles = r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(2) == 0
	p.Backorder = []BackorderMode{BackorderPartial, BackorderWhole, BackorderReview}[r.IntN(3)]
	if r.IntN(3) == 0 {
		r.Shuffle(len(p.Criteria), func(i, j int) { p.Criteria[i], p.Criteria[j] = p.Criteria[j], p.Criteria[i] })
		for i := range p.Criteria {
			p.Criteria[i].Weight = float64(r.IntN(6))
		}
	}
	return Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now}
}

// expected is what each (line, variant) asks for.
func expected(o Order) map[[2]pulid.ID]int64 {
	want := map[[2]pulid.ID]int64{}
	for _, l := range o.Lines {
		if len(l.Components) == 0 {
			want[[2]pulid.ID{l.ID, l.VariantID}] += l.Quantity
			continue
		}
		for _, c := range l.Components {
			want[[2]pulid.ID{l.ID, c.VariantID}] += l.Quantity * c.Quantity
		}
	}
	return want
}

func TestRouteProperties(t *testing.T) {
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 42))
		in := randomInput(r, 1+r.IntN(8), 1+r.IntN(25), 1+r.IntN(10))
		d := Route(in)
		msg := fmt.Sprintf("seed %d", seed)

		// never more shipments than allowed, one per location
		require.LessOrEqual(t, len(d.Shipments), in.Policy.MaxShipments, msg)
		seen := map[pulid.ID]bool{}
		for _, s := range d.Shipments {
			require.False(t, seen[s.LocationID], msg)
			seen[s.LocationID] = true
		}

		// never more than available per (variant, location); only eligible locations ship
		used := map[[2]pulid.ID]int64{}
		for _, s := range d.Shipments {
			require.Empty(t, rejected(d, s.LocationID), msg)
			for _, it := range s.Items {
				require.Positive(t, it.Quantity, msg)
				used[[2]pulid.ID{it.VariantID, s.LocationID}] += it.Quantity
			}
		}
		for k, n := range used {
			require.LessOrEqual(t, n, in.Stock[k[0]][k[1]], "%s: %s at %s", msg, k[0], k[1])
		}

		// allocated + backordered + held = ordered, per line and variant
		got := map[[2]pulid.ID]int64{}
		for _, s := range d.Shipments {
			for _, it := range s.Items {
				got[[2]pulid.ID{it.LineID, it.VariantID}] += it.Quantity
			}
		}
		for _, b := range d.Backordered {
			got[[2]pulid.ID{b.LineID, b.VariantID}] += b.Quantity
		}
		for _, h := range d.Held {
			got[[2]pulid.ID{h.LineID, h.VariantID}] += h.Quantity
		}
		require.Equal(t, expected(in.Order), got, msg)

		// COD orders only from locations that accept it; outcomes are consistent
		if in.Order.COD {
			for _, s := range d.Shipments {
				for _, l := range in.Locations {
					if l.ID == s.LocationID {
						require.True(t, l.AcceptsCOD, msg)
					}
				}
			}
		}
		switch d.Outcome {
		case OutcomeAllocate:
			require.Empty(t, d.Backordered, msg)
			require.Empty(t, d.Held, msg)
		case OutcomeBackorder, OutcomeReview:
			require.Empty(t, d.Shipments, msg)
		case OutcomePartial:
			require.NotEmpty(t, d.Shipments, msg)
			require.NotEmpty(t, d.Backordered, msg)
		}

		// the same input gives the same decision, whatever the order of the locations
		require.True(t, reflect.DeepEqual(d, Route(in)), msg)
		shuffled := in
		shuffled.Locations = append([]Location(nil), in.Locations...)
		r.Shuffle(len(shuffled.Locations), func(i, j int) {
			shuffled.Locations[i], shuffled.Locations[j] = shuffled.Locations[j], shuffled.Locations[i]
		})
		require.True(t, reflect.DeepEqual(d, Route(shuffled)), msg)
	}
}

// A complete single-location plan exists whenever one location can serve everything: the search
// never splits an order that one location could ship.
func TestNeverSplitsWhatOneLocationCovers(t *testing.T) {
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 7))
		in := randomInput(r, 1+r.IntN(6), 2+r.IntN(20), 1+r.IntN(6))
		in.Policy.MaxShipments = 3
		for i := range in.Order.Lines {
			in.Order.Lines[i].ReleaseAt = nil
		}
		// give one eligible-looking location everything
		hub := Location{ID: "loc_HUB", Code: "HUB", Kind: KindWarehouse, Active: true, AcceptsCOD: true,
			CountryCode: in.Order.Destination.CountryCode, City: in.Order.Destination.City}
		in.Locations = append(in.Locations, hub)
		for k, n := range expected(in.Order) {
			if in.Stock[k[1]] == nil {
				in.Stock[k[1]] = map[pulid.ID]int64{}
			}
			in.Stock[k[1]][hub.ID] += n
		}
		d := Route(in)
		require.Equal(t, OutcomeAllocate, d.Outcome, "seed %d", seed)
		require.Len(t, d.Shipments, 1, "seed %d", seed)
	}
}
