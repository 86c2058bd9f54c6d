package jnt

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestDigest(t *testing.T) {
	// MD5("abc") is 900150983cd24fb0d6963f7d28e17f72 (RFC 1321): the key is appended to the content.
	if got := Digest("a", "bc"); got != "kAFQmDzST7DWlj99KOF/cg==" {
		t.Fatalf("Digest = %s", got)
	}
}

func TestVerify(t *testing.T) {
	biz := fixture(t, "in_transit.json")
	body := Form(biz)
	w := Webhooks{PrivateKey: "pk"}
	for _, c := range []struct {
		name, digest string
		body         []byte
		want         error
	}{
		{"signed", Digest(biz, "pk"), body, nil},
		{"unsigned", "", body, shipping.ErrUnsigned},
		{"another key", Digest(biz, "other"), body, shipping.ErrBadSignature},
		{"a changed trace", Digest(biz, "pk"), Form(strings.Replace(biz, `"30"`, `"100"`, 1)), shipping.ErrBadSignature},
		{"not a form", Digest(biz, "pk"), []byte("%zz"), shipping.ErrBadSignature},
	} {
		h := http.Header{}
		if c.digest != "" {
			h.Set("digest", c.digest)
		}
		if err := w.Verify(h, c.body); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	if err := (Webhooks{}).Verify(http.Header{HeaderDigest: {Digest(biz, "")}}, body); !errors.Is(err, shipping.ErrBadSignature) {
		t.Errorf("no key: %v", err)
	}
}

func TestParse(t *testing.T) {
	events, err := Webhooks{}.Parse(nil, Form(fixture(t, "delivered_object.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []shipping.Tag{shipping.InTransit, shipping.InTransit, shipping.InTransit, shipping.OutForDelivery, shipping.Delivered}
	if len(events) != len(want) {
		t.Fatalf("%d events", len(events))
	}
	for i, tag := range want {
		if events[i].Tag != tag || events[i].Source != shipping.JNT || events[i].TrackingNumber != "630002864925" {
			t.Errorf("event %d: %+v", i, events[i])
		}
	}
	last := events[4]
	if last.EventID != "630002864925/2026-12-02 14:02:33/100" || last.RawStatus != "100 Parcel Signed" || last.Location != "Georgetown DP, George Town, Pulau Pinang, Malaysia" ||
		!last.OccurredAt.Equal(time.Date(2026, 12, 2, 6, 2, 33, 0, time.UTC)) {
		t.Errorf("delivered: %+v", last)
	}
	earlier, err := Webhooks{}.Parse(nil, Form(fixture(t, "in_transit.json")))
	if err != nil {
		t.Fatal(err)
	}
	for i := range earlier {
		if earlier[i].EventID != events[i].EventID {
			t.Errorf("scan %d changes id between pushes", i)
		}
	}
	problems, err := Webhooks{}.Parse(nil, Form(fixture(t, "problem_return.json")))
	if err != nil || len(problems) != 6 {
		t.Fatalf("%v, %d events", err, len(problems))
	}
	if p := problems[3]; p.Tag != shipping.AttemptFail || !p.Delay || p.Message != "Delivery attempt failed: Recipient not at home" {
		t.Errorf("problem scan: %+v", p)
	}
	if r := problems[4]; r.Tag != shipping.Exception || !r.ReturnToSender {
		t.Errorf("return scan: %+v", r)
	}
	if x := problems[5]; x.Tag != shipping.Expired || x.TrackingNumber != "630002864927" {
		t.Errorf("second waybill: %+v", x)
	}
	for _, body := range []string{"", "bizContent=", "bizContent=%7B", "bizContent=" + "%5B%7B%7D%5D", "bizContent=5"} {
		if _, err := (Webhooks{}).Parse(nil, []byte(body)); err == nil {
			t.Errorf("Parse(%q) accepted it", body)
		}
	}
}

func TestTag(t *testing.T) {
	for code, want := range map[string]shipping.Tag{"10": shipping.InTransit, "94": shipping.OutForDelivery, "100": shipping.Delivered,
		"110": shipping.AttemptFail, "173": shipping.Exception, "304": shipping.Expired, "402": shipping.InTransit, "999": shipping.Pending, "": shipping.Pending} {
		if got := Tag(code); got != want {
			t.Errorf("Tag(%q) = %s, want %s", code, got, want)
		}
	}
}

func TestAck(t *testing.T) {
	var a shipping.Acknowledger = Webhooks{}
	ct, body := a.Ack()
	if ct != "application/json" || string(body) != `{"code":"1","msg":"success","data":"SUCCESS"}` {
		t.Errorf("Ack = %s %s", ct, body)
	}
}
