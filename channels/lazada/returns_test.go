package lazada

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// reverseItems returns the items of the reverse-orders fixture, as JSON.
func reverseItems(t *testing.T) []json.RawMessage {
	t.Helper()
	var p struct {
		Result struct {
			Items []json.RawMessage `json:"items"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "ours_getreverseordersforseller.json"), &p))
	return p.Result.Items
}

func TestNormalizeReturn(t *testing.T) {
	r, err := NormalizeReturn(reverseItems(t)[0], "THB")
	require.NoError(t, err)
	deadline := time.UnixMilli(1765252800000).UTC()
	require.Equal(t, channels.Return{
		Kind: channels.Lazada, ExternalID: "658960600102006", OrderID: "416557324702006",
		Status: channels.RMARequested, ChannelStatus: "REQUEST_CANCEL,REQUEST_INITIATE",
		Reason: "10003", ReasonText: "Wrong size", Currency: "THB", RefundAmount: 29000 + 28699 + 15050,
		Lines: []channels.ReturnLine{
			{UnitIDs: []string{"416557324802006", "416557324802007"}, ReturnLineIDs: []string{"663790000102006", "663790000102007"},
				SKU: "TEE-M", ListingID: "2114389101", Quantity: 2, RefundAmount: 57699},
			{UnitIDs: []string{"416557324802008"}, ReturnLineIDs: []string{"663790000102008"},
				SKU: "CAP", ListingID: "2114389102", Quantity: 1, RefundAmount: 15050},
		},
		CreatedAt: time.UnixMilli(1765083600000).UTC(), UpdatedAt: time.UnixMilli(1765090800000).UTC(),
		Deadline: &deadline,
		Refs:     map[string]string{"request_type": "RETURN", "return_to": "RTM", "shipping_type": "DROP_OFF", "ofc_status": "RTM_CANCELED,RTM_INIT"},
	}, r)
}

func TestReverseAmount(t *testing.T) {
	for _, tt := range []struct {
		raw, cur string
		want     int64
	}{
		{"29000", "THB", 29000}, {"100", "SGD", 100}, {"10000", "VND", 10000}, {"1250000", "IDR", 12500},
		{"", "THB", 0}, {"12.5", "THB", 1250},
	} {
		got, err := reverseAmount(scalar(tt.raw), tt.cur)
		require.NoError(t, err, tt.raw)
		require.Equal(t, tt.want, got, "%s %s", tt.raw, tt.cur)
	}
	_, err := reverseAmount("1250001", "IDR") // a fraction of a rupiah Ordo cannot hold
	require.Error(t, err)
}

func TestNormalizeReturnDispute(t *testing.T) {
	r, err := NormalizeReturn([]byte(`{"reverse_order_id":1,"trade_order_id":2,"request_type":"RETURN","reverse_order_lines":[
		{"reverse_order_line_id":3,"trade_order_line_id":4,"reverse_status":"REQUEST_INITIATE","is_dispute":true,"refund_amount":100}]}`), "SGD")
	require.NoError(t, err)
	require.Equal(t, channels.RMADisputed, r.Status)
	require.Equal(t, "REQUEST_INITIATE", r.ChannelStatus)
}

func TestReturnStatusTable(t *testing.T) {
	for raw, want := range map[string]channels.ReturnStatus{
		"REQUEST_INITIATE": channels.RMARequested, "rtm_init": channels.RMARequested,
		"REFUND_PENDING": channels.RMAApproved, "BUYER_RETURN_ITEM": channels.RMAInTransit,
		"RTM_SHIPPING_BACK": channels.RMAInTransit, "RTM_RECEIVE_ITEM": channels.RMAReceived,
		"REFUND_SUCCESS": channels.RMARefunded, "REQUEST_REJECT": channels.RMADeclined,
		"RTW_REJECT": channels.RMADeclined, "REQUEST_CANCEL": channels.RMACancelled,
		"SOMETHING_NEW": channels.RMAOther, "": channels.RMAOther,
	} {
		require.Equal(t, want, ReturnStatus(raw), raw)
	}
	require.Equal(t, channels.RMAApproved, overallStatus([]channels.ReturnStatus{channels.RMARefunded, channels.RMAApproved, channels.RMACancelled}))
	require.Equal(t, channels.RMADeclined, overallStatus([]channels.ReturnStatus{channels.RMADeclined, channels.RMACancelled}))
	require.Equal(t, channels.RMACancelled, overallStatus([]channels.ReturnStatus{channels.RMACancelled}))
}

// fakeReverse is a Lazada stand-in serving one reverse order and recording decision calls.
type fakeReverse struct {
	mu       sync.Mutex
	item     map[string]any // the reverse order served
	calls    []map[string]string
	answer   string // the code decision calls answer with
	pages    []map[string]string
	currency string
}

func (f *fakeReverse) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		p := map[string]string{}
		for k, vs := range r.Form {
			p[k] = vs[0]
		}
		// Every call is signed as the connector's others are.
		path := strings.TrimPrefix(r.URL.Path, "/rest")
		require.Equal(t, Sign("helloworld", path, p, nil), p["sign"], path)
		f.mu.Lock()
		defer f.mu.Unlock()
		switch path {
		case PathReverseOrders:
			f.pages = append(f.pages, p)
			items := []any{}
			if id := p["reverse_order_id"]; id == "" || id == f.item["reverse_order_id"] {
				items = append(items, f.item)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"code": "0", "result": map[string]any{"total": len(items), "items": items}})
		case "/order/items/get":
			_ = json.NewEncoder(w).Encode(map[string]any{"code": "0", "data": []any{map[string]any{"order_item_id": "1", "order_id": p["order_id"], "currency": f.currency}}})
		default:
			f.calls = append(f.calls, map[string]string{"path": path, "action": p["action"], "ids": p["reverse_order_item_ids"],
				"reason_id": p["reason_id"], "comment": p["comment"], "image_info": p["image_info"], "image_info_list": p["image_info_list"]})
			code := f.answer
			if code == "" {
				code = "0"
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": "E0" + code + ": refused"})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func unit(id, status string) map[string]any {
	return map[string]any{"reverse_order_line_id": id, "trade_order_line_id": "9" + id, "reverse_status": status,
		"refund_amount": 1000, "item_unit_price": 1000, "seller_sku_id": "TEE-M", "platform_sku_id": "2114389101"}
}

func TestReturnsByIDAndPaging(t *testing.T) {
	var item map[string]any
	require.NoError(t, json.Unmarshal(reverseItems(t)[0], &item))
	item["reverse_order_id"] = "658960600102006"
	f := &fakeReverse{item: item, currency: "THB"}
	c := testClient(t, f.server(t).URL+"/rest")
	ctx := context.Background()

	rs, err := c.ReturnsByID(ctx, []string{"658960600102006", "1"})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	require.Equal(t, "THB", rs[0].Currency, "the currency comes from the trade order's items")
	require.Equal(t, int64(72749), rs[0].RefundAmount)

	since, until := time.UnixMilli(1765000000000), time.UnixMilli(1765100000000)
	page, err := c.UpdatedReturns(ctx, channels.PullQuery{Since: since, Until: until, PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Returns, 1)
	require.Empty(t, page.Next, "total 1 on a page of 1")
	last := f.pages[len(f.pages)-1]
	require.Equal(t, "1765000000000", last["ReverseOrderLineModifiedTimeRangeStart"])
	require.Equal(t, "1765099999999", last["ReverseOrderLineModifiedTimeRangeEnd"])
	require.Equal(t, "1", last["page_no"])
	require.Equal(t, "1", last["page_size"])

	_, err = c.UpdatedReturns(ctx, channels.PullQuery{Since: since, Cursor: "x"})
	require.Error(t, err)
}

func TestUpdatedReturnsSkipsCancellationsAndPages(t *testing.T) {
	body := fixture(t, "ours_getreverseordersforseller.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL+"/rest")
	c.account.Extra = map[string]string{"currency": "thb"}
	page, err := c.UpdatedReturns(context.Background(), channels.PullQuery{Since: time.Unix(0, 0), PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Returns, 1, "the CANCEL reverse order is the order's cancellation")
	require.Equal(t, "THB", page.Returns[0].Currency)
	require.Equal(t, "2", page.Next, "total 2, page 1 of size 1")
}

func TestDecideReturn(t *testing.T) {
	ctx := context.Background()
	newFake := func(requestType string, lines ...map[string]any) (*fakeReverse, *Client) {
		f := &fakeReverse{item: map[string]any{"reverse_order_id": "7001", "trade_order_id": "8001", "request_type": requestType, "reverse_order_lines": lines}}
		c := testClient(t, f.server(t).URL+"/rest")
		c.account.Extra = map[string]string{"currency": "THB"}
		return f, c
	}

	t.Run("approve a return: agreeReturn with every line still requested", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"), unit("2", "REQUEST_INITIATE"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove}))
		require.Equal(t, []map[string]string{{"path": PathReturnUpdate, "action": "agreeReturn", "ids": "[1,2]", "reason_id": "", "comment": "", "image_info": "", "image_info_list": ""}}, f.calls)
	})
	t.Run("approve again is no call", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "RTM_SHIPPING_BACK"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove}))
		require.Empty(t, f.calls)
	})
	t.Run("approve a refund-only request: agreeRefund, one line a call", func(t *testing.T) {
		f, c := newFake("ONLY_REFUND", unit("1", "REFUND_INIT"), unit("2", "REFUND_INIT"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove}))
		require.Len(t, f.calls, 2)
		require.Equal(t, PathOnlyRefundDecide, f.calls[0]["path"])
		require.Equal(t, "agreeRefund", f.calls[0]["action"])
		require.Equal(t, "[2]", f.calls[1]["ids"])
	})
	t.Run("refuse the named line with reason, comment and images", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"), unit("2", "REQUEST_INITIATE"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideRefuse,
			Lines: []channels.ReturnLine{{ReturnLineIDs: []string{"2"}}}, Reason: "10012", Comment: "Used item",
			Evidence: []string{"https://img.example/a/p1.jpg"}}))
		require.Equal(t, []map[string]string{{"path": PathReturnUpdate, "action": "refuseReturn", "ids": "[2]", "reason_id": "10012",
			"comment": "Used item", "image_info": `[{"name":"p1.jpg","url":"https://img.example/a/p1.jpg"}]`, "image_info_list": ""}}, f.calls)
	})
	t.Run("refuse without a numeric reason or a comment is refused before any call", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"))
		err := c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideRefuse, Reason: "USED", Comment: "x"})
		require.ErrorIs(t, err, channels.ErrRefused)
		err = c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideRefuse, Reason: "1"})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.Empty(t, f.calls)
	})
	t.Run("Lazada's refusal codes are ErrRefused", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"))
		f.answer = "110"
		err := c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideRefuse, Reason: "1", Comment: "x"})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.Contains(t, err.Error(), "110")
	})
	t.Run("receive: confirmDelivery of the lines not yet refunded", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "BUYER_RETURN_ITEM"), unit("2", "REFUND_SUCCESS"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideReceive}))
		require.Len(t, f.calls, 1)
		require.Equal(t, "confirmDelivery", f.calls[0]["action"])
		require.Equal(t, "[1]", f.calls[0]["ids"])
	})
	t.Run("lines named by their units; withdrawn lines left out of an all-lines decision", func(t *testing.T) {
		f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"), unit("2", "REQUEST_CANCEL"), unit("3", "REQUEST_INITIATE"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove}))
		require.Equal(t, "[1,3]", f.calls[0]["ids"])
		f, c = newFake("RETURN", unit("1", "REQUEST_INITIATE"), unit("3", "REQUEST_INITIATE"))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove,
			Lines: []channels.ReturnLine{{UnitIDs: []string{"93"}}}}))
		require.Equal(t, "[3]", f.calls[0]["ids"])
		f, c = newFake("RETURN", unit("2", "REQUEST_CANCEL"))
		require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideApprove}), channels.ErrRefused)
		require.Empty(t, f.calls)
	})
	t.Run("refused without a call", func(t *testing.T) {
		for name, d := range map[string]channels.ReturnDecision{
			"offer":             {ReturnID: "7001", Action: channels.DecideOffer, OfferAmount: 100},
			"unknown return":    {ReturnID: "404", Action: channels.DecideApprove},
			"unknown line":      {ReturnID: "7001", Action: channels.DecideApprove, Lines: []channels.ReturnLine{{ReturnLineIDs: []string{"9"}}}},
			"unknown unit":      {ReturnID: "7001", Action: channels.DecideApprove, Lines: []channels.ReturnLine{{UnitIDs: []string{"9"}}}},
			"receive requested": {ReturnID: "7001", Action: channels.DecideReceive},
			"unknown action":    {ReturnID: "7001", Action: "PONDER"},
		} {
			f, c := newFake("RETURN", unit("1", "REQUEST_INITIATE"))
			err := c.DecideReturn(ctx, d)
			require.ErrorIs(t, err, channels.ErrRefused, name)
			require.Empty(t, f.calls, name)
		}
		f, c := newFake("ONLY_REFUND", unit("1", "REFUND_PENDING"))
		require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "7001", Action: channels.DecideReceive}), channels.ErrRefused)
		require.Empty(t, f.calls)
	})
}
