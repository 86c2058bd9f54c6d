package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// A receiver that answers 500 to its first deliveries gets every event later, each once, each
// order's events in order, while the dispatcher runs on its own (events committed before and
// while it runs, several orders and events about none, deliveries concurrent).
func TestFailingReceiverGetsEverythingLaterInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const failures = 5
		r := newReceiver(t, func(n int, _ delivery, _ http.ResponseWriter) int {
			if n < failures {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		s := newService(t, db)
		s.Schedule = slices.Repeat([]time.Duration{20 * time.Millisecond}, 20)
		s.Concurrency = 4
		appendEvents(t, db, moved("ord_old", 0)) // before the endpoint: never sent
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL(), Description: "ERP"})
		require.NoError(t, err)
		r.verifyWith(secret)

		var want []*ent.Event
		for i := range 3 {
			want = append(want, appendEvents(t, db, moved("ord_a", i), moved("ord_b", i), stock(fmt.Sprint("S", i)))...)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { s.Run(ctx); close(stopped) }()
		defer func() { cancel(); <-stopped }()
		// An endpoint registered while the dispatchers run gets a dispatcher of its own.
		late := newReceiver(t, nil)
		ep2, _, err := s.Create(adminCtx(), EndpointInput{URL: late.URL(), EventTypes: []string{"order.status_changed"}})
		require.NoError(t, err)
		for i := 3; i < 6; i++ {
			want = append(want, appendEvents(t, db, moved("ord_a", i), moved("ord_c", i))...)
			s.Wake()
		}
		last := want[len(want)-1].ID
		require.Eventually(t, func() bool { // delivered, and recorded as such
			ep, err := db.Client.WebhookEndpoint.Get(context.Background(), ep.ID)
			ep2, err2 := db.Client.WebhookEndpoint.Get(context.Background(), ep2.ID)
			return err == nil && err2 == nil && ep.CursorEventID == last && ep2.CursorEventID == last
		}, within, 10*time.Millisecond)
		cancel()
		<-stopped

		require.Len(t, late.accepted(), 6, "the late endpoint got what was committed after it")
		got := r.accepted()
		ids := map[string]int{}
		for _, d := range got {
			ids[d.ID]++
		}
		require.Len(t, ids, len(want), "every event delivered")
		for _, e := range want {
			require.Equal(t, 1, ids[MessageID(e.ID)], "event %d delivered once", e.ID)
		}
		for _, order := range []string{"ord_a", "ord_b", "ord_c"} {
			var seqs []int64
			for _, d := range got {
				if d.OrderID == order {
					seqs = append(seqs, d.Sequence)
				}
			}
			require.True(t, slices.IsSorted(seqs), "%s's events in order: %v", order, seqs)
		}
		as := attempts(t, s, ep.ID)
		failed := 0
		for _, a := range as {
			if a.Outcome == webhookattempt.OutcomeFAILED {
				failed++
				require.Equal(t, http.StatusInternalServerError, a.StatusCode)
			}
		}
		require.Equal(t, failures, failed, "every failed attempt logged")
		require.Len(t, as, len(r.deliveries()), "every attempt logged")
		after := endpoint(t, s, ep.ID)
		require.Equal(t, webhookendpoint.StatusENABLED, after.Status)
		require.Zero(t, after.Attempt)
		require.Nil(t, after.FailingSince)
		require.NotNil(t, after.LastSuccessAt)
	})
}

