package shopee

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

const returnFixture = "sample_response_v2.returns.get_return_detail.extracted.json"

func TestNormalizeReturnFixture(t *testing.T) {
	r, err := NormalizeReturn(read(t, returnFixture))
	require.NoError(t, err)
	require.Equal(t, channels.Shopee, r.Kind)
	require.Equal(t, "2206140TA5PM808", r.ExternalID)
	require.Equal(t, "220614T9XV8JTN", r.OrderID)
	require.Equal(t, channels.RMAApproved, r.Status)
	require.Equal(t, "ACCEPTED/LOGISTICS_REQUEST_CREATED", r.ChannelStatus)
	require.Equal(t, "NOT_RECEIPT", r.Reason)
	require.Equal(t, "not received", r.ReasonText)
	require.Equal(t, "SGD", r.Currency)
	require.Equal(t, int64(1397), r.RefundAmount, "13.97 SGD")
	require.False(t, r.Refunded)
	require.False(t, r.RefundOnly, "return_solution 0 is return and refund")
	require.Equal(t, "RNSHS00177569", r.TrackingNumber)
	require.Equal(t, at(1655205084), r.CreatedAt)
	require.Equal(t, at(1655219544), r.UpdatedAt)
	require.NotNil(t, r.Deadline)
	require.Equal(t, at(1655438205), *r.Deadline, "return_seller_due_date")
	require.Equal(t, []string{
		"https://cf.shopee.sg/file/166f23cbfb31bd882f51cfe7f90d3826",
		"https://play-ws.vod.shopee.com/api/v4/11110158/mms/sg-11110158-6jrnk-lf6a3juz7hw96f.ori.mp4",
	}, r.Evidence)
	require.Equal(t, []channels.ReturnLine{{
		LineID: "2700126223:2001586745", ListingID: "2700126223:2001586745", SKU: "RED", Quantity: 1, RefundAmount: 1234,
	}}, r.Lines)
	require.Equal(t, "0", r.Refs[RefSolution])
	require.Equal(t, "PENDING_RESPOND", r.Refs[RefNegotiation])

	// The bare response object reads the same.
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(read(t, returnFixture), &env))
	bare, err := NormalizeReturn(env.Response)
	require.NoError(t, err)
	require.Equal(t, r, bare)
}

func TestNormalizeReturnValues(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want func(t *testing.T, r channels.Return)
	}{
		{"VND in whole units, due_date as the deadline, refund only", `{"return_sn":"R1","order_sn":"O1","status":"COMPLETED","currency":"VND","refund_amount":150000,"due_date":100,"return_solution":1,"item":[{"item_id":1,"model_id":0,"item_sku":"BAG","amount":2,"refund_amount":150000.0}]}`,
			func(t *testing.T, r channels.Return) {
				require.Equal(t, int64(150000), r.RefundAmount)
				require.Equal(t, channels.RMARefunded, r.Status)
				require.True(t, r.Refunded)
				require.True(t, r.RefundOnly)
				require.Equal(t, at(100), *r.Deadline)
				require.Equal(t, "1:0", r.Lines[0].ListingID)
				require.Equal(t, "BAG", r.Lines[0].SKU, "item_sku when there is no variation_sku")
				require.Equal(t, int64(2), r.Lines[0].Quantity)
			}},
		{"float noise rounds", `{"return_sn":"R2","status":"REQUESTED","currency":"THB","refund_amount":12.349999999}`,
			func(t *testing.T, r channels.Return) {
				require.Equal(t, int64(1235), r.RefundAmount)
				require.Nil(t, r.Deadline)
				require.Equal(t, channels.RMARequested, r.Status)
			}},
		{"an unknown status is kept raw", `{"return_sn":"R3","status":"SOMETHING_NEW","currency":"MYR"}`,
			func(t *testing.T, r channels.Return) {
				require.Equal(t, channels.RMAOther, r.Status)
				require.Equal(t, "SOMETHING_NEW", r.ChannelStatus)
			}},
		{"ids and amounts as strings", `{"return_sn":2206,"status":"PROCESSING","tracking_number":"T1","currency":"PHP","refund_amount":"10.5","item":[{"item_id":"5","model_id":"6","amount":"1"}]}`,
			func(t *testing.T, r channels.Return) {
				require.Equal(t, "2206", r.ExternalID)
				require.Equal(t, int64(1050), r.RefundAmount)
				require.Equal(t, channels.RMAInTransit, r.Status)
				require.Equal(t, "5:6", r.Lines[0].LineID)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NormalizeReturn([]byte(tt.raw))
			require.NoError(t, err)
			tt.want(t, r)
		})
	}
	for name, raw := range map[string]string{
		"no return_sn":      `{"status":"REQUESTED"}`,
		"bad currency":      `{"return_sn":"R","currency":"baht"}`,
		"too many decimals": `{"return_sn":"R","currency":"VND","refund_amount":"1.5x"}`,
		"bad amount":        `{"return_sn":"R","currency":"THB","item":[{"item_id":1,"amount":"two"}]}`,
		"bad time":          `{"return_sn":"R","currency":"THB","create_time":"yesterday"}`,
		"an error answer":   `{"error":"error_param","message":"bad"}`,
		"not JSON":          `<html>`,
	} {
		_, err := NormalizeReturn([]byte(raw))
		require.Error(t, err, name)
	}
}

