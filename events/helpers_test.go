package events_test

import (
	"context"
	"sync"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	entevent "github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/events"
)

// within is the generous deadline for anything the tests wait for.
const within = 15 * time.Second

// startHub runs a hub for the rest of the test.
func startHub(t *testing.T, db *database.DB, opt events.Options) *events.Hub {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h := events.NewHub(db, opt)
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return h
}

// subscribe starts a subscription that ends with the test, or earlier through the returned cancel.
func subscribe(t *testing.T, h *events.Hub, from *events.Position, match func(*ent.Event) bool) (*events.Subscription, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := h.Subscribe(ctx, from, match)
	require.NoError(t, err)
	return s, cancel
}

// commit appends evs in a transaction of its own and wakes h (when not nil).
func commit(t *testing.T, db *database.DB, h *events.Hub, evs ...events.Event) {
	t.Helper()
	require.NoError(t, db.Tx(context.Background(), func(tx *ent.Tx) error {
		return events.Append(context.Background(), tx, evs...)
	}))
	if h != nil {
		h.Wake()
	}
}

// testPayload is a payload of any kind, for tests of the log itself.
type testPayload struct {
	kind string
	K    string `json:"k"`
}

func (p testPayload) Kind() string { return p.kind }

// ev is an event whose type names it.
func ev(typ string) events.Event { return events.Event{Payload: testPayload{kind: typ, K: typ}} }

// evFor is an event of type typ about an order, written by actor.
func evFor(typ, orderID, actor string) events.Event {
	return events.Event{Payload: testPayload{kind: typ}, OrderID: orderID, Actor: actor}
}

// pending holds the events of commits a test has received but not yet looked at, per subscription.
var (
	pendingMu sync.Mutex
	pending   = map[*events.Subscription][]*ent.Event{}
)

// next returns the subscription's next event, failing the test if none comes in time. Events come
// in commits; next hands them out one at a time.
func next(t *testing.T, s *events.Subscription) *ent.Event {
	t.Helper()
	pendingMu.Lock()
	defer pendingMu.Unlock()
	if p := pending[s]; len(p) > 0 {
		pending[s] = p[1:]
		return p[0]
	}
	select {
	case c, ok := <-s.C():
		require.True(t, ok, "subscription closed: %v", s.Err())
		pending[s] = c.Events[1:]
		return c.Events[0]
	case <-time.After(within):
		t.Fatalf("no event within %v", within)
		return nil
	}
}

// nextCommit returns the subscription's next commit, failing the test if none comes in time.
func nextCommit(t *testing.T, s *events.Subscription) events.Commit {
	t.Helper()
	select {
	case c, ok := <-s.C():
		require.True(t, ok, "subscription closed: %v", s.Err())
		return c
	case <-time.After(within):
		t.Fatalf("no commit within %v", within)
		return events.Commit{}
	}
}

// nextTypes reads n events and returns their types, checking that positions strictly increase.
func nextTypes(t *testing.T, s *events.Subscription, n int) []string {
	t.Helper()
	var (
		types []string
		last  events.Position
	)
	for range n {
		e := next(t, s)
		require.True(t, last.Less(events.PositionOf(e)), "position %v after %v", events.PositionOf(e), last)
		last = events.PositionOf(e)
		types = append(types, e.Type)
	}
	return types
}

// requireNothing fails if the subscription has an event ready.
func requireNothing(t *testing.T, s *events.Subscription) {
	t.Helper()
	select {
	case e, ok := <-s.C():
		t.Fatalf("unexpected delivery: %v (open %v)", e, ok)
	default:
	}
}

// closed waits for the subscription to end, draining it, and returns what it still delivered.
func closed(t *testing.T, s *events.Subscription) []*ent.Event {
	t.Helper()
	var got []*ent.Event
	timeout := time.After(within)
	for {
		select {
		case c, ok := <-s.C():
			if !ok {
				return got
			}
			got = append(got, c.Events...)
		case <-timeout:
			t.Fatalf("subscription still open after %v", within)
		}
	}
}

// settle waits until every committed event is settled, so that "from now on" starts after them.
func settle(t *testing.T, db *database.DB, h *events.Hub) {
	t.Helper()
	ctx := context.Background()
	latest, err := db.Client.Event.Query().
		Order(entevent.ByTxid(entsql.OrderDesc()), entevent.ByID(entsql.OrderDesc())).First(ctx)
	if ent.IsNotFound(err) {
		return
	}
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		head, err := h.Head(ctx)
		return err == nil && head == events.PositionOf(latest)
	}, within, 5*time.Millisecond)
}

// looked waits until h has completed a read of the log that started after this call.
func looked(t *testing.T, h *events.Hub) {
	t.Helper()
	n := events.Passes(h)
	h.Wake()
	require.Eventually(t, func() bool { return events.Passes(h) >= n+2 }, within, time.Millisecond)
}

// positionOf returns the position of the one event of the given type.
func positionOf(t *testing.T, db *database.DB, typ string) events.Position {
	t.Helper()
	e, err := db.Client.Event.Query().Where(entevent.Type(typ)).Only(context.Background())
	require.NoError(t, err)
	return events.PositionOf(e)
}
