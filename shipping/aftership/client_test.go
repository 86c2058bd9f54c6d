package aftership_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/aftership"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

func setup(t *testing.T) (*carriersim.Sim, *aftership.Client) {
	t.Helper()
	sim := carriersim.New(carriersim.Config{AfterShipAPIKey: "as-key", AfterShipWebhookSecret: "as-secret"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	sim.SetBase(srv.URL)
	c, err := aftership.NewClient(shipping.Account{Kind: shipping.AfterShip, BaseURL: sim.AfterShipURL(), APIKey: "as-key", WebhookSecret: "as-secret"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func TestWebhooksFromTheSimulator(t *testing.T) {
	sim, c := setup(t)
	sim.AddParcel(shipping.AfterShip, "KEX1")
	start := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	promise := start.Add(72 * time.Hour)
	steps := []carriersim.Step{
		{Tag: shipping.InfoReceived, At: start},
		{Tag: shipping.InTransit, City: "Bangkok", At: start.Add(5 * time.Hour), EstimatedDelivery: promise},
		{Tag: shipping.OutForDelivery, City: "Hat Yai", At: start.Add(50 * time.Hour)},
		{Tag: shipping.Delivered, Subtag: shipping.CODCollectedSubtag, City: "Hat Yai", At: start.Add(54 * time.Hour)},
	}
	var ids []string
	for i, st := range steps {
		d, err := sim.Advance("KEX1", st)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Verify(d.Header, d.Body); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		events, err := c.Parse(d.Header, d.Body)
		if err != nil || len(events) != i+1 {
			t.Fatalf("step %d: %v, %d events", i, err, len(events))
		}
		for j, id := range ids {
			if events[j].EventID != id {
				t.Errorf("step %d: checkpoint %d changed id", i, j)
			}
		}
		last := events[i]
		ids = append(ids, last.EventID)
		if last.Tag != st.Tag || !last.OccurredAt.Equal(st.At) || last.TrackingNumber != "KEX1" {
			t.Errorf("step %d: %+v", i, last)
		}
		if i == 3 && !last.CODCollected {
			t.Error("Delivered_004 is not COD collected")
		}
		if i >= 1 && (last.EstimatedDeliveryMax == nil || !last.EstimatedDeliveryMax.Equal(promise)) {
			t.Errorf("step %d: estimate %v", i, last.EstimatedDeliveryMax)
		}
	}
	late := promise.Add(48 * time.Hour)
	d, err := sim.AfterShipEDDRevise("KEX1", late)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(d.Header, d.Body); err != nil {
		t.Fatal(err)
	}
	events, err := c.Parse(d.Header, d.Body)
	if err != nil || len(events) != 1 || events[0].EstimatedDeliveryMax == nil || !events[0].EstimatedDeliveryMax.Equal(late) {
		t.Fatalf("edd_revise: %v %+v", err, events)
	}
	if err := (aftership.Webhooks{Secret: "another"}).Verify(d.Header, d.Body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("another secret: %v", err)
	}
}

func TestTrack(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	sim.AddParcel(shipping.AfterShip, "KEX2")
	at := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	if _, err := sim.Advance("KEX2", carriersim.Step{Tag: shipping.InTransit, Subtag: "Exception_004", At: at}); err != nil {
		t.Fatal(err)
	}
	events, err := c.Track(ctx, "KEX2")
	if err != nil || len(events) != 1 || events[0].Tag != shipping.InTransit || !events[0].Delay || !events[0].OccurredAt.Equal(at) {
		t.Fatalf("Track: %v %+v", err, events)
	}
	again, err := c.Track(ctx, "KEX2")
	if err != nil || again[0].EventID != events[0].EventID {
		t.Errorf("a second pull changes the id: %v", err)
	}
	none, err := c.Track(ctx, "NOPE")
	if err != nil || len(none) != 0 {
		t.Errorf("an unknown number: %v %+v", err, none)
	}
	bad, err := aftership.NewClient(shipping.Account{BaseURL: sim.AfterShipURL(), APIKey: "wrong"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Track(ctx, "KEX2"); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("a wrong key: %v", err)
	}
	if _, err := aftership.NewClient(shipping.Account{}, nil); !errors.Is(err, shipping.ErrAccount) {
		t.Errorf("no key: %v", err)
	}
}
