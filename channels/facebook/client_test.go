package facebook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// graph is a stand-in Graph server that records the calls and answers with answer.
type graph struct {
	mu     sync.Mutex
	calls  []call
	answer func(c call) (int, string)
}

type call struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

func newGraph(t *testing.T, answer func(c call) (int, string)) (*graph, *Client) {
	t.Helper()
	g := &graph{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
		g.mu.Lock()
		g.calls = append(g.calls, c)
		g.mu.Unlock()
		status, out := g.answer(c)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, out)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(account(srv.URL), srv.Client())
	require.NoError(t, err)
	c.caller.Backoff, c.caller.MaxBackoff = time.Millisecond, 2*time.Millisecond
	return g, c
}

func account(base string) channels.Account {
	return channels.Account{
		Kind: channels.Facebook, ShopID: "1095000000000001", BaseURL: base + "/",
		Credentials: channels.Credentials{AccessToken: "EAAtoken", AppSecret: "fb-app-secret", Extra: map[string]string{"catalog_id": "2070000000000001"}},
	}
}

func (g *graph) recorded() []call {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]call(nil), g.calls...)
}

func TestNewClientRefusesIncompleteAccounts(t *testing.T) {
	full := account("https://graph.facebook.com")
	for name, edit := range map[string]func(a *channels.Account){
		"no base URL":     func(a *channels.Account) { a.BaseURL = "" },
		"no shop":         func(a *channels.Account) { a.ShopID = "" },
		"no token":        func(a *channels.Account) { a.AccessToken = "" },
		"no catalog":      func(a *channels.Account) { a.Extra = nil },
		"blank catalog":   func(a *channels.Account) { a.Extra = map[string]string{"catalog_id": " "} },
		"other extra key": func(a *channels.Account) { a.Extra = map[string]string{"location_id": "1"} },
	} {
		a := full
		edit(&a)
		_, err := NewClient(a, nil)
		require.ErrorIs(t, err, channels.ErrAccount, name)
	}
	a := full
	a.AppSecret = ""
	c, err := NewClient(a, nil)
	require.NoError(t, err, "the app secret is for webhooks and appsecret_proof only")
	require.Empty(t, c.proof)
}

func TestUpdatedRequest(t *testing.T) {
	page := string(fixture(t, "zibbet_order_spec_response.json"))
	g, c := newGraph(t, func(call) (int, string) { return http.StatusOK, page })
	since, until := time.Date(2020, 1, 30, 0, 0, 0, 0, time.UTC), time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	got, err := c.Updated(context.Background(), channels.PullQuery{Since: since, Until: until, PageSize: 10, Cursor: "QVFIUnZA"})
	require.NoError(t, err)
	require.Empty(t, got.Next, "the sample has no paging.next")
	require.Len(t, got.Orders, 1)
	require.Equal(t, "1095000000000001", got.Orders[0].ShopID)
	require.Equal(t, "368508827392800", got.Orders[0].ExternalID)

	r := g.recorded()[0]
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/v25.0/1095000000000001/commerce_orders", r.Path)
	require.Equal(t, "Bearer EAAtoken", r.Header.Get("Authorization"))
	require.Equal(t, url.Values{
		"state":           {"CREATED,IN_PROGRESS,COMPLETED"},
		"updated_after":   {fmt.Sprint(since.Unix() - 1)},
		"updated_before":  {fmt.Sprint(until.Unix())},
		"fields":          {orderFields},
		"limit":           {"10"},
		"after":           {"QVFIUnZA"},
		"appsecret_proof": {channels.HMACHex("fb-app-secret", "EAAtoken")},
	}, r.Query)

	_, err = c.Updated(context.Background(), channels.PullQuery{PageSize: 1000})
	require.NoError(t, err)
	q := g.recorded()[1].Query
	require.Equal(t, "100", q.Get("limit"), "clamped")
	require.False(t, q.Has("updated_after") || q.Has("updated_before") || q.Has("after"))
}

