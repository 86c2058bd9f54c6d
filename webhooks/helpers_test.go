package webhooks

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/vault"
)

// within is the generous deadline for what the tests wait for.
const within = 30 * time.Second

// delivery is one request a receiver took.
type delivery struct {
	ID       string // webhook-id
	Type     string
	OrderID  string
	Sequence int64
	Status   int // what the receiver answered
	Body     []byte
	Header   http.Header
}

// receiver is a partner's endpoint: it verifies every request with the Standard Webhooks
// reference library, under each secret it is given, and answers as answer says.
type receiver struct {
	t          *testing.T
	srv        *httptest.Server
	mu         sync.Mutex
	secrets    []string
	ignoreTime bool // the service's clock was moved: the signature is checked, not its age
	answer     func(n int, d delivery, w http.ResponseWriter) int
	got        []delivery
}

// newReceiver starts a receiver; answer (nil: 200) writes any headers and returns the status for
// the n-th request (from 0).
func newReceiver(t *testing.T, answer func(n int, d delivery, w http.ResponseWriter) int) *receiver {
	r := &receiver{t: t, answer: answer}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) URL() string { return r.srv.URL + "/hooks" }

// verifyWith makes every request verify under secret.
func (r *receiver) verifyWith(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = secrets
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	secrets := r.secrets
	r.mu.Unlock()
	for _, sec := range secrets {
		wh, err := standardwebhooks.NewWebhook(sec)
		if err != nil {
			r.t.Errorf("secret %q: %v", sec, err)
		} else if r.ignoreTime {
			err = wh.VerifyIgnoringTimestamp(body, req.Header)
		} else {
			err = wh.Verify(body, req.Header)
		}
		if err != nil {
			r.t.Errorf("delivery %s does not verify: %v", req.Header.Get("webhook-id"), err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
	}
	var env struct {
		Type string `json:"type"`
		Data struct {
			EventID  string `json:"eventId"`
			Sequence int64  `json:"sequence"`
			OrderID  string `json:"orderId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		r.t.Errorf("delivery body: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if env.Data.EventID != req.Header.Get("webhook-id") {
		r.t.Errorf("data.eventId %s, webhook-id %s", env.Data.EventID, req.Header.Get("webhook-id"))
	}
	d := delivery{ID: env.Data.EventID, Type: env.Type, OrderID: env.Data.OrderID, Sequence: env.Data.Sequence,
		Body: body, Header: req.Header.Clone()}
	r.mu.Lock()
	n := len(r.got)
	r.got = append(r.got, d)
	r.mu.Unlock()
	d.Status = http.StatusOK
	if r.answer != nil {
		d.Status = r.answer(n, d, w)
	}
	r.mu.Lock()
	r.got[n].Status = d.Status
	r.mu.Unlock()
	w.WriteHeader(d.Status)
}

// deliveries are the requests taken so far.
func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// accepted are the requests answered 2xx, in the order they arrived.
func (r *receiver) accepted() []delivery {
	var out []delivery
	for _, d := range r.deliveries() {
		if d.Status < 300 {
			out = append(out, d)
		}
	}
	return out
}

// clock is a settable time for the service.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// newService is a service over db that may reach the test's loopback receivers.
func newService(t testing.TB, db *database.DB) *Service {
	vlt, err := vault.New(vault.DevelopmentKey())
	require.NoError(t, err)
	return &Service{DB: db, Vault: vlt, AllowPrivate: true, Timeout: 5 * time.Second}
}

func adminCtx() context.Context { return auth.NewContext(context.Background(), auth.System) }

// appendEvents commits evs in one transaction and returns them as stored, once they can be read.
func appendEvents(t *testing.T, db *database.DB, evs ...events.Event) []*ent.Event {
	t.Helper()
	ctx := context.Background()
	before, err := db.Client.Event.Query().Count(ctx)
	require.NoError(t, err)
	require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error { return events.Append(ctx, tx, evs...) }))
	all, err := db.Client.Event.Query().Order(ent.Asc("id")).All(ctx)
	require.NoError(t, err)
	// On PostgreSQL an event is read once no older transaction runs (in any database of the
	// server): wait for that, so that the next pass sees them.
	last := all[len(all)-1].ID
	require.Eventually(t, func() bool {
		ok, err := db.Client.Event.Query().Where(db.SettledEvents(), event.ID(last)).Exist(ctx)
		return err == nil && ok
	}, within, 5*time.Millisecond)
	return all[before:]
}

// moved is an order's status change, n-th of its life.
func moved(order string, n int) events.Event {
	return events.Event{OrderID: order, CustomerID: "cus_1", ChannelID: "chn_1",
		Payload: events.StatusChanged{Command: "STEP", From: "S" + string(rune('0'+n)), To: "S" + string(rune('1'+n))}}
}

// stock is a stock change, about no order.
func stock(sku string) events.Event {
	return events.Event{VariantID: "var_" + sku, LocationID: "loc_1",
		Payload: events.StockChanged{SKU: sku, Movement: "RECEIPT", OnHand: 1, Available: 1, OnHandDelta: 1}}
}

// passOnce runs the endpoint's dispatcher pass once, as the dispatcher would.
func passOnce(t *testing.T, s *Service, id pulid.ID) (more bool) {
	t.Helper()
	ep, err := s.DB.Client.WebhookEndpoint.Get(context.Background(), id)
	require.NoError(t, err)
	more, err = s.pass(context.Background(), ep)
	require.NoError(t, err)
	return more
}

func endpoint(t *testing.T, s *Service, id pulid.ID) *ent.WebhookEndpoint {
	t.Helper()
	ep, err := s.DB.Client.WebhookEndpoint.Get(context.Background(), id)
	require.NoError(t, err)
	return ep
}

func attempts(t *testing.T, s *Service, id pulid.ID) []*ent.WebhookAttempt {
	t.Helper()
	as, err := s.DB.Client.WebhookAttempt.Query().Where(webhookattempt.EndpointID(id)).
		Order(ent.Asc(webhookattempt.FieldCreatedAt), ent.Asc(webhookattempt.FieldEventID)).All(context.Background())
	require.NoError(t, err)
	return as
}
