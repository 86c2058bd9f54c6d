package shopee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// A shop as the docs' signing example has it.
const (
	partnerID = 2001887
	shopID    = 14701711
	token     = "59777174636562737266615546704c6d"
)

// clientNow is the clock of the tests' clients: 2024-04-09T15:30:00Z, 23:30 in UTC+8.
var clientNow = time.Date(2024, 4, 9, 15, 30, 0, 0, time.UTC)

// call is one request the fake Shopee received.
type call struct {
	Method, Path string
	Query        neturl.Values
	Body         string
}

// fake is a Shopee stand-in: answer maps an api path to the JSON it answers, and every call is kept.
type fake struct {
	mu     sync.Mutex
	calls  []call
	answer func(c call) (int, string)
}

func (f *fake) recorded() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// newClient starts a fake behind a gateway path, so that signing over BaseURL's path would show.
func newClient(t *testing.T, answer func(c call) (int, string)) (*Client, *fake) {
	t.Helper()
	f := &fake{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := call{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, "/gateway"), Query: r.URL.Query(), Body: string(body)}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		status, resp := f.answer(c)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, resp)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(channels.Account{
		Kind: channels.Shopee, ShopID: strconv.Itoa(shopID), BaseURL: srv.URL + "/gateway/",
		WebhookURL:  url,
		Credentials: channels.Credentials{AppKey: strconv.Itoa(partnerID), AppSecret: key, AccessToken: token},
	}, srv.Client())
	require.NoError(t, err)
	c.now = func() time.Time { return clientNow }
	c.caller.Backoff, c.caller.Attempts = time.Millisecond, 2
	return c, f
}

// ok wraps a response object in Shopee's envelope.
func ok(response string) (int, string) {
	return http.StatusOK, `{"error":"","message":"","request_id":"r1","response":` + response + `}`
}

func refusal(code, message string) (int, string) {
	return http.StatusOK, fmt.Sprintf(`{"error":%q,"message":%q,"request_id":"r2"}`, code, message)
}

// details answers get_order_detail with a minimal order per order_sn asked, but "GONE".
func details(c call) (int, string) {
	var list []string
	for _, sn := range strings.Split(c.Query.Get("order_sn_list"), ",") {
		if sn != "GONE" {
			list = append(list, fmt.Sprintf(`{"order_sn":%q,"order_status":"READY_TO_SHIP","currency":"THB","item_list":[{"item_id":100,"model_id":7,"model_quantity_purchased":1},{"item_id":200,"model_id":0,"model_quantity_purchased":2}]}`, sn))
		}
	}
	return ok(`{"order_list":[` + strings.Join(list, ",") + `]}`)
}

func TestNewClientRefusesIncompleteAccounts(t *testing.T) {
	full := channels.Account{
		ShopID: "14701711", BaseURL: "https://partner.shopeemobile.com",
		Credentials: channels.Credentials{AppKey: "2001887", AppSecret: "k", AccessToken: "t"},
	}
	_, err := NewClient(full, nil)
	require.NoError(t, err)
	for name, spoil := range map[string]func(a *channels.Account){
		"no base URL":          func(a *channels.Account) { a.BaseURL = "" },
		"no shop":              func(a *channels.Account) { a.ShopID = "" },
		"shop not numeric":     func(a *channels.Account) { a.ShopID = "my-shop" },
		"no partner id":        func(a *channels.Account) { a.AppKey = "" },
		"partner id not a num": func(a *channels.Account) { a.AppKey = "app-123" },
		"partner id zero":      func(a *channels.Account) { a.AppKey = "0" },
		"no partner key":       func(a *channels.Account) { a.AppSecret = "" },
		"no access token":      func(a *channels.Account) { a.AccessToken = "" },
	} {
		a := full
		spoil(&a)
		_, err := NewClient(a, nil)
		require.ErrorIs(t, err, channels.ErrAccount, name)
	}
}

