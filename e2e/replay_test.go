package e2e_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// fetchJobs counts the channel_fetch jobs ever queued (completed ones are kept for an hour).
func fetchJobs(t *testing.T, srv *ordotest.Server) int {
	t.Helper()
	var n int
	require.NoError(t, srv.Inst.DB.SQL.QueryRowContext(context.Background(),
		"SELECT count(*) FROM river_job WHERE kind = 'channel_fetch'").Scan(&n))
	return n
}

// replayedOrder waits until the one fetch brought the order in.
func replayedOrder(t *testing.T, srv *ordotest.Server, channelID pulid.ID, externalID string) {
	t.Helper()
	require.Eventually(t, func() bool {
		n, err := srv.Inst.DB.Client.Order.Query().Where(order.ChannelID(channelID), order.ExternalID(externalID)).Count(context.Background())
		return err == nil && n == 1
	}, channelWait, 10*time.Millisecond, "order %s never came in", externalID)
}

// Issue 8 §4: a replayed signed push queues at most one fetch per delivery. Shopee's push carries
// no delivery id, so Ordo knows a replay by the digest of its verified body: the same signed push 5
// times in a row, and 5 times at once, each queue one fetch job; a new push (the order's next
// status) queues its own.
func TestReplayedPushQueuesOneFetch(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee}})
		srv.Inst.Ingestion.SetInline(0) // every push's work is a job, so that the jobs can be counted
		sh := m.Shops[channels.Shopee]
		sh.Hold(true)

		first := order2(t, sh)
		ds := sh.Deliveries()
		require.Len(t, ds, 1)
		push := ds[0]
		for range 5 {
			require.Equal(t, http.StatusOK, sh.Redeliver(push))
		}
		require.Equal(t, 1, fetchJobs(t, srv), "5 replays of one push, one after the other")
		replayedOrder(t, srv, m.Channels[channels.Shopee], first.ID)

		second := order2(t, sh)
		ds = sh.Deliveries()
		require.Len(t, ds, 2)
		push = ds[1]
		var wg sync.WaitGroup
		statuses := make([]int, 5)
		for i := range statuses {
			wg.Go(func() { statuses[i] = sh.Redeliver(push) })
		}
		wg.Wait()
		require.Equal(t, []int{200, 200, 200, 200, 200}, statuses)
		require.Equal(t, 2, fetchJobs(t, srv), "5 copies of one push at once")
		replayedOrder(t, srv, m.Channels[channels.Shopee], second.ID)
		require.Equal(t, http.StatusOK, sh.Redeliver(push), "a replay after the work is done")
		require.Equal(t, 2, fetchJobs(t, srv))
		srv.Audit(t)
	})
}
