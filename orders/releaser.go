package orders

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Releaser allocates backordered orders when stock arrives, in the background: stock commands tell
// it which SKUs were replenished (Notify), and it also sweeps every waiting order at an interval,
// which frees pre-orders whose date has come and catches anything a crash interrupted.
type Releaser struct {
	Orders   *Service
	Interval time.Duration // the sweep; default one minute
	Log      *slog.Logger

	mu      sync.Mutex
	pending map[pulid.ID]bool
	wake    chan struct{}
	once    sync.Once
}

func (r *Releaser) init() {
	r.once.Do(func() {
		r.wake = make(chan struct{}, 1)
		r.pending = map[pulid.ID]bool{}
		if r.Interval <= 0 {
			r.Interval = time.Minute
		}
		if r.Log == nil {
			r.Log = slog.Default()
		}
	})
}

// Notify says that these variants have more available stock than before. It never blocks.
func (r *Releaser) Notify(variants []pulid.ID) {
	r.init()
	r.mu.Lock()
	for _, v := range variants {
		r.pending[v] = true
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run releases backorders until ctx ends.
func (r *Releaser) Run(ctx context.Context) {
	r.init()
	sweep := time.NewTicker(r.Interval)
	defer sweep.Stop()
	for {
		var variants []pulid.ID
		select {
		case <-ctx.Done():
			return
		case <-sweep.C:
		case <-r.wake:
			r.mu.Lock()
			for v := range r.pending {
				variants = append(variants, v)
			}
			clear(r.pending)
			r.mu.Unlock()
			if len(variants) == 0 {
				continue
			}
		}
		if n, err := r.Orders.ReleaseBackorders(ctx, variants); err != nil && ctx.Err() == nil {
			r.Log.WarnContext(ctx, "releasing backorders failed; the next sweep retries", "err", err)
		} else if n > 0 {
			r.Log.InfoContext(ctx, "backorders released", "orders", n)
		}
	}
}
