package marketsim_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopify"
)

// Shopify's delivered event lands on the fulfillment that carried the tracking number; a
// tracking number no fulfillment carries is refused as an unknown shipment; the endpoints want the
// store's access token.
func TestShopifyDeliveredFulfillmentEvent(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopifyShop(t, sim, "")
	c, err := shopify.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)
	const warehouse, store = "655441491", "655441492"
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{
		{ListingID: "39072856", Quantity: 1, Location: warehouse}, {ListingID: "39072857", Quantity: 1, Location: store},
	}})
	require.NoError(t, err)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, LocationRef: warehouse, Carrier: "Kerry", TrackingNumber: "KER1",
		Lines: []channels.ShipmentLine{{LineID: o.Lines[0].ID, Quantity: 1}}}))
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, LocationRef: store, Carrier: "Flash", TrackingNumber: "TH9",
		Lines: []channels.ShipmentLine{{LineID: o.Lines[1].ID, Quantity: 1}}}))
	fs := sh.Fulfillments(o.ID)
	require.Len(t, fs, 2)
	require.Empty(t, sh.FulfillmentEvents(o.ID))

	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	require.NoError(t, c.ConfirmDelivery(ctx, channels.Delivery{OrderID: o.ID, ShipmentID: "shp_b", TrackingNumber: "TH9", DeliveredAt: at}))
	evs := sh.FulfillmentEvents(o.ID)
	require.Len(t, evs, 1)
	require.Equal(t, fs[1].ID, evs[0].FulfillmentID, "the store's fulfillment carried TH9")
	require.Equal(t, "delivered", evs[0].Status)
	require.True(t, at.Equal(evs[0].HappenedAt), "happened at %v", evs[0].HappenedAt)

	// A package's tracking number finds its fulfillment too.
	require.NoError(t, c.ConfirmDelivery(ctx, channels.Delivery{OrderID: o.ID, Packages: []channels.Package{{TrackingNumber: "KER1"}}, DeliveredAt: at}))
	evs = sh.FulfillmentEvents(o.ID)
	require.Len(t, evs, 2)
	require.Equal(t, fs[0].ID, evs[1].FulfillmentID)

	err = c.ConfirmDelivery(ctx, channels.Delivery{OrderID: o.ID, TrackingNumber: "NOPE", DeliveredAt: at})
	require.ErrorIs(t, err, channels.ErrUnknownShipment)
	require.ErrorIs(t, err, channels.ErrRefused)
	require.ErrorIs(t, c.ConfirmDelivery(ctx, channels.Delivery{OrderID: o.ID, DeliveredAt: at}), channels.ErrRefused, "no tracking number")
	require.ErrorIs(t, c.ConfirmDelivery(ctx, channels.Delivery{OrderID: "999", TrackingNumber: "TH9"}), channels.ErrRefused, "no such order")
	require.Len(t, sh.FulfillmentEvents(o.ID), 2)

	// Without the access token, or with a status Shopify does not know, nothing is recorded.
	url := sh.Account().BaseURL + "/admin/api/" + shopify.APIVersion + "/orders/" + o.ID + "/fulfillments/" + fs[0].ID + "/events.json"
	for _, tt := range []struct {
		token, body string
		want        int
	}{
		{"wrong", `{"event":{"status":"delivered"}}`, http.StatusUnauthorized},
		{sh.Account().AccessToken, `{"event":{"status":"teleported"}}`, http.StatusUnprocessableEntity},
		{sh.Account().AccessToken, `{"event":{"status":"delivered","happened_at":"yesterday"}}`, http.StatusUnprocessableEntity},
	} {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(tt.body)))
		require.NoError(t, err)
		req.Header.Set("X-Shopify-Access-Token", tt.token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, tt.want, resp.StatusCode, tt.body)
	}
	require.Len(t, sh.FulfillmentEvents(o.ID), 2)
}
