package returns_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/returns"
)

func TestChannelCommands(t *testing.T) {
	const (
		req     = orderreturn.StatusREQUESTED
		appr    = orderreturn.StatusAPPROVED
		transit = orderreturn.StatusIN_TRANSIT
		recv    = orderreturn.StatusRECEIVED
		done    = orderreturn.StatusCOMPLETED
		decl    = orderreturn.StatusDECLINED
		canc    = orderreturn.StatusCANCELLED
	)
	for _, tc := range []struct {
		name   string
		cur    orderreturn.Status
		st     channels.ReturnStatus
		toMkt  bool
		want   []returns.Command
		alerts bool
	}{
		{"requested stays", req, channels.RMARequested, false, nil, false},
		{"disputed waits", req, channels.RMADisputed, false, nil, false},
		{"approved by the channel (auto-accept)", req, channels.RMAApproved, false, []returns.Command{returns.Approve}, false},
		{"in transit from requested", req, channels.RMAInTransit, false, []returns.Command{returns.Approve, returns.MarkInTransit}, false},
		{"received at the seller: only Ordo's receipt receives", appr, channels.RMAReceived, false, []returns.Command{returns.MarkInTransit}, false},
		{"received at the marketplace's warehouse", transit, channels.RMAReceived, true, []returns.Command{returns.Receive}, false},
		{"refunded approves", req, channels.RMARefunded, false, []returns.Command{returns.Approve}, false},
		{"refunded after Ordo received changes nothing", recv, channels.RMARefunded, false, nil, false},
		{"a late approval after the receipt", done, channels.RMAApproved, false, nil, false},
		{"declined by the channel", req, channels.RMADeclined, false, []returns.Command{returns.Decline}, false},
		{"declined again", decl, channels.RMADeclined, false, nil, false},
		{"declined after approval alerts", appr, channels.RMADeclined, false, nil, true},
		{"cancelled by the buyer", transit, channels.RMACancelled, false, []returns.Command{returns.Cancel}, false},
		{"cancelled after receipt alerts", recv, channels.RMACancelled, false, nil, true},
		{"approved after a decline alerts", decl, channels.RMAApproved, false, nil, true},
		{"approved after a cancellation alerts", canc, channels.RMAInTransit, false, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, alert := returns.ChannelCommands(tc.cur, tc.st, tc.toMkt)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.alerts, alert != "", alert)
		})
	}
}

func TestMatchLines(t *testing.T) {
	lines := []*ent.OrderLine{
		{ID: "oln_1", Sku: "TEE", ExternalLineID: "L1", ListingID: "item:1"},
		{ID: "oln_2", Sku: "CAP", ExternalUnitIds: []string{"u1", "u2", "u3"}},
		{ID: "oln_3", Sku: "MUG"},
	}
	got, unmatched := returns.MatchLines(lines, []channels.ReturnLine{
		{LineID: "L1", Quantity: 2, ReturnLineIDs: []string{"r1"}, RefundAmount: 100},
		{UnitIDs: []string{"u1"}, ReturnLineIDs: []string{"r2"}},
		{UnitIDs: []string{"u3"}, ReturnLineIDs: []string{"r3"}},
		{SKU: "MUG", Quantity: 1},
		{SKU: "NOPE", Quantity: 1},
	})
	require.Equal(t, []string{"NOPE"}, unmatched)
	require.Len(t, got, 3)
	require.Equal(t, pulid.ID("oln_1"), got[0].OrderLine.ID)
	require.Equal(t, int64(2), got[0].Quantity)
	require.Equal(t, int64(100), got[0].Refund)
	require.Equal(t, pulid.ID("oln_2"), got[1].OrderLine.ID)
	require.Equal(t, int64(2), got[1].Quantity, "two units, one per per-unit line")
	require.Equal(t, []string{"r2", "r3"}, got[1].ExternalIDs)
	require.Equal(t, pulid.ID("oln_3"), got[2].OrderLine.ID)
}

func TestReasonCode(t *testing.T) {
	cat := []*ent.ReturnReason{{Code: "DEFECTIVE", ChannelCodes: map[string][]string{"SHOPEE": {"DAMAGED", "FUNCTIONAL"}}}}
	require.Equal(t, "DEFECTIVE", returns.ReasonCode(cat, "SHOPEE", "FUNCTIONAL"))
	require.Equal(t, "FUNCTIONAL", returns.ReasonCode(cat, "LAZADA", "FUNCTIONAL"), "unmapped: the channel's code is kept")
	require.Equal(t, "", returns.ReasonCode(cat, "SHOPEE", ""))
}

