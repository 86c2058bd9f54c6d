package tiktokshop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// searchReturn is a Search Returns return: two units of one SKU and one of another, in the shape of
// the 202309 API (the community SDKs' types).
func searchReturn(id, typ, status string) string {
	return fmt.Sprintf(`{"return_id":%q,"order_id":"576461413038785753","return_type":%q,"return_status":%q,
	 "arbitration_status":"","role":"BUYER","return_reason":"ecom_order_delivered_refund_and_return_reason_damaged",
	 "return_reason_text":"Damaged","return_tracking_number":"TTR123","return_provider_name":"J&T","create_time":1700000000,
	 "update_time":1700000600,"seller_next_action_response":[{"action":"SELLER_RESPOND_RETURN","deadline":1700172800},{"action":"X","deadline":1700086400}],
	 "refund_amount":{"currency":"THB","refund_total":"450.50","refund_subtotal":"450.50","refund_shipping_fee":"0","refund_tax":"0"},
	 "return_line_items":[
	  {"return_line_item_id":"9001","order_line_item_id":"577086512005001001","sku_id":"1729","seller_sku":"SHIRT-M","refund_amount":{"currency":"THB","refund_total":"150.25"}},
	  {"return_line_item_id":"9002","order_line_item_id":"577086512005001002","sku_id":"1729","seller_sku":"SHIRT-M","refund_amount":{"currency":"THB","refund_total":"150.25"}},
	  {"return_line_item_id":"9003","order_line_item_id":"577086512005002001","sku_id":"1730","seller_sku":"","refund_amount":{"currency":"THB","refund_total":"150"}}]}`, id, typ, status)
}

func searchAnswer(next string, returns ...string) string {
	return fmt.Sprintf(`{"code":0,"message":"Success","request_id":"1","data":{"return_orders":[%s],"next_page_token":%q,"total_count":%d}}`, strings.Join(returns, ","), next, len(returns))
}

func TestNormalizeReturn(t *testing.T) {
	r, err := NormalizeReturn([]byte(searchReturn("4035318504086604100", ReturnTypeReturn, ReturnBuyerShipped)))
	require.NoError(t, err)
	require.Equal(t, channels.TikTokShop, r.Kind)
	require.Equal(t, "4035318504086604100", r.ExternalID)
	require.Equal(t, "576461413038785753", r.OrderID)
	require.Equal(t, channels.RMAInTransit, r.Status)
	require.Equal(t, ReturnBuyerShipped, r.ChannelStatus)
	require.False(t, r.RefundOnly)
	require.Equal(t, "THB", r.Currency)
	require.Equal(t, int64(45050), r.RefundAmount)
	require.Equal(t, "TTR123", r.TrackingNumber)
	require.Equal(t, "J&T", r.Carrier)
	require.Equal(t, "Damaged", r.ReasonText)
	require.Equal(t, time.Unix(1700000000, 0).UTC(), r.CreatedAt)
	require.Equal(t, time.Unix(1700000600, 0).UTC(), r.UpdatedAt)
	require.Equal(t, time.Unix(1700086400, 0).UTC(), *r.Deadline, "the earliest next action's deadline")
	require.Equal(t, map[string]string{RefReturnType: ReturnTypeReturn, RefReturnStatus: ReturnBuyerShipped}, r.Refs)
	require.Equal(t, []channels.ReturnLine{
		{SKU: "SHIRT-M", ListingID: "1729", Quantity: 2, RefundAmount: 30050,
			UnitIDs: []string{"577086512005001001", "577086512005001002"}, ReturnLineIDs: []string{"9001", "9002"}},
		{SKU: "1730", ListingID: "1730", Quantity: 1, RefundAmount: 15000,
			UnitIDs: []string{"577086512005002001"}, ReturnLineIDs: []string{"9003"}},
	}, r.Lines)

	for name, raw := range map[string]string{
		"no return id":          `{"order_id":"1"}`,
		"bad currency":          `{"return_id":"1","refund_amount":{"currency":"baht","refund_total":"1"}}`,
		"too many decimals":     `{"return_id":"1","refund_amount":{"currency":"VND","refund_total":"1.5"}}`,
		"line in another money": `{"return_id":"1","refund_amount":{"currency":"THB"},"return_line_items":[{"refund_amount":{"currency":"USD","refund_total":"1"}}]}`,
		"bad time":              `{"return_id":"1","create_time":"soon"}`,
		"not JSON":              `{`,
	} {
		_, err := NormalizeReturn([]byte(raw))
		require.Error(t, err, name)
	}
}

