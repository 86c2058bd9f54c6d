package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/server"
)

const (
	gqlResponse = "application/graphql-response+json"
	appJSON     = "application/json"
)

func TestGraphQLOverHTTP(t *testing.T) {
	e := start(t, server.Config{}, nil)
	get := func(query string) string { return "/graphql?query=" + url.QueryEscape(query) }
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		accept      string
		status      int
		wantType    string
		wantData    string // a field of data that must be set
		wantCode    any    // extensions.code of the first error
		wantAllow   string
		wantMsg     string // part of the first error's message
	}{
		{name: "POST graphql-response", method: "POST", accept: gqlResponse, body: `{"query":"{ hello }"}`, status: 200, wantType: gqlResponse, wantData: "hello"},
		{name: "POST json", method: "POST", accept: appJSON, body: `{"query":"{ hello }"}`, status: 200, wantType: appJSON, wantData: "hello"},
		{name: "POST no Accept", method: "POST", body: `{"query":"{ hello }"}`, status: 200, wantType: appJSON, wantData: "hello"},
		{name: "POST any Accept", method: "POST", accept: "*/*", body: `{"query":"{ hello }"}`, status: 200, wantType: appJSON, wantData: "hello"},
		{name: "POST prefers higher q", method: "POST", accept: "application/json;q=0.5, application/graphql-response+json", body: `{"query":"{ hello }"}`, status: 200, wantType: gqlResponse, wantData: "hello"},
		{name: "POST both named", method: "POST", accept: "application/json, application/graphql-response+json", body: `{"query":"{ hello }"}`, status: 200, wantType: gqlResponse, wantData: "hello"},
		{name: "POST html only", method: "POST", accept: "text/html", body: `{"query":"{ hello }"}`, status: 406, wantType: appJSON, wantCode: "INVALID_ARGUMENT"},
		{name: "POST json refused by q=0", method: "POST", accept: "application/json;q=0, text/html", body: `{"query":"{ hello }"}`, status: 406, wantType: appJSON, wantCode: "INVALID_ARGUMENT"},
		{name: "POST mutation", method: "POST", accept: gqlResponse, body: `{"query":"mutation { touch }"}`, status: 200, wantType: gqlResponse, wantData: "touch"},
		{name: "parse error graphql-response", method: "POST", accept: gqlResponse, body: `{"query":"{ hello"}`, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "parse error json", method: "POST", accept: appJSON, body: `{"query":"{ hello"}`, status: 200, wantType: appJSON, wantCode: "INVALID_ARGUMENT"},
		{name: "validation error graphql-response", method: "POST", accept: gqlResponse, body: `{"query":"{ nope }"}`, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "validation error json", method: "POST", accept: appJSON, body: `{"query":"{ nope }"}`, status: 200, wantType: appJSON, wantCode: "INVALID_ARGUMENT"},
		{name: "malformed JSON body", method: "POST", accept: gqlResponse, body: `{"query":`, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "POST text/plain", method: "POST", contentType: "text/plain", accept: gqlResponse, body: `{"query":"{ hello }"}`, status: 415, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "POST form", method: "POST", contentType: "application/x-www-form-urlencoded", body: `query=%7B%20hello%20%7D`, status: 415, wantType: appJSON, wantCode: "INVALID_ARGUMENT"},
		{name: "POST subscription", method: "POST", accept: gqlResponse, body: `{"query":"subscription { ticks(topic: \"t\") }"}`, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT", wantMsg: "websockets"},
		{name: "GET query", method: "GET", path: get("{ hello }"), accept: gqlResponse, status: 200, wantType: gqlResponse, wantData: "hello"},
		{name: "GET mutation", method: "GET", path: get("mutation { touch }"), accept: gqlResponse, status: 405, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT", wantAllow: "POST", wantMsg: "GET runs queries only"},
		{name: "GET no query", method: "GET", path: "/graphql", accept: gqlResponse, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "GET bad variables", method: "GET", path: get("{ hello }") + "&variables=nope", accept: gqlResponse, status: 400, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT"},
		{name: "PUT", method: "PUT", accept: gqlResponse, body: `{"query":"{ hello }"}`, status: 405, wantType: gqlResponse, wantCode: "INVALID_ARGUMENT", wantAllow: "GET, POST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = "/graphql"
			}
			contentType := tc.contentType
			if contentType == "" {
				contentType = appJSON
			}
			r := e.raw(t, tc.method, path, strings.NewReader(tc.body), "Content-Type", contentType, "Accept", tc.accept)
			require.Equal(t, tc.status, r.status, r.body)
			require.Equal(t, tc.wantType, r.contentType)
			if tc.wantData != "" {
				require.Empty(t, r.result.Errors, r.body)
				require.NotNil(t, r.result.Data[tc.wantData], r.body)
			}
			if tc.wantCode != nil {
				require.NotEmpty(t, r.result.Errors, r.body)
				require.Equal(t, tc.wantCode, r.codes()[0], r.body)
				require.NotEmpty(t, r.result.Errors[0].Message)
				require.Contains(t, r.result.Errors[0].Message, tc.wantMsg)
			}
			require.Equal(t, tc.wantAllow, r.header.Get("Allow"))
		})
	}
}

