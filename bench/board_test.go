package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/ordotest"
)

// boardDocument is what the console sends for the first page of its order board: the rows (number,
// status, channel, customer, total, placed time, late-risk indicator) and the per-status tabs.
const boardDocument = `query Board($filter: OrderBoardFilter, $after: Cursor, $first: Int) {
  orderBoard(filter: $filter, after: $after, first: $first) {
    edges { cursor node { id number status placedAt paymentMethod total { amount currency }
      channel { id name } customer { id name email } shipments { id lateRisk } } }
    pageInfo { hasNextPage endCursor }
  }
  orderCounts(filter: $filter) { status count }
}`

// boardOrders is how many orders the board's store holds.
const boardOrders = 100_000

// boardStatuses are the seeded orders' statuses, weighted as a shop's 90 days: mostly done.
var boardStatuses = []order.Status{
	order.StatusCOMPLETED, order.StatusCOMPLETED, order.StatusCOMPLETED, order.StatusDELIVERED, order.StatusDELIVERED,
	order.StatusSHIPPED, order.StatusSHIPPED, order.StatusCONFIRMED, order.StatusALLOCATED, order.StatusPICKING,
	order.StatusPACKED, order.StatusREADY_TO_SHIP, order.StatusCANCELLED, order.StatusPENDING_PAYMENT,
	order.StatusON_HOLD, order.StatusBACKORDERED, order.StatusEXCEPTION, order.StatusRETURNED,
}

var boardPayments = []order.PaymentMethod{order.PaymentMethodPREPAID, order.PaymentMethodCOD, order.PaymentMethodCARD,
	order.PaymentMethodWALLET, order.PaymentMethodBANK_TRANSFER}

// boardFixture is a server over a store of boardOrders orders.
type boardFixture struct {
	srv      *ordotest.Server
	client   *ordotest.Client
	channels []pulid.ID
	email    string
	seeded   time.Duration
}

// BenchmarkBoard times the console's first board page (orderBoard first: 50 and orderCounts, one
// HTTP request) over 100,000 orders spread over 6 channels, 18 statuses, 90 days and 5,000
// customers, with no filter, a status filter, a channel filter and a customer search. It reports
// the request's p50 and p99 over HTTP and server-ms, the p50 of the same two reads called in
// process (the server's own time, without HTTP and JSON), split into board-ms and counts-ms.
func BenchmarkBoard(b *testing.B) {
	stores := []struct {
		name string
		url  func(testing.TB) string
	}{
		{"postgres", dbtest.PostgresURL},
		{"sqlite", dbtest.SQLiteURL},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			parent := b
			var f *boardFixture
			cases := []struct {
				name   string
				filter func(*boardFixture) map[string]any
			}{
				{"nofilter", func(*boardFixture) map[string]any { return nil }},
				{"status", func(*boardFixture) map[string]any { return map[string]any{"statuses": []string{"CONFIRMED"}} }},
				{"channel", func(f *boardFixture) map[string]any { return map[string]any{"channelIDs": []pulid.ID{f.channels[2]}} }},
				{"search", func(f *boardFixture) map[string]any { return map[string]any{"search": f.email} }},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					if f == nil {
						f = newBoardFixture(outliving{b, parent}, st.url)
						b.Logf("seeded %d orders in %v", boardOrders, f.seeded.Round(time.Millisecond))
					}
					f.run(b, c.filter(f))
				})
			}
		})
	}
}

