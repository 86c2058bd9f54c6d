package webhooks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/events"
)

// maxBatch bounds the events one pass of a dispatcher reads.
const maxBatch = 500

// rescan is how often the supervisor looks for endpoints created, enabled, disabled or deleted
// without being woken (by another replica, say).
const rescan = time.Second

// gather is the least time between two passes of a dispatcher that has caught up: commits come
// one at a time, and without it every one of them would cost each endpoint a pass and a
// transaction of its own; with it, a burst is delivered in a few passes, for a few tens of
// milliseconds of lag.
const gather = 50 * time.Millisecond

// poll is how often a dispatcher that has caught up looks for new events without being woken: on
// PostgreSQL other replicas commit too, and nothing here wakes it for them.
func (s *Service) poll() time.Duration {
	if s.DB.IsPostgres() {
		return 100 * time.Millisecond
	}
	return time.Second
}

// dispatch runs one dispatcher per enabled endpoint while this replica holds the lock, starting
// those of endpoints created or enabled later and stopping those of endpoints disabled or deleted,
// until ctx ends (nil) or the store fails.
func (s *Service) dispatch(ctx context.Context) error {
	type runner struct {
		stop context.CancelFunc
		wake chan struct{}
	}
	running := map[pulid.ID]runner{}
	exited := make(chan pulid.ID)
	var wg sync.WaitGroup
	defer func() {
		for _, r := range running {
			r.stop()
		}
		go func() {
			for range exited {
			}
		}()
		wg.Wait()
		close(exited)
	}()
	for {
		ids, err := s.DB.Client.WebhookEndpoint.Query().
			Where(webhookendpoint.StatusEQ(webhookendpoint.StatusENABLED)).IDs(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("list webhook endpoints: %w", err)
		}
		want := map[pulid.ID]bool{}
		for _, id := range ids {
			want[id] = true
			if _, ok := running[id]; ok {
				continue
			}
			rctx, stop := context.WithCancel(ctx)
			r := runner{stop: stop, wake: make(chan struct{}, 1)}
			running[id] = r
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.deliver(rctx, id, r.wake)
				exited <- id
			}()
		}
		for id, r := range running {
			if !want[id] {
				r.stop()
			}
		}
		timer := time.NewTimer(rescan)
	wait:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return nil
			case id := <-exited:
				running[id].stop()
				delete(running, id)
			case <-s.wake:
				for _, r := range running {
					select {
					case r.wake <- struct{}{}:
					default:
					}
				}
			case <-s.changed:
				break wait
			case <-timer.C:
				break wait
			}
		}
		timer.Stop()
	}
}

// deliver is one endpoint's dispatcher: it sends the endpoint's events batch by batch until ctx
// ends or the endpoint is disabled or deleted, waiting for the next attempt when its stream is
// failing. Store errors are logged and retried from the cursor.
func (s *Service) deliver(ctx context.Context, id pulid.ID, wake <-chan struct{}) {
	backoff := 100 * time.Millisecond
	var last time.Time // when the last pass started
	for ctx.Err() == nil {
		if pause := gather - time.Since(last); pause > 0 {
			timer := time.NewTimer(pause)
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
			timer.Stop()
		}
		last = time.Now()
		ep, err := s.DB.Client.WebhookEndpoint.Get(ctx, id)
		if ent.IsNotFound(err) || err == nil && ep.Status != webhookendpoint.StatusENABLED {
			return
		}
		var wait time.Duration
		more := false
		if err == nil {
			if ep.NextAttemptAt != nil && ep.NextAttemptAt.After(s.now()) {
				wait = ep.NextAttemptAt.Sub(s.now())
			} else {
				more, err = s.pass(ctx, ep)
			}
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.log().WarnContext(ctx, "webhook delivery stopped; resuming from the endpoint's cursor", "endpoint", id, "err", err, "in", backoff)
			wait = backoff
			backoff = min(2*backoff, 5*time.Second)
		case more:
			backoff = 100 * time.Millisecond
			last = time.Time{} // a backlog is read at once
			continue
		default:
			backoff = 100 * time.Millisecond
		}
		if wait == 0 {
			wait = s.poll()
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-wake:
		}
		timer.Stop()
	}
}

// prior is what earlier passes did with an event at an endpoint.
type prior struct {
	attempts  int
	delivered bool
}