func TestBodyLimit(t *testing.T) {
	e := start(t, server.Config{MaxBodyBytes: 1024}, nil)
	query := func(n int) string { return `{"query":"{ hello }` + strings.Repeat(" ", n) + `"}` }

	r := e.raw(t, "POST", "/graphql", strings.NewReader(query(900)), "Content-Type", appJSON)
	require.Equal(t, http.StatusOK, r.status, r.body)

	r = e.raw(t, "POST", "/graphql", strings.NewReader(query(2000)), "Content-Type", appJSON)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status, r.body)
	require.Equal(t, appJSON, r.contentType)
	require.Equal(t, []any{"INVALID_ARGUMENT"}, r.codes())

	// Without Content-Length (chunked), the limit holds while reading.
	req, err := http.NewRequest("POST", e.srv.URL+"/graphql", io.MultiReader(strings.NewReader(query(2000))))
	require.NoError(t, err)
	req.Header.Set("Content-Type", appJSON)
	req.ContentLength = -1
	r = e.do(t, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status, r.body)
	require.Equal(t, []any{"INVALID_ARGUMENT"}, r.codes())
}

func TestBearerKey(t *testing.T) {
	e := start(t, server.Config{}, nil)
	tests := []struct {
		name          string
		authorization string
		status        int
		viewer        any
	}{
		{name: "no key", status: 200, viewer: nil},
		{name: "valid key", authorization: "Bearer " + e.admin, status: 200, viewer: "ADMIN"},
		{name: "scheme is case-insensitive", authorization: "bearer " + e.admin, status: 200, viewer: "ADMIN"},
		{name: "unknown key", authorization: "Bearer ordo_notakey", status: 401},
		{name: "revoked key", authorization: "Bearer " + e.revoked, status: 401},
		{name: "not bearer", authorization: "Basic " + e.admin, status: 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.authorization != "" {
				headers = []string{"Authorization", tc.authorization}
			}
			r := e.post(t, "{ viewer }", headers...)
			require.Equal(t, tc.status, r.status, r.body)
			require.Equal(t, appJSON, r.contentType)
			if tc.status == http.StatusUnauthorized {
				require.Equal(t, []any{"UNAUTHENTICATED"}, r.codes(), r.body)
				require.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer")
				return
			}
			require.Empty(t, r.result.Errors, r.body)
			require.Equal(t, tc.viewer, r.result.Data["viewer"])
		})
	}
	require.NotContains(t, e.logs.String(), e.admin, "a secret was logged")
	require.NotContains(t, e.logs.String(), e.revoked, "a secret was logged")
}

func TestQueryLimits(t *testing.T) {
	t.Run("depth", func(t *testing.T) {
		e := start(t, server.Config{MaxDepth: 3, ComplexityLimit: -1}, nil)
		ok := e.post(t, "{ node { child { name } } }", "Accept", gqlResponse)
		require.Equal(t, http.StatusOK, ok.status, ok.body)
		require.Empty(t, ok.result.Errors, ok.body)

		for _, q := range []string{
			"{ node { child { child { name } } } }",
			"{ node { ...deep } } fragment deep on Node { child { ... on Node { child { name } } } }",
		} {
			r := e.post(t, q, "Accept", gqlResponse)
			require.Equal(t, http.StatusBadRequest, r.status, r.body)
			require.Equal(t, []any{"INVALID_ARGUMENT"}, r.codes(), r.body)
			require.Contains(t, r.result.Errors[0].Message, "4 fields deep, more than the limit of 3")
		}
	})
	t.Run("complexity", func(t *testing.T) {
		e := start(t, server.Config{ComplexityLimit: 3, MaxDepth: -1}, nil)
		ok := e.post(t, "{ node { child { name } } }", "Accept", gqlResponse)
		require.Equal(t, http.StatusOK, ok.status, ok.body)
		require.Empty(t, ok.result.Errors, ok.body)

		r := e.post(t, "{ node { child { child { name } } } }", "Accept", gqlResponse)
		require.Equal(t, http.StatusBadRequest, r.status, r.body)
		require.Equal(t, []any{"INVALID_ARGUMENT"}, r.codes(), r.body)
		require.Contains(t, r.result.Errors[0].Message, "complexity 4, more than the limit of 3")
	})
}