// A failure holds back the failing order's later events, not the other orders' that were
// delivered meanwhile, and those are not sent again when the stream resumes.
func TestFailureHoldsItsOrderBackAndResumesWithoutResending(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newService(t, db)
		c := &clock{at: time.Now().UTC()}
		s.Clock = c.now
		s.Concurrency = 2
		bDone := make(chan struct{})
		failA := true
		r := newReceiver(t, func(_ int, d delivery, _ http.ResponseWriter) int {
			switch {
			case d.OrderID == "ord_b":
				close(bDone)
			case d.OrderID == "ord_a" && failA:
				// Fail only once the other order's event was delivered, so that the pass has both.
				select {
				case <-bDone:
				case <-time.After(within):
				}
				failA = false
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		})
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		r.verifyWith(secret)
		evs := appendEvents(t, db, moved("ord_a", 0), moved("ord_b", 0), moved("ord_a", 1))

		passOnce(t, s, ep.ID)
		a := filter(r.deliveries(), "ord_a")
		require.Len(t, a, 1, "ord_a's second event waits for its first")
		require.Equal(t, MessageID(evs[0].ID), a[0].ID)
		require.Equal(t, http.StatusServiceUnavailable, a[0].Status)
		require.Len(t, filter(r.deliveries(), "ord_b"), 1)
		held := endpoint(t, s, ep.ID)
		require.Equal(t, 1, held.Attempt)
		require.WithinDuration(t, c.now().Add(Spec[0]), *held.NextAttemptAt, time.Millisecond)
		require.WithinDuration(t, c.now(), *held.FailingSince, time.Millisecond)
		require.Equal(t, evs[0].ID-1, held.CursorEventID, "the cursor stays before the failed event")

		c.add(Spec[0])
		passOnce(t, s, ep.ID)
		require.Len(t, filter(r.deliveries(), "ord_b"), 1, "delivered before: not sent again")
		a = filter(r.deliveries(), "ord_a")
		require.Len(t, a, 3)
		require.Equal(t, []int64{evs[0].ID, evs[0].ID, evs[2].ID}, []int64{a[0].Sequence, a[1].Sequence, a[2].Sequence})
		healthy := endpoint(t, s, ep.ID)
		require.Zero(t, healthy.Attempt)
		require.Nil(t, healthy.NextAttemptAt)
		require.Nil(t, healthy.FailingSince)
		require.Equal(t, evs[2].ID, healthy.CursorEventID)
		nums := map[int64][]int{}
		for _, at := range attempts(t, s, ep.ID) {
			nums[at.EventID] = append(nums[at.EventID], at.Attempt)
		}
		require.Equal(t, map[int64][]int{evs[0].ID: {1, 2}, evs[1].ID: {1}, evs[2].ID: {1}}, nums)
	})
}

func filter(ds []delivery, order string) []delivery {
	var out []delivery
	for _, d := range ds {
		if d.OrderID == order {
			out = append(out, d)
		}
	}
	return out
}

// 410 disables the endpoint at once; enabled again, it resumes from the event it stopped at.
func TestGoneDisablesUntilEnabled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		gone := true
		r := newReceiver(t, func(int, delivery, http.ResponseWriter) int {
			if gone {
				return http.StatusGone
			}
			return http.StatusNoContent
		})
		s := newService(t, db)
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL(), EventTypes: []string{"order.status_changed"}})
		require.NoError(t, err)
		r.verifyWith(secret)
		evs := appendEvents(t, db, moved("ord_a", 0), stock("TEE"), moved("ord_a", 1))

		passOnce(t, s, ep.ID)
		off := endpoint(t, s, ep.ID)
		require.Equal(t, webhookendpoint.StatusDISABLED, off.Status)
		require.Contains(t, off.DisabledReason, "410")
		require.NotNil(t, off.DisabledAt)
		as := attempts(t, s, ep.ID)
		require.Len(t, as, 1)
		require.Equal(t, webhookattempt.OutcomeGONE, as[0].Outcome)
		require.Equal(t, http.StatusGone, as[0].StatusCode)
		disabled, err := db.Client.Event.Query().Where(event.Type(events.KindWebhookEndpointDisabled)).Only(context.Background())
		require.NoError(t, err)
		require.Equal(t, string(ep.ID), disabled.Data["endpointID"])

		gone = false
		on, err := s.Enable(adminCtx(), ep.ID)
		require.NoError(t, err)
		require.Equal(t, webhookendpoint.StatusENABLED, on.Status)
		require.Empty(t, on.DisabledReason)
		passOnce(t, s, ep.ID)
		got := r.accepted()
		require.Equal(t, []int64{evs[0].ID, evs[2].ID}, []int64{got[0].Sequence, got[1].Sequence},
			"resumed from the event it stopped at; the stock change is not one of its types")
		n, err := db.Client.Event.Query().Where(event.Type(events.KindWebhookEndpointEnabled)).Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, n)
	})
}

