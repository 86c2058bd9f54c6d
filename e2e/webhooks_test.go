package e2e_test

// Must-show 3 (issue 11): partner webhooks over real HTTP, registered through GraphQL, each delivery
// verified on the receiving side by the Standard Webhooks reference library.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

// hookWait bounds every wait for a delivery: retries are on a schedule of milliseconds here.
const hookWait = 30 * time.Second

// hookSchedule replaces the spec's retry schedule (5 s … 24 h) so that the test's retries come at once.
var hookSchedule = []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond,
	80 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}

// hookDelivery is one delivery a receiver accepted.
type hookDelivery struct {
	ID       string // webhook-id
	Type     string
	OrderID  string
	Sequence int64
}

// hookReceiver is a partner's endpoint. It verifies every delivery with the reference library under
// each secret it trusts (during a rotation, the old and the new: both must verify), answers 500 to
// its next `failing` deliveries and then `status` (200 unless set), and keeps what it accepted in
// the order it arrived.
type hookReceiver struct {
	*httptest.Server
	t        *testing.T
	mu       sync.Mutex
	secrets  []*standardwebhooks.Webhook
	failing  int
	status   int
	accepted []hookDelivery
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{t: t, status: http.StatusOK}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.secrets) == 0 {
		r.t.Errorf("a delivery before the endpoint was registered: %s", body)
	}
	for i, wh := range r.secrets {
		if err := wh.Verify(body, req.Header); err != nil {
			r.t.Errorf("delivery %s does not verify with secret %d of %d: %v", req.Header.Get("webhook-id"), i+1, len(r.secrets), err)
		}
	}
	var msg struct {
		Type      string
		Timestamp time.Time
		Version   int
		Data      struct {
			EventID  string
			Sequence int64
			OrderID  string
		}
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		r.t.Errorf("delivery body %s: %v", body, err)
	}
	id := req.Header.Get("webhook-id")
	if want := "evt_" + strconv.FormatInt(msg.Data.Sequence, 10); id != want || msg.Data.EventID != want || msg.Version != 1 || msg.Timestamp.IsZero() {
		r.t.Errorf("delivery %s: webhook-id, eventId and sequence disagree, or no version or timestamp: %s", id, body)
	}
	switch {
	case r.failing > 0:
		r.failing--
		w.WriteHeader(http.StatusInternalServerError)
	case r.status != http.StatusOK:
		w.WriteHeader(r.status)
	default:
		r.accepted = append(r.accepted, hookDelivery{ID: id, Type: msg.Type, OrderID: msg.Data.OrderID, Sequence: msg.Data.Sequence})
	}
}

// trust adds a secret every later delivery must verify with.
func (r *hookReceiver) trust(t *testing.T, secret string) {
	wh, err := standardwebhooks.NewWebhook(secret)
	require.NoError(t, err)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, wh)
}

// fail makes the receiver answer 500 to its next n deliveries.
func (r *hookReceiver) fail(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failing = n
}

// answer sets what the receiver answers once its failures are spent.
func (r *hookReceiver) answer(status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = status
}

func (r *hookReceiver) got() []hookDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.accepted)
}

const (
	hookCreate = `mutation($in: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $in) { secret endpoint { id status url eventTypes } } }`
	hookRead   = `query { webhookEndpoints(first: 10) { totalCount edges { node { id url status disabledReason attempt failingSince lastSuccessAt
		all: deliveries(first: 1) { totalCount edges { node { eventID redelivery outcome } } }
		delivered: deliveries(first: 100, outcome: DELIVERED) { totalCount edges { node { eventID eventType orderID statusCode latencyMs } } }
		failed: deliveries(first: 100, outcome: FAILED) { totalCount edges { node { eventID statusCode latencyMs response } } }
		gone: deliveries(first: 100, outcome: GONE) { totalCount edges { node { eventID statusCode } } } } } } }`
	hookPlace = `mutation($sku: String!) { placeOrder(input: {lines: [{sku: $sku, quantity: 1}], paid: true,
		customer: {email: "partner-hooks@example.com"}}) { order { id } } }`
)

type hookAttempt struct {
	EventID    int64
	EventType  string
	OrderID    string
	Redelivery bool
	Outcome    string
	StatusCode int
	LatencyMs  int
	Response   string
}

type hookAttempts struct {
	TotalCount int
	Edges      []struct{ Node hookAttempt }
}

