package lazada

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// testClient is a client of base whose calls are stamped at the docs example's time and retried
// without waiting.
func testClient(t *testing.T, base string) *Client {
	t.Helper()
	c, err := NewClient(channels.Account{Kind: channels.Lazada, ShopID: "100056775", BaseURL: base,
		Credentials: channels.Credentials{AppKey: "123456", AppSecret: "helloworld", AccessToken: "test"}}, nil)
	require.NoError(t, err)
	c.now = func() time.Time { return time.UnixMilli(1517820392000) }
	c.caller.Backoff, c.caller.MaxBackoff = time.Millisecond, time.Millisecond
	return c
}

func TestNewClientRefusesIncompleteAccounts(t *testing.T) {
	full := channels.Account{BaseURL: "https://api.lazada.co.th/rest", Credentials: channels.Credentials{AppKey: "k", AppSecret: "s", AccessToken: "t"}}
	for name, mutate := range map[string]func(*channels.Account){
		"no base URL":     func(a *channels.Account) { a.BaseURL = "" },
		"no app key":      func(a *channels.Account) { a.AppKey = "" },
		"no app secret":   func(a *channels.Account) { a.AppSecret = "" },
		"no access token": func(a *channels.Account) { a.AccessToken = "" },
	} {
		t.Run(name, func(t *testing.T) {
			a := full
			mutate(&a)
			_, err := NewClient(a, nil)
			require.ErrorIs(t, err, channels.ErrAccount)
		})
	}
	_, err := NewClient(full, nil)
	require.NoError(t, err)
}

func TestRequestIsTheDocsExample(t *testing.T) {
	// The docs' assembled GetOrder request, signed with the secret "helloworld".
	v := vectors(t, "api_request_sign")[0]
	docs, err := url.Parse("http://api.lazada.com/rest/order/get?app_key=123456&access_token=test&timestamp=1517820392000&sign_method=sha256&order_id=1234&sign=" + v.Expected)
	require.NoError(t, err)
	c := testClient(t, "http://api.lazada.com/rest/")
	req, err := c.request(context.Background(), http.MethodGet, "/order/get", map[string]string{"order_id": "1234"})
	require.NoError(t, err)
	require.Equal(t, http.MethodGet, req.Method)
	require.Equal(t, docs.Host+docs.Path, req.URL.Host+req.URL.Path)
	require.Equal(t, docs.Query(), req.URL.Query())
}

func TestRequestPostsASignedForm(t *testing.T) {
	c := testClient(t, "https://api.lazada.co.th/rest")
	req, err := c.request(context.Background(), http.MethodPost, "/product/stock/sellable/update", map[string]string{"payload": "<Request/>"})
	require.NoError(t, err)
	require.Empty(t, req.URL.RawQuery)
	require.Equal(t, "/rest/product/stock/sellable/update", req.URL.Path)
	require.Contains(t, req.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	form, err := url.ParseQuery(string(body))
	require.NoError(t, err)
	signed := map[string]string{}
	for k := range form {
		signed[k] = form.Get(k)
	}
	require.Equal(t, map[string]string{
		"app_key": "123456", "access_token": "test", "timestamp": "1517820392000", "sign_method": "sha256",
		"payload": "<Request/>", "sign": signed["sign"],
	}, signed)
	// The form parameters are signed as parameters: nothing is appended as a body.
	require.Equal(t, Sign("helloworld", "/product/stock/sellable/update", signed, nil), signed["sign"])
}

func TestThrottled(t *testing.T) {
	for body, want := range map[string]bool{
		`{"type":"ISP","code":"ApiCallLimit","message":"The request has exceeded the limit","request_id":"1"}`: true,
		`{"code":"901","message":"Limit service request speed in server side temporarily."}`:                   true,
		`{"code":901}`:                       true,
		`{"code":"0","data":{}}`:             false,
		`{"code":"16","message":"E016"}`:     false,
		`{"code":"IllegalAccessToken"}`:      false,
		`<html>Too many requests</html>`:     false,
		`{"code":{"nested":"ApiCallLimit"}}`: false,
	} {
		require.Equal(t, want, throttled(http.StatusOK, []byte(body)), body)
	}
}

func TestCallAnswers(t *testing.T) {
	const ok = `{"code":"0","data":{"order_id":"1"},"request_id":"r"}`
	tests := []struct {
		name     string
		answers  []string // bodies in turn, the last repeated; "HTTP n" answers with that status
		check    func(t *testing.T, err error)
		attempts int32
	}{
		{"success", []string{ok}, func(t *testing.T, err error) { require.NoError(t, err) }, 1},
		{"throttled once, then served", []string{`{"code":"901"}`, ok}, func(t *testing.T, err error) { require.NoError(t, err) }, 2},
		{"throttled throughout", []string{`{"type":"ISP","code":"ApiCallLimit"}`}, func(t *testing.T, err error) {
			var limited *channels.RateLimitError
			require.True(t, errors.As(err, &limited), "%v", err)
			require.NotErrorIs(t, err, channels.ErrRefused)
		}, 4},
		{"a code is a refusal", []string{`{"type":"ISV","code":"IllegalAccessToken","message":"The specified access token is invalid or expired"}`}, func(t *testing.T, err error) {
			require.ErrorIs(t, err, channels.ErrRefused)
			require.ErrorContains(t, err, "ISV IllegalAccessToken: The specified access token is invalid or expired")
		}, 1},
		{"no code is a refusal", []string{`{"data":{}}`}, func(t *testing.T, err error) { require.ErrorIs(t, err, channels.ErrRefused) }, 1},
		{"a 4xx is a refusal", []string{"HTTP 404"}, func(t *testing.T, err error) { require.ErrorIs(t, err, channels.ErrRefused) }, 1},
		{"5xx throughout is no refusal", []string{"HTTP 502"}, func(t *testing.T, err error) {
			require.Error(t, err)
			require.NotErrorIs(t, err, channels.ErrRefused)
		}, 4},
		{"not JSON", []string{`<html>`}, func(t *testing.T, err error) {
			require.Error(t, err)
			require.NotErrorIs(t, err, channels.ErrRefused)
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := tt.answers[min(int(n.Add(1)), len(tt.answers))-1]
				if status, isStatus := strings.CutPrefix(a, "HTTP "); isStatus {
					http.Error(w, "nope", map[string]int{"404": 404, "502": 502}[status])
					return
				}
				_, _ = io.WriteString(w, a)
			}))
			defer srv.Close()
			_, err := testClient(t, srv.URL+"/rest").call(context.Background(), http.MethodGet, "/order/get", map[string]string{"order_id": "1"})
			tt.check(t, err)
			require.Equal(t, tt.attempts, n.Load())
		})
	}
}

