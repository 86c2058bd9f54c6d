package shopee

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

func seeds(f *testing.F) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "sample_response_*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{orderPush, `{"total_amount":1e40,"currency":"VND"}`, `{"item_list":[null,{}]}`,
		`{"order_sn":"A","currency":"THB","total_amount":"12.35","item_list":[{"item_id":"1","model_id":0,"model_quantity_purchased":"2","model_original_price":"5.5"}]}`,
		`{"shop_id":1,"code":3,"data":{"code":3,"data":{"code":3,"data":{}}}}`, `null`} {
		f.Add([]byte(s))
	}
}

func FuzzNormalizeOrder(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if o, err := NormalizeOrder(raw); err == nil && o.Status == "" {
			t.Fatal("a normalized order always has a status")
		}
		_, _ = NormalizeOrderDetail(raw)
	})
}

func FuzzParsePush(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if n, err := (Webhooks{}).Parse(nil, body); err == nil && n.Topic == "" {
			t.Fatal("a parsed push always has a topic")
		}
		_, _, _, _ = ParseLostPushMessages(body)
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(orderPush), SignPush(key, url, []byte(orderPush)))
	f.Add([]byte{}, "")
	w := Webhooks{CallbackURL: url, MaxAge: time.Minute}
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		err := w.Verify(http.Header{"Authorization": {sig}}, body, key, pushedAt)
		if err == nil && len(sig) == 64 && sig != SignPush(key, url, body) && !equalFoldHex(sig, SignPush(key, url, body)) {
			t.Fatalf("accepted %q for %q", sig, body)
		}
	})
}

func equalFoldHex(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

func FuzzClientAnswers(f *testing.F) {
	seeds(f)
	for _, s := range []string{`{"more":true,"next_cursor":"20","order_list":[{"order_sn":"A"},null]}`,
		`{"success_list":[{"model_id":1}],"failure_list":[{"model_id":"2","failed_reason":3}]}`,
		`{"error":"error_rate_limit"}`, `1712601591:20`, `:`, `-1:`} {
		f.Add([]byte(s))
	}
	c := &Client{now: func() time.Time { return clientNow }}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if sns, _, err := parseOrderList(raw); err == nil {
			for _, sn := range sns {
				if sn == "" {
					t.Fatal("an empty order_sn was listed")
				}
			}
		}
		_, _, _ = stockOutcome(raw)
		if cur, err := ParseCursor(string(raw)); err == nil {
			if again, err := ParseCursor(cur.String()); err != nil || again != cur {
				t.Fatalf("cursor %q does not round-trip: %v", raw, err)
			}
		}
		for _, status := range []int{200, 403, 500} {
			if resp, err := c.envelope("/p", &channels.Response{Status: status, Body: raw}); err == nil && status != 200 {
				t.Fatalf("HTTP %d read as a success: %s", status, resp)
			}
		}
		_ = throttled(200, raw)
	})
}