// Retry-After sets the next attempt when it is later than the schedule's; a failure past the
// schedule's end disables the endpoint.
func TestRetryAfterAndTheScheduleEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := &clock{at: time.Now().UTC().Truncate(time.Second)}
		retryAfter := "120"
		r := newReceiver(t, func(_ int, _ delivery, w http.ResponseWriter) int {
			w.Header().Set("Retry-After", retryAfter)
			return http.StatusTooManyRequests
		})
		r.ignoreTime = true
		s := newService(t, db)
		s.Clock = c.now
		s.Schedule = []time.Duration{time.Minute, 30 * time.Minute, time.Hour}
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		r.verifyWith(secret)
		appendEvents(t, db, moved("ord_a", 0))

		passOnce(t, s, ep.ID)
		require.WithinDuration(t, c.now().Add(2*time.Minute), *endpoint(t, s, ep.ID).NextAttemptAt, 0, "Retry-After in seconds")
		c.add(2 * time.Minute)
		retryAfter = c.now().Add(45 * time.Minute).Format(http.TimeFormat)
		passOnce(t, s, ep.ID)
		failing := endpoint(t, s, ep.ID)
		require.WithinDuration(t, c.now().Add(45*time.Minute), *failing.NextAttemptAt, 0, "Retry-After as an HTTP date")
		require.Equal(t, 2, failing.Attempt)
		c.add(45 * time.Minute)
		retryAfter = "1"
		passOnce(t, s, ep.ID)
		failing = endpoint(t, s, ep.ID)
		require.WithinDuration(t, c.now().Add(time.Hour), *failing.NextAttemptAt, 0, "an earlier Retry-After does not hasten it")
		c.add(time.Hour)
		passOnce(t, s, ep.ID)
		off := endpoint(t, s, ep.ID)
		require.Equal(t, webhookendpoint.StatusDISABLED, off.Status)
		require.Contains(t, off.DisabledReason, "failing since")
		require.Contains(t, off.DisabledReason, "HTTP 429")
		require.Len(t, attempts(t, s, ep.ID), 4)
	})
}

// A stream that moves past its failing head counts the failures of its new head afresh.
func TestFailuresCountPerHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := &clock{at: time.Now().UTC()}
		var failing atomic.Int64
		r := newReceiver(t, func(_ int, d delivery, _ http.ResponseWriter) int {
			if d.Sequence == failing.Load() {
				return http.StatusBadGateway
			}
			return http.StatusOK
		})
		r.ignoreTime = true
		s := newService(t, db)
		s.Clock = c.now
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		r.verifyWith(secret)
		evs := appendEvents(t, db, moved("ord_a", 0), moved("ord_a", 1))
		failing.Store(evs[0].ID)
		passOnce(t, s, ep.ID)
		c.add(Spec[0])
		passOnce(t, s, ep.ID)
		require.Equal(t, 2, endpoint(t, s, ep.ID).Attempt)
		first := *endpoint(t, s, ep.ID).FailingSince

		c.add(Spec[1])
		failing.Store(evs[1].ID)
		passOnce(t, s, ep.ID)
		moved := endpoint(t, s, ep.ID)
		require.Equal(t, evs[0].ID, moved.CursorEventID)
		require.Equal(t, 1, moved.Attempt, "the second event's first failure as the head")
		require.True(t, moved.FailingSince.After(first))
		require.WithinDuration(t, c.now().Add(Spec[0]), *moved.NextAttemptAt, time.Millisecond)
	})
}

// During a rotation's overlap every delivery verifies under the old and the new secret; after
// it, under the new one only.
func TestRotationSignsWithBothSecretsDuringTheOverlap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := &clock{at: time.Now().UTC()}
		r := newReceiver(t, nil)
		s := newService(t, db)
		s.Clock = c.now
		ep, old, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		_, fresh, err := s.Rotate(adminCtx(), ep.ID, time.Hour)
		require.NoError(t, err)
		require.NotEqual(t, old, fresh)
		r.verifyWith(old, fresh)
		appendEvents(t, db, moved("ord_a", 0))
		passOnce(t, s, ep.ID)
		require.Len(t, r.accepted(), 1)

		c.add(time.Hour + time.Second)
		r.ignoreTime = true
		r.verifyWith(fresh)
		appendEvents(t, db, moved("ord_a", 1))
		passOnce(t, s, ep.ID)
		got := r.accepted()
		require.Len(t, got, 2)
		wh, err := standardwebhooks.NewWebhook(old)
		require.NoError(t, err)
		require.NoError(t, wh.Verify(got[0].Body, got[0].Header), "during the overlap")
		require.Error(t, wh.VerifyIgnoringTimestamp(got[1].Body, got[1].Header), "the old secret expired")
		require.Len(t, strings.Fields(got[1].Header.Get("webhook-signature")), 1)
	})
}