func TestMapReturnStatus(t *testing.T) {
	tests := []struct {
		status, logistics, tracking string
		want                        channels.ReturnStatus
	}{
		{"REQUESTED", "", "", channels.RMARequested},
		{"PROCESSING", "", "", channels.RMAApproved},
		{"PROCESSING", "", "TRK", channels.RMAInTransit},
		{"PROCESSING", "LOGISTICS_PICKUP_DONE", "", channels.RMAInTransit},
		{"PROCESSING", "LOGISTICS_DELIVERY_DONE", "TRK", channels.RMAReceived},
		{"ACCEPTED", "LOGISTICS_DELIVERY_DONE", "", channels.RMAApproved},
		{"COMPLETED", "", "", channels.RMARefunded},
		{"CANCELLED", "", "", channels.RMACancelled},
		{"JUDGING", "", "", channels.RMADisputed},
		{"SELLER_DISPUTE", "", "", channels.RMADisputed},
		{"CLOSED", "", "", channels.RMADeclined},
		{"", "", "", channels.RMAOther},
		{"requested", "", "", channels.RMAOther},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, MapReturnStatus(tt.status, tt.logistics, tt.tracking), "%s/%s/%s", tt.status, tt.logistics, tt.tracking)
	}
}

// returnJSON is a get_return_detail object for return sn of order O1, of 1 unit of item 100
// model 7 and 2 of item 200.
func returnJSON(sn, status string, update int64) string {
	return fmt.Sprintf(`{"return_sn":%q,"order_sn":"O1","status":%q,"currency":"THB","refund_amount":30.5,"update_time":%d,`+
		`"item":[{"item_id":100,"model_id":7,"amount":1,"refund_amount":10.5},{"item_id":200,"model_id":0,"amount":2,"refund_amount":20}]}`, sn, status, update)
}

func TestUpdatedReturnsPagesAndResolvesLines(t *testing.T) {
	c, f := newClient(t, func(cl call) (int, string) {
		switch cl.Path {
		case PathReturnList:
			if cl.Query.Get("page_no") == "0" {
				return ok(`{"more":true,"return":[` + returnJSON("R1", "REQUESTED", 10) + `]}`)
			}
			return ok(`{"more":false,"return":[` + returnJSON("R2", "PROCESSING", 11) + `]}`)
		case PathOrderDetail:
			return ok(`{"order_list":[{"order_sn":"O1","currency":"THB","item_list":[` +
				`{"item_id":100,"model_id":7,"line_item_id":9001,"model_quantity_purchased":1},` +
				`{"item_id":200,"model_id":0,"line_item_id":9002,"model_quantity_purchased":1},` +
				`{"item_id":200,"model_id":0,"line_item_id":9003,"model_quantity_purchased":1}]}]}`)
		}
		return refusal("error_not_found", "?")
	})
	since := clientNow.Add(-time.Hour)
	p1, err := c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, PageSize: 500})
	require.NoError(t, err)
	require.Len(t, p1.Returns, 1)
	require.Equal(t, "R1", p1.Returns[0].ExternalID)
	require.Equal(t, "9001", p1.Returns[0].Lines[0].LineID, "the order's line_item_id")
	require.Equal(t, "200:0", p1.Returns[0].Lines[1].LineID, "a model on two lines keeps its listing id")
	require.NotEmpty(t, p1.Next)

	p2, err := c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Cursor: p1.Next})
	require.NoError(t, err)
	require.Len(t, p2.Returns, 1)
	require.Equal(t, channels.RMAApproved, p2.Returns[0].Status)
	require.Empty(t, p2.Next)

	calls := f.recorded()
	var lists []call
	for _, cl := range calls {
		if cl.Path == PathReturnList {
			lists = append(lists, cl)
		}
		require.Equal(t, SignRequest(key, partnerID, cl.Path, clientNow.Unix(), token, shopID), cl.Query.Get("sign"), "signed over %s", cl.Path)
		require.Equal(t, strconv.Itoa(shopID), cl.Query.Get("shop_id"))
	}
	require.Len(t, lists, 2)
	require.Equal(t, "100", lists[0].Query.Get("page_size"), "clamped")
	require.Equal(t, strconv.FormatInt(since.Unix(), 10), lists[0].Query.Get("update_time_from"))
	require.Equal(t, strconv.FormatInt(clientNow.Unix(), 10), lists[0].Query.Get("update_time_to"))
	require.Equal(t, "1", lists[1].Query.Get("page_no"))
}