func (f *boardFixture) run(b *testing.B, filter map[string]any) {
	vars := map[string]any{"filter": filter, "first": 50}
	var page struct {
		OrderBoard struct {
			Edges []struct{ Node struct{ Number string } }
		}
	}
	f.client.MustDo(b, boardDocument, vars, &page) // warm
	if len(page.OrderBoard.Edges) == 0 {
		b.Fatalf("the board is empty under %v", filter)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		f.client.MustDo(b, boardDocument, vars, nil)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	// The same reads in process, for the server's share of the time.
	var bf *orders.BoardFilter
	if filter != nil {
		bf = &orders.BoardFilter{}
		if s, ok := filter["statuses"].([]string); ok {
			bf.Statuses = []order.Status{order.Status(s[0])}
		}
		if c, ok := filter["channelIDs"].([]pulid.ID); ok {
			bf.ChannelIDs = c
		}
		if s, ok := filter["search"].(string); ok {
			bf.Search = &s
		}
	}
	ctx := context.Background()
	var server, board, counts []time.Duration
	for range 20 {
		start := time.Now()
		if _, err := f.srv.Inst.Orders.Board(ctx, bf, nil, 50, orders.BoardRead{Channel: true, Customer: true, Shipments: true}); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := f.srv.Inst.Orders.BoardCounts(ctx, bf); err != nil {
			b.Fatal(err)
		}
		board, counts = append(board, mid.Sub(start)), append(counts, time.Since(mid))
		server = append(server, time.Since(start))
	}
	slices.Sort(lat)
	slices.Sort(server)
	slices.Sort(board)
	slices.Sort(counts)
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(ms(percentile(server, 50)), "server-ms")
	b.ReportMetric(ms(percentile(board, 50)), "board-ms")
	b.ReportMetric(ms(percentile(counts, 50)), "counts-ms")
}

func newBoardFixture(tb testing.TB, url func(testing.TB) string) *boardFixture {
	tb.Helper()
	start := time.Now()
	srv := ordotest.Start(tb, url(tb))
	ctx := context.Background()
	c := srv.Inst.DB.Client
	f := &boardFixture{srv: srv, client: srv.Admin()}
	kinds := []channel.Kind{channel.KindSHOPEE, channel.KindLAZADA, channel.KindTIKTOK_SHOP, channel.KindSHOPIFY,
		channel.KindFACEBOOK, channel.KindPOS}
	for i, k := range kinds {
		f.channels = append(f.channels, c.Channel.Create().SetKind(k).SetName(fmt.Sprintf("Board %s %d", k, i)).SaveX(ctx).ID)
	}
	locs := []pulid.ID{
		c.Location.Create().SetCode("BRD-BKK").SetName("Bangkok DC").SetKind(location.KindWAREHOUSE).SaveX(ctx).ID,
		c.Location.Create().SetCode("BRD-CNX").SetName("Chiang Mai").SetKind(location.KindSTORE).SaveX(ctx).ID,
	}
	r := rand.New(rand.NewPCG(12, 34))
	batch := 2000 // rows per INSERT: PostgreSQL takes at most 65,535 parameters
	if srv.Inst.DB.Dialect == dialect.SQLite {
		batch = 500
	}
	var customers []pulid.ID
	for i := 0; i < 5000; i += batch {
		var rows []*ent.CustomerCreate
		for j := i; j < min(i+batch, 5000); j++ {
			rows = append(rows, c.Customer.Create().SetEmail(fmt.Sprintf("buyer%04d@example.com", j)).
				SetName(fmt.Sprintf("Buyer %d", j)).SetPhone(fmt.Sprintf("+6681%07d", j)))
		}
		for _, cu := range c.Customer.CreateBulk(rows...).SaveX(ctx) {
			customers = append(customers, cu.ID)
		}
	}
	f.email = "buyer0042@example.com"
	now := time.Now().UTC()
	for i := 0; i < boardOrders; i += batch {
		var rows []*ent.OrderCreate
		for j := i; j < min(i+batch, boardOrders); j++ {
			total := int64(r.IntN(500_000) + 1000)
			oc := c.Order.Create().SetNumber(fmt.Sprintf("SO-%07d", j)).
				SetStatus(boardStatuses[r.IntN(len(boardStatuses))]).SetPaymentMethod(boardPayments[r.IntN(len(boardPayments))]).
				SetCurrency("THB").SetSubtotalAmount(total).SetTotalAmount(total).
				SetPlacedAt(now.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))).
				SetCustomerID(customers[r.IntN(len(customers))])
			if ch := r.IntN(len(f.channels) + 1); ch < len(f.channels) { // some orders come from no channel
				oc.SetChannelID(f.channels[ch]).SetExternalID(fmt.Sprintf("EXT%d-%07d", ch, j))
			}
			rows = append(rows, oc)
		}
		saved := c.Order.CreateBulk(rows...).SaveX(ctx)
		// One order in ten has a shipment; one shipment in twenty is at late risk.
		var ships []*ent.ShipmentCreate
		for k, o := range saved {
			if k%10 != 0 {
				continue
			}
			ships = append(ships, c.Shipment.Create().SetOrderID(o.ID).SetLocationID(locs[k%2]).SetNumber(o.Number+"-1").
				SetStatus(shipment.StatusIN_TRANSIT).SetLateRisk(r.IntN(20) == 0).SetTrackingNumbers([]string{"TH" + o.Number}))
		}
		c.Shipment.CreateBulk(ships...).SaveX(ctx)
	}
	if srv.Inst.DB.Dialect == dialect.Postgres {
		if _, err := srv.Inst.DB.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
			tb.Fatal(err)
		}
	}
	f.seeded = time.Since(start)
	return f
}
