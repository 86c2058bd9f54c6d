package returns_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/disposition"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/returns"
)

// shipped is an order of 2 units of a fresh SKU for a new customer, shipped from one warehouse.
type shipped struct {
	srv      *ordotest.Server
	svc      *returns.Service
	order    *ent.Order
	line     pulid.ID
	variant  pulid.ID
	customer pulid.ID
	loc      pulid.ID
	now      time.Time
}

func ship(t *testing.T, url string) *shipped {
	srv := ordotest.Start(t, url)
	ctx := auth.NewContext(context.Background(), auth.System)
	s := &shipped{srv: srv, now: time.Now().UTC()}
	s.svc = &returns.Service{DB: srv.Inst.DB, Inventory: srv.Inst.Inventory, Now: func() time.Time { return s.now }}
	s.loc = srv.Location(t, "WH", 1).ID
	s.variant = srv.SKU(t, "MUG", map[pulid.ID]int64{s.loc: 5}).ID
	cus, err := srv.Inst.DB.Client.Customer.Create().SetEmail("c@example.com").Save(ctx)
	require.NoError(t, err)
	s.customer = cus.ID
	o, _, err := srv.Inst.Orders.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "MUG", Quantity: 2}}, Paid: true,
		Customer: orders.Customer{ID: &s.customer}})
	require.NoError(t, err)
	_, err = srv.Inst.Orders.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Ship, Carrier: "DHL", TrackingNumber: "T1"})
	require.NoError(t, err)
	s.order = o
	s.line, err = srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).OnlyID(ctx)
	require.NoError(t, err)
	return s
}

func (s *shipped) customerCtx() context.Context {
	return auth.NewContext(context.Background(), auth.Viewer{KeyID: pulid.New("key"), Name: "shop", Role: auth.Storefront, CustomerID: &s.customer})
}

func (s *shipped) ask(ctx context.Context, q int64) (*ent.OrderReturn, error) {
	return s.svc.Request(ctx, returns.RequestInput{OrderID: s.order.ID, Origin: orderreturn.OriginCUSTOMER,
		Lines: []returns.LineInput{{OrderLineID: s.line, Quantity: q}}})
}

// A customer returns within the channel's window after delivery, returnable items only.
func TestCustomerReturnWindowAndFinalSale(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		s := ship(t, url)
		s.now = s.now.AddDate(0, 0, 31)
		_, err := s.ask(s.customerCtx(), 1)
		require.True(t, fault.Is(err, fault.Conflict), "31 days after the hand-over: %v", err)
		s.now = s.now.AddDate(0, 0, -2)
		sys := auth.NewContext(context.Background(), auth.System)
		require.NoError(t, s.srv.Inst.DB.Client.Variant.UpdateOneID(s.variant).SetReturnable(false).Exec(sys))
		_, err = s.ask(s.customerCtx(), 1)
		require.True(t, fault.Is(err, fault.Conflict), "final sale: %v", err)
		n, err := s.srv.Inst.DB.Client.OrderReturn.Query().Count(sys)
		require.NoError(t, err)
		require.Zero(t, n)

		// An agent may take back a final-sale item, after the window too.
		r, err := s.svc.Request(sys, returns.RequestInput{OrderID: s.order.ID, Lines: []returns.LineInput{{OrderLineID: s.line, Quantity: 1}}})
		require.NoError(t, err)
		require.Equal(t, orderreturn.OriginAGENT, r.Origin)
		require.NoError(t, s.srv.Inst.DB.Client.Variant.UpdateOneID(s.variant).SetReturnable(true).Exec(sys))
		r, err = s.ask(s.customerCtx(), 1)
		require.NoError(t, err)
		require.Equal(t, orderreturn.OriginCUSTOMER, r.Origin)
		require.Equal(t, "RMA-"+s.order.Number+"-2", r.Number)

		// A storefront key starts customer returns only.
		_, err = s.svc.Request(s.customerCtx(), returns.RequestInput{OrderID: s.order.ID, Lines: []returns.LineInput{{OrderLineID: s.line, Quantity: 1}}})
		require.True(t, fault.Is(err, fault.Forbidden), "%v", err)
	})
}

// A cancellation after hand-over becomes an approved agent return in the caller's transaction; a
// cancelled return gives its units back to what may be returned, and the order's return status
// follows.
func TestReturnAfterHandoverAndCancel(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		s := ship(t, url)
		sys := auth.NewContext(context.Background(), auth.System)
		var r *ent.OrderReturn
		require.NoError(t, s.srv.Inst.DB.Tx(sys, func(tx *ent.Tx) error {
			var err error
			r, err = s.svc.ReturnAfterHandover(sys, tx, s.order.ID, []returns.LineInput{{OrderLineID: s.line, Quantity: 2}}, "customer cancelled")
			return err
		}))
		require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
		require.Equal(t, orderreturn.OriginAGENT, r.Origin)
		require.Equal(t, returns.ReasonCancelledAfterHandover, r.ReasonCode)
		require.NotNil(t, r.ApprovedAt)
		o, err := s.srv.Inst.DB.Client.Order.Get(sys, s.order.ID)
		require.NoError(t, err)
		require.Equal(t, order.ReturnStatusREQUESTED, o.ReturnStatus)

		_, err = s.ask(sys, 1)
		require.True(t, fault.Is(err, fault.Conflict), "both units are on the return: %v", err)
		r, err = s.svc.Cancel(sys, r.ID, "parcel delivered after all")
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusCANCELLED, r.Status)
		o, err = s.srv.Inst.DB.Client.Order.Get(sys, s.order.ID)
		require.NoError(t, err)
		require.Equal(t, order.ReturnStatusNONE, o.ReturnStatus)
		_, err = s.ask(sys, 2)
		require.NoError(t, err, "the cancelled return's units may be asked back again")
	})
}

