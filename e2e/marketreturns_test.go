package e2e_test

// Issue 10, must-show 5: marketplace returns end to end through the simulator, on both stores. For
// Shopee (pulled: it has no return push), Lazada (msg_type 10), TikTok Shop (type 12) and Shopify
// (returns/* and refunds/create webhooks): an order
// Ordo shipped, the buyer opens a return on the channel, it arrives in Ordo as a REQUESTED return,
// replays (pulls, pushes delivered again) converge on one return, the seller's decision (APPROVE;
// REFUSE with a reason and evidence for another) reaches the channel, which the simulator records,
// and the refund the channel reports is mirrored as a CHANNEL_ISSUED refund, once. Where the channel
// wants to hear that the seller received the goods (Lazada confirmDelivery, Shopify returnProcess),
// Ordo's receipt tells it.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

type marketReturns struct {
	srv   *ordotest.Server
	m     *ordotest.Market
	admin *ordotest.Client
}

// shipped is a channel order of two tees and a cap that Ordo shipped and the channel knows shipped.
func (mr *marketReturns) shipped(t *testing.T, kind channels.Kind) (*marketsim.Order, *ent.Order) {
	t.Helper()
	sh := mr.m.Shops[kind]
	so := order2(t, sh)
	o := channelOrder(t, mr.srv, mr.m.Channels[kind], so.ID, order.StatusALLOCATED)
	mr.admin.MustDo(t, `mutation($id: ID!, $t: String!) { shipOrder(input: {orderID: $id, carrier: "Kerry", trackingNumber: $t}) { order { status } } }`,
		map[string]any{"id": o.ID, "t": "KER-R-" + string(kind)}, nil)
	require.Eventually(t, func() bool {
		got, _ := sh.Order(so.ID)
		return got.Status == marketsim.Shipped
	}, channelWait, 10*time.Millisecond, "%s never heard of the shipment", kind)
	so, _ = sh.Order(so.ID)
	return so, o
}

// ret waits for Ordo's copy of a channel's return until ok holds.
func (mr *marketReturns) ret(t *testing.T, kind channels.Kind, externalID, what string, ok func(*ent.OrderReturn) bool) *ent.OrderReturn {
	t.Helper()
	var r *ent.OrderReturn
	require.Eventually(t, func() bool {
		var err error
		r, err = mr.srv.Inst.DB.Client.OrderReturn.Query().
			Where(orderreturn.ChannelID(mr.m.Channels[kind]), orderreturn.ExternalID(externalID)).WithLines().Only(context.Background())
		return err == nil && ok(r)
	}, channelWait, 20*time.Millisecond, "%s return %s never %s (last: %+v)", kind, externalID, what, r)
	return r
}

// once checks that a channel's return is one return in Ordo, requested once.
func (mr *marketReturns) once(t *testing.T, kind channels.Kind, r *ent.OrderReturn) {
	t.Helper()
	ctx := context.Background()
	n, err := mr.srv.Inst.DB.Client.OrderReturn.Query().
		Where(orderreturn.ChannelID(mr.m.Channels[kind]), orderreturn.ExternalID(*r.ExternalID)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	evs, err := mr.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(r.OrderID)), event.Type(events.KindReturnRequested)).All(ctx)
	require.NoError(t, err)
	requested := 0
	for _, e := range evs {
		if events.ReturnOf(e) == string(r.ID) {
			requested++
		}
	}
	require.Equal(t, 1, requested, "%s return requested once", kind)
}

func (mr *marketReturns) pull(t *testing.T, kind channels.Kind) {
	t.Helper()
	mr.admin.MustDo(t, `mutation($id: ID!) { pullChannelReturns(input: {channelID: $id}) { queued } }`,
		map[string]any{"id": mr.m.Channels[kind]}, nil)
}

func (mr *marketReturns) decide(t *testing.T, in map[string]any) {
	t.Helper()
	mr.admin.MustDo(t, `mutation($in: DecideReturnInput!) { decideReturn(input: $in) { return { id decisionSync } } }`,
		map[string]any{"in": in}, nil)
}

// mirrored waits for the channel's refund of a return, CHANNEL_ISSUED, and checks it is the only one.
func (mr *marketReturns) mirrored(t *testing.T, r *ent.OrderReturn, amount int64) {
	t.Helper()
	var rfs []*ent.Refund
	require.Eventually(t, func() bool {
		var err error
		rfs, err = mr.srv.Inst.DB.Client.Refund.Query().Where(refund.ReturnID(r.ID)).All(context.Background())
		return err == nil && len(rfs) > 0
	}, channelWait, 20*time.Millisecond, "the channel's refund of %s was never mirrored: %v", r.ID, mr.timeline(t, r))
	require.Len(t, rfs, 1)
	require.Equal(t, refund.StatusCHANNEL_ISSUED, rfs[0].Status)
	require.Equal(t, amount, rfs[0].Amount)
}

