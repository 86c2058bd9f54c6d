package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/ordo-oms/ordo/fault"
)

// Websocket timings that are not worth a knob.
const (
	writeWait   = 10 * time.Second // a write (message or control frame) that takes longer means a stuck peer
	initTimeout = 10 * time.Second // time a client has to send connection_init
	closeGrace  = time.Second      // time the peer has to answer our close frame
	maxReason   = 123              // a close frame's reason is at most 123 bytes (RFC 6455 §5.5)
)

// slowConsumerMark is how a message reporting a subscriber cut off for falling behind reads on the
// wire (graph.Streams writes it; a JSON string value cannot contain it unescaped). After writing one
// the connection is closed with CloseTryAgainLater: the client reconnects and resumes from the
// message's cursor.
var slowConsumerMark = []byte(`"code":"` + string(fault.SlowConsumer) + `"`)

// Sockets are a server's open websockets, so that a shutdown closes each of them with a close code
// that tells clients to reconnect and resume (1012 service restart, 1001 going away) rather than
// dropping them (1006). The zero value is ready to use.
type Sockets struct {
	mu     sync.Mutex
	open   map[*wsConn]struct{}
	closed *websocket.CloseError // set once CloseAll ran: later connections get it at once
}

func (s *Sockets) add(c *wsConn) {
	s.mu.Lock()
	closed := s.closed
	if closed == nil {
		if s.open == nil {
			s.open = map[*wsConn]struct{}{}
		}
		s.open[c] = struct{}{}
	}
	s.mu.Unlock()
	if closed != nil {
		_ = c.WriteClose(closed.Code, closed.Text)
		_ = c.Close()
	}
}

func (s *Sockets) remove(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open, c)
}

// CloseAll sends every open websocket, and any opened later, a close frame with code and reason,
// then closes them, each given a moment to answer.
func (s *Sockets) CloseAll(code int, reason string) {
	s.mu.Lock()
	s.closed = &websocket.CloseError{Code: code, Text: reason}
	open := s.open
	s.open = nil
	s.mu.Unlock()
	var wg sync.WaitGroup
	for c := range open {
		wg.Go(func() {
			_ = c.WriteClose(code, reason)
			_ = c.Close()
		})
	}
	wg.Wait()
}

// origins decides which browser pages may open a websocket: the configured origins, the server's own
// host, and clients that send no Origin at all (they are not browsers, so there is no page to forge).
type origins map[string]bool

func newOrigins(allowed []string) origins {
	o := origins{}
	for _, a := range allowed {
		o[strings.ToLower(strings.TrimRight(a, "/"))] = true
	}
	return o
}

func (o origins) allowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if o[strings.ToLower(origin)] {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// wsTransport is gqlgen's websocket transport on gorilla/websocket. Each connection gets its own
// acceptor so that the connection is closed for sure when gqlgen is done with it: gqlgen returns
// without closing in a few paths (e.g. a connection_init payload that is not a JSON object).
type wsTransport struct {
	transport.Websocket
	sockets   *Sockets
	origins   origins
	readLimit int64
	keepAlive time.Duration
}

// Do serves one websocket connection.
func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	a := &acceptor{t: t}
	ws := t.Websocket
	ws.Implementation = a
	ws.Do(w, r, exec)
	if a.conn != nil {
		a.t.sockets.remove(a.conn)
		_ = a.conn.Close()
	}
}

// acceptor implements transport.WebsocketImplementation for one request.
type acceptor struct {
	t    wsTransport
	conn *wsConn
}

// Accept upgrades the request; the upgrade is refused (403) for origins not on the allow-list.
func (a *acceptor) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	u := websocket.Upgrader{
		HandshakeTimeout: writeWait,
		// In order of preference: the current protocol first, then the legacy one.
		Subprotocols: []string{"graphql-transport-ws", "graphql-ws"},
		CheckOrigin:  a.t.origins.allowed,
		// gqlgen answers a failed upgrade itself; writing here too would send two responses.
		Error: func(http.ResponseWriter, *http.Request, int, error) {},
	}
	for _, p := range opts.Subprotocols {
		if !slices.Contains(u.Subprotocols, p) {
			u.Subprotocols = append(u.Subprotocols, p)
		}
	}
	ws, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, fmt.Errorf("websocket upgrade: %w", err)
	}
	a.conn = newWSConn(ws, a.t.readLimit, 2*a.t.keepAlive, a.t.keepAlive)
	a.conn.note = closeNoteOf(r.Context())
	a.t.sockets.add(a.conn)
	return a.conn, nil
}

// wsConn is one gorilla connection as gqlgen's transport.WebsocketConn. It owns the read deadline:
// every message and every pong moves it forward by readTimeout, and a pinger sends a ping every
// pingEvery, so a peer that stops answering is dropped on both subprotocols. It deliberately does
// not implement transport.WebsocketReadDeadliner: gqlgen clears the deadline on its own pong
// messages, which would switch dead-peer detection off.
type wsConn struct {
	ws          *websocket.Conn
	readTimeout time.Duration
	stop        chan struct{}
	note        *closeNote // why Ordo ends the connection, when it does (a revoked key)

	mu                                    sync.Mutex
	reading, closing, closeSent, peerGone bool
	// readerDone is closed when the reader's loop is over (its NextReader failed): from then on
	// nobody else reads the connection. reading is true from the first NextReader until then: the
	// reader also reads between calls, from the message NextReader handed it.
	readerDone chan struct{}
	readerOnce sync.Once
}

