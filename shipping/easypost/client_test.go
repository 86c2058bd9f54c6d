package easypost_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/shipping/easypost"
)

var (
	bangkok = shipping.Party{Name: "Ordo Warehouse", Phone: "+6620000000", Line1: "1 Sukhumvit Rd", City: "Bangkok", PostalCode: "10110", Country: "TH"}
	buyer   = shipping.Party{Name: "Somchai", Phone: "+66812345678", Line1: "99 Nimman Rd", City: "Chiang Mai", PostalCode: "50200", Country: "TH"}
	box     = shipping.Parcel{WeightGrams: 1000, LengthMM: 300, WidthMM: 200, HeightMM: 100, Reference: "pkg_1"}
)

func setup(t *testing.T) (*carriersim.Sim, *easypost.Client) {
	t.Helper()
	sim := carriersim.New(carriersim.Config{EasyPostAPIKey: "EZTK_sim", EasyPostWebhookSecret: "sécret"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	sim.SetBase(srv.URL)
	c, err := easypost.NewClient(shipping.Account{Kind: shipping.EasyPost, BaseURL: sim.EasyPostURL(), APIKey: "EZTK_sim", WebhookSecret: "sécret"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func TestNewClientNeedsAKey(t *testing.T) {
	if _, err := easypost.NewClient(shipping.Account{Kind: shipping.EasyPost}, nil); !errors.Is(err, shipping.ErrAccount) {
		t.Fatalf("NewClient without a key: %v", err)
	}
}

func TestRates(t *testing.T) {
	_, c := setup(t)
	rates, err := c.Rates(context.Background(), shipping.RateRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	// 1000 g is 35.3 oz, which the simulator prices as 36 oz: 4.00 + 0.25/oz, 9.00 + 0.30/oz, 8.00 + 0.40/oz.
	want := []struct {
		carrier, service string
		amount           int64
		days             int
	}{{"USPS", "GroundAdvantage", 1300, 5}, {"FedEx", "FEDEX_GROUND", 1980, 4}, {"USPS", "Priority", 2240, 2}}
	if len(rates) != len(want) {
		t.Fatalf("%d rates: %+v", len(rates), rates)
	}
	for i, w := range want {
		r := rates[i]
		if r.Carrier != w.carrier || r.Service != w.service || r.Amount != w.amount || r.Currency != "USD" || r.EstDays != w.days || !strings.HasPrefix(r.ID, "rate_") {
			t.Errorf("rate %d: %+v, want %+v", i, r, w)
		}
	}
	two, err := c.Rates(context.Background(), shipping.RateRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box, box}})
	if err != nil {
		t.Fatal(err)
	}
	if two[0].Amount != 2600 || two[0].ID != "" {
		t.Errorf("two parcels: %+v; want the sum (2600) and no single rate id", two[0])
	}
}

func TestCreateLabelAndCancel(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	label, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "shp_ordo1", From: bangkok, To: buyer,
		Parcels: []shipping.Parcel{box, {WeightGrams: 200, LengthMM: 100, WidthMM: 100, HeightMM: 50}}, Service: "Priority"})
	if err != nil {
		t.Fatal(err)
	}
	if len(label.TrackingNumbers) != 2 || label.TrackingNumbers[0] == label.TrackingNumbers[1] {
		t.Fatalf("tracking numbers %v", label.TrackingNumbers)
	}
	// 36 oz and 7.1 → 8 oz at 8.00 + 0.40/oz.
	if label.Carrier != "USPS" || label.Service != "Priority" || label.Amount != 2240+1120 || label.Currency != "USD" {
		t.Errorf("label %+v", label)
	}
	refs := strings.Split(label.CarrierRef, ",")
	if len(refs) != 2 || len(label.Documents) != 2 {
		t.Fatalf("carrier ref %q, %d documents", label.CarrierRef, len(label.Documents))
	}
	for i, d := range label.Documents {
		if d.Format != shipping.PDF || d.ContentType != "application/pdf" || !bytes.HasPrefix(d.Body, []byte("%PDF-")) ||
			!bytes.Contains(d.Body, []byte(label.TrackingNumbers[i])) || d.URL == "" {
			t.Errorf("document %d: %s %s %q", i, d.Format, d.ContentType, d.Body)
		}
	}
	for i, tn := range label.TrackingNumbers {
		p, ok := sim.Parcel(tn)
		if !ok || p.Ref != refs[i] || p.Service != "Priority" || p.Reference != "shp_ordo1-"+string(rune('1'+i)) {
			t.Errorf("parcel %d in the simulator: %+v", i, p)
		}
	}
	if err := c.CancelLabel(ctx, label.CarrierRef); err != nil {
		t.Fatal(err)
	}
	for _, tn := range label.TrackingNumbers {
		if p, _ := sim.Parcel(tn); !p.Cancelled {
			t.Errorf("%s not refunded", tn)
		}
	}
}

func TestCancelAfterPickupIsRefused(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	label, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "shp_2", From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	if label.Service != "GroundAdvantage" {
		t.Errorf("no service asked: bought %s, want the cheapest", label.Service)
	}
	if _, err := sim.Advance(label.TrackingNumbers[0], carriersim.Step{Tag: shipping.InTransit, City: "Oakland"}); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelLabel(ctx, label.CarrierRef); !errors.Is(err, shipping.ErrRefused) {
		t.Fatalf("cancel after pickup: %v", err)
	}
}

func TestZPLLabel(t *testing.T) {
	_, c := setup(t)
	label, err := c.CreateLabel(context.Background(), shipping.LabelRequest{Reference: "shp_3", From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}, Format: shipping.ZPL})
	if err != nil {
		t.Fatal(err)
	}
	d := label.Documents[0]
	if d.Format != shipping.ZPL || d.ContentType != "application/zpl" || !bytes.HasPrefix(d.Body, []byte("^XA")) || !bytes.Contains(d.Body, []byte(label.TrackingNumbers[0])) {
		t.Errorf("ZPL document: %+v", d)
	}
}

func TestRefusals(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	if _, err := c.CreateLabel(ctx, shipping.LabelRequest{From: bangkok, To: shipping.Party{Country: "TH"}, Parcels: []shipping.Parcel{box}}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("no street: %v", err)
	}
	if _, err := c.CreateLabel(ctx, shipping.LabelRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}, Service: "Teleport"}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("unknown service: %v", err)
	}
	bad, err := easypost.NewClient(shipping.Account{BaseURL: sim.EasyPostURL(), APIKey: "wrong"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Rates(ctx, shipping.RateRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}}); !errors.Is(err, shipping.ErrRefused) {
		t.Errorf("a wrong key: %v", err)
	}
}

