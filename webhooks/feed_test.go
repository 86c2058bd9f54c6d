package webhooks

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/events"
)

// The shared feed gives each reader exactly what reading the store by itself would: from the
// window when the reader is in it, from the store when it is behind it, and after a reader ahead
// of everything the window read.
func TestFeedReadsAsTheStoreDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		var evs []events.Event
		for i := range 3 * maxBatch {
			if i%3 == 0 {
				evs = append(evs, stock(fmt.Sprint("SKU-", i)))
			} else {
				evs = append(evs, moved(fmt.Sprint("ord_", i%7), i%5))
			}
		}
		stored := appendEvents(t, db, evs...)
		f := &feed{db: db}
		check := func(p events.Position, kinds ...string) []item {
			t.Helper()
			got, err := f.read(ctx, p, kinds)
			require.NoError(t, err)
			k := kinds
			if len(k) == 0 {
				k = types
			}
			want, err := events.Read(ctx, db, p, maxBatch, k...)
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i := range want {
				require.Equal(t, want[i].ID, got[i].e.ID)
				body, err := Body(want[i])
				require.NoError(t, err)
				require.Equal(t, string(body), string(got[i].body))
			}
			return got
		}
		mid := events.PositionOf(stored[maxBatch])
		check(mid)                         // primes the window here
		check(mid, "order.status_changed") // the same place, one type
		check(events.PositionOf(stored[maxBatch+10]))
		check(events.PositionOf(stored[10]))                    // behind the window: the store
		check(events.PositionOf(stored[len(stored)-5]))         // near the end
		check(events.PositionOf(stored[len(stored)-1]))         // nothing after the last
		far := check(events.PositionOf(stored[2*maxBatch+250])) // in the window, read on
		require.NotEmpty(t, far)
		require.LessOrEqual(t, len(f.items), feedWindow)
	})
}
