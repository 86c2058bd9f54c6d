package jnt

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
		f.Add(Form(string(b)))
		f.Add(b)
	}
	f.Add([]byte("bizContent=%5B%7B%22billCode%22%3A%221%22%2C%22details%22%3A%5Bnull%2C%7B%22scanTypeCode%22%3A%7B%7D%7D%5D%7D%5D"))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Webhooks{}.Parse(nil, body)
		if err != nil {
			return
		}
		for _, e := range events {
			if e.EventID == "" || e.TrackingNumber == "" || e.Tag.Rank() < 0 || e.Source != shipping.JNT {
				t.Fatalf("event %+v", e)
			}
		}
	})
}