func newWSConn(ws *websocket.Conn, readLimit int64, readTimeout, pingEvery time.Duration) *wsConn {
	c := &wsConn{ws: ws, readTimeout: readTimeout, stop: make(chan struct{}), readerDone: make(chan struct{})}
	ws.SetReadLimit(readLimit)
	_ = ws.SetReadDeadline(time.Now().Add(readTimeout))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(readTimeout)) })
	ws.SetCloseHandler(func(code int, _ string) error {
		c.mu.Lock()
		echo := !c.closeSent
		c.closeSent, c.peerGone = true, true
		c.mu.Unlock()
		if echo {
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(writeWait))
		}
		return nil
	})
	go c.ping(pingEvery)
	return c
}

func (c *wsConn) ping(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		}
	}
}

// NextReader returns the next message; a normal close by the peer is transport.ErrWebsocketClosed.
func (c *wsConn) NextReader() (int, io.Reader, error) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return 0, nil, transport.ErrWebsocketClosed
	}
	c.reading = true
	c.mu.Unlock()
	typ, r, err := c.ws.NextReader()
	c.mu.Lock()
	if err != nil {
		c.reading = false
		c.readerOnce.Do(func() { close(c.readerDone) })
	}
	if errors.Is(err, websocket.ErrReadLimit) {
		c.closeSent = true // gorilla has sent 1009 (message too big)
	}
	c.mu.Unlock()
	if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
		return typ, nil, transport.ErrWebsocketClosed
	}
	if err != nil {
		return typ, nil, fmt.Errorf("websocket read: %w", err)
	}
	_ = c.ws.SetReadDeadline(time.Now().Add(c.readTimeout))
	return typ, r, nil
}

// WriteJSON sends one message. A failed or timed-out write means the peer is gone or too slow to
// keep up, so the connection is dropped at once; the reader then fails and the subscriptions end. A
// message telling a subscriber that it fell behind is the last one: the connection is closed after
// it with CloseTryAgainLater.
func (c *wsConn) WriteJSON(v any) error {
	msg, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("websocket write: %w", err)
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		_ = c.ws.Close()
		return fmt.Errorf("websocket write: %w", err)
	}
	if bytes.Contains(msg, slowConsumerMark) && isSlowConsumer(msg) {
		_ = c.WriteClose(websocket.CloseTryAgainLater, "slow consumer: reconnect and resume from the cursor")
		// The peer answers the close frame once it has read up to it; one that does not is dropped.
		time.AfterFunc(writeWait, func() { _ = c.Close() })
	}
	return nil
}

// isSlowConsumer reports whether msg, a protocol message that contains slowConsumerMark, is the one
// that ends a stream for falling behind: no data, and an error with that code. A value in a result
// (a listing's attrs, say) that merely spells the mark out is not one.
func isSlowConsumer(msg []byte) bool {
	var m struct {
		Payload struct {
			Data   json.RawMessage `json:"data"`
			Errors []struct {
				Extensions struct {
					Code string `json:"code"`
				} `json:"extensions"`
			} `json:"errors"`
		} `json:"payload"`
	}
	if json.Unmarshal(msg, &m) != nil || len(m.Payload.Data) > 0 && string(m.Payload.Data) != "null" {
		return false
	}
	for _, e := range m.Payload.Errors {
		if e.Extensions.Code == string(fault.SlowConsumer) {
			return true
		}
	}
	return false
}

// WriteClose sends a close frame with code and reason, once.
func (c *wsConn) WriteClose(code int, reason string) error {
	c.mu.Lock()
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	if sent {
		return nil
	}
	code, reason = c.note.closing(code, reason)
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	msg := websocket.FormatCloseMessage(code, reason)
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait)); err != nil {
		return fmt.Errorf("websocket close: %w", err)
	}
	return nil
}

// Close ends the connection. When we sent a close frame, it first gives the peer a moment to answer
// it, so that the peer reads our close code before the TCP connection goes (closing a socket with
// unread input sends a reset, which can discard it): the reader, when there is one, reads the answer
// and ends; otherwise Close reads it itself.
func (c *wsConn) Close() error {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return nil
	}
	c.closing = true
	drain := c.closeSent && !c.peerGone && !c.reading
	waitReader := c.closeSent && !c.peerGone && c.reading
	c.mu.Unlock()
	close(c.stop)
	if waitReader {
		select {
		case <-c.readerDone:
		case <-time.After(closeGrace):
		}
	}
	if drain {
		_ = c.ws.SetReadDeadline(time.Now().Add(closeGrace))
		for {
			if _, _, err := c.ws.NextReader(); err != nil {
				break
			}
		}
	}
	return c.ws.Close()
}

// Subprotocol is the negotiated subprotocol.
func (c *wsConn) Subprotocol() string { return c.ws.Subprotocol() }

// SetReadLimit caps the size of one message from the peer; gqlgen calls it with the configured limit.
func (c *wsConn) SetReadLimit(limit int64) { c.ws.SetReadLimit(limit) }

var (
	_ transport.WebsocketImplementation = (*acceptor)(nil)
	_ transport.WebsocketReadLimiter    = (*wsConn)(nil)
)