// TestRequestsMatchMetasSpec checks what the client asks for against Meta's published specs: every
// top-level field or edge it requests exists on CommerceOrder, and every commerce_orders filter it
// sends is a parameter of the edge with values of its enum.
func TestRequestsMatchMetasSpec(t *testing.T) {
	var order struct {
		APIs []struct {
			Method   string `json:"method"`
			Endpoint string `json:"endpoint"`
		} `json:"apis"`
		Fields []struct {
			Name string `json:"name"`
		} `json:"fields"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "fb_codegen_spec_CommerceOrder.json"), &order))
	known := map[string]bool{}
	for _, f := range order.Fields {
		known[f.Name] = true
	}
	for _, a := range order.APIs {
		if a.Method == "GET" && a.Endpoint != "" {
			known[a.Endpoint] = true
		}
	}
	for _, f := range topLevel(orderFields) {
		require.True(t, known[f], "CommerceOrder has no field or edge %q", f)
	}
	require.Contains(t, known, "shipments")
	require.Contains(t, known, "cancellations")

	var settings struct {
		APIs []struct {
			Method   string `json:"method"`
			Endpoint string `json:"endpoint"`
			Params   []struct {
				Name string `json:"name"`
			} `json:"params"`
		} `json:"apis"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "fb_codegen_spec_CommerceMerchantSettings.json"), &settings))
	var params []string
	for _, a := range settings.APIs {
		if a.Method == "GET" && a.Endpoint == "commerce_orders" {
			for _, p := range a.Params {
				params = append(params, p.Name)
			}
		}
	}
	require.Subset(t, params, []string{"state", "updated_after", "updated_before"})
	var enums []struct {
		Name   string   `json:"name"`
		Values []string `json:"values"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "fb_codegen_enum_types.commerce_excerpt.json"), &enums))
	for _, e := range enums {
		if e.Name == "commercemerchantsettingscommerce_orders_state_enum_param" {
			require.Subset(t, e.Values, strings.Split(pullStates, ","))
		}
	}
}

// topLevel splits a Graph fields list at its top level: "a,b{c,d},e" is a, b, e.
func topLevel(fields string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range fields + "," {
		switch {
		case r == '{':
			depth++
		case r == '}':
			depth--
		case r == ',' && depth == 0:
			name, _, _ := strings.Cut(fields[start:i], "{")
			out = append(out, name)
			start = i + 1
		}
	}
	return out
}

func TestThrottlingAndRefusals(t *testing.T) {
	tests := []struct {
		status int
		body   string
		limit  bool
	}{
		{400, `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"A1"}}`, true},
		{403, `{"error":{"message":"(#17) User request limit reached","type":"OAuthException","code":17,"error_subcode":2446079,"fbtrace_id":"A2"}}`, true},
		{400, `{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32}}`, true},
		{400, `{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613}}`, true},
		{400, `{"error":{"message":"There have been too many calls to this ad-account.","type":"OAuthException","code":80004}}`, true},
		{400, `{"error":{"message":"There have been too many calls for the batch uploads to this catalog account.","type":"OAuthException","code":"80014"}}`, true},
		{400, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"fbtrace_id":"A3"}}`, false},
		{400, `{"error":{"message":"(#100) Tried accessing nonexisting field (shipments)","type":"OAuthException","code":100}}`, false},
		{404, `not json`, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			g, c := newGraph(t, func(call) (int, string) { return tt.status, tt.body })
			_, err := c.Updated(context.Background(), channels.PullQuery{})
			require.Error(t, err)
			var rl *channels.RateLimitError
			if tt.limit {
				require.ErrorAs(t, err, &rl)
				require.False(t, errors.Is(err, channels.ErrRefused))
				require.Len(t, g.recorded(), 4, "throttling is retried")
				return
			}
			require.False(t, errors.As(err, &rl))
			require.ErrorIs(t, err, channels.ErrRefused)
			require.Len(t, g.recorded(), 1, "refusals are not retried")
			var ge *Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, tt.status, ge.Status)
		})
	}
}

func TestGraphError(t *testing.T) {
	e := graphError([]byte(`{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}}`))
	require.Equal(t, &Error{Code: 190, Subcode: 463, Type: "OAuthException", Message: "Invalid OAuth access token.", TraceID: "AbC"}, e)
	require.Nil(t, graphError([]byte(`{"data":[]}`)))
	require.Nil(t, graphError([]byte(`<html>`)))
	require.True(t, missing(&Error{Code: 100, Subcode: 33}))
	require.True(t, missing(fmt.Errorf("wrapped: %w", &Error{Code: 803})))
	require.False(t, missing(&Error{Code: 100}))
	require.False(t, missing(errors.New("other")))
}

