package server_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/server"
)

// fakeDocuments serves one document to admins; anything else is NOT_FOUND, and "broken" fails.
type fakeDocuments struct{ contentType string }

func (f fakeDocuments) Download(ctx context.Context, id string) (string, string, []byte, error) {
	v, _ := auth.FromContext(ctx)
	switch {
	case id == "broken":
		return "", "", nil, errors.New("disk on fire")
	case id != "doc_1" || v.Role != auth.Admin:
		return "", "", nil, fault.New(fault.NotFound, "document %s not found", id)
	}
	return "label-SO-1-doc_1.pdf", f.contentType, []byte("%PDF-1.7 label"), nil
}

func TestDocumentDownload(t *testing.T) {
	e := start(t, server.Config{Documents: fakeDocuments{contentType: "application/pdf"}}, nil)
	bearer := func(key string) []string { return []string{"Authorization", "Bearer " + key} }

	r := e.raw(t, http.MethodGet, "/documents/doc_1", nil, bearer(e.admin)...)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "%PDF-1.7 label", r.body)
	require.Equal(t, "application/pdf", r.header.Get("Content-Type"))
	require.Equal(t, `attachment; filename=label-SO-1-doc_1.pdf`, r.header.Get("Content-Disposition"))
	require.Equal(t, "private, no-store", r.header.Get("Cache-Control"))
	require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))

	for name, tc := range map[string]struct {
		path    string
		headers []string
		status  int
	}{
		"no key":        {"/documents/doc_1", nil, http.StatusUnauthorized},
		"revoked key":   {"/documents/doc_1", bearer(e.revoked), http.StatusUnauthorized},
		"not a bearer":  {"/documents/doc_1", []string{"Authorization", "Basic eDp5"}, http.StatusUnauthorized},
		"out of scope":  {"/documents/doc_1", bearer(e.partner), http.StatusNotFound},
		"no such doc":   {"/documents/doc_2", bearer(e.admin), http.StatusNotFound},
		"store failure": {"/documents/broken", bearer(e.admin), http.StatusInternalServerError},
		"not GET":       {"/documents/doc_1", bearer(e.admin), http.StatusMethodNotAllowed},
	} {
		method := http.MethodGet
		if name == "not GET" {
			method = http.MethodPost
		}
		r := e.raw(t, method, tc.path, nil, tc.headers...)
		require.Equal(t, tc.status, r.status, name)
		require.NotContains(t, r.body, "PDF", name)
	}
	require.NotContains(t, e.raw(t, http.MethodGet, "/documents/broken", nil, bearer(e.admin)...).body, "disk on fire", "internal errors stay in the log")

	// A content type the store holds that does not parse is served as opaque bytes.
	e = start(t, server.Config{Documents: fakeDocuments{contentType: "text/html; <script>"}}, nil)
	r = e.raw(t, http.MethodGet, "/documents/doc_1", nil, bearer(e.admin)...)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "application/octet-stream", r.header.Get("Content-Type"))

	// Without a store there is no route.
	e = start(t, server.Config{}, nil)
	require.Equal(t, http.StatusNotFound, e.raw(t, http.MethodGet, "/documents/doc_1", nil, bearer(e.admin)...).status)
}
