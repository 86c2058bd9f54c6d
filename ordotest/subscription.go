package ordotest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Subscription is one graphql-transport-ws subscription on its own websocket. A goroutine reads
// the socket, so that a test can wait for a message with any deadline without breaking it.
type Subscription struct {
	conn *websocket.Conn
	msgs chan received
}

type received struct {
	msg Message
	err error
}

// Message is what a subscription delivers: a payload, or the errors that ended it.
type Message struct {
	Data   json.RawMessage
	Errors []Error
	// Cursor is the message's extensions.cursor: where to resume after it.
	Cursor string
	// Done is true when the server completed the subscription.
	Done bool
}

// Slow makes a subscriber that reads its socket only when the test asks for a message, through a
// small TCP receive buffer: the server's writes to it soon block, as they do for a stuck client.
type Slow struct{ ReceiveBuffer int }

// Subscribe opens a websocket, authenticates with key in connection_init and starts query.
func (s *Server) Subscribe(ctx context.Context, key, query string, vars map[string]any) (*Subscription, error) {
	return s.subscribe(ctx, key, query, vars, nil)
}

// SubscribeSlow is Subscribe for a subscriber that falls behind (see Slow).
func (s *Server) SubscribeSlow(ctx context.Context, slow Slow, key, query string, vars map[string]any) (*Subscription, error) {
	return s.subscribe(ctx, key, query, vars, &slow)
}

func (s *Server) subscribe(ctx context.Context, key, query string, vars map[string]any, slow *Slow) (*Subscription, error) {
	u := "ws" + strings.TrimPrefix(s.URL, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	if slow != nil {
		d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err == nil {
				err = c.(*net.TCPConn).SetReadBuffer(slow.ReceiveBuffer)
			}
			return c, err
		}
		d.ReadBufferSize = 1024
	}
	conn, res, err := d.DialContext(ctx, u, http.Header{})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	_ = res.Body.Close()
	sub := &Subscription{conn: conn}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + key}}); err != nil {
		conn.Close()
		return nil, err
	}
	for {
		var m struct{ Type string }
		if err := sub.read(ctx, &m); err != nil {
			conn.Close()
			return nil, err
		}
		if m.Type == "connection_ack" {
			break
		}
	}
	if err := conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		conn.Close()
		return nil, err
	}
	sub.msgs = make(chan received, 1024)
	if slow != nil {
		sub.msgs = make(chan received) // the socket is read only as fast as the test reads
	}
	go sub.readLoop()
	return sub, nil
}

func (s *Subscription) readLoop() {
	defer close(s.msgs)
	for {
		m, err := s.next()
		s.msgs <- received{m, err}
		if err != nil || m.Done {
			return
		}
	}
}

// Next waits for the next message, or until ctx ends.
func (s *Subscription) Next(ctx context.Context) (Message, error) {
	select {
	case r, ok := <-s.msgs:
		if !ok {
			return Message{}, fmt.Errorf("subscription closed")
		}
		return r.msg, r.err
	case <-ctx.Done():
		return Message{}, ctx.Err()
	}
}

func (s *Subscription) read(ctx context.Context, v any) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Minute) // the reader waits as long as the test lives
	}
	_ = s.conn.SetReadDeadline(deadline)
	return s.conn.ReadJSON(v)
}

// next reads the next message of the subscription from the socket (pings are answered and skipped).
func (s *Subscription) next() (Message, error) {
	ctx := context.Background()
	for {
		var m struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := s.read(ctx, &m); err != nil {
			return Message{}, err
		}
		switch m.Type {
		case "ping":
			_ = s.conn.WriteJSON(map[string]any{"type": "pong"})
		case "pong", "ka":
		case "next":
			var p struct {
				Data       json.RawMessage `json:"data"`
				Errors     []Error         `json:"errors"`
				Extensions struct {
					Cursor string `json:"cursor"`
				} `json:"extensions"`
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				return Message{}, err
			}
			return Message{Data: p.Data, Errors: p.Errors, Cursor: p.Extensions.Cursor}, nil
		case "error":
			var errs []Error
			_ = json.Unmarshal(m.Payload, &errs)
			return Message{Errors: errs, Done: true}, nil
		case "complete":
			return Message{Done: true}, nil
		default:
			return Message{}, fmt.Errorf("unexpected message %q: %s", m.Type, m.Payload)
		}
	}
}

// Close ends the subscription and its websocket.
func (s *Subscription) Close() { _ = s.conn.Close() }

// Conn exposes the websocket, for tests that misbehave on purpose.
func (s *Subscription) Conn() *websocket.Conn { return s.conn }

// Sync makes sure the server has started the subscription, which graphql-transport-ws never
// acknowledges: it repeats change (which must produce a message) until one arrives, then makes
// marker, and skips messages until isMarker accepts one. Changes committed before the server
// registered the subscription are never delivered, and those after it arrive in commit order, so
// after Sync the next message is the first one caused by whatever the test does next.
func (s *Subscription) Sync(ctx context.Context, change, marker func() error, isMarker func(Message) bool) error {
	for {
		if err := change(); err != nil {
			return err
		}
		wait, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
		_, err := s.Next(wait)
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("the subscription never delivered: %w", ctx.Err())
		}
	}
	if err := marker(); err != nil {
		return err
	}
	for {
		m, err := s.Next(ctx)
		if err != nil {
			return err
		}
		if isMarker(m) {
			return nil
		}
	}
}
