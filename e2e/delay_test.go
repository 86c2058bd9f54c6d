package e2e_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func TestLateShipmentsArePromisedAgain(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		sim := newCarrierSim(t, f)
		ctx := auth.NewContext(context.Background(), auth.System)
		o, s := splitOrder(t, f, "LATE-1")
		sim.AddParcel(shipping.AfterShip, "TH0000000010")
		f.ship(t, s[0].ID, "Kerry", "TH0000000010")
		f.ship(t, s[1].ID, "Flash", "FLASH-SILENT-1")

		// An AfterShip estimate past the promise re-promises the shipment and its order, once.
		a := loadShipment(t, f, s[0].ID)
		require.NotNil(t, a.PromisedDeliveryTo, "a routed order is promised a delivery")
		promised := *a.PromisedDeliveryTo
		sim.send(t, shipping.AfterShip, sim.step(t, "TH0000000010", carriersim.Step{Tag: shipping.InTransit, At: time.Now().Add(-time.Hour)}), 1, http.StatusOK)
		require.Empty(t, shipmentEvents(t, f, "shipment.delayed", s[0].ID), "in transit on time")
		est := promised.Add(72 * time.Hour).Truncate(time.Second)
		revise, err := sim.AfterShipEDDRevise("TH0000000010", est)
		require.NoError(t, err)
		sim.send(t, shipping.AfterShip, revise, 3, http.StatusOK)
		delayed := shipmentEvents(t, f, "shipment.delayed", s[0].ID)
		require.Len(t, delayed, 1)
		require.Equal(t, fulfilment.LateEstimate, delayed[0].Data["reason"])
		require.Equal(t, rfc3339(promised), delayed[0].Data["promisedBy"])
		require.Equal(t, rfc3339(est), delayed[0].Data["newPromise"])
		require.Equal(t, rfc3339(est), delayed[0].Data["estimatedBy"])
		a = loadShipment(t, f, s[0].ID)
		require.True(t, a.LateRisk)
		require.True(t, est.Equal(*a.PromisedDeliveryTo))
		ord, err := f.srv.Inst.DB.Client.Order.Get(ctx, pulid.ID(o))
		require.NoError(t, err)
		require.NotNil(t, ord.RepromisedDeliveryTo)
		require.True(t, est.Equal(*ord.RepromisedDeliveryTo))
		require.True(t, promised.Equal(*ord.PromisedDeliveryTo), "the original promise is kept")

		var risk struct {
			LateRiskShipments []struct{ ID, LateReason string }
		}
		f.admin.MustDo(t, `{ lateRiskShipments(first: 10) { id lateReason } }`, nil, &risk)
		require.Len(t, risk.LateRiskShipments, 1)
		require.Equal(t, s[0].ID, risk.LateRiskShipments[0].ID)
		require.Equal(t, fulfilment.LateEstimate, risk.LateRiskShipments[0].LateReason)

		// A silent lane: no scan within the scan gap (48 hours without an account) since shipping.
		b := loadShipment(t, f, s[1].ID)
		require.NotNil(t, b.ShippedAt)
		require.NotNil(t, b.PromisedDeliveryTo)
		shipped, bPromised := *b.ShippedAt, *b.PromisedDeliveryTo
		_, err = f.srv.Inst.Fulfilment.SweepDelays(ctx, shipped.Add(47*time.Hour))
		require.NoError(t, err)
		require.Empty(t, shipmentEvents(t, f, "shipment.delayed", s[1].ID), "still within the gap")
		late := shipped.Add(49 * time.Hour)
		for range 2 {
			_, err = f.srv.Inst.Fulfilment.SweepDelays(ctx, late)
			require.NoError(t, err)
		}
		_, err = f.srv.Inst.Fulfilment.SweepDelays(ctx, late.Add(time.Hour))
		require.NoError(t, err)
		delayed = shipmentEvents(t, f, "shipment.delayed", s[1].ID)
		require.Len(t, delayed, 1, "raised once, however often the sweep runs")
		require.Equal(t, fulfilment.LateSilent, delayed[0].Data["reason"])
		want := late.Add(bPromised.Sub(shipped)).Truncate(time.Second)
		require.Equal(t, rfc3339(want), delayed[0].Data["newPromise"], "now plus the transit it was promised")
		b = loadShipment(t, f, s[1].ID)
		require.True(t, b.LateRisk)
		require.Equal(t, fulfilment.LateSilent, b.LateReason)
		require.True(t, want.Equal(*b.PromisedDeliveryTo))
		ord, err = f.srv.Inst.DB.Client.Order.Get(ctx, pulid.ID(o))
		require.NoError(t, err)
		// By then the AfterShip parcel has been silent too: its own re-promise counts.
		a = loadShipment(t, f, s[0].ID)
		require.Len(t, shipmentEvents(t, f, "shipment.delayed", s[0].ID), 2, "the estimate, then the silence: once per cause")
		latest := *a.PromisedDeliveryTo
		if b.PromisedDeliveryTo.After(latest) {
			latest = *b.PromisedDeliveryTo
		}
		require.True(t, latest.Equal(*ord.RepromisedDeliveryTo), "the order is held to its latest shipment's promise")
		f.srv.Audit(t)
	})
}

