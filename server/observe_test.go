package server_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/server"
)

// observed records what the server tells its observer.
type observed struct {
	mu  sync.Mutex
	ops []string
	web []string
}

func (o *observed) HTTP(string, int, time.Duration, bool) {}
func (o *observed) GraphQL(name, typ, result string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ops = append(o.ops, name+" "+typ+" "+result)
}
func (o *observed) WebhookIn(channel, result string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.web = append(o.web, channel+" "+result)
}

// Each request's log line carries its request id and GraphQL operation; the id is the client's
// when it is a short token, a new one otherwise, and answered in X-Request-Id; the observer hears
// of each operation once, with its result.
func TestRequestLogAndObserver(t *testing.T) {
	obs := &observed{}
	e := start(t, server.Config{Observer: obs}, nil)
	r := e.raw(t, "POST", "/graphql", strings.NewReader(`{"operationName":"Who","query":"query Who { viewer }"}`),
		"Content-Type", "application/json", "Authorization", "Bearer "+e.admin, "X-Request-Id", "req-42")
	require.Equal(t, 200, r.status)
	require.Equal(t, "req-42", r.header.Get("X-Request-Id"))
	r = e.raw(t, "POST", "/graphql", strings.NewReader(`{"query":"{ nope }"}`),
		"Content-Type", "application/json", "X-Request-Id", "bad id forged=1")
	generated := r.header.Get("X-Request-Id")
	require.Len(t, generated, 24, "a request id that is not a short token is replaced")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		if m["msg"] == "http request" {
			lines = append(lines, m)
		}
	}
	require.Len(t, lines, 2)
	require.Equal(t, "req-42", lines[0]["request_id"])
	require.Equal(t, "Who", lines[0]["operation"])
	require.Equal(t, generated, lines[1]["request_id"])
	require.NotContains(t, e.logs.String(), "forged")
	require.Equal(t, []string{"Who query ok"}, obs.ops, "an operation that fails validation never runs")
}
