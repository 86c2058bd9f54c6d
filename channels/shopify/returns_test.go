package shopify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func ourReturn(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "ours_graphql_return.json"))
	require.NoError(t, err)
	return raw
}

func TestNormalizeReturn(t *testing.T) {
	r, err := NormalizeReturn(ourReturn(t))
	require.NoError(t, err)
	require.Equal(t, channels.Return{
		Kind: channels.Shopify, ExternalID: "gid://shopify/Return/945000961", OrderID: "820982911946154508",
		Status: channels.RMARefunded, ChannelStatus: "CLOSED", Reason: "SIZE_TOO_SMALL", ReasonText: "Runs small",
		Currency: "THB", RefundAmount: 54850, Refunded: true, RefundID: "gid://shopify/Refund/929361462",
		Lines: []channels.ReturnLine{
			{LineID: "866550311766439020", ReturnLineIDs: []string{"gid://shopify/ReturnLineItem/677614677"}, SKU: "TEE-M", ListingID: "49148385", Quantity: 2, RefundAmount: 39800},
			{LineID: "866550311766439021", ReturnLineIDs: []string{"gid://shopify/ReturnLineItem/677614678"}, SKU: "CAP", Quantity: 1, RefundAmount: 15050},
		},
		TrackingNumber: "TH0001RET", Carrier: "Kerry",
		CreatedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 12, 4, 9, 31, 0, 0, time.UTC),
		Refs: map[string]string{"name": "#1001-R1", "reverse_fulfillment_orders": "gid://shopify/ReverseFulfillmentOrder/1"},
	}, r)

	// Without its refund a closed return was received, and asks the lines' total.
	var m map[string]any
	require.NoError(t, json.Unmarshal(ourReturn(t), &m))
	m["refunds"] = map[string]any{"nodes": []any{}}
	raw, _ := json.Marshal(m)
	r, err = NormalizeReturn(raw)
	require.NoError(t, err)
	require.Equal(t, channels.RMAReceived, r.Status)
	require.False(t, r.Refunded)
	require.Equal(t, int64(54850), r.RefundAmount)

	_, err = NormalizeReturn([]byte(`{"id":"gid://shopify/Order/1"}`))
	require.Error(t, err)
}

func TestReturnStatusTable(t *testing.T) {
	for _, tt := range []struct {
		raw      string
		refunded bool
		want     channels.ReturnStatus
	}{
		{"REQUESTED", false, channels.RMARequested}, {"requested", false, channels.RMARequested},
		{"OPEN", false, channels.RMAApproved}, {"CLOSED", false, channels.RMAReceived}, {"closed", true, channels.RMARefunded},
		{"DECLINED", false, channels.RMADeclined}, {"CANCELED", false, channels.RMACancelled}, {"ARCHIVED", false, channels.RMAOther},
	} {
		require.Equal(t, tt.want, ReturnStatus(tt.raw, tt.refunded), tt.raw)
	}
}

func TestParseReturnWebhooks(t *testing.T) {
	h := func(topic string) http.Header {
		return http.Header{HeaderTopic: {topic}, HeaderShopDomain: {"ordo-sim"}, HeaderWebhookID: {"w1"}}
	}
	n, err := Webhooks{}.Parse(h("returns/decline"), payload(t, "webhook_2025-10_returns_decline.metadata.json"))
	require.NoError(t, err)
	require.Equal(t, channels.Notification{Topic: "returns/decline", ShopID: "ordo-sim", DeliveryID: "w1", ReturnIDs: []string{"gid://shopify/Return/123134564567890"}}, n)

	// The id alone (lost precision aside) makes the gid.
	n, err = Webhooks{}.Parse(h("returns/request"), []byte(`{"id":945000961,"status":"requested","order":{"id":1}}`))
	require.NoError(t, err)
	require.Equal(t, []string{"gid://shopify/Return/945000961"}, n.ReturnIDs)
	require.Empty(t, n.OrderIDs)

	_, err = Webhooks{}.Parse(h("returns/approve"), []byte(`{"status":"open"}`))
	require.Error(t, err, "a return webhook that names no return")

	n, err = Webhooks{}.Parse(h("refunds/create"), []byte(`{"id":929361462,"order_id":820982911946154508,"return":{"id":945000961,"admin_graphql_api_id":"gid://shopify/Return/945000961"}}`))
	require.NoError(t, err)
	require.Equal(t, []string{"820982911946154508"}, n.OrderIDs)
	require.Equal(t, []string{"gid://shopify/Return/945000961"}, n.ReturnIDs)

	n, err = Webhooks{}.Parse(h("refunds/create"), []byte(`{"id":1,"order_id":"77","return":null}`))
	require.NoError(t, err)
	require.Equal(t, []string{"77"}, n.OrderIDs)
	require.Empty(t, n.ReturnIDs)
}