type hookEndpoint struct {
	ID                          pulid.ID
	URL, Status, DisabledReason string
	Attempt                     int
	FailingSince, LastSuccessAt *time.Time
	// The endpoint's deliveries (hookRead's aliases): the newest one, and those of each outcome.
	All, Delivered, Failed, Gone hookAttempts
}

// hookEndpoints reads the endpoints through GraphQL, by id.
func hookEndpoints(t *testing.T, admin *ordotest.Client) map[pulid.ID]hookEndpoint {
	t.Helper()
	var out struct {
		WebhookEndpoints struct {
			Edges []struct{ Node hookEndpoint }
		}
	}
	admin.MustDo(t, hookRead, nil, &out)
	m := map[pulid.ID]hookEndpoint{}
	for _, e := range out.WebhookEndpoints.Edges {
		m[e.Node.ID] = e.Node
	}
	return m
}

// hookRegister creates an endpoint for r through GraphQL and makes r trust its secret.
func hookRegister(t *testing.T, admin *ordotest.Client, r *hookReceiver, types ...string) pulid.ID {
	t.Helper()
	var out struct {
		CreateWebhookEndpoint struct {
			Secret   string
			Endpoint struct {
				ID         pulid.ID
				Status     string
				EventTypes []string
			}
		}
	}
	admin.MustDo(t, hookCreate, map[string]any{"in": map[string]any{"url": r.URL + "/ordo", "description": "partner", "eventTypes": types}}, &out)
	c := out.CreateWebhookEndpoint
	require.Equal(t, "ENABLED", c.Endpoint.Status)
	require.ElementsMatch(t, types, c.Endpoint.EventTypes)
	r.trust(t, c.Secret)
	return c.Endpoint.ID
}

// hookExpected is the events of types written after event id since, oldest first: what an
// endpoint registered then for those types must receive.
func hookExpected(t *testing.T, srv *ordotest.Server, since int64, types ...string) []*ent.Event {
	t.Helper()
	evs, err := srv.Inst.DB.Client.Event.Query().Where(event.IDGT(since), event.TypeIn(types...)).Order(ent.Asc(event.FieldID)).All(context.Background())
	require.NoError(t, err)
	return evs
}

// lastEventID is the newest event's id (0 for none).
func lastEventID(t *testing.T, srv *ordotest.Server) int64 {
	t.Helper()
	e, err := srv.Inst.DB.Client.Event.Query().Order(ent.Desc(event.FieldID)).First(context.Background())
	if ent.IsNotFound(err) {
		return 0
	}
	require.NoError(t, err)
	return e.ID
}

