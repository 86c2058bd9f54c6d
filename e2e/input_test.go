package e2e_test

// Design §5.6: bad input gets a clear error and changes nothing. Every case below is sent through
// the real HTTP server on SQLite and on PostgreSQL; it must answer the exact extensions.code (and
// HTTP status where the transport decides it) with a message that names what was wrong, and the
// store must be exactly as it was before.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// inputStoreState is everything a refused request must leave alone: every row of the tables the API
// writes, as ent prints them (all fields, so a status or a stock number that moved shows up).
type inputStoreState struct {
	Orders, Lines, Allocations, Movements, Events, Customers, Levels []string
	Locations, Channels, Products, Variants, Bundles, Keys           []string
	Listings                                                         []string
	Shipments, ShipmentLines, Packages, Tracking, Documents          []string
	Carriers, RateCards                                              []string
	IdempotencyKeys                                                  int
}

// inputRows runs all and prints its rows with their String method (ent's: every field).
func inputRows[T fmt.Stringer](t testing.TB, all func(context.Context) ([]T, error)) []string {
	t.Helper()
	rows, err := all(context.Background())
	require.NoError(t, err)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String()
	}
	return out
}

// inputLast prints how many rows a table has and its newest: the state of a table that is only
// appended to.
func inputLast[T fmt.Stringer](t testing.TB, count func(context.Context) (int, error), newest func(context.Context) (T, error)) []string {
	t.Helper()
	n, err := count(context.Background())
	require.NoError(t, err)
	if n == 0 {
		return nil
	}
	last, err := newest(context.Background())
	require.NoError(t, err)
	return []string{fmt.Sprint(n), last.String()}
}

// inputFingerprint reads the state of the store behind srv, unscoped (no viewer in the context).
func inputFingerprint(t testing.TB, srv *ordotest.Server) inputStoreState {
	t.Helper()
	ctx := context.Background()
	c := srv.Inst.DB.Client
	var s inputStoreState
	s.Orders = inputRows(t, c.Order.Query().Order(ent.Asc("id")).All)
	s.Lines = inputRows(t, c.OrderLine.Query().Order(ent.Asc("id")).All)
	s.Allocations = inputRows(t, c.Allocation.Query().Order(ent.Asc("id")).All)
	// The ledger and the event log are only ever appended to: how many rows and the last one say
	// whether anything was written (reading them whole for every request is what made this slow).
	movements := c.InventoryMovement.Query()
	s.Movements = inputLast(t, movements.Clone().Count, movements.Order(ent.Desc("id")).First)
	// What the notification relay records (notification.sent, .skipped…) is the background's to
	// write, at any time, about changes made before.
	evs := c.Event.Query().Where(event.Not(event.TypeHasPrefix("notification.")))
	s.Events = inputLast(t, evs.Clone().Count, evs.Order(ent.Desc("id")).First)
	s.Customers = inputRows(t, c.Customer.Query().Order(ent.Asc("id")).All)
	s.Levels = inputRows(t, c.InventoryLevel.Query().Order(ent.Asc("id")).All)
	s.Locations = inputRows(t, c.Location.Query().Order(ent.Asc("id")).All)
	// Listings' push bookkeeping, like channels' pull bookkeeping, is the background's to write.
	s.Listings = inputRows(t, func(ctx context.Context) ([]*ent.ChannelListing, error) {
		ls, err := c.ChannelListing.Query().Order(ent.Asc("id")).All(ctx)
		for _, l := range ls {
			l.UpdatedAt, l.PushedSeq, l.DirtySince, l.LastPushedQuantity, l.LastPushedAt, l.LastPushLagMs, l.LastPushError = time.Time{}, 0, nil, nil, nil, nil, ""
		}
		return ls, err
	})
	// A channel's pull bookkeeping is the background pull's to write, at any time.
	s.Channels = inputRows(t, func(ctx context.Context) ([]*ent.Channel, error) {
		chs, err := c.Channel.Query().Order(ent.Asc("id")).All(ctx)
		for _, ch := range chs {
			ch.UpdatedAt, ch.LastPullAt, ch.PulledUntil, ch.LastPullError = time.Time{}, nil, nil, ""
		}
		return chs, err
	})
	s.Products = inputRows(t, c.Product.Query().Order(ent.Asc("id")).All)
	s.Variants = inputRows(t, c.Variant.Query().Order(ent.Asc("id")).All)
	s.Bundles = inputRows(t, c.BundleComponent.Query().Order(ent.Asc("id")).All)
	s.Keys = inputRows(t, c.APIKey.Query().Order(ent.Asc("id")).All)
	s.Shipments = inputRows(t, c.Shipment.Query().Order(ent.Asc("id")).All)
	s.ShipmentLines = inputRows(t, c.ShipmentLine.Query().Order(ent.Asc("id")).All)
	s.Packages = inputRows(t, c.ShipmentPackage.Query().Order(ent.Asc("id")).All)
	s.Tracking = inputRows(t, c.TrackingEvent.Query().Order(ent.Asc("id")).All)
	// A document's body is never rewritten; its size and other fields stand for it.
	s.Documents = inputRows(t, func(ctx context.Context) ([]*ent.Document, error) {
		ds, err := c.Document.Query().Order(ent.Asc("id")).All(ctx)
		for _, d := range ds {
			d.Body = nil
		}
		return ds, err
	})
	s.Carriers = inputRows(t, c.CarrierAccount.Query().Order(ent.Asc("id")).All)
	s.RateCards = inputRows(t, c.RateCard.Query().Order(ent.Asc("id")).All)
	n, err := c.IdempotencyKey.Query().Count(ctx)
	require.NoError(t, err)
	s.IdempotencyKeys = n
	return s
}