func TestNextOffset(t *testing.T) {
	tests := []struct {
		name                    string
		offset, n, limit, total int
		want                    string
	}{
		{"more follow by the total", 0, 100, 100, 250, "100"},
		{"a short page that the total says is not the last", 100, 1, 100, 102, "101"},
		{"the last page by the total", 200, 50, 100, 250, ""},
		{"an empty page", 300, 0, 100, 250, ""},
		{"no total: a full page may have more", 0, 100, 100, -1, "100"},
		{"no total: a short page is the last", 100, 20, 100, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, nextOffset(tt.offset, tt.n, tt.limit, tt.total))
		})
	}
}

func TestDecodeOrdersPage(t *testing.T) {
	page, err := decodeOrdersPage(fixture(t, "docs_example_response_getorders.json"))
	require.NoError(t, err)
	require.Equal(t, 500, page.total, "countTotal, a string in the sample")
	require.Len(t, page.orders, 1)
	o, err := decodeOrder(page.orders[0])
	require.NoError(t, err)
	require.Equal(t, "491253082180001", o.OrderID.String())

	page, err = decodeOrdersPage([]byte(`{"code":"0","data":{"orders":[]}}`))
	require.NoError(t, err)
	require.Equal(t, -1, page.total, "no countTotal")
}

func TestUpdatedAsks(t *testing.T) {
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		_, _ = io.WriteString(w, `{"code":"0","data":{"count":"0","countTotal":"0","orders":[]}}`)
	}))
	defer srv.Close()
	since := time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("", 7*3600))
	page, err := testClient(t, srv.URL+"/rest").Updated(context.Background(), channels.PullQuery{Since: since, Until: since.Add(time.Hour), Cursor: "40", PageSize: 500})
	require.NoError(t, err)
	require.Empty(t, page.Next)
	require.Equal(t, "2024-05-01T03:00:00+00:00", got.Get("update_after"))
	require.Equal(t, "2024-05-01T04:00:00+00:00", got.Get("update_before"))
	require.Equal(t, "100", got.Get("limit"), "clamped to Lazada's maximum")
	require.Equal(t, "40", got.Get("offset"))
	require.Equal(t, "updated_at", got.Get("sort_by"))
	require.Equal(t, "ASC", got.Get("sort_direction"))

	_, err = testClient(t, srv.URL+"/rest").Updated(context.Background(), channels.PullQuery{Since: since, Cursor: "page-2"})
	require.ErrorContains(t, err, "not an offset")
}

func TestIDList(t *testing.T) {
	require.Equal(t, "[42922,32793]", idList([]string{"42922", "32793"}))
	require.Equal(t, `[1,"a\"b",""]`, idList([]string{"1", `a"b`, ""}))
	require.Equal(t, "[]", idList(nil))
}