func TestCallsAreSignedOverTheAPIPath(t *testing.T) {
	c, f := newClient(t, details)
	got, err := c.Orders(context.Background(), []string{"2404098R48U37H"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, strconv.Itoa(shopID), got[0].ShopID)

	r := f.recorded()[0]
	require.Equal(t, http.MethodGet, r.Method)
	require.Equal(t, PathOrderDetail, r.Path)
	q := r.Query
	ts := clientNow.Unix()
	require.Equal(t, "2001887", q.Get("partner_id"))
	require.Equal(t, strconv.FormatInt(ts, 10), q.Get("timestamp"))
	require.Equal(t, token, q.Get("access_token"))
	require.Equal(t, "14701711", q.Get("shop_id"))
	require.Equal(t, channels.HMACHex(key, "2001887/api/v2/order/get_order_detail"+strconv.FormatInt(ts, 10)+token+"14701711"), q.Get("sign"))
	require.Equal(t, "2404098R48U37H", q.Get("order_sn_list"))
	require.Equal(t, DetailFields, q.Get("response_optional_fields"))
	require.Empty(t, r.Body)
}

func TestOrdersChunksKeepOrderAndDropUnknown(t *testing.T) {
	c, f := newClient(t, func(c call) (int, string) {
		if c.Query.Get("order_sn_list") == "GONE" {
			return refusal("error_not_found", "Wrong parameters, detail: the order is not found.")
		}
		return details(c)
	})
	ids := []string{"GONE"}
	for i := range 60 {
		ids = append(ids, fmt.Sprintf("SN%02d", i))
	}
	got, err := c.Orders(context.Background(), ids)
	require.NoError(t, err)
	require.Len(t, got, 60)
	for i, o := range got {
		require.Equal(t, fmt.Sprintf("SN%02d", i), o.ExternalID)
	}
	calls := f.recorded()
	require.Len(t, calls, 2)
	require.Len(t, strings.Split(calls[0].Query.Get("order_sn_list"), ","), 50)
	require.Len(t, strings.Split(calls[1].Query.Get("order_sn_list"), ","), 11)

	none, err := c.Orders(context.Background(), []string{"GONE"})
	require.NoError(t, err, "error_not_found is no order")
	require.Empty(t, none)
}

// anyWait stands for whatever RetryAfter the Caller's backoff reached.
const anyWait = -1

func TestErrorsInTheBody(t *testing.T) {
	tests := []struct {
		name    string
		answer  func() (int, string)
		refused bool
		limited time.Duration // the RateLimitError's RetryAfter, when one (anyWait: the backoff's)
		calls   int
	}{
		{"rate limit is retried, then a RateLimitError", func() (int, string) {
			return refusal("error_rate_limit", "Too many requests. You have reached the rate limit. Please try again later.")
		}, false, anyWait, 2},
		{"rate limit with HTTP 429", func() (int, string) {
			return http.StatusTooManyRequests, `{"error":"error_rate_limit","message":"Too many requests."}`
		}, false, anyWait, 2},
		{"daily limit waits for 00:00 UTC+8", func() (int, string) {
			return refusal("error_limit", "The total API call number made by your APP has reached the daily API call limit")
		}, false, 30 * time.Minute, 1},
		{"wrong sign is refused", func() (int, string) {
			return http.StatusForbidden, `{"error":"error_sign","message":"Wrong sign.","request_id":"x"}`
		}, true, 0, 1},
		{"bad parameters are refused", func() (int, string) { return refusal("error_param", "Wrong parameters") }, true, 0, 1},
		{"a refusal without a body", func() (int, string) { return http.StatusForbidden, `Forbidden` }, true, 0, 1},
		{"a server error in the body is transient", func() (int, string) { return refusal("error_server", "System error. Please try again later.") }, false, 0, 1},
		{"a server error over HTTP 500 is retried", func() (int, string) { return http.StatusInternalServerError, `{"error":"error_server"}` }, false, 0, 2},
		{"an unreadable success", func() (int, string) { return http.StatusOK, `<html>` }, false, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newClient(t, func(call) (int, string) { return tt.answer() })
			_, err := c.Orders(context.Background(), []string{"X"})
			require.Error(t, err)
			require.Equal(t, tt.refused, errors.Is(err, channels.ErrRefused), "%v", err)
			var rl *channels.RateLimitError
			require.Equal(t, tt.limited != 0, errors.As(err, &rl), "%v", err)
			switch {
			case rl != nil && tt.limited == anyWait:
				require.Positive(t, rl.RetryAfter)
			case rl != nil:
				require.Equal(t, tt.limited, rl.RetryAfter)
			}
			require.Len(t, f.recorded(), tt.calls)
		})
	}
}

func TestUntilQuotaReset(t *testing.T) {
	for at, want := range map[string]time.Duration{
		"2024-04-09T15:30:00Z": 30 * time.Minute,
		"2024-04-09T16:00:00Z": 24 * time.Hour,
		"2024-04-09T00:00:00Z": 16 * time.Hour,
		"2024-12-31T15:59:59Z": time.Second,
	} {
		now, err := time.Parse(time.RFC3339, at)
		require.NoError(t, err)
		require.Equal(t, want, untilQuotaReset(now), at)
	}
}

