package tiktokshop

import (
	"net/http"
	"testing"
	"time"
)

func FuzzNormalizeOrder(f *testing.F) {
	f.Add(fixture(f, "docs_example_response_get-order-detail.json"))
	f.Add(inUSD(f, fixture(f, "docs_example_response_get-order-detail.json")))
	f.Add(inUSD(f, fixture(f, "docs_example_response_get-order-list.json")))
	f.Add(units(f))
	f.Add([]byte(`{"id":1,"create_time":1,"payment":{"currency":"VND","sub_total":1},"line_items":[{"id":2}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = NormalizeOrder(raw)
	})
}

func FuzzParseWebhook(f *testing.F) {
	for _, name := range []string{
		"docs_example_webhook_1-order-status-change.json",
		"docs_example_webhook_11-cancellation-status-change.json",
		"docs_example_webhook_12-return-status-change.published.txt",
		"docs_example_webhook_12-return-status-change.repaired.json",
		"docs_example_webhook_27-inventory-status-change.published.txt",
		"docs_example_webhook_27-inventory-status-change.repaired.json",
		"docs_example_webhook_3-recipient-address-update.json",
		"docs_example_webhook_4-package-update.json",
	} {
		f.Add(fixture(f, name), "")
	}
	now := time.Unix(1644412885, 0)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		w := Webhooks{AppKey: "app"}
		_, _ = w.Parse(nil, body)
		_ = w.Verify(http.Header{"Authorization": {sig}}, body, "secret", now)
		_ = w.Verify(http.Header{"Authorization": {WebhookSignature("app", "secret", body)}}, body, "secret", now)
	})
}
