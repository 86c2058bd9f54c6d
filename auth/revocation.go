package auth

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// ErrRevoked is the cause of a context that Revocations.Watch ends because its key was revoked.
var ErrRevoked = errors.New("API key revoked")

// DefaultRevocationPoll is how often Revocations looks for revoked keys: a revoked key's open
// connections end within about this long, on every replica.
const DefaultRevocationPoll = 2 * time.Second

// Revocations ends the contexts of long-lived connections (websockets) whose key is revoked. One
// loop per process asks the store, every Poll, which of the keys with open connections have been
// revoked since, so revocation reaches every replica sharing the store, whichever revoked it, at
// the cost of one query per Poll however many connections are open. The loop runs only while
// something is watched.
type Revocations struct {
	// Revoked says which of the given keys are revoked; Keys.Revoked is the real one.
	Revoked func(ctx context.Context, keys []pulid.ID) ([]pulid.ID, error)
	// Poll is the time between two looks at the store; zero means DefaultRevocationPoll.
	Poll time.Duration
	Log  *slog.Logger

	mu      sync.Mutex
	watched map[pulid.ID]map[*watch]struct{}
	running bool
}

type watch struct{ cancel context.CancelCauseFunc }

// Watch returns a context derived from ctx that ends, with cause ErrRevoked, once key is found
// revoked. The watch ends with ctx.
func (r *Revocations) Watch(ctx context.Context, key pulid.ID) context.Context {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watch{cancel: cancel}
	r.mu.Lock()
	if r.watched == nil {
		r.watched = map[pulid.ID]map[*watch]struct{}{}
	}
	if r.watched[key] == nil {
		r.watched[key] = map[*watch]struct{}{}
	}
	r.watched[key][w] = struct{}{}
	start := !r.running
	r.running = true
	r.mu.Unlock()
	context.AfterFunc(ctx, func() { r.unwatch(key, w) })
	if start {
		go r.loop()
	}
	return ctx
}

func (r *Revocations) unwatch(key pulid.ID, w *watch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.watched[key], w)
	if len(r.watched[key]) == 0 {
		delete(r.watched, key)
	}
}

// loop polls until nothing is watched.
func (r *Revocations) loop() {
	t := time.NewTicker(r.poll())
	defer t.Stop()
	for range t.C {
		keys := r.keys()
		if keys == nil {
			return
		}
		revoked, err := r.check(keys)
		if err != nil {
			if r.Log != nil {
				r.Log.Warn("check for revoked API keys", "err", err)
			}
			continue
		}
		r.end(revoked)
	}
}

// keys are the watched keys, or nil (and the loop marked stopped) when there are none.
func (r *Revocations) keys() []pulid.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.watched) == 0 {
		r.running = false
		return nil
	}
	keys := make([]pulid.ID, 0, len(r.watched))
	for k := range r.watched {
		keys = append(keys, k)
	}
	return keys
}

// check asks the store which of keys are revoked, within one poll's time.
func (r *Revocations) check(keys []pulid.ID) ([]pulid.ID, error) {
	ctx, cancel := context.WithTimeout(context.Background(), r.poll())
	defer cancel()
	return r.Revoked(ctx, keys)
}

// poll is the time between two looks at the store.
func (r *Revocations) poll() time.Duration {
	if r.Poll > 0 {
		return r.Poll
	}
	return DefaultRevocationPoll
}

// end cancels every watch of the revoked keys.
func (r *Revocations) end(revoked []pulid.ID) {
	r.mu.Lock()
	var ws []*watch
	for _, k := range revoked {
		for w := range r.watched[k] {
			ws = append(ws, w)
		}
	}
	r.mu.Unlock()
	for _, w := range ws {
		w.cancel(ErrRevoked)
	}
}