// A claim (a missing item) is settled without anything coming back.
func TestClaimSettlesWithoutGoods(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		s := ship(t, url)
		sys := auth.NewContext(context.Background(), auth.System)
		r, err := s.svc.Request(sys, returns.RequestInput{OrderID: s.order.ID, Kind: orderreturn.KindCLAIM, ReasonCode: "MISSING_ITEM",
			Lines: []returns.LineInput{{OrderLineID: s.line, Quantity: 1}}})
		require.NoError(t, err)
		// A channel's approval, in the sync's own transaction.
		require.NoError(t, s.srv.Inst.DB.Tx(sys, func(tx *ent.Tx) error {
			_, err := s.svc.ApplyTx(sys, tx, r.ID, returns.Receive, "")
			require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
			r, err = s.svc.ApplyTx(sys, tx, r.ID, returns.Approve, "")
			return err
		}))
		require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
		r, err = s.svc.Complete(sys, r.ID)
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusCOMPLETED, r.Status)
		require.NotNil(t, r.CompletedAt)
		r, err = s.svc.Close(sys, r.ID)
		require.NoError(t, err)
		r, err = s.svc.Reopen(sys, r.ID)
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
		require.Nil(t, r.ClosedAt)
		require.Equal(t, 5, r.Version, "version 1 when requested, then one more per change (approve, complete, close, reopen)")
		s.srv.Audit(t)
	})
}

// Concurrent requests for the same order never ask back more than was shipped: of 8 racing requests
// for 1 unit each, on 2 shipped units, exactly 2 succeed and the rest are CONFLICT.
func TestConcurrentRequestsNeverOverReturn(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		s := ship(t, url)
		sys := auth.NewContext(context.Background(), auth.System)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				_, err := s.svc.Request(sys, returns.RequestInput{OrderID: s.order.ID, Lines: []returns.LineInput{{OrderLineID: s.line, Quantity: 1}}})
				errs <- err
			}()
		}
		ok := 0
		for range 8 {
			err := <-errs
			if err == nil {
				ok++
				continue
			}
			require.True(t, fault.Is(err, fault.Conflict), "%v", err)
		}
		require.Equal(t, 2, ok)
		lines, err := s.srv.Inst.DB.Client.ReturnLine.Query().All(sys)
		require.NoError(t, err)
		require.Len(t, lines, 2)
	})
}

// A bundle comes back as its components: a gift box of 2 mugs and a tray returned and put back on
// sale adds 2 mugs and a tray at the returns location; a bundle counts as returnable in whole
// bundles shipped.
func TestBundleReturnsAsItsComponents(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		s := ship(t, url)
		sys := auth.NewContext(context.Background(), auth.System)
		tray := s.srv.SKU(t, "TRAY", map[pulid.ID]int64{s.loc: 3})
		s.srv.SKU(t, "GIFTBOX", nil)
		_, err := s.srv.Inst.Catalog.SetBundleComponents(sys, "GIFTBOX", []catalog.Component{{SKU: "MUG", Quantity: 2}, {SKU: "TRAY", Quantity: 1}})
		require.NoError(t, err)
		o, _, err := s.srv.Inst.Orders.Place(sys, orders.PlaceInput{Lines: []orders.Line{{SKU: "GIFTBOX", Quantity: 1}}, Paid: true})
		require.NoError(t, err)
		_, err = s.srv.Inst.Orders.Apply(sys, orders.ApplyInput{OrderID: o.ID, Command: orders.Ship, Carrier: "DHL", TrackingNumber: "T2"})
		require.NoError(t, err)
		line, err := s.srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).OnlyID(sys)
		require.NoError(t, err)

		_, err = s.svc.Request(sys, returns.RequestInput{OrderID: o.ID, Lines: []returns.LineInput{{OrderLineID: line, Quantity: 2}}})
		require.True(t, fault.Is(err, fault.Conflict), "one box shipped: %v", err)
		r, err := s.svc.Request(sys, returns.RequestInput{OrderID: o.ID, Approve: true, Lines: []returns.LineInput{{OrderLineID: line, Quantity: 1}}})
		require.NoError(t, err)
		rl, err := s.srv.Inst.DB.Client.ReturnLine.Query().Where(returnline.ReturnID(r.ID)).OnlyID(sys)
		require.NoError(t, err)
		_, err = s.svc.Receive(sys, returns.ReceiveInput{ReturnID: r.ID, LocationID: s.loc, Lines: []returns.ReceiveLine{{ReturnLineID: rl, Quantity: 1}}})
		require.NoError(t, err)
		r, err = s.svc.Disposition(sys, returns.DispositionInput{ReturnID: r.ID, Lines: []returns.DispositionLine{{ReturnLineID: rl, Kind: disposition.KindSELLABLE, Quantity: 1}}})
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusINSPECTED, r.Status)
		level := func(v pulid.ID) int64 {
			l, err := s.srv.Inst.DB.Client.InventoryLevel.Query().Where(inventorylevel.VariantID(v), inventorylevel.LocationID(s.loc)).Only(sys)
			require.NoError(t, err)
			return l.OnHand
		}
		require.Equal(t, int64(5-2-2+2), level(s.variant), "mugs: 5, 2 shipped alone, 2 in the box, 2 back")
		require.Equal(t, int64(3), level(tray.ID), "the tray is back")
		s.srv.Audit(t)
	})
}