func TestOrdersFallsBackWhenAnIDIsUnknown(t *testing.T) {
	order := func(id string) string {
		return `{"id":"` + id + `","order_status":{"state":"IN_PROGRESS"},"created":"2024-05-01T10:00:00+0000"}`
	}
	g, c := newGraph(t, func(r call) (int, string) {
		switch {
		case r.Path == "/v25.0/" && strings.Contains(r.Query.Get("ids"), "999"):
			return 404, `{"error":{"message":"(#803) Some of the aliases you requested do not exist: 999","type":"OAuthException","code":803}}`
		case r.Path == "/v25.0/":
			out := map[string]json.RawMessage{}
			for _, id := range strings.Split(r.Query.Get("ids"), ",") {
				out[id] = json.RawMessage(order(id))
			}
			b, _ := json.Marshal(out)
			return 200, string(b)
		case r.Path == "/v25.0/999":
			return 400, `{"error":{"message":"Unsupported get request. Object with ID '999' does not exist","type":"GraphMethodException","code":100,"error_subcode":33}}`
		}
		return 200, order(strings.TrimPrefix(r.Path, "/v25.0/"))
	})
	got, err := c.Orders(context.Background(), []string{"10100677592885259", "64000841790004"})
	require.NoError(t, err)
	require.Equal(t, []string{"10100677592885259", "64000841790004"}, ids(got))
	require.Equal(t, orderFields, g.recorded()[0].Query.Get("fields"))

	got, err = c.Orders(context.Background(), []string{"64000841790004", "999", "10100677592885259"})
	require.NoError(t, err)
	require.Equal(t, []string{"64000841790004", "10100677592885259"}, ids(got), "the unknown id is left out")
	require.Len(t, g.recorded(), 2+3, "one multi-id read, then one read per id")
	require.Equal(t, "1095000000000001", got[0].ShopID)

	many := make([]string, 120)
	for i := range many {
		many[i] = fmt.Sprint(64000841790000 + i)
	}
	got, err = c.Orders(context.Background(), many)
	require.NoError(t, err)
	require.Len(t, got, 120)
	require.Len(t, g.recorded(), 5+3, "50 ids a call")
}

func ids(orders []channels.Order) []string {
	out := make([]string, len(orders))
	for i, o := range orders {
		out[i] = o.ExternalID
	}
	return out
}

func TestAcceptReadsPerOrderErrors(t *testing.T) {
	published := string(fixture(t, "docs_example_acknowledge_orders_batch_response.json"))
	var docsReq map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "docs_example_acknowledge_orders_batch_request.json"), &docsReq))

	state := "" // what a read of 10100677592885259 answers
	g, c := newGraph(t, func(r call) (int, string) {
		if r.Method == "POST" {
			return 200, published
		}
		if state == "" {
			return 400, `{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33}}`
		}
		return 200, `{"id":"10100677592885259","order_status":{"state":"` + state + `"}}`
	})
	err := c.Accept(context.Background(), created("64000841790004", "10100677592885259"))
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Contains(t, err.Error(), "10100677592885259: error 2361003: Invalid Order ID")
	require.NotContains(t, err.Error(), "64000841790004")

	r := g.recorded()
	require.Equal(t, "/v25.0/1095000000000001/acknowledge_orders", r[0].Path)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(r[0].Body, &sent))
	require.Equal(t, keys(docsReq), keys(sent), "the body has the documented shape")
	require.Equal(t, []any{map[string]any{"id": "10100677592885259"}, map[string]any{"id": "64000841790004"}}, sent["orders"])
	require.Equal(t, "/v25.0/10100677592885259", r[1].Path)
	require.Equal(t, "order_status", r[1].Query.Get("fields"))

	state = "IN_PROGRESS"
	require.NoError(t, c.Accept(context.Background(), created("10100677592885259", "64000841790004")), "acknowledged before is fine")
	r = g.recorded()
	require.Equal(t, string(r[0].Body), string(r[2].Body), "the same orders, in any order, make the same call and key")

	state = "FB_PROCESSING"
	require.ErrorIs(t, c.Accept(context.Background(), created("10100677592885259")), channels.ErrRefused)
}