func TestErrorPresenter(t *testing.T) {
	e := start(t, server.Config{}, nil)
	r := e.post(t, "{ hello fault boom panic }", "Accept", gqlResponse)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Equal(t, "world", r.result.Data["hello"], r.body)
	require.NotContains(t, r.body, "10.0.0.7", "an internal error leaked")
	require.NotContains(t, r.body, "nil map", "a panic leaked")

	byCode := map[any][]string{}
	for _, err := range r.result.Errors {
		byCode[err.Extensions["code"]] = append(byCode[err.Extensions["code"]], err.Message)
		if err.Extensions["code"] == "NOT_FOUND" {
			require.Equal(t, map[string]any{"id": "ord_1"}, err.Extensions["details"])
		}
	}
	require.Equal(t, map[any][]string{
		"NOT_FOUND": {"order ord_1 not found"},
		"INTERNAL":  {"internal error", "internal error"},
	}, byCode)
	logs := e.logs.String()
	require.Contains(t, logs, secretInBoom, "the internal error was not logged")
	require.Contains(t, logs, "graphql: panic", "the panic was not logged")
}

func TestIntrospection(t *testing.T) {
	const q = "{ __schema { queryType { name } } }"
	tests := []struct {
		access          server.IntrospectionAccess
		anonymous, keys bool // whether each may introspect
		wantMsg         string
	}{
		{access: "", keys: true, wantMsg: "introspection needs an API key"}, // the default: keys
		{access: server.IntrospectionKeys, keys: true, wantMsg: "introspection needs an API key"},
		{access: server.IntrospectionAll, anonymous: true, keys: true},
		{access: server.IntrospectionOff, wantMsg: "introspection is disabled"},
	}
	for _, tc := range tests {
		t.Run(string(tc.access), func(t *testing.T) {
			e := start(t, server.Config{Introspection: tc.access}, nil)
			for _, caller := range []struct {
				headers []string
				allowed bool
			}{{[]string{"Accept", gqlResponse}, tc.anonymous}, {[]string{"Accept", gqlResponse, "Authorization", "Bearer " + e.admin}, tc.keys}} {
				r := e.post(t, q, caller.headers...)
				if caller.allowed {
					require.Equal(t, http.StatusOK, r.status, r.body)
					require.Empty(t, r.result.Errors, r.body)
					continue
				}
				require.Equal(t, http.StatusBadRequest, r.status, r.body)
				require.Equal(t, []any{"INVALID_ARGUMENT"}, r.codes())
				require.Contains(t, r.result.Errors[0].Message, tc.wantMsg)
			}
			require.Equal(t, http.StatusNotFound, e.raw(t, "GET", "/", nil).status, "GraphiQL is off unless asked for")
		})
	}
}

func TestHealth(t *testing.T) {
	var failing atomic.Bool
	e := start(t, server.Config{}, func(context.Context) error {
		if failing.Load() {
			return errors.New("database unreachable")
		}
		return nil
	})
	require.Equal(t, http.StatusOK, e.raw(t, "GET", "/healthz", nil).status)
	require.Equal(t, http.StatusOK, e.raw(t, "GET", "/readyz", nil).status)

	failing.Store(true)
	r := e.raw(t, "GET", "/readyz", nil)
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Equal(t, "not ready\n", r.body, "anonymous callers learn ready or not ready, nothing else")
	require.Contains(t, e.logs.String(), "database unreachable", "the reason is logged")
	r = e.raw(t, "GET", "/readyz", nil, "Authorization", "Bearer "+e.admin)
	require.Equal(t, "not ready\n", r.body, "nor do keys")
	require.Equal(t, http.StatusOK, e.raw(t, "GET", "/healthz", nil).status, "liveness must not depend on readiness")
}

func TestRequestLog(t *testing.T) {
	e := start(t, server.Config{}, nil)
	r := e.raw(t, "GET", "/graphql?query="+url.QueryEscape(`{ hello }`)+"&variables="+url.QueryEscape(`{"card":"4111111111111111"}`), bytes.NewReader(nil),
		"Authorization", "Bearer "+e.admin)
	require.Equal(t, http.StatusOK, r.status, r.body)
	logs := e.logs.String()
	require.Contains(t, logs, `"msg":"http request","method":"GET","path":"/graphql","status":200`)
	require.NotContains(t, logs, e.admin)
	require.NotContains(t, logs, "4111111111111111")
}
