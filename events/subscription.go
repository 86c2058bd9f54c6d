package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
)

// ErrTooSlow ends a subscription that fell more than Options.Buffer transactions behind. The
// subscriber resumes with a new subscription from the cursor of the last event it received.
var ErrTooSlow = errors.New("events: subscriber fell behind")

// Handoff is how many commits a subscription hands its reader ahead of time, so that a reader with a
// backlog can take several at once (e.g. to read what they need in one query). A subscriber is dropped
// when it is more than Options.Buffer commits behind beyond these.
const Handoff = 64

// Commit is what one committed transaction wrote that a subscription asked for: the events it
// matched, in log order, at least one. A subscription resumed from a cursor inside a transaction gets
// the rest of that transaction as its first Commit.
type Commit struct{ Events []*ent.Event }

// Last is the position of the commit's last event.
func (c Commit) Last() Position { return PositionOf(c.Events[len(c.Events)-1]) }

// Subscription is one subscriber's stream of committed transactions, in log order, each event once.
type Subscription struct {
	hub   *Hub
	from  Position // where it started: after this position
	match func(*ent.Event) bool
	live  chan Commit // filled by the hub, closed by it with reason when it drops the subscription
	out   chan Commit
	// reason is written by the hub before it closes live.
	reason error
	// err is written before out is closed.
	err error
}

// From is the position the subscription started after: the cursor to resume from when nothing was
// delivered yet.
func (s *Subscription) From() Position { return s.from }

// C returns the commits. It is closed when the subscription's context ends, the hub stops, or the
// subscriber fell behind; Err then says which. Events are shared: do not modify them.
func (s *Subscription) C() <-chan Commit { return s.out }

// Err says why C was closed: nil when the context ended, ErrTooSlow when the subscriber fell
// behind, ErrHubStopped or a read error otherwise. Call it only after C is closed.
func (s *Subscription) Err() error { return s.err }

// Subscribe starts a subscription to the events match accepts (all of them when match is nil).
// match runs on the hub's goroutine for every event: it must be cheap, must not block and must be
// safe for concurrent use.
//
// With from == nil the subscription gets the events that commit from now on. Otherwise it gets every
// event after *from once, in log order, then carries on live. It waits for the hub to be running.
// Cancel ctx to end the subscription.
func (h *Hub) Subscribe(ctx context.Context, from *Position, match func(*ent.Event) bool) (*Subscription, error) {
	if match == nil {
		match = func(*ent.Event) bool { return true }
	}
	select {
	case <-h.ready:
	case <-h.done:
		return nil, ErrHubStopped
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	head, err := h.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	after := head
	if from != nil {
		after = *from
	}
	s := &Subscription{
		hub:   h,
		from:  after,
		match: match,
		live:  make(chan Commit, h.opt.Buffer),
		out:   make(chan Commit, Handoff),
	}
	// Register first, so that the hub buffers every transaction after its position for s; then catch
	// up from the table to that position; then drain the buffer.
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return nil, ErrHubStopped
	}
	if len(h.subs) == 0 && h.pos.Less(head) {
		h.pos = head // the hub does not read while no one listens: skip what no one needed
	}
	upTo := h.pos
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	go s.run(ctx, after, upTo)
	return s, nil
}

// commit returns the events of one transaction that s matches, if any.
func (s *Subscription) commit(tx []*ent.Event) (Commit, bool) {
	var c Commit
	for _, e := range tx {
		if s.match(e) {
			c.Events = append(c.Events, e)
		}
	}
	return c, len(c.Events) > 0
}

// run feeds out: first the transactions in (after, upTo] from the table, then the live ones beyond.
func (s *Subscription) run(ctx context.Context, after, upTo Position) {
	defer close(s.out)
	defer s.hub.remove(s)
	last := after
	for last.Less(upTo) {
		batch, more, err := readWhole(ctx, s.hub.db, last, s.hub.opt.BatchSize, atOrBefore(upTo))
		if err != nil {
			if ctx.Err() == nil {
				s.err = fmt.Errorf("events: catch up: %w", err)
			}
			return
		}
		for _, tx := range transactions(batch) {
			last = PositionOf(tx[len(tx)-1])
			if c, ok := s.commit(tx); ok && !s.send(ctx, c) {
				return
			}
		}
		if !more {
			break
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case c, ok := <-s.live:
			if !ok {
				s.err = s.reason
				return
			}
			// Only a cursor ahead of the hub's position can make live events ones already passed.
			fresh := Commit{}
			for _, e := range c.Events {
				if last.Less(PositionOf(e)) {
					fresh.Events = append(fresh.Events, e)
				}
			}
			if len(fresh.Events) == 0 {
				continue
			}
			last = fresh.Last()
			if !s.send(ctx, fresh) {
				return
			}
		}
	}
}

func (s *Subscription) send(ctx context.Context, c Commit) bool {
	select {
	case s.out <- c:
		return true
	case <-ctx.Done():
		return false
	}
}
