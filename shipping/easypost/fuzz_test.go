package easypost

import (
	"encoding/hex"
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
	f.Add([]byte(`{"object":"Event","id":"e","description":"tracker.updated","result":{"object":"Tracker","status":"delivered","tracking_details":null,"carrier_detail":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Webhooks{}.Parse(nil, body)
		if err != nil {
			return
		}
		for _, e := range events {
			if e.EventID == "" || e.Source != shipping.EasyPost || e.Tag.Rank() < 0 {
				t.Fatalf("event %+v", e)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"object":"Event"}`), "")
	f.Add([]byte(`{}`), SignaturePrefix+vectorDigest)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		err := Webhooks{Secret: vectorSecret}.Verify(http.Header{HeaderSignature: {sig}}, body)
		if err == nil && !strings.Contains(strings.ToLower(sig), hex.EncodeToString(digest(vectorSecret, body))) {
			t.Fatalf("accepted %q for %q", sig, body)
		}
	})
}
