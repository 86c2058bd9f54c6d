package tiktokshop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestSignedQueryDocsWalkthrough(t *testing.T) {
	// The worked example of the official "Sign your API request" guide: its inputs and its
	// published result, both read from the saved doc record.
	guide := string(fixture(t, "opendoc_guide_sign-your-api-request.json"))
	const want = "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
	require.Contains(t, guide, "e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc")
	require.Contains(t, guide, want)

	q := signedQuery("29a39d", "e59af819cc", "/authorization/202309/shops", nil, nil, time.Unix(1623812664, 0))
	require.Equal(t, url.Values{"app_key": {"29a39d"}, "timestamp": {"1623812664"}, "sign": {want}}, q)
}

func TestSignedQueryKeepsParamsAndSignsBody(t *testing.T) {
	in := url.Values{"page_size": {"10"}, "page_token": {"6AsP/N5M+1k="}, "shop_cipher": {"ROW_x"}}
	body := []byte(`{"update_time_ge":1623812664}`)
	q := signedQuery("k", "s", "/order/202309/orders/search", in, body, time.Unix(1700000000, 0))
	require.Equal(t, url.Values{"page_size": {"10"}, "page_token": {"6AsP/N5M+1k="}, "shop_cipher": {"ROW_x"}}, in, "the input is not changed")
	require.Equal(t, "k", q.Get("app_key"))
	require.Equal(t, "1700000000", q.Get("timestamp"))
	params := map[string]string{"app_key": "k", "timestamp": "1700000000", "page_size": "10", "page_token": "6AsP/N5M+1k=", "shop_cipher": "ROW_x"}
	require.Equal(t, Sign("s", "/order/202309/orders/search", params, body), q.Get("sign"))
	require.NotEqual(t, Sign("s", "/order/202309/orders/search", params, nil), q.Get("sign"), "the body is signed")
}

func TestNewClientRefusesIncompleteAccounts(t *testing.T) {
	full := func() channels.Account {
		return channels.Account{Kind: channels.TikTokShop, BaseURL: "https://open-api.tiktokglobalshop.com/", Credentials: channels.Credentials{
			AppKey: "k", AppSecret: "s", AccessToken: "t", Extra: map[string]string{ExtraShopCipher: "ROW_x"}}}
	}
	c, err := NewClient(full(), nil)
	require.NoError(t, err)
	require.Equal(t, "https://open-api.tiktokglobalshop.com", c.account.BaseURL)
	for name, drop := range map[string]func(*channels.Account){
		"base URL":     func(a *channels.Account) { a.BaseURL = "" },
		"app key":      func(a *channels.Account) { a.AppKey = "" },
		"app secret":   func(a *channels.Account) { a.AppSecret = "" },
		"access token": func(a *channels.Account) { a.AccessToken = "" },
		"shop cipher":  func(a *channels.Account) { a.Extra = nil },
	} {
		t.Run(name, func(t *testing.T) {
			a := full()
			drop(&a)
			_, err := NewClient(a, nil)
			require.ErrorIs(t, err, channels.ErrAccount)
		})
	}
}

func TestThrottled(t *testing.T) {
	for body, want := range map[string]bool{
		`{"code":36009002,"message":"Too many requests.","request_id":"1"}`: true,
		`{"code":"36009002"}`:                           true,
		`{"code":0,"data":{}}`:                          false,
		`{"code":36009003,"message":"Internal error."}`: false,
		`{"data":{"code":36009002}}`:                    false,
		`Too Many Requests`:                             false,
		``:                                              false,
	} {
		require.Equal(t, want, throttled(http.StatusOK, []byte(body)), body)
	}
}

func TestAnswer(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		data    string
		refused bool
		errText string
	}{
		{"success", 200, `{"code":0,"data":{"orders":[]},"message":"Success","request_id":"r"}`, `{"orders":[]}`, false, ""},
		{"code in a 200", 200, `{"code":12052032,"message":"The product does not exist","request_id":"r1"}`, "", true, "code 12052032: The product does not exist (request r1)"},
		{"code with an HTTP error", 401, `{"code":106001,"message":"Invalid sign parameter","request_id":"r2"}`, "", true, "HTTP 401: code 106001"},
		{"HTTP error without an envelope", 404, `404 page not found`, "", true, "HTTP 404: 404 page not found"},
		{"unreadable 200", 200, `<html>`, "", false, "answer"},
		{"200 without a code", 200, `{"data":{}}`, "", false, "no code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := answer(http.MethodGet, pathOrders, &channels.Response{Status: tt.status, Body: []byte(tt.body)})
			if tt.errText == "" {
				require.NoError(t, err)
				require.JSONEq(t, tt.data, string(data))
				return
			}
			require.ErrorContains(t, err, tt.errText)
			require.Equal(t, tt.refused, errors.Is(err, channels.ErrRefused))
		})
	}
}