// inputReply is a raw HTTP answer: what the transport decided, and the GraphQL body.
type inputReply struct {
	status      int
	contentType string
	body        string
	resp        ordotest.Response
}

// inputPost posts body as is, so that tests can send what ordotest.Client would never build.
func inputPost(t testing.TB, srv *ordotest.Server, key string, body []byte) inputReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	r := inputReply{status: res.StatusCode, body: string(raw)}
	r.contentType, _, _ = strings.Cut(res.Header.Get("Content-Type"), ";")
	require.NoError(t, json.Unmarshal(raw, &r.resp), "body %q", raw)
	r.resp.Status = res.StatusCode
	return r
}

// inputNested is a query whose fields nest depth deep (order → lines → order → …), on a page of
// one order so that only its depth is at stake, not its cost.
func inputNested(depth int) string {
	// orders, edges, node: 3 levels; then lines/order pairs; the innermost field is id.
	var b strings.Builder
	b.WriteString("{ orders(first: 1) { edges { node {")
	open, d := 3, 3
	for d < depth-1 {
		if (d-3)%2 == 0 {
			b.WriteString(" lines {")
		} else {
			b.WriteString(" order {")
		}
		open++
		d++
	}
	b.WriteString(" id")
	b.WriteString(strings.Repeat(" }", open))
	b.WriteString(" }")
	return b.String()
}