func TestTrackAndWebhooks(t *testing.T) {
	sim, c := setup(t)
	ctx := context.Background()
	label, err := c.CreateLabel(ctx, shipping.LabelRequest{Reference: "shp_4", From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatal(err)
	}
	tn := label.TrackingNumbers[0]
	events, err := c.Track(ctx, tn)
	if err != nil || len(events) != 0 {
		t.Fatalf("a fresh tracker: %v %+v", err, events)
	}
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	steps := []carriersim.Step{
		{Tag: shipping.InfoReceived, At: start},
		{Tag: shipping.InTransit, City: "Oakland", At: start.Add(6 * time.Hour)},
		{Tag: shipping.InTransit, Subtag: "Exception_005", City: "Dallas", At: start.Add(30 * time.Hour), EstimatedDelivery: start.Add(96 * time.Hour)},
		{Tag: shipping.Delivered, City: "Austin", At: start.Add(80 * time.Hour)},
	}
	var last carriersim.Delivery
	for _, st := range steps {
		if last, err = sim.Advance(tn, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Verify(last.Header, last.Body); err != nil {
		t.Fatalf("the simulator's signature: %v", err)
	}
	pushed, err := c.Parse(last.Header, last.Body)
	if err != nil {
		t.Fatal(err)
	}
	pulled, err := c.Track(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	if len(pushed) != len(steps) || len(pulled) != len(steps) {
		t.Fatalf("%d pushed, %d pulled events; want %d", len(pushed), len(pulled), len(steps))
	}
	for i, st := range steps {
		if pushed[i].Tag != st.Tag || !pushed[i].OccurredAt.Equal(st.At) || pushed[i].EventID != pulled[i].EventID {
			t.Errorf("step %d: pushed %+v, pulled id %q", i, pushed[i], pulled[i].EventID)
		}
	}
	if !pushed[2].Delay || pushed[3].EstimatedDeliveryMax == nil || !pushed[3].EstimatedDeliveryMax.Equal(start.Add(96*time.Hour)) {
		t.Errorf("delay %v, estimate %v", pushed[2].Delay, pushed[3].EstimatedDeliveryMax)
	}
	tampered := append([]byte(nil), last.Body...)
	tampered[len(tampered)-2] ^= 1
	if err := c.Verify(last.Header, tampered); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("a tampered body: %v", err)
	}
	other := easypost.Webhooks{Secret: "another"}
	if err := other.Verify(last.Header, last.Body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("another account's secret: %v", err)
	}
	unknown, err := c.Track(ctx, "9400111111111111111111")
	if err != nil || len(unknown) != 0 {
		t.Errorf("an unknown code: %v %+v", err, unknown)
	}
	var created bool
	for _, call := range sim.Calls() {
		created = created || (call.Method == "POST" && call.Path == "/easypost/v2/trackers")
	}
	if !created {
		t.Error("an unknown code did not create a tracker")
	}
}

func TestALostBuyAnswerKeepsTheLabel(t *testing.T) {
	sim, c := setup(t)
	sim.LoseNextAnswer("/buy")
	label, err := c.CreateLabel(context.Background(), shipping.LabelRequest{Reference: "shp_5", From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}})
	if err != nil {
		t.Fatalf("the retried buy: %v", err)
	}
	var buys, reads int
	for _, call := range sim.Calls() {
		switch {
		case call.Method == "POST" && strings.HasSuffix(call.Path, "/buy"):
			buys++
		case call.Method == "GET" && call.Path == "/easypost/v2/shipments/"+label.CarrierRef:
			reads++
		}
	}
	if buys != 2 || reads != 1 {
		t.Errorf("%d buys, %d reads; want the buy retried, refused, and the shipment read back", buys, reads)
	}
	if p, ok := sim.Parcel(label.TrackingNumbers[0]); !ok || p.Ref != label.CarrierRef || len(label.Documents) != 1 {
		t.Errorf("label %+v, parcel %+v", label, p)
	}
}

func TestThrottlingIsARateLimitError(t *testing.T) {
	sim, c := setup(t)
	sim.ThrottleNext("/v2/shipments", 30*time.Second)
	_, err := c.Rates(context.Background(), shipping.RateRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}})
	var rl *shipping.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Fatalf("a 429 asking for 30 s: %v", err)
	}
	if _, err := c.Rates(context.Background(), shipping.RateRequest{From: bangkok, To: buyer, Parcels: []shipping.Parcel{box}}); err != nil {
		t.Fatalf("after the throttle: %v", err)
	}
}