func TestUpdatedReturnsWalksWindows(t *testing.T) {
	c, f := newClient(t, func(cl call) (int, string) { return ok(`{"more":false,"return":[]}`) })
	since := clientNow.Add(-20 * 24 * time.Hour)
	p, err := c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Until: clientNow})
	require.NoError(t, err)
	require.Empty(t, p.Returns)
	require.NotEmpty(t, p.Next, "a 20-day pull has a second window")
	p, err = c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Until: clientNow, Cursor: p.Next})
	require.NoError(t, err)
	require.Empty(t, p.Next)
	calls := f.recorded()
	require.Len(t, calls, 2, "no order detail for empty pages")
	require.Equal(t, strconv.FormatInt(since.Add(maxWindow).Unix(), 10), calls[1].Query.Get("update_time_from"))

	_, err = c.UpdatedReturns(context.Background(), channels.PullQuery{Since: since, Cursor: "x"})
	require.Error(t, err)
}

func TestReturnsByIDLeavesUnknownOut(t *testing.T) {
	c, _ := newClient(t, func(cl call) (int, string) {
		switch {
		case cl.Path == PathReturnDetail && cl.Query.Get("return_sn") == "R1":
			return ok(returnJSON("R1", "REQUESTED", 10))
		case cl.Path == PathReturnDetail:
			return refusal("returns.error_not_found", "return not found")
		case cl.Path == PathOrderDetail:
			return refusal("error_not_found", "the order is not found")
		}
		return refusal("error_param", "?")
	})
	got, err := c.ReturnsByID(context.Background(), []string{"R1", "NOPE"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "100:7", got[0].Lines[0].LineID, "an order Shopee lost keeps the listing ids")
}

// decider answers get_return_detail with a return in status and records the decision calls.
func decider(status string, decision func(cl call) (int, string)) func(cl call) (int, string) {
	return func(cl call) (int, string) {
		switch cl.Path {
		case PathReturnDetail:
			return ok(returnJSON(cl.Query.Get("return_sn"), status, 10))
		case PathReturnAccept, PathReturnRefuse, PathReturnOffer:
			return decision(cl)
		}
		return refusal("error_param", "?")
	}
}

func accepted(cl call) (int, string) { return ok(`{"return_sn":"R1"}`) }

func decisions(f *fake) []call {
	var out []call
	for _, cl := range f.recorded() {
		if cl.Path != PathReturnDetail {
			out = append(out, cl)
		}
	}
	return out
}

func TestDecideReturn(t *testing.T) {
	ctx := context.Background()
	t.Run("approve confirms an open return", func(t *testing.T) {
		c, f := newClient(t, decider("REQUESTED", accepted))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove}))
		got := decisions(f)
		require.Len(t, got, 1)
		require.Equal(t, PathReturnAccept, got[0].Path)
		require.Equal(t, http.MethodPost, got[0].Method)
		require.JSONEq(t, `{"return_sn":"R1"}`, got[0].Body)
		require.Equal(t, SignRequest(key, partnerID, PathReturnAccept, clientNow.Unix(), token, shopID), got[0].Query.Get("sign"))
	})
	t.Run("approve and receive again are no-ops", func(t *testing.T) {
		for _, st := range []string{"ACCEPTED", "COMPLETED"} {
			c, f := newClient(t, decider(st, accepted))
			require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove}))
			require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideReceive}))
			require.Empty(t, decisions(f))
		}
	})
	t.Run("receive confirms a return in transit", func(t *testing.T) {
		c, f := newClient(t, decider("PROCESSING", accepted))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideReceive}))
		require.Len(t, decisions(f), 1)
	})
	t.Run("refuse disputes with reason id, email and images", func(t *testing.T) {
		c, f := newClient(t, decider("REQUESTED", accepted))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{
			ReturnID: "R1", Action: channels.DecideRefuse, Reason: "2", Comment: "the seal is intact",
			Evidence: []string{"https://img/1.jpg"}, Refs: map[string]string{RefEmail: "seller@example.com"},
		}))
		got := decisions(f)
		require.Len(t, got, 1)
		require.Equal(t, PathReturnRefuse, got[0].Path)
		require.JSONEq(t, `{"return_sn":"R1","email":"seller@example.com","dispute_reason":2,"dispute_text_reason":"the seal is intact","images":["https://img/1.jpg"]}`, got[0].Body)
	})
	t.Run("refuse again is a no-op", func(t *testing.T) {
		c, f := newClient(t, decider("SELLER_DISPUTE", accepted))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideRefuse, Reason: "2"}))
		require.Empty(t, decisions(f))
	})
	t.Run("offer sends the amount in major units", func(t *testing.T) {
		c, f := newClient(t, decider("REQUESTED", accepted))
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideOffer, OfferAmount: 1250, Currency: "THB"}))
		got := decisions(f)
		require.Len(t, got, 1)
		require.Equal(t, PathReturnOffer, got[0].Path)
		require.JSONEq(t, `{"return_sn":"R1","proposed_solution":1,"proposed_adjusted_refund_amount":12.5}`, got[0].Body)
	})
	refused := []struct {
		name   string
		status string
		d      channels.ReturnDecision
	}{
		{"refuse without a reason id", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideRefuse, Reason: "DAMAGED", Refs: map[string]string{RefEmail: "a@b"}}},
		{"refuse without an email", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideRefuse, Reason: "1"}},
		{"refuse with four images", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideRefuse, Reason: "1", Evidence: []string{"a", "b", "c", "d"}, Refs: map[string]string{RefEmail: "a@b"}}},
		{"refuse an accepted return", "ACCEPTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideRefuse, Reason: "1", Refs: map[string]string{RefEmail: "a@b"}}},
		{"approve a cancelled return", "CANCELLED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove}},
		{"offer nothing", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideOffer}},
		{"offer in another currency", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideOffer, OfferAmount: 100, Currency: "USD"}},
		{"offer on a closed return", "CLOSED", channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideOffer, OfferAmount: 100}},
		{"an unknown action", "REQUESTED", channels.ReturnDecision{ReturnID: "R1", Action: "SHRUG"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newClient(t, decider(tt.status, accepted))
			require.ErrorIs(t, c.DecideReturn(ctx, tt.d), channels.ErrRefused)
			require.Empty(t, decisions(f))
		})
	}
	t.Run("Shopee's refusal is permanent, a token error asks for a refresh, a server error is neither", func(t *testing.T) {
		c, _ := newClient(t, decider("REQUESTED", func(call) (int, string) { return refusal("returns.error_status", "status not allowed") }))
		err := c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.NotErrorIs(t, err, channels.ErrTokenExpired)

		c, _ = newClient(t, func(call) (int, string) { return refusal("invalid_acceess_token", "Invalid access_token.") })
		err = c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove})
		require.ErrorIs(t, err, channels.ErrTokenExpired)

		c, _ = newClient(t, decider("REQUESTED", func(call) (int, string) { return refusal("error_server", "busy") }))
		err = c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R1", Action: channels.DecideApprove})
		require.Error(t, err)
		require.NotErrorIs(t, err, channels.ErrRefused)
	})
	t.Run("an unknown return is refused", func(t *testing.T) {
		c, _ := newClient(t, func(call) (int, string) { return refusal("returns.error_not_found", "no") })
		require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: "R9", Action: channels.DecideApprove}), channels.ErrRefused)
	})
}

func TestMajorUnits(t *testing.T) {
	for _, tt := range []struct {
		minor int64
		exp   int
		want  string
	}{{1250, 2, "12.5"}, {5, 2, "0.05"}, {100, 2, "1"}, {48000, 0, "48000"}, {-1250, 2, "-12.5"}, {1, 3, "0.001"}} {
		require.Equal(t, tt.want, majorUnits(tt.minor, tt.exp))
		back, err := channels.ParseMinor(tt.want, tt.exp)
		require.NoError(t, err)
		require.Equal(t, tt.minor, back)
	}
}

func FuzzNormalizeReturn(f *testing.F) {
	f.Add(read(f, returnFixture))
	f.Add([]byte(returnJSON("R1", "PROCESSING", 1)))
	f.Add([]byte(`{"return_sn":1,"currency":"VND","refund_amount":1e5,"item":[{"amount":"x"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := NormalizeReturn(raw)
		if err == nil && !strings.Contains(string(raw), "return_sn") {
			t.Fatalf("a return without return_sn: %+v", r)
		}
	})
}
