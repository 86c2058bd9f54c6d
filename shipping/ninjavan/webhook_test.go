package ninjavan

import (
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

func TestSign(t *testing.T) {
	// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
	if got := Sign("Jefe", []byte("what do ya want for nothing?")); got != "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=" {
		t.Fatalf("Sign = %s", got)
	}
}

func TestVerify(t *testing.T) {
	body := fixture(t, "delivered.json")
	w := Webhooks{Secret: "client-secret"}
	for _, c := range []struct {
		name, sig string
		body      []byte
		want      error
	}{
		{"signed", Sign(w.Secret, body), body, nil},
		{"unsigned", "", body, shipping.ErrUnsigned},
		{"another secret", Sign("client-id", body), body, shipping.ErrBadSignature},
		{"a changed body", Sign(w.Secret, body), fixture(t, "picked_up.json"), shipping.ErrBadSignature},
		{"hex, not base64", "0123456789abcdef", body, shipping.ErrBadSignature},
	} {
		h := http.Header{}
		if c.sig != "" {
			h.Set("x-ninjavan-hmac-sha256", c.sig)
		}
		if err := w.Verify(h, c.body); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	if err := (Webhooks{}).Verify(http.Header{HeaderSignature: {Sign("", body)}}, body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("no secret: %v", err)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		file     string
		tag      shipping.Tag
		id       string
		at       string
		rts      bool
		delay    bool
		message  string
		location string
	}{
		{"pending_pickup.json", shipping.InfoReceived, "NVSGORDO000000001/Pending Pickup/2026-12-01T09:00:00+08:00", "2026-12-01T01:00:00Z", false, false, "Pending Pickup", ""},
		{"picked_up.json", shipping.InTransit, "NVSGORDO000000001/Picked Up, In Transit to Origin Hub/2026-12-01T15:20:11+08:00", "2026-12-01T07:20:11Z", false, false, "Picked Up, In Transit to Origin Hub", ""},
		{"arrived_origin_hub.json", shipping.InTransit, "NVSGORDO000000001/Arrived at Origin Hub/2026-12-01T21:02:45+08:00", "2026-12-01T13:02:45Z", false, false, "Arrived at Origin Hub", "Pioneer Sort Hub, Singapore, SG"},
		{"delivery_exception.json", shipping.AttemptFail, "NVSGORDO000000001/Delivery Exception, Pending Reschedule/2026-12-02T18:40:00+08:00", "2026-12-02T10:40:00Z", false, true, "Delivery Exception, Pending Reschedule: Nobody at Location", ""},
		{"delivered.json", shipping.Delivered, "NVSGORDO000000001/Delivered, Received by Customer/2026-12-03T11:15:30+08:00", "2026-12-03T03:15:30Z", false, false, "Delivered, Received by Customer", ""},
		{"returned_to_sender.json", shipping.Exception, "NVSGORDO000000001/Returned to Sender/2026-12-06T10:00:00+08:00", "2026-12-06T02:00:00Z", true, false, "Returned to Sender: Max delivery attempts", ""},
		{"v1_first_attempt_fail.json", shipping.AttemptFail, "NVSGORDO000000002/First Attempt Delivery Fail/2026-12-02T10:40:00+0000", "2026-12-02T10:40:00Z", false, true, "First Attempt Delivery Fail", ""},
	} {
		body := fixture(t, c.file)
		events, err := Webhooks{}.Parse(nil, body)
		if err != nil || len(events) != 1 {
			t.Errorf("%s: %v, %d events", c.file, err, len(events))
			continue
		}
		e := events[0]
		want, _ := time.Parse(time.RFC3339, c.at)
		if e.Tag != c.tag || e.EventID != c.id || !e.OccurredAt.Equal(want) || e.ReturnToSender != c.rts || e.Delay != c.delay ||
			e.Message != c.message || e.Location != c.location || e.Source != shipping.NinjaVan || e.Carrier != "ninjavan" || string(e.Raw) != string(body) {
			t.Errorf("%s: %+v", c.file, e)
		}
	}
	if events, err := (Webhooks{}).Parse(nil, fixture(t, "measurements.json")); err != nil || len(events) != 0 {
		t.Errorf("measurements: %v %+v; want no event", err, events)
	}
	for _, body := range []string{``, `[]`, `{}`, `{"tracking_id":"X"}`, `{"tracking_id":1,"event":"Delivered"}`} {
		if _, err := (Webhooks{}).Parse(nil, []byte(body)); err == nil {
			t.Errorf("Parse(%s) accepted it", body)
		}
	}
}