func TestWindow(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name string
		q    channels.PullQuery
		want string
	}{
		{"whole seconds", channels.PullQuery{Since: at("2024-01-01T00:00:00Z"), Until: at("2024-01-01T01:00:00Z")}, `{"update_time_ge":1704067200,"update_time_lt":1704070800}`},
		{"Since down, Until up", channels.PullQuery{Since: at("2024-01-01T00:00:00.9Z"), Until: at("2024-01-01T01:00:00.1Z")}, `{"update_time_ge":1704067200,"update_time_lt":1704070801}`},
		{"open ended", channels.PullQuery{Since: at("2024-01-01T00:00:00Z")}, `{"update_time_ge":1704067200}`},
		{"from the start", channels.PullQuery{}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(window(tt.q))
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(b))
		})
	}
}

func TestSKUErrorsDocsSample(t *testing.T) {
	var e envelope
	require.NoError(t, json.Unmarshal(fixture(t, "docs_example_response_update-inventory.json"), &e))
	require.Equal(t, "0", e.Code.String(), "the sample fails a SKU with code 0")
	errs, err := skuErrors("1729382561353664372", e.Data)
	require.NoError(t, err)
	require.Len(t, errs, 1)
	got := errs["1729592969712207013"]
	require.ErrorIs(t, got, channels.ErrRefused)
	require.ErrorContains(t, got, "code 12052990: Check failed; warehouse 7068517275539719942: code 12052097: The warehouse does not exist")

	errs, err = skuErrors("1", json.RawMessage(`{"errors":[{"code":12052032,"message":"The product does not exist"}]}`))
	require.NoError(t, err)
	require.ErrorContains(t, errs[""], "12052032")
	errs, err = skuErrors("1", nil)
	require.NoError(t, err)
	require.Empty(t, errs)
}

// fakeAPI is a TikTok Shop stand-in that records the calls it gets and answers each with the next
// of its answers (the last one repeats).
type fakeAPI struct {
	mu      sync.Mutex
	calls   []*http.Request
	bodies  [][]byte
	answers []string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls = append(f.calls, r)
	f.bodies = append(f.bodies, body)
	a := f.answers[min(len(f.calls), len(f.answers))-1]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, a)
}

func newFake(t *testing.T, answers ...string) (*fakeAPI, *Client) {
	t.Helper()
	f := &fakeAPI{answers: answers}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewClient(channels.Account{Kind: channels.TikTokShop, ShopID: "7494049642642441621", BaseURL: srv.URL + "/api", Credentials: channels.Credentials{
		AppKey: "38abcd", AppSecret: "secret", AccessToken: "TTP_token", Extra: map[string]string{ExtraShopCipher: "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3", ExtraWarehouseID: "7068517275539719942"}}}, nil)
	require.NoError(t, err)
	c.now = func() time.Time { return time.Unix(1623812664, 0) }
	c.caller.Backoff, c.caller.MaxBackoff = time.Millisecond, 10*time.Millisecond
	return f, c
}

// requireSigned checks that call i carries the common parameters, a valid sign over the API path
// (not the base URL's) and the access token.
func (f *fakeAPI) requireSigned(t *testing.T, i int, method, path string) url.Values {
	t.Helper()
	r := f.calls[i]
	require.Equal(t, method, r.Method)
	require.Equal(t, "/api"+path, r.URL.Path)
	q := r.URL.Query()
	require.Equal(t, "38abcd", q.Get("app_key"))
	require.Equal(t, "1623812664", q.Get("timestamp"))
	require.Equal(t, "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3", q.Get("shop_cipher"))
	params := map[string]string{}
	for k := range q {
		params[k] = q.Get(k)
	}
	require.Equal(t, Sign("secret", path, params, f.bodies[i]), q.Get("sign"))
	require.Equal(t, "TTP_token", r.Header.Get(HeaderAccessToken))
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	return q
}

