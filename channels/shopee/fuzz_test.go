package shopee

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
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
