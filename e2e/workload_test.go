package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// workloadSeed makes a failing run reproducible: the same seed gives every worker the same sequence
// of choices (the interleaving of workers is up to the scheduler). ORDO_WORKLOAD_SEED overrides it.
const workloadSeed = 20_240_611

const (
	workloadWorkers = 8
	workloadSKUs    = 20
)

// workloadOps is how many operations each worker sends. SQLite gets fewer: its driver is Go
// translated from C, which the race detector slows down most, and it runs one writer at a time.
var workloadOps = map[string]int{"sqlite": 200, "postgres": 300}

// The operations of the workload, and what each one asks for in its answer.
const (
	wlPlaceOrder = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { replayed order { id status allocations { variantID locationID quantity } } }
}`
	wlCancelOrder = `mutation($input: OrderCommandInput!) {
  cancelOrder(input: $input) { order { id status } }
}`
	wlReceiveStock = `mutation($input: ReceiveStockInput!) {
  receiveStock(input: $input) { replayed levels { variantID locationID onHand reserved } }
}`
	wlAdjustStock = `mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) { replayed levels { variantID locationID onHand reserved } }
}`
	wlTransferStock = `mutation($input: TransferStockInput!) {
  transferStock(input: $input) { replayed levels { variantID locationID onHand reserved } }
}`
	wlAudit = `query {
  inventoryAudit { ok checkedLevels drift { sku locationID onHand ledgerOnHand reserved ledgerReserved openAllocations } }
}`
	wlLevels = `query {
  inventoryLevels(first: 100) { totalCount edges { node { variantID locationID onHand reserved safetyStock } } }
}`
)

// TestRandomizedWorkloadLeavesNoDrift runs thousands of random, concurrent stock and order commands
// through the GraphQL API and then checks design §5.2 three ways: the server's own audit, the open
// allocations read from the store, and a model the test keeps of every acknowledged change.
func TestRandomizedWorkloadLeavesNoDrift(t *testing.T) {
	seed := uint64(workloadSeed)
	if s := os.Getenv("ORDO_WORKLOAD_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "ORDO_WORKLOAD_SEED")
		seed = v
	}
	dbtest.EachURL(t, func(t *testing.T, url string) {
		t.Logf("workload seed %d (set ORDO_WORKLOAD_SEED to replay another)", seed)
		srv := ordotest.Start(t, url)
		w := newWorld(t, srv, seed)
		w.ops = workloadOps[path.Base(t.Name())]
		started := time.Now()
		w.run(t)
		t.Logf("%d workers × %d operations in %v: %s", workloadWorkers, w.ops, time.Since(started).Round(time.Millisecond), w.outcomes())
		if t.Failed() {
			return
		}
		w.check(t)
	})
}

// level names one (variant, location).
type level struct{ variant, location string }

type alloc struct {
	VariantID, LocationID string
	Quantity              int64
}

// world is the server under load and the test's model of what it acknowledged.
type world struct {
	srv    *ordotest.Server
	client *ordotest.Client
	seed   uint64
	ops    int // per worker
	skus   []string
	vid    map[string]string // SKU → variant id
	locs   []string
	shared []request // idempotent requests any worker may send, concurrently with the others

	mu        sync.Mutex
	onHand    map[level]int64    // seed + every acknowledged, non-replayed stock change
	orders    map[string][]alloc // every order acknowledged as placed, with its allocations
	cancelled map[string]bool    // orders acknowledged as cancelled
	placed    []string           // order ids that cancelOrder picks from
	keyResult map[string]string  // idempotency key → what its first success answered
	keyFirst  map[string]int     // idempotency key → non-replayed successes (at most 1)
	counts    map[string]int     // outcome → how many
	stop      atomic.Bool        // set at the first unexpected answer
	failOnce  sync.Once
}

// request is one GraphQL operation with its variables; key is its idempotency key, if any.
type request struct {
	op   string
	key  string
	vars map[string]any
}

func newWorld(t *testing.T, srv *ordotest.Server, seed uint64) *world {
	w := &world{
		srv: srv, client: srv.Admin(), seed: seed, vid: map[string]string{},
		onHand: map[level]int64{}, orders: map[string][]alloc{}, cancelled: map[string]bool{},
		keyResult: map[string]string{}, keyFirst: map[string]int{}, counts: map[string]int{},
	}
	r := rand.New(rand.NewPCG(seed, 0))
	for i, code := range []string{"BKK", "CNX", "HKT"} {
		w.locs = append(w.locs, string(srv.Location(t, code, 10*(i+1)).ID))
	}
	for i := range workloadSKUs {
		sku := fmt.Sprintf("WL-%02d", i)
		stock := map[pulid.ID]int64{}
		for _, l := range w.locs {
			stock[pulid.ID(l)] = int64(1 + r.IntN(12))
		}
		v := srv.SKU(t, sku, stock)
		w.skus = append(w.skus, sku)
		w.vid[sku] = string(v.ID)
		for l, q := range stock {
			w.onHand[level{string(v.ID), string(l)}] = q
		}
	}
	// A small pool of keyed requests shared by all workers, so that the same key races itself.
	for i := range 12 {
		w.shared = append(w.shared, w.randomKeyed(r, fmt.Sprintf("shared-%d", i)))
	}
	return w
}

// run starts the workers and waits for them.
func (w *world) run(t *testing.T) {
	var wg sync.WaitGroup
	for n := range workloadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.worker(t, n)
		}()
	}
	wg.Wait()
}

func (w *world) worker(t *testing.T, n int) {
	r := rand.New(rand.NewPCG(w.seed, uint64(n+1)))
	var mine []request // this worker's keyed requests, to replay
	for i := 0; i < w.ops && !w.stop.Load(); i++ {
		var req request
		switch p := r.IntN(100); {
		case p < 12: // replay: one of mine or a shared one
			if len(mine) > 0 && r.IntN(2) == 0 {
				req = mine[r.IntN(len(mine))]
			} else {
				req = w.shared[r.IntN(len(w.shared))]
			}
		case p < 20: // a new keyed request
			req = w.randomKeyed(r, fmt.Sprintf("w%d-%d", n, i))
			mine = append(mine, req)
		case p < 50:
			req = request{op: "place", vars: w.orderInput(r)}
		case p < 62:
			w.mu.Lock()
			if len(w.placed) == 0 {
				w.mu.Unlock()
				continue
			}
			id := w.placed[r.IntN(len(w.placed))]
			w.mu.Unlock()
			req = request{op: "cancel", vars: map[string]any{"orderID": id, "reason": "workload"}}
		default:
			req = w.randomStock(r, "")
		}
		w.do(t, req)
	}
}

// randomKeyed is a new request with an idempotency key: an order or a stock command.
func (w *world) randomKeyed(r *rand.Rand, key string) request {
	if r.IntN(2) == 0 {
		vars := w.orderInput(r)
		vars["idempotencyKey"] = key
		return request{op: "place", key: key, vars: vars}
	}
	return w.randomStock(r, key)
}

// orderInput is a prepaid order of 1–3 lines; about one order in eight asks for far more than exists.
func (w *world) orderInput(r *rand.Rand) map[string]any {
	lines := make([]map[string]any, 1+r.IntN(3))
	for i := range lines {
		q := 1 + r.IntN(3)
		if r.IntN(8) == 0 {
			q = 40 + r.IntN(40)
		}
		lines[i] = map[string]any{"sku": w.skus[r.IntN(len(w.skus))], "quantity": q}
	}
	return map[string]any{"lines": lines, "paid": true}
}

// randomStock is a receipt, an adjustment (either sign) or a transfer.
func (w *world) randomStock(r *rand.Rand, key string) request {
	sku := w.skus[r.IntN(len(w.skus))]
	loc := w.locs[r.IntN(len(w.locs))]
	var req request
	switch r.IntN(3) {
	case 0:
		req = request{op: "receive", vars: map[string]any{"sku": sku, "locationID": loc, "quantity": 1 + r.IntN(8)}}
	case 1:
		d := r.IntN(11) - 6 // −6…+4
		if d >= 0 {
			d++
		}
		req = request{op: "adjust", vars: map[string]any{"sku": sku, "locationID": loc, "delta": d, "reason": "cycle count"}}
	default:
		to := w.locs[r.IntN(len(w.locs))]
		for to == loc {
			to = w.locs[r.IntN(len(w.locs))]
		}
		req = request{op: "transfer", vars: map[string]any{"sku": sku, "fromLocationID": loc, "toLocationID": to, "quantity": 1 + r.IntN(6)}}
	}
	if key != "" {
		req.key = key
		req.vars["idempotencyKey"] = key
	}
	return req
}

// expected lists, per operation, the error codes that are a legitimate answer under this workload.
var expected = map[string][]string{
	"place":    {"INSUFFICIENT_STOCK"},
	"cancel":   {"CONFLICT"},
	"receive":  nil,
	"adjust":   {"INSUFFICIENT_STOCK"}, // negative deltas only; checked below
	"transfer": {"INSUFFICIENT_STOCK"},
}

var queries = map[string]string{
	"place": wlPlaceOrder, "cancel": wlCancelOrder, "receive": wlReceiveStock,
	"adjust": wlAdjustStock, "transfer": wlTransferStock,
}

// do sends one request and folds its answer into the model, failing the test on any answer that is
// neither a success nor an expected error.
func (w *world) do(t *testing.T, req request) {
	w.mu.Lock()
	knownResult, known := w.keyResult[req.key]
	w.mu.Unlock()
	known = known && req.key != ""

	res, err := w.client.Do(context.Background(), queries[req.op], map[string]any{"input": req.vars})
	if err != nil {
		w.fail(t, "%s %v: %v", req.op, req.vars, err)
		return
	}
	if len(res.Errors) > 0 {
		code := res.Code()
		ok := false
		for _, c := range expected[req.op] {
			ok = ok || c == code
		}
		if req.op == "adjust" && req.vars["delta"].(int) > 0 {
			ok = false
		}
		if known {
			ok = false // a key that succeeded before must replay that success
		}
		if !ok {
			w.fail(t, "%s %v (key %q, known %v): status %d, errors %+v", req.op, req.vars, req.key, known, res.Status, res.Errors)
			return
		}
		w.count(req.op + " " + code)
		return
	}
	switch req.op {
	case "place":
		w.placedAnswer(t, req, res, known, knownResult)
	case "cancel":
		w.cancelledAnswer(t, req, res)
	default:
		w.stockAnswer(t, req, res, known)
	}
}

func (w *world) placedAnswer(t *testing.T, req request, res *ordotest.Response, known bool, knownResult string) {
	var out struct {
		PlaceOrder struct {
			Replayed bool
			Order    struct {
				ID, Status  string
				Allocations []alloc
			}
		}
	}
	if err := res.Decode(&out); err != nil {
		w.fail(t, "decode %s: %v", res.Data, err)
		return
	}
	p := out.PlaceOrder
	// Every line is reserved whole, from one location.
	want := map[string]int64{}
	for _, l := range req.vars["lines"].([]map[string]any) {
		want[w.vid[l["sku"].(string)]] += int64(l["quantity"].(int))
	}
	got := map[string]int64{}
	for _, a := range p.Order.Allocations {
		got[a.VariantID] += a.Quantity
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || (!p.Replayed && p.Order.Status != "ALLOCATED") {
		w.fail(t, "place %v: answer %s does not reserve the lines", req.vars, res.Data)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if req.key != "" {
		if prev, ok := w.keyResult[req.key]; ok && prev != p.Order.ID {
			w.failLocked(t, "key %q placed order %s, then %s", req.key, prev, p.Order.ID)
			return
		}
		w.keyResult[req.key] = p.Order.ID
		if known && (!p.Replayed || knownResult != p.Order.ID) {
			w.failLocked(t, "key %q: replay answered %s", req.key, res.Data)
			return
		}
	}
	w.orders[p.Order.ID] = p.Order.Allocations
	if p.Replayed {
		w.counts["place replayed"]++
		return
	}
	if req.key != "" {
		if w.keyFirst[req.key]++; w.keyFirst[req.key] > 1 {
			w.failLocked(t, "key %q placed a second order", req.key)
			return
		}
	}
	w.placed = append(w.placed, p.Order.ID)
	w.counts["place ok"]++
}

func (w *world) cancelledAnswer(t *testing.T, req request, res *ordotest.Response) {
	var out struct {
		CancelOrder struct{ Order struct{ ID, Status string } }
	}
	if err := res.Decode(&out); err != nil {
		w.fail(t, "decode %s: %v", res.Data, err)
		return
	}
	id := req.vars["orderID"].(string)
	w.mu.Lock()
	defer w.mu.Unlock()
	if out.CancelOrder.Order.Status != "CANCELLED" || out.CancelOrder.Order.ID != id {
		w.failLocked(t, "cancel %s answered %s", id, res.Data)
		return
	}
	if w.cancelled[id] {
		w.failLocked(t, "order %s cancelled twice", id)
		return
	}
	w.cancelled[id] = true
	w.counts["cancel ok"]++
}

func (w *world) stockAnswer(t *testing.T, req request, res *ordotest.Response, known bool) {
	var out map[string]struct {
		Replayed bool
		Levels   []struct{ VariantID, LocationID string }
	}
	if err := res.Decode(&out); err != nil {
		w.fail(t, "decode %s: %v", res.Data, err)
		return
	}
	var p struct {
		Replayed bool
		Levels   []struct{ VariantID, LocationID string }
	}
	for _, v := range out {
		p = v
	}
	in := req.vars
	vid := w.vid[in["sku"].(string)]
	deltas := map[level]int64{}
	switch req.op {
	case "receive":
		deltas[level{vid, in["locationID"].(string)}] = int64(in["quantity"].(int))
	case "adjust":
		deltas[level{vid, in["locationID"].(string)}] = int64(in["delta"].(int))
	case "transfer":
		q := int64(in["quantity"].(int))
		deltas[level{vid, in["fromLocationID"].(string)}] = -q
		deltas[level{vid, in["toLocationID"].(string)}] = q
	}
	for _, l := range p.Levels {
		if _, ok := deltas[level{l.VariantID, l.LocationID}]; !ok {
			w.fail(t, "%s %v answered a level it did not touch: %s", req.op, in, res.Data)
			return
		}
	}
	if len(p.Levels) != len(deltas) {
		w.fail(t, "%s %v answered %s", req.op, in, res.Data)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if req.key != "" {
		w.keyResult[req.key] = "done"
		if known && !p.Replayed {
			w.failLocked(t, "key %q: replay applied again: %s", req.key, res.Data)
			return
		}
	}
	if p.Replayed {
		w.counts[req.op+" replayed"]++
		return
	}
	if req.key != "" {
		if w.keyFirst[req.key]++; w.keyFirst[req.key] > 1 {
			w.failLocked(t, "key %q applied twice", req.key)
			return
		}
	}
	for l, d := range deltas {
		w.onHand[l] += d
	}
	w.counts[req.op+" ok"]++
}

func (w *world) count(outcome string) {
	w.mu.Lock()
	w.counts[outcome]++
	w.mu.Unlock()
}

func (w *world) fail(t *testing.T, format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failLocked(t, format, args...)
}

// failLocked reports the first unexpected answer and stops the workers.
func (w *world) failLocked(t *testing.T, format string, args ...any) {
	w.stop.Store(true)
	w.failOnce.Do(func() { t.Errorf("seed %d: "+format, append([]any{w.seed}, args...)...) })
}

func (w *world) outcomes() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	b, _ := json.Marshal(w.counts)
	return string(b)
}

// check compares the store with the server's audit, with its open allocations and with the model.
func (w *world) check(t *testing.T) {
	ctx := context.Background()

	// 1. The server's own audit, through the API.
	var audit struct {
		InventoryAudit struct {
			OK            bool
			CheckedLevels int
			Drift         []map[string]any
		}
	}
	w.client.MustDo(t, wlAudit, nil, &audit)
	require.True(t, audit.InventoryAudit.OK, "drift: %v", audit.InventoryAudit.Drift)
	require.Empty(t, audit.InventoryAudit.Drift)
	require.Equal(t, len(w.skus)*len(w.locs), audit.InventoryAudit.CheckedLevels)

	// 2. The levels, through the API, against the open allocations read from the store.
	var levels struct {
		InventoryLevels struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					VariantID, LocationID         string
					OnHand, Reserved, SafetyStock int64
				}
			}
		}
	}
	w.client.MustDo(t, wlLevels, nil, &levels)
	require.Equal(t, len(w.skus)*len(w.locs), levels.InventoryLevels.TotalCount)
	require.Len(t, levels.InventoryLevels.Edges, levels.InventoryLevels.TotalCount)
	open, err := w.srv.Inst.DB.Client.Allocation.Query().Where(allocation.StatusEQ(allocation.StatusOPEN)).All(ctx)
	require.NoError(t, err)
	openSum := map[level]int64{}
	openOrders := map[string]bool{}
	for _, a := range open {
		openSum[level{string(a.VariantID), string(a.LocationID)}] += a.Quantity
		openOrders[string(a.OrderID)] = true
	}
	// 3. The model: on hand is the seed plus every acknowledged change; reserved is what the
	// acknowledged, not cancelled orders were given.
	reserved := map[level]int64{}
	for id, as := range w.orders {
		if w.cancelled[id] {
			require.False(t, openOrders[id], "cancelled order %s still holds stock", id)
			continue
		}
		require.True(t, openOrders[id], "order %s lost its reservations", id)
		for _, a := range as {
			reserved[level{a.VariantID, a.LocationID}] += a.Quantity
		}
	}
	require.Len(t, openOrders, len(w.orders)-len(w.cancelled), "open allocations of orders never acknowledged")
	for _, e := range levels.InventoryLevels.Edges {
		n := e.Node
		l := level{n.VariantID, n.LocationID}
		require.Equal(t, openSum[l], n.Reserved, "level %v: reserved vs open allocations", l)
		require.Equal(t, reserved[l], n.Reserved, "level %v: reserved vs acknowledged orders", l)
		require.Equal(t, w.onHand[l], n.OnHand, "level %v: on hand vs acknowledged stock changes", l)
		require.GreaterOrEqual(t, n.OnHand-n.Reserved, int64(0), "level %v oversold", l)
		require.Zero(t, n.SafetyStock)
	}
	orders, err := w.srv.Inst.DB.Client.Order.Query().Count(ctx)
	require.NoError(t, err)
	require.Equal(t, len(w.orders), orders, "orders in the store vs orders acknowledged")
	w.srv.Audit(t)
}
