package e2e_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

// The post-sale workload's operations: every command of an order's life after it is placed.
const (
	psPlace = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status lines { id quantity } } }
}`
	psCancelLines = `mutation($input: CancelOrderLinesInput!) {
  cancelOrderLines(input: $input) { order { id status } }
}`
	psEdit = `mutation($input: EditOrderInput!) {
  editOrder(input: $input) { order { id status } }
}`
	psHold = `mutation($input: HoldStockInput!) {
  holdStock(input: $input) { hold { id status } }
}`
	psRelease = `mutation($input: ReleaseHoldInput!) {
  releaseHold(input: $input) { hold { id status } }
}`
	psShip = `mutation($input: ShipOrderInput!) {
  shipOrder(input: $input) { order { id status } }
}`
	psOrder = `query($id: ID!) {
  node(id: $id) { ... on Order { id status lines { id quantity cancelledQuantity } allocations { status quantity } } }
}`
	psRequestReturn = `mutation($input: RequestReturnInput!) {
  requestReturn(input: $input) { return { id status lines { id quantity } } }
}`
	psApproveReturn = `mutation($input: ApproveReturnInput!) {
  approveReturn(input: $input) { return { id status } }
}`
	psReceiveReturn = `mutation($input: ReceiveReturnInput!) {
  receiveReturn(input: $input) { return { id status } }
}`
	psDisposition = `mutation($input: DispositionReturnInput!) {
  dispositionReturn(input: $input) { return { id status } }
}`
	psLevels = `query {
  inventoryLevels(first: 100) { edges { node { variantID locationID onHand reserved safetyStock damaged quarantined } } }
}`
	psAudit = `query { inventoryAudit { ok checkedLevels drift { sku locationID onHand ledgerOnHand reserved ledgerReserved openAllocations } } }`
)

// postSaleSeeds are the seeds of the in-process property runs; ORDO_POSTSALE_SEED runs only that one.
var postSaleSeeds = []uint64{7, 1_111, 20_261_207}

const (
	postSaleWorkers = 4
	postSaleSKUs    = 6
	postSaleOps     = 45 // per worker and seed
)

// TestPostSaleWorkloadKeepsStockExact runs random, concurrent place / cancel lines / edit / hold /
// release / expire / ship / return / receive / disposition commands over a few SKUs, for several seeds, and then
// checks that nothing drifted or oversold: the server's audit (levels = ledger = open allocations +
// active holds; damaged and quarantined = their ledger), every level's reserved within its on hand, and
// the test's own count of what it was told: on hand over all locations = seed − shipped units +
// units put back on sale; damaged and quarantined = the units dispositioned so.
func TestPostSaleWorkloadKeepsStockExact(t *testing.T) {
	seeds := postSaleSeeds
	if s := os.Getenv("ORDO_POSTSALE_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "ORDO_POSTSALE_SEED")
		seeds = []uint64{v}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			dbtest.EachURL(t, func(t *testing.T, url string) {
				srv := ordotest.Start(t, url)
				defer srv.Stop()
				admin := srv.Admin()
				ps := newPostSale(t, admin, seed, func(sku string, stock []int) { seedOverAPI(t, admin, sku, stock...) })
				// Holds expire: the sweep runs as if their time had come (every active hold goes).
				ps.expire = func() error {
					_, err := srv.Inst.Holds.Expire(auth.NewContext(t.Context(), auth.System), time.Now().Add(25*time.Hour))
					return err
				}
				ps.run(t, []*ordotest.Client{admin})
				ps.check(t, admin)
			})
		})
		if t.Failed() {
			t.Logf("replay with ORDO_POSTSALE_SEED=%d", seed)
			return
		}
	}
}

// TestPostSaleWorkloadAcrossProcesses runs the same workload through two Ordo processes sharing one
// PostgreSQL database: the conditional updates and guarded transitions hold across replicas.
func TestPostSaleWorkloadAcrossProcesses(t *testing.T) {
	url := dbtest.PostgresURL(t)
	key := adminKey(t, url)
	a, b := startOrdo(t, url), startOrdo(t, url)
	ca, cb := a.client(key), b.client(key)
	ps := newPostSale(t, ca, 42, func(sku string, stock []int) { seedOverAPI(t, ca, sku, stock...) })
	ps.run(t, []*ordotest.Client{ca, cb})
	ps.check(t, ca)
}

// postSale is the workload's model of what the server acknowledged.
type postSale struct {
	seed    uint64
	skus    []string
	locs    []string          // location ids
	initial int64             // units seeded over all SKUs and locations
	vsku    map[string]string // variant id → SKU
	// expire runs the hold expiry sweep at a time every hold has passed; nil: holds only expire by
	// themselves (the two-process run, whose holds outlive it).
	expire func() error

	mu          sync.Mutex
	orders      []string            // placed order ids
	shipped     []string            // shipped order ids (returnable)
	holds       []string            // hold ids
	returns     []psReturn          // approved returns with what is left to receive and disposition
	restocked   int64               // units dispositioned SELLABLE
	nonSellable map[string]int64    // DAMAGED / QUARANTINE → units
	counts      map[string]int      // op/outcome → how many
	seen        map[string]struct{} // unexpected error codes, to report once
	stop        atomic.Bool
}

type psReturn struct {
	id    string
	lines map[string]int64 // return line id → units not yet received
	recvd map[string]int64 // return line id → units received, not yet dispositioned
}

func newPostSale(t *testing.T, c *ordotest.Client, seed uint64, seedSKU func(string, []int)) *postSale {
	ps := &postSale{seed: seed, vsku: map[string]string{}, nonSellable: map[string]int64{}, counts: map[string]int{}, seen: map[string]struct{}{}}
	r := rand.New(rand.NewPCG(seed, 0))
	for i := range postSaleSKUs {
		sku := fmt.Sprintf("PS%d-%02d", seed%1000, i)
		stock := []int{2 + r.IntN(6), 2 + r.IntN(6)}
		seedSKU(sku, stock)
		for _, q := range stock {
			ps.initial += int64(q)
		}
		ps.skus = append(ps.skus, sku)
	}
	var levels struct {
		InventoryLevels struct {
			Edges []struct {
				Node struct{ VariantID, LocationID string }
			}
		}
	}
	c.MustDo(t, psLevels, nil, &levels)
	locs := map[string]bool{}
	for _, e := range levels.InventoryLevels.Edges {
		if !locs[e.Node.LocationID] {
			locs[e.Node.LocationID] = true
			ps.locs = append(ps.locs, e.Node.LocationID)
		}
	}
	require.NotEmpty(t, ps.locs)
	return ps
}

func (ps *postSale) run(t *testing.T, clients []*ordotest.Client) {
	var wg sync.WaitGroup
	for n := range postSaleWorkers {
		wg.Go(func() { ps.worker(t, clients[n%len(clients)], n) })
	}
	wg.Wait()
	t.Logf("seed %d: %v", ps.seed, ps.counts)
}

// pick returns a random element of *list under the lock, or "" when it is empty.
func (ps *postSale) pick(r *rand.Rand, list *[]string) string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if len(*list) == 0 {
		return ""
	}
	return (*list)[r.IntN(len(*list))]
}

func (ps *postSale) worker(t *testing.T, c *ordotest.Client, n int) {
	r := rand.New(rand.NewPCG(ps.seed, uint64(n+1)))
	for i := 0; i < postSaleOps && !ps.stop.Load(); i++ {
		switch p := r.IntN(100); {
		case p < 22:
			ps.place(t, c, r, fmt.Sprintf("w%d-%d", n, i))
		case p < 32:
			ps.cancelLine(t, c, r)
		case p < 40:
			ps.edit(t, c, r)
		case p < 50:
			ps.hold(t, c, r, fmt.Sprintf("cart-%d-%d", n, i))
		case p < 53 && ps.expire != nil:
			if err := ps.expire(); err != nil {
				ps.fail(t, "expire holds: %v", err)
			}
			ps.mu.Lock()
			ps.counts["expire"]++
			ps.mu.Unlock()
		case p < 55:
			if id := ps.pick(r, &ps.holds); id != "" {
				ps.call(t, c, "releaseHold", psRelease, map[string]any{"holdID": id}, nil)
			}
		case p < 70:
			ps.ship(t, c, r)
		case p < 80:
			ps.requestReturn(t, c, r)
		default:
			ps.receiveOrDisposition(t, c, r)
		}
	}
}

// call sends one operation and counts its outcome. Expected refusals (a conflict with another worker's
// change, no stock) are outcomes; anything else stops the workload.
func (ps *postSale) call(t *testing.T, c *ordotest.Client, name, query string, input map[string]any, out any) bool {
	res, err := c.Do(t.Context(), query, map[string]any{"input": input})
	if err != nil {
		ps.fail(t, "%s: %v", name, err)
		return false
	}
	code := res.Code()
	ps.mu.Lock()
	ps.counts[name+":"+cmpOr(code, "ok")]++
	ps.mu.Unlock()
	switch code {
	case "":
		if out != nil {
			require.NoError(t, res.Decode(out))
		}
		return true
	case "CONFLICT", "INSUFFICIENT_STOCK":
		return false
	case "INVALID_ARGUMENT":
		if name == "edit" { // another worker's edit got there first: the order already is as asked
			return false
		}
		ps.fail(t, "%s %v: unexpected %s: %v", name, input, code, res.Errors)
		return false
	default:
		ps.fail(t, "%s %v: unexpected %s: %v", name, input, code, res.Errors)
		return false
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (ps *postSale) fail(t *testing.T, format string, args ...any) {
	ps.stop.Store(true)
	t.Errorf(format, args...)
}

func (ps *postSale) place(t *testing.T, c *ordotest.Client, r *rand.Rand, key string) {
	var lines []map[string]any
	for _, i := range r.Perm(len(ps.skus))[:1+r.IntN(2)] {
		lines = append(lines, map[string]any{"sku": ps.skus[i], "quantity": 1 + r.IntN(3)})
	}
	var out struct {
		PlaceOrder struct{ Order struct{ ID string } }
	}
	if ps.call(t, c, "place", psPlace, map[string]any{"lines": lines, "paid": true, "idempotencyKey": key}, &out) {
		ps.mu.Lock()
		ps.orders = append(ps.orders, out.PlaceOrder.Order.ID)
		ps.mu.Unlock()
	}
}

type psOrderView struct {
	Node struct {
		ID, Status string
		Lines      []struct {
			ID                          string
			Quantity, CancelledQuantity int64
		}
	}
}

func (ps *postSale) order(t *testing.T, c *ordotest.Client, id string) (psOrderView, bool) {
	var v psOrderView
	res, err := c.Do(t.Context(), psOrder, map[string]any{"id": id})
	if err != nil || res.Code() != "" {
		ps.fail(t, "read order %s: %v %v", id, err, res)
		return v, false
	}
	require.NoError(t, res.Decode(&v))
	return v, true
}

func (ps *postSale) cancelLine(t *testing.T, c *ordotest.Client, r *rand.Rand) {
	id := ps.pick(r, &ps.orders)
	if id == "" {
		return
	}
	v, ok := ps.order(t, c, id)
	if !ok || len(v.Node.Lines) == 0 {
		return
	}
	l := v.Node.Lines[r.IntN(len(v.Node.Lines))]
	if l.Quantity-l.CancelledQuantity < 1 {
		return
	}
	ps.call(t, c, "cancelLines", psCancelLines, map[string]any{
		"orderID": id, "reason": "workload", "lines": []map[string]any{{"lineID": l.ID, "quantity": 1}},
	}, nil)
}

func (ps *postSale) edit(t *testing.T, c *ordotest.Client, r *rand.Rand) {
	id := ps.pick(r, &ps.orders)
	if id == "" {
		return
	}
	v, ok := ps.order(t, c, id)
	if !ok || len(v.Node.Lines) == 0 {
		return
	}
	l := v.Node.Lines[r.IntN(len(v.Node.Lines))]
	q := l.Quantity + 1
	if r.IntN(2) == 0 && l.Quantity-l.CancelledQuantity > 1 {
		q = l.Quantity - 1
	}
	ps.call(t, c, "edit", psEdit, map[string]any{
		"orderID": id, "reason": "workload", "setQuantities": []map[string]any{{"lineID": l.ID, "quantity": q}},
	}, nil)
}

func (ps *postSale) hold(t *testing.T, c *ordotest.Client, r *rand.Rand, cart string) {
	var out struct {
		HoldStock struct{ Hold struct{ ID string } }
	}
	lines := []map[string]any{{"sku": ps.skus[r.IntN(len(ps.skus))], "quantity": 1 + r.IntN(2)}}
	if ps.call(t, c, "hold", psHold, map[string]any{"cart": cart, "lines": lines, "ttlSeconds": 60 + r.IntN(600)}, &out) {
		ps.mu.Lock()
		ps.holds = append(ps.holds, out.HoldStock.Hold.ID)
		ps.mu.Unlock()
	}
}

func (ps *postSale) ship(t *testing.T, c *ordotest.Client, r *rand.Rand) {
	id := ps.pick(r, &ps.orders)
	if id == "" {
		return
	}
	if ps.call(t, c, "ship", psShip, map[string]any{"orderID": id, "carrier": "WL", "trackingNumber": "WL" + id}, nil) {
		ps.mu.Lock()
		ps.shipped = append(ps.shipped, id)
		ps.mu.Unlock()
	}
}

func (ps *postSale) requestReturn(t *testing.T, c *ordotest.Client, r *rand.Rand) {
	id := ps.pick(r, &ps.shipped)
	if id == "" {
		return
	}
	v, ok := ps.order(t, c, id)
	if !ok || len(v.Node.Lines) == 0 {
		return
	}
	l := v.Node.Lines[r.IntN(len(v.Node.Lines))]
	var out struct {
		RequestReturn struct {
			Return struct {
				ID    string
				Lines []struct {
					ID       string
					Quantity int64
				}
			}
		}
	}
	in := map[string]any{"orderID": id, "reasonCode": "NOT_WANTED", "lines": []map[string]any{{"orderLineID": l.ID, "quantity": 1}}}
	if !ps.call(t, c, "requestReturn", psRequestReturn, in, &out) {
		return
	}
	ret := out.RequestReturn.Return
	if !ps.call(t, c, "approveReturn", psApproveReturn, map[string]any{"returnID": ret.ID}, nil) {
		return
	}
	rr := psReturn{id: ret.ID, lines: map[string]int64{}, recvd: map[string]int64{}}
	for _, rl := range ret.Lines {
		rr.lines[rl.ID] = rl.Quantity
	}
	ps.mu.Lock()
	ps.returns = append(ps.returns, rr)
	ps.mu.Unlock()
}

// receiveOrDisposition receives one unit of an approved return, or dispositions one received unit. The
// return is taken out of the shared list while it is worked on, so the model's counts stay exact.
func (ps *postSale) receiveOrDisposition(t *testing.T, c *ordotest.Client, r *rand.Rand) {
	ps.mu.Lock()
	if len(ps.returns) == 0 {
		ps.mu.Unlock()
		return
	}
	i := r.IntN(len(ps.returns))
	rr := ps.returns[i]
	ps.returns = append(ps.returns[:i], ps.returns[i+1:]...)
	ps.mu.Unlock()
	defer func() {
		ps.mu.Lock()
		ps.returns = append(ps.returns, rr)
		ps.mu.Unlock()
	}()
	loc := ps.locs[r.IntN(len(ps.locs))]
	for line, q := range rr.recvd {
		if q == 0 {
			continue
		}
		kind := []string{"SELLABLE", "DAMAGED", "QUARANTINE", "MISSING"}[r.IntN(4)]
		in := map[string]any{"returnID": rr.id, "lines": []map[string]any{{"returnLineID": line, "kind": kind, "quantity": 1, "locationID": loc}}}
		if ps.call(t, c, "disposition", psDisposition, in, nil) {
			rr.recvd[line]--
			ps.mu.Lock()
			switch kind {
			case "SELLABLE":
				ps.restocked++
			case "DAMAGED", "QUARANTINE":
				ps.nonSellable[kind]++
			}
			ps.mu.Unlock()
		}
		return
	}
	for line, q := range rr.lines {
		if q == 0 {
			continue
		}
		in := map[string]any{"returnID": rr.id, "locationID": loc, "lines": []map[string]any{{"returnLineID": line, "quantity": 1}}}
		if ps.call(t, c, "receive", psReceiveReturn, in, nil) {
			rr.lines[line]--
			rr.recvd[line]++
		}
		return
	}
}

// check compares the server's numbers with the audit and the model.
func (ps *postSale) check(t *testing.T, c *ordotest.Client) {
	t.Helper()
	require.False(t, ps.stop.Load(), "the workload stopped at an unexpected answer")
	var audit struct {
		InventoryAudit struct {
			OK    bool
			Drift []map[string]any
		}
	}
	c.MustDo(t, psAudit, nil, &audit)
	require.True(t, audit.InventoryAudit.OK, "drift: %v", audit.InventoryAudit.Drift)

	var levels struct {
		InventoryLevels struct {
			Edges []struct {
				Node struct {
					VariantID, LocationID                               string
					OnHand, Reserved, SafetyStock, Damaged, Quarantined int64
				}
			}
		}
	}
	c.MustDo(t, psLevels, nil, &levels)
	var onHand, damaged, quarantined int64
	for _, e := range levels.InventoryLevels.Edges {
		n := e.Node
		require.GreaterOrEqual(t, n.OnHand-n.Reserved, int64(0), "oversold at %s/%s", n.VariantID, n.LocationID)
		require.GreaterOrEqual(t, n.Damaged, int64(0))
		require.GreaterOrEqual(t, n.Quarantined, int64(0))
		onHand += n.OnHand
		damaged += n.Damaged
		quarantined += n.Quarantined
	}
	shipped := ps.shippedUnits(t, c)
	require.Equal(t, ps.initial-shipped+ps.restocked, onHand, "on hand = seeded − shipped + restocked")
	require.Equal(t, ps.nonSellable["DAMAGED"], damaged)
	require.Equal(t, ps.nonSellable["QUARANTINE"], quarantined)
}

// shippedUnits sums the SHIPPED allocations of every order the workload placed.
func (ps *postSale) shippedUnits(t *testing.T, c *ordotest.Client) int64 {
	var n int64
	for _, id := range ps.orders {
		var v struct {
			Node struct {
				Allocations []struct {
					Status   string
					Quantity int64
				}
			}
		}
		c.MustDo(t, psOrder, map[string]any{"id": id}, &v)
		for _, a := range v.Node.Allocations {
			if a.Status == "SHIPPED" {
				n += a.Quantity
			}
		}
	}
	return n
}
