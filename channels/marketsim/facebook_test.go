package marketsim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/facebook"
	"github.com/ordo-oms/ordo/channels/marketsim"
)

func facebookShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.Facebook, ShopID: "1095000000000001", Currency: "USD", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AccessToken: "EAAsimtoken", AppSecret: "fb-app-secret", Extra: map[string]string{"catalog_id": "2070000000000001"}},
		// A Meta listing is the catalog's retailer_id, which is the seller's SKU.
		Listings: []marketsim.Listing{
			{ID: "SHIRT-M", SKU: "SHIRT-M", Name: "Shirt M", Price: 2900},
			{ID: "BAG-01", SKU: "BAG-01", Name: "Bag", Price: 4550},
		},
	})
	require.NoError(t, err)
	return sh
}

func TestFacebookRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := facebookShop(t, sim, hook.URL)
	c, err := facebook.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "SHIRT-M", Quantity: 2}, {ListingID: "BAG-01", Quantity: 1}}, Shipping: 500})
	require.NoError(t, err)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "BAG-01", Quantity: 3}}})
	require.NoError(t, err)
	held, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "SHIRT-M", Quantity: 1}}, Status: marketsim.Unpaid})
	require.NoError(t, err)
	require.Greater(t, len(o1.ID), 16, "ids are long digit strings")

	// Multi-id read; the unknown id makes Graph refuse it, and the client reads one by one.
	got, err := c.Orders(ctx, []string{o2.ID, o1.ID, held.ID, "1"})
	require.NoError(t, err)
	require.Len(t, got, 3, "unknown ids are left out")
	byID := map[string]channels.Order{}
	for _, o := range got {
		byID[o.ExternalID] = o
	}
	requireRoundTrip(t, o1, byID[o1.ID], channels.Confirmed)
	requireRoundTrip(t, o2, byID[o2.ID], channels.Confirmed)
	requireRoundTrip(t, held, byID[held.ID], channels.OnHold)
	r1 := byID[o1.ID]
	require.Equal(t, "CREATED", r1.ChannelStatus)
	require.True(t, r1.Paid)
	require.False(t, byID[held.ID].Paid, "FB_PROCESSING is not final")
	require.Equal(t, "1095000000000001", r1.ShopID)
	require.Equal(t, o1.Buyer.Name, r1.Buyer.Name)
	require.Equal(t, o1.Address.Line1, r1.ShippingAddress.Line1)
	require.Equal(t, o1.Subtotal(), r1.Subtotal)
	require.Equal(t, o1.Shipping, r1.Shipping)
	require.Equal(t, "SHIRT-M", r1.Lines[0].ListingID)
	require.NotEmpty(t, r1.Lines[0].LineID)
	day := o1.ShipBy.UTC()
	require.Equal(t, time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, time.UTC), *r1.ShipBy, "the end of the ship-by date")
	require.Equal(t, map[string]string{facebook.RefShippingMethod: "Standard"}, r1.Refs)

	// Pages of one, through the after cursor; FB_PROCESSING orders are not pulled.
	var pulled []string
	q := channels.PullQuery{Since: time.Now().Add(-time.Hour)}
	pages := 0
	for {
		page, err := c.Updated(ctx, q)
		require.NoError(t, err)
		pages++
		for _, o := range page.Orders {
			pulled = append(pulled, o.ExternalID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, []string{o1.ID, o2.ID}, pulled)
	require.Equal(t, 2, pages)

	// Acknowledging moves CREATED to IN_PROGRESS; again is fine; unknown and held orders are not.
	require.NoError(t, c.Accept(ctx, created(o2.ID, o1.ID)))
	acked, _ := sh.Order(o1.ID)
	require.True(t, acked.Acknowledged)
	require.NoError(t, c.Accept(ctx, created(o1.ID)), "already acknowledged")
	require.ErrorIs(t, c.Accept(ctx, created("1")), channels.ErrRefused)
	require.ErrorIs(t, c.Accept(ctx, created(held.ID)), channels.ErrRefused)
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, "IN_PROGRESS", got[0].ChannelStatus)
	require.Equal(t, channels.Confirmed, got[0].Status)

	res, err := c.PushStock(ctx, []channels.StockLevel{{ListingID: "SHIRT-M", Quantity: 7}, {ListingID: "nope", Quantity: 1}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.ErrorIs(t, res[1].Err, channels.ErrRefused)
	require.Equal(t, []marketsim.Push{{At: sh.Pushes()[0].At, ListingID: "SHIRT-M", Quantity: 7}}, sh.Pushes())

	ship := channels.Shipment{OrderID: o1.ID, Carrier: "FEDEX", TrackingNumber: "TRK123", Refs: r1.Refs,
		Lines: []channels.ShipmentLine{{ListingID: "SHIRT-M", Quantity: 2}, {ListingID: "BAG-01", Quantity: 1}}}
	require.NoError(t, c.ConfirmShipment(ctx, ship))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	require.NoError(t, c.ConfirmShipment(ctx, ship), "a retried shipment is the same shipment")
	ship.TrackingNumber = "TRK999"
	require.ErrorIs(t, c.ConfirmShipment(ctx, ship), channels.ErrRefused, "shipped twice")
	require.Len(t, sh.Confirmations(), 1)
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, "TRK123", got[0].TrackingNumber)
	require.Equal(t, "FEDEX", got[0].Carrier)

	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o2.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	require.Equal(t, "out of stock", cancelled.CancelReason)
	got, err = c.Orders(ctx, []string{o2.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Cancelled, got[0].Status)
	require.Equal(t, "COMPLETED", got[0].ChannelStatus)
	require.Equal(t, channels.Cancelled, got[0].Lines[0].Status)
	require.Empty(t, got[0].Buyer, "Meta strips the buyer of cancelled orders")

	require.NoError(t, sh.SetStatus(o1.ID, marketsim.Delivered, ""))
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Completed, got[0].Status, "Meta reports no delivery: the order is COMPLETED")

	// Meta sends no order webhooks; Graph's generic ones verify with the app secret.
	require.Empty(t, sh.Deliveries())
	body := []byte(`{"object":"page","entry":[{"id":"1095000000000001","time":1700000000,"changes":[{"field":"orders","value":{"order_id":"` + o1.ID + `"}}]}]}`)
	h := http.Header{facebook.HeaderSignature: {facebook.Sign("fb-app-secret", body)}}
	require.NoError(t, c.Verify(h, body, time.Now()))
	n, err := c.Parse(h, body)
	require.NoError(t, err)
	require.Equal(t, []string{o1.ID}, n.OrderIDs)
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-5] ^= 1
	require.ErrorIs(t, c.Verify(h, tampered, time.Now()), channels.ErrBadSignature)

	// A wrong token, and a wrong app secret (appsecret_proof), are refused and counted.
	a := sh.Account()
	a.AccessToken = "wrong"
	bad, err := facebook.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.Orders(ctx, []string{o1.ID})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Contains(t, err.Error(), "Invalid OAuth access token.")
	a = sh.Account()
	a.AppSecret = "stale"
	bad, err = facebook.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.Updated(ctx, channels.PullQuery{})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.Equal(t, 2, sh.Refused())
}