func TestCheckDecision(t *testing.T) {
	ch, ext, asked := pulid.ID("chn_1"), "R1", int64(5000)
	open := func() *ent.OrderReturn {
		return &ent.OrderReturn{ID: "ret_1", ChannelID: &ch, ExternalID: &ext, Status: orderreturn.StatusREQUESTED,
			DecisionSync: orderreturn.DecisionSyncNONE, ChannelRefundAmount: &asked}
	}
	amount := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name string
		r    func(*ent.OrderReturn)
		kind channel.Kind
		in   returns.DecideInput
		code fault.Code
	}{
		{"approve", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, ""},
		{"refuse on TikTok with a reason", nil, channel.KindTIKTOK_SHOP, returns.DecideInput{Action: orderreturn.SellerDecisionREFUSE, Reason: "seller_reject_apply_product_damaged"}, ""},
		{"refuse without a reason", nil, channel.KindTIKTOK_SHOP, returns.DecideInput{Action: orderreturn.SellerDecisionREFUSE}, fault.InvalidArgument},
		{"refuse on Shopee without evidence", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionREFUSE, Reason: "NOT_RECEIPT"}, fault.InvalidArgument},
		{"refuse on Shopee with evidence", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionREFUSE, Reason: "NOT_RECEIPT", Evidence: []string{"https://x/1.jpg"}}, ""},
		{"refuse on Lazada without a comment", nil, channel.KindLAZADA, returns.DecideInput{Action: orderreturn.SellerDecisionREFUSE, Reason: "1", Evidence: []string{"https://x/1.jpg"}}, fault.InvalidArgument},
		{"offer within the ask", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionOFFER, OfferAmount: amount(2000)}, ""},
		{"offer beyond the ask", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionOFFER, OfferAmount: amount(5001)}, fault.InvalidArgument},
		{"offer without an amount", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionOFFER}, fault.InvalidArgument},
		{"offer where the channel takes none", nil, channel.KindLAZADA, returns.DecideInput{Action: orderreturn.SellerDecisionOFFER, OfferAmount: amount(1)}, fault.Conflict},
		{"an unknown action", nil, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionNONE}, fault.InvalidArgument},
		{"not a marketplace's return", func(r *ent.OrderReturn) { r.ChannelID = nil }, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, fault.Conflict},
		{"approved already", func(r *ent.OrderReturn) { r.Status = orderreturn.StatusAPPROVED }, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, fault.Conflict},
		{"a decision being sent", func(r *ent.OrderReturn) { r.DecisionSync = orderreturn.DecisionSyncPENDING }, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, fault.Conflict},
		{"a decision sent", func(r *ent.OrderReturn) { r.DecisionSync = orderreturn.DecisionSyncSENT }, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, fault.Conflict},
		{"decided again after a refusal by the channel", func(r *ent.OrderReturn) { r.DecisionSync = orderreturn.DecisionSyncFAILED }, channel.KindSHOPEE, returns.DecideInput{Action: orderreturn.SellerDecisionAPPROVE}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := open()
			if tc.r != nil {
				tc.r(r)
			}
			err := returns.CheckDecision(r, tc.kind, tc.in)
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, tc.code, fault.CodeOf(err), "%v", err)
		})
	}
}

// shop is a channel's order Ordo shipped: two tees (one channel line) and three caps sold per unit.
type shop struct {
	db        *database.DB
	svc       *returns.Service
	sync      *returns.Channels
	ch        pulid.ID
	order     *ent.Order
	tee, caps *ent.OrderLine
}

