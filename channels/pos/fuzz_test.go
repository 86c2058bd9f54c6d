package pos

import (
	"net/http"
	"path/filepath"
	"testing"
)

func seeds(f *testing.F) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		f.Add(fixture(f, filepath.Base(n)))
	}
	for _, s := range []string{
		vector(f).RawBody, `null`, `{"order":null}`, `{"orders":[null,{}]}`, `{"line_items":[null,{"quantity":"1e3"}]}`,
		`{"total_money":{"amount":"1","currency":"USD"}}`, `{"fulfillments":[{"type":"SHIPMENT","state":"COMPLETED","shipment_details":null}]}`,
		`{"type":"order.updated","data":{"type":"order_updated","object":{"order_updated":null}}}`,
		`{"id":1,"version":"2","line_items":[{"quantity":2,"item_type":"CUSTOM_AMOUNT","base_price_money":{"amount":"150","currency":"THB"}}],"total_tip_money":{"amount":"20","currency":"THB"}}`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzNormalizeOrder(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if o, err := NormalizeOrder(raw); err == nil && (o.Status == "" || o.COD) {
			t.Fatalf("a normalized order has a status and is never COD: %+v", o)
		}
		if orders, _, err := NormalizeOrders(raw); err == nil {
			for _, o := range orders {
				for _, l := range o.Lines {
					if l.Quantity <= 0 {
						t.Fatalf("line of quantity %d", l.Quantity)
					}
				}
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	seeds(f)
	v := vector(f)
	w := Webhooks{URL: v.URL}
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := Webhooks{}.Parse(nil, body)
		if err == nil && n.Topic == "" {
			t.Fatal("a parsed webhook has a topic")
		}
		if err := w.Verify(http.Header{HeaderSignature: {Sign(v.Secret, v.URL, body)}}, body, v.Secret, now); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
	})
}