func TestMapReturnStatus(t *testing.T) {
	tests := []struct {
		status, typ, arbitration string
		want                     channels.ReturnStatus
	}{
		{ReturnPending, ReturnTypeRefund, "", channels.RMARequested},
		{ReplacementPending, ReturnTypeReplacement, "", channels.RMARequested},
		{ReturnAwaitingBuyer, ReturnTypeReturn, "", channels.RMARequested},
		{ReturnAwaitingShip, ReturnTypeReturn, "", channels.RMAApproved},
		{ReturnBuyerShipped, ReturnTypeReturn, "", channels.RMAInTransit},
		{ReturnSuccess, ReturnTypeReturn, "", channels.RMAReceived},
		{ReturnSuccess, ReturnTypeRefund, "", channels.RMAApproved},
		{ReturnComplete, ReturnTypeRefund, "", channels.RMARefunded},
		{ReplacementRefunded, ReturnTypeReplacement, "", channels.RMARefunded},
		{ReturnRejected, ReturnTypeReturn, "", channels.RMADeclined},
		{ReturnRejected, ReturnTypeReturn, "IN_PROGRESS", channels.RMADisputed},
		{"REFUND_OR_RETURN_REQUEST_REJECT", ReturnTypeReturn, "", channels.RMADeclined},
		{ReturnRejectPackage, ReturnTypeReturn, "IN_PROGRESS", channels.RMADisputed},
		{ReturnCancelled, ReturnTypeReturn, "", channels.RMACancelled},
		{"RETURN_OR_REFUND__REQUEST_CANCELLED", ReturnTypeReturn, "", channels.RMACancelled},
		{"SOMETHING_NEW", ReturnTypeReturn, "", channels.RMAOther},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, MapReturnStatus(tt.status, tt.typ, tt.arbitration), "%s %s %s", tt.status, tt.typ, tt.arbitration)
	}
}

func TestUpdatedReturnsPages(t *testing.T) {
	f, c := newFake(t,
		searchAnswer("tok2", searchReturn("1", ReturnTypeRefund, ReturnPending)),
		searchAnswer("tok3"))
	since, until := time.Unix(1700000000, 0), time.Unix(1700003600, 500)
	p, err := c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Until: until, PageSize: 500})
	require.NoError(t, err)
	require.Len(t, p.Returns, 1)
	require.True(t, p.Returns[0].RefundOnly)
	require.Equal(t, "tok2", p.Next)
	q := f.requireSigned(t, 0, http.MethodPost, PathReturnSearch)
	require.Equal(t, "100", q.Get("page_size"))
	require.Equal(t, "update_time", q.Get("sort_field"))
	require.JSONEq(t, `{"update_time_ge":1700000000,"update_time_lt":1700003601}`, string(f.bodies[0]))

	p, err = c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Until: until, Cursor: p.Next})
	require.NoError(t, err)
	require.Empty(t, p.Returns)
	require.Empty(t, p.Next, "an empty page is the last")
	q = f.requireSigned(t, 1, http.MethodPost, PathReturnSearch)
	require.Equal(t, "tok2", q.Get("page_token"))
}

func TestReturnsByIDChunks(t *testing.T) {
	f, c := newFake(t, searchAnswer("", searchReturn("1", ReturnTypeRefund, ReturnPending)))
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	got, err := c.ReturnsByID(context.Background(), ids)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Len(t, f.calls, 2)
	var body returnSearch
	require.NoError(t, json.Unmarshal(f.bodies[0], &body))
	require.Len(t, body.ReturnIDs, 50)
	require.NoError(t, json.Unmarshal(f.bodies[1], &body))
	require.Equal(t, []string{"50"}, body.ReturnIDs)
}

