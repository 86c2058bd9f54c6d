package pos

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// request is one call the fake Square received.
type request struct {
	Method, Path string
	Header       http.Header
	Body         map[string]any
}

// fake is a scripted Square: answer decides each reply from the call and the calls before it.
type fake struct {
	mu     sync.Mutex
	calls  []request
	answer func(r request, n int) (int, string)
}

func newFake(t *testing.T, answer func(r request, n int) (int, string)) (*fake, *Client) {
	t.Helper()
	f := &fake{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		req := request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
		_ = json.Unmarshal(raw, &req.Body)
		f.mu.Lock()
		f.calls = append(f.calls, req)
		n := len(f.calls)
		f.mu.Unlock()
		status, body := f.answer(req, n)
		w.Header().Set("Retry-After", "60") // longer than the caller waits: throttling surfaces at once
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(channels.Account{Kind: channels.POS, ShopID: "L1", BaseURL: srv.URL + "/", Credentials: channels.Credentials{AccessToken: "EAAA-token"}}, srv.Client())
	require.NoError(t, err)
	return f, c
}

func (f *fake) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.calls...)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestNewClientRefusesIncompleteAccounts(t *testing.T) {
	full := channels.Account{ShopID: "L1", BaseURL: "https://connect.squareup.com", Credentials: channels.Credentials{AccessToken: "t"}}
	_, err := NewClient(full, nil)
	require.NoError(t, err)
	for name, edit := range map[string]func(*channels.Account){
		"no base URL":     func(a *channels.Account) { a.BaseURL = "" },
		"no access token": func(a *channels.Account) { a.AccessToken = "" },
		"no location":     func(a *channels.Account) { a.ShopID = "" },
	} {
		t.Run(name, func(t *testing.T) {
			a := full
			edit(&a)
			_, err := NewClient(a, nil)
			require.ErrorIs(t, err, channels.ErrAccount)
		})
	}
}

func TestOrdersBatchesOf100(t *testing.T) {
	order := func(id string) string {
		return fmt.Sprintf(`{"id":%q,"location_id":"L1","state":"OPEN","version":1,"total_money":{"amount":1,"currency":"USD"}}`, id)
	}
	f, c := newFake(t, func(r request, _ int) (int, string) {
		ids := r.Body["order_ids"].([]any)
		return 200, `{"orders":[` + order(ids[0].(string)) + `]}` // the others are unknown: left out
	})
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("O%d", i)
	}
	got, err := c.Orders(t.Context(), ids)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "O0", got[0].ExternalID)
	require.Equal(t, "O100", got[1].ExternalID)

	calls := f.requests()
	require.Len(t, calls, 2)
	for i, r := range calls {
		require.Equal(t, "POST", r.Method)
		require.Equal(t, "/v2/orders/batch-retrieve", r.Path)
		require.Equal(t, "Bearer EAAA-token", r.Header.Get("Authorization"))
		require.Equal(t, APIVersion, r.Header.Get("Square-Version"))
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.Equal(t, "L1", r.Body["location_id"])
		require.Len(t, r.Body["order_ids"], []int{100, 50}[i])
	}
}