// TestFacebookFaceFields checks that the face answers only the fields asked for, as Graph does,
// and refuses fields CommerceOrder does not have.
func TestFacebookFaceFields(t *testing.T) {
	sim := start(t, 0)
	sh := facebookShop(t, sim, "")
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "BAG-01", Quantity: 1}}})
	require.NoError(t, err)
	get := func(query string) (int, map[string]json.RawMessage) {
		req, err := http.NewRequest(http.MethodGet, sh.Account().BaseURL+"/v25.0/"+o.ID+"?"+query, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer EAAsimtoken")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]json.RawMessage
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}
	status, out := get("")
	require.Equal(t, http.StatusOK, status)
	require.ElementsMatch(t, []string{"id", "order_status", "created", "last_updated"}, fbKeys(out), "Graph's default fields")
	status, out = get("fields=order_status,items{retailer_id}")
	require.Equal(t, http.StatusOK, status)
	require.ElementsMatch(t, []string{"id", "order_status", "items"}, fbKeys(out))
	status, out = get("fields=id,bogus")
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, string(out["error"]), "nonexisting field (bogus)")
}

func fbKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// created are orders as a pull reads them while they wait to be acknowledged.
func created(ids ...string) []channels.Order {
	out := make([]channels.Order, len(ids))
	for i, id := range ids {
		out[i] = channels.Order{ExternalID: id, ChannelStatus: "CREATED"}
	}
	return out
}
