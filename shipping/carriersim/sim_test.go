package carriersim_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/aftership"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/shipping/easypost"
	"github.com/ordo-oms/ordo/shipping/jnt"
	"github.com/ordo-oms/ordo/shipping/ninjavan"
)

var (
	from = shipping.Party{Name: "W", Phone: "1", Line1: "1 Road", City: "Singapore", PostalCode: "1", Country: "SG"}
	to   = shipping.Party{Name: "B", Phone: "2", Line1: "2 Road", City: "Singapore", PostalCode: "2", Country: "SG"}
)

// receiver is a webhook endpoint that verifies with a tracking source and keeps what it accepted.
type receiver struct {
	source shipping.TrackingSource
	mu     sync.Mutex
	events []shipping.TrackingEvent
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := r.source.Verify(req.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	events, err := r.source.Parse(req.Header, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.events = append(r.events, events...)
	r.mu.Unlock()
}

func TestSendSignedWebhooks(t *testing.T) {
	cfg := carriersim.Config{NinjaVanClientID: "id", NinjaVanClientSecret: "nv", EasyPostAPIKey: "ep", EasyPostWebhookSecret: "eps", AfterShipWebhookSecret: "ass",
		Clock: func() time.Time { return time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) }}
	sim := carriersim.New(cfg)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.SetBase(srv.URL)
	ctx := context.Background()

	nv, err := ninjavan.NewClient(shipping.Account{BaseURL: sim.NinjaVanURL(), ClientID: "id", ClientSecret: "nv", CountryCode: "sg"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	label, err := nv.CreateLabel(ctx, shipping.LabelRequest{Reference: "r", From: from, To: to, Parcels: []shipping.Parcel{{WeightGrams: 500}}})
	if err != nil {
		t.Fatal(err)
	}
	rcv := &receiver{source: ninjavan.Webhooks{Secret: "nv"}}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	if status, err := sim.Push(ctx, hook.URL, label.TrackingNumbers[0], carriersim.Step{Tag: shipping.InTransit}); err != nil || status != http.StatusOK {
		t.Fatalf("push: %d %v", status, err)
	}
	if len(rcv.events) != 1 || rcv.events[0].Tag != shipping.InTransit {
		t.Fatalf("pushed: %+v", rcv.events)
	}
	rcv.events = nil
	d, err := sim.Advance(label.TrackingNumbers[0], carriersim.Step{Tag: shipping.OutForDelivery})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // a replay is the same bytes, still signed
		if status, err := sim.Send(ctx, hook.URL, d); err != nil || status != http.StatusOK {
			t.Fatalf("send: %d %v", status, err)
		}
	}
	if len(rcv.events) != 3 || rcv.events[0].EventID != rcv.events[2].EventID || !rcv.events[0].OccurredAt.Equal(cfg.Clock()) {
		t.Fatalf("received %+v", rcv.events)
	}
	forged := carriersim.Delivery{Header: d.Header, Body: bytes.Replace(d.Body, []byte("On Vehicle"), []byte("Delivered,"), 1)}
	if status, err := sim.Send(ctx, hook.URL, forged); err != nil || status != http.StatusUnauthorized {
		t.Errorf("a forged body: %d %v", status, err)
	}
	if len(rcv.events) != 3 {
		t.Error("a forged webhook was taken")
	}

	as := &receiver{source: aftership.Webhooks{Secret: "ass"}}
	asHook := httptest.NewServer(as)
	defer asHook.Close()
	u, err := sim.AfterShipUpdate(label.TrackingNumbers[0])
	if err != nil {
		t.Fatal(err)
	}
	if status, err := sim.Send(ctx, asHook.URL, u); err != nil || status != http.StatusOK || len(as.events) != 2 || as.events[0].Carrier != "ninjavan-sg" || as.events[1].Tag != shipping.OutForDelivery {
		t.Fatalf("AfterShip about a Ninja Van parcel: %d %v %+v", status, err, as.events)
	}
	if _, err := sim.Advance("NOSUCH", carriersim.Step{Tag: shipping.InTransit}); err == nil {
		t.Error("advanced an unknown parcel")
	}
}

func TestLabelsAreRealPDFs(t *testing.T) {
	sim := carriersim.New(carriersim.Config{EasyPostAPIKey: "ep"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.SetBase(srv.URL)
	c, err := easypost.NewClient(shipping.Account{BaseURL: sim.EasyPostURL(), APIKey: "ep"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	label, err := c.CreateLabel(context.Background(), shipping.LabelRequest{Reference: "x(1)", From: from, To: to, Parcels: []shipping.Parcel{{WeightGrams: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	body := label.Documents[0].Body
	// Every cross-reference offset points at its object.
	m := regexp.MustCompile(`(?s)startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no startxref: %q", body)
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(body[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the table", xref)
	}
	for i, off := range regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(body[xref:], -1) {
		o, _ := strconv.Atoi(string(off[1]))
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(body[o:], []byte(want)) {
			t.Errorf("object %d is not at %d", i+1, o)
		}
	}
	if !bytes.Contains(body, []byte(`REF x\(1\)`)) {
		t.Error("parentheses in a reference are not escaped")
	}
	var bought bool
	for _, call := range sim.Calls() {
		bought = bought || (call.Method == "POST" && regexp.MustCompile(`^/easypost/v2/shipments/shp_\w+/buy$`).MatchString(call.Path) && call.Status == http.StatusOK)
	}
	if !bought {
		t.Errorf("the buy call is not recorded: %+v", sim.Calls())
	}
}

func TestJNTPushes(t *testing.T) {
	sim := carriersim.New(carriersim.Config{JNTAPIAccount: "acc", JNTPrivateKey: "pk"})
	sim.AddParcel(shipping.JNT, "630000000001")
	start := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	src := jnt.Webhooks{PrivateKey: "pk"}
	var d carriersim.Delivery
	for i, tag := range []shipping.Tag{shipping.InTransit, shipping.InTransit, shipping.OutForDelivery, shipping.Delivered} {
		var err error
		if d, err = sim.Advance("630000000001", carriersim.Step{Tag: tag, City: "Shah Alam", At: start.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Verify(d.Header, d.Body); err != nil {
		t.Fatal(err)
	}
	events, err := src.Parse(d.Header, d.Body)
	if err != nil || len(events) != 4 {
		t.Fatalf("%v %+v", err, events)
	}
	for i, want := range []string{"10 Parcel Pickup", "30 Arrival", "94 Delivery Scan", "100 Parcel Signed"} {
		if events[i].RawStatus != want || !events[i].OccurredAt.Equal(start.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("scan %d: %+v", i, events[i])
		}
	}
	if err := (jnt.Webhooks{PrivateKey: "other"}).Verify(d.Header, d.Body); err == nil {
		t.Error("another key verified the push")
	}
}
