package e2e_test

// Issue 9: tracking updates and delivery are confirmed back to channels that take them. A Shopify
// order split across two locations ships as two fulfillments; when a carrier's webhook delivers one
// shipment, Shopify records a "delivered" fulfillment event on that shipment's fulfillment only.

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

// channelOutcomes counts an order's channel confirmations (or refusals) of an action.
func channelOutcomes(t *testing.T, l *logisticsShop, orderID pulid.ID, typ, action string) int {
	t.Helper()
	evs, err := l.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(orderID)), event.Type(typ)).All(context.Background())
	require.NoError(t, err)
	n := 0
	for _, e := range evs {
		if e.Data["action"] == action {
			n++
		}
	}
	return n
}

func TestDeliveredConfirmedToShopify(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		l := newLogisticsShop(t, url)
		sh, chID := l.m.Shops[channels.Shopify], l.m.Channels[channels.Shopify]
		for loc, ref := range map[pulid.ID]string{l.a: shopifyLocA, l.b: shopifyLocB} {
			l.admin.MustDo(t, `mutation($l: ID!, $c: ID!, $r: String) { setLocationChannelRef(input: {locationID: $l, channelID: $c, ref: $r}) { location { id } } }`,
				map[string]any{"l": loc, "c": chID, "r": ref}, nil)
		}
		so, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{
			{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 2, Location: shopifyLocA},
			{ListingID: listingOf(t, sh, "CAP"), Quantity: 1, Location: shopifyLocB},
		}})
		require.NoError(t, err)
		o := channelOrder(t, l.srv, chID, so.ID, order.StatusALLOCATED)
		shipments := l.plan(t, o.ID)
		require.Len(t, shipments, 2, "one shipment per location")

		// Both shipments leave with EasyPost tracking numbers; Shopify gets a fulfillment each.
		carriers := newCarrierSim(t, &shipFixture{srv: l.srv, admin: l.admin})
		tracking := map[string]string{"BKK-A": "EZ2000000001", "BKK-B": "EZ2000000002"}
		for code, tn := range tracking {
			carriers.easyPostTracker(t, tn)
			l.admin.MustDo(t, `mutation($id: ID!, $t: String!) { shipShipment(input: {shipmentID: $id, carrier: "USPS", trackingNumbers: [$t]}) { shipment { status } } }`,
				map[string]any{"id": shipments[code].ID, "t": tn}, nil)
		}
		require.Eventually(t, func() bool { return len(sh.Fulfillments(so.ID)) == 2 }, channelWait, 20*time.Millisecond,
			"Shopify never got two fulfillments: %+v", sh.Fulfillments(so.ID))
		fulfillmentOf := map[string]string{} // Shopify's fulfillment id by tracking number
		for _, f := range sh.Fulfillments(so.ID) {
			fulfillmentOf[f.Tracking] = f.ID
		}
		require.Len(t, fulfillmentOf, 2)
		require.NotEqual(t, fulfillmentOf[tracking["BKK-A"]], fulfillmentOf[tracking["BKK-B"]])
		require.Eventually(t, func() bool { return channelOutcomes(t, l, o.ID, "order.channel_confirmed", "ship") == 2 }, channelWait, 20*time.Millisecond)
		require.Empty(t, sh.FulfillmentEvents(so.ID), "nothing was delivered yet")

		// EasyPost delivers the cap (BKK-B): its webhook, sent twice, moves the shipment once.
		at := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
		carriers.send(t, shipping.EasyPost, carriers.step(t, tracking["BKK-B"], carriersim.Step{Tag: shipping.InTransit, At: at.Add(-2 * time.Hour), City: "Bangkok"}), 1, http.StatusOK)
		delivered := carriers.step(t, tracking["BKK-B"], carriersim.Step{Tag: shipping.Delivered, At: at})
		carriers.send(t, shipping.EasyPost, delivered, 2, http.StatusOK)
		l.shipment(t, shipments["BKK-B"].ID, "delivered", func(s *ent.Shipment) bool { return s.Status == shipment.StatusDELIVERED })

		require.Eventually(t, func() bool { return len(sh.FulfillmentEvents(so.ID)) == 1 }, channelWait, 20*time.Millisecond,
			"Shopify never heard of the delivery: %+v", sh.FulfillmentEvents(so.ID))
		ev := sh.FulfillmentEvents(so.ID)[0]
		require.Equal(t, "delivered", ev.Status)
		require.Equal(t, fulfillmentOf[tracking["BKK-B"]], ev.FulfillmentID, "the delivered shipment's fulfillment")
		require.True(t, at.Equal(ev.HappenedAt), "delivered at %v, Shopify says %v", at, ev.HappenedAt)
		require.Eventually(t, func() bool { return channelOutcomes(t, l, o.ID, "order.channel_confirmed", "deliver") == 1 }, channelWait, 20*time.Millisecond)

		// The tees (BKK-A) are still on their way: Shopify hears nothing of them, and nothing twice.
		require.Equal(t, shipment.StatusSHIPPED, l.shipment(t, shipments["BKK-A"].ID, "loaded", func(*ent.Shipment) bool { return true }).Status)
		time.Sleep(300 * time.Millisecond) // a second confirmation would have gone by now
		require.Len(t, sh.FulfillmentEvents(so.ID), 1)
		require.Equal(t, 1, channelOutcomes(t, l, o.ID, "order.channel_confirmed", "deliver"))
		require.Zero(t, l.events(t, o.ID, "order.channel_refused"))
		l.srv.Audit(t)
	})
}
