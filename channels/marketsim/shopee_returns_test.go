package marketsim_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// shippedShopeeOrder places an order of 2 shirts (one baht off) and a bag and ships it.
func shippedShopeeOrder(t *testing.T, sh *marketsim.Shop) *marketsim.Order {
	t.Helper()
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 2, Discount: 200}, {ListingID: bag, Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, sh.SetStatus(o.ID, marketsim.Shipped, ""))
	return o
}

func TestShopeeReturnsRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1) // one return a page
	hook := newHook(t, http.StatusOK)
	sh := shopeeShop(t, sim, hook.URL)
	c, err := shopee.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	since := time.Now().Add(-time.Minute)

	o := shippedShopeeOrder(t, sh)
	hook.wait(t, 2) // the order's pushes
	deadline := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	r1, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 1}},
		Reason: "DAMAGED", ReasonText: "torn", Deadline: deadline, Evidence: []string{"https://img/1.jpg"}})
	require.NoError(t, err)
	require.Regexp(t, `^\d{6}[0-9A-Z]{9}$`, r1.ID)
	require.Equal(t, int64(29050-100), r1.Refund, "a unit after its share of the discount")
	r2, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[1].ID, Quantity: 1}}, RefundOnly: true})
	require.NoError(t, err)
	_, err = sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 2}}})
	require.ErrorContains(t, err, "1 units left", "one shirt is in a return already")
	require.Len(t, sh.Deliveries(), 2, "Shopee has no return push")

	// Polled by update time, a page at a time.
	var got []channels.Return
	pq := channels.PullQuery{Since: since}
	for range 5 {
		p, err := c.UpdatedReturns(ctx, pq)
		require.NoError(t, err)
		got = append(got, p.Returns...)
		if p.Next == "" {
			break
		}
		pq.Cursor = p.Next
	}
	require.Len(t, got, 2)
	g := got[0]
	require.Equal(t, r1.ID, g.ExternalID)
	require.Equal(t, o.ID, g.OrderID)
	require.Equal(t, channels.RMARequested, g.Status)
	require.Equal(t, "THB", g.Currency)
	require.Equal(t, r1.Refund, g.RefundAmount)
	require.Equal(t, "DAMAGED", g.Reason)
	require.Equal(t, "torn", g.ReasonText)
	require.Equal(t, []string{"https://img/1.jpg"}, g.Evidence)
	require.Equal(t, deadline.UTC(), *g.Deadline)
	require.False(t, g.RefundOnly)
	require.Equal(t, []channels.ReturnLine{{LineID: o.Lines[0].ID, ListingID: shirt, SKU: "SHIRT-M", Quantity: 1, RefundAmount: r1.Refund}}, g.Lines,
		"the line id is the order's line_item_id, as the order connector reads it")
	require.True(t, got[1].RefundOnly)

	// Later windows do not see them; a change shows again.
	p, err := c.UpdatedReturns(ctx, channels.PullQuery{Since: time.Now().Add(time.Minute), Until: time.Now().Add(2 * time.Minute)})
	require.NoError(t, err)
	require.Empty(t, p.Returns)

	// Approve: confirm, then the marketplace refunds.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r1.ID, Action: channels.DecideApprove}))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r1.ID, Action: channels.DecideApprove}), "again: a no-op")
	s1, _ := sh.RMA(r1.ID)
	require.Equal(t, marketsim.RMAApproved, s1.State)
	require.Len(t, s1.Decisions, 1)
	require.Equal(t, "confirm", s1.Decisions[0].Decision)
	back, err := c.ReturnsByID(ctx, []string{r1.ID, "NOPE"})
	require.NoError(t, err)
	require.Len(t, back, 1)
	require.Equal(t, channels.RMAApproved, back[0].Status)
	_, err = sh.RefundRMA(r1.ID)
	require.NoError(t, err)
	back, err = c.ReturnsByID(ctx, []string{r1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMARefunded, back[0].Status)
	require.True(t, back[0].Refunded)
	require.Equal(t, r1.Refund, back[0].RefundAmount)
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r1.ID, Action: channels.DecideRefuse, Reason: "1", Refs: map[string]string{shopee.RefEmail: "s@x"}}), channels.ErrRefused,
		"a refunded return cannot be disputed")

	// Offer a partial refund; the buyer takes it.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r2.ID, Action: channels.DecideOffer, OfferAmount: 20000, Currency: "THB"}))
	s2, _ := sh.RMA(r2.ID)
	require.Equal(t, marketsim.RMAOffered, s2.State)
	require.Equal(t, int64(20000), s2.Offer)
	require.Equal(t, "offer", s2.Decisions[0].Decision)
	_, err = sh.RefundRMA(r2.ID)
	require.NoError(t, err)
	back, err = c.ReturnsByID(ctx, []string{r2.ID})
	require.NoError(t, err)
	require.Equal(t, int64(20000), back[0].RefundAmount, "the offer was paid")
	require.Equal(t, channels.RMARefunded, back[0].Status)
}

