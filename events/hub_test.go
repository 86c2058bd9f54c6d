package events_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
)

func TestSubscribeFromNowGetsOnlyNewEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := startHub(t, db, events.Options{})
		commit(t, db, h) // zero events: nothing written
		commit(t, db, h, ev("old1"), ev("old2"))
		settle(t, db, h)

		s, _ := subscribe(t, h, nil, nil)
		commit(t, db, h, ev("new1"), ev("new2"))
		commit(t, db, h, ev("new3"))
		require.Equal(t, []string{"new1", "new2", "new3"}, nextTypes(t, s, 3))

		commit(t, db, h, ev("sentinel"))
		e := next(t, s)
		require.Equal(t, "sentinel", e.Type, "an event was delivered twice")
		require.Equal(t, map[string]any{"k": "sentinel"}, e.Data)

		n, err := db.Client.Event.Query().Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 6, n)
	})
}

func TestResumeFromCursorGetsMissedEventsOnceThenLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := startHub(t, db, events.Options{})
		s1, disconnect := subscribe(t, h, nil, nil)
		for i := 1; i <= 5; i++ {
			commit(t, db, h, ev(fmt.Sprint("e", i)))
		}
		require.Equal(t, []string{"e1", "e2", "e3"}, nextTypes(t, s1, 3))
		cursor := positionOf(t, db, "e3").Cursor()
		disconnect()
		closed(t, s1)
		require.NoError(t, s1.Err())

		commit(t, db, h, ev("e6"), ev("e7"))
		commit(t, db, h, ev("e8"))

		from, err := events.ParseCursor(cursor)
		require.NoError(t, err)
		s2, _ := subscribe(t, h, &from, nil)
		require.Equal(t, []string{"e4", "e5", "e6", "e7", "e8"}, nextTypes(t, s2, 5))
		commit(t, db, h, ev("e9"))
		commit(t, db, h, ev("e10"))
		require.Equal(t, []string{"e9", "e10"}, nextTypes(t, s2, 2))
		commit(t, db, h, ev("sentinel"))
		require.Equal(t, "sentinel", next(t, s2).Type, "an event was delivered twice")
	})
}

// A transaction that took its txid first but commits last must still be delivered first, and
// nothing after it may be delivered (or become a cursor) before it commits.
func TestLateCommitIsNeverOvertaken(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	h := startHub(t, db, events.Options{PollInterval: 20 * time.Millisecond})
	live, _ := subscribe(t, h, nil, nil)

	txA, err := db.Client.Tx(ctx)
	require.NoError(t, err)
	require.NoError(t, events.Append(ctx, txA, ev("A")))
	commit(t, db, h, ev("B"))
	looked(t, h)
	requireNothing(t, live)
	posB := positionOf(t, db, "B")
	head, err := h.Head(ctx)
	require.NoError(t, err)
	require.True(t, head.Less(posB), "head %v reached B %v while A is open", head, posB)
	mid := head // a cursor taken while A is open

	require.NoError(t, txA.Commit())
	h.Wake()
	require.Equal(t, []string{"A", "B"}, nextTypes(t, live, 2))
	resumed, _ := subscribe(t, h, &mid, nil)
	require.Equal(t, []string{"A", "B"}, nextTypes(t, resumed, 2))

	// An aborted transaction notifies no one; the poll still delivers what commits after it.
	txC, err := db.Client.Tx(ctx)
	require.NoError(t, err)
	require.NoError(t, events.Append(ctx, txC, ev("C")))
	commit(t, db, h, ev("D"))
	looked(t, h)
	requireNothing(t, live)
	require.NoError(t, txC.Rollback())
	require.Equal(t, "D", next(t, live).Type)
	require.Equal(t, "D", next(t, resumed).Type)
}

