package facebook

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

func seeds(f *testing.F) {
	f.Helper()
	for _, name := range []string{
		"zibbet_order_spec_response.json",
		"docs_example_post_purchase_order_tax_fields.published.txt",
		"docs_example_post_purchase_order_tax_fields.repaired.json",
		"docs_example_acknowledge_orders_batch_response.json",
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		exampleBody, `null`, `{"data":[null,{}]}`, `{"items":{"data":[null,{}]}}`,
		`{"estimated_payment_details":{"total_amount":{"amount":"1e9999","currency":"USD"}}}`,
		`{"order_status":{"state":"COMPLETED"},"items":{"data":[{"id":"1","quantity":9223372036854775807}]},"shipments":{"data":[{"items":{"data":[{"id":"1","quantity":9223372036854775807}]}}]}}`,
		`{"cancellations":{"data":[{}]},"ship_by_date":"2019-01-16"}`,
		`{"id":5,"items":{"data":[{"id":6,"retailer_id":7,"quantity":"2","price_per_unit":{"amount":12.5,"currency":"THB"}}]}}`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzNormalizeOrder(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if o, err := NormalizeOrder(raw); err == nil && (o.Status == "" || o.COD) {
			t.Fatalf("status %q, COD %v", o.Status, o.COD)
		}
		orders, _, err := NormalizeOrders(raw)
		for _, o := range orders {
			if err == nil && o.Status == "" {
				t.Fatal("a normalized order always has a status")
			}
		}
	})
}

func FuzzWebhook(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if n, err := (Webhooks{}).Parse(nil, body); err == nil && n.Topic == "" {
			t.Fatal("a parsed notification always has a topic")
		}
		if err := (Webhooks{}).Verify(http.Header{HeaderSignature: {Sign(exampleSecret, body)}}, body, exampleSecret, now); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		if err := (Webhooks{}).Verify(http.Header{HeaderSignature: {string(body)}}, []byte(exampleBody), exampleSecret, now); err == nil && string(body) != exampleSig {
			t.Fatalf("accepted %q", body)
		}
	})
}