func TestShopeeReturnsDisputeAndLogistics(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopeeShop(t, sim, "")
	c, err := shopee.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o := shippedShopeeOrder(t, sh)
	r, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID})
	require.NoError(t, err)
	require.Len(t, r.Lines, 2, "the whole order")
	require.Equal(t, int64(2*29050-200+45000), r.Refund)

	// The seller confirms; the buyer ships it back; the parcel arrives.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideApprove}))
	_, err = sh.ShipBackRMA(r.ID, "SPXRTN1")
	require.NoError(t, err)
	got, err := c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMAInTransit, got[0].Status)
	require.Equal(t, "SPXRTN1", got[0].TrackingNumber)
	_, err = sh.DeliverRMA(r.ID)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMAReceived, got[0].Status)
	require.Equal(t, "PROCESSING/LOGISTICS_DELIVERY_DONE", got[0].ChannelStatus)

	// Refuse now: a dispute, with its reason id, email and images; Shopee judges for the seller.
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideRefuse, Reason: "3",
		Comment: "not ours", Evidence: []string{"https://img/a.jpg"}, Refs: map[string]string{shopee.RefEmail: "seller@example.com"}}))
	require.NoError(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideRefuse, Reason: "3"}), "again: a no-op")
	s, _ := sh.RMA(r.ID)
	require.Equal(t, marketsim.RMADisputed, s.State)
	require.Equal(t, []marketsim.RMADecision{{At: s.Decisions[1].At, Decision: "dispute", Reason: "3", Comment: "not ours",
		Evidence: []string{"https://img/a.jpg"}, Email: "seller@example.com"}}, s.Decisions[1:])
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADisputed, got[0].Status)
	_, err = sh.JudgeRMA(r.ID, true)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMADeclined, got[0].Status)
	require.False(t, got[0].Refunded)

	// Returns only for orders that left; helpers refuse moves the state cannot take.
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: bag, Quantity: 1}}})
	require.NoError(t, err)
	_, err = sh.OpenRMA(marketsim.RMASpec{OrderID: o2.ID})
	require.Error(t, err)
	_, err = sh.RefundRMA(r.ID)
	require.Error(t, err)
	r2, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[0].ID, Quantity: 1}}})
	require.NoError(t, err, "a declined return frees its units")

	// Past its deadline the channel accepts a request by itself; the buyer may withdraw another.
	_, err = sh.LapseRMA(r2.ID)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r2.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMAApproved, got[0].Status)
	_, err = sh.LapseRMA(r2.ID)
	require.Error(t, err, "only a request lapses")
	r3, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID, Lines: []marketsim.RMALine{{LineID: o.Lines[1].ID, Quantity: 1}}})
	require.NoError(t, err)
	_, err = sh.CancelRMA(r3.ID)
	require.NoError(t, err)
	got, err = c.ReturnsByID(ctx, []string{r3.ID})
	require.NoError(t, err)
	require.Equal(t, channels.RMACancelled, got[0].Status)
	_, err = sh.CancelRMA(r3.ID)
	require.Error(t, err)
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r3.ID, Action: channels.DecideApprove}), channels.ErrRefused)
}

func TestShopeeReturnsRefuseBadCalls(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopeeShop(t, sim, "")
	o := shippedShopeeOrder(t, sh)
	r, err := sh.OpenRMA(marketsim.RMASpec{OrderID: o.ID})
	require.NoError(t, err)

	a := sh.Account()
	a.AppSecret = "wrong"
	bad, err := shopee.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.ReturnsByID(ctx, []string{r.ID})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Equal(t, 1, sh.Refused())

	c, err := shopee.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	// A dispute without the seller's email never leaves the connector; Shopee refuses images past 3.
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideRefuse, Reason: "1"}), channels.ErrRefused)
	s, _ := sh.RMA(r.ID)
	require.Empty(t, s.Decisions)
	require.ErrorIs(t, c.DecideReturn(ctx, channels.ReturnDecision{ReturnID: r.ID, Action: channels.DecideOffer, OfferAmount: r.Refund + 1}), channels.ErrRefused,
		"an offer above the refund")
	s, _ = sh.RMA(r.ID)
	require.Len(t, s.Decisions, 1)
	require.NotEmpty(t, s.Decisions[0].Refused, "the refused offer is recorded")
	require.Equal(t, marketsim.RMARequested, s.State)
}
