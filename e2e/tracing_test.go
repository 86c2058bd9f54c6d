package e2e_test

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// span is what the test keeps of an exported span.
type span struct{ name, trace, id, parent string }

// otlpReceiver is an OTLP/HTTP trace receiver: it decodes the protobuf export requests.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []span
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var req collectortrace.ExportTraceServiceRequest
	if err != nil || r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
		http.Error(w, "bad export", http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				o.spans = append(o.spans, span{s.Name, hex.EncodeToString(s.TraceId), hex.EncodeToString(s.SpanId), hex.EncodeToString(s.ParentSpanId)})
			}
		}
	}
	o.mu.Unlock()
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func (o *otlpReceiver) find(name string) []span {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []span
	for _, s := range o.spans {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

// With an OTLP endpoint configured, one trace follows an order's request: the HTTP request, its
// GraphQL operation and the store transaction beneath it. The stock push it caused (enqueued by the
// relay that reads the event log) is a job's span, linked to the insert that enqueued it, with its
// call to the channel beneath it.
func TestTracesOverOTLP(t *testing.T) {
	rcv := &otlpReceiver{}
	collector := httptest.NewServer(rcv)
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "50")

	srv := ordotest.StartWith(t, dbtest.SQLiteURL(t), func(c *config.Config) { c.Tracing = true })
	loc := srv.Location(t, "TRC-A", 1)
	srv.SKU(t, "TRC-1", map[pulid.ID]int64{loc.ID: 10})
	srv.ConnectMarket(t, ordotest.MarketOptions{MarketOptions: demo.MarketOptions{
		Kinds: []channels.Kind{channels.Shopify}, Products: []marketsim.Product{{SKU: "TRC-1", Name: "Traced", Price: 100}}}})
	var placed struct {
		PlaceOrder struct{ Order struct{ ID string } }
	}
	require.NoError(t, srv.Admin().Query(t.Context(), `mutation TracedPlace($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`,
		outageOrder("TRC-1"), &placed))

	var root, op span
	require.Eventually(t, func() bool {
		ops := rcv.find("graphql mutation TracedPlace")
		if len(ops) != 1 {
			return false
		}
		op = ops[0]
		for _, s := range rcv.find("POST /graphql") {
			if s.id == op.parent {
				root = s
			}
		}
		return root.id != ""
	}, 10*time.Second, 50*time.Millisecond, "the operation's span sits beneath its request's")
	require.Eventually(t, func() bool {
		for _, s := range rcv.find("db.tx") {
			if s.parent == op.id {
				return true
			}
		}
		return false
	}, 10*time.Second, 50*time.Millisecond, "the order's transaction sits beneath the operation")
	require.Eventually(t, func() bool {
		for _, job := range rcv.find("river.work/stock_push") {
			for _, call := range rcv.find("HTTP POST") {
				if call.parent == job.id {
					return true
				}
			}
		}
		return false
	}, 20*time.Second, 100*time.Millisecond, "the stock push the order caused is a job's span, with its call to Shopify beneath it")
}