func newShop(t *testing.T, db *database.DB) *shop {
	ctx := context.Background()
	cat := &catalog.Service{DB: db}
	loc, err := cat.CreateLocation(ctx, ent.CreateLocationInput{Code: "BKK", Name: "BKK", Kind: location.KindWAREHOUSE})
	require.NoError(t, err)
	variant := func(sku string) *ent.Variant {
		p, err := cat.CreateProduct(ctx, ent.CreateProductInput{Name: sku})
		require.NoError(t, err)
		price, cur := int64(1000), "THB"
		v, err := cat.CreateVariant(ctx, ent.CreateVariantInput{Sku: sku, Name: sku, ProductID: p.ID, PriceAmount: &price, Currency: &cur})
		require.NoError(t, err)
		return v
	}
	tee, cap := variant("TEE"), variant("CAP")
	ch, err := db.Client.Channel.Create().SetKind(channel.KindSHOPEE).SetName("shopee").SetShopID("1").Save(ctx)
	require.NoError(t, err)
	o, err := db.Client.Order.Create().SetNumber("SO-1").SetStatus(order.StatusSHIPPED).SetCurrency("THB").
		SetSubtotalAmount(5000).SetTotalAmount(5000).SetChannelID(ch.ID).SetExternalID("A1").Save(ctx)
	require.NoError(t, err)
	svc := &returns.Service{DB: db}
	s := &shop{db: db, svc: svc, sync: &returns.Channels{Returns: svc, Refunds: &returns.Refunds{DB: db, Returns: svc}}, ch: ch.ID, order: o}
	s.tee, err = db.Client.OrderLine.Create().SetOrderID(o.ID).SetSku("TEE").SetVariantID(tee.ID).SetQuantity(2).
		SetUnitPriceAmount(1000).SetExternalLineID("L1").Save(ctx)
	require.NoError(t, err)
	s.caps, err = db.Client.OrderLine.Create().SetOrderID(o.ID).SetSku("CAP").SetVariantID(cap.ID).SetQuantity(3).
		SetUnitPriceAmount(1000).SetExternalUnitIds([]string{"u1", "u2", "u3"}).Save(ctx)
	require.NoError(t, err)
	for _, l := range []*ent.OrderLine{s.tee, s.caps} {
		_, err := db.Client.Allocation.Create().SetLineID(l.ID).SetOrderID(o.ID).SetVariantID(*l.VariantID).SetLocationID(loc.ID).
			SetQuantity(l.Quantity).SetStatus(allocation.StatusSHIPPED).Save(ctx)
		require.NoError(t, err)
	}
	_, err = db.Client.ReturnReason.Create().SetCode("DEFECTIVE").SetLabel("Defective").
		SetChannelCodes(map[string][]string{"SHOPEE": {"DAMAGED"}}).Save(ctx)
	require.NoError(t, err)
	return s
}

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// snapshot is the channel's return R1 of order A1 at t0+d: a tee and two caps back.
func snapshot(d time.Duration, st channels.ReturnStatus, raw string) channels.Return {
	deadline := t0.Add(72 * time.Hour)
	return channels.Return{
		ExternalID: "R1", OrderID: "A1", Status: st, ChannelStatus: raw, Reason: "DAMAGED", ReasonText: "torn",
		Currency: "THB", RefundAmount: 3000, Evidence: []string{"https://img/1.jpg"}, Deadline: &deadline,
		CreatedAt: t0, UpdatedAt: t0.Add(d), Refs: map[string]string{"return_sn": "R1"},
		Lines: []channels.ReturnLine{
			{LineID: "L1", Quantity: 1, ReturnLineIDs: []string{"R1-1"}, RefundAmount: 1000},
			{UnitIDs: []string{"u1"}, ReturnLineIDs: []string{"R1-2"}, RefundAmount: 1000},
			{UnitIDs: []string{"u2"}, ReturnLineIDs: []string{"R1-3"}, RefundAmount: 1000},
		},
	}
}

func (s *shop) events(t *testing.T, typ string) int {
	n, err := s.db.Client.Event.Query().Where(event.OrderID(string(s.order.ID)), event.Type(typ)).Count(context.Background())
	require.NoError(t, err)
	return n
}

func (s *shop) all(t *testing.T) int {
	n, err := s.db.Client.Event.Query().Count(context.Background())
	require.NoError(t, err)
	return n
}