func TestThrottled(t *testing.T) {
	require.True(t, throttled(200, []byte(`{"error":"error_rate_limit","message":"Too many requests."}`)))
	require.False(t, throttled(200, []byte(`{"error":"","response":{"note":"error_rate_limit"}}`)))
	require.False(t, throttled(200, []byte(`{"error":"error_limit"}`)))
	require.False(t, throttled(200, []byte(`error_rate_limit`)))
}

func TestUpdatedWalksWindowsAndPages(t *testing.T) {
	since := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	until := since.Add(20 * 24 * time.Hour)
	window2 := since.Add(15 * 24 * time.Hour)
	c, f := newClient(t, func(c call) (int, string) {
		if c.Path == PathOrderDetail {
			return details(c)
		}
		switch c.Query.Get("time_from") + "/" + c.Query.Get("cursor") {
		case fmt.Sprint(since.Unix()) + "/":
			return ok(`{"more":true,"next_cursor":"20","order_list":[{"order_sn":"A"}]}`)
		case fmt.Sprint(since.Unix()) + "/20":
			return ok(`{"more":false,"next_cursor":"","order_list":[{"order_sn":"B"},{"order_sn":"GONE"}]}`)
		}
		return ok(`{"more":false,"next_cursor":"","order_list":[]}`)
	})
	q := channels.PullQuery{Since: since, Until: until, PageSize: 500}
	var pages [][]string
	var cursors []string
	for {
		page, err := c.Updated(context.Background(), q)
		require.NoError(t, err)
		var sns []string
		for _, o := range page.Orders {
			sns = append(sns, o.ExternalID)
		}
		pages = append(pages, sns)
		cursors = append(cursors, page.Next)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, [][]string{{"A"}, {"B"}, nil}, pages)
	require.Equal(t, []string{fmt.Sprint(since.Unix()) + ":20", fmt.Sprint(window2.Unix()) + ":", ""}, cursors)

	var lists []string
	for _, r := range f.recorded() {
		if r.Path == PathOrderList {
			require.Equal(t, "update_time", r.Query.Get("time_range_field"))
			require.Equal(t, "100", r.Query.Get("page_size"), "clamped")
			lists = append(lists, r.Query.Get("time_from")+"-"+r.Query.Get("time_to")+"/"+r.Query.Get("cursor"))
		}
	}
	require.Equal(t, []string{
		fmt.Sprintf("%d-%d/", since.Unix(), window2.Unix()),
		fmt.Sprintf("%d-%d/20", since.Unix(), window2.Unix()),
		fmt.Sprintf("%d-%d/", window2.Unix(), until.Unix()),
	}, lists)
}

func TestUpdatedUntilNowAndEmptyWindows(t *testing.T) {
	c, f := newClient(t, func(c call) (int, string) { return ok(`{"more":false,"order_list":[]}`) })
	page, err := c.Updated(context.Background(), channels.PullQuery{Since: clientNow.Add(-time.Hour)})
	require.NoError(t, err)
	require.Empty(t, page.Next)
	require.Equal(t, fmt.Sprint(clientNow.Unix()), f.recorded()[0].Query.Get("time_to"), "Until defaults to now")

	page, err = c.Updated(context.Background(), channels.PullQuery{Since: clientNow, Until: clientNow})
	require.NoError(t, err)
	require.Equal(t, channels.OrderPage{}, page)
	require.Len(t, f.recorded(), 1, "an empty window asks nothing")

	_, err = c.Updated(context.Background(), channels.PullQuery{Since: clientNow.Add(-time.Hour), Cursor: "page-2"})
	require.ErrorContains(t, err, "not one of ours")
}

func TestCursor(t *testing.T) {
	at := time.Unix(1712601591, 0).UTC()
	for _, c := range []Cursor{{From: at}, {From: at, Shopee: "20"}, {From: at, Shopee: "a:b"}} {
		got, err := ParseCursor(c.String())
		require.NoError(t, err)
		require.Equal(t, c, got)
	}
	require.Equal(t, "1712601591:20", Cursor{From: at, Shopee: "20"}.String())
	for _, bad := range []string{"", "20", ":20", "x:20", "-5:", "99999999999999:"} {
		_, err := ParseCursor(bad)
		require.Error(t, err, bad)
	}
}

// stockCall reads an update_stock body.
type stockCall struct {
	ItemID    json.Number `json:"item_id"`
	StockList []struct {
		ModelID     json.Number `json:"model_id"`
		SellerStock []struct {
			LocationID *string `json:"location_id"`
			Stock      int64   `json:"stock"`
		} `json:"seller_stock"`
	} `json:"stock_list"`
}

