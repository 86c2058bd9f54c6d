package marketsim_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopify"
)

func shopifyShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.Shopify, ShopID: "ordo-demo", Currency: "USD", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AccessToken: "shpat_test", AppSecret: "hush", Extra: map[string]string{"location_id": "655441491"}},
		Listings: []marketsim.Listing{
			{ID: "39072856", SKU: "SHIRT-M", Name: "Shirt M", Price: 2900, Attrs: map[string]string{"inventory_item_id": "808950810", "product_id": "632910392"}},
			{ID: "39072857", SKU: "BAG", Name: "Bag", Price: 4550, Attrs: map[string]string{"inventory_item_id": "808950811", "product_id": "632910393"}},
		},
	})
	require.NoError(t, err)
	return sh
}

func TestShopifyRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := shopifyShop(t, sim, hook.URL)
	c, err := shopify.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072856", Quantity: 2, Discount: 300}, {ListingID: "39072857", Quantity: 1}}, Shipping: 500})
	require.NoError(t, err)
	// The webhook carries the whole order, signed over the raw body.
	w := hook.wait(t, 1)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072857", Quantity: 3}}, COD: true})
	require.NoError(t, err)
	hook.wait(t, 2)

	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "orders/create", n.Topic)
	require.NotNil(t, n.Order)
	requireRoundTrip(t, o1, *n.Order, channels.Confirmed)
	tampered := append([]byte(nil), w.Body...)
	tampered[len(tampered)-2] ^= 1
	require.ErrorIs(t, c.Verify(w.Header, tampered, time.Now()), channels.ErrBadSignature)

	got, err := c.Orders(ctx, []string{o2.ID, o1.ID, "1"})
	require.NoError(t, err)
	require.Len(t, got, 2, "unknown ids are left out")
	byID := map[string]channels.Order{got[0].ExternalID: got[0], got[1].ExternalID: got[1]}
	requireRoundTrip(t, o1, byID[o1.ID], channels.Confirmed)
	requireRoundTrip(t, o2, byID[o2.ID], channels.Confirmed)
	require.Equal(t, "39072856", byID[o1.ID].Lines[0].ListingID)

	// Pages of one, through the Link header.
	var pulled []string
	q := channels.PullQuery{Since: time.Now().Add(-time.Hour)}
	for {
		page, err := c.Updated(ctx, q)
		require.NoError(t, err)
		for _, o := range page.Orders {
			pulled = append(pulled, o.ExternalID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, []string{o1.ID, o2.ID}, pulled)

	res, err := c.PushStock(ctx, []channels.StockLevel{
		{ListingID: "39072856", Attrs: map[string]string{"inventory_item_id": "808950810"}, Quantity: 7},
		{ListingID: "nope", Attrs: map[string]string{}, Quantity: 1},
	})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.ErrorIs(t, res[1].Err, channels.ErrRefused)
	require.Equal(t, []marketsim.Push{{At: sh.Pushes()[0].At, ListingID: "39072856", Quantity: 7}}, sh.Pushes())

	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, Carrier: "Kerry", TrackingNumber: "KER123"}))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, Carrier: "Kerry", TrackingNumber: "KER123"}), channels.ErrRefused, "shipped twice")
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, "KER123", got[0].TrackingNumber)

	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o2.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	w = sent(t, hook, sh, 4)
	require.Equal(t, "orders/cancelled", w.Header.Get(shopify.HeaderTopic))

	// A wrong token is refused, and counted.
	a := sh.Account()
	a.AccessToken = "wrong"
	bad, err := shopify.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.Orders(ctx, []string{o1.ID})
	require.True(t, errors.Is(err, channels.ErrRefused), "%v", err)
	require.Equal(t, 1, sh.Refused())
}
