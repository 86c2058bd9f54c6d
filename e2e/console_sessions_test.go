package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/instance"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/staff"
)

const consolePassword = "correct horse battery"

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

// startConsole starts Ordo with cheap password hashes, the given clock and admin@example.com
// (ADMIN) and support@example.com (SUPPORT).
func startConsole(t *testing.T, url string, clock *testClock, configure func(*config.Config)) *ordotest.Server {
	srv := ordotest.StartPrepared(t, url, configure, func(i *instance.Instance) {
		i.Staff.Params = staff.Params{Memory: 64, Time: 1, Threads: 1}
		if clock != nil {
			i.Staff.Now = clock.now
		}
	})
	ctx := auth.NewContext(context.Background(), auth.System)
	for _, u := range []struct{ email, role string }{{"admin@example.com", "ADMIN"}, {"support@example.com", "SUPPORT"}} {
		if _, err := srv.Inst.Staff.ByEmail(ctx, u.email); err == nil {
			continue // a second replica on the same store
		}
		_, err := srv.Inst.Staff.Create(ctx, u.email, "", u.role, consolePassword)
		require.NoError(t, err)
	}
	return srv
}

type consoleReply struct {
	status int
	header http.Header
	body   []byte
}

func (r consoleReply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

// consoleDo sends one request as a browser on the server's own origin would (Origin set), with the
// session cookie and the CSRF header when given.
func consoleDo(t *testing.T, base, method, path string, body any, cookie, csrf string) consoleReply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "ordo_session", Value: cookie})
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return consoleReply{status: res.StatusCode, header: res.Header, body: b}
}

// signIn signs in and returns the session cookie's value, its CSRF token and the cookie as sent.
func signIn(t *testing.T, base, email string) (cookie, csrf string, set *http.Cookie) {
	t.Helper()
	r := consoleDo(t, base, "POST", "/console/api/signin", map[string]string{"email": email, "password": consolePassword}, "", "")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	cookies := (&http.Response{Header: r.header}).Cookies()
	require.Len(t, cookies, 1)
	m := r.json(t)
	return cookies[0].Value, m["csrfToken"].(string), cookies[0]
}

func gql(query string, vars map[string]any) map[string]any {
	return map[string]any{"query": query, "variables": vars}
}

// consoleSocket opens a graphql-transport-ws socket as the console does: the cookie with the
// upgrade, the CSRF token in connection_init. It returns the socket once acknowledged.
func consoleSocket(t *testing.T, base, cookie, csrf string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	h := http.Header{"Origin": {base}, "Cookie": {"ordo_session=" + cookie}}
	conn, res, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/graphql", h)
	require.NoError(t, err)
	_ = res.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"csrfToken": csrf}}))
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m struct{ Type string }
	require.NoError(t, conn.ReadJSON(&m))
	require.Equal(t, "connection_ack", m.Type)
	require.NoError(t, conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": `subscription { orderEvents { type } }`}}))
	return conn
}

// closedWith reads conn until it closes and returns the close code.
func closedWith(t *testing.T, conn *websocket.Conn) int {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			return ce.Code
		}
	}
}