func TestSyncChannelReturnConverges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newShop(t, db)

		// The first snapshot creates the return, REQUESTED, with its lines matched and its reason mapped.
		out, err := s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		require.True(t, out.Created)
		r := out.Return
		require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
		require.Equal(t, orderreturn.OriginCHANNEL, r.Origin)
		require.Equal(t, "DEFECTIVE", r.ReasonCode)
		require.Equal(t, "REQUESTED", r.ChannelStatus)
		require.Equal(t, int64(3000), *r.ChannelRefundAmount)
		require.True(t, t0.Add(72*time.Hour).Equal(*r.ChannelDeadline))
		require.Equal(t, []string{"https://img/1.jpg"}, r.Evidence)
		require.Equal(t, "R1", r.ChannelRefs["return_sn"])
		lines, err := r.QueryLines().All(ctx)
		require.NoError(t, err)
		require.Len(t, lines, 2)
		byLine := map[pulid.ID]*ent.ReturnLine{}
		for _, l := range lines {
			byLine[l.OrderLineID] = l
		}
		require.Equal(t, int64(1), byLine[s.tee.ID].Quantity)
		require.Equal(t, []string{"R1-1"}, byLine[s.tee.ID].ExternalIds)
		require.Equal(t, int64(2), byLine[s.caps.ID].Quantity)
		require.Equal(t, []string{"R1-2", "R1-3"}, byLine[s.caps.ID].ExternalIds)
		require.Equal(t, 1, s.events(t, events.KindReturnRequested))

		// A replay changes nothing and writes nothing.
		before := s.all(t)
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		require.False(t, out.Created)
		require.Empty(t, out.Commands)
		require.Equal(t, before, s.all(t))

		// The channel accepts it: APPROVED.
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(2*time.Minute, channels.RMAApproved, "ACCEPTED"))
		require.NoError(t, err)
		require.Equal(t, []returns.Command{returns.Approve}, out.Commands)
		require.Equal(t, orderreturn.StatusAPPROVED, out.Return.Status)
		require.Equal(t, 1, s.events(t, events.KindReturnStatusChanged))

		// An older snapshot, arriving late, changes nothing.
		before = s.all(t)
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(time.Minute, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		require.True(t, out.Stale)
		require.Equal(t, orderreturn.StatusAPPROVED, out.Return.Status)
		require.Equal(t, "ACCEPTED", out.Return.ChannelStatus)
		require.Equal(t, before, s.all(t))

		// A new raw status that moves nothing is recorded once.
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(3*time.Minute, channels.RMAApproved, "ACCEPTED/LABEL_PRINTED"))
		require.NoError(t, err)
		require.Empty(t, out.Commands)
		require.Equal(t, 1, s.events(t, events.KindReturnChannelUpdated))

		// The buyer ships it back; then the channel says it arrived at the seller: Ordo's own
		// receipt decides that, so the return waits IN_TRANSIT.
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(4*time.Minute, channels.RMAReceived, "SELLER_RECEIVED"))
		require.NoError(t, err)
		require.Equal(t, []returns.Command{returns.MarkInTransit}, out.Commands)
		require.Equal(t, orderreturn.StatusIN_TRANSIT, out.Return.Status)

		// The channel refunds the buyer: one CHANNEL_ISSUED refund, however often it is reported.
		for i := range 2 {
			rs := snapshot(time.Duration(5+i)*time.Minute, channels.RMARefunded, "REFUND_PAID")
			rs.Refunded, rs.RefundID = true, "RF1"
			out, err = s.sync.SyncChannelReturn(ctx, s.ch, rs)
			require.NoError(t, err)
			require.True(t, out.Refunded)
			require.Equal(t, orderreturn.StatusIN_TRANSIT, out.Return.Status)
		}
		rfs, err := db.Client.Refund.Query().All(ctx)
		require.NoError(t, err)
		require.Len(t, rfs, 1)
		require.Equal(t, refund.StatusCHANNEL_ISSUED, rfs[0].Status)
		require.Equal(t, int64(3000), rfs[0].Amount)
		require.Equal(t, "RF1", *rfs[0].ExternalID)

		// Declined after it was approved: an alert, nothing moves.
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(9*time.Minute, channels.RMADeclined, "REJECTED"))
		require.NoError(t, err)
		require.NotEmpty(t, out.Alert)
		require.Equal(t, orderreturn.StatusIN_TRANSIT, out.Return.Status)
		require.Equal(t, 1, s.events(t, events.KindReturnChannelAlert))
	})
}

func TestSyncChannelReturnUnknownOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newShop(t, db)
		r := snapshot(0, channels.RMARequested, "REQUESTED")
		r.OrderID = "NOT-YET"
		before := s.all(t)
		_, err := s.sync.SyncChannelReturn(context.Background(), s.ch, r)
		require.ErrorIs(t, err, returns.ErrUnknownOrder)
		n, err := db.Client.OrderReturn.Query().Count(context.Background())
		require.NoError(t, err)
		require.Zero(t, n)
		require.Equal(t, before, s.all(t))
	})
}

