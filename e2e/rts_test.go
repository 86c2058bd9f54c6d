package e2e_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/returns"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

// A parcel the carrier returns to the sender (a buyer refusing a cash-on-delivery parcel at the
// door) becomes an approved return expected back at its origin, exactly once however often the
// carrier's scans are replayed; staff receive it and put it back on sale.
func TestReturnedToSenderBecomesAnExpectedReturn(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		ctx := context.Background()
		sim := newCarrierSim(t, f)
		f.stock(t, "RICE", map[string]int{"BKK": 4})
		f.stock(t, "TEA", map[string]int{"BKK": 4})
		cod, _, codLine := customerOrder(t, f, "RICE", 3, "cod@example.com", "COD")
		paid, _, paidLine := customerOrder(t, f, "TEA", 1, "paid@example.com", "PREPAID")
		before, _ := f.level(t, "RICE", f.locs["BKK"])

		// EasyPost reports the parcel on its way back (return_to_sender), then delivered with the
		// tracker marked as a return: delivered to the sender.
		t0 := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
		var outbound []string
		var hooks []carriersim.Delivery
		for i, o := range []pulid.ID{cod, paid} {
			shs := f.plan(t, string(o))
			require.Len(t, shs, 1)
			tn := []string{"EZ1000000700", "EZ1000000701"}[i]
			sim.easyPostTracker(t, tn)
			f.ship(t, shs[0].ID, "USPS", tn)
			outbound = append(outbound, shs[0].ID)
			for _, st := range []carriersim.Step{
				{Tag: shipping.InTransit, At: t0},
				{Tag: shipping.Exception, ReturnToSender: true, Message: "refused by the consignee", At: t0.Add(time.Hour)},
				{Tag: shipping.Delivered, Message: "returned to the shipper", At: t0.Add(2 * time.Hour)},
			} {
				d := sim.step(t, tn, st)
				sim.send(t, shipping.EasyPost, d, 1, http.StatusOK)
				hooks = append(hooks, d)
			}
		}
		// The carrier replays every webhook: nothing more happens.
		for _, d := range hooks {
			sim.send(t, shipping.EasyPost, d, 2, http.StatusOK)
		}

		for i, o := range []pulid.ID{cod, paid} {
			sh := loadShipment(t, f, outbound[i])
			require.Equal(t, shipment.StatusRETURNED_TO_SENDER, sh.Status)
			rets, err := f.srv.Inst.DB.Client.OrderReturn.Query().Where(orderreturn.OrderID(o)).WithLines().All(ctx)
			require.NoError(t, err)
			require.Len(t, rets, 1, "exactly one expected return per parcel returned to the sender")
			r := rets[0]
			require.Equal(t, orderreturn.OriginCARRIER, r.Origin)
			require.Equal(t, orderreturn.KindRETURN, r.Kind)
			require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
			require.Equal(t, pulid.ID(f.locs["BKK"]), *r.LocationID, "expected back at the shipment's origin")
			require.Equal(t, sh.ID, *r.ShipmentID, "it comes back in the outbound shipment")
			require.Len(t, r.Edges.Lines, 1)
			want := map[pulid.ID]struct {
				reason string
				line   pulid.ID
				q      int64
			}{cod: {returns.ReasonCODRefused, codLine, 3}, paid: {returns.ReasonOther, paidLine, 1}}[o]
			require.Equal(t, want.reason, r.ReasonCode)
			require.Equal(t, want.line, r.Edges.Lines[0].OrderLineID)
			require.Equal(t, want.q, r.Edges.Lines[0].Quantity)
			// It needs no return label: the carrier brings the outbound parcel back.
			resp, err := f.admin.Do(ctx, createReturnLabel, map[string]any{"in": map[string]any{"returnID": r.ID}})
			require.NoError(t, err)
			require.Equal(t, "CONFLICT", resp.Code())
		}

		mid, _ := f.level(t, "RICE", f.locs["BKK"])
		require.Equal(t, before-3, mid, "the expected return moves no stock before it is received")

		// Staff receive the refused parcel and put it back on sale: the stock is whole again.
		r, err := f.srv.Inst.DB.Client.OrderReturn.Query().Where(orderreturn.OrderID(cod)).Only(ctx)
		require.NoError(t, err)
		receiveSellable(t, f.srv, r.ID, f.locs["BKK"])
		after, reserved := f.level(t, "RICE", f.locs["BKK"])
		require.Equal(t, before, after, "the 3 refused units are on hand again, as before they shipped")
		require.Zero(t, reserved)
		l, err := f.srv.Inst.DB.Client.ReturnLine.Query().Where(returnline.ReturnID(r.ID)).Only(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(3), l.DispositionedQuantity)
		f.srv.Audit(t)
	})
}
