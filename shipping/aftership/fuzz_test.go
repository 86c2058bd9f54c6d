package aftership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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
	f.Add([]byte(`{"event":"edd_revise","event_id":"e","msg":{"tracking_number":"1","aftership_estimated_delivery_date":{"estimated_delivery_date_max":"2026-13-45"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Webhooks{}.Parse(nil, body)
		if err != nil {
			return
		}
		for _, e := range events {
			if e.EventID == "" || e.TrackingNumber == "" || e.Tag.Rank() < 0 || e.Source != shipping.AfterShip {
				t.Fatalf("event %+v", e)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{}`), "")
	f.Add([]byte(`{}`), Sign("k", []byte(`{}`)))
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		err := Webhooks{Secret: "k"}.Verify(map[string][]string{HeaderSignature: {sig}}, body)
		if err != nil {
			return
		}
		got, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
		m := hmac.New(sha256.New, []byte("k"))
		m.Write(body)
		if derr != nil || !hmac.Equal(got, m.Sum(nil)) {
			t.Fatalf("accepted %q for %q", sig, body)
		}
	})
}