func TestUpdatedSearchesByUpdateTime(t *testing.T) {
	f, c := newFake(t, func(_ request, n int) (int, string) {
		if n == 1 {
			return 200, `{"orders":[{"id":"O1","state":"OPEN","total_money":{"amount":5,"currency":"USD"}}],"cursor":"c-2"}`
		}
		return 200, `{}`
	})
	q := channels.PullQuery{Since: time.Date(2026, 11, 11, 7, 0, 0, 0, time.FixedZone("", 7*3600)), Until: time.Date(2026, 11, 11, 1, 0, 0, 5e8, time.UTC)}
	page, err := c.Updated(t.Context(), q)
	require.NoError(t, err)
	require.Equal(t, "c-2", page.Next)
	require.Len(t, page.Orders, 1)
	q.Cursor, q.PageSize = page.Next, 2
	page, err = c.Updated(t.Context(), q)
	require.NoError(t, err)
	require.Empty(t, page.Next)
	require.Empty(t, page.Orders)

	calls := f.requests()
	require.Equal(t, "/v2/orders/search", calls[0].Path)
	query := `"query":{"filter":{"date_time_filter":{"updated_at":{"start_at":"2026-11-11T00:00:00.000Z","end_at":"2026-11-11T01:00:00.500Z"}}},"sort":{"sort_field":"UPDATED_AT","sort_order":"ASC"}}`
	require.JSONEq(t, `{"location_ids":["L1"],`+query+`,"limit":500,"return_entries":false}`, jsonOf(t, calls[0].Body))
	require.JSONEq(t, `{"location_ids":["L1"],`+query+`,"limit":2,"cursor":"c-2","return_entries":false}`, jsonOf(t, calls[1].Body), "the same query with the cursor")

	// The request has the shape of SearchOrdersRequest.example (which filters on closed_at).
	var example map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "apijson_example_SearchOrdersRequest.json"), &example))
	for _, k := range []string{"location_ids", "limit", "return_entries", "query"} {
		require.Contains(t, calls[0].Body, k)
		require.Contains(t, example, k)
	}
	require.Contains(t, example["query"].(map[string]any)["filter"], "date_time_filter")
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestPushStock(t *testing.T) {
	f, c := newFake(t, func(r request, n int) (int, string) {
		if n == 2 {
			return 400, `{"errors":[{"category":"INVALID_REQUEST_ERROR","code":"INVALID_VALUE","detail":"Invalid catalog object id","field":"changes[3].physical_count.catalog_object_id"}]}`
		}
		return 200, `{"counts":[],"errors":[]}`
	})
	levels := make([]channels.StockLevel, 152)
	for i := range levels {
		levels[i] = channels.StockLevel{ListingID: fmt.Sprintf("VAR%03d", i), Quantity: int64(i)}
	}
	levels[0].Attrs = map[string]string{"location_id": "L2"}
	levels[1].Quantity = -1
	levels[2].ListingID = ""
	res, err := c.PushStock(t.Context(), levels)
	require.NoError(t, err)
	require.Len(t, res, len(levels))
	for i, r := range res {
		require.Equal(t, levels[i].ListingID, r.ListingID)
		switch {
		case i == 1 || i == 2:
			require.ErrorIs(t, r.Err, channels.ErrRefused, "not sent")
		case i >= 100:
			require.ErrorIs(t, r.Err, channels.ErrRefused, "the second batch was refused whole")
			require.Contains(t, r.Err.Error(), "INVALID_VALUE")
		default:
			require.NoError(t, r.Err, i)
		}
	}

	calls := f.requests()
	require.Len(t, calls, 2)
	require.Equal(t, "/v2/inventory/changes/batch-create", calls[0].Path)
	require.Len(t, calls[0].Body["changes"], 98)
	require.Len(t, calls[1].Body["changes"], 52)
	require.Equal(t, true, calls[0].Body["ignore_unchanged_counts"])
	require.Regexp(t, uuidShape, calls[0].Body["idempotency_key"])
	require.NotEqual(t, calls[0].Body["idempotency_key"], calls[1].Body["idempotency_key"])

	// Each change has the shape of BatchChangeInventoryRequest.example, with our values.
	var example struct {
		Changes []map[string]any `json:"changes"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "apijson_example_BatchChangeInventoryRequest.json"), &example))
	first := calls[0].Body["changes"].([]any)[0].(map[string]any)
	require.Equal(t, example.Changes[0]["type"], first["type"])
	pc := first["physical_count"].(map[string]any)
	for k := range pc {
		require.Contains(t, example.Changes[0]["physical_count"], k)
	}
	require.Equal(t, "VAR000", pc["catalog_object_id"])
	require.Equal(t, "L2", pc["location_id"], "the listing's location")
	require.Equal(t, "0", pc["quantity"])
	require.Equal(t, "IN_STOCK", pc["state"])
	occurred, err := time.Parse(time.RFC3339, pc["occurred_at"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, time.Now(), occurred, time.Minute)
	second := calls[0].Body["changes"].([]any)[1].(map[string]any)["physical_count"].(map[string]any)
	require.Equal(t, "VAR003", second["catalog_object_id"])
	require.Equal(t, "L1", second["location_id"], "the account's location")
	require.Equal(t, "3", second["quantity"])
}

func TestStockIdempotencyKey(t *testing.T) {
	c := &Client{account: channels.Account{ShopID: "L1"}}
	key := func(q int64, at string) string {
		req, _ := c.stockChanges([]channels.StockLevel{{ListingID: "V1", Quantity: q}}, make([]channels.StockResult, 1), at)
		return req.IdempotencyKey
	}
	at := "2026-11-11T00:00:00.000Z"
	require.Equal(t, key(53, at), key(53, at), "a retried batch keeps its key")
	require.NotEqual(t, key(53, at), key(54, at))
	require.NotEqual(t, key(53, at), key(53, "2026-11-11T00:00:01.000Z"), "a later push of the same count is new")
}

// orderAt answers a batch-retrieve with one shippable order at version v.
func orderAt(v int) string {
	return fmt.Sprintf(`{"orders":[{"id":"O1","location_id":"L9","state":"OPEN","version":%d,"fulfillments":[{"uid":"F1","type":"SHIPMENT","state":"PROPOSED"}]}]}`, v)
}

func TestConfirmShipment(t *testing.T) {
	f, c := newFake(t, func(r request, _ int) (int, string) {
		if r.Method == http.MethodPut {
			return 200, `{"order":{"id":"O1"}}`
		}
		return 200, orderAt(3)
	})
	shipped := time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC)
	require.NoError(t, c.ConfirmShipment(t.Context(), channels.Shipment{OrderID: "O1", Carrier: "Kerry", TrackingNumber: "KER123", ShippedAt: shipped}))
	calls := f.requests()
	require.Len(t, calls, 2)
	require.Equal(t, "/v2/orders/batch-retrieve", calls[0].Path, "read for the version and fulfillment")
	put := calls[1]
	require.Equal(t, http.MethodPut, put.Method)
	require.Equal(t, "/v2/orders/O1", put.Path)
	require.Regexp(t, uuidShape, put.Body["idempotency_key"])
	require.JSONEq(t, `{"location_id":"L9","version":3,"fulfillments":[{"uid":"F1","state":"COMPLETED","shipment_details":{"carrier":"Kerry","tracking_number":"KER123","shipped_at":"2026-11-11T10:00:00.000Z"}}]}`, jsonOf(t, put.Body["order"]))
}

func TestCancelOrder(t *testing.T) {
	f, c := newFake(t, func(r request, _ int) (int, string) {
		if r.Method == http.MethodPut {
			return 200, `{"order":{"id":"O1","state":"CANCELED"}}`
		}
		return 200, orderAt(7)
	})
	require.NoError(t, c.CancelOrder(t.Context(), channels.Cancellation{OrderID: "O1", Reason: "out of stock"}))
	calls := f.requests()
	require.Len(t, calls, 2)
	require.JSONEq(t, `{"location_id":"L9","version":7,"state":"CANCELED"}`, jsonOf(t, calls[1].Body["order"]))
}

const versionMismatch = `{"errors":[{"category":"INVALID_REQUEST_ERROR","code":"VERSION_MISMATCH","detail":"Order version does not match","field":"order.version"}]}`

func TestUpdateRereadsOnVersionMismatch(t *testing.T) {
	// The order moves on between the first read and its update: version 3, then 4.
	f, c := newFake(t, func(r request, n int) (int, string) {
		switch {
		case r.Method != http.MethodPut && n == 1:
			return 200, orderAt(3)
		case r.Method != http.MethodPut:
			return 200, orderAt(4)
		case r.Body["order"].(map[string]any)["version"] != float64(4):
			return 400, versionMismatch
		}
		return 200, `{"order":{}}`
	})
	require.NoError(t, c.CancelOrder(t.Context(), channels.Cancellation{OrderID: "O1"}))
	calls := f.requests()
	require.Len(t, calls, 4, "read, stale update, read, update")
	require.Equal(t, float64(3), calls[1].Body["order"].(map[string]any)["version"])
	require.Equal(t, float64(4), calls[3].Body["order"].(map[string]any)["version"])
	require.NotEqual(t, calls[1].Body["idempotency_key"], calls[3].Body["idempotency_key"])
}

func TestUpdateGivesUpAfterOneRetry(t *testing.T) {
	f, c := newFake(t, func(r request, _ int) (int, string) {
		if r.Method == http.MethodPut {
			return 400, versionMismatch
		}
		return 200, orderAt(3)
	})
	err := c.ConfirmShipment(t.Context(), channels.Shipment{OrderID: "O1"})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Contains(t, err.Error(), "VERSION_MISMATCH")
	require.Len(t, f.requests(), 4)
}

func TestUpdateRefusals(t *testing.T) {
	tests := []struct {
		name, order string
		ship        bool
	}{
		{"unknown order", `{}`, true},
		{"no fulfillment to complete", `{"orders":[{"id":"O1","state":"OPEN","version":2}]}`, true},
		{"no version: not an API order", `{"orders":[{"id":"O1","state":"OPEN","fulfillments":[{"uid":"F1","type":"SHIPMENT","state":"PROPOSED"}]}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, func(request, int) (int, string) { return 200, tt.order })
			var err error
			if tt.ship {
				err = c.ConfirmShipment(t.Context(), channels.Shipment{OrderID: "O1"})
			} else {
				err = c.CancelOrder(t.Context(), channels.Cancellation{OrderID: "O1"})
			}
			require.ErrorIs(t, err, channels.ErrRefused)
			for _, r := range f.requests() {
				require.NotEqual(t, http.MethodPut, r.Method, "nothing is updated")
			}
		})
	}
}

