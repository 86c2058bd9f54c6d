package server_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/server"
)

// serveWithTimeouts serves e's handler through server.HTTPServer on a loopback listener, so that
// the timeouts under test are the ones `ordo serve` runs with.
func serveWithTimeouts(t *testing.T, e *env, cfg server.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := server.HTTPServer(cfg, e.srv.Config.Handler)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	t.Cleanup(func() {
		require.NoError(t, hs.Close())
		require.ErrorIs(t, <-done, http.ErrServerClosed)
	})
	return ln.Addr().String()
}

// waitClosed reads from c until the server closes it, and fails if it is still open after
// waitLimit (a read timeout on our side).
func waitClosed(t *testing.T, c net.Conn) string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitLimit)))
	got, err := io.ReadAll(c)
	var ne net.Error
	require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server kept a slow client's connection open")
	return string(got)
}

func TestSlowClientsAreCutOff(t *testing.T) {
	cfg := server.Config{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 600 * time.Millisecond, IdleTimeout: 600 * time.Millisecond}
	e := start(t, cfg, nil)
	addr := serveWithTimeouts(t, e, cfg)
	dial := func(t *testing.T) net.Conn {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	}

	// A websocket opened first must outlive every one of these timeouts.
	d := websocket.Dialer{Subprotocols: []string{transportWS}, HandshakeTimeout: waitLimit}
	ws, _, err := d.Dial("ws://"+addr+"/graphql", nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ws.Close() })
	send(t, ws, "connection_init", "", bearerInit(e.admin))
	next(t, ws, "connection_ack")
	send(t, ws, "subscribe", "1", subscription(t))

	t.Run("headers trickling", func(t *testing.T) {
		c := dial(t)
		_, err := io.WriteString(c, "POST /graphql HTTP/1.1\r\nHost: ordo\r\nContent-Type: application/json\r\n")
		require.NoError(t, err)
		waitClosed(t, c)
	})
	t.Run("body trickling", func(t *testing.T) {
		c := dial(t)
		_, err := io.WriteString(c, "POST /graphql HTTP/1.1\r\nHost: ordo\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":")
		require.NoError(t, err)
		answer := waitClosed(t, c)
		require.NotContains(t, answer, "200 OK")
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial(t)
		_, err := io.WriteString(c, "GET /graphql?query=%7Bhello%7D HTTP/1.1\r\nHost: ordo\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, resp.Body.Close())
		waitClosed(t, c) // no second request: the server closes the connection
	})

	// Every timeout above has passed since the websocket opened, and it still streams.
	e.tick(t, "still here")
	m := next(t, ws, "next")
	require.JSONEq(t, `{"data":{"ticks":"still here"}}`, string(m.Payload))
}

func TestHTTPServerDefaults(t *testing.T) {
	hs := server.HTTPServer(server.Config{Addr: "127.0.0.1:0"}, http.NotFoundHandler())
	require.Equal(t, "127.0.0.1:0", hs.Addr)
	require.Equal(t, server.DefaultReadHeaderTimeout, hs.ReadHeaderTimeout)
	require.Equal(t, server.DefaultReadTimeout, hs.ReadTimeout)
	require.Equal(t, server.DefaultIdleTimeout, hs.IdleTimeout)
	require.Zero(t, hs.WriteTimeout, "a write timeout would cut long subscriptions")
}
