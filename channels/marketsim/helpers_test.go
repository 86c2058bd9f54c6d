package marketsim_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
)

// within is the deadline for anything a test waits for.
const within = 10 * time.Second

// start runs a simulator on a loopback server for the rest of the test; pageSize caps list pages.
func start(t *testing.T, pageSize int) *marketsim.Sim {
	t.Helper()
	sim := marketsim.New("", marketsim.Options{PageSize: pageSize})
	srv := httptest.NewServer(sim.Handler())
	sim.SetBase(srv.URL)
	t.Cleanup(func() {
		sim.Close()
		srv.Close()
	})
	return sim
}

// hook is a webhook receiver that keeps what it got, answering with status.
type hook struct {
	URL    string
	status int
	mu     sync.Mutex
	got    []received
}

type received struct {
	Header http.Header
	Body   []byte
}

func newHook(t *testing.T, status int) *hook {
	t.Helper()
	h := &hook{status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, received{Header: r.Header.Clone(), Body: body})
		h.mu.Unlock()
		w.WriteHeader(h.status)
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL + "/webhooks/test"
	return h
}

// wait returns the n-th webhook received (1-based), failing the test if it does not come in time.
func (h *hook) wait(t *testing.T, n int) received {
	t.Helper()
	var r received
	require.Eventually(t, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.got) < n {
			return false
		}
		r = h.got[n-1]
		return true
	}, within, 5*time.Millisecond)
	return r
}

// requireRoundTrip checks that what a connector read back is the simulated order.
func requireRoundTrip(t *testing.T, want *marketsim.Order, got channels.Order, status channels.Status) {
	t.Helper()
	require.Equal(t, want.ID, got.ExternalID)
	require.Equal(t, status, got.Status, "raw %q", got.ChannelStatus)
	require.Equal(t, want.Currency, got.Currency)
	require.Equal(t, want.Total(), got.Total, "total")
	require.Equal(t, want.COD, got.COD, "COD")
	require.Equal(t, want.Address.CountryCode, got.ShippingAddress.CountryCode)
	require.Equal(t, want.Address.City, got.ShippingAddress.City)
	require.True(t, want.CreatedAt.Truncate(time.Second).Equal(got.PlacedAt.Truncate(time.Second)), "placed %v, want %v", got.PlacedAt, want.CreatedAt)
	require.Len(t, got.Lines, len(want.Lines))
	for i, l := range want.Lines {
		require.Equal(t, l.Listing.SKU, got.Lines[i].SKU)
		require.Equal(t, l.Quantity, got.Lines[i].Quantity)
		require.Equal(t, l.UnitPrice, got.Lines[i].UnitPrice)
	}
}

// sent waits until h received n webhooks and returns the n-th the shop sent: deliveries race each
// other on the wire, so the order they arrive in is not the order they were sent in.
func sent(t *testing.T, h *hook, sh *marketsim.Shop, n int) received {
	t.Helper()
	h.wait(t, n)
	d := sh.Deliveries()
	require.GreaterOrEqual(t, len(d), n)
	return received{Header: d[n-1].Header, Body: d[n-1].Body}
}
