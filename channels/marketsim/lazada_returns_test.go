package marketsim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/lazada"
	"github.com/ordo-oms/ordo/channels/marketsim"
)

func TestLazadaReturnRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, 200)
	sh := lazadaShop(t, sim, hook.URL)
	c, err := lazada.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389101", Quantity: 3, Discount: 300}, {ListingID: "2114389102", Quantity: 1}}})
	require.NoError(t, err)
	hook.wait(t, 1)
	orders, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	units := orders[0].Lines[0].UnitIDs
	require.Len(t, units, 3)

	// The buyer returns two of the three tees.
	since := time.Now().Add(-time.Minute)
	r, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: o.ID, Units: units[:2], ReasonCode: "10003", ReasonText: "Wrong size"})
	require.NoError(t, err)
	w := sent(t, hook, sh, 3) // one push per unit
	require.Equal(t, r.ID, sh.Deliveries()[2].ReturnID)
	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "reverse_order:RTM_INIT", n.Topic)
	require.Equal(t, []string{r.ID}, n.ReturnIDs)
	require.Equal(t, []string{o.ID}, n.OrderIDs)

	got, err := c.ReturnsByID(ctx, n.ReturnIDs)
	require.NoError(t, err)
	require.Len(t, got, 1)
	ret := got[0]
	require.Equal(t, channels.RMARequested, ret.Status)
	require.Equal(t, o.ID, ret.OrderID)
	require.Equal(t, "THB", ret.Currency, "the currency comes from the order's items")
	require.Len(t, ret.Lines, 1)
	require.Equal(t, units[:2], ret.Lines[0].UnitIDs, "the units the order's lines carry")
	require.Equal(t, int64(2), ret.Lines[0].Quantity)
	require.Equal(t, "TEE-M", ret.Lines[0].SKU)
	require.Equal(t, int64(2*29000-200), ret.RefundAmount, "paid prices, the line's discount shared per unit")
	require.NotNil(t, ret.Deadline)

	// The pull by modification time finds it, one page per reverse order.
	page, err := c.UpdatedReturns(ctx, channels.PullQuery{Since: since, Until: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	require.Len(t, page.Returns, 1)
	page, err = c.UpdatedReturns(ctx, channels.PullQuery{Since: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	require.Empty(t, page.Returns)

	// Approve, twice: the second is a repeat, not a call.
	approve := channels.ReturnDecision{ReturnID: r.ID, OrderID: o.ID, Action: channels.DecideApprove}
	require.NoError(t, c.DecideReturn(ctx, approve))
	require.NoError(t, c.DecideReturn(ctx, approve))
	ds := sh.LazadaDecisions()
	require.Len(t, ds, 1)
	require.Equal(t, "agreeReturn", ds[0].Action)
	require.Equal(t, "0", ds[0].Code)
	require.ElementsMatch(t, ret.Lines[0].ReturnLineIDs, ds[0].LineIDs)

	// Receiving before the buyer shipped is refused by Lazada's state; after, it refunds.
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideReceive}), channels.ErrRefused)
	require.NoError(t, sh.ShipLazadaReturn(r.ID, "LEXRT0001"))
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMAInTransit, got[0].Status)
	require.Equal(t, "LEXRT0001", got[0].TrackingNumber)
	require.NoError(t, sh.DeliverLazadaReturn(r.ID))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideReceive}))
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMARefunded, got[0].Status)
	require.True(t, got[0].Refunded)
	sr, ok := sh.LazadaReturn(r.ID)
	require.True(t, ok)
	require.True(t, sr.Refunded())
	require.Equal(t, got[0].RefundAmount, sr.RefundTotal())

	// A push can be replayed byte for byte: one per unit for the request, the agreement, the
	// shipping, the delivery and the refund.
	pushes := sh.ReturnPushes(r.ID)
	require.Equal(t, 10, len(pushes))
	require.Equal(t, 200, sh.Redeliver(pushes[len(pushes)-1]))
	n, err = c.Parse(pushes[len(pushes)-1].Header, pushes[len(pushes)-1].Body)
	require.NoError(t, err)
	require.Equal(t, "reverse_order:"+marketsim.LazadaRefunded, n.Topic)

	// The same units cannot be returned twice while the first return stands.
	_, err = sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: o.ID, Units: units[:1]})
	require.Error(t, err)
}

func TestLazadaReturnRefusals(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := lazadaShop(t, sim, "")
	c, err := lazada.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389101", Quantity: 2}}})
	require.NoError(t, err)

	r, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: o.ID})
	require.NoError(t, err)
	// Lazada refuses several lines in one refusal (E0111): the connector sends one a call.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideRefuse, Reason: "10012", Comment: "Worn", Evidence: []string{"https://img.example/1.jpg"}}))
	ds := sh.LazadaDecisions()
	require.Len(t, ds, 2)
	for _, d := range ds {
		require.Equal(t, "refuseReturn", d.Action)
		require.Equal(t, "10012", d.ReasonID)
		require.Len(t, d.LineIDs, 1)
		require.Equal(t, "0", d.Code)
	}
	got, err := c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADeclined, got[0].Status)
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideApprove}), channels.ErrRefused)

	// A refund-only request: agreeRefund refunds at once; a dispute without images is E0110.
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389102", Quantity: 1}}})
	require.NoError(t, err)
	r2, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: o2.ID, RefundOnly: true, RefundAmount: 5000})
	require.NoError(t, err)
	err = c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r2.ID, Action: channels.DecideRefuse, Comment: "Not damaged"})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Contains(t, err.Error(), "110")
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r2.ID, Action: channels.DecideApprove}))
	got, err = c.ReturnsByID(ctx, []string{r2.ID})
	require.NoError(t, err)
	require.True(t, got[0].RefundOnly)
	require.Equal(t, channels.RMARefunded, got[0].Status)
	require.Equal(t, int64(5000), got[0].RefundAmount)

	// Calls are signed: a wrong secret is refused at the gateway.
	a := sh.Account()
	a.AppSecret = "wrong"
	bad, err := lazada.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.ReturnsByID(ctx, []string{r.ID})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Positive(t, sh.Refused())

	// No return on an unpaid order.
	unpaid, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389102", Quantity: 1}}, Status: marketsim.Unpaid})
	require.NoError(t, err)
	_, err = sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: unpaid.ID})
	require.Error(t, err)

	// The buyer withdraws.
	o3, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389102", Quantity: 1}}})
	require.NoError(t, err)
	r3, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: o3.ID})
	require.NoError(t, err)
	require.NoError(t, sh.CancelLazadaReturn(r3.ID))
	got, err = c.ReturnsByID(ctx, []string{r3.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMACancelled, got[0].Status)
}
