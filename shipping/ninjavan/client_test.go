package ninjavan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/shipping/ninjavan"
)

var (
	warehouse = shipping.Party{Name: "Ordo SG", Phone: "+6561234567", Line1: "30 Pioneer Rd", City: "Singapore", PostalCode: "628502", Country: "SG"}
	buyer     = shipping.Party{Name: "Tan Mei Ling", Phone: "+6598765432", Email: "mei@example.com", Line1: "5 Orchard Rd", Line2: "#12-01", City: "Singapore", PostalCode: "238823", Country: "sg"}
	box       = shipping.Parcel{WeightGrams: 1200, LengthMM: 300, WidthMM: 200, HeightMM: 150}
)

func setup(t *testing.T) (*carriersim.Sim, *ninjavan.Client) {
	t.Helper()
	sim := carriersim.New(carriersim.Config{NinjaVanClientID: "nv-id", NinjaVanClientSecret: "nv-secret"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	sim.SetBase(srv.URL)
	c, err := ninjavan.NewClient(shipping.Account{Kind: shipping.NinjaVan, BaseURL: sim.NinjaVanURL(), ClientID: "nv-id", ClientSecret: "nv-secret", CountryCode: "SG"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func calls(sim *carriersim.Sim, method, prefix string) []carriersim.Call {
	var out []carriersim.Call
	for _, c := range sim.Calls() {
		if c.Method == method && strings.HasPrefix(c.Path, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func TestNewClientNeedsTheAccount(t *testing.T) {
	for _, a := range []shipping.Account{
		{ClientID: "id", ClientSecret: "s"},
		{ClientID: "id", ClientSecret: "s", CountryCode: "us"},
		{ClientSecret: "s", CountryCode: "sg"},
	} {
		if _, err := ninjavan.NewClient(a, nil); !errors.Is(err, shipping.ErrAccount) {
			t.Errorf("NewClient(%+v) = %v", a, err)
		}
	}
}

func TestCreateLabel(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	label, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "shp_ordo9", From: warehouse, To: buyer,
		Parcels: []shipping.Parcel{box, box}, COD: shipping.Money{Amount: 1250, Currency: "SGD"}, Service: "express"})
	if err != nil {
		t.Fatal(err)
	}
	if len(label.TrackingNumbers) != 2 || label.CarrierRef != strings.Join(label.TrackingNumbers, ",") || label.Service != "Express" {
		t.Fatalf("label %+v", label)
	}
	d := label.Documents[0]
	if len(label.Documents) != 1 || d.Format != shipping.PDF || !bytes.HasPrefix(d.Body, []byte("%PDF-")) {
		t.Fatalf("documents %+v", label.Documents)
	}
	for _, tn := range label.TrackingNumbers {
		if !strings.HasPrefix(tn, "NVSG") || !bytes.Contains(d.Body, []byte(tn)) {
			t.Errorf("waybill lacks %s", tn)
		}
	}
	orders := calls(sim, "POST", "/ninjavan/sg/4.2/orders")
	if len(orders) != 2 {
		t.Fatalf("%d orders booked", len(orders))
	}
	var first, second map[string]any
	if err := json.Unmarshal(orders[0].Body, &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(orders[1].Body, &second); err != nil {
		t.Fatal(err)
	}
	job := first["parcel_job"].(map[string]any)
	dims := job["dimensions"].(map[string]any)
	if job["cash_on_delivery"] != 12.5 || dims["weight"] != 1.2 || dims["length"] != 30.0 || job["is_pickup_required"] != false {
		t.Errorf("first order's parcel job: %v", job)
	}
	if _, ok := second["parcel_job"].(map[string]any)["cash_on_delivery"]; ok {
		t.Error("the cash is collected on both parcels")
	}
	to := first["to"].(map[string]any)["address"].(map[string]any)
	if to["country"] != "SG" || to["postcode"] != "238823" || to["address2"] != "#12-01" || first["reference"].(map[string]any)["merchant_order_number"] != "shp_ordo9-1" {
		t.Errorf("first order: %s", orders[0].Body)
	}
	if n := len(calls(sim, "POST", "/ninjavan/sg/2.0/oauth/access_token")); n != 1 {
		t.Errorf("%d token requests for one label; the token is not kept", n)
	}
	if w := calls(sim, "GET", "/ninjavan/sg/2.0/reports/waybill"); len(w) != 1 || !strings.Contains(w[0].Path, "tids=") {
		t.Errorf("waybill calls %+v", w)
	}
}

func TestExpiredTokenIsReplaced(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	req := shipping.LabelRequest{Reference: "a", From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}}
	if _, err := c.CreateLabel(ctx, req); err != nil {
		t.Fatal(err)
	}
	sim.ExpireTokens()
	if _, err := c.CreateLabel(ctx, req); err != nil {
		t.Fatalf("after the token expired: %v", err)
	}
	if n := len(calls(sim, "POST", "/ninjavan/sg/2.0/oauth/access_token")); n != 2 {
		t.Errorf("%d token requests; want a second after the first was refused", n)
	}
}

func TestCancel(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	label, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "b", From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CancelLabel(ctx, label.CarrierRef); err != nil {
		t.Fatal(err)
	}
	if p, _ := sim.Parcel(label.TrackingNumbers[0]); !p.Cancelled {
		t.Error("not cancelled in the simulator")
	}
	picked, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "c", From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Advance(picked.TrackingNumbers[0], carriersim.Step{Tag: shipping.InTransit}); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelLabel(ctx, picked.CarrierRef); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("cancel after pickup: %v", err)
	}
	if err := c.CancelLabel(ctx, "NVSGNOSUCH"); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("cancel of an unknown order: %v", err)
	}
}

func TestRefusalsAndUnsupported(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	if _, err := c.CreateLabel(ctx, shipping.LabelRequest{From: warehouse, To: buyer, Parcels: []shipping.Parcel{{}}}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("a weightless parcel: %v", err)
	}
	if _, err := c.CreateLabel(ctx, shipping.LabelRequest{From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}, Service: "Teleport"}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("an unknown service level: %v", err)
	}
	if _, err := c.Rates(ctx, shipping.RateRequest{}); !errors.Is(err, shipping.ErrUnsupported) {
		t.Errorf("rates: %v", err)
	}
	if _, err := c.Track(ctx, "NV1"); !errors.Is(err, shipping.ErrUnsupported) {
		t.Errorf("track: %v", err)
	}
	bad, err := ninjavan.NewClient(shipping.Account{BaseURL: sim.NinjaVanURL(), ClientID: "nv-id", ClientSecret: "wrong", CountryCode: "sg"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.CreateLabel(ctx, shipping.LabelRequest{From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("wrong credentials: %v", err)
	}
}

func TestSimulatorWebhooks(t *testing.T) {
	sim, c := setup(t)
	label, err := c.CreateLabel(context.Background(), shipping.LabelRequest{Reference: "d", From: warehouse, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	tn := label.TrackingNumbers[0]
	start := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	for i, c2 := range []struct {
		step  carriersim.Step
		event string
		rts   bool
	}{
		{carriersim.Step{Tag: shipping.InfoReceived}, "Pending Pickup", false},
		{carriersim.Step{Tag: shipping.InTransit}, "Picked Up, In Transit to Origin Hub", false},
		{carriersim.Step{Tag: shipping.InTransit, City: "Tuas"}, "Arrived at Transit Hub", false},
		{carriersim.Step{Tag: shipping.OutForDelivery}, "On Vehicle for Delivery", false},
		{carriersim.Step{Tag: shipping.AttemptFail, Message: "Nobody at Location"}, "Delivery Exception, Pending Reschedule", false},
		{carriersim.Step{Tag: shipping.Exception, ReturnToSender: true}, "Returned to Sender", true},
	} {
		c2.step.At = start.Add(time.Duration(i) * time.Hour)
		d, err := sim.Advance(tn, c2.step)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Verify(d.Header, d.Body); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		events, err := c.Parse(d.Header, d.Body)
		if err != nil || len(events) != 1 {
			t.Fatalf("step %d: %v %+v", i, err, events)
		}
		e := events[0]
		if e.Tag != c2.step.Tag || e.RawStatus != c2.event || e.ReturnToSender != c2.rts || !e.OccurredAt.Equal(c2.step.At) || e.TrackingNumber != tn {
			t.Errorf("step %d: %+v", i, e)
		}
		d.Body = bytes.Replace(d.Body, []byte(tn), []byte(tn+"X"), 1)
		if err := c.Verify(d.Header, d.Body); !errors.Is(err, shipping.ErrBadSignature) {
			t.Errorf("step %d: a forged tracking id: %v", i, err)
		}
	}
}