func readStock(t *testing.T, body string) stockCall {
	t.Helper()
	var s stockCall
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	require.NoError(t, d.Decode(&s))
	return s
}

func TestPushStockBatchesByItem(t *testing.T) {
	c, f := newClient(t, func(c call) (int, string) {
		var s stockCall
		_ = json.Unmarshal([]byte(c.Body), &s)
		if s.ItemID == "2" {
			return refusal("error_item_not_found", "Item_id is not found.")
		}
		var good, bad []string
		for _, m := range s.StockList {
			if m.ModelID == "7" {
				bad = append(bad, `{"model_id":7,"failed_reason":"stock is less than reserved stock"}`)
			} else if m.ModelID != "9" { // 9 goes unmentioned
				good = append(good, fmt.Sprintf(`{"model_id":%s,"stock":%d}`, m.ModelID, m.SellerStock[0].Stock))
			}
		}
		return ok(`{"success_list":[` + strings.Join(good, ",") + `],"failure_list":[` + strings.Join(bad, ",") + `]}`)
	})
	var levels []channels.StockLevel
	for m := 1; m <= 52; m++ {
		levels = append(levels, channels.StockLevel{ListingID: fmt.Sprintf("1:%d", m), Attrs: map[string]string{"item_id": "1", "model_id": strconv.Itoa(m)}, Quantity: int64(m)})
	}
	levels = append(levels,
		channels.StockLevel{ListingID: "2:0", Quantity: 5},                                                                // by ListingID alone
		channels.StockLevel{ListingID: "3", Attrs: map[string]string{"item_id": "3", "location_id": "TH1"}, Quantity: -4}, // no model, a warehouse, oversold
		channels.StockLevel{ListingID: "sku-only", Quantity: 1},
	)
	res, err := c.PushStock(context.Background(), levels)
	require.NoError(t, err)
	require.Len(t, res, len(levels))
	for i, r := range res {
		require.Equal(t, levels[i].ListingID, r.ListingID)
		switch r.ListingID {
		case "1:7":
			require.ErrorIs(t, r.Err, channels.ErrRefused)
			require.ErrorContains(t, r.Err, "less than reserved stock")
		case "1:9":
			require.ErrorContains(t, r.Err, "not in the answer")
		case "2:0", "sku-only":
			require.ErrorIs(t, r.Err, channels.ErrRefused, r.ListingID)
		default:
			require.NoError(t, r.Err, r.ListingID)
		}
	}

	calls := f.recorded()
	require.Len(t, calls, 4)
	var shape []string
	for _, r := range calls {
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, PathUpdateStock, r.Path)
		require.NotEmpty(t, r.Query.Get("sign"))
		s := readStock(t, r.Body)
		shape = append(shape, fmt.Sprintf("%s×%d", s.ItemID, len(s.StockList)))
	}
	require.Equal(t, []string{"1×50", "1×2", "2×1", "3×1"}, shape)
	first := readStock(t, calls[0].Body)
	require.Equal(t, json.Number("1"), first.StockList[0].ModelID)
	require.Equal(t, int64(1), first.StockList[0].SellerStock[0].Stock)
	require.Nil(t, first.StockList[0].SellerStock[0].LocationID, "no location_id without a warehouse")
	last := readStock(t, calls[3].Body)
	require.Equal(t, json.Number("0"), last.StockList[0].ModelID)
	require.Equal(t, int64(0), last.StockList[0].SellerStock[0].Stock, "negative is sent as 0")
	require.Equal(t, "TH1", *last.StockList[0].SellerStock[0].LocationID)
}

func TestPushStockThrottled(t *testing.T) {
	n := 0
	c, _ := newClient(t, func(call) (int, string) {
		n++
		if n == 1 {
			return ok(`{"success_list":[{"model_id":0}],"failure_list":[]}`)
		}
		return refusal("error_rate_limit", "Too many requests.")
	})
	levels := []channels.StockLevel{{ListingID: "1:0"}, {ListingID: "2:0"}, {ListingID: "3:0"}}
	res, err := c.PushStock(context.Background(), levels)
	require.NoError(t, err, "the first item went through")
	require.NoError(t, res[0].Err)
	var rl *channels.RateLimitError
	require.ErrorAs(t, res[1].Err, &rl)
	require.ErrorAs(t, res[2].Err, &rl, "not tried")
	require.Equal(t, 3, n, "one call, then one retried")

	_, err = c.PushStock(context.Background(), levels[1:])
	require.ErrorAs(t, err, &rl, "nothing went through")
}