func TestDecideReturn(t *testing.T) {
	ok := `{"code":0,"message":"Success","request_id":"2","data":{}}`
	tests := []struct {
		name, typ, status string
		d                 channels.ReturnDecision
		path, body        string // empty path: nothing sent
	}{
		{"approve a return", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideApprove},
			"/approve", `{"decision":"APPROVE_RETURN"}`},
		{"approve a refund", ReturnTypeRefund, ReturnPending, channels.ReturnDecision{Action: channels.DecideApprove},
			"/approve", `{"decision":"APPROVE_REFUND"}`},
		{"approve a replacement", ReturnTypeReplacement, ReplacementPending, channels.ReturnDecision{Action: channels.DecideApprove},
			"/approve", `{"decision":"APPROVE_REPLACEMENT"}`},
		{"approve again", ReturnTypeReturn, ReturnAwaitingShip, channels.ReturnDecision{Action: channels.DecideApprove}, "", ""},
		{"receive after the buyer shipped", ReturnTypeReturn, ReturnBuyerShipped, channels.ReturnDecision{Action: channels.DecideReceive},
			"/approve", `{"decision":"APPROVE_RECEIVED_PACKAGE"}`},
		{"receive again", ReturnTypeReturn, ReturnSuccess, channels.ReturnDecision{Action: channels.DecideReceive}, "", ""},
		{"reject a return", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideRefuse, Reason: "seller_reject_apply_product_has_been_used", Comment: "worn", Evidence: []string{"img1"}},
			"/reject", `{"decision":"REJECT_RETURN","reject_reason":"seller_reject_apply_product_has_been_used","comment":"worn","images":[{"image_id":"img1"}]}`},
		{"reject a refund", ReturnTypeRefund, ReturnPending, channels.ReturnDecision{Action: channels.DecideRefuse, Reason: "r"},
			"/reject", `{"decision":"REJECT_REFUND","reject_reason":"r"}`},
		{"reject the package", ReturnTypeReturn, ReturnBuyerShipped, channels.ReturnDecision{Action: channels.DecideRefuse, Reason: "r"},
			"/reject", `{"decision":"REJECT_RECEIVED_PACKAGE","reject_reason":"r"}`},
		{"reject again", ReturnTypeReturn, ReturnRejected, channels.ReturnDecision{Action: channels.DecideRefuse, Reason: "r"}, "", ""},
		{"offer a partial refund", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideOffer, OfferAmount: 12050},
			"/approve", `{"decision":"OFFER_PARTIAL_REFUND","partial_refund":{"amount":"120.50","currency":"THB"}}`},
		{"offer again", ReturnTypeReturn, ReturnAwaitingBuyer, channels.ReturnDecision{Action: channels.DecideOffer, OfferAmount: 12050}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, searchAnswer("", searchReturn("77", tt.typ, tt.status)), ok)
			tt.d.ReturnID, tt.d.IdempotencyKey = "77", "ret_1:"+tt.d.Action
			require.NoError(t, c.DecideReturn(context.Background(), tt.d))
			if tt.path == "" {
				require.Len(t, f.calls, 1, "only the search")
				return
			}
			require.Len(t, f.calls, 2)
			q := f.requireSigned(t, 1, http.MethodPost, "/return_refund/202309/returns/77"+tt.path)
			require.Equal(t, "ret_1:"+tt.d.Action, q.Get("idempotency_key"))
			require.JSONEq(t, tt.body, string(f.bodies[1]))
		})
	}

	refused := []struct {
		name, typ, status string
		d                 channels.ReturnDecision
	}{
		{"receive a refund-only request", ReturnTypeRefund, ReturnSuccess, channels.ReturnDecision{Action: channels.DecideReceive}},
		{"reject without a reason", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideRefuse}},
		{"reject a refunded return", ReturnTypeReturn, ReturnComplete, channels.ReturnDecision{Action: channels.DecideRefuse, Reason: "r"}},
		{"approve a cancelled return", ReturnTypeReturn, ReturnCancelled, channels.ReturnDecision{Action: channels.DecideApprove}},
		{"offer nothing", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideOffer}},
		{"offer in another currency", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: channels.DecideOffer, OfferAmount: 1, Currency: "USD"}},
		{"offer on a replacement", ReturnTypeReplacement, ReplacementPending, channels.ReturnDecision{Action: channels.DecideOffer, OfferAmount: 1}},
		{"an unknown action", ReturnTypeReturn, ReturnPending, channels.ReturnDecision{Action: "SHRUG"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, searchAnswer("", searchReturn("77", tt.typ, tt.status)), ok)
			tt.d.ReturnID = "77"
			require.ErrorIs(t, c.DecideReturn(context.Background(), tt.d), channels.ErrRefused)
			require.Len(t, f.calls, 1, "nothing sent")
		})
	}

	t.Run("the idempotency key defaults to the return and decision", func(t *testing.T) {
		f, c := newFake(t, searchAnswer("", searchReturn("77", ReturnTypeReturn, ReturnPending)), ok)
		require.NoError(t, c.DecideReturn(context.Background(), channels.ReturnDecision{ReturnID: "77", Action: channels.DecideApprove}))
		require.Equal(t, "77:APPROVE_RETURN", f.calls[1].URL.Query().Get("idempotency_key"))
	})
	t.Run("an unknown return is refused", func(t *testing.T) {
		_, c := newFake(t, searchAnswer(""))
		require.ErrorIs(t, c.DecideReturn(context.Background(), channels.ReturnDecision{ReturnID: "77", Action: channels.DecideApprove}), channels.ErrRefused)
	})
	t.Run("TikTok's refusal is permanent, an expired token asks for a refresh", func(t *testing.T) {
		_, c := newFake(t, searchAnswer("", searchReturn("77", ReturnTypeReturn, ReturnPending)), `{"code":35003001,"message":"The return status does not allow this operation"}`)
		err := c.DecideReturn(context.Background(), channels.ReturnDecision{ReturnID: "77", Action: channels.DecideApprove})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.NotErrorIs(t, err, channels.ErrTokenExpired)
		_, c = newFake(t, fmt.Sprintf(`{"code":%d,"message":"Expired credentials."}`, CodeExpiredToken))
		require.ErrorIs(t, c.DecideReturn(context.Background(), channels.ReturnDecision{ReturnID: "77", Action: channels.DecideApprove}), channels.ErrTokenExpired)
	})
}