func TestOrdersChunksIDs(t *testing.T) {
	detail := string(inUSD(t, fixture(t, "docs_example_response_get-order-detail.json")))
	f, c := newFake(t, detail)
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = fmt.Sprintf("5764614130387%05d", i)
	}
	got, err := c.Orders(context.Background(), ids)
	require.NoError(t, err)
	require.Len(t, f.calls, 2)
	q := f.requireSigned(t, 0, http.MethodGet, "/order/202309/orders")
	require.Equal(t, strings.Join(ids[:50], ","), q.Get("ids"))
	q = f.requireSigned(t, 1, http.MethodGet, "/order/202309/orders")
	require.Equal(t, ids[50], q.Get("ids"))
	require.Len(t, got, 2)
	require.Equal(t, "576461413038785752", got[0].ExternalID)
	require.Equal(t, "7494049642642441621", got[0].ShopID)
}

func TestUpdatedPages(t *testing.T) {
	list := string(inUSD(t, fixture(t, "docs_example_response_get-order-list.json")))
	last := `{"code":0,"data":{"next_page_token":"","total_count":1,"orders":[]},"message":"Success","request_id":"r"}`
	f, c := newFake(t, list, last)
	since := time.Unix(1619611000, 0)
	page, err := c.Updated(context.Background(), channels.PullQuery{Since: since, PageSize: 500})
	require.NoError(t, err)
	require.Len(t, page.Orders, 1)
	const token = "6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1ud64MPNz5OaT"
	require.Equal(t, token, page.Next)
	q := f.requireSigned(t, 0, http.MethodPost, "/order/202309/orders/search")
	require.Equal(t, "100", q.Get("page_size"), "clamped")
	require.Equal(t, "update_time", q.Get("sort_field"))
	require.Equal(t, "ASC", q.Get("sort_order"))
	require.False(t, q.Has("page_token"))
	require.JSONEq(t, `{"update_time_ge":1619611000}`, string(f.bodies[0]))

	page, err = c.Updated(context.Background(), channels.PullQuery{Since: since, Cursor: page.Next, PageSize: 20})
	require.NoError(t, err)
	require.Empty(t, page.Orders)
	require.Empty(t, page.Next)
	q = f.requireSigned(t, 1, http.MethodPost, "/order/202309/orders/search")
	require.Equal(t, token, q.Get("page_token"), "the token, with its + and /, survives the query")
	require.Equal(t, "20", q.Get("page_size"))
	require.JSONEq(t, `{"update_time_ge":1619611000}`, string(f.bodies[1]), "the same window on every page")
}

func TestThrottlingBecomesRateLimitError(t *testing.T) {
	f, c := newFake(t, `{"code":36009002,"message":"Too many requests. You've made too many requests in a short period of time.","request_id":"r"}`)
	_, err := c.Updated(context.Background(), channels.PullQuery{})
	var rl *channels.RateLimitError
	require.ErrorAs(t, err, &rl)
	require.False(t, errors.Is(err, channels.ErrRefused))
	require.Len(t, f.calls, 4, "retried before giving up")

	// A throttled call that then passes is not an error.
	f, c = newFake(t, `{"code":36009002,"message":"Too many requests."}`, `{"code":0,"data":{}}`)
	require.NoError(t, c.ConfirmShipment(context.Background(), channels.Shipment{OrderID: "1", Refs: map[string]string{RefPackageID: "2"}}))
	require.Len(t, f.calls, 2)
}

func TestPushStock(t *testing.T) {
	f, c := newFake(t, string(fixture(t, "docs_example_response_update-inventory.json")), `{"code":12052032,"message":"The product does not exist","request_id":"r"}`)
	res, err := c.PushStock(context.Background(), []channels.StockLevel{
		{ListingID: "1729592969712207013", Attrs: map[string]string{AttrProductID: "1729382561353664372"}, Quantity: 999},
		{ListingID: "1729592969712207014", Attrs: map[string]string{AttrProductID: "1729382561353664372", AttrWarehouseID: "7000714532876273888"}, Quantity: -3},
		{ListingID: "1729592969712207014", Attrs: map[string]string{AttrProductID: "1729382561353664372", AttrWarehouseID: "7000714532876273666"}, Quantity: 250000},
		{ListingID: "1729592969712207099", Attrs: map[string]string{AttrProductID: "1729382561353664999"}, Quantity: 1},
		{ListingID: "1729592969712207100", Attrs: map[string]string{}, Quantity: 1},
	})
	require.NoError(t, err)
	require.Len(t, f.calls, 2, "one call per product; none for the listing without a product")
	f.requireSigned(t, 0, http.MethodPost, "/product/202309/products/1729382561353664372/inventory/update")
	require.JSONEq(t, `{"skus":[
		{"id":"1729592969712207013","inventory":[{"warehouse_id":"7068517275539719942","quantity":999}]},
		{"id":"1729592969712207014","inventory":[{"warehouse_id":"7000714532876273888","quantity":0},{"warehouse_id":"7000714532876273666","quantity":99999}]}]}`,
		string(f.bodies[0]))
	f.requireSigned(t, 1, http.MethodPost, "/product/202309/products/1729382561353664999/inventory/update")

	require.ErrorIs(t, res[0].Err, channels.ErrRefused, "the SKU the sample fails, with code 0")
	require.ErrorContains(t, res[0].Err, "12052097")
	require.NoError(t, res[1].Err)
	require.NoError(t, res[2].Err)
	require.ErrorIs(t, res[3].Err, channels.ErrRefused, "the product call refused")
	require.ErrorContains(t, res[3].Err, "12052032")
	require.ErrorIs(t, res[4].Err, channels.ErrRefused, "no product_id")
	for i, r := range res {
		require.NotEmpty(t, r.ListingID, i)
	}
}