func TestAcceptBatches(t *testing.T) {
	g, c := newGraph(t, func(r call) (int, string) {
		var in struct {
			Orders []struct {
				ID string `json:"id"`
			} `json:"orders"`
		}
		_ = json.Unmarshal(r.Body, &in)
		out := make([]map[string]string, len(in.Orders))
		for i, o := range in.Orders {
			out[i] = map[string]string{"id": o.ID, "state": "IN_PROGRESS"}
		}
		b, _ := json.Marshal(map[string]any{"orders": out})
		return 200, string(b)
	})
	ids := make([]string, 205)
	for i := range ids {
		ids[i] = fmt.Sprint(64000841700000 + i)
	}
	require.NoError(t, c.Accept(context.Background(), created(append(ids, ids[0])...)))
	var sizes []int
	keys := map[string]bool{}
	for _, r := range g.recorded() {
		var in struct {
			Key    string           `json:"idempotency_key"`
			Orders []map[string]any `json:"orders"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &in))
		sizes = append(sizes, len(in.Orders))
		keys[in.Key] = true
	}
	require.Equal(t, []int{100, 100, 5}, sizes, "≤100 a call, duplicates once")
	require.Len(t, keys, 3, "each batch its own key")
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestConfirmShipment(t *testing.T) {
	var published map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "zibbet_fulfillment_spec_example_request.json"), &published))
	g, c := newGraph(t, func(call) (int, string) { return 200, `{"success":true}` })
	ctx := context.Background()
	s := channels.Shipment{
		OrderID: "64000841784004", Carrier: "FEDEX", TrackingNumber: "ship 1",
		Lines: []channels.ShipmentLine{{ListingID: "FB_product_1238", SKU: "X", Quantity: 1}, {SKU: "FB_product_5624", Quantity: 2}},
		Refs:  map[string]string{RefShippingMethod: "2 Day Fedex"},
	}
	require.NoError(t, c.ConfirmShipment(ctx, s))
	require.NoError(t, c.ConfirmShipment(ctx, s))
	other := s
	other.TrackingNumber = "ship 2"
	require.NoError(t, c.ConfirmShipment(ctx, other))
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: "64000841784004", Lines: []channels.ShipmentLine{{LineID: "2082596341811586", Quantity: 1}}}))

	r := g.recorded()
	require.Equal(t, "POST", r[0].Method)
	require.Equal(t, "/v25.0/64000841784004/shipments", r[0].Path)
	require.Equal(t, "application/json", r[0].Header.Get("Content-Type"))
	var sent map[string]any
	require.NoError(t, json.Unmarshal(r[0].Body, &sent))
	for _, k := range []string{"items", "tracking_info"} {
		require.Equal(t, published[k], sent[k], k+" as in the published request")
	}
	require.Subset(t, keys(published), keys(sent))
	key := sent["idempotency_key"].(string)
	require.Regexp(t, uuidShape, key)
	require.Equal(t, string(r[0].Body), string(r[1].Body), "a retried shipment carries the same key")
	require.NotContains(t, string(r[2].Body), key, "another shipment another key")
	require.JSONEq(t, `{"items":[{"item_id":"2082596341811586","quantity":1}],"idempotency_key":"`+keyOf(t, r[3].Body)+`"}`, string(r[3].Body), "no tracking number: no tracking_info")

	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: "1", Lines: []channels.ShipmentLine{{SKU: "A"}}}), channels.ErrRefused)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: "1", Lines: []channels.ShipmentLine{{Quantity: 1}}}), channels.ErrRefused)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{}), channels.ErrRefused)
	require.Len(t, g.recorded(), 4, "refused before calling")
}

func keyOf(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		Key string `json:"idempotency_key"`
	}
	require.NoError(t, json.Unmarshal(body, &v))
	return v.Key
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCancelOrder(t *testing.T) {
	g, c := newGraph(t, func(call) (int, string) { return 200, `{"success":true}` })
	ctx := context.Background()
	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: "64000841784004", Reason: "out_of_stock"}))
	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: "64000841784004", Reason: "the dog ate it", Lines: []channels.ShipmentLine{{ListingID: "item_A", Quantity: 2}}}))
	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: "64000841784004"}))
	r := g.recorded()
	require.Equal(t, "/v25.0/64000841784004/cancellations", r[0].Path)
	require.JSONEq(t, `{"cancel_reason":{"reason_code":"OUT_OF_STOCK"},"restock_items":false,"idempotency_key":"`+keyOf(t, r[0].Body)+`"}`, string(r[0].Body))
	require.JSONEq(t, `{"cancel_reason":{"reason_code":"CANCEL_REASON_OTHER","reason_description":"the dog ate it"},"restock_items":false,`+
		`"items":[{"retailer_id":"item_A","quantity":2}],"idempotency_key":"`+keyOf(t, r[1].Body)+`"}`, string(r[1].Body))
	require.JSONEq(t, `{"cancel_reason":{"reason_code":"CANCEL_REASON_OTHER"},"restock_items":false,"idempotency_key":"`+keyOf(t, r[2].Body)+`"}`, string(r[2].Body))
	require.NotEqual(t, keyOf(t, r[0].Body), keyOf(t, r[2].Body))

	_, c = newGraph(t, func(call) (int, string) {
		return 400, `{"error":{"message":"Order cannot be cancelled","type":"OAuthException","code":100}}`
	})
	require.ErrorIs(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: "1"}), channels.ErrRefused)
}

func TestPushStock(t *testing.T) {
	g, c := newGraph(t, func(call) (int, string) {
		return 200, `{"handles":["AczXYZ"],"validation_status":[{"retailer_id":"B","errors":[{"message":"Invalid quantity"},{"message":"Item not found"}],"warnings":[]},{"retailer_id":"A","errors":[],"warnings":[{"message":"ignored"}]}]}`
	})
	res, err := c.PushStock(context.Background(), []channels.StockLevel{
		{ListingID: "A", Quantity: 7}, {ListingID: "B", Quantity: 3}, {SKU: "NOLISTING", Quantity: 1}, {ListingID: "C", Quantity: -2},
	})
	require.NoError(t, err)
	require.Equal(t, []string{"A", "B", "", "C"}, []string{res[0].ListingID, res[1].ListingID, res[2].ListingID, res[3].ListingID})
	require.NoError(t, res[0].Err, "warnings are not failures")
	require.ErrorIs(t, res[1].Err, channels.ErrRefused)
	require.Contains(t, res[1].Err.Error(), "Invalid quantity; Item not found")
	require.ErrorIs(t, res[2].Err, channels.ErrRefused)
	require.NoError(t, res[3].Err)

	r := g.recorded()
	require.Len(t, r, 1)
	require.Equal(t, "/v25.0/2070000000000001/items_batch", r[0].Path)
	require.JSONEq(t, `{"item_type":"PRODUCT_ITEM","allow_upsert":false,"requests":[`+
		`{"method":"UPDATE","data":{"id":"A","quantity_to_sell_on_facebook":7}},`+
		`{"method":"UPDATE","data":{"id":"B","quantity_to_sell_on_facebook":3}},`+
		`{"method":"UPDATE","data":{"id":"C","quantity_to_sell_on_facebook":0}}]}`, string(r[0].Body))

	_, c = newGraph(t, func(call) (int, string) {
		return 400, `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100}}`
	})
	res, err = c.PushStock(context.Background(), []channels.StockLevel{{ListingID: "A", Quantity: 1}})
	require.NoError(t, err)
	require.ErrorIs(t, res[0].Err, channels.ErrRefused)

	_, c = newGraph(t, func(call) (int, string) {
		return 400, `{"error":{"message":"too many calls","type":"OAuthException","code":80014}}`
	})
	_, err = c.PushStock(context.Background(), []channels.StockLevel{{ListingID: "A", Quantity: 1}})
	var rl *channels.RateLimitError
	require.ErrorAs(t, err, &rl)
}

func TestPushStockBatches(t *testing.T) {
	g, c := newGraph(t, func(call) (int, string) { return 200, `{"handles":["h"],"validation_status":[]}` })
	levels := make([]channels.StockLevel, maxItems+1)
	for i := range levels {
		levels[i] = channels.StockLevel{ListingID: fmt.Sprint("R", i), Quantity: int64(i)}
	}
	res, err := c.PushStock(context.Background(), levels)
	require.NoError(t, err)
	require.Len(t, res, len(levels))
	require.Len(t, g.recorded(), 2)
}

// created are orders as a pull reads them while they wait to be acknowledged.
func created(ids ...string) []channels.Order {
	out := make([]channels.Order, len(ids))
	for i, id := range ids {
		out[i] = channels.Order{ExternalID: id, ChannelStatus: "CREATED"}
	}
	return out
}