// inputComplex is a shallow query made expensive by aliases: n copies of a page of 100 orders'
// ids (each costs 202: orders 1, edges 1 + 100 × (node 1 + id 1); a page multiplies its items).
func inputComplex(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " o%d: orders(first: 100) { edges { node { id } } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// inputFixture is the store every case starts from.
type inputFixture struct {
	srv                *ordotest.Server
	loc, loc2          pulid.ID
	sku                string
	cancelled, pending pulid.ID
	idemKey            string
	// channel is connected (its API is not reachable: it is never called in these tests).
	channel pulid.ID
}

func newInputFixture(t *testing.T, url string) *inputFixture {
	t.Helper()
	srv := ordotest.Start(t, url)
	f := &inputFixture{srv: srv, sku: "INP-1", idemKey: "receipt-42"}
	f.loc = srv.Location(t, "INP-A", 1).ID
	f.loc2 = srv.Location(t, "INP-B", 2).ID
	srv.SKU(t, f.sku, map[pulid.ID]int64{f.loc: 10})
	admin := srv.Admin()
	place := func(paid bool) pulid.ID {
		var out struct {
			PlaceOrder struct{ Order struct{ ID pulid.ID } }
		}
		admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`,
			map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": paid,
				"customer": map[string]any{"email": "input@example.com"}}}, &out)
		return out.PlaceOrder.Order.ID
	}
	f.cancelled = place(true)
	admin.MustDo(t, `mutation($id: ID!) { cancelOrder(input: {orderID: $id, reason: "test"}) { order { status } } }`,
		map[string]any{"id": f.cancelled}, nil)
	f.pending = place(false)
	var conn struct {
		ConnectChannel struct{ Channel struct{ ID pulid.ID } }
	}
	admin.MustDo(t, `mutation { connectChannel(input: {kind: SHOPIFY, name: "input shop", shopID: "input-shop",
		baseURL: "http://127.0.0.1:9", credentials: {accessToken: "t", appSecret: "s"}, pullIntervalSeconds: 0}) { channel { id } } }`, nil, &conn)
	f.channel = conn.ConnectChannel.Channel.ID
	admin.MustDo(t, `mutation($sku: String!, $loc: ID!, $key: String!) {
		receiveStock(input: {sku: $sku, locationID: $loc, quantity: 1, idempotencyKey: $key}) { replayed } }`,
		map[string]any{"sku": f.sku, "loc": f.loc, "key": f.idemKey}, nil)
	return f
}

func TestInputInvalid(t *testing.T) {
	const (
		placeOrder = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`
		node       = `query($id: ID!) { node(id: $id) { id } }`
		cancel     = `mutation($id: ID!) { cancelOrder(input: {orderID: $id, reason: "input test"}) { order { status } } }`
		receive    = `mutation($sku: String!, $loc: ID!, $q: Int!, $key: String) {
			receiveStock(input: {sku: $sku, locationID: $loc, quantity: $q, idempotencyKey: $key}) { levels { onHand } } }`
		transfer = `mutation($sku: String!, $from: ID!, $to: ID!, $q: Int!) {
			transferStock(input: {sku: $sku, fromLocationID: $from, toLocationID: $to, quantity: $q}) { levels { onHand } } }`
		adjust = `mutation($sku: String!, $loc: ID!, $reason: String!) {
			adjustStock(input: {sku: $sku, locationID: $loc, delta: -1, reason: $reason}) { levels { onHand } } }`
		ship = `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "T1"}) { order { status } } }`
		pick = `mutation($id: ID!) { startPicking(input: {orderID: $id}) { order { status } } }`
	)
	line := func(sku string, q int) map[string]any {
		return map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": sku, "quantity": q}}}}
	}
	type inputCase struct {
		name string
		// query and vars are sent with the admin key, or body is posted as is when set.
		query string
		vars  func(f *inputFixture) map[string]any
		body  func(f *inputFixture) []byte
		code  string
		// status is the HTTP status when the transport decides it; 0 means any.
		status int
		// msg are substrings the first error's message must contain.
		msg []string
		// path, when set, is the first error's path joined with dots.
		path string
	}
	wrongType := func(f *inputFixture) pulid.ID { return f.loc } // a well-formed id of another type
	connect := `mutation($in: ConnectChannelInput!) { connectChannel(input: $in) { channel { id } } }`
	listings := `mutation($in: SetChannelListingsInput!) { setChannelListings(input: $in) { listings { id } } }`
	shop := func(kind string, creds map[string]any, buffer map[string]any) func(*inputFixture) map[string]any {
		return func(*inputFixture) map[string]any {
			in := map[string]any{"kind": kind, "name": "new", "shopID": "new-shop", "baseURL": "https://new.example", "credentials": creds}
			if buffer != nil {
				in["stockBuffer"] = buffer
			}
			return map[string]any{"in": in}
		}
	}
	cases := []inputCase{
		{name: "connectChannel without its access token", query: connect,
			vars: shop("SHOPIFY", map[string]any{"appSecret": "s"}, nil), code: "INVALID_ARGUMENT", msg: []string{"access token"}},
		{name: "connectChannel a storefront", query: connect,
			vars: shop("STOREFRONT", map[string]any{"accessToken": "t"}, nil), code: "INVALID_ARGUMENT", msg: []string{"STOREFRONT"}},
		{name: "connectChannel a buffer of 150%", query: connect,
			vars: shop("SHOPIFY", map[string]any{"accessToken": "t", "appSecret": "s"}, map[string]any{"kind": "PERCENT", "value": 150}),
			code: "INVALID_ARGUMENT", msg: []string{"150", "out of range"}},
		{name: "connectChannel the same shop twice", query: connect,
			vars: func(f *inputFixture) map[string]any {
				v := shop("SHOPIFY", map[string]any{"accessToken": "t", "appSecret": "s"}, nil)(f)
				v["in"].(map[string]any)["shopID"] = "input-shop"
				return v
			}, code: "CONFLICT", msg: []string{"already exists"}},
		{name: "setChannelListings an unknown SKU", query: listings,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"channelID": f.channel, "listings": []any{
					map[string]any{"externalID": "1", "sku": f.sku}, map[string]any{"externalID": "2", "sku": "GHOST-9"}}}}
			}, code: "INVALID_ARGUMENT", msg: []string{"unknown SKU GHOST-9"}},
		{name: "setChannelListings one listing twice", query: listings,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"channelID": f.channel, "listings": []any{
					map[string]any{"externalID": "7", "sku": f.sku}, map[string]any{"externalID": "7", "sku": f.sku}}}}
			}, code: "INVALID_ARGUMENT", msg: []string{"given twice"}},
		{name: "placeOrder unknown SKU", query: placeOrder,
			vars: func(*inputFixture) map[string]any { return line("NO-SUCH-SKU", 1) },
			code: "INVALID_ARGUMENT", msg: []string{"unknown SKU", "NO-SUCH-SKU"}},
		{name: "placeOrder unknown SKU among known ones", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"lines": []any{
					map[string]any{"sku": f.sku, "quantity": 1}, map[string]any{"sku": "GHOST-2", "quantity": 1}}}}
			},
			code: "INVALID_ARGUMENT", msg: []string{"GHOST-2"}},
		{name: "placeOrder zero quantity", query: placeOrder,
			vars: func(f *inputFixture) map[string]any { return line(f.sku, 0) },
			code: "INVALID_ARGUMENT", msg: []string{"INP-1", "quantity", "got 0"}},
		{name: "placeOrder negative quantity", query: placeOrder,
			vars: func(f *inputFixture) map[string]any { return line(f.sku, -3) },
			code: "INVALID_ARGUMENT", msg: []string{"INP-1", "quantity", "got -3"}},
		{name: "placeOrder no lines", query: placeOrder,
			vars: func(*inputFixture) map[string]any { return map[string]any{"in": map[string]any{"lines": []any{}}} },
			code: "INVALID_ARGUMENT", msg: []string{"line"}},

		// Issue 8 §4: checked money arithmetic and malformed scalars are INVALID_ARGUMENT, never INTERNAL.
		{name: "placeOrder line total overflows", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"lines": []any{
					map[string]any{"sku": f.sku, "quantity": 4, "unitPrice": int64(1) << 62}}}}
			},
			code: "INVALID_ARGUMENT", msg: []string{"INP-1", "overflow"}},
		{name: "placeOrder order total overflows", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"shippingAmount": int64(math.MaxInt64), "lines": []any{
					map[string]any{"sku": f.sku, "quantity": 1, "unitPrice": 100}}}}
			},
			code: "INVALID_ARGUMENT", msg: []string{"total", "overflow"}},
		{name: "placeOrder negative unit price", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"in": map[string]any{"lines": []any{
					map[string]any{"sku": f.sku, "quantity": 1, "unitPrice": -100}}}}
			},
			code: "INVALID_ARGUMENT", msg: []string{"INP-1", "unit price", "negative"}},
		{name: "placeOrder Int64 out of range", query: placeOrder,
			body: func(f *inputFixture) []byte {
				return []byte(`{"query":"mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }",
					"variables":{"in":{"lines":[{"sku":"INP-1","quantity":1,"unitPrice":9223372036854775808}]}}}`)
			},
			code: "INVALID_ARGUMENT", msg: []string{"9223372036854775808"}},
		{name: "placeOrder Int64 literal out of range",
			query: `mutation { placeOrder(input: {lines: [{sku: "INP-1", quantity: 1, unitPrice: 99999999999999999999}]}) { order { id } } }`,
			code:  "INVALID_ARGUMENT", msg: []string{"99999999999999999999"}},
		{name: "placeOrder Int out of range", query: placeOrder,
			vars: func(f *inputFixture) map[string]any { return line(f.sku, 3_000_000_000) },
			code: "INVALID_ARGUMENT", msg: []string{"3000000000"}},
		{name: "placeOrder malformed time", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				v := line(f.sku, 1)
				v["in"].(map[string]any)["shipBy"] = "next tuesday"
				return v
			},
			code: "INVALID_ARGUMENT", msg: []string{"input.shipBy", "RFC3339"}},
		{name: "placeOrder NUL byte in a note", query: placeOrder,
			vars: func(f *inputFixture) map[string]any {
				v := line(f.sku, 1)
				v["in"].(map[string]any)["note"] = "leave at\x00 the door"
				return v
			},
			code: "INVALID_ARGUMENT", msg: []string{"NUL"}},
		{name: "placeOrder NUL byte in a SKU", query: placeOrder,
			vars: func(f *inputFixture) map[string]any { return line("INP\x001", 1) },
			code: "INVALID_ARGUMENT", msg: []string{"NUL"}},
		{name: "orders after a malformed cursor", query: `query($c: Cursor) { orders(first: 1, after: $c) { edges { node { id } } } }`,
			vars: func(*inputFixture) map[string]any { return map[string]any{"c": "not-a-cursor"} },
			code: "INVALID_ARGUMENT", msg: []string{"after", "malformed cursor"}},
		{name: "orders after a cursor of garbage base64", query: `query($c: Cursor) { orders(first: 1, after: $c) { edges { node { id } } } }`,
			vars: func(*inputFixture) map[string]any { return map[string]any{"c": "gqNmb28"} },
			code: "INVALID_ARGUMENT", msg: []string{"after", "malformed cursor"}},
		{name: "orders filtered by a malformed id", query: `{ orders(first: 1, where: {id: "nope"}) { edges { node { id } } } }`,
			code: "INVALID_ARGUMENT", msg: []string{"where.id", "malformed id", "nope"}},
		{name: "orders filtered by a malformed time", query: `{ orders(first: 1, where: {createdAtGT: "yesterday"}) { edges { node { id } } } }`,
			code: "INVALID_ARGUMENT", msg: []string{"where.createdAtGT", "RFC3339"}},
		{name: "node NUL byte", query: node,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "ord_\x00"} },
			code: "INVALID_ARGUMENT", msg: []string{"$id", "NUL"}},
		{name: "NUL byte in a literal of the document",
			query: "mutation { placeOrder(input: {note: \"a\\u0000b\", lines: [{sku: \"INP-1\", quantity: 1}]}) { order { id } } }",
			code:  "INVALID_ARGUMENT", msg: []string{"placeOrder(input)", "NUL"}},
		{name: "orders filtered by an id of garbage", query: `query($id: ID) { orders(first: 1, where: {id: $id}) { edges { node { id } } } }`,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "ord_01JD3W0Q6YB1M9A5Q2X3C4V5NU"} },
			code: "INVALID_ARGUMENT", msg: []string{"where.id", "malformed id"}},

		{name: "node nope", query: node,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "nope"} },
			code: "INVALID_ARGUMENT", msg: []string{"malformed id", "nope"}},
		{name: "node ord_123", query: node,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "ord_123"} },
			code: "INVALID_ARGUMENT", msg: []string{"malformed id", "ord_123"}},
		{name: "node unknown prefix", query: node,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": string(pulid.New("zzz"))} },
			code: "INVALID_ARGUMENT", msg: []string{"malformed id", "zzz"}},
		{name: "node well-formed but absent", query: node,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": string(pulid.New("ord"))} },
			code: "NOT_FOUND", msg: []string{"not found"}},

		{name: "cancelOrder nope", query: cancel,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "nope"} },
			code: "INVALID_ARGUMENT", msg: []string{"orderID", "nope"}},
		{name: "cancelOrder ord_123", query: cancel,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": "ord_123"} },
			code: "INVALID_ARGUMENT", msg: []string{"orderID", "ord_123"}},
		{name: "cancelOrder location id", query: cancel,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"id": wrongType(f)} },
			code: "INVALID_ARGUMENT", msg: []string{"orderID", "not a ord_ id"}},
		{name: "cancelOrder absent order", query: cancel,
			vars: func(*inputFixture) map[string]any { return map[string]any{"id": pulid.New("ord")} },
			code: "NOT_FOUND", msg: []string{"not found"}},

		{name: "receiveStock locationID nope", query: receive,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": "nope", "q": 1} },
			code: "INVALID_ARGUMENT", msg: []string{"location", "nope"}},
		{name: "receiveStock locationID ord_123", query: receive,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": "ord_123", "q": 1} },
			code: "INVALID_ARGUMENT", msg: []string{"location", "ord_123"}},
		{name: "receiveStock locationID of an order", query: receive,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": f.pending, "q": 1} },
			code: "INVALID_ARGUMENT", msg: []string{"location", "not a loc_ id"}},
		{name: "receiveStock absent location", query: receive,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "loc": pulid.New("loc"), "q": 1}
			},
			code: "NOT_FOUND", msg: []string{"location", "not found"}},
		{name: "receiveStock unknown SKU", query: receive,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": "NO-SUCH-SKU", "loc": f.loc, "q": 1}
			},
			code: "INVALID_ARGUMENT", msg: []string{"unknown SKU", "NO-SUCH-SKU"}},
		{name: "receiveStock negative quantity", query: receive,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": f.loc, "q": -5} },
			code: "INVALID_ARGUMENT", msg: []string{"quantity", "-5"}},
		{name: "receiveStock zero quantity", query: receive,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": f.loc, "q": 0} },
			code: "INVALID_ARGUMENT", msg: []string{"quantity", "0"}},

		{name: "transferStock negative quantity", query: transfer,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "from": f.loc, "to": f.loc2, "q": -2}
			},
			code: "INVALID_ARGUMENT", msg: []string{"quantity", "-2"}},
		{name: "transferStock to the same location", query: transfer,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "from": f.loc, "to": f.loc, "q": 1}
			},
			code: "INVALID_ARGUMENT", msg: []string{"two different locations"}},
		{name: "transferStock more than available", query: transfer,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "from": f.loc, "to": f.loc2, "q": 1000}
			},
			code: "INSUFFICIENT_STOCK", msg: []string{"INP-1", "1000"}},

		{name: "adjustStock empty reason", query: adjust,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": f.loc, "reason": ""} },
			code: "INVALID_ARGUMENT", msg: []string{"reason"}},
		{name: "adjustStock reason omitted", status: http.StatusBadRequest,
			query: `mutation($sku: String!, $loc: ID!) { adjustStock(input: {sku: $sku, locationID: $loc, delta: -1}) { replayed } }`,
			vars:  func(f *inputFixture) map[string]any { return map[string]any{"sku": f.sku, "loc": f.loc} },
			code:  "INVALID_ARGUMENT", msg: []string{"reason"}},

		{name: "shipOrder on a cancelled order", query: ship,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"id": f.cancelled} },
			code: "CONFLICT", msg: []string{"ship", "CANCELLED"}},
		{name: "startPicking on a PENDING_PAYMENT order", query: pick,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"id": f.pending} },
			code: "CONFLICT", msg: []string{"start picking", "PENDING_PAYMENT"}},
		{name: "cancelOrder on a cancelled order", query: cancel,
			vars: func(f *inputFixture) map[string]any { return map[string]any{"id": f.cancelled} },
			code: "CONFLICT", msg: []string{"cancel", "CANCELLED"}},

		{name: "idempotency key reused for a different request", query: receive,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "loc": f.loc, "q": 2, "key": f.idemKey}
			},
			code: "CONFLICT", msg: []string{f0IdemKey, "different request"}},

		{name: "oversized body", status: http.StatusRequestEntityTooLarge,
			body: func(*inputFixture) []byte {
				q := "{ viewer { role } }" + strings.Repeat(" ", 1<<20)
				b, _ := json.Marshal(map[string]any{"query": q})
				return b
			},
			code: "INVALID_ARGUMENT", msg: []string{"larger than 1048576 bytes"}},
		{name: "over-deep query", status: http.StatusBadRequest, query: inputNested(13),
			code: "INVALID_ARGUMENT", msg: []string{"13", "limit of 12"}},
		{name: "over-complex query", status: http.StatusBadRequest, query: inputComplex(124),
			code: "INVALID_ARGUMENT", msg: []string{"complexity 25048", "limit of 25000"}},
		{name: "syntax error", status: http.StatusBadRequest, query: `{ viewer { role }`,
			code: "INVALID_ARGUMENT", msg: []string{"Expected"}},
		{name: "unknown field", status: http.StatusBadRequest, query: `{ viewer { favouriteColour } }`,
			code: "INVALID_ARGUMENT", msg: []string{"favouriteColour"}},
		{name: "mutation with a syntax error", status: http.StatusBadRequest,
			query: `mutation { receiveStock(input: {sku: "INP-1", locationID: "x", quantity: 1) { replayed } }`,
			code:  "INVALID_ARGUMENT"},
		{name: "variable of the wrong type", status: http.StatusBadRequest, query: receive,
			vars: func(f *inputFixture) map[string]any {
				return map[string]any{"sku": f.sku, "loc": f.loc, "q": "many"}
			},
			// gqlgen's message does not name the variable; its path does.
			code: "INVALID_ARGUMENT", msg: []string{"cannot use string as Int"}, path: "variable.q"},
	}

	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newInputFixture(t, url)
		// The limits this test assumes are the shipped defaults.
		require.Equal(t, int64(1<<20), f.srv.Inst.Config.MaxBodyBytes)
		require.Equal(t, 12, f.srv.Inst.Config.DepthLimit)
		require.Equal(t, 25000, f.srv.Inst.Config.ComplexityLimit)

		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := func() []byte {
					if tc.body != nil {
						return tc.body(f)
					}
					var vars map[string]any
					if tc.vars != nil {
						vars = tc.vars(f)
					}
					b, err := json.Marshal(map[string]any{"query": tc.query, "variables": vars})
					require.NoError(t, err)
					return b
				}()
				before := inputFingerprint(t, f.srv)
				r := inputPost(t, f.srv, f.srv.AdminKey, body)
				after := inputFingerprint(t, f.srv)

				require.NotEmpty(t, r.resp.Errors, "no error; body %s", r.body)
				require.Equal(t, tc.code, r.resp.Code(), "body %s", r.body)
				for _, m := range tc.msg {
					m = strings.ReplaceAll(m, f0IdemKey, f.idemKey)
					require.Contains(t, r.resp.Errors[0].Message, m, "the message must say what was wrong")
				}
				if tc.path != "" {
					parts := make([]string, len(r.resp.Errors[0].Path))
					for i, p := range r.resp.Errors[0].Path {
						parts[i] = fmt.Sprint(p)
					}
					require.Equal(t, tc.path, strings.Join(parts, "."), "body %s", r.body)
				}
				require.NotContains(t, strings.ToLower(r.body), "ent:", "internals leaked")
				require.NotContains(t, strings.ToLower(r.body), "sql", "internals leaked")
				if tc.status != 0 {
					require.Equal(t, tc.status, r.status, "body %s", r.body)
					require.Equal(t, "application/graphql-response+json", r.contentType)
				}
				if r.resp.Data != nil && string(r.resp.Data) != "null" {
					require.NotContains(t, string(r.resp.Data), `"id"`, "a refused request returned data: %s", r.resp.Data)
				}
				require.Equal(t, before, after, "a refused request changed the store")
			})
		}

		t.Run("limits are exact", func(t *testing.T) {
			// Just under each limit is served, so the cases above test the limit and not a typo.
			var out map[string]any
			f.srv.Admin().MustDo(t, inputNested(12), nil, &out)
			f.srv.Admin().MustDo(t, inputComplex(123), nil, &out)
		})
		f.srv.Audit(t)
	})
}

// f0IdemKey stands in a case's expected message for the fixture's idempotency key.
const f0IdemKey = "\x00idem"
