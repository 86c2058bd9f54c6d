package tiktokshop

import (
	"net/http"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

func FuzzNormalizeOrder(f *testing.F) {
	f.Add(fixture(f, "docs_example_response_get-order-detail.json"))
	f.Add(inUSD(f, fixture(f, "docs_example_response_get-order-detail.json")))
	f.Add(inUSD(f, fixture(f, "docs_example_response_get-order-list.json")))
	f.Add(units(f))
	f.Add([]byte(`{"id":1,"create_time":1,"payment":{"currency":"VND","sub_total":1},"line_items":[{"id":2}]}`))
	// Channel fidelity: district levels per country, numbers and strings alike.
	f.Add(fixture(f, "ours_get-order-detail_ID_district_levels.json"))
	f.Add([]byte(`{"id":"3","create_time":"1","payment":{"currency":"THB"},"recipient_address":{"region_code":"TH","district_info":[{"address_level":"L2","address_name":"Bang Rak"},{"address_level":{},"address_name":3}]}}`))
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

func FuzzAnswer(f *testing.F) {
	for _, name := range []string{
		"docs_example_response_get-order-detail.json",
		"docs_example_response_get-order-list.json",
		"docs_example_response_update-inventory.json",
		"docs_example_response_ship-package.json",
		"docs_example_response_cancel-order.json",
	} {
		f.Add(fixture(f, name), 200)
	}
	f.Add(inUSD(f, fixture(f, "docs_example_response_get-order-list.json")), 200)
	f.Add([]byte(`{"code":36009002,"message":"Too many requests."}`), 429)
	f.Add([]byte(`{"code":106001,"message":"Invalid sign parameter"}`), 401)
	f.Add([]byte(`{"code":0,"data":{"errors":[{"code":1,"detail":{"extra_errors":[{}]}}]}}`), 200)
	c := &Client{}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		_ = throttled(status, body)
		data, err := answer(http.MethodPost, pathSearch, &channels.Response{Status: status, Body: body})
		if err != nil {
			return
		}
		_, _, _ = c.orderList(pathSearch, data)
		_, _ = skuErrors("1", data)
	})
}
