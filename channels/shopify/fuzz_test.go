package shopify

import (
	"net/http"
	"os"
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
		raw, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
		if body := payload(f, filepath.Base(n)); len(body) > 0 {
			f.Add([]byte(body))
		}
	}
	for _, s := range []string{exampleBody, `{"total_price":"1e9999"}`, `{"line_items":[null,{}]}`, `{"customer":null,"shipping_address":null}`, `null`,
		`{"id":"1","shipping_address":{"latitude":"13.7","longitude":{}},"line_items":[{"variant_id":null,"product_id":null,"sku":null,"quantity":"1","price":3}]}`} {
		f.Add([]byte(s))
	}
}

func FuzzNormalizeOrder(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := NormalizeOrder(raw)
		if err == nil && o.Status == "" {
			t.Fatal("a normalized order always has a status")
		}
	})
}

func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, topic := range []string{"orders/create", "orders/delete", "fulfillments/create", "returns/request", "refunds/create", "other"} {
			h := http.Header{HeaderTopic: {topic}}
			if n, err := (Webhooks{}).Parse(h, body); err == nil && n.Topic != topic {
				t.Fatalf("topic %q became %q", topic, n.Topic)
			}
		}
	})
}

func FuzzNormalizeReturn(f *testing.F) {
	seeds(f)
	f.Add([]byte(`{"id":"gid://shopify/Return/1","returnLineItems":{"nodes":[null,{"quantity":"x"}]},"refunds":{"nodes":[{}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = NormalizeReturn(raw)
		_ = graphqlThrottled(200, raw)
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(exampleBody), exampleHMAC)
	f.Add([]byte{}, "")
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		err := Webhooks{}.Verify(http.Header{HeaderHMAC: {sig}}, body, exampleSecret, now)
		if err == nil && sig != Sign(exampleSecret, body) && len(sig) == len(exampleHMAC) {
			t.Fatalf("accepted %q for %q", sig, body)
		}
	})
}