// TestWebhooks registers endpoints through GraphQL and drives real deliveries to receivers that
// verify each with the reference library:
//   - a private target is refused at registration when private targets are not allowed;
//   - a receiver that answers 500 to its first three deliveries gets every event of its types later,
//     exactly once, each order's events in order; the failures are logged with their status;
//   - a redelivery sends the same webhook-id once more;
//   - after a rotation, deliveries verify with the old secret and with the new one;
//   - an endpoint answering 410 is disabled, and an admin enabling it resumes its deliveries.
func TestWebhooks(t *testing.T) {
	// The receivers are on loopback: the delivery client must be allowed to connect there (as
	// `ordo serve --dev` is), which it learns once, from the configuration, when the server starts.
	t.Setenv("ORDO_WEBHOOK_ALLOW_PRIVATE", "true")
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		loc := srv.Location(t, "WH-HOOKS", 1).ID
		srv.SKU(t, "HOOK-1", map[pulid.ID]int64{loc: 100})
		hooks := srv.Inst.Webhooks

		// A loopback receiver is a private target: refused at registration while private targets
		// are not allowed (the knob registration reads), and nothing is written.
		hooks.AllowPrivate = false
		rcv := newHookReceiver(t)
		res, err := admin.Do(context.Background(), hookCreate, map[string]any{"in": map[string]any{"url": rcv.URL}})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%+v", res.Errors)
		require.Contains(t, res.Errors[0].Message, "private")
		require.Empty(t, hookEndpoints(t, admin))

		// Allowed again, with a retry schedule of milliseconds.
		hooks.AllowPrivate, hooks.Schedule = true, hookSchedule
		types := []string{events.KindOrderPlaced, events.KindStatusChanged}
		rcv.fail(3) // before any delivery can reach it: registering is what starts them
		since := lastEventID(t, srv)
		ep := hookRegister(t, admin, rcv, types...)

		// Only admins read endpoints, however they reach them.
		res, err = srv.Client(srv.Key(t, auth.Operator, nil)).Do(context.Background(),
			`query($id: ID!) { node(id: $id) { id ... on WebhookEndpoint { url } } }`, map[string]any{"id": ep})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code(), "%+v", res.Errors)
		require.NotContains(t, string(res.Data), rcv.URL)

		// Five orders, each placed, held, released and shipped: four or more events each, in order.
		orders := map[string]bool{}
		for range 5 {
			var placed struct {
				PlaceOrder struct{ Order struct{ ID string } }
			}
			admin.MustDo(t, hookPlace, map[string]any{"sku": "HOOK-1"}, &placed)
			id := placed.PlaceOrder.Order.ID
			orders[id] = true
			for _, cmd := range []string{"holdOrder", "releaseOrderHold", "shipOrder"} {
				admin.MustDo(t, accessCommand(cmd), map[string]any{"id": id}, nil)
			}
		}
		want := hookExpected(t, srv, since, types...)
		require.GreaterOrEqual(t, len(want), 20)
		require.Eventually(t, func() bool { return len(rcv.got()) >= len(want) }, hookWait, 10*time.Millisecond,
			"the receiver got %d of %d events", len(rcv.got()), len(want))

		got := rcv.got()
		wantIDs := make([]string, len(want))
		for i, e := range want {
			wantIDs[i] = "evt_" + strconv.FormatInt(e.ID, 10)
		}
		gotIDs := make([]string, len(got))
		last := map[string]int64{}
		for i, d := range got {
			gotIDs[i] = d.ID
			require.True(t, orders[d.OrderID], "delivery %s is about order %q, not one of the test's", d.ID, d.OrderID)
			require.Greater(t, d.Sequence, last[d.OrderID], "order %s: event %d delivered after %d", d.OrderID, d.Sequence, last[d.OrderID])
			last[d.OrderID] = d.Sequence
		}
		require.ElementsMatch(t, wantIDs, gotIDs, "every event of the endpoint's types, each once")

		// The log: three failures (500) and one delivery per event; the endpoint is healthy again.
		require.Eventually(t, func() bool { return hookEndpoints(t, admin)[ep].Delivered.TotalCount == len(want) }, hookWait, 10*time.Millisecond)
		e := hookEndpoints(t, admin)[ep]
		require.Equal(t, "ENABLED", e.Status)
		require.Zero(t, e.Attempt)
		require.Nil(t, e.FailingSince)
		require.NotNil(t, e.LastSuccessAt)
		require.Equal(t, 3, e.Failed.TotalCount)
		for _, a := range e.Failed.Edges {
			require.Equal(t, http.StatusInternalServerError, a.Node.StatusCode)
			require.GreaterOrEqual(t, a.Node.LatencyMs, 0)
		}
		for _, a := range e.Delivered.Edges {
			require.Equal(t, http.StatusOK, a.Node.StatusCode)
			require.Contains(t, types, a.Node.EventType)
			require.True(t, orders[a.Node.OrderID])
		}

		// A redelivery: one more POST of the same event, with the same webhook-id, logged as such.
		admin.MustDo(t, `mutation($id: ID!, $ev: Int64!) { redeliverWebhook(input: {endpointID: $id, eventID: $ev}) { queued } }`,
			map[string]any{"id": ep, "ev": want[0].ID}, nil)
		require.Eventually(t, func() bool { return len(rcv.got()) == len(want)+1 }, hookWait, 10*time.Millisecond)
		require.Equal(t, wantIDs[0], rcv.got()[len(want)].ID)
		require.Eventually(t, func() bool {
			all := hookEndpoints(t, admin)[ep].All.Edges
			return len(all) == 1 && all[0].Node.Redelivery && all[0].Node.EventID == want[0].ID && all[0].Node.Outcome == "DELIVERED"
		}, hookWait, 10*time.Millisecond, "the newest attempt is the redelivery")

		// A rotation: during the overlap every delivery carries both signatures.
		var rot struct {
			RotateWebhookSecret struct {
				Secret   string
				Endpoint struct{ PreviousSecretExpiresAt *time.Time }
			}
		}
		admin.MustDo(t, `mutation($id: ID!) { rotateWebhookSecret(input: {id: $id, overlapSeconds: 3600}) { secret endpoint { previousSecretExpiresAt } } }`,
			map[string]any{"id": ep}, &rot)
		require.NotNil(t, rot.RotateWebhookSecret.Endpoint.PreviousSecretExpiresAt)
		rcv.trust(t, rot.RotateWebhookSecret.Secret) // from now on: old and new must both verify
		since = lastEventID(t, srv)
		admin.MustDo(t, hookPlace, map[string]any{"sku": "HOOK-1"}, nil)
		rotated := hookExpected(t, srv, since, types...)
		require.NotEmpty(t, rotated)
		require.Eventually(t, func() bool { return len(rcv.got()) == len(want)+1+len(rotated) }, hookWait, 10*time.Millisecond)

		// 410 Gone: the endpoint is disabled at once; enabled by an admin, it resumes where it stopped.
		// It takes order edits, of which the store has none yet: its one event is the edit below,
		// however far behind other transactions on the database server hold the settled head.
		gone := newHookReceiver(t)
		gone.answer(http.StatusGone)
		ep2 := hookRegister(t, admin, gone, events.KindOrderEdited)
		var order struct {
			PlaceOrder struct{ Order struct{ ID string } }
		}
		admin.MustDo(t, hookPlace, map[string]any{"sku": "HOOK-1"}, &order)
		admin.MustDo(t, `mutation($id: ID!) { editOrder(input: {orderID: $id, shippingMethod: "EXPRESS"}) { order { id } } }`,
			map[string]any{"id": order.PlaceOrder.Order.ID}, nil)
		placed := hookExpected(t, srv, 0, events.KindOrderEdited)
		require.Len(t, placed, 1)
		require.Eventually(t, func() bool { return hookEndpoints(t, admin)[ep2].Status == "DISABLED" }, hookWait, 10*time.Millisecond)
		e2 := hookEndpoints(t, admin)[ep2]
		require.NotEmpty(t, e2.DisabledReason)
		require.Equal(t, 1, e2.Gone.TotalCount)
		require.Equal(t, http.StatusGone, e2.Gone.Edges[0].Node.StatusCode)
		require.Empty(t, gone.got())
		res, err = admin.Do(context.Background(), `mutation($id: ID!, $ev: Int64!) { redeliverWebhook(input: {endpointID: $id, eventID: $ev}) { queued } }`,
			map[string]any{"id": ep2, "ev": placed[0].ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code(), "a disabled endpoint gets no redelivery: %+v", res.Errors)

		gone.answer(http.StatusOK)
		var enabled struct {
			EnableWebhookEndpoint struct{ Endpoint struct{ Status string } }
		}
		admin.MustDo(t, `mutation($id: ID!) { enableWebhookEndpoint(input: {id: $id}) { endpoint { status } } }`, map[string]any{"id": ep2}, &enabled)
		require.Equal(t, "ENABLED", enabled.EnableWebhookEndpoint.Endpoint.Status)
		require.Eventually(t, func() bool { return len(gone.got()) == 1 }, hookWait, 10*time.Millisecond)
		require.Equal(t, "evt_"+strconv.FormatInt(placed[0].ID, 10), gone.got()[0].ID)

		// An update changes what is sent from now on; an unknown event type is refused.
		var upd struct {
			UpdateWebhookEndpoint struct{ Endpoint struct{ EventTypes []string } }
		}
		admin.MustDo(t, `mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, eventTypes: []}) { endpoint { eventTypes } } }`,
			map[string]any{"id": ep2}, &upd)
		require.Empty(t, upd.UpdateWebhookEndpoint.Endpoint.EventTypes, "no types: all of them")
		res, err = admin.Do(context.Background(), `mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, eventTypes: ["order.teleported"]}) { endpoint { id } } }`,
			map[string]any{"id": ep2})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%+v", res.Errors)

		// Deleting an endpoint takes it and its log away.
		var del struct{ DeleteWebhookEndpoint struct{ DeletedID pulid.ID } }
		admin.MustDo(t, `mutation($id: ID!) { deleteWebhookEndpoint(input: {id: $id}) { deletedID } }`, map[string]any{"id": ep2}, &del)
		require.Equal(t, ep2, del.DeleteWebhookEndpoint.DeletedID)
		require.NotContains(t, hookEndpoints(t, admin), ep2)
		srv.Audit(t)
	})
}