// A private target is refused at registration unless allowed, and again when connecting (a name
// that resolved to a public address at registration and to a private one later).
func TestPrivateTargetsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		strict := newService(t, db)
		strict.AllowPrivate = false
		for _, u := range []string{"http://127.0.0.1/h", "https://10.1.2.3/h", "http://[::1]:8080/h", "http://localhost/h",
			"http://169.254.169.254/latest/meta-data", "http://0.0.0.0/h", "http://[::ffff:192.168.0.1]/h"} {
			_, _, err := strict.Create(adminCtx(), EndpointInput{URL: u})
			require.True(t, fault.Is(err, fault.InvalidArgument), "%s: %v", u, err)
			require.ErrorContains(t, err, "private address", u)
		}
		for _, u := range []string{"ftp://example.com/h", "http:///h", "https://user:pw@example.com/h", "not a url"} {
			_, _, err := strict.Create(adminCtx(), EndpointInput{URL: u})
			require.True(t, fault.Is(err, fault.InvalidArgument), "%s: %v", u, err)
		}
		n, err := db.Client.WebhookEndpoint.Query().Count(context.Background())
		require.NoError(t, err)
		require.Zero(t, n, "nothing registered")

		r := newReceiver(t, nil)
		ep, _, err := newService(t, db).Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		appendEvents(t, db, moved("ord_a", 0))
		passOnce(t, strict, ep.ID)
		require.Empty(t, r.deliveries(), "never connected")
		as := attempts(t, strict, ep.ID)
		require.Len(t, as, 1)
		require.Equal(t, webhookattempt.OutcomeREFUSED, as[0].Outcome)
		require.Contains(t, as[0].Error, "private address")
		require.Equal(t, 1, endpoint(t, strict, ep.ID).Attempt, "retried like a failure")
	})
}

// A redirect is a failed delivery, not followed.
func TestRedirectNotFollowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		target := newReceiver(t, nil)
		r := newReceiver(t, func(_ int, _ delivery, w http.ResponseWriter) int {
			w.Header().Set("Location", target.URL())
			return http.StatusTemporaryRedirect
		})
		s := newService(t, db)
		ep, _, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		appendEvents(t, db, moved("ord_a", 0))
		passOnce(t, s, ep.ID)
		require.Len(t, r.deliveries(), 1)
		require.Empty(t, target.deliveries(), "the redirect was not followed")
		as := attempts(t, s, ep.ID)
		require.Len(t, as, 1)
		require.Equal(t, webhookattempt.OutcomeFAILED, as[0].Outcome)
		require.Equal(t, http.StatusTemporaryRedirect, as[0].StatusCode)
		require.Contains(t, as[0].Error, "not followed")
		require.Equal(t, 1, endpoint(t, s, ep.ID).Attempt)
	})
}

// An admin's redelivery sends the event again with the same webhook-id, logged as a redelivery;
// a disabled endpoint refuses it.
func TestRedeliver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		r := newReceiver(t, nil)
		s := newService(t, db)
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL(), EventTypes: []string{"order.status_changed"}})
		require.NoError(t, err)
		r.verifyWith(secret)
		evs := appendEvents(t, db, moved("ord_a", 0), stock("TEE"))
		passOnce(t, s, ep.ID)

		require.NoError(t, s.redeliver(context.Background(), RedeliverArgs{EndpointID: ep.ID, EventID: evs[0].ID}))
		got := r.accepted()
		require.Len(t, got, 2)
		require.Equal(t, got[0].ID, got[1].ID, "the same webhook-id")
		as := attempts(t, s, ep.ID)
		require.Len(t, as, 2)
		require.True(t, as[1].Redelivery)
		require.Equal(t, 2, as[1].Attempt)

		err = s.Redeliver(adminCtx(), ep.ID, evs[1].ID)
		require.True(t, fault.Is(err, fault.InvalidArgument), "not one of its types: %v", err)
		err = s.Redeliver(adminCtx(), ep.ID, evs[1].ID+1000)
		require.True(t, fault.Is(err, fault.NotFound), "%v", err)
		_, err = s.Disable(adminCtx(), ep.ID, "maintenance")
		require.NoError(t, err)
		err = s.Redeliver(adminCtx(), ep.ID, evs[0].ID)
		require.True(t, fault.Is(err, fault.Conflict), "%v", err)
	})
}

