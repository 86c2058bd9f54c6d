package aftership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSign(t *testing.T) {
	// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
	const want = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
	if got := Sign("Jefe", []byte("what do ya want for nothing?")); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := fixture(t, "tracking_update.json")
	w := Webhooks{Secret: "as-secret"}
	good := Sign(w.Secret, body)
	other := hmac.New(sha256.New, []byte("another secret"))
	other.Write(body)
	for _, c := range []struct {
		name, sig string
		body      []byte
		want      error
	}{
		{"signed", good, body, nil},
		{"unsigned", "", body, shipping.ErrUnsigned},
		{"another secret", base64.StdEncoding.EncodeToString(other.Sum(nil)), body, shipping.ErrBadSignature},
		{"a changed body", good, append(body, ' '), shipping.ErrBadSignature},
		{"not base64", "***", body, shipping.ErrBadSignature},
	} {
		h := http.Header{}
		if c.sig != "" {
			h.Set("aftership-hmac-sha256", c.sig) // lower case, as sent
		}
		if err := w.Verify(h, c.body); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	if err := (Webhooks{}).Verify(http.Header{HeaderSignature: {Sign("", body)}}, body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("no secret: %v", err)
	}
}

func TestParseTrackingUpdate(t *testing.T) {
	events, err := Webhooks{}.Parse(nil, fixture(t, "tracking_update.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		tag    shipping.Tag
		subtag string
		at     string
	}{
		{shipping.InfoReceived, "InfoReceived_001", "2026-12-01T02:12:00Z"},
		{shipping.InTransit, "InTransit_002", "2026-12-01T10:40:00Z"},
		{shipping.InTransit, "InTransit_007", "2026-12-01T20:05:00Z"},
		{shipping.Exception, "Exception_005", "2026-12-02T02:30:00Z"},
	}
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(events), len(want), events)
	}
	for i, w := range want {
		e := events[i]
		if e.Tag != w.tag || e.Subtag != w.subtag || !e.OccurredAt.Equal(at(w.at)) || e.OccurredAt.Location() != time.UTC {
			t.Errorf("event %d: %s %s %v; want %s %s %s", i, e.Tag, e.Subtag, e.OccurredAt, w.tag, w.subtag, w.at)
		}
		if e.Source != shipping.AfterShip || e.TrackingNumber != "KEX0012345678" || e.Carrier != "kerry-logistics" || len(e.Raw) == 0 {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	last := events[3]
	if !last.Delay || last.Message != "Delayed by flooding" || last.Location != "Hat Yai, Songkhla, THA, 10110" {
		t.Errorf("last: %+v", last)
	}
	if last.EstimatedDeliveryMax == nil || !last.EstimatedDeliveryMax.Equal(at("2026-12-05T23:59:59Z")) {
		t.Errorf("a date-only estimate max is the end of its day: %v", last.EstimatedDeliveryMax)
	}
	if events[2].EstimatedDeliveryMax != nil || events[2].Delay {
		t.Errorf("an older checkpoint carries the estimate or delay: %+v", events[2])
	}
}

func TestParseDeliveredRepeatsCheckpointIDs(t *testing.T) {
	first, err := Webhooks{}.Parse(nil, fixture(t, "tracking_update.json"))
	if err != nil {
		t.Fatal(err)
	}
	events, err := Webhooks{}.Parse(nil, fixture(t, "tracking_delivered.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if first[i].EventID != events[i].EventID {
			t.Errorf("checkpoint %d: id %q then %q", i, first[i].EventID, events[i].EventID)
		}
	}
	ids := map[string]bool{}
	for _, e := range events {
		if ids[e.EventID] {
			t.Errorf("id %q repeats", e.EventID)
		}
		ids[e.EventID] = true
	}
	last := events[len(events)-1]
	if last.Tag != shipping.Delivered || !last.CODCollected || last.ReturnToSender {
		t.Errorf("delivered with COD: %+v", last)
	}
	if last.EstimatedDeliveryMax == nil || !last.EstimatedDeliveryMax.Equal(at("2026-12-07T11:00:00Z")) {
		t.Errorf("estimate %v", last.EstimatedDeliveryMax)
	}
	if events[len(events)-2].CODCollected {
		t.Error("out for delivery marked COD collected")
	}
}

func TestParseOtherEvents(t *testing.T) {
	rev, err := Webhooks{}.Parse(nil, fixture(t, "edd_revise.json"))
	if err != nil || len(rev) != 1 {
		t.Fatalf("edd_revise: %v %+v", err, rev)
	}
	if rev[0].EventID != "77c1a0d2-5e4b-4f0a-a1c9-3d2e8b6f9a10" || rev[0].Tag != shipping.Exception ||
		rev[0].EstimatedDeliveryMax == nil || !rev[0].EstimatedDeliveryMax.Equal(at("2026-12-07T11:00:00Z")) {
		t.Errorf("edd_revise: %+v", rev[0])
	}
	pend, err := Webhooks{}.Parse(nil, fixture(t, "tracking_pending_time.json"))
	if err != nil || len(pend) != 1 || pend[0].Tag != shipping.Pending || !pend[0].Delay || pend[0].EventID != "a3e9c2b1-7d6f-4e5a-8b0c-1f2e3d4c5b6a" {
		t.Errorf("tracking_pending_time: %v %+v", err, pend)
	}
	rts, err := Webhooks{}.Parse(nil, fixture(t, "tracking_returned.json"))
	if err != nil || !rts[len(rts)-1].ReturnToSender || rts[len(rts)-1].Tag != shipping.Exception {
		t.Errorf("returned: %v %+v", err, rts)
	}
	none, err := Webhooks{}.Parse(nil, []byte(`{"event":"return.submitted","event_id":"x","msg":{}}`))
	if err != nil || len(none) != 0 {
		t.Errorf("another product's event: %v %+v", err, none)
	}
	for _, body := range []string{``, `{}`, `{"event":"tracking_update"}`, `{"event":"tracking_update","event_id":"x","msg":{}}`,
		`{"event":"tracking_update","event_id":"x","msg":{"tracking_number":"1","checkpoints":{}}}`} {
		if _, err := (Webhooks{}).Parse(nil, []byte(body)); err == nil {
			t.Errorf("Parse(%s) accepted it", body)
		}
	}
}

func TestTrackingTagWithoutCheckpoint(t *testing.T) {
	tr := tracking{ID: "t1", TrackingNumber: "N1", Slug: "dhl", Tag: "Expired", Subtag: "Expired_001", UpdatedAt: "2026-12-20T00:00:00Z",
		Checkpoints: []checkpoint{{CheckpointTime: "2026-12-01T00:00:00Z", Tag: "InTransit", Subtag: "InTransit_001", Message: "m"}}}
	events := tr.Events("")
	if len(events) != 2 || events[1].Tag != shipping.Expired || events[1].EventID != "t1/2026-12-20T00:00:00Z/Expired/Expired_001" {
		t.Fatalf("%+v", events)
	}
	if again := tr.Events(""); again[1].EventID != events[1].EventID {
		t.Error("a pulled tracking's own event changes id")
	}
}