func TestErrorsAndThrottling(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		throttled bool
		code      string
	}{
		{"429", 429, `{"errors":[{"category":"RATE_LIMIT_ERROR","code":"RATE_LIMITED","detail":"Too many requests"}]}`, true, ""},
		{"RATE_LIMITED under another status", 400, `{"errors":[{"category":"RATE_LIMIT_ERROR","code":"RATE_LIMITED"}]}`, true, ""},
		{"unauthorized", 401, `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}`, false, "UNAUTHORIZED"},
		{"not found", 404, `{"errors":[{"category":"INVALID_REQUEST_ERROR","code":"NOT_FOUND","detail":"Location not found"}]}`, false, "NOT_FOUND"},
		{"errors in a 200", 200, `{"errors":[{"category":"INVALID_REQUEST_ERROR","code":"BAD_REQUEST"}]}`, false, "BAD_REQUEST"},
		{"not JSON", 403, `<html>Forbidden</html>`, false, "Forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := newFake(t, func(request, int) (int, string) { return tt.status, tt.body })
			_, err := c.Orders(t.Context(), []string{"O1"})
			require.Error(t, err)
			var rl *channels.RateLimitError
			if tt.throttled {
				require.True(t, errors.As(err, &rl), "%v", err)
				require.Equal(t, time.Minute, rl.RetryAfter)
				return
			}
			require.False(t, errors.As(err, &rl))
			require.ErrorIs(t, err, channels.ErrRefused)
			require.Contains(t, err.Error(), tt.code)
		})
	}
}

func TestAcceptCallsNothing(t *testing.T) {
	f, c := newFake(t, func(request, int) (int, string) { return 500, "" })
	require.NoError(t, c.Accept(t.Context(), []channels.Order{{ExternalID: "O1"}}))
	require.Empty(t, f.requests())
}

func TestClientVerifiesWithItsAccount(t *testing.T) {
	v := vector(t)
	a := channels.Account{ShopID: "L1", BaseURL: "https://connect.squareup.com", WebhookURL: v.URL, Credentials: channels.Credentials{AccessToken: "t", WebhookSecret: v.Secret}}
	c, err := NewClient(a, nil)
	require.NoError(t, err)
	h := http.Header{}
	h.Set("x-square-hmacsha256-signature", v.Expected)
	require.NoError(t, c.Verify(h, []byte(v.RawBody), now))
	n, err := c.Parse(h, []byte(v.RawBody))
	require.NoError(t, err)
	require.Equal(t, "webhooks.test_notification", n.Topic)

	a.WebhookURL = strings.Replace(v.URL, "https", "http", 1)
	c, err = NewClient(a, nil)
	require.NoError(t, err)
	require.ErrorIs(t, c.Verify(h, []byte(v.RawBody), now), channels.ErrBadSignature)
}