// fakeGraphQL is an Admin GraphQL stand-in: it serves one return (by nodes or through orders) and
// records the operations it got.
type fakeGraphQL struct {
	mu      sync.Mutex
	ret     map[string]any
	ops     []map[string]any // {"op", "variables"}
	errs    string           // raw "errors" to answer mutations with
	user    string           // a userErrors message for mutations
	throttl int              // answer this many calls THROTTLED first
}

func (f *fakeGraphQL) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/admin/api/"+APIVersion+"/graphql.json", r.URL.Path)
		if r.Header.Get("X-Shopify-Access-Token") != "tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var in struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		require.NoError(t, json.Unmarshal(raw, &in))
		op := operationName(in.Query)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.throttl > 0 {
			f.throttl--
			_, _ = w.Write([]byte(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}`))
			return
		}
		f.ops = append(f.ops, map[string]any{"op": op, "variables": in.Variables})
		var data any
		switch op {
		case "OrdoReturns":
			nodes := []any{}
			for _, id := range in.Variables["ids"].([]any) {
				if id == f.ret["id"] {
					nodes = append(nodes, f.ret)
				} else {
					nodes = append(nodes, nil)
				}
			}
			data = map[string]any{"nodes": nodes}
		case "OrdoUpdatedReturns":
			data = map[string]any{"orders": map[string]any{
				"pageInfo": map[string]any{"hasNextPage": in.Variables["after"] == nil, "endCursor": "c1"},
				"nodes":    []any{map[string]any{"id": "gid://shopify/Order/820982911946154508", "returns": map[string]any{"nodes": []any{f.ret}}}},
			}}
		default:
			if f.errs != "" {
				_, _ = w.Write([]byte(`{"errors":` + f.errs + `}`))
				return
			}
			field := map[string]string{"OrdoReturnApprove": "returnApproveRequest", "OrdoReturnDecline": "returnDeclineRequest", "OrdoReturnProcess": "returnProcess"}[op]
			ue := []any{}
			if f.user != "" {
				ue = append(ue, map[string]any{"field": []string{"input", "id"}, "message": f.user})
			}
			data = map[string]any{field: map[string]any{"return": nil, "userErrors": ue}}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func returnsClient(t *testing.T, status string) (*fakeGraphQL, *Client) {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(ourReturn(t), &m))
	m["status"] = status
	m["refunds"] = map[string]any{"nodes": []any{}}
	for _, n := range m["returnLineItems"].(map[string]any)["nodes"].([]any) {
		n.(map[string]any)["processedQuantity"] = 0
	}
	f := &fakeGraphQL{ret: m}
	c, err := NewClient(channels.Account{Kind: channels.Shopify, ShopID: "ordo-sim", BaseURL: f.server(t).URL,
		Credentials: channels.Credentials{AccessToken: "tok", AppSecret: "s"}}, nil)
	require.NoError(t, err)
	c.caller.Backoff, c.caller.MaxBackoff = time.Millisecond, time.Millisecond
	return f, c
}

func TestReturnsByIDAndUpdatedReturns(t *testing.T) {
	ctx := context.Background()
	f, c := returnsClient(t, "REQUESTED")
	f.throttl = 1 // a THROTTLED answer is retried
	rs, err := c.ReturnsByID(ctx, []string{"945000961", "gid://shopify/Return/1"})
	require.NoError(t, err)
	require.Len(t, rs, 1, "an unknown id is a null node, left out")
	require.Equal(t, channels.RMARequested, rs[0].Status)
	require.Equal(t, []any{"gid://shopify/Return/945000961", "gid://shopify/Return/1"}, f.ops[0]["variables"].(map[string]any)["ids"])

	since, until := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	page, err := c.UpdatedReturns(ctx, channels.PullQuery{Since: since, Until: until, PageSize: 500})
	require.NoError(t, err)
	require.Len(t, page.Returns, 1)
	require.Equal(t, "c1", page.Next)
	vars := f.ops[1]["variables"].(map[string]any)
	require.Equal(t, "updated_at:>='2026-12-01T00:00:00Z' updated_at:<'2026-12-02T00:00:00Z'", vars["query"])
	require.EqualValues(t, maxOrdersPage, vars["first"])
	page, err = c.UpdatedReturns(ctx, channels.PullQuery{Since: since, Cursor: page.Next})
	require.NoError(t, err)
	require.Empty(t, page.Next)
	require.Equal(t, "c1", f.ops[2]["variables"].(map[string]any)["after"])

	f.throttl = 10
	_, err = c.ReturnsByID(ctx, []string{"1"})
	var rl *channels.RateLimitError
	require.ErrorAs(t, err, &rl)
}

func TestDecideReturnShopify(t *testing.T) {
	ctx := context.Background()
	mutations := func(f *fakeGraphQL) []map[string]any {
		var out []map[string]any
		for _, o := range f.ops {
			if strings.HasPrefix(o["op"].(string), "OrdoReturn") && o["op"] != "OrdoReturns" {
				out = append(out, o)
			}
		}
		return out
	}
	t.Run("approve a requested return", func(t *testing.T) {
		f, c := returnsClient(t, "REQUESTED")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "gid://shopify/Return/945000961", Action: channels.DecideApprove}))
		m := mutations(f)
		require.Len(t, m, 1)
		require.Equal(t, "OrdoReturnApprove", m[0]["op"])
		require.Equal(t, map[string]any{"input": map[string]any{"id": "gid://shopify/Return/945000961"}}, m[0]["variables"])
	})
	t.Run("approve an open return again is no mutation", func(t *testing.T) {
		f, c := returnsClient(t, "OPEN")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideApprove}))
		require.Empty(t, mutations(f))
	})
	t.Run("decline with Shopify's reason and a note cut to 500", func(t *testing.T) {
		f, c := returnsClient(t, "REQUESTED")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideRefuse, Reason: "final_sale", Comment: strings.Repeat("é", 600)}))
		in := mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)
		require.Equal(t, "FINAL_SALE", in["declineReason"])
		require.Equal(t, strings.Repeat("é", 500), in["declineNote"])

		f, c = returnsClient(t, "REQUESTED")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideRefuse, Reason: "USED"}))
		require.Equal(t, "OTHER", mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)["declineReason"])
	})
	t.Run("receive: returnProcess of the named line's quantity", func(t *testing.T) {
		f, c := returnsClient(t, "OPEN")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideReceive,
			Lines: []channels.ReturnLine{{ReturnLineIDs: []string{"gid://shopify/ReturnLineItem/677614677"}, Quantity: 1}}}))
		in := mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)
		require.Equal(t, "gid://shopify/Return/945000961", in["returnId"])
		require.Equal(t, []any{map[string]any{"id": "gid://shopify/ReturnLineItem/677614677", "quantity": float64(1)}}, in["returnLineItems"])

		f, c = returnsClient(t, "OPEN")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideReceive}))
		require.Len(t, mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)["returnLineItems"], 2, "all lines")

		// What is processed already is not sent again; a line with nothing left is a repeat.
		f, c = returnsClient(t, "OPEN")
		nodes := f.ret["returnLineItems"].(map[string]any)["nodes"].([]any)
		nodes[0].(map[string]any)["processedQuantity"] = 1
		nodes[1].(map[string]any)["processedQuantity"] = 1
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideReceive}))
		require.Equal(t, []any{map[string]any{"id": "gid://shopify/ReturnLineItem/677614677", "quantity": float64(1)}},
			mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)["returnLineItems"])
		// A line named by its order line.
		f, c = returnsClient(t, "OPEN")
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideReceive,
			Lines: []channels.ReturnLine{{LineID: "866550311766439021"}}}))
		require.Equal(t, []any{map[string]any{"id": "gid://shopify/ReturnLineItem/677614678", "quantity": float64(1)}},
			mutations(f)[0]["variables"].(map[string]any)["input"].(map[string]any)["returnLineItems"])

		f, c = returnsClient(t, "OPEN")
		f.ret["returnLineItems"].(map[string]any)["nodes"].([]any)[1].(map[string]any)["processedQuantity"] = 1
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "945000961", Action: channels.DecideReceive,
			Lines: []channels.ReturnLine{{ReturnLineIDs: []string{"gid://shopify/ReturnLineItem/677614678"}}}}))
		require.Empty(t, mutations(f))
	})
	t.Run("refusals", func(t *testing.T) {
		for name, tt := range map[string]struct {
			status string
			d      channels.ReturnDecision
			user   string
			errs   string
		}{
			"offer":                {"REQUESTED", channels.ReturnDecision{Action: channels.DecideOffer}, "", ""},
			"approve declined":     {"DECLINED", channels.ReturnDecision{Action: channels.DecideApprove}, "", ""},
			"receive requested":    {"REQUESTED", channels.ReturnDecision{Action: channels.DecideReceive}, "", ""},
			"receive unknown line": {"OPEN", channels.ReturnDecision{Action: channels.DecideReceive, Lines: []channels.ReturnLine{{ReturnLineIDs: []string{"x"}}}}, "", ""},
			"userErrors":           {"REQUESTED", channels.ReturnDecision{Action: channels.DecideApprove}, "Return is not approvable", ""},
			"top-level errors":     {"REQUESTED", channels.ReturnDecision{Action: channels.DecideApprove}, "", `[{"message":"Access denied for returnApproveRequest field."}]`},
		} {
			f, c := returnsClient(t, tt.status)
			f.user, f.errs = tt.user, tt.errs
			tt.d.ReturnID = "945000961"
			require.ErrorIs(t, c.DecideReturn(ctx, tt.d), channels.ErrRefused, name)
		}
		_, c := returnsClient(t, "REQUESTED")
		require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "404", Action: channels.DecideApprove}), channels.ErrRefused, "unknown return")
	})
}
