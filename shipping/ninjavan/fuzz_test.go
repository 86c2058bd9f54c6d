package ninjavan

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ordo-oms/ordo/shipping"
)

func FuzzParse(f *testing.F) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"tracking_id":"X","status":"International Transit, ?","arrived_at_origin_hub_information":null,"delivery_exception":{"failure_reason":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Webhooks{}.Parse(nil, body)
		if err != nil {
			return
		}
		for _, e := range events {
			if e.EventID == "" || e.TrackingNumber == "" || e.Tag.Rank() < 0 || e.Source != shipping.NinjaVan {
				t.Fatalf("event %+v", e)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{}`), "")
	f.Add([]byte(`{}`), Sign("k", []byte(`{}`)))
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		if err := (Webhooks{Secret: "k"}).Verify(http.Header{HeaderSignature: {sig}}, body); err != nil {
			return
		}
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
		m := hmac.New(sha256.New, []byte("k"))
		m.Write(body)
		if err != nil || !hmac.Equal(got, m.Sum(nil)) {
			t.Fatalf("accepted %q for %q", sig, body)
		}
	})
}
