package lazada

import (
	"net/http"
	"testing"
	"time"
)

func FuzzNormalizeOrder(f *testing.F) {
	order := fixture(f, "docs_example_response_getorder.json")
	orders := fixture(f, "docs_example_response_getorders.json")
	items := fixture(f, "docs_example_response_getorderitems.json")
	multi := fixture(f, "docs_example_response_getmultipleorderitems.json")
	f.Add(order, reassign(f, items, "31202", "16090"))
	f.Add(orders, reassign(f, multi, "32793", "491253082180001"))
	f.Add(order, items)
	f.Add([]byte(`{"order_id":1,"created_at":"1603698638000","price":1}`), []byte(`[{"order_id":1,"currency":"VND","item_price":1}]`))
	// Channel fidelity: numbers for strings, items with no sku_id but a shop_sku.
	f.Add(fixture(f, "ours_getorder_numbers.json"), fixture(f, "ours_getmultipleorderitems_no_sku_id.json"))
	f.Add([]byte(`{"order_id":2,"created_at":"2026-11-11 00:01:02 +0700","price":{"v":1}}`), []byte(`[{"order_id":2,"currency":"THB","shop_sku":"1_TH-9","sku_id":null,"item_price":"1"}]`))
	f.Fuzz(func(t *testing.T, order, items []byte) {
		_, _ = NormalizeOrder(order, items)
	})
}

func FuzzParsePush(f *testing.F) {
	for _, name := range []string{
		"docs_example_push_msgtype0_trade_order_0.comments_stripped.json",
		"docs_example_push_msgtype0_trade_order_1.comments_stripped.json",
		"docs_example_push_msgtype10_reverse_order.extracted.json",
		"docs_example_push_msgtype14_fulfillment_order.comments_stripped.json",
		"docs_example_push_msgtype14_fulfillment_order.published.txt",
	} {
		f.Add(fixture(f, name), "")
	}
	now := time.UnixMilli(1603766859530)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		w := Webhooks{AppKey: "123456"}
		_, _ = w.Parse(nil, body)
		_ = w.Verify(http.Header{"Authorization": {sig}}, body, "secret", now)
		_ = w.Verify(http.Header{"Authorization": {PushSignature("123456", "secret", body)}}, body, "secret", now)
	})
}

func FuzzAnswers(f *testing.F) {
	for _, name := range []string{
		"docs_example_response_getorders.json",
		"docs_example_response_pack.json",
		"docs_example_response_readytoship.json",
		"docs_example_response_updatesellablequantity.json",
	} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`[{"seller_sku":"A","sku_id":1,"message":"x"}]`))
	f.Add(fixture(f, "ours_getreverseordersforseller.json"))
	f.Add([]byte(`{"reverse_order_id":1,"reverse_order_lines":[{"refund_amount":"1.5","sla":"1e20"},null]}`))
	f.Add([]byte(`{"code":"0","result":{"success":true,"data":{"pack_order_list":[{"order_item_list":[null,{}]}]}}}`))
	skus := []skuUpdate{{SkuID: "1", SellerSKU: "A"}, {SellerSKU: "B"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = packedPackages(body)
		_ = shippedPackages(body)
		_, _ = decodeOrdersPage(body)
		_, _ = decodeReversePage(body)
		for _, cur := range []string{"THB", "VND", "IDR", ""} {
			_, _ = NormalizeReturn(body, cur)
		}
		_ = throttled(http.StatusOK, body)
		if errs := stockFailures(&apiError{code: codeUpdateFailed, detail: body}, skus); len(errs) != len(skus) {
			t.Fatalf("%d failures for %d SKUs", len(errs), len(skus))
		}
	})
}