func TestInventoryUpdateMatchesTheDocsRequestShape(t *testing.T) {
	c := &Client{}
	body, err := json.Marshal(c.inventoryUpdate([]channels.StockLevel{{ListingID: "1729592969712207013",
		Attrs: map[string]string{AttrWarehouseID: "7068517275539719942"}, Quantity: 999}}, []int{0}))
	require.NoError(t, err)
	var docs map[string][]map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "docs_example_request_update-inventory.json"), &docs))
	for _, inv := range docs["skus"][0]["inventory"].([]any) {
		delete(inv.(map[string]any), "backorder_quantity") // fields Ordo does not send
		delete(inv.(map[string]any), "handling_time")
	}
	want, err := json.Marshal(docs)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(body))

	// A one-warehouse shop may leave the warehouse out.
	body, err = json.Marshal(c.inventoryUpdate([]channels.StockLevel{{ListingID: "1", Quantity: 5}}, []int{0}))
	require.NoError(t, err)
	require.JSONEq(t, `{"skus":[{"id":"1","inventory":[{"quantity":5}]}]}`, string(body))
}

func TestConfirmShipment(t *testing.T) {
	ok := string(fixture(t, "docs_example_response_ship-package.json"))
	tests := []struct {
		name     string
		s        channels.Shipment
		answers  []string
		path     string
		body     string
		fetched  bool
		refusedL bool // refused before any ship call
	}{{
		name: "seller shipping, provider id in Refs",
		s: channels.Shipment{OrderID: "576461413038785752", Carrier: "Kerry", TrackingNumber: "JX12345",
			Refs: map[string]string{RefPackageID: "1152321127278713123", RefShippingProviderID: "6617675021119438849"}},
		answers: []string{ok},
		path:    "/fulfillment/202309/packages/1152321127278713123/ship",
		body:    `{"handover_method":"DROP_OFF","self_shipment":{"tracking_number":"JX12345","shipping_provider_id":"6617675021119438849"}}`,
	}, {
		name:    "provider id as the carrier; the package from the fetched order",
		s:       channels.Shipment{OrderID: "576461413038785752", Carrier: "6617675021119438849", TrackingNumber: "JX9"},
		answers: []string{string(inUSD(t, fixture(t, "docs_example_response_get-order-detail.json"))), ok},
		path:    "/fulfillment/202309/packages/1152321127278713123/ship",
		body:    `{"handover_method":"DROP_OFF","self_shipment":{"tracking_number":"JX9","shipping_provider_id":"6617675021119438849"}}`,
		fetched: true,
	}, {
		name:    "TikTok shipping: no tracking number",
		s:       channels.Shipment{OrderID: "1", Refs: map[string]string{RefPackageID: "2"}},
		answers: []string{ok},
		path:    "/fulfillment/202309/packages/2/ship",
		body:    `{"handover_method":"DROP_OFF"}`,
	}, {
		name:     "a tracking number without any provider",
		s:        channels.Shipment{OrderID: "1", TrackingNumber: "JX1", Refs: map[string]string{RefPackageID: "2"}},
		answers:  []string{ok},
		refusedL: true,
	}, {
		name:     "an order without a package",
		s:        channels.Shipment{OrderID: "576461413038785752"},
		answers:  []string{`{"code":0,"data":{"orders":[]}}`},
		fetched:  true,
		refusedL: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, tt.answers...)
			err := c.ConfirmShipment(context.Background(), tt.s)
			calls := 0
			if tt.fetched {
				f.requireSigned(t, 0, http.MethodGet, "/order/202309/orders")
				calls++
			}
			if tt.refusedL {
				require.ErrorIs(t, err, channels.ErrRefused)
				require.Len(t, f.calls, calls)
				return
			}
			require.NoError(t, err)
			require.Len(t, f.calls, calls+1)
			f.requireSigned(t, calls, http.MethodPost, tt.path)
			require.JSONEq(t, tt.body, string(f.bodies[calls]))
		})
	}

	f, c := newFake(t, `{"code":21011040,"message":"Package has already been shipped.","request_id":"r"}`)
	err := c.ConfirmShipment(context.Background(), channels.Shipment{OrderID: "1", Refs: map[string]string{RefPackageID: "2"}})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.ErrorContains(t, err, "21011040")
	require.Len(t, f.calls, 1, "a refusal is not retried")
}

