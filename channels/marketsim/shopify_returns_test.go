package marketsim_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopify"
)

func TestShopifyReturnRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := shopifyShop(t, sim, hook.URL)
	c, err := shopify.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072856", Quantity: 3, Discount: 300}, {ListingID: "39072857", Quantity: 1}}})
	require.NoError(t, err)
	hook.wait(t, 1)
	_, err = sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072857", Quantity: 1}}})
	require.NoError(t, err)
	hook.wait(t, 2)

	since := time.Now().Add(-time.Minute)
	r, err := sh.OpenShopifyReturn(marketsim.ShopifyReturnSpec{OrderID: o.ID, Lines: []marketsim.ShopifyReturnSpecLine{{LineID: o.Lines[0].ID, Quantity: 2}}, Reason: "SIZE_TOO_SMALL", Note: "Runs small"})
	require.NoError(t, err)
	w := sent(t, hook, sh, 3)
	require.Equal(t, "returns/request", w.Header.Get(shopify.HeaderTopic))
	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, []string{r.GID()}, n.ReturnIDs)

	got, err := c.ReturnsByID(ctx, n.ReturnIDs)
	require.NoError(t, err)
	require.Len(t, got, 1)
	ret := got[0]
	require.Equal(t, channels.RMARequested, ret.Status)
	require.Equal(t, o.ID, ret.OrderID)
	require.Equal(t, "USD", ret.Currency)
	require.Equal(t, "SIZE_TOO_SMALL", ret.Reason)
	require.Len(t, ret.Lines, 1)
	require.Equal(t, o.Lines[0].ID, ret.Lines[0].LineID, "the order line's id as orders carry it")
	require.Equal(t, "39072856", ret.Lines[0].ListingID)
	require.Equal(t, int64(2), ret.Lines[0].Quantity)
	require.Equal(t, int64(2*2900-200), ret.RefundAmount)

	// The pull pages through the orders updated in the window (one a page here) with their returns.
	var pulled []channels.Return
	q := channels.PullQuery{Since: since, Until: time.Now().Add(time.Minute)}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		page, err := c.UpdatedReturns(ctx, q)
		require.NoError(t, err)
		pulled = append(pulled, page.Returns...)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Len(t, pulled, 1)
	require.Equal(t, r.GID(), pulled[0].ExternalID)

	// Approve twice (a repeat), then receive one unit, then the other: the return closes.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideApprove}))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideApprove}))
	lineID := ret.Lines[0].ReturnLineIDs
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideReceive, Lines: []channels.ReturnLine{{ReturnLineIDs: lineID, Quantity: 1}}}))
	got, err = c.ReturnsByID(ctx, []string{r.GID()})
	require.NoError(t, err)
	require.Equal(t, channels.RMAApproved, got[0].Status, "half processed, still open")
	// What is left of the line, without naming a quantity; then a repeat, which sends nothing.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideReceive, Lines: []channels.ReturnLine{{ReturnLineIDs: lineID}}}))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideReceive}))
	got, err = c.ReturnsByID(ctx, []string{r.GID()})
	require.NoError(t, err)
	require.Equal(t, channels.RMAReceived, got[0].Status)
	require.False(t, got[0].Refunded)
	sr, _ := sh.ShopifyReturn(r.ID)
	require.Len(t, sr.Decisions, 3)
	require.Equal(t, "returnProcess", sr.Decisions[2].Mutation)

	// The merchant refunds it: refunds/create names the order and the return, and the return reads refunded.
	rf, err := sh.RefundShopifyReturn(r.ID, 0)
	require.NoError(t, err)
	var refundHook marketsim.Delivery
	require.Eventually(t, func() bool {
		for _, d := range sh.Deliveries() {
			if d.Header.Get(shopify.HeaderTopic) == "refunds/create" {
				refundHook = d
				return true
			}
		}
		return false
	}, within, 5*time.Millisecond)
	n, err = c.Parse(refundHook.Header, refundHook.Body)
	require.NoError(t, err)
	require.Equal(t, []string{o.ID}, n.OrderIDs)
	require.Equal(t, []string{r.GID()}, n.ReturnIDs)
	got, err = c.ReturnsByID(ctx, []string{r.GID()})
	require.NoError(t, err)
	require.Equal(t, channels.RMARefunded, got[0].Status)
	require.Equal(t, rf.Amount, got[0].RefundAmount)
	require.Equal(t, "gid://shopify/Refund/"+rf.ID, got[0].RefundID)
	require.Equal(t, http.StatusOK, sh.Redeliver(refundHook))
}

func TestShopifyReturnDeclineAndRefusals(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	hook := newHook(t, http.StatusOK)
	sh := shopifyShop(t, sim, hook.URL)
	c, err := shopify.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072857", Quantity: 1}}})
	require.NoError(t, err)
	r, err := sh.OpenShopifyReturn(marketsim.ShopifyReturnSpec{OrderID: o.ID})
	require.NoError(t, err)
	_, err = sh.OpenShopifyReturn(marketsim.ShopifyReturnSpec{OrderID: o.ID})
	require.Error(t, err, "nothing left to return")

	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideReceive}), channels.ErrRefused, "not approved")
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideOffer, OfferAmount: 100}), channels.ErrRefused)
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideRefuse, Reason: "RETURN_PERIOD_ENDED", Comment: "Past 30 days"}))
	got, err := c.ReturnsByID(ctx, []string{r.GID()})
	require.NoError(t, err)
	require.Equal(t, channels.RMADeclined, got[0].Status)
	require.Equal(t, "RETURN_PERIOD_ENDED", got[0].Refs["decline_reason"])
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideRefuse}), "a repeat")
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.GID(), Action: channels.DecideApprove}), channels.ErrRefused)

	// The decline webhook carries Shopify's sample shape.
	var decline marketsim.Delivery
	require.Eventually(t, func() bool {
		for _, d := range sh.Deliveries() {
			if d.Header.Get(shopify.HeaderTopic) == "returns/decline" {
				decline = d
				return true
			}
		}
		return false
	}, within, 5*time.Millisecond)
	require.JSONEq(t, `{"id":`+r.ID+`,"admin_graphql_api_id":"`+r.GID()+`","status":"declined","order":{"id":`+o.ID+`,"admin_graphql_api_id":"gid://shopify/Order/`+o.ID+`"},"decline":{"reason":"return_period_ended","note":"Past 30 days"}}`, string(decline.Body))

	// The store refuses a wrong token; the sim counts it.
	a := sh.Account()
	a.AccessToken = "nope"
	bad, err := shopify.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.ReturnsByID(ctx, []string{r.GID()})
	require.ErrorIs(t, err, channels.ErrRefused)

	// A cancelled return.
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072857", Quantity: 1}}})
	require.NoError(t, err)
	r2, err := sh.OpenShopifyReturn(marketsim.ShopifyReturnSpec{OrderID: o2.ID})
	require.NoError(t, err)
	require.NoError(t, sh.CancelShopifyReturn(r2.ID))
	got, err = c.ReturnsByID(ctx, []string{r2.GID(), "gid://shopify/Return/1"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, channels.RMACancelled, got[0].Status)
}
