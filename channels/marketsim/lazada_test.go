package marketsim_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/lazada"
	"github.com/ordo-oms/ordo/channels/marketsim"
)

func lazadaShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.Lazada, ShopID: "100056775", Currency: "THB", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AppKey: "123456", AppSecret: "helloworld", AccessToken: "50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg"},
		Listings: []marketsim.Listing{
			{ID: "2114389101", SKU: "TEE-M", Name: "Tee M", Price: 29000, Attrs: map[string]string{"item_id": "1503947521"}},
			{ID: "2114389102", SKU: "CAP", Name: "Cap", Price: 15050, Attrs: map[string]string{"item_id": "1503947522"}},
		},
	})
	require.NoError(t, err)
	return sh
}

// unitIDs are the order_item_ids of every unit of an order as read back.
func unitIDs(o channels.Order) []string {
	var ids []string
	for _, l := range o.Lines {
		ids = append(ids, l.UnitIDs...)
	}
	return ids
}

func TestLazadaRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, 200)
	sh := lazadaShop(t, sim, hook.URL)
	c, err := lazada.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389101", Quantity: 2, Discount: 301}, {ListingID: "2114389102", Quantity: 1}}, Shipping: 3900})
	require.NoError(t, err)
	w := hook.wait(t, 1)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389102", Quantity: 3}}, COD: true})
	require.NoError(t, err)
	hook.wait(t, 2)

	// The push is thin: the order id and status, signed over app key and raw body.
	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, channels.Notification{Topic: "trade_order:pending", ShopID: "100056775", OrderIDs: []string{o1.ID}}, n)
	tampered := append([]byte(nil), w.Body...)
	tampered[len(tampered)-3] ^= 1
	require.ErrorIs(t, c.Verify(w.Header, tampered, time.Now()), channels.ErrBadSignature)

	got, err := c.Orders(ctx, []string{o2.ID, o1.ID, "260422900100001"})
	require.NoError(t, err)
	require.Len(t, got, 2, "unknown ids are left out")
	byID := map[string]channels.Order{got[0].ExternalID: got[0], got[1].ExternalID: got[1]}
	requireRoundTrip(t, o1, byID[o1.ID], channels.Confirmed)
	requireRoundTrip(t, o2, byID[o2.ID], channels.Confirmed)
	first := byID[o1.ID]
	require.Equal(t, "100056775", first.ShopID)
	require.Equal(t, int64(301), first.Discount, "seller vouchers")
	require.Equal(t, []string{"2114389101", "2114389102"}, []string{first.Lines[0].ListingID, first.Lines[1].ListingID})
	require.Len(t, first.Lines[0].UnitIDs, 2, "one order item per unit")
	require.Len(t, unitIDs(byID[o2.ID]), 3)

	// The push names a unit of the order.
	var push struct {
		Data struct {
			TradeOrderLineID string `json:"trade_order_line_id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(w.Body, &push))
	require.Contains(t, unitIDs(first), push.Data.TradeOrderLineID)

	// Pages of one, through the offset cursor.
	var pulled []string
	q := channels.PullQuery{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 3, "the pull must end")
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
		{ListingID: "2114389101", SKU: "TEE-M", Attrs: map[string]string{"item_id": "1503947521"}, Quantity: 7},
		{Attrs: map[string]string{"seller_sku": "CAP"}, Quantity: 0},
		{ListingID: "999", SKU: "NOPE", Attrs: map[string]string{}, Quantity: 1},
		{ListingID: "998", Attrs: map[string]string{}, Quantity: 1},
	})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.NoError(t, res[1].Err)
	require.ErrorIs(t, res[2].Err, channels.ErrRefused, "unknown to the shop")
	require.ErrorIs(t, res[3].Err, channels.ErrRefused, "names no SKU")
	pushes := sh.Pushes()
	require.Len(t, pushes, 2)
	require.Equal(t, []marketsim.Push{{At: pushes[0].At, ListingID: "2114389101", Quantity: 7}, {At: pushes[1].At, ListingID: "2114389102", Quantity: 0}}, pushes)

	// Pack and ready-to-ship: Lazada allocates the carrier and the tracking number.
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID}))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	require.NotEmpty(t, shipped.Tracking)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID}), channels.ErrRefused, "shipped twice")
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, shipped.Tracking, got[0].TrackingNumber)
	require.Equal(t, shipped.Carrier, got[0].Carrier)

	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o2.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	confirmations := sh.Confirmations()
	require.Equal(t, lazada.DefaultCancelReasonID, confirmations[len(confirmations)-1].Reason)
	require.ErrorIs(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID}), channels.ErrRefused, "nothing left to cancel")
	w = sent(t, hook, sh, 4)
	n, err = c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "trade_order:canceled", n.Topic)

	// A wrong token and a wrong secret are refused, and counted.
	for i, mutate := range []func(*channels.Account){
		func(a *channels.Account) { a.AccessToken = "expired" },
		func(a *channels.Account) { a.AppSecret = "wrong" },
	} {
		a := sh.Account()
		mutate(&a)
		bad, err := lazada.NewClient(a, nil)
		require.NoError(t, err)
		_, err = bad.Orders(ctx, []string{o1.ID})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.Equal(t, i+1, sh.Refused())
	}
}