func TestCancelOrder(t *testing.T) {
	ok := string(fixture(t, "docs_example_response_cancel-order.json"))
	tests := []struct {
		name string
		x    channels.Cancellation
		body string
	}{
		{"whole order, Ordo's reason replaced", channels.Cancellation{OrderID: "577087614418520388", Reason: "out of stock"},
			`{"order_id":"577087614418520388","cancel_reason":"seller_cancel_reason_out_of_stock"}`},
		{"a TikTok reason key is kept", channels.Cancellation{OrderID: "577087614418520388", Reason: "seller_cancel_reason_wrong_price"},
			`{"order_id":"577087614418520388","cancel_reason":"seller_cancel_reason_wrong_price"}`},
		{"units of a line", channels.Cancellation{OrderID: "577087614418520388", Lines: []channels.ShipmentLine{{SKU: "TEE", UnitIDs: []string{"577087614418716996", "577087614418716997"}, Quantity: 2}}},
			`{"order_id":"577087614418520388","cancel_reason":"seller_cancel_reason_out_of_stock","order_line_item_ids":["577087614418716996","577087614418716997"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, ok)
			require.NoError(t, c.CancelOrder(context.Background(), tt.x))
			f.requireSigned(t, 0, http.MethodPost, "/return_refund/202309/cancellations")
			require.JSONEq(t, tt.body, string(f.bodies[0]))
		})
	}
	f, c := newFake(t, ok)
	err := c.CancelOrder(context.Background(), channels.Cancellation{OrderID: "1", Lines: []channels.ShipmentLine{{SKU: "TEE", Quantity: 1}}})
	require.ErrorIs(t, err, channels.ErrRefused, "a line without unit ids would cancel the whole order")
	require.Empty(t, f.calls)
}

func TestClientWebhooks(t *testing.T) {
	v := vectors(t, "webhook_authorization_header")[0]
	c, err := NewClient(channels.Account{BaseURL: "https://x", Credentials: channels.Credentials{
		AppKey: v.AppKey, AppSecret: v.Secret, AccessToken: "t", Extra: map[string]string{ExtraShopCipher: "c"}}}, nil)
	require.NoError(t, err)
	h := http.Header{"Authorization": {v.Computed}}
	require.NoError(t, c.Verify(h, []byte(v.RawBody), time.Unix(1664095733, 0)))
	n, err := c.Parse(h, []byte(v.RawBody))
	require.NoError(t, err)
	require.Equal(t, []string{"576684019603311365"}, n.OrderIDs)
}

// keyPaths lists the object keys of a JSON value as dotted paths ("self_shipment.tracking_number").
func keyPaths(t *testing.T, raw []byte) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				out = append(out, prefix+k)
				walk(prefix+k+".", e)
			}
		case []any:
			for _, e := range x {
				walk(prefix, e)
			}
		}
	}
	walk("", v)
	return out
}

func TestRequestBodiesUseDocumentedFields(t *testing.T) {
	marshal := func(v any) []byte {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
	ship, err := shipRequestOf(channels.Shipment{TrackingNumber: "JX1", Carrier: "66"})
	require.NoError(t, err)
	c := &Client{}
	for docs, ours := range map[string][]byte{
		"docs_example_request_get-order-list.json":   marshal(window(channels.PullQuery{Since: time.Unix(1, 0), Until: time.Unix(2, 0)})),
		"docs_example_request_ship-package.json":     marshal(ship),
		"docs_example_request_cancel-order.json":     marshal(cancelRequest{OrderID: "1", CancelReason: "r", LineItemIDs: []string{"2"}}),
		"docs_example_request_update-inventory.json": marshal(c.inventoryUpdate([]channels.StockLevel{{ListingID: "1", Attrs: map[string]string{AttrWarehouseID: "2"}}}, []int{0})),
	} {
		require.Subset(t, keyPaths(t, fixture(t, docs)), keyPaths(t, ours), docs)
	}
}
