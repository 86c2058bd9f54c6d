package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/outbound"
)

// The peak run's shape; ORDO_BENCH_PEAK_RATE and ORDO_BENCH_PEAK_SECONDS override rate and length.
const (
	peakRate     = 500 // orders per second, over the six channels
	peakSeconds  = 60
	peakSKUs     = 120
	peakStock    = 300 // units per SKU per warehouse, two warehouses: the hot SKUs sell out
	peakBuffer   = 3   // units held back from every channel
	peakSkew     = 1.1 // Zipf: a few SKUs sell most
	settleWithin = 10 * time.Minute
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkChannelPeak is 11.11 mode: the marketplace simulator streams orders at 500/s spread over
// Shopify, Shopee, Lazada, TikTok Shop, Meta and Square for 60 s into one Ordo on PostgreSQL, over
// real HTTP (webhooks in, detail fetches, Meta's pulls, stock pushes out). The marketplaces sell only
// what Ordo last told them they may, less a buffer of 3. It reports the orders Ordo ingested per
// second, the p50 and p99 time from an order's creation on its channel to every channel having been
// told the stock it left, and the units oversold (ordered but not allocatable). It runs once.
func BenchmarkChannelPeak(b *testing.B) {
	rate, seconds := envInt("ORDO_BENCH_PEAK_RATE", peakRate), envInt("ORDO_BENCH_PEAK_SECONDS", peakSeconds)
	srv := ordotest.Start(b, dbtest.PostgresURL(b))
	ctx := auth.NewContext(context.Background(), auth.System)
	var whs []pulid.ID
	for i, city := range []struct {
		code     string
		lat, lng float64
	}{{"BKK-1", 13.75, 100.5}, {"BKK-2", 13.9, 100.6}} {
		l, err := srv.Inst.Catalog.CreateLocation(ctx, ent.CreateLocationInput{
			Code: city.code, Name: city.code, Kind: location.KindWAREHOUSE, ShipsTo: []string{"TH"}, Priority: ptr(10 * (i + 1)),
			Address: &schema.Address{City: "Bangkok", CountryCode: "TH", Latitude: &city.lat, Longitude: &city.lng},
		})
		if err != nil {
			b.Fatal(err)
		}
		whs = append(whs, l.ID)
	}
	var products []marketsim.Product
	for i := range peakSKUs {
		sku := fmt.Sprintf("PEAK-%03d", i)
		stock := map[pulid.ID]int64{}
		for _, w := range whs {
			stock[w] = peakStock
		}
		srv.SKU(b, sku, stock)
		products = append(products, marketsim.Product{SKU: sku, Name: sku, Price: 1000})
	}
	m := srv.ConnectMarket(b, ordotest.MarketOptions{MarketOptions: demo.MarketOptions{
		Products: products, Buffer: map[string]any{"kind": "FIXED", "value": peakBuffer},
	}})
	start := time.Now()
	waitFor(b, "first stock pushes", settleWithin, func() bool { return pendingListings(b, srv) == 0 && pushedListings(b, srv) == 6*peakSKUs })
	b.Logf("connected six channels with %d listings each in %v", peakSKUs, time.Since(start).Round(time.Millisecond))

	b.ResetTimer()
	shops := make([]*marketsim.Shop, 0, 6)
	for _, k := range marketsim.Kinds {
		shops = append(shops, m.Shops[k])
	}
	streamStart := time.Now()
	stats := m.Sim.Stream(context.Background(), shops, marketsim.StreamOptions{
		Rate: float64(rate) / 6, Duration: time.Duration(seconds) * time.Second, MaxLines: 2, MaxQuantity: 2, Skew: peakSkew, CODShare: 0.2, Seed: 1111,
	})
	streamed := time.Since(streamStart)
	created := 0
	for _, n := range stats.Created {
		created += n
	}
	// Every order in, every push out.
	waitFor(b, "ingestion", settleWithin, func() bool {
		if channelOrders(b, srv) >= created {
			return true
		}
		if time.Since(streamStart) > time.Duration(seconds)*time.Second+settleWithin-time.Second {
			jobStates(b, srv)
		}
		return false
	})
	ingested := time.Since(streamStart)
	waitFor(b, "stock sync", settleWithin, func() bool { return relayed(b, srv) && pendingListings(b, srv) == 0 })
	b.StopTimer()

	retried(b, srv)
	lat, details := latencies(b, srv, m)
	slices.Sort(lat)
	over, units := oversold(b, srv)
	rep, err := inventory.Audit(context.Background(), srv.Inst.DB, nil, nil)
	if err != nil || !rep.OK() {
		b.Fatalf("ledger drift after the peak: %v %+v", err, rep.Drift)
	}
	b.ReportMetric(float64(created)/streamed.Seconds(), "offered/s")
	b.ReportMetric(float64(created)/ingested.Seconds(), "ingested/s")
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(float64(over), "oversold-units")
	soldOut := 0
	for _, n := range stats.SoldOut {
		soldOut += n
	}
	b.Logf("%d orders offered in %v (%d not placed: their channel had nothing left to sell), all ingested after %v; order→every channel told: p50 %v p99 %v max %v over %d orders; oversold %d of %d units (stock %d)",
		created, streamed.Round(time.Millisecond), soldOut, ingested.Round(time.Millisecond), percentile(lat, 50), percentile(lat, 99), percentile(lat, 100), len(lat), over, units, peakSKUs*peakStock*2)
	details()
}

func waitFor(b *testing.B, what string, within time.Duration, done func() bool) {
	b.Helper()
	deadline := time.Now().Add(within)
	for !done() {
		if time.Now().After(deadline) {
			b.Fatalf("%s did not finish within %v", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func channelOrders(b *testing.B, srv *ordotest.Server) int {
	n, err := srv.Inst.DB.Client.Order.Query().Where(order.ChannelIDNotNil()).Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// relayed says whether the outbound relay has read past the last stock change.
func relayed(b *testing.B, srv *ordotest.Server) bool {
	ctx := context.Background()
	last, err := srv.Inst.DB.Client.Event.Query().Where(event.Type(inventory.EventStockChanged)).
		Order(event.ByTxid(entsql.OrderDesc()), event.ByID(entsql.OrderDesc())).First(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cp, err := srv.Inst.DB.Client.Checkpoint.Get(ctx, "outbound")
	if err != nil {
		b.Fatal(err)
	}
	return !(events.Position{TxID: cp.Txid, ID: cp.EventID}).Less(events.PositionOf(last))
}

func pendingListings(b *testing.B, srv *ordotest.Server) int {
	n, err := srv.Inst.DB.Client.ChannelListing.Query().Where(func(s *entsql.Selector) {
		s.Where(entsql.ColumnsGT(s.C(channellisting.FieldDirtySeq), s.C(channellisting.FieldPushedSeq)))
	}).Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return n
}

func pushedListings(b *testing.B, srv *ordotest.Server) int {
	n, err := srv.Inst.DB.Client.ChannelListing.Query().Where(channellisting.LastPushedAtNotNil()).Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// oversold counts units of channel orders that no stock covers (backordered), and all their units.
func oversold(b *testing.B, srv *ordotest.Server) (over, units int64) {
	ctx := context.Background()
	os, err := srv.Inst.DB.Client.Order.Query().Where(order.ChannelIDNotNil()).WithLines(func(q *ent.OrderLineQuery) { q.WithAllocations() }).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range os {
		for _, l := range o.Edges.Lines {
			var got int64
			for _, a := range l.Edges.Allocations {
				got += a.Quantity
			}
			over += max(0, l.Quantity-got)
			units += l.Quantity
		}
	}
	return over, units
}

// latencies measures, for every order, the time from its creation on its channel until every
// channel had been told a quantity of each of its SKUs that accounts for it: the ledger's stock
// changes, replayed in commit order, give the total available right after the order's reservation,
// and a push reflects the order once it says that much less the buffer or fewer (stock only falls
// during the run, so pushes of a listing only fall too).
func latencies(b *testing.B, srv *ordotest.Server, m *ordotest.Market) (lat []time.Duration, details func()) {
	ctx := context.Background()
	db := srv.Inst.DB.Client
	// Total available per variant after each order's last stock change of it.
	evs, err := db.Event.Query().Where(event.Type(inventory.EventStockChanged)).
		Order(event.ByTxid(), event.ByID()).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	perLoc := map[[2]string]int64{}
	after := map[[2]string]int64{} // (order id, variant id) → total available
	for _, e := range evs {
		perLoc[[2]string{e.VariantID, e.LocationID}] = int64(e.Data["available"].(float64))
		if e.OrderID == "" {
			continue
		}
		var total int64
		for k, v := range perLoc {
			if k[0] == e.VariantID {
				total += v
			}
		}
		after[[2]string{e.OrderID, e.VariantID}] = total
	}
	// Pushes per (kind, SKU).
	type key struct {
		kind channels.Kind
		sku  string
	}
	pushes := map[key][]marketsim.Push{}
	for kind, sh := range m.Shops {
		sku := map[string]string{}
		for _, l := range sh.Config().Listings {
			sku[l.ID] = l.SKU
		}
		for _, p := range sh.Pushes() {
			k := key{kind, sku[p.ListingID]}
			pushes[k] = append(pushes[k], p)
		}
	}
	chs, err := db.Channel.Query().All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	kindOf := map[pulid.ID]channel.Kind{}
	for _, c := range chs {
		kindOf[c.ID] = c.Kind
	}
	created := map[[2]string]time.Time{}
	for kind, sh := range m.Shops {
		for _, o := range sh.Orders() {
			created[[2]string{string(kind), o.ID}] = o.CreatedAt
		}
	}
	os, err := db.Order.Query().Where(order.ChannelIDNotNil()).WithLines(func(q *ent.OrderLineQuery) { q.WithVariant() }).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var out, ingest []time.Duration
	byKind := map[channel.Kind][]time.Duration{}
	toldBy := map[channels.Kind][]time.Duration{}
	details = func() {
		slices.Sort(ingest)
		b.Logf("order→in Ordo: p50 %v p99 %v", percentile(ingest, 50), percentile(ingest, 99))
		for _, k := range marketsim.Kinds {
			v, w := byKind[channel.Kind(k)], toldBy[k]
			slices.Sort(v)
			slices.Sort(w)
			b.Logf("  %s: its orders → every channel told p50 %v p99 %v; it told of any order p50 %v p99 %v",
				k, percentile(v, 50), percentile(v, 99), percentile(w, 50), percentile(w, 99))
		}
	}
	for _, o := range os {
		t0, ok := created[[2]string{string(kindOf[*o.ChannelID]), *o.ExternalID}]
		if !ok {
			continue
		}
		var worst time.Duration
		measured := false
		for _, l := range o.Edges.Lines {
			if l.VariantID == nil {
				continue // a line without stock: nothing to tell
			}
			avail, ok := after[[2]string{string(o.ID), string(*l.VariantID)}]
			if !ok {
				continue // backordered: nothing to tell
			}
			measured = true
			want := outbound.Sellable(avail, channel.StockBufferKindFIXED, peakBuffer)
			for _, kind := range marketsim.Kinds {
				told := time.Time{}
				for _, p := range pushes[key{kind, l.Sku}] {
					if p.Quantity <= want {
						told = p.At
						break
					}
				}
				if told.IsZero() {
					ls, _ := db.ChannelListing.Query().Where(channellisting.HasVariantWith(variant.Sku(l.Sku))).WithChannel().All(ctx)
					for _, x := range ls {
						b.Logf("listing %s on %s: pushed %v at %v, seq %d/%d, error %q", x.ExternalID, x.Edges.Channel.Kind, deref(x.LastPushedQuantity), x.LastPushedAt, x.PushedSeq, x.DirtySeq, x.LastPushError)
					}
					ps := pushes[key{kind, l.Sku}]
					b.Fatalf("%s was never told %s ≤ %d after order %s; its last pushes: %v", kind, l.Sku, want, o.ID, ps[max(0, len(ps)-3):])
				}
				worst = max(worst, told.Sub(t0))
				toldBy[kind] = append(toldBy[kind], told.Sub(t0))
			}
		}
		ingest = append(ingest, o.CreatedAt.Sub(t0))
		if !measured {
			continue // backordered whole: no stock was taken, no channel had anything to hear
		}
		out = append(out, worst)
		byKind[kindOf[*o.ChannelID]] = append(byKind[kindOf[*o.ChannelID]], worst)
	}
	return out, details
}

// retried logs the jobs that needed more than one attempt, and why.
func retried(b *testing.B, srv *ordotest.Server) {
	rows, err := srv.Inst.DB.SQL.QueryContext(context.Background(),
		"SELECT kind, count(*), max(errors::text) FROM river_job WHERE attempt > 1 OR errors IS NOT NULL GROUP BY kind")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, sample string
		var n int
		if err := rows.Scan(&kind, &n, &sample); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d %s jobs retried, e.g. %.300s", n, kind, sample)
	}
}

// jobStates logs how many jobs of each kind are in each state, for a run that does not settle.
func jobStates(b *testing.B, srv *ordotest.Server) {
	rows, err := srv.Inst.DB.SQL.QueryContext(context.Background(), "SELECT kind, state, count(*), max(attempt) FROM river_job GROUP BY kind, state")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		var n, attempt int
		if err := rows.Scan(&kind, &state, &n, &attempt); err != nil {
			b.Fatal(err)
		}
		b.Logf("jobs %s %s: %d (max attempt %d)", kind, state, n, attempt)
	}
	retried(b, srv)
}

func deref(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}