func TestStockOutcomeSample(t *testing.T) {
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(read(t, "sample_response_v2.product.update_stock.extracted.json"), &env))
	took, refused, err := stockOutcome(env.Response)
	require.NoError(t, err)
	require.Equal(t, map[string]bool{"0": true}, took)
	require.Equal(t, map[string]string{"0": "-"}, refused)
}

func TestConfirmShipment(t *testing.T) {
	c, f := newClient(t, func(call) (int, string) {
		return http.StatusOK, `{"error":"","message":"","request_id":"3dad66f43b8447d282ae6da36626c6b7"}`
	})
	require.NoError(t, c.ConfirmShipment(context.Background(), channels.Shipment{OrderID: "201212DCXHJUIKJ", Carrier: "Kerry", TrackingNumber: "TH0123"}))
	r := f.recorded()[0]
	require.Equal(t, PathShipOrder, r.Path)
	require.JSONEq(t, `{"order_sn":"201212DCXHJUIKJ","non_integrated":{"tracking_number":"TH0123"}}`, r.Body)

	c, _ = newClient(t, func(call) (int, string) {
		return refusal("logistics.ship_order_not_ready_to_ship", "The order is not ready to ship.")
	})
	require.ErrorIs(t, c.ConfirmShipment(context.Background(), channels.Shipment{OrderID: "X"}), channels.ErrRefused)
}

func TestCancelOrder(t *testing.T) {
	tests := []struct {
		name string
		x    channels.Cancellation
		want string
	}{
		{"named lines", channels.Cancellation{OrderID: "S1", Reason: "short stock", Lines: []channels.ShipmentLine{{ListingID: "100:7"}, {ListingID: "100:7"}, {ListingID: "300:0"}}},
			`{"order_sn":"S1","cancel_reason":"OUT_OF_STOCK","item_list":[{"item_id":100,"model_id":7},{"item_id":300,"model_id":0}]}`},
		{"every line of the order", channels.Cancellation{OrderID: "S2"},
			`{"order_sn":"S2","cancel_reason":"OUT_OF_STOCK","item_list":[{"item_id":100,"model_id":7},{"item_id":200,"model_id":0}]}`},
		{"the customer asked", channels.Cancellation{OrderID: "S3", Reason: "customer request"},
			`{"order_sn":"S3","cancel_reason":"CUSTOMER_REQUEST"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newClient(t, func(c call) (int, string) {
				if c.Path == PathOrderDetail {
					return details(c)
				}
				return ok(`{"update_time":1603184533}`)
			})
			require.NoError(t, c.CancelOrder(context.Background(), tt.x))
			calls := f.recorded()
			last := calls[len(calls)-1]
			require.Equal(t, PathCancelOrder, last.Path)
			require.JSONEq(t, tt.want, last.Body)
		})
	}

	c, _ := newClient(t, details)
	require.ErrorIs(t, c.CancelOrder(context.Background(), channels.Cancellation{OrderID: "GONE"}), channels.ErrRefused)
	require.ErrorIs(t, c.CancelOrder(context.Background(), channels.Cancellation{OrderID: "S", Lines: []channels.ShipmentLine{{SKU: "A"}}}), channels.ErrRefused)
}

func TestCancelReason(t *testing.T) {
	for in, want := range map[string]string{
		"": "OUT_OF_STOCK", "out of stock": "OUT_OF_STOCK", "CUSTOMER_REQUEST": "CUSTOMER_REQUEST",
		"cod not supported": "COD_NOT_SUPPORTED", " Undeliverable Area ": "UNDELIVERABLE_AREA", "fraud": "OUT_OF_STOCK",
	} {
		require.Equal(t, want, CancelReason(in), in)
	}
}

func TestClientVerifiesPushes(t *testing.T) {
	c, _ := newClient(t, details)
	body := []byte(orderPush)
	h := http.Header{"Authorization": {SignPush(key, url, body)}}
	require.NoError(t, c.Verify(h, body, pushedAt.Add(71*time.Hour)))
	require.ErrorIs(t, c.Verify(h, body, pushedAt.Add(73*time.Hour)), channels.ErrStale)
	require.ErrorIs(t, c.Verify(http.Header{"Authorization": {SignPush(key, "https://elsewhere/", body)}}, body, pushedAt), channels.ErrBadSignature)
	n, err := c.Parse(h, body)
	require.NoError(t, err)
	require.Equal(t, []string{"220810QSK8S7BX"}, n.OrderIDs)
	require.Equal(t, "order_status", n.Topic)
}
