package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/webhooks"
)

// The fan-out run's shape; ORDO_BENCH_FANOUT_SECONDS overrides the length of each phase and
// ORDO_BENCH_FANOUT_EVENTS the events a second the log is topped up to.
const (
	fanoutEndpoints = 10
	fanoutClients   = 8
	fanoutSeconds   = 15
	fanoutEvents    = 1_050 // events per second the writer tops the log up to: 1,000 and a margin
	fanoutSettle    = 5 * time.Minute
)

// fanoutWorkload is the spread workload on fewer SKUs (seeding is not what is measured).
var fanoutWorkload = workload{name: "fanout", skus: 100, picked: 100, lines: workloads[0].lines}

// BenchmarkWebhookFanout measures what partner webhooks cost placeOrder (issue 11, must-show 4), on
// PostgreSQL: 8 clients place orders in a closed loop for a phase with no endpoint, a phase with 10
// endpoints subscribed to every event type (in-process receivers that take every delivery), and a
// last phase with none again (the arms are the mean of the two outer phases, so that a store
// growing over the run does not count against the webhooks). A background writer tops the log up
// with stock.changed events whenever placeOrder alone has written fewer than 1,000 events a second
// since the phase began, in every phase alike. It reports orders/s without and with the endpoints, the slowdown, the events and
// the deliveries per second, and the delivery lag (a receiver's clock at arrival less the event's
// created_at) at p50 and p99, counted over every event of the webhook phase, including those
// delivered after it ended, and the CPU the process (server, receivers and clients) used per
// phase, which says what the deliveries cost where the machine's cores are shared. It runs once;
// the ledger is audited at the end.
func BenchmarkWebhookFanout(b *testing.B) {
	// The receivers are on loopback, which the delivery client learns it may reach at start-up.
	b.Setenv("ORDO_WEBHOOK_ALLOW_PRIVATE", "true")
	// A production server's pool, not the test suite's six connections: ten dispatchers and eight
	// clients on six connections would measure the pool's queue, not the webhooks.
	b.Setenv("ORDO_DB_MAX_CONNS", strconv.Itoa(database.DefaultMaxConns))
	f := &fanout{fixture: newFixture(b, dbtest.PostgresURL, fanoutWorkload), eventRate: envInt("ORDO_BENCH_FANOUT_EVENTS", fanoutEvents)}
	seconds := time.Duration(envInt("ORDO_BENCH_FANOUT_SECONDS", fanoutSeconds)) * time.Second
	ctx := auth.NewContext(context.Background(), auth.System)

	f.phase(b, 2*time.Second) // warm-up: connections, caches, the planner's statistics

	b.ResetTimer()
	off1 := f.phase(b, seconds)

	receivers := make([]*fanoutReceiver, fanoutEndpoints)
	endpoints := make([]pulid.ID, fanoutEndpoints)
	for i := range receivers {
		receivers[i] = newFanoutReceiver(b)
		ep, _, err := f.srv.Inst.Webhooks.Create(ctx, webhooks.EndpointInput{URL: receivers[i].URL, Description: fmt.Sprintf("bench %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		endpoints[i] = ep.ID
	}
	on := f.phase(b, seconds)
	var inWindow int
	for _, r := range receivers {
		inWindow += r.countBefore(on.end)
	}
	want, err := f.srv.Inst.DB.Client.Event.Query().
		Where(event.IDGT(on.from), event.IDLTE(on.to), event.TypeIn(webhooks.EventTypes()...)).
		Select(event.FieldID, event.FieldCreatedAt).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	settled := time.Now().Add(fanoutSettle)
	for _, r := range receivers {
		for !r.has(want) {
			if time.Now().After(settled) {
				b.Fatalf("an endpoint has %d of the webhook phase's %d events after %s", r.distinct(on.from, on.to), len(want), fanoutSettle)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	lags := make([]time.Duration, 0, len(want)*fanoutEndpoints)
	for _, r := range receivers {
		lags = append(lags, r.lags(want)...)
	}
	slices.Sort(lags)
	for _, id := range endpoints {
		if err := f.srv.Inst.Webhooks.Delete(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
	off2 := f.phase(b, seconds)
	b.StopTimer()

	off := (off1.ordersPerSecond() + off2.ordersPerSecond()) / 2
	b.ReportMetric(off, "orders/s-off")
	b.ReportMetric(on.ordersPerSecond(), "orders/s-on")
	b.ReportMetric(100*(off-on.ordersPerSecond())/off, "slowdown-%")
	b.ReportMetric(min(off1.eventsPerSecond(), on.eventsPerSecond(), off2.eventsPerSecond()), "events/s-min")
	b.ReportMetric(on.eventsPerSecond(), "events/s-on")
	b.ReportMetric(float64(len(want))/on.elapsed.Seconds(), "sent-events/s")
	b.ReportMetric(float64(inWindow)/on.elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(ms(percentile(lags, 50)), "lag-p50-ms")
	b.ReportMetric(ms(percentile(lags, 99)), "lag-p99-ms")
	b.ReportMetric(on.written/on.elapsed.Seconds(), "writer-events/s-on")
	b.ReportMetric((off1.cpu+off2.cpu).Seconds()/(off1.elapsed+off2.elapsed).Seconds(), "cpu-cores-off")
	b.ReportMetric(on.cpu.Seconds()/on.elapsed.Seconds(), "cpu-cores-on")
	f.srv.Audit(b)
}

// fanout is the placeOrder fixture with a background writer of events.
type fanout struct {
	*fixture
	eventRate int // events a second the writer tops the log up to
}

// fanoutPhase is what one phase did: the orders placed and the events written in it.
type fanoutPhase struct {
	orders   int
	from, to int64 // the events written: ids in (from, to]
	events   int
	elapsed  time.Duration
	end      time.Time
	written  float64       // events the background writer appended
	cpu      time.Duration // the process's CPU time (user and system)
}

func (p fanoutPhase) ordersPerSecond() float64 { return float64(p.orders) / p.elapsed.Seconds() }
func (p fanoutPhase) eventsPerSecond() float64 { return float64(p.events) / p.elapsed.Seconds() }

// phase places orders with fanoutClients clients for d, while a writer tops the log up to
// f.eventRate events a second.
func (f *fanout) phase(b *testing.B, d time.Duration) fanoutPhase {
	b.Helper()
	ctx := auth.NewContext(context.Background(), auth.System)
	// No top-up: the seed (40,000 units of each SKU) is far above what a run sells.
	f.rounds++
	from := f.lastEvent(b)
	cpu0 := cpuTime(b)
	var (
		placed, written atomic.Int64
		failed          atomic.Pointer[error]
		wg              sync.WaitGroup
		stop            = make(chan struct{})
		started         = time.Now()
	)
	wg.Go(func() { f.write(ctx, from, started, stop, &written, &failed) })
	for c := range fanoutClients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(f.rounds), uint64(c)))
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				var lines []map[string]any
				for _, k := range f.w.lines(r, f.w.picked) {
					lines = append(lines, map[string]any{"sku": f.skus[k], "quantity": 1})
				}
				res, err := f.client.Do(context.Background(), placeOrder, map[string]any{"input": map[string]any{
					"lines": lines, "paid": true, "customer": map[string]any{"email": fmt.Sprintf("fan-%d-%d-%d@example.com", f.rounds, c, n)},
				}})
				if err == nil {
					err = checkPlaced(res)
				}
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				placed.Add(1)
			}
		})
	}
	time.Sleep(d) // the phase's length: a closed loop runs until it is over
	close(stop)
	elapsed := time.Since(started)
	wg.Wait()
	cpu := cpuTime(b) - cpu0
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	to := f.lastEvent(b)
	n, err := f.srv.Inst.DB.Client.Event.Query().Where(event.IDGT(from), event.IDLTE(to)).Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	f.placed += int(placed.Load())
	return fanoutPhase{orders: int(placed.Load()), from: from, to: to, events: n, elapsed: elapsed, end: time.Now(), written: float64(written.Load()), cpu: cpu}
}

// write tops the event log up, every 20 ms until stop, to f.eventRate events a second since started
// (events after from), with stock.changed events of the seeded SKUs, and counts what it appended.
func (f *fanout) write(ctx context.Context, from int64, started time.Time, stop <-chan struct{}, written *atomic.Int64, failed *atomic.Pointer[error]) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		head, err := f.srv.Inst.DB.Client.Event.Query().Aggregate(ent.Max(event.FieldID)).Int(ctx)
		if err != nil {
			failed.CompareAndSwap(nil, &err)
			return
		}
		due := int(float64(f.eventRate)*time.Since(started).Seconds()) - (head - int(from))
		if due <= 0 {
			continue
		}
		evs := make([]events.Event, min(due, 500))
		for j := range evs {
			sku := f.skus[(i+j)%len(f.skus)]
			evs[j] = events.Event{Payload: events.StockChanged{SKU: sku, Movement: "ADJUSTMENT", Reference: "bench writer"}, Actor: "bench"}
		}
		if err := f.srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error { return events.Append(ctx, tx, evs...) }); err != nil {
			failed.CompareAndSwap(nil, &err)
			return
		}
		written.Add(int64(len(evs)))
		f.srv.Inst.Hub.Wake()
		f.srv.Inst.Webhooks.Wake()
	}
}