func TestSyncChannelReturnDeclinedAndCancelled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		_, err := s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		out, err := s.sync.SyncChannelReturn(ctx, s.ch, snapshot(time.Minute, channels.RMADeclined, "CLOSED"))
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusDECLINED, out.Return.Status)
		require.Equal(t, "channel: CLOSED", out.Return.DeclineReason)

		// A second return of the same units, cancelled by the buyer.
		r := snapshot(0, channels.RMARequested, "REQUESTED")
		r.ExternalID = "R2"
		_, err = s.sync.SyncChannelReturn(ctx, s.ch, r)
		require.NoError(t, err, "the declined return's units can be asked for again")
		r.Status, r.ChannelStatus, r.UpdatedAt = channels.RMACancelled, "CANCELLED", t0.Add(time.Minute)
		out, err = s.sync.SyncChannelReturn(ctx, s.ch, r)
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusCANCELLED, out.Return.Status)
	})
}

// Concurrent deliveries of one return's first snapshot converge on one return, requested once.
func TestSyncChannelReturnConcurrentDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		n, err := db.Client.OrderReturn.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, 1, s.events(t, events.KindReturnRequested))
		nl, err := db.Client.ReturnLine.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, nl)
	})
}

func TestDecide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		out, err := s.sync.SyncChannelReturn(ctx, s.ch, snapshot(0, channels.RMARequested, "REQUESTED"))
		require.NoError(t, err)
		id := out.Return.ID

		// A failure to queue the job undoes the decision.
		boom := errors.New("queue down")
		_, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: id, Action: orderreturn.SellerDecisionAPPROVE},
			func(*ent.Tx, *ent.OrderReturn) error { return boom })
		require.ErrorIs(t, err, boom)
		r, err := db.Client.OrderReturn.Get(ctx, id)
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
		require.Equal(t, orderreturn.DecisionSyncNONE, r.DecisionSync)
		require.Zero(t, s.events(t, events.KindReturnDecided))

		// Shopee refuses a refusal without evidence: nothing is written.
		_, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: id, Action: orderreturn.SellerDecisionREFUSE, Reason: "NOT_RECEIPT"},
			func(*ent.Tx, *ent.OrderReturn) error { t.Fatal("queued a refused decision"); return nil })
		require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))

		// A refusal with evidence is recorded PENDING; the return stays REQUESTED until the channel declines.
		var queued *ent.OrderReturn
		r, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: id, Action: orderreturn.SellerDecisionREFUSE, Reason: "NOT_RECEIPT",
			Evidence: []string{"https://proof/1.jpg"}}, func(_ *ent.Tx, r *ent.OrderReturn) error { queued = r; return nil })
		require.NoError(t, err)
		require.NotNil(t, queued)
		require.Equal(t, r.Version, queued.Version)
		require.Equal(t, orderreturn.StatusREQUESTED, r.Status)
		require.Equal(t, orderreturn.SellerDecisionREFUSE, r.SellerDecision)
		require.Equal(t, orderreturn.DecisionSyncPENDING, r.DecisionSync)
		require.Equal(t, []string{"https://proof/1.jpg"}, r.Evidence)

		// While it is being sent, another decision is a CONFLICT.
		_, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: id, Action: orderreturn.SellerDecisionAPPROVE},
			func(*ent.Tx, *ent.OrderReturn) error { return nil })
		require.Equal(t, fault.Conflict, fault.CodeOf(err))

		// The channel refuses it for good: FAILED, with its words and an alert; the seller may decide again.
		require.NoError(t, s.svc.DecisionSent(ctx, id, "REFUSE", errors.New("E0110: image required")))
		r, err = db.Client.OrderReturn.Get(ctx, id)
		require.NoError(t, err)
		require.Equal(t, orderreturn.DecisionSyncFAILED, r.DecisionSync)
		require.Contains(t, r.DecisionError, "E0110")

		// Approved: APPROVED at once, and SENT once the channel took it (recorded once).
		r, err = s.svc.Decide(ctx, returns.DecideInput{ReturnID: id, Action: orderreturn.SellerDecisionAPPROVE},
			func(*ent.Tx, *ent.OrderReturn) error { return nil })
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
		require.Equal(t, orderreturn.DecisionSyncPENDING, r.DecisionSync)
		require.NoError(t, s.svc.DecisionSent(ctx, id, "APPROVE", nil))
		require.NoError(t, s.svc.DecisionSent(ctx, id, "APPROVE", nil))
		r, err = db.Client.OrderReturn.Get(ctx, id)
		require.NoError(t, err)
		require.Equal(t, orderreturn.DecisionSyncSENT, r.DecisionSync)
		require.Equal(t, 2, s.events(t, events.KindReturnDecisionSynced), "one FAILED, one SENT")
		require.Equal(t, 2, s.events(t, events.KindReturnDecided))
	})
}
