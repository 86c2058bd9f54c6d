package server_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/server"
)

const (
	transportWS = "graphql-transport-ws"
	legacyWS    = "graphql-ws"
	waitLimit   = 5 * time.Second // how long a test waits for anything to happen
)

// subscribeType is the message that starts an operation in each subprotocol, dataType the one
// carrying a result.
var (
	subscribeType = map[string]string{transportWS: "subscribe", legacyWS: "start"}
	dataType      = map[string]string{transportWS: "next", legacyWS: "data"}
)

type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dial opens a websocket to /graphql offering the given subprotocols; headers are name, value pairs.
func (e *env) dial(t *testing.T, protocols []string, headers ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: waitLimit}
	c, resp, err := d.Dial("ws"+strings.TrimPrefix(e.srv.URL, "http")+"/graphql", h)
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, resp, err
}

// connect dials with one subprotocol and sends connection_init with payload.
func (e *env) connect(t *testing.T, protocol string, payload any) *websocket.Conn {
	t.Helper()
	c, _, err := e.dial(t, []string{protocol})
	require.NoError(t, err)
	require.Equal(t, protocol, c.Subprotocol())
	send(t, c, "connection_init", "", payload)
	return c
}

func send(t *testing.T, c *websocket.Conn, typ, id string, payload any) {
	t.Helper()
	msg := map[string]any{"type": typ}
	if id != "" {
		msg["id"] = id
	}
	if payload != nil {
		msg["payload"] = payload
	}
	require.NoError(t, c.SetWriteDeadline(time.Now().Add(waitLimit)))
	require.NoError(t, c.WriteJSON(msg))
}

// next reads messages until one of type typ, skipping keep-alives; it fails on anything else.
func next(t *testing.T, c *websocket.Conn, typ string) wsMessage {
	t.Helper()
	for {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(waitLimit)))
		var m wsMessage
		require.NoError(t, c.ReadJSON(&m))
		switch m.Type {
		case typ:
			return m
		case "ka", "ping", "pong":
			continue
		}
		t.Fatalf("got %s %s, want %s", m.Type, m.Payload, typ)
	}
}

// closed reads until the connection ends and returns why; a read timeout on our side fails.
func closed(t *testing.T, c *websocket.Conn) error {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitLimit)))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server did not close the connection: %v", err)
			return err
		}
	}
}

// subscription is a subscription to ticks on a topic of the test's own.
func subscription(t *testing.T) map[string]any {
	return map[string]any{"query": "subscription($t: String!) { ticks(topic: $t) }", "variables": map[string]any{"t": t.Name()}}
}

// tick feeds one event to the test's subscription, waiting until it takes it.
func (e *env) tick(t *testing.T, v string) {
	t.Helper()
	select {
	case e.schema.feed(t.Name()) <- v:
	case <-time.After(waitLimit):
		t.Fatal("no subscription is listening")
	}
}

func bearerInit(secret string) map[string]any {
	return map[string]any{"Authorization": "Bearer " + secret}
}

func TestWebsocketSubscriptions(t *testing.T) {
	e := start(t, server.Config{}, nil)
	inits := map[string]map[string]any{
		"Authorization": bearerInit(e.admin),
		"authorization": {"authorization": "Bearer " + e.admin},
		"apiKey":        {"apiKey": e.admin},
	}
	for _, protocol := range []string{transportWS, legacyWS} {
		for name, init := range inits {
			t.Run(protocol+"/"+name, func(t *testing.T) {
				c := e.connect(t, protocol, init)
				next(t, c, "connection_ack")
				send(t, c, subscribeType[protocol], "1", subscription(t))
				for _, v := range []string{"a", "b"} {
					e.tick(t, v)
					m := next(t, c, dataType[protocol])
					require.Equal(t, "1", m.ID)
					require.JSONEq(t, `{"data":{"ticks":"`+v+`"}}`, string(m.Payload))
				}
				// The key's viewer reaches the operations of the connection.
				send(t, c, subscribeType[protocol], "2", map[string]any{"query": "{ viewer }"})
				m := next(t, c, dataType[protocol])
				require.Equal(t, "2", m.ID)
				require.JSONEq(t, `{"data":{"viewer":"ADMIN"}}`, string(m.Payload))
			})
		}
	}
	t.Run("the current protocol is preferred", func(t *testing.T) {
		c, _, err := e.dial(t, []string{legacyWS, transportWS})
		require.NoError(t, err)
		require.Equal(t, transportWS, c.Subprotocol())
	})
}

func TestWebsocketOrigin(t *testing.T) {
	e := start(t, server.Config{AllowedOrigins: []string{"https://console.example.com"}}, nil)
	tests := []struct {
		name    string
		headers []string
		allowed bool
	}{
		{name: "listed origin", headers: []string{"Origin", "https://console.example.com"}, allowed: true},
		{name: "listed origin, other case", headers: []string{"Origin", "https://Console.Example.com"}, allowed: true},
		{name: "same host", headers: []string{"Origin", e.srv.URL}, allowed: true},
		{name: "no origin (not a browser)", allowed: true},
		{name: "foreign origin", headers: []string{"Origin", "https://evil.example.net"}},
		{name: "listed host, other scheme", headers: []string{"Origin", "http://console.example.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, resp, err := e.dial(t, []string{transportWS}, tc.headers...)
			if tc.allowed {
				require.NoError(t, err)
				send(t, c, "connection_init", "", bearerInit(e.admin))
				next(t, c, "connection_ack")
				return
			}
			require.ErrorIs(t, err, websocket.ErrBadHandshake)
			require.Equal(t, http.StatusForbidden, resp.StatusCode)
		})
	}
}

