package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/server"
)

// env is a real Ordo HTTP server on a test schema, with real API keys from a SQLite store.
type env struct {
	srv    *httptest.Server
	schema *testSchema
	logs   *syncBuffer

	admin, partner, revoked string // secrets
}

func start(t *testing.T, cfg server.Config, ready func(context.Context) error) *env {
	t.Helper()
	ctx := context.Background()
	keys := auth.Keys{Client: dbtest.SQLite(t).Client}
	e := &env{logs: &syncBuffer{}}
	var err error
	_, e.admin, err = keys.Create(ctx, "console", auth.Admin, nil)
	require.NoError(t, err)
	_, e.partner, err = keys.Create(ctx, "3pl", auth.Partner, nil)
	require.NoError(t, err)
	rec, revoked, err := keys.Create(ctx, "old", auth.Operator, nil)
	require.NoError(t, err)
	require.NoError(t, keys.Revoke(ctx, rec.ID))
	e.revoked = revoked

	schema, es := newTestSchema()
	e.schema = schema
	log := slog.New(server.LogHandler(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	e.srv = httptest.NewServer(server.New(cfg, es, keys, ready, log))
	t.Cleanup(e.srv.Close)
	return e
}

// gqlResult is a GraphQL response body.
type gqlResult struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// reply is what a test needs from an HTTP response.
type reply struct {
	status      int
	header      http.Header
	contentType string
	body        string
	result      gqlResult
}

func (e *env) do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := reply{status: resp.StatusCode, header: resp.Header, body: string(body)}
	r.contentType, _, _ = strings.Cut(resp.Header.Get("Content-Type"), ";")
	if strings.Contains(r.contentType, "json") {
		require.NoError(t, json.Unmarshal(body, &r.result), "body: %s", body)
	}
	return r
}

// post sends a GraphQL request as JSON; headers are name, value pairs.
func (e *env) post(t *testing.T, query string, headers ...string) reply {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query})
	require.NoError(t, err)
	return e.raw(t, http.MethodPost, "/graphql", bytes.NewReader(body), append([]string{"Content-Type", "application/json"}, headers...)...)
}

func (e *env) raw(t *testing.T, method, path string, body io.Reader, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.do(t, req)
}

// codes lists the extensions.code of each error.
func (r reply) codes() []any {
	var out []any
	for _, e := range r.result.Errors {
		out = append(out, e.Extensions["code"])
	}
	return out
}

// syncBuffer is a bytes.Buffer that the server's goroutines may log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
