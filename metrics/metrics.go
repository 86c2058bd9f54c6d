// Package metrics is what Ordo tells Prometheus: requests and latency per route and per GraphQL
// operation, channel webhooks in by channel and result, open subscriptions, the database pool, and
// (read from the store when scraped, at most every few seconds) River's queues, stock-sync lag per
// channel, notifications and partner-webhook deliveries. Every label takes a bounded set of values:
// a client-chosen operation name beyond the first few hundred is counted as "other".
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MaxOperations is how many distinct GraphQL operation names get their own label value; later ones
// are counted as "other", so that clients cannot grow the series without bound.
const MaxOperations = 256

// latencyBuckets span a cached read (1 ms) to a slow page (10 s).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics holds the registry and the instruments the HTTP layer feeds.
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpLatency  *prometheus.HistogramVec
	gqlRequests  *prometheus.CounterVec
	gqlLatency   *prometheus.HistogramVec
	webhooksIn   *prometheus.CounterVec

	mu  sync.Mutex
	ops map[string]struct{}
}

// New returns a registry with the Go runtime and process collectors and Ordo's instruments.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: reg,
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordo_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		httpLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ordo_http_request_duration_seconds", Help: "HTTP request latency by route pattern (websockets excluded).", Buckets: latencyBuckets,
		}, []string{"route"}),
		gqlRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordo_graphql_operations_total", Help: "GraphQL operations by name, type and result (ok or the first error's code).",
		}, []string{"operation", "type", "result"}),
		gqlLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ordo_graphql_operation_duration_seconds", Help: "GraphQL query and mutation latency by operation name.", Buckets: latencyBuckets,
		}, []string{"operation", "type"}),
		webhooksIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordo_channel_webhooks_total", Help: "Channel webhooks received by channel kind and result.",
		}, []string{"channel", "result"}),
		ops: map[string]struct{}{},
	}
	reg.MustRegister(m.httpRequests, m.httpLatency, m.gqlRequests, m.gqlLatency, m.webhooksIn)
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Register adds a collector (the store's, the pool's, a gauge function).
func (m *Metrics) Register(c prometheus.Collector) error { return m.Registry.Register(c) }

// GaugeFunc registers a gauge read when scraped.
func (m *Metrics) GaugeFunc(name, help string, f func() float64) error {
	return m.Registry.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// HTTP records one request. route is the mux pattern that served it ("" when none did); a
// websocket's lifetime is not a latency and is counted only.
func (m *Metrics) HTTP(route string, code int, d time.Duration, websocket bool) {
	if route == "" {
		route = "unmatched"
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	if !websocket {
		m.httpLatency.WithLabelValues(route).Observe(d.Seconds())
	}
}

// GraphQL records one operation: its name (bounded, see MaxOperations), its type (query,
// mutation, subscription) and result ("ok" or an error code). A subscription's latency is its
// lifetime and is not observed.
func (m *Metrics) GraphQL(name, typ, result string, d time.Duration) {
	name = m.operation(name)
	m.gqlRequests.WithLabelValues(name, typ, result).Inc()
	if typ != "subscription" {
		m.gqlLatency.WithLabelValues(name, typ).Observe(d.Seconds())
	}
}

// WebhookIn records a channel webhook by the channel kind of its path and its result.
func (m *Metrics) WebhookIn(channel, result string) {
	m.webhooksIn.WithLabelValues(channel, result).Inc()
}

// operation bounds the operation label: names are short identifiers, the first MaxOperations
// distinct ones keep their name.
func (m *Metrics) operation(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case len(name) > 64 || !identifier(name):
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ops[name]; ok {
		return name
	}
	if len(m.ops) >= MaxOperations {
		return "other"
	}
	m.ops[name] = struct{}{}
	return name
}

func identifier(s string) bool {
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}