func TestShipByAlertsBeforeTheDeadline(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		ctx := auth.NewContext(context.Background(), auth.System)
		_, s := splitOrder(t, f, "SHIPBY-1")
		waiting := loadShipment(t, f, s[0].ID)
		require.NotNil(t, waiting.ShipBy, "a routed order has a ship-by deadline")
		shipBy := *waiting.ShipBy
		f.ship(t, s[1].ID, "Flash", "FLASH-ON-TIME")
		alerts := func(id string) []string {
			var levels []string
			for _, e := range shipmentEvents(t, f, "shipment.ship_by_alert", id) {
				levels = append(levels, e.Data["level"].(string))
			}
			return levels
		}
		sweep := func(at time.Time) {
			_, err := f.srv.Inst.Fulfilment.SweepDeadlines(ctx, at)
			require.NoError(t, err)
		}

		sweep(shipBy.Add(-fulfilment.DefaultShipByAlert - time.Minute))
		require.Empty(t, alerts(s[0].ID), "too early")
		sweep(shipBy.Add(-fulfilment.DefaultShipByAlert + time.Minute))
		sweep(shipBy.Add(-time.Hour))
		require.Equal(t, []string{"WARNED"}, alerts(s[0].ID), "warned once, before the deadline")
		require.Equal(t, shipment.DeadlineAlertWARNED, loadShipment(t, f, s[0].ID).DeadlineAlert)
		sweep(shipBy.Add(time.Minute))
		sweep(shipBy.Add(time.Hour))
		require.Equal(t, []string{"WARNED", "MISSED"}, alerts(s[0].ID), "escalated once the deadline passed")
		require.Equal(t, shipment.DeadlineAlertMISSED, loadShipment(t, f, s[0].ID).DeadlineAlert)
		require.Empty(t, alerts(s[1].ID), "a shipment handed over has no deadline")
		f.srv.Audit(t)
	})
}

func TestMarketplaceShipByAlertsOnTheChannelsClock(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee}})
		ctx := auth.NewContext(context.Background(), auth.System)
		chID := m.Channels[channels.Shopee]
		// This shop wants half a day's warning, not the default six hours.
		require.NoError(t, srv.Inst.DB.Client.Channel.UpdateOneID(chID).SetShipByAlertHours(12).Exec(ctx))
		so := order2(t, m.Shops[channels.Shopee])
		o := channelOrder(t, srv, chID, so.ID, order.StatusALLOCATED)
		require.NotNil(t, o.ShipBy, "Shopee gives a ship-by date")
		var out struct {
			PlanShipments struct{ Shipments []struct{ ID, Method string } }
		}
		srv.Admin().MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id method } } }`, map[string]any{"id": o.ID}, &out)
		require.Len(t, out.PlanShipments.Shipments, 1)
		sh := out.PlanShipments.Shipments[0]
		require.Equal(t, "MARKETPLACE", sh.Method)
		f := &shipFixture{srv: srv, admin: srv.Admin()}
		got := loadShipment(t, f, sh.ID)
		require.NotNil(t, got.ShipBy)
		require.True(t, o.ShipBy.Equal(*got.ShipBy), "the shipment is held to the marketplace's deadline")
		shipBy := *got.ShipBy
		levels := func() []string {
			var l []string
			for _, e := range shipmentEvents(t, f, "shipment.ship_by_alert", sh.ID) {
				l = append(l, e.Data["level"].(string))
			}
			return l
		}
		sweep := func(at time.Time) {
			_, err := srv.Inst.Fulfilment.SweepDeadlines(ctx, at)
			require.NoError(t, err)
		}
		sweep(shipBy.Add(-13 * time.Hour))
		require.Empty(t, levels())
		sweep(shipBy.Add(-11 * time.Hour))
		require.Equal(t, []string{"WARNED"}, levels(), "warned within the channel's twelve hours, before the deadline")
		sweep(shipBy.Add(time.Second))
		require.Equal(t, []string{"WARNED", "MISSED"}, levels())
		alert := shipmentEvents(t, f, "shipment.ship_by_alert", sh.ID)[0]
		require.Equal(t, string(chID), alert.ChannelID, "the alert is on the channel's stream")
		require.Equal(t, rfc3339(shipBy), alert.Data["shipBy"])
		srv.Audit(t)
	})
}