func TestConsoleSessions(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		clock := &testClock{}
		srv := startConsole(t, url, clock, nil)
		base := srv.URL

		// Cookie flags: HttpOnly, SameSite=Strict, Path=/, Secure (this is not --dev), Max-Age 12 h.
		cookie, csrf, set := signIn(t, base, "admin@example.com")
		require.True(t, set.HttpOnly)
		require.True(t, set.Secure)
		require.Equal(t, http.SameSiteStrictMode, set.SameSite)
		require.Equal(t, "/", set.Path)
		require.InDelta(t, 12*3600, set.MaxAge, 60)
		r := consoleDo(t, base, "GET", "/console/api/session", nil, cookie, "")
		require.Equal(t, http.StatusOK, r.status)
		require.Equal(t, csrf, r.json(t)["csrfToken"])
		require.Equal(t, "admin@example.com", r.json(t)["user"].(map[string]any)["email"])

		// The console's page, and its routes, with its headers.
		r = consoleDo(t, base, "GET", "/console/orders/ord_x", nil, "", "")
		require.Equal(t, http.StatusOK, r.status)
		require.Contains(t, r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		require.Equal(t, "no-store", r.header.Get("Cache-Control"))
		require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))

		// A sign-in from a foreign page is refused.
		req, _ := http.NewRequest("POST", base+"/console/api/signin", strings.NewReader(`{"email":"admin@example.com","password":"`+consolePassword+`"}`))
		req.Header.Set("Origin", "https://evil.example")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusForbidden, res.StatusCode)

		// A mutation with the cookie but without the CSRF token, or a wrong one: 403, nothing done.
		create := gql(`mutation { createStaffUser(input: {email: "new@example.com", role: OPERATOR, password: "correct horse battery"}) { id email } }`, nil)
		for _, token := range []string{"", csrf + "x"} {
			r = consoleDo(t, base, "POST", "/graphql", create, cookie, token)
			require.Equal(t, http.StatusForbidden, r.status, string(r.body))
			require.Contains(t, string(r.body), "missing or wrong CSRF token")
		}
		_, err = srv.Inst.Staff.ByEmail(context.Background(), "new@example.com")
		require.Error(t, err, "a refused request created the user")
		// With the token it works, and the event's actor is the staff user.
		r = consoleDo(t, base, "POST", "/graphql", create, cookie, csrf)
		require.Equal(t, http.StatusOK, r.status)
		require.NotContains(t, string(r.body), "errors", string(r.body))
		admin, err := srv.Inst.Staff.ByEmail(context.Background(), "admin@example.com")
		require.NoError(t, err)
		ev, err := srv.Inst.DB.Client.Event.Query().Where(event.Type("staff.user_created")).All(context.Background())
		require.NoError(t, err)
		require.Equal(t, string(admin.ID), ev[len(ev)-1].Actor)

		// A console query: the viewer is the staff user, with the mutations the role may call.
		r = consoleDo(t, base, "POST", "/graphql", gql(`{ viewer { role keyID staff { id email role } mutations } }`, nil), cookie, csrf)
		require.Contains(t, string(r.body), `"email":"admin@example.com"`)
		require.Contains(t, string(r.body), `"createStaffUser"`)

		// actorName: an order held from the console shows the admin's email in its timeline.
		loc := srv.Location(t, "CON", 1)
		srv.SKU(t, "CON-1", map[pulid.ID]int64{loc.ID: 5})
		var placed struct {
			PlaceOrder struct{ Order struct{ ID string } }
		}
		srv.Admin().MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`, map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": "CON-1", "quantity": 1}}, "customer": map[string]any{"email": "c@example.com"}}}, &placed)
		r = consoleDo(t, base, "POST", "/graphql", gql(`mutation($id: ID!) { holdOrder(input: {orderID: $id, reason: "check"}) { order { status } } }`,
			map[string]any{"id": placed.PlaceOrder.Order.ID}), cookie, csrf)
		require.NotContains(t, string(r.body), "errors", string(r.body))
		r = consoleDo(t, base, "POST", "/graphql", gql(`query($id: ID!) { node(id: $id) { ... on Order { events { type actor actorName } } } }`,
			map[string]any{"id": placed.PlaceOrder.Order.ID}), cookie, csrf)
		require.Contains(t, string(r.body), `"actorName":"admin@example.com"`, string(r.body))
		require.Contains(t, string(r.body), `"actorName":"ADMIN test key"`, string(r.body))

		// Support may not create users.
		sCookie, sCSRF, _ := signIn(t, base, "support@example.com")
		r = consoleDo(t, base, "POST", "/graphql", gql(`mutation { createStaffUser(input: {email: "x@example.com", role: ADMIN, password: "correct horse battery"}) { id } }`, nil), sCookie, sCSRF)
		require.Contains(t, string(r.body), "FORBIDDEN", string(r.body))
		r = consoleDo(t, base, "POST", "/graphql", gql(`{ viewer { mutations } }`, nil), sCookie, sCSRF)
		require.NotContains(t, string(r.body), "createStaffUser")

		// Sign-out closes the session's open websocket with 4401; the old cookie is then refused.
		conn := consoleSocket(t, base, cookie, csrf)
		r = consoleDo(t, base, "POST", "/console/api/signout", nil, cookie, "")
		require.Equal(t, http.StatusForbidden, r.status, "sign-out needs the CSRF token")
		r = consoleDo(t, base, "POST", "/console/api/signout", nil, cookie, csrf)
		require.Equal(t, http.StatusNoContent, r.status)
		require.Equal(t, 4401, closedWith(t, conn))
		require.Equal(t, http.StatusUnauthorized, consoleDo(t, base, "GET", "/console/api/session", nil, cookie, "").status)
		require.Equal(t, http.StatusUnauthorized, consoleDo(t, base, "POST", "/graphql", gql(`{ viewer { role } }`, nil), cookie, csrf).status)

		// Expiry: idle for two hours, the session is over.
		_, _, _ = signIn(t, base, "support@example.com")
		clock.add(2*time.Hour + time.Minute)
		require.Equal(t, http.StatusUnauthorized, consoleDo(t, base, "GET", "/console/api/session", nil, sCookie, "").status)

		// Rate limit: the sixth wrong password is 429 with Retry-After.
		for i := range 5 {
			r = consoleDo(t, base, "POST", "/console/api/signin", map[string]string{"email": "support@example.com", "password": "wrong password!"}, "", "")
			require.Equal(t, http.StatusUnauthorized, r.status, "attempt %d", i+1)
			require.Equal(t, "wrong email or password", r.json(t)["error"])
		}
		r = consoleDo(t, base, "POST", "/console/api/signin", map[string]string{"email": "support@example.com", "password": "wrong password!"}, "", "")
		require.Equal(t, http.StatusTooManyRequests, r.status)
		require.NotEmpty(t, r.header.Get("Retry-After"))
		require.Contains(t, r.json(t)["error"], "too many attempts, try again in")
	})
}

// TestConsoleSessionsAcrossReplicas: a session opened on one replica works on another sharing the
// store, and signing out on either ends it on both (websockets included).
func TestConsoleSessionsAcrossReplicas(t *testing.T) {
	url := dbtest.PostgresURL(t)
	a := startConsole(t, url, nil, nil)
	b := startConsole(t, url, nil, nil)
	cookie, csrf, _ := signIn(t, a.URL, "admin@example.com")

	r := consoleDo(t, b.URL, "POST", "/graphql", gql(`{ viewer { staff { email } } }`, nil), cookie, csrf)
	require.Contains(t, string(r.body), "admin@example.com", string(r.body))
	connA := consoleSocket(t, a.URL, cookie, csrf)
	connB := consoleSocket(t, b.URL, cookie, csrf)

	require.Equal(t, http.StatusNoContent, consoleDo(t, b.URL, "POST", "/console/api/signout", nil, cookie, csrf).status)
	require.Equal(t, 4401, closedWith(t, connB))
	require.Equal(t, 4401, closedWith(t, connA))
	require.Equal(t, http.StatusUnauthorized, consoleDo(t, a.URL, "GET", "/console/api/session", nil, cookie, "").status)
	require.Equal(t, http.StatusUnauthorized, consoleDo(t, a.URL, "POST", "/graphql", gql(`{ viewer { role } }`, nil), cookie, csrf).status)
}
