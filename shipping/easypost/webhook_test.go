package easypost

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

// vectorSecret and vectorDigest are a test vector computed outside Go (Python's hmac and
// unicodedata.normalize("NFKD", …)) over testdata/tracker_updated.json: the secret's "é" is
// decomposed by NFKD, so a key taken without normalizing gives another digest.
const (
	vectorSecret = "sécret"
	vectorDigest = "3b98904c6b58950f257295176342102b51c2a9594a989672fd95aca14415534d"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignMatchesTheVector(t *testing.T) {
	body := fixture(t, "tracker_updated.json")
	if got := Sign(vectorSecret, body); got != SignaturePrefix+vectorDigest {
		t.Fatalf("Sign = %s, want %s%s", got, SignaturePrefix, vectorDigest)
	}
	if Sign("se\u0301cret", body) != Sign(vectorSecret, body) {
		t.Fatal("the composed and decomposed secrets sign differently: the key is not NFKD-normalized")
	}
}

func TestVerify(t *testing.T) {
	body := fixture(t, "tracker_updated.json")
	w := Webhooks{Secret: vectorSecret}
	for _, c := range []struct {
		name   string
		header string
		body   []byte
		want   error
	}{
		{"the vector", SignaturePrefix + vectorDigest, body, nil},
		{"upper-case hex and prefix", "HMAC-SHA256-HEX=3B98904C6B58950F257295176342102B51C2A9594A989672FD95ACA14415534D", body, nil},
		{"without the prefix", vectorDigest, body, nil},
		{"no header", "", body, shipping.ErrUnsigned},
		{"a changed body", SignaturePrefix + vectorDigest, append([]byte(" "), body...), shipping.ErrBadSignature},
		{"not hex", SignaturePrefix + "zz", body, shipping.ErrBadSignature},
		{"truncated", SignaturePrefix + vectorDigest[:62], body, shipping.ErrBadSignature},
	} {
		h := http.Header{}
		if c.header != "" {
			h.Set(HeaderSignature, c.header)
		}
		if err := w.Verify(h, c.body); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	if err := (Webhooks{}).Verify(http.Header{HeaderSignature: {Sign("", body)}}, body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("no secret configured: Verify = %v, want ErrBadSignature", err)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseTrackerUpdated(t *testing.T) {
	events, err := Webhooks{}.Parse(nil, fixture(t, "tracker_updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 4 {
		t.Fatalf("%d events, want one per tracking detail (4)", len(events))
	}
	wantTags := []shipping.Tag{shipping.InfoReceived, shipping.InTransit, shipping.InTransit, shipping.InTransit}
	ids := map[string]bool{}
	for i, e := range events {
		if e.Tag != wantTags[i] {
			t.Errorf("event %d: tag %s, want %s", i, e.Tag, wantTags[i])
		}
		if e.Source != shipping.EasyPost || e.TrackingNumber != "9400100000000000000001" || e.Carrier != "usps" {
			t.Errorf("event %d: %+v", i, e)
		}
		if ids[e.EventID] {
			t.Errorf("event %d: id %q repeats", i, e.EventID)
		}
		ids[e.EventID] = true
		if len(e.Raw) == 0 {
			t.Errorf("event %d keeps no raw detail", i)
		}
	}
	second := events[1]
	if second.RawStatus != "in_transit/arrived_at_facility" || second.Message != "Accepted at USPS Origin Facility" ||
		second.Location != "SAN FRANCISCO, CA, US 94107" || !second.OccurredAt.Equal(at("2026-12-01T20:41:00Z")) {
		t.Errorf("second event: %+v", second)
	}
	if second.Delay || second.EstimatedDeliveryMax != nil {
		t.Errorf("an older scan carries the tracker's delay or estimate: %+v", second)
	}
	last := events[3]
	if !last.Delay {
		t.Error("a weather_delay scan is not a delay")
	}
	if last.EstimatedDeliveryMax == nil || !last.EstimatedDeliveryMax.Equal(at("2026-12-10T00:00:00Z")) {
		t.Errorf("estimated delivery %v", last.EstimatedDeliveryMax)
	}
	if last.ReturnToSender || last.CODCollected {
		t.Errorf("flags on an in-transit parcel: %+v", last)
	}
}

func TestParseIdsAreStableAcrossEvents(t *testing.T) {
	a, err := Webhooks{}.Parse(nil, fixture(t, "tracker_updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Webhooks{}.Parse(nil, fixture(t, "tracker_delivered.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].EventID != b[i].EventID {
			t.Errorf("scan %d has id %q in one event and %q in the next", i, a[i].EventID, b[i].EventID)
		}
	}
	if got := b[len(b)-1]; got.Tag != shipping.Delivered || got.Location != "AUSTIN, TX, US 78701" {
		t.Errorf("delivered: %+v", got)
	}
}

func TestParseReturnAndOthers(t *testing.T) {
	events, err := Webhooks{}.Parse(nil, fixture(t, "tracker_return.json"))
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Tag != shipping.Exception || !last.ReturnToSender {
		t.Errorf("return to sender: %+v", last)
	}
	for _, name := range []string{"tracker_created.json", "batch_created.json"} {
		events, err := Webhooks{}.Parse(nil, fixture(t, name))
		if err != nil || len(events) != 0 {
			t.Errorf("%s: %d events, %v; want none", name, len(events), err)
		}
	}
	for _, body := range []string{``, `[]`, `{"object":"Event"}`, `{"object":"Event","id":"evt","description":"tracker.updated","result":{"object":"Shipment"}}`,
		`{"object":"Event","id":"evt","description":"tracker.updated","result":{"object":"Tracker","tracking_details":[{"status":7}]}}`} {
		if _, err := (Webhooks{}).Parse(nil, []byte(body)); err == nil {
			t.Errorf("Parse(%s) accepted it", body)
		}
	}
}