// pass reads the endpoint's next batch after its cursor and delivers it: the events of one order
// one after the other, up to Concurrency at a time, nothing more started once one fails. It records
// every attempt and moves the cursor past the events delivered from the start of the batch, in one
// transaction; a failure sets the stream's next attempt (or disables the endpoint). more says that
// the batch was full and all of it was delivered.
func (s *Service) pass(ctx context.Context, ep *ent.WebhookEndpoint) (more bool, err error) {
	kinds := types
	if len(ep.EventTypes) > 0 {
		// Only what the catalogue still has: a type dropped from it is not read, rather than failing
		// the stream for good.
		kinds = slices.DeleteFunc(slices.Clone(ep.EventTypes), func(k string) bool { _, ok := catalogue[k]; return !ok })
		if len(kinds) == 0 {
			return false, nil
		}
	}
	from := events.Position{TxID: ep.CursorTxid, ID: ep.CursorEventID}
	items, err := s.feed().read(ctx, from, kinds)
	if err != nil || len(items) == 0 {
		return false, err
	}
	batch := make([]*ent.Event, len(items))
	for i, it := range items {
		batch[i] = it.e
	}
	var before map[int64]prior
	if ep.Attempt > 0 || ep.FailingSince != nil {
		// Only a stream that failed has attempts beyond its cursor (a healthy pass moves the cursor
		// past all it sent).
		if before, err = s.priors(ctx, ep.ID, batch); err != nil {
			return false, err
		}
	}
	keys := make([]string, len(batch))
	done := make([]bool, len(batch))
	for i, e := range batch {
		keys[i] = e.OrderID
		done[i] = before[e.ID].delivered
	}
	signing, err := s.keys(ep, s.now())
	if err != nil {
		return false, err
	}
	results := make([]*result, len(batch))
	var (
		failed atomic.Bool
		wg     sync.WaitGroup
		slots  = make(chan struct{}, s.concurrency())
	)
	for _, chain := range Chains(keys, done) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, i := range chain {
				if failed.Load() {
					return
				}
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				if failed.Load() { // while it waited for its slot
					<-slots
					return
				}
				r := s.post(ctx, ep.URL, signing, items[i])
				<-slots
				results[i] = &r
				if r.outcome != webhookattempt.OutcomeDELIVERED {
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	delivered := make([]bool, len(batch))
	for i := range batch {
		delivered[i] = done[i] || results[i] != nil && results[i].outcome == webhookattempt.OutcomeDELIVERED
	}
	n := Advance(delivered)
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		return s.settle(ctx, tx, ep, batch, before, results, n)
	})
	if errors.Is(err, errGone) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return n == len(batch) && len(batch) == maxBatch, nil
}

// errGone ends a pass whose endpoint was deleted while it ran: there is nothing to record.
var errGone = errors.New("webhook endpoint deleted")

// priors are the earlier attempts (redeliveries aside) of a batch's events at an endpoint.
func (s *Service) priors(ctx context.Context, id pulid.ID, batch []*ent.Event) (map[int64]prior, error) {
	ids := make([]int64, len(batch))
	for i, e := range batch {
		ids[i] = e.ID
	}
	rows, err := s.DB.Client.WebhookAttempt.Query().
		Where(webhookattempt.EndpointID(id), webhookattempt.EventIDIn(ids...), webhookattempt.Redelivery(false)).
		Select(webhookattempt.FieldEventID, webhookattempt.FieldOutcome).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load webhook attempts: %w", err)
	}
	out := map[int64]prior{}
	for _, a := range rows {
		p := out[a.EventID]
		p.attempts++
		p.delivered = p.delivered || a.Outcome == webhookattempt.OutcomeDELIVERED
		out[a.EventID] = p
	}
	return out, nil
}

// settle records a pass in tx: its attempts, the cursor after the first n events, and the stream's
// state: healthy when all was delivered, else failing (its next attempt set) or disabled (a 410,
// or the schedule exhausted).
func (s *Service) settle(ctx context.Context, tx *ent.Tx, ep *ent.WebhookEndpoint, batch []*ent.Event, before map[int64]prior, results []*result, n int) error {
	now := s.now()
	up := tx.WebhookEndpoint.UpdateOneID(ep.ID)
	if n > 0 {
		last := events.PositionOf(batch[n-1])
		up.SetCursorTxid(last.TxID).SetCursorEventID(last.ID)
	}
	var (
		rows       []*ent.WebhookAttemptCreate
		failure    *result
		gone       *result
		retryAfter time.Time
		sent       bool
	)
	for i, r := range results {
		if r == nil {
			continue
		}
		e := batch[i]
		rows = append(rows, r.row(tx, ep.ID, e, before[e.ID].attempts+1, false))
		switch r.outcome {
		case webhookattempt.OutcomeDELIVERED:
			sent = true
		case webhookattempt.OutcomeGONE:
			gone = r
		default:
			if failure == nil {
				failure = r
			}
			if r.retryAfter.After(retryAfter) {
				retryAfter = r.retryAfter
			}
		}
	}
	if sent {
		up.SetLastSuccessAt(now)
	}
	if n == len(batch) {
		up.SetAttempt(0).ClearFailingSince().ClearNextAttemptAt()
	}
	var reason string
	switch {
	case gone != nil:
		reason = fmt.Sprintf("%s answered 410 Gone", ep.URL)
	case n < len(batch) && failure != nil:
		// The count is the head's: a stream that moved on starts counting again from its new head.
		attempt, since := ep.Attempt+1, now
		if n > 0 {
			attempt = 1
		} else if ep.FailingSince != nil {
			since = *ep.FailingSince
		}
		next, exhausted := Retry(s.schedule(), attempt, now, retryAfter)
		if exhausted {
			reason = fmt.Sprintf("failing since %s: %s", since.Format(time.RFC3339), failure.describe())
		}
		up.SetAttempt(attempt).SetFailingSince(since).SetNextAttemptAt(next)
	}
	if err := up.Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return errGone
		}
		return fmt.Errorf("move webhook cursor: %w", err)
	}
	if len(rows) > 0 {
		if err := tx.WebhookAttempt.CreateBulk(rows...).Exec(ctx); err != nil {
			return fmt.Errorf("record webhook attempts: %w", err)
		}
	}
	if reason == "" {
		return nil
	}
	if _, err := disable(ctx, tx, ep.ID, reason, now, actor); err != nil {
		return err
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				s.committed()
			}
			return err
		})
	})
	return nil
}

// actor is who the dispatcher's events are recorded as.
const actor = "system:webhooks"