// A commit through another process's store reaches this process's subscribers through
// LISTEN/NOTIFY: the receiving hub polls once an hour and nobody wakes it.
func TestCommitInOtherProcessArrivesThroughNotify(t *testing.T) {
	url := dbtest.PostgresURL(t)
	open := func() *database.DB {
		db, err := database.Open(context.Background(), url)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	db1, db2 := open(), open()
	h1 := startHub(t, db1, events.Options{})
	h2 := startHub(t, db2, events.Options{PollInterval: time.Hour})
	require.Eventually(t, func() bool { return events.Listening(h2) }, within, time.Millisecond)
	s2, _ := subscribe(t, h2, nil, nil)
	s1, _ := subscribe(t, h1, nil, nil)

	commit(t, db1, h1, ev("x"))
	require.Equal(t, "x", next(t, s1).Type)
	require.Equal(t, "x", next(t, s2).Type)
	commit(t, db1, nil, ev("y"))
	require.Equal(t, "y", next(t, s2).Type)
}

func TestSlowSubscriberIsDroppedOthersContinue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const buffer = 4
		h := startHub(t, db, events.Options{Buffer: buffer})
		slow, _ := subscribe(t, h, nil, nil)
		fast, _ := subscribe(t, h, nil, nil)
		var want []string
		for i := range events.Handoff + 4*buffer { // more than the slow one is handed ahead and buffers
			typ := fmt.Sprint("e", i)
			want = append(want, typ)
			commit(t, db, h, ev(typ))
			require.Equal(t, typ, next(t, fast).Type)
		}
		got := closed(t, slow)
		require.ErrorIs(t, slow.Err(), events.ErrTooSlow)
		require.Less(t, len(got), len(want))
		for i, e := range got {
			require.Equal(t, want[i], e.Type, "a dropped subscriber still gets a gapless prefix")
		}
		// The dropped subscriber resumes from its last event and misses nothing.
		var from events.Position
		if len(got) > 0 {
			from = events.PositionOf(got[len(got)-1])
		}
		resumed, _ := subscribe(t, h, &from, nil)
		require.Equal(t, want[len(got):], nextTypes(t, resumed, len(want)-len(got)))
	})
}

func TestConcurrentWritersFilteredSubscribers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const writers, perWriter = 8, 200
		h := startHub(t, db, events.Options{Buffer: writers * perWriter})
		match := func(e *ent.Event) bool { return e.OrderID == "ord_1" || e.OrderID == "ord_5" }
		live, _ := subscribe(t, h, nil, match)

		var (
			mu       sync.Mutex
			want     = map[string]bool{} // actors of matching committed events
			wg       sync.WaitGroup
			errs     = make(chan error, writers)
			halfway  = make(chan struct{})
			halfOnce sync.Once
		)
		for w := range writers {
			wg.Go(func() {
				for i := 0; i < perWriter; {
					var evs []events.Event
					for n := 1 + rand.IntN(3); n > 0 && i < perWriter; n-- {
						evs = append(evs, evFor("test.written", fmt.Sprint("ord_", rand.IntN(8)), fmt.Sprintf("w%d-%d", w, i)))
						i++
					}
					err := db.Tx(context.Background(), func(tx *ent.Tx) error {
						return events.Append(context.Background(), tx, evs...)
					})
					if err != nil {
						errs <- err
						return
					}
					h.Wake()
					mu.Lock()
					for _, e := range evs {
						if e.OrderID == "ord_1" || e.OrderID == "ord_5" {
							want[e.Actor] = true
						}
					}
					mu.Unlock()
					if i >= perWriter/2 {
						halfOnce.Do(func() { close(halfway) })
					}
				}
			})
		}
		// A second subscriber replays from the start while the writers are busy: catch-up and
		// switch-over under load.
		<-halfway
		replay, _ := subscribe(t, h, &events.Position{}, match)
		wg.Wait()
		close(errs)
		require.NotEmpty(t, want)
		for err := range errs {
			require.NoError(t, err)
		}

		for _, s := range []*events.Subscription{live, replay} {
			got := map[string]bool{}
			var last events.Position
			for range len(want) {
				e := next(t, s)
				require.True(t, match(e))
				require.True(t, last.Less(events.PositionOf(e)), "position %v after %v", events.PositionOf(e), last)
				last = events.PositionOf(e)
				require.False(t, got[e.Actor], "duplicate %s", e.Actor)
				got[e.Actor] = true
			}
			require.Equal(t, want, got)
		}
		commit(t, db, h, evFor("sentinel", "ord_5", ""))
		require.Equal(t, "sentinel", next(t, live).Type)
		require.Equal(t, "sentinel", next(t, replay).Type)
	})
}

func TestSubscriptionsEndWhenHubStops(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, stop := context.WithCancel(context.Background())
		h := events.NewHub(db, events.Options{})
		done := make(chan error, 1)
		go func() { done <- h.Run(ctx) }()
		s, _ := subscribe(t, h, nil, nil)
		stop()
		require.NoError(t, <-done)
		closed(t, s)
		require.ErrorIs(t, s.Err(), events.ErrHubStopped)
		_, err := h.Subscribe(context.Background(), nil, nil)
		require.ErrorIs(t, err, events.ErrHubStopped)
	})
}