func TestWebsocketReadLimit(t *testing.T) {
	e := start(t, server.Config{WebsocketReadLimit: 1024}, nil)
	c := e.connect(t, transportWS, bearerInit(e.admin))
	next(t, c, "connection_ack")

	// A valid subscription within the limit is served...
	small := subscription(t)
	small["query"] = small["query"].(string) + strings.Repeat(" ", 700)
	send(t, c, "subscribe", "1", small)
	e.tick(t, "a")
	next(t, c, "next")
	// ...and one over it ends the connection instead.
	big := subscription(t)
	big["query"] = big["query"].(string) + strings.Repeat(" ", 2000)
	send(t, c, "subscribe", "2", big)
	err := closed(t, c)
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		require.Equal(t, websocket.CloseMessageTooBig, ce.Code)
	}
}

func TestWebsocketRefused(t *testing.T) {
	e := start(t, server.Config{}, nil)
	tests := []struct {
		name    string
		payload any
		code    int
	}{
		{name: "no payload", payload: nil, code: server.CloseUnauthorized},
		{name: "no key", payload: map[string]any{"client": "console"}, code: server.CloseUnauthorized},
		{name: "unknown key", payload: bearerInit("ordo_notakey"), code: server.CloseUnauthorized},
		{name: "revoked key", payload: bearerInit(e.revoked), code: server.CloseUnauthorized},
		{name: "not bearer", payload: map[string]any{"Authorization": "Basic " + e.admin}, code: server.CloseUnauthorized},
		{name: "partner", payload: bearerInit(e.partner), code: server.CloseForbidden},
		{name: "partner apiKey", payload: map[string]any{"apiKey": e.partner}, code: server.CloseForbidden},
	}
	for _, protocol := range []string{transportWS, legacyWS} {
		for _, tc := range tests {
			t.Run(protocol+"/"+tc.name, func(t *testing.T) {
				c := e.connect(t, protocol, tc.payload)
				err := closed(t, c)
				var ce *websocket.CloseError
				require.ErrorAs(t, err, &ce, "the peer must see a close frame, not a dropped connection")
				require.Equal(t, tc.code, ce.Code, ce.Text)
			})
		}
	}
}

func TestWebsocketKeepAlive(t *testing.T) {
	const keepAlive = 100 * time.Millisecond // the server drops a peer silent for 200ms
	e := start(t, server.Config{KeepAlive: keepAlive}, nil)

	t.Run("a peer that answers pings stays", func(t *testing.T) {
		// graphql-ws has no client-to-server heartbeat: only control pongs keep the peer alive.
		c := e.connect(t, legacyWS, bearerInit(e.admin))
		next(t, c, "connection_ack")
		send(t, c, "start", "1", subscription(t))
		start := time.Now()
		for range 6 { // six keep-alives, 500ms: well past the 200ms read deadline
			next(t, c, "ka")
		}
		require.Greater(t, time.Since(start), 4*keepAlive)
		e.tick(t, "still here")
		m := next(t, c, "data")
		require.JSONEq(t, `{"data":{"ticks":"still here"}}`, string(m.Payload))
	})
	t.Run("a peer that does not is dropped", func(t *testing.T) {
		c := e.connect(t, legacyWS, bearerInit(e.admin))
		c.SetPingHandler(func(string) error { return nil }) // swallow pings: a dead peer
		next(t, c, "connection_ack")
		closed(t, c)
	})
}

func TestWebsocketRefusedWhilePipelining(t *testing.T) {
	// Legacy clients send their operations right after connection_init, without waiting for the
	// ack. The close code must still reach them, though the server closes with their input unread.
	e := start(t, server.Config{}, nil)
	for _, protocol := range []string{transportWS, legacyWS} {
		t.Run(protocol, func(t *testing.T) {
			c := e.connect(t, protocol, bearerInit("ordo_notakey"))
			for i := range 20 {
				op := subscription(t)
				op["query"] = op["query"].(string) + strings.Repeat(" ", 4000)
				send(t, c, subscribeType[protocol], strconv.Itoa(i), op)
			}
			var ce *websocket.CloseError
			require.ErrorAs(t, closed(t, c), &ce)
			require.Equal(t, server.CloseUnauthorized, ce.Code)
		})
	}
}

func TestWebsocketBadInitPayload(t *testing.T) {
	// gqlgen gives up on a connection_init payload that is not an object without closing the socket;
	// the transport must close it anyway, or it stays open for good.
	e := start(t, server.Config{}, nil)
	for _, protocol := range []string{transportWS, legacyWS} {
		t.Run(protocol, func(t *testing.T) {
			c := e.connect(t, protocol, "Bearer "+e.admin)
			closed(t, c)
		})
	}
}
