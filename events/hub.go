package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/predicate"
)

// Options tune a Hub. Zero values take the defaults.
type Options struct {
	// PollInterval is how often the hub reads the log without being woken: the safety net for
	// aborted transactions (which notify no one) and lost notifications. Default 250ms.
	PollInterval time.Duration
	// Buffer is how many committed transactions with matching events a subscriber may fall behind
	// the hub before it is dropped with ErrTooSlow. Default 256.
	Buffer int
	// BatchSize is how many events one read of the log returns at most. Default 200.
	BatchSize int
	// MinInterval is how long the hub waits after a wake-up before reading, so that the commits of
	// a busy moment cost one read. It bounds the added latency of live updates. Default 2ms.
	MinInterval time.Duration
	// Logger receives read and connection errors, which the hub retries. Default slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.PollInterval <= 0 {
		o.PollInterval = 250 * time.Millisecond
	}
	if o.Buffer <= 0 {
		o.Buffer = 256
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	if o.MinInterval <= 0 {
		o.MinInterval = 2 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Retry delays after a failed read or a lost LISTEN connection.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// ErrHubStopped ends the subscriptions of a Hub whose Run has returned.
var ErrHubStopped = errors.New("events: hub stopped")

// Hub tails the event log for one process and fans committed events out to its subscriptions, so
// that each event is read from the database once per process rather than once per subscriber.
// Create one with NewHub, start Run, and call Wake after every local commit that appended events.
type Hub struct {
	db  *database.DB
	opt Options

	wake      chan struct{} // capacity 1: pending wake-ups coalesce
	ready     chan struct{} // closed once pos is known
	done      chan struct{} // closed when Run has returned
	running   atomic.Bool
	passes    atomic.Int64 // completed reads of the log, for tests
	listening atomic.Bool  // the LISTEN connection is up, for tests

	mu      sync.Mutex
	pos     Position // every event up to pos has been fanned out
	subs    map[*Subscription]struct{}
	stopped bool
}

// NewHub returns a hub over db's event log. It does nothing until Run.
func NewHub(db *database.DB, opt Options) *Hub {
	return &Hub{
		db:    db,
		opt:   opt.withDefaults(),
		wake:  make(chan struct{}, 1),
		ready: make(chan struct{}),
		done:  make(chan struct{}),
		subs:  make(map[*Subscription]struct{}),
	}
}

// Wake tells the hub that a local commit appended events, so that it reads the log now rather than
// at the next poll. It never blocks; wake-ups that arrive while one is pending coalesce.
func (h *Hub) Wake() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Head returns the position of the newest settled event (see database.DB.SettledEvents): every event
// at or before it has committed, and any event committed later comes after it. The zero Position
// means the log has no settled event yet.
func (h *Hub) Head(ctx context.Context) (Position, error) { return head(ctx, h.db) }

// head is the position of the last settled event of db's log.
func head(ctx context.Context, db *database.DB) (Position, error) {
	e, err := db.Client.Event.Query().
		Where(db.SettledEvents()).
		Order(event.ByTxid(entsql.OrderDesc()), event.ByID(entsql.OrderDesc())).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
		return Position{}, nil
	case err != nil:
		return Position{}, fmt.Errorf("event log head: %w", err)
	}
	return PositionOf(e), nil
}

// Run tails the log until ctx ends, then ends every subscription with ErrHubStopped and returns nil.
// On PostgreSQL it also LISTENs for commits of other processes on a dedicated connection. Database
// errors are logged and retried with backoff; they never end Run. Run may be called once.
func (h *Hub) Run(ctx context.Context) error {
	if !h.running.CompareAndSwap(false, true) {
		return errors.New("events: hub already running")
	}
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		h.stop()
	}()
	if h.db.IsPostgres() {
		wg.Go(func() { h.listen(ctx) })
	}

	var pos Position
	if !h.retry(ctx, "read event log head", func() (err error) {
		pos, err = h.Head(ctx)
		return err
	}) {
		return nil
	}
	h.mu.Lock()
	h.pos = pos
	h.mu.Unlock()
	close(h.ready)

	poll := time.NewTimer(h.opt.PollInterval)
	defer poll.Stop()
	for {
		// With no subscriber there is no one to read for; Subscribe moves pos to the head when the
		// first one arrives, so nothing read then is stale.
		if h.subscribed() && !h.retry(ctx, "read event log", func() error { return h.tail(ctx) }) {
			return nil
		}
		h.passes.Add(1)
		poll.Reset(h.opt.PollInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-h.wake:
			// Let a burst of commits land, so that it costs one read rather than one per commit.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(h.opt.MinInterval):
			}
		case <-poll.C:
		}
	}
}

func (h *Hub) subscribed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs) > 0
}