func TestParseReturnWebhook(t *testing.T) {
	n, err := Webhooks{}.Parse(nil, []byte(`{"type":12,"tts_notification_id":"1","shop_id":"7","timestamp":1,"data":{"order_id":576486316948490001,"return_id":4035318504086604100,"return_status":"BUYER_SHIPPED_ITEM","update_time":1}}`))
	require.NoError(t, err)
	require.Equal(t, []string{"4035318504086604100"}, n.ReturnIDs)
	require.Equal(t, []string{"576486316948490001"}, n.OrderIDs)
	require.Equal(t, "RETURN_STATUS_CHANGE:BUYER_SHIPPED_ITEM", n.Topic)
	n, err = Webhooks{}.Parse(nil, []byte(`{"type":1,"shop_id":"7","data":{"order_id":"5","return_id":"6"}}`))
	require.NoError(t, err)
	require.Empty(t, n.ReturnIDs, "only a return status change names returns")
}

func FuzzNormalizeReturn(f *testing.F) {
	f.Add([]byte(searchReturn("1", ReturnTypeReturn, ReturnPending)))
	f.Add([]byte(`{"return_id":1,"refund_amount":{"currency":"VND","refund_total":"5"},"return_line_items":[{},{"sku_id":2}],"seller_next_action_response":[{"deadline":"x"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := NormalizeReturn(raw)
		if err != nil {
			return
		}
		var n int64
		for _, l := range r.Lines {
			n += l.Quantity
		}
		if r.ExternalID == "" || n < 0 {
			t.Fatalf("%+v", r)
		}
	})
}