// Registration: a new endpoint starts at the log's head; unknown types are refused; updates and
// deletion.
func TestEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newService(t, db)
		r := newReceiver(t, nil)
		before := appendEvents(t, db, moved("ord_a", 0))
		_, _, err := s.Create(adminCtx(), EndpointInput{URL: r.URL(), EventTypes: []string{"order.placed", "hold.created"}})
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL(), EventTypes: []string{"shipment.created", "order.placed"}})
		require.NoError(t, err)
		_, err = ParseSecret(secret)
		require.NoError(t, err)
		require.Equal(t, []string{"order.placed", "shipment.created"}, ep.EventTypes)
		require.Equal(t, before[0].ID, ep.CursorEventID, "starts after what was already in the log")
		require.NotContains(t, string(ep.Secret), secret[len(SecretPrefix):], "sealed")

		url := r.URL() + "?v=2"
		all := []string{}
		up, err := s.Update(adminCtx(), ep.ID, EndpointUpdate{URL: &url, EventTypes: &all})
		require.NoError(t, err)
		require.Equal(t, url, up.URL)
		require.Empty(t, up.EventTypes)
		bad := []string{"nope"}
		_, err = s.Update(adminCtx(), ep.ID, EndpointUpdate{URL: &url, EventTypes: &bad})
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		require.Empty(t, endpoint(t, s, ep.ID).EventTypes, "bad input changes nothing")

		require.NoError(t, s.Delete(adminCtx(), ep.ID))
		require.True(t, fault.Is(s.Delete(adminCtx(), ep.ID), fault.NotFound))
		_, err = s.Enable(adminCtx(), ep.ID)
		require.True(t, fault.Is(err, fault.NotFound), "%v", err)
		_, err = s.Update(adminCtx(), "ord_1", EndpointUpdate{URL: &url})
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
	})
}

// A redelivery asked for through the API runs as a job on the queue the service registers with.
func TestRedeliverThroughTheQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		r := newReceiver(t, nil)
		s := newService(t, db)
		workers := river.NewWorkers()
		s.Register(workers)
		q, err := jobs.New(db, jobs.Config{Workers: workers, PollInterval: 20 * time.Millisecond})
		require.NoError(t, err)
		s.Queue = q
		require.NoError(t, q.Start(context.Background()))
		t.Cleanup(func() { require.NoError(t, q.Stop(context.Background())) })
		ep, secret, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		r.verifyWith(secret)
		evs := appendEvents(t, db, moved("ord_a", 0))

		require.NoError(t, s.Redeliver(adminCtx(), ep.ID, evs[0].ID))
		require.Eventually(t, func() bool {
			n, err := db.Client.WebhookAttempt.Query().Where(webhookattempt.Redelivery(true)).Count(context.Background())
			return err == nil && n == 1
		}, within, 10*time.Millisecond)
		require.Len(t, r.accepted(), 1)
		require.Equal(t, MessageID(evs[0].ID), r.accepted()[0].ID)
	})
}

// A receiver that does not answer within the timeout fails the delivery.
func TestTimeoutIsAFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		release := make(chan struct{})
		defer close(release)
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			select {
			case <-req.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(slow.Close)
		s := newService(t, db)
		s.Timeout = 50 * time.Millisecond
		ep, _, err := s.Create(adminCtx(), EndpointInput{URL: slow.URL})
		require.NoError(t, err)
		appendEvents(t, db, moved("ord_a", 0))
		passOnce(t, s, ep.ID)
		as := attempts(t, s, ep.ID)
		require.Len(t, as, 1)
		require.Equal(t, webhookattempt.OutcomeFAILED, as[0].Outcome)
		require.Zero(t, as[0].StatusCode)
		require.Contains(t, as[0].Error, "Timeout")
		require.Equal(t, 1, endpoint(t, s, ep.ID).Attempt)
	})
}