// timeline is what happened to a return's order, and every return event, for failure messages.
func (mr *marketReturns) timeline(t *testing.T, r *ent.OrderReturn) []string {
	evs, err := mr.srv.Inst.DB.Client.Event.Query().
		Where(event.Or(event.OrderID(string(r.OrderID)), event.TypeHasPrefix("return."), event.TypeHasPrefix("job."))).
		Order(event.ByID()).All(context.Background())
	require.NoError(t, err)
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s %v", e.Type, e.Data))
	}
	return out
}

func sent(r *ent.OrderReturn) bool { return r.DecisionSync == orderreturn.DecisionSyncSENT }

func TestMarketplaceReturnsEndToEnd(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee, channels.Lazada, channels.TikTokShop, channels.Shopify}})
		mr := &marketReturns{srv: srv, m: m, admin: srv.Admin()}

		t.Run("Shopee", func(t *testing.T) {
			sh := m.Shops[channels.Shopee]
			so, _ := mr.shipped(t, channels.Shopee)
			rma, err := sh.OpenRMA(marketsim.RMASpec{OrderID: so.ID, Lines: []marketsim.RMALine{{LineID: so.Lines[0].ID, Quantity: 1}},
				ReasonText: "too small", Evidence: []string{"https://buyer/1.jpg"}})
			require.NoError(t, err)

			// Shopee sends no push: the pull brings it in; pulled again, it is the same return.
			mr.pull(t, channels.Shopee)
			r := mr.ret(t, channels.Shopee, rma.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
			require.Equal(t, orderreturn.OriginCHANNEL, r.Origin)
			require.NotNil(t, r.ChannelDeadline)
			require.Len(t, r.Edges.Lines, 1)
			require.Equal(t, int64(1), r.Edges.Lines[0].Quantity)
			mr.pull(t, channels.Shopee)
			mr.pull(t, channels.Shopee)
			mr.once(t, channels.Shopee, r)

			// The seller approves: Shopee hears confirm; then it refunds the buyer, and the next
			// pull mirrors the refund.
			mr.decide(t, map[string]any{"returnID": r.ID, "action": "APPROVE"})
			r = mr.ret(t, channels.Shopee, rma.ID, "sent", sent)
			require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
			got, _ := sh.RMA(rma.ID)
			require.Len(t, got.Decisions, 1)
			require.Equal(t, "confirm", got.Decisions[0].Decision)
			require.Empty(t, got.Decisions[0].Refused)
			_, err = sh.RefundRMA(rma.ID)
			require.NoError(t, err)
			// Shopee's clock ticks in seconds and stamps each change a second after the last: the
			// refund may be stamped ahead of now, and a later pull (its window overlaps) finds it.
			require.Eventually(t, func() bool {
				mr.pull(t, channels.Shopee)
				n, err := mr.srv.Inst.DB.Client.Refund.Query().Where(refund.ReturnID(r.ID)).Count(context.Background())
				return err == nil && n > 0
			}, channelWait, 500*time.Millisecond)
			mr.mirrored(t, r, rma.Refund)
			mr.pull(t, channels.Shopee)
			time.Sleep(300 * time.Millisecond)
			mr.mirrored(t, r, rma.Refund)
		})

		t.Run("TikTok Shop", func(t *testing.T) {
			sh := m.Shops[channels.TikTokShop]
			so, _ := mr.shipped(t, channels.TikTokShop)
			rma, err := sh.OpenRMA(marketsim.RMASpec{OrderID: so.ID, Lines: []marketsim.RMALine{{LineID: so.Lines[0].ID, Quantity: 1}}})
			require.NoError(t, err)

			// The type-12 push brings it in; the push delivered again changes nothing.
			r := mr.ret(t, channels.TikTokShop, rma.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
			for _, d := range sh.RMAPushes(rma.ID) {
				sh.Redeliver(d)
			}
			mr.once(t, channels.TikTokShop, r)

			// Approved; TikTok Shop refunds and says so: the refund is mirrored once.
			mr.decide(t, map[string]any{"returnID": r.ID, "action": "APPROVE"})
			r = mr.ret(t, channels.TikTokShop, rma.ID, "sent", sent)
			got, _ := sh.RMA(rma.ID)
			require.NotEmpty(t, got.Decisions)
			require.Empty(t, got.Decisions[len(got.Decisions)-1].Refused)
			require.Equal(t, marketsim.RMAApproved, got.State)
			refunded, err := sh.RefundRMA(rma.ID)
			require.NoError(t, err)
			mr.mirrored(t, r, refunded.Refund)
			for _, d := range sh.RMAPushes(rma.ID) {
				sh.Redeliver(d)
			}
			time.Sleep(300 * time.Millisecond)
			mr.mirrored(t, r, refunded.Refund)
			mr.once(t, channels.TikTokShop, r)

			// Another return, of the cap: refused with TikTok's reason; the channel records it.
			rma2, err := sh.OpenRMA(marketsim.RMASpec{OrderID: so.ID, Lines: []marketsim.RMALine{{LineID: so.Lines[1].ID, Quantity: 1}}})
			require.NoError(t, err)
			r2 := mr.ret(t, channels.TikTokShop, rma2.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			mr.decide(t, map[string]any{"returnID": r2.ID, "action": "REFUSE", "reason": "reverse_reject_request_reason_1",
				"comment": "the cap was fine", "evidence": []string{"https://seller/cap.jpg"}})
			r2 = mr.ret(t, channels.TikTokShop, rma2.ID, "decided", func(r *ent.OrderReturn) bool {
				return r.DecisionSync == orderreturn.DecisionSyncSENT || r.DecisionSync == orderreturn.DecisionSyncFAILED
			})
			got2, _ := sh.RMA(rma2.ID)
			require.NotEmpty(t, got2.Decisions, "TikTok Shop never heard the refusal")
			d := got2.Decisions[len(got2.Decisions)-1]
			require.Equal(t, "reverse_reject_request_reason_1", d.Reason)
			require.Equal(t, orderreturn.SellerDecisionREFUSE, r2.SellerDecision)
		})

		t.Run("TikTok Shop: a return before its order", func(t *testing.T) {
			// The order's webhooks are lost: Ordo first hears of it through its return, fetches
			// the order, then takes the return.
			sh := m.Shops[channels.TikTokShop]
			sh.Hold(true)
			so := order2(t, sh)
			require.NoError(t, sh.SetStatus(so.ID, marketsim.Shipped, ""))
			sh.Hold(false)
			rma, err := sh.OpenRMA(marketsim.RMASpec{OrderID: so.ID, Lines: []marketsim.RMALine{{LineID: so.Lines[1].ID, Quantity: 1}}})
			require.NoError(t, err)
			r := mr.ret(t, channels.TikTokShop, rma.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
			o := channelOrder(t, srv, m.Channels[channels.TikTokShop], so.ID, order.StatusSHIPPED)
			require.Equal(t, o.ID, r.OrderID)
			mr.once(t, channels.TikTokShop, r)
		})

		t.Run("Lazada", func(t *testing.T) {
			sh := m.Shops[channels.Lazada]
			so, o := mr.shipped(t, channels.Lazada)
			var units []string
			ols, err := o.QueryLines().All(context.Background())
			require.NoError(t, err)
			for _, l := range ols {
				if l.Sku == "TEE-M" {
					units = l.ExternalUnitIds
				}
			}
			require.Len(t, units, 2, "Lazada sells one line per unit")
			lr, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: so.ID, Units: units[:1], ReasonCode: "10", ReasonText: "wrong size"})
			require.NoError(t, err)

			// msg_type 10 brings it in; replayed, it is the same return.
			r := mr.ret(t, channels.Lazada, lr.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
			for _, d := range sh.ReturnPushes(lr.ID) {
				sh.Redeliver(d)
			}
			mr.once(t, channels.Lazada, r)

			// Approved (agreeReturn); the buyer ships it back and it reaches the seller.
			mr.decide(t, map[string]any{"returnID": r.ID, "action": "APPROVE"})
			mr.ret(t, channels.Lazada, lr.ID, "sent", sent)
			require.Eventually(t, func() bool { return lazadaAction(sh, lr.ID, "agreeReturn") }, channelWait, 20*time.Millisecond)
			require.NoError(t, sh.ShipLazadaReturn(lr.ID, "LEX-R1"))
			require.NoError(t, sh.DeliverLazadaReturn(lr.ID))
			r = mr.ret(t, channels.Lazada, lr.ID, "in transit", func(r *ent.OrderReturn) bool {
				return r.Status == orderreturn.StatusIN_TRANSIT && r.ChannelStatus != ""
			})
			time.Sleep(300 * time.Millisecond)
			r = mr.ret(t, channels.Lazada, lr.ID, "still in transit", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusIN_TRANSIT, r.Status, "the seller's receipt is Ordo's to record")

			// Ordo receives the unit: Lazada hears confirmDelivery, refunds, and the refund is mirrored.
			loc := r.LocationID
			require.NotNil(t, loc)
			mr.admin.MustDo(t, `mutation($in: ReceiveReturnInput!) { receiveReturn(input: $in) { return { status } } }`,
				map[string]any{"in": map[string]any{"returnID": r.ID, "locationID": *loc,
					"lines": []any{map[string]any{"returnLineID": r.Edges.Lines[0].ID, "quantity": 1}}}}, nil)
			require.Eventually(t, func() bool { return lazadaAction(sh, lr.ID, "confirmDelivery") }, channelWait, 20*time.Millisecond,
				"Lazada never heard the seller received the goods: %+v", sh.LazadaDecisions())
			got, _ := sh.LazadaReturn(lr.ID)
			require.True(t, got.Refunded())
			mr.mirrored(t, r, got.RefundTotal())

			// The other tee: refused with Lazada's reason, a comment and a photo, which Lazada records.
			lr2, err := sh.OpenLazadaReturn(marketsim.LazadaReturnSpec{OrderID: so.ID, Units: units[1:], ReasonCode: "10"})
			require.NoError(t, err)
			r2 := mr.ret(t, channels.Lazada, lr2.ID, "arrived", func(r *ent.OrderReturn) bool { return true })
			mr.decide(t, map[string]any{"returnID": r2.ID, "action": "REFUSE", "reason": "12", "comment": "worn and washed",
				"evidence": []string{"https://seller/tee.jpg"}})
			r2 = mr.ret(t, channels.Lazada, lr2.ID, "sent", sent)
			require.Equal(t, orderreturn.SellerDecisionREFUSE, r2.SellerDecision)
			var refusal *marketsim.LazadaDecision
			for _, d := range sh.LazadaDecisions() {
				if d.ReverseOrderID == lr2.ID && d.Action == "refuseReturn" {
					refusal = &d
				}
			}
			require.NotNil(t, refusal, "Lazada never heard the refusal: %+v", sh.LazadaDecisions())
			require.Equal(t, "0", refusal.Code)
			require.Equal(t, "12", refusal.ReasonID)
			require.Equal(t, "worn and washed", refusal.Comment)
			require.Contains(t, refusal.Images, "https://seller/tee.jpg")
		})

		t.Run("Shopify", func(t *testing.T) {
			sh := m.Shops[channels.Shopify]
			so, _ := mr.shipped(t, channels.Shopify)
			sr, err := sh.OpenShopifyReturn(marketsim.ShopifyReturnSpec{OrderID: so.ID,
				Lines: []marketsim.ShopifyReturnSpecLine{{LineID: so.Lines[0].ID, Quantity: 1}}, Reason: "SIZE_TOO_SMALL"})
			require.NoError(t, err)

			// returns/request brings it in; delivered again, it is the same return.
			r := mr.ret(t, channels.Shopify, sr.GID(), "arrived", func(r *ent.OrderReturn) bool { return true })
			require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
			for _, d := range sh.ReturnPushes(sr.ID) {
				sh.Redeliver(d)
			}
			mr.once(t, channels.Shopify, r)

			// Approved (returnApproveRequest); Ordo receives the unit and Shopify hears returnProcess.
			mr.decide(t, map[string]any{"returnID": r.ID, "action": "APPROVE"})
			r = mr.ret(t, channels.Shopify, sr.GID(), "sent", sent)
			require.True(t, shopifyMutation(sh, sr.ID, "returnApproveRequest"), "%+v", sh.ShopifyReturns())
			mr.admin.MustDo(t, `mutation($in: ReceiveReturnInput!) { receiveReturn(input: $in) { return { status } } }`,
				map[string]any{"in": map[string]any{"returnID": r.ID, "locationID": *r.LocationID,
					"lines": []any{map[string]any{"returnLineID": r.Edges.Lines[0].ID, "quantity": 1}}}}, nil)
			require.Eventually(t, func() bool { return shopifyMutation(sh, sr.ID, "returnProcess") }, channelWait, 20*time.Millisecond,
				"Shopify never heard the return processed")

			// The merchant's refund on Shopify (refunds/create) is mirrored once.
			got, _ := sh.ShopifyReturn(sr.ID)
			if len(got.Refunds) == 0 {
				_, err = sh.RefundShopifyReturn(sr.ID, 0)
				require.NoError(t, err)
				got, _ = sh.ShopifyReturn(sr.ID)
			}
			var total int64
			for _, rf := range got.Refunds {
				total += rf.Amount
			}
			mr.mirrored(t, r, total)
		})
		srv.Audit(t)
	})
}

func shopifyMutation(sh *marketsim.Shop, returnID, mutation string) bool {
	r, ok := sh.ShopifyReturn(returnID)
	if !ok {
		return false
	}
	for _, d := range r.Decisions {
		if d.Mutation == mutation && len(d.UserErrors) == 0 {
			return true
		}
	}
	return false
}

func lazadaAction(sh *marketsim.Shop, returnID, action string) bool {
	for _, d := range sh.LazadaDecisions() {
		if d.ReverseOrderID == returnID && d.Action == action && d.Code == "0" {
			return true
		}
	}
	return false
}
