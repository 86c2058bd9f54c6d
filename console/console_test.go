package console

import (
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBundleIsServedGzippedToWhoAcceptsIt(t *testing.T) {
	h := &Handler{}
	raw, err := fs.ReadFile(dist, "dist/app.js")
	require.NoError(t, err)

	get := func(acceptEncoding string) *http.Response {
		r := httptest.NewRequest(http.MethodGet, "/console/app.js?v=1", nil)
		if acceptEncoding != "" {
			r.Header.Set("Accept-Encoding", acceptEncoding)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}

	res := get("gzip, deflate, br")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	require.Contains(t, res.Header.Get("Content-Type"), "javascript")
	require.Contains(t, res.Header.Get("Cache-Control"), "immutable")
	require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	zr, err := gzip.NewReader(res.Body)
	require.NoError(t, err)
	body, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, raw, body, "the gzipped answer is the bundle")

	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		res := get(ae)
		require.Empty(t, res.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.Equal(t, raw, body)
	}
}

func TestClientRoutesGetTheApp(t *testing.T) {
	h := &Handler{}
	for _, p := range []string{"/console/", "/console/orders/ord_1", "/console/inventory"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		require.Equal(t, http.StatusOK, w.Code, p)
		require.Contains(t, w.Body.String(), "/console/app.js?v=", p)
		require.Equal(t, "no-store", w.Header().Get("Cache-Control"), p)
		require.Contains(t, w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'", p)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/console/", nil))
	require.Equal(t, http.StatusMethodNotAllowed, w.Code)
}
