package webhooks

import (
	"context"
	"slices"
	"sync"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
)

// feedWindow bounds the events the feed keeps: a few passes of every endpoint at full speed.
const feedWindow = 8 * maxBatch

// item is an event of the catalogue and the body delivered for it (nil with err when it cannot be
// built: each endpoint records that failure as its own attempt).
type item struct {
	e    *ent.Event
	body []byte
	err  error
}

// feed is the dispatchers' shared reading of the event log: the catalogue's events, read once, in
// log order, and kept with their bodies in a window, so that endpoints near the head of the log cost
// one read, one decode and one body per event between them rather than one each. An endpoint
// behind the window (disabled for a while, or failing) reads the store by itself until it catches
// up. The window holds every catalogue event after from, up to its last item.
type feed struct {
	db *database.DB

	mu     sync.Mutex
	from   events.Position
	items  []item
	primed bool
}

// read returns up to maxBatch events after p of the given kinds (all of the catalogue when none).
func (f *feed) read(ctx context.Context, p events.Position, kinds []string) ([]item, error) {
	f.mu.Lock()
	if f.primed && p.Less(f.from) {
		f.mu.Unlock()
		return f.direct(ctx, p, kinds)
	}
	defer f.mu.Unlock()
	if !f.primed || f.end().Less(p) {
		// The first reader, or one ahead of all the window has read (it started behind everyone
		// else), starts the window at its own place.
		f.from, f.items, f.primed = p, nil, true
	}
	out := f.after(p, kinds, maxBatch)
	for len(out) < maxBatch {
		evs, err := events.Read(ctx, f.db, f.end(), maxBatch, types...)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			break
		}
		fresh := make([]item, len(evs))
		for i, e := range evs {
			fresh[i] = build(e)
		}
		f.items = append(f.items, fresh...)
		out = append(out, f.after(p, kinds, maxBatch-len(out), fresh...)...)
		if len(evs) < maxBatch {
			break
		}
	}
	if drop := len(f.items) - feedWindow; drop > 0 {
		f.from = events.PositionOf(f.items[drop-1].e)
		f.items = slices.Delete(f.items, 0, drop)
	}
	return out, nil
}

// end is the position of the last event the window holds.
func (f *feed) end() events.Position {
	if n := len(f.items); n > 0 {
		return events.PositionOf(f.items[n-1].e)
	}
	return f.from
}

// after picks from in (the window when none is given) up to limit items after p of kinds.
func (f *feed) after(p events.Position, kinds []string, limit int, in ...item) []item {
	if in == nil {
		in = f.items
		// The window is in log order: skip what p has seen at once.
		start, _ := slices.BinarySearchFunc(in, p, func(it item, p events.Position) int {
			if q := events.PositionOf(it.e); q.Less(p) || q == p {
				return -1
			}
			return 1
		})
		in = in[start:]
	}
	var out []item
	for _, it := range in {
		if len(out) == limit {
			break
		}
		if !p.Less(events.PositionOf(it.e)) || len(kinds) > 0 && !slices.Contains(kinds, it.e.Type) {
			continue
		}
		out = append(out, it)
	}
	return out
}

// direct reads the store for an endpoint behind the window.
func (f *feed) direct(ctx context.Context, p events.Position, kinds []string) ([]item, error) {
	if len(kinds) == 0 {
		kinds = types
	}
	evs, err := events.Read(ctx, f.db, p, maxBatch, kinds...)
	if err != nil {
		return nil, err
	}
	out := make([]item, len(evs))
	for i, e := range evs {
		out[i] = build(e)
	}
	return out, nil
}

func build(e *ent.Event) item {
	b, err := Body(e)
	return item{e: e, body: b, err: err}
}