// retry runs fn until it succeeds (true) or ctx ends (false), logging failures and backing off.
func (h *Hub) retry(ctx context.Context, what string, fn func() error) bool {
	backoff := minBackoff
	for {
		err := fn()
		if ctx.Err() != nil {
			return false
		}
		if err == nil {
			return true
		}
		h.opt.Logger.WarnContext(ctx, "events: "+what+" failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// tail reads every settled event after the hub's position and fans it out, batch by batch. Each
// read is one statement: no transaction stays open between reads.
func (h *Hub) tail(ctx context.Context) error {
	for {
		h.mu.Lock()
		pos := h.pos
		h.mu.Unlock()
		batch, more, err := h.read(ctx, pos, h.db.SettledEvents())
		if err != nil {
			return err
		}
		h.publish(batch)
		if !more {
			return nil
		}
	}
}

// read returns the events after pos that also satisfy bound, in log order and in whole
// transactions (see readWhole).
func (h *Hub) read(ctx context.Context, after Position, bound predicate.Event) ([]*ent.Event, bool, error) {
	return readWhole(ctx, h.db, after, h.opt.BatchSize, bound)
}

// readWhole reads about limit events after pos that satisfy bound, in log order, and never ends in
// the middle of a transaction: a full batch gives back its last transaction's events for the next
// read, unless that transaction fills the batch alone, in which case the rest of it is read too. more
// says whether there may be more to read. (Settled events are whole transactions, so a short read
// ends at a transaction's end.) Events with txid 0 (SQLite rows older than transaction stamping) are
// each a transaction of their own.
func readWhole(ctx context.Context, db *database.DB, after Position, limit int, bound ...predicate.Event) ([]*ent.Event, bool, error) {
	evs, err := readAfter(ctx, db, after, limit, bound...)
	if err != nil || len(evs) < limit {
		return evs, false, err
	}
	last := evs[len(evs)-1].Txid
	if last == 0 {
		return evs, true, nil
	}
	cut := len(evs)
	for cut > 0 && evs[cut-1].Txid == last {
		cut--
	}
	if cut > 0 {
		return evs[:cut], true, nil
	}
	rest := append(slices.Clone(bound), event.Txid(last))
	for {
		more, err := readAfter(ctx, db, PositionOf(evs[len(evs)-1]), limit, rest...)
		if err != nil {
			return nil, false, err
		}
		evs = append(evs, more...)
		if len(more) < limit {
			return evs, true, nil
		}
	}
}

func readAfter(ctx context.Context, db *database.DB, after Position, limit int, bound ...predicate.Event) ([]*ent.Event, error) {
	evs, err := db.Client.Event.Query().
		Where(func(s *entsql.Selector) {
			s.Where(entsql.CompositeGT(s.Columns(event.FieldTxid, event.FieldID), after.TxID, after.ID))
		}).
		Where(bound...).
		Order(event.ByTxid(), event.ByID()).
		Limit(limit).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read events after %v: %w", after, err)
	}
	return evs, nil
}

// Read returns up to limit settled events after from, in log order, of the given types (any type
// when none is given): for a durable reader that keeps its own checkpoint and must see every event
// once, however far behind it is (a live Subscription drops a reader that falls behind).
func Read(ctx context.Context, db *database.DB, from Position, limit int, types ...string) ([]*ent.Event, error) {
	bound := []predicate.Event{db.SettledEvents()}
	if len(types) > 0 {
		bound = append(bound, event.TypeIn(types...))
	}
	return readAfter(ctx, db, from, limit, bound...)
}

// transactions splits events in log order into the runs that one transaction wrote. Events with
// txid 0 are runs of one.
func transactions(evs []*ent.Event) [][]*ent.Event {
	var out [][]*ent.Event
	for start := 0; start < len(evs); {
		end := start + 1
		if tx := evs[start].Txid; tx != 0 {
			for end < len(evs) && evs[end].Txid == tx {
				end++
			}
		}
		out = append(out, evs[start:end])
		start = end
	}
	return out
}

// atOrBefore bounds a read to the events up to p.
func atOrBefore(p Position) predicate.Event {
	return func(s *entsql.Selector) {
		s.Where(entsql.CompositeLT(s.Columns(event.FieldTxid, event.FieldID), p.TxID, p.ID+1))
	}
}

// publish hands each transaction of batch, as one Commit of the events it matches, to the
// subscriptions that match any, and advances the hub's position. It never blocks: a subscription
// whose buffer is full is dropped with ErrTooSlow.
func (h *Hub) publish(batch []*ent.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, tx := range transactions(batch) {
		p := PositionOf(tx[len(tx)-1])
		if !h.pos.Less(p) {
			continue // already behind pos: Subscribe fast-forwarded it while this batch was read
		}
		for s := range h.subs {
			c, ok := s.commit(tx)
			if !ok {
				continue
			}
			select {
			case s.live <- c:
			default:
				h.drop(s, ErrTooSlow)
			}
		}
		h.pos = p
	}
}

// Subscribers says how many live subscriptions the hub feeds now.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// drop ends s's live feed with reason. The caller holds h.mu.
func (h *Hub) drop(s *Subscription, reason error) {
	delete(h.subs, s)
	s.reason = reason
	close(s.live)
}

// remove forgets s, whose subscriber has gone.
func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
}

func (h *Hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for s := range h.subs {
		h.drop(s, ErrHubStopped)
	}
	close(h.done)
}

// listen keeps a LISTEN connection up while ctx lasts and wakes the hub on every notification and
// after every (re)connection, since notifications sent while it was down are lost.
func (h *Hub) listen(ctx context.Context) {
	backoff := minBackoff
	for {
		listening := false
		err := h.db.ListenEvents(ctx, func() {
			listening = true
			h.listening.Store(true)
			h.Wake()
		})
		h.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		if listening {
			backoff = minBackoff
		}
		h.opt.Logger.WarnContext(ctx, "events: LISTEN connection lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
