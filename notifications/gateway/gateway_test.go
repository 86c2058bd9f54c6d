package gateway

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/webhooks"
)

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		status   int
		ok, perm bool
	}{
		{200, true, false}, {202, true, false},
		{400, false, true}, {404, false, true}, {422, false, true},
		{408, false, false}, {429, false, false}, {500, false, false}, {503, false, false}, {302, false, false},
	} {
		err := classify(tt.status, []byte("x"))
		require.Equal(t, tt.ok, err == nil, tt.status)
		if err != nil {
			require.Equal(t, tt.perm, errors.Is(err, notifications.ErrRejected), tt.status)
		}
	}
}

func TestNew(t *testing.T) {
	secret := webhooks.NewSecret()
	_, err := New("https://gw.example/send", secret, nil)
	require.NoError(t, err)
	_, err = New("ftp://gw.example", secret, nil)
	require.Error(t, err)
	_, err = New("https://gw.example/send", "short", nil)
	require.Error(t, err)
}

func TestSend(t *testing.T) {
	secret := webhooks.NewSecret()
	key, err := webhooks.ParseSecret(secret)
	require.NoError(t, err)
	status := http.StatusOK
	var got map[string]string
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		header = r.Header.Clone()
		require.NoError(t, json.Unmarshal(raw, &got))
		ts, _ := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
		require.Equal(t, webhooks.Sign(key, r.Header.Get("webhook-id"), time.Unix(ts, 0), raw), r.Header.Get("webhook-signature"))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"id":"gw-77"}`))
	}))
	defer srv.Close()
	p, err := New(srv.URL, secret, srv.Client())
	require.NoError(t, err)
	m := notifications.Message{ID: "ntf_1", To: "+66812345678", Locale: "th", Subject: "S", Text: "T", Kind: "SHIPPED", OrderNumber: "SO-1"}

	id, err := p.Send(t.Context(), m)
	require.NoError(t, err)
	require.Equal(t, "gw-77", id)
	require.Equal(t, map[string]string{"id": "ntf_1", "kind": "SHIPPED", "to": "+66812345678", "locale": "th", "subject": "S",
		"text": "T", "orderNumber": "SO-1"}, got)
	require.Equal(t, "ntf_1", header.Get("webhook-id"))
	require.Equal(t, "application/json", header.Get("Content-Type"))

	status = http.StatusUnprocessableEntity
	_, err = p.Send(t.Context(), m)
	require.ErrorIs(t, err, notifications.ErrRejected)
	status = http.StatusBadGateway
	_, err = p.Send(t.Context(), m)
	require.Error(t, err)
	require.NotErrorIs(t, err, notifications.ErrRejected)
}