// lastEvent is the newest event's id.
func (f *fanout) lastEvent(b *testing.B) int64 {
	b.Helper()
	e, err := f.srv.Inst.DB.Client.Event.Query().Order(ent.Desc(event.FieldID)).First(context.Background())
	if ent.IsNotFound(err) {
		return 0
	}
	if err != nil {
		b.Fatal(err)
	}
	return e.ID
}

// fanoutReceiver is a partner's endpoint that takes every delivery at once and notes when each
// event arrived (its webhook-id says which: evt_<id>); it verifies nothing.
type fanoutReceiver struct {
	*httptest.Server
	mu      sync.Mutex
	arrived map[int64]time.Time // the first arrival of each event
	times   []time.Time         // every delivery's arrival
}

func newFanoutReceiver(b *testing.B) *fanoutReceiver {
	r := &fanoutReceiver{arrived: map[int64]time.Time{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		at := time.Now()
		_, _ = io.Copy(io.Discard, req.Body)
		id, err := strconv.ParseInt(strings.TrimPrefix(req.Header.Get("webhook-id"), "evt_"), 10, 64)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		if _, seen := r.arrived[id]; !seen {
			r.arrived[id] = at
		}
		r.times = append(r.times, at)
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(r.Close)
	return r
}

// countBefore is how many deliveries arrived before t.
func (r *fanoutReceiver) countBefore(t time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, at := range r.times {
		if at.Before(t) {
			n++
		}
	}
	return n
}

// has reports whether every event of want has arrived.
func (r *fanoutReceiver) has(want []*ent.Event) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range want {
		if _, ok := r.arrived[e.ID]; !ok {
			return false
		}
	}
	return true
}

// distinct is how many events with ids in (from, to] have arrived.
func (r *fanoutReceiver) distinct(from, to int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for id := range r.arrived {
		if id > from && id <= to {
			n++
		}
	}
	return n
}

// lags are the delivery lags of want's events: first arrival less the event's creation.
func (r *fanoutReceiver) lags(want []*ent.Event) []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]time.Duration, 0, len(want))
	for _, e := range want {
		out = append(out, r.arrived[e.ID].Sub(e.CreatedAt))
	}
	return out
}

// cpuTime is the CPU time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
