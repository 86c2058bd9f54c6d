package e2e_test

// Issue 8 §4: a store that is out of reach, or that refuses writes, is UNAVAILABLE with HTTP 503 and
// Retry-After (never a flood of 500 INTERNAL), /readyz says "not ready" and nothing more, and Ordo
// serves again, without a restart, once the store is back.
//
// PostgreSQL is cut off for real: Ordo reaches it through a TCP proxy that the test cuts (every
// connection dropped, new ones refused) and restores; the shared server is never stopped. SQLite has
// no connection to lose: its outage is the file refusing writes, so the test fills the database to
// its size limit (a real SQLITE_FULL, "database or disk is full") and then frees it.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// outageProxy forwards TCP connections to a PostgreSQL server until cut.
type outageProxy struct {
	ln       net.Listener
	upstream string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func startOutageProxy(t *testing.T, upstream string) *outageProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &outageProxy{ln: ln, upstream: upstream, conns: map[net.Conn]struct{}{}}
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *outageProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.wg.Go(func() { p.forward(c) })
	}
}

func (p *outageProxy) forward(c net.Conn) {
	defer p.drop(c)
	up, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		_ = up.Close()
		return
	}
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer p.drop(up)
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

func (p *outageProxy) drop(c net.Conn) {
	_ = c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// cut drops every connection and refuses new ones until restore.
func (p *outageProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		_ = c.Close()
	}
}

func (p *outageProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// outageReply is an HTTP answer with what the outage tests look at.
type outageReply struct {
	status     int
	retryAfter string
	body       string
	resp       ordotest.Response
}

func outagePost(t *testing.T, srv *ordotest.Server, query string, vars map[string]any) outageReply {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+srv.AdminKey)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	r := outageReply{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After"), body: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &r.resp), "body %q", raw)
	return r
}

func outageReady(t *testing.T, srv *ordotest.Server, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/readyz", nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(raw)
}

const (
	outagePlace  = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`
	outageOrders = `{ orders(first: 5) { edges { node { id } } } }`
)

func outageOrder(sku string) map[string]any {
	return map[string]any{"in": map[string]any{"paid": true, "lines": []any{map[string]any{"sku": sku, "quantity": 1}}}}
}

// requireUnavailable checks an answer given while the store is out: 503, Retry-After, UNAVAILABLE,
// and nothing of the store's address or its own error text.
func requireUnavailable(t *testing.T, r outageReply, secrets ...string) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, r.status, "body %s", r.body)
	require.NotEmpty(t, r.retryAfter, "a 503 must say when to retry")
	require.Equal(t, "UNAVAILABLE", r.resp.Code(), "body %s", r.body)
	for _, e := range r.resp.Errors {
		require.Equal(t, "UNAVAILABLE", e.Code(), "body %s", r.body)
	}
	for _, s := range secrets {
		require.NotContains(t, r.body, s, "the answer leaks the store's details")
	}
}

func TestOutagePostgres(t *testing.T) {
	direct, err := url.Parse(dbtest.PostgresURL(t))
	require.NoError(t, err)
	proxy := startOutageProxy(t, direct.Host)
	viaProxy := *direct
	viaProxy.Host = proxy.ln.Addr().String()
	srv := ordotest.Start(t, viaProxy.String())
	loc := srv.Location(t, "OUT-A", 1)
	srv.SKU(t, "OUT-1", map[pulid.ID]int64{loc.ID: 100})

	r := outagePost(t, srv, outagePlace, outageOrder("OUT-1"))
	require.Empty(t, r.resp.Errors, r.body)
	status, _ := outageReady(t, srv, "")
	require.Equal(t, http.StatusOK, status)

	proxy.cut()
	secrets := []string{viaProxy.Host, direct.Host, strings.TrimPrefix(direct.Path, "/"), "pgconn", "dial", "EOF"}
	// Several requests, reads and writes alike: every one is a clean 503, none a 500.
	for range 5 {
		requireUnavailable(t, outagePost(t, srv, outagePlace, outageOrder("OUT-1")), secrets...)
		requireUnavailable(t, outagePost(t, srv, outageOrders, nil), secrets...)
	}
	for _, key := range []string{"", srv.AdminKey} {
		status, body := outageReady(t, srv, key)
		require.Equal(t, http.StatusServiceUnavailable, status)
		require.Equal(t, "not ready\n", body, "/readyz says not ready and nothing more")
	}

	proxy.restore()
	require.Eventually(t, func() bool {
		status, _ := outageReady(t, srv, "")
		return status == http.StatusOK
	}, 30*time.Second, 50*time.Millisecond, "/readyz must recover without a restart")
	r = outagePost(t, srv, outagePlace, outageOrder("OUT-1"))
	require.Empty(t, r.resp.Errors, "after the outage, orders are taken again without a restart: %s", r.body)
	var got struct {
		Orders struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	r = outagePost(t, srv, outageOrders, nil)
	require.Empty(t, r.resp.Errors, r.body)
	require.NoError(t, r.resp.Decode(&got))
	require.Len(t, got.Orders.Edges, 2, "the orders refused during the outage left nothing behind")
	srv.Audit(t)
}

func TestOutageSQLiteFull(t *testing.T) {
	srv := ordotest.Start(t, dbtest.SQLiteURL(t))
	loc := srv.Location(t, "FULL-A", 1)
	srv.SKU(t, "FULL-1", map[pulid.ID]int64{loc.ID: 10_000})
	ctx := context.Background()
	db := srv.Inst.DB.SQL // one connection on SQLite: a pragma set here holds for every request
	var pages int64
	require.NoError(t, db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages))
	_, err := db.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.FormatInt(pages, 10))
	require.NoError(t, err)

	// Orders fill the free space of the database's last pages; one of the next few needs a new page.
	var full outageReply
	placed := 0
	for range 500 {
		r := outagePost(t, srv, outagePlace, outageOrder("FULL-1"))
		if len(r.resp.Errors) > 0 {
			full = r
			break
		}
		placed++
	}
	require.NotZero(t, full.status, "the database never filled up")
	requireUnavailable(t, full, "sqlite", "SQLITE", "disk is full", "ordo.db")
	require.Contains(t, full.resp.Errors[0].Message, "refuses writes")
	// A write that fits the file's free pages still commits (background jobs make such writes); it
	// does not show that the store takes writes again.
	require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE locations SET name = name")
		return err
	}))
	status, body := outageReady(t, srv, "")
	require.Equal(t, http.StatusServiceUnavailable, status, "a store that refused a write for lack of space is not ready")
	require.Equal(t, "not ready\n", body)

	// Room again (an operator freed the disk): writes succeed and the store is ready, no restart.
	_, err = db.ExecContext(ctx, "PRAGMA max_page_count = 1073741823")
	require.NoError(t, err)
	r := outagePost(t, srv, outagePlace, outageOrder("FULL-1"))
	require.Empty(t, r.resp.Errors, r.body)
	status, _ = outageReady(t, srv, "")
	require.Equal(t, http.StatusOK, status)
	n, err := srv.Inst.DB.Client.Order.Query().Count(ctx)
	require.NoError(t, err)
	require.Equal(t, placed+1, n, "the refused order left nothing behind")
	srv.Audit(t)
}
