package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// observeGet GETs path with key as bearer ("" for none).
func observeGet(t *testing.T, srv *ordotest.Server, path, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(body)
}

// /metrics answers admins only, with the operations that ran by name, the job queues, stock-sync
// lag per channel, the pool and the open subscriptions; a made-up operation name is bounded.
func TestMetrics(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.StartWith(t, url, func(c *config.Config) { c.Profiling = true })
		loc := srv.Location(t, "MET-A", 1)
		srv.SKU(t, "MET-1", map[pulid.ID]int64{loc.ID: 10})
		market := srv.ConnectMarket(t, ordotest.MarketOptions{})

		place := func(op string) string {
			b, err := json.Marshal(map[string]any{"operationName": op, "variables": outageOrder("MET-1"),
				"query": "mutation " + op + `($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`})
			require.NoError(t, err)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(b))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+srv.AdminKey)
			req.Header.Set("X-Request-Id", "trace-me-"+op)
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			require.Equal(t, http.StatusOK, res.StatusCode, "%s", raw)
			require.NotContains(t, string(raw), `"errors"`)
			return res.Header.Get("X-Request-Id")
		}
		require.Equal(t, "trace-me-PlaceForMetrics", place("PlaceForMetrics"), "a client's request id is echoed")

		status, _ := observeGet(t, srv, "/metrics", "")
		require.Equal(t, http.StatusUnauthorized, status)
		status, _ = observeGet(t, srv, "/metrics", srv.Key(t, auth.Operator, nil))
		require.Equal(t, http.StatusForbidden, status, "metrics tell volumes: admins only")
		status, body := observeGet(t, srv, "/metrics", srv.AdminKey)
		require.Equal(t, http.StatusOK, status, body)
		for _, want := range []string{
			`ordo_graphql_operations_total{operation="PlaceForMetrics",result="ok",type="mutation"} 1`,
			`ordo_graphql_operation_duration_seconds_count{operation="PlaceForMetrics",type="mutation"} 1`,
			`ordo_http_requests_total{code="200",route="/graphql"}`,
			`ordo_job_queue_jobs{queue="stock",state="available"}`,
			fmt.Sprintf(`ordo_stock_sync_lag_seconds{channel="%s",kind="SHOPEE"}`, market.Channels["SHOPEE"]),
			`ordo_notifications{status="PENDING"}`,
			`ordo_partner_webhook_attempts_5m{outcome="DELIVERED"} 0`,
			`ordo_subscriptions_open 0`,
			`go_sql_max_open_connections{db_name="ordo"}`,
			`ordo_store_read_ok 1`,
		} {
			require.Contains(t, body, want)
		}

		// A client that makes up operation names gets no series of its own beyond the bound; names
		// that are not identifiers never get one.
		place("x" + strings.Repeat("y", 80))
		_, body = observeGet(t, srv, "/metrics", srv.AdminKey)
		require.NotContains(t, body, "yyyyyyyy")
		require.Contains(t, body, `ordo_graphql_operations_total{operation="other",result="ok",type="mutation"} 1`)

		// pprof: admins only.
		status, _ = observeGet(t, srv, "/debug/pprof/", srv.Key(t, auth.Operator, nil))
		require.Equal(t, http.StatusForbidden, status)
		status, body = observeGet(t, srv, "/debug/pprof/goroutine?debug=1", srv.AdminKey)
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, body, "goroutine profile")
	})
}

// Without ORDO_PPROF, /debug/pprof/ does not exist; with ORDO_METRICS=false, neither does /metrics.
func TestObservabilityOff(t *testing.T) {
	srv := ordotest.StartWith(t, dbtest.SQLiteURL(t), func(c *config.Config) { c.Metrics = false })
	status, _ := observeGet(t, srv, "/debug/pprof/", srv.AdminKey)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = observeGet(t, srv, "/metrics", srv.AdminKey)
	require.Equal(t, http.StatusNotFound, status)
}
