package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/server"
)

// trackingHooks is a CarrierHookReceiver that records what it is given and answers as told.
type trackingHooks struct {
	mu  sync.Mutex
	got []string // accountID:body
	err error
	ct  string
	ack []byte
}

func (h *trackingHooks) ReceiveTracking(_ context.Context, accountID string, _ http.Header, body []byte) (string, []byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return "", nil, h.err
	}
	h.got = append(h.got, accountID+":"+string(body))
	return h.ct, h.ack, nil
}

func TestCarrierHooks(t *testing.T) {
	hooks := &trackingHooks{}
	e := start(t, server.Config{MaxBodyBytes: 1024, CarrierHooks: hooks}, nil)

	r := e.raw(t, http.MethodPost, "/webhooks/carriers/car_01", strings.NewReader(`{"a":1}`))
	require.Equal(t, http.StatusOK, r.status)
	require.Empty(t, r.body, "any 2xx will do for most carriers")
	require.Equal(t, []string{`car_01:{"a":1}`}, hooks.got)

	// A carrier that expects its own acknowledgement (J&T) gets it.
	hooks.ct, hooks.ack = "application/json", []byte(`{"code":"1","msg":"success"}`)
	r = e.raw(t, http.MethodPost, "/webhooks/carriers/car_02", strings.NewReader(`x`))
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "application/json", r.contentType)
	require.Equal(t, `{"code":"1","msg":"success"}`, r.body)

	r = e.raw(t, http.MethodPost, "/webhooks/carriers/car_03", strings.NewReader(strings.Repeat("x", 2048)))
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	require.Len(t, hooks.got, 2, "an oversized body is not passed on")

	for _, tc := range []struct {
		err  error
		want int
	}{
		{fault.New(fault.Unauthenticated, "tracking webhook refused: signature does not match"), http.StatusUnauthorized},
		{fault.New(fault.InvalidArgument, "tracking webhook unreadable"), http.StatusBadRequest},
		{fault.New(fault.NotFound, "carrier account car_x not found"), http.StatusNotFound},
		{fault.New(fault.Unavailable, "retry"), http.StatusServiceUnavailable},
	} {
		hooks.err = tc.err
		r = e.raw(t, http.MethodPost, "/webhooks/carriers/car_04", strings.NewReader(`{}`))
		require.Equal(t, tc.want, r.status, tc.err.Error())
	}
	require.Equal(t, "5", r.header.Get("Retry-After"))
	require.Equal(t, http.StatusMethodNotAllowed, e.raw(t, http.MethodGet, "/webhooks/carriers/car_01", nil).status)
}
