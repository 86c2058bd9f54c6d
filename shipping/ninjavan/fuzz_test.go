package ninjavan

import (
	"os"
	"path/filepath"
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
