package marketsim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// shippedTikTokOrder places an order of 3 shirts (3 baht off) and a bag and ships it.
func shippedTikTokOrder(t *testing.T, sh *marketsim.Shop) *marketsim.Order {
	t.Helper()
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: ttsShirt, Quantity: 3, Discount: 300}, {ListingID: ttsBag, Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, sh.SetStatus(o.ID, marketsim.Shipped, ""))
	return o
}

// returnPush reads a type-12 webhook the hook got: verified, parsed, and its return status.
func returnPush(t *testing.T, c *tiktokshop.Client, r received) (channels.Notification, string) {
	t.Helper()
	require.NoError(t, c.Verify(r.Header, r.Body, time.Now()))
	n, err := c.Parse(r.Header, r.Body)
	require.NoError(t, err)
	var p struct {
		Type int `json:"type"`
		Data struct {
			ReturnStatus string `json:"return_status"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &p))
	require.Equal(t, tiktokshop.TypeReturnStatusChange, p.Type)
	return n, p.Data.ReturnStatus
}

func TestTikTokShopReturnsRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := tiktokShop(t, sim, hook.URL)
	c, err := tiktokshop.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o := shippedTikTokOrder(t, sh)
	hook.wait(t, 2)
	orders, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	shirts := orders[0].Lines[0]
	require.Len(t, shirts.UnitIDs, 3)

	r, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 2}}, Reason: "ecom_order_delivered_refund_and_return_reason_wrong_size"})
	require.NoError(t, err)
	require.Regexp(t, `^\d{19}$`, r.ID)
	require.Equal(t, int64(2*29000-200), r.Refund)

	// The type-12 push names the return; the connector fetches it.
	n, status := returnPush(t, c, sent(t, hook, sh, 3))
	require.Equal(t, tiktokshop.ReturnPending, status)
	require.Equal(t, []string{r.ID}, n.ReturnIDs)
	require.Equal(t, []string{o.ID}, n.OrderIDs)
	got, err := c.ReturnsByID(ctx, n.ReturnIDs)
	require.NoError(t, err)
	require.Len(t, got, 1)
	g := got[0]
	require.Equal(t, channels.RMARequested, g.Status)
	require.Equal(t, o.ID, g.OrderID)
	require.Equal(t, r.Refund, g.RefundAmount)
	require.Equal(t, "THB", g.Currency)
	require.False(t, g.RefundOnly)
	require.Equal(t, r.Deadline.UTC(), *g.Deadline)
	require.Len(t, g.Lines, 1)
	require.Equal(t, shirts.UnitIDs[:2], g.Lines[0].UnitIDs, "the order's first two units")
	require.Equal(t, "SHIRT-M", g.Lines[0].SKU)
	require.Equal(t, ttsShirt, g.Lines[0].ListingID)
	require.Equal(t, int64(2), g.Lines[0].Quantity)
	require.Equal(t, r.Refund, g.Lines[0].RefundAmount)
	require.Len(t, g.Lines[0].ReturnLineIDs, 2)

	// A replayed push is the same bytes.
	pushes := sh.RMAPushes(r.ID)
	require.Len(t, pushes, 1)
	require.Equal(t, http.StatusOK, sh.Redeliver(pushes[0]))
	require.Equal(t, pushes[0].Body, hook.wait(t, 4).Body)

	// Approve, the buyer ships, the seller takes the package, TikTok refunds; a push each.
	delivered := func(i int) received { // the return's i-th push (1-based), once it reached the hook
		t.Helper()
		var d marketsim.Delivery
		require.Eventually(t, func() bool {
			ps := sh.RMAPushes(r.ID)
			if len(ps) < i {
				return false
			}
			d = ps[i-1]
			return d.Status == http.StatusOK
		}, within, 5*time.Millisecond)
		return received{Header: d.Header, Body: d.Body}
	}
	decide := func(action string) {
		t.Helper()
		require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: action, IdempotencyKey: "ret_1:" + action}))
	}
	decide(channels.DecideApprove)
	decide(channels.DecideApprove) // a no-op: TikTok has it
	_, status = returnPush(t, c, delivered(2))
	require.Equal(t, tiktokshop.ReturnAwaitingShip, status)
	_, err = sh.ShipBackRMA(r.ID, "TTRTN1")
	require.NoError(t, err)
	_, status = returnPush(t, c, delivered(3))
	require.Equal(t, tiktokshop.ReturnBuyerShipped, status)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMAInTransit, got[0].Status)
	require.Equal(t, "TTRTN1", got[0].TrackingNumber)
	decide(channels.DecideReceive)
	_, status = returnPush(t, c, delivered(4))
	require.Equal(t, tiktokshop.ReturnSuccess, status)
	_, err = sh.RefundRMA(r.ID)
	require.NoError(t, err)
	_, status = returnPush(t, c, delivered(5))
	require.Equal(t, tiktokshop.ReturnComplete, status)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMARefunded, got[0].Status)
	require.True(t, got[0].Refunded)

	s, _ := sh.RMA(r.ID)
	require.Len(t, s.Decisions, 2)
	require.Equal(t, "APPROVE_RETURN", s.Decisions[0].Decision)
	require.Equal(t, "ret_1:APPROVE", s.Decisions[0].IdempotencyKey)
	require.Equal(t, "APPROVE_RECEIVED_PACKAGE", s.Decisions[1].Decision)

	// Polled by update time, one a page (the simulator's page size).
	r2, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[1].ID, Quantity: 1}}, RefundOnly: true})
	require.NoError(t, err)
	var ids []string
	pq := channels.PullQuery{Since: time.Now().Add(-time.Minute), Until: time.Now().Add(time.Hour)}
	for range 5 {
		p, err := c.UpdatedReturns(ctx, pq)
		require.NoError(t, err)
		for _, x := range p.Returns {
			ids = append(ids, x.ExternalID)
		}
		if p.Next == "" {
			break
		}
		pq.Cursor = p.Next
	}
	require.ElementsMatch(t, []string{r.ID, r2.ID}, ids)
}

func TestTikTokShopReturnsRefuseOfferAndAppeal(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	c, err := tiktokshop.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o := shippedTikTokOrder(t, sh)

	// A refund-only request refused with a reason and evidence; the buyer appeals; TikTok sides
	// with the buyer.
	r, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[1].ID, Quantity: 1}}, RefundOnly: true})
	require.NoError(t, err)
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideReceive}), channels.ErrRefused)
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideRefuse,
		Reason: "seller_reject_apply_no_reason", Comment: "delivered intact", Evidence: []string{"img-1"}}))
	s, _ := sh.RMA(r.ID)
	require.Equal(t, marketsim.RMADeclined, s.State)
	require.Equal(t, marketsim.RMADecision{At: s.Decisions[0].At, Decision: "REJECT_REFUND", Reason: "seller_reject_apply_no_reason",
		Comment: "delivered intact", Evidence: []string{"img-1"}, IdempotencyKey: r.ID + ":REJECT_REFUND"}, s.Decisions[0])
	got, err := c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADeclined, got[0].Status)
	require.True(t, got[0].RefundOnly)
	_, err = sh.AppealRMA(r.ID)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADisputed, got[0].Status)
	_, err = sh.JudgeRMA(r.ID, false)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMARefunded, got[0].Status)

	// A partial refund offered, and taken.
	r2, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r2.ID, Action: channels.DecideOffer, OfferAmount: 5050}))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r2.ID, Action: channels.DecideOffer, OfferAmount: 5050}), "again: a no-op")
	s, _ = sh.RMA(r2.ID)
	require.Equal(t, marketsim.RMAOffered, s.State)
	require.Equal(t, int64(5050), s.Offer)
	require.Len(t, s.Decisions, 1)
	_, err = sh.RefundRMA(r2.ID)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r2.ID})
	require.NoError(t, err)
	require.Equal(t, int64(5050), got[0].RefundAmount)

	// Rejecting the package after the buyer shipped it.
	r3, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r3.ID, Action: channels.DecideApprove}))
	_, err = sh.ShipBackRMA(r3.ID, "")
	require.NoError(t, err)
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r3.ID, Action: channels.DecideRefuse, Reason: "seller_reject_package_damaged"}))
	got, err = c.ReturnsByID(ctx, []string{r3.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADeclined, got[0].Status)
	require.Equal(t, tiktokshop.ReturnRejectPackage, got[0].ChannelStatus)
	_, err = sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 3}}})
	require.ErrorContains(t, err, "2 units left", "of three shirts one was refunded; the declined one is free again")
}

// TestTikTokShopReturnsIdempotencyKeys calls Approve Return directly: the same key again answers
// as before with no effect, and a key reused for another decision is refused.
func TestTikTokShopReturnsIdempotencyKeys(t *testing.T) {
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	o := shippedTikTokOrder(t, sh)
	r, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID})
	require.NoError(t, err)
	require.Len(t, r.Lines, 2)

	a := sh.Account()
	call := func(path, key, body string) float64 {
		t.Helper()
		q := map[string]string{"app_key": a.AppKey, "timestamp": strconv.FormatInt(time.Now().Unix(), 10),
			"shop_cipher": a.Extra[tiktokshop.ExtraShopCipher], "idempotency_key": key}
		v := url.Values{}
		for k, x := range q {
			v.Set(k, x)
		}
		v.Set("sign", tiktokshop.Sign(a.AppSecret, path, q, []byte(body)))
		req, err := http.NewRequest(http.MethodPost, a.BaseURL+path+"?"+v.Encode(), strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(tiktokshop.HeaderAccessToken, a.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out["code"].(float64)
	}
	approve := tiktokshop.ReturnApprovePath(r.ID)
	require.Zero(t, call(approve, "k1", `{"decision":"APPROVE_RETURN"}`))
	before, _ := sh.RMA(r.ID)
	require.Zero(t, call(approve, "k1", `{"decision":"APPROVE_RETURN"}`), "a replay")
	after, _ := sh.RMA(r.ID)
	require.Equal(t, before.UpdatedAt, after.UpdatedAt, "a replay changes nothing")
	require.True(t, after.Decisions[1].Replay)
	require.NotZero(t, call(approve, "k1", `{"decision":"APPROVE_RECEIVED_PACKAGE"}`), "the key was another decision's")
	require.NotZero(t, call(approve, "k2", `{"decision":"APPROVE_RETURN"}`), "approved already")
	require.NotZero(t, call(approve, "", `{"decision":"APPROVE_RECEIVED_PACKAGE"}`), "no key")
	require.NotZero(t, call(tiktokshop.ReturnApprovePath("404"), "k3", `{"decision":"APPROVE_RETURN"}`), "no such return")
	require.Zero(t, call(approve, "k4", `{"decision":"APPROVE_RECEIVED_PACKAGE"}`))
	s, _ := sh.RMA(r.ID)
	require.Equal(t, marketsim.RMAReceived, s.State)
	require.Len(t, s.Decisions, 5)
	require.NotEmpty(t, s.Decisions[2].Refused)
	require.NotEmpty(t, s.Decisions[3].Refused)
}
