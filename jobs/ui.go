package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"riverqueue.com/riverui"
)

// UIPrefix is where River UI is served.
const UIPrefix = "/riverui"

// ui is River UI over a queue's client: its pages and JSON API, built into the binary. It has no
// authentication of its own: whoever mounts it checks who may see it (the console lets admins).
type ui struct {
	h    *riverui.Handler
	mu   sync.Mutex
	stop context.CancelFunc
}

func newUI(q *Queue, log *slog.Logger) (*ui, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(q.client, nil),
		Logger:    log.With("component", "riverui"),
		Prefix:    UIPrefix,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: River UI: %w", err)
	}
	return &ui{h: h}, nil
}

// start runs River UI's background services until stop.
func (u *ui) start(ctx context.Context) error {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if err := u.h.Start(ctx); err != nil {
		cancel()
		return fmt.Errorf("jobs: start River UI: %w", err)
	}
	u.mu.Lock()
	u.stop = cancel
	u.mu.Unlock()
	return nil
}

func (u *ui) halt() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.stop != nil {
		u.stop()
		u.stop = nil
	}
}

// UI is River UI for this queue's jobs, to be served under UIPrefix ("/riverui/") to admins only.
// It answers once the queue is started.
func (q *Queue) UI() http.Handler { return q.ui.h }
