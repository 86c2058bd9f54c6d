package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
)

// ErrTooSlow ends a subscription that fell more than Options.Buffer events behind. The subscriber
// resumes with a new subscription from the cursor of the last event it received.
var ErrTooSlow = errors.New("events: subscriber fell behind")

// Subscription is one subscriber's stream of events, in log order, each once.
type Subscription struct {
	hub   *Hub
	match func(*ent.Event) bool
	live  chan *ent.Event // filled by the hub, closed by it with reason when it drops the subscription
	out   chan *ent.Event
	// reason is written by the hub before it closes live.
	reason error
	// err is written before out is closed.
	err error
}

// C returns the events. It is closed when the subscription's context ends, the hub stops, or the
// subscriber fell behind; Err then says which. Events are shared: do not modify them.
func (s *Subscription) C() <-chan *ent.Event { return s.out }

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
		match: match,
		live:  make(chan *ent.Event, h.opt.Buffer),
		out:   make(chan *ent.Event),
	}
	// Register first, so that the hub buffers every event after its position for s; then catch up
	// from the table to that position; then drain the buffer.
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

// run feeds out: first the events in (after, upTo] from the table, then the live ones beyond.
func (s *Subscription) run(ctx context.Context, after, upTo Position) {
	defer close(s.out)
	defer s.hub.remove(s)
	last := after
	for last.Less(upTo) {
		batch, err := s.hub.read(ctx, last, atOrBefore(upTo))
		if err != nil {
			if ctx.Err() == nil {
				s.err = fmt.Errorf("events: catch up: %w", err)
			}
			return
		}
		if len(batch) == 0 {
			break
		}
		for _, e := range batch {
			last = PositionOf(e)
			if s.match(e) && !s.send(ctx, e) {
				return
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-s.live:
			if !ok {
				s.err = s.reason
				return
			}
			// Only a cursor ahead of the hub's position can make a live event one already passed.
			if p := PositionOf(e); last.Less(p) {
				last = p
				if !s.send(ctx, e) {
					return
				}
			}
		}
	}
}

func (s *Subscription) send(ctx context.Context, e *ent.Event) bool {
	select {
	case s.out <- e:
		return true
	case <-ctx.Done():
		return false
	}
}
