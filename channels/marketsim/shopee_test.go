package marketsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	neturl "net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// The simulated shop's listings, named as shopee.ListingID names them.
const (
	shirt = "23620853561:221404189791" // a model of an item
	bag   = "23620853562:0"            // an item without models
)

func shopeeShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.Shopee, ShopID: "14701711", Currency: "THB", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AppKey: "2001887", AppSecret: "test_partner_key", AccessToken: "59777174636562737266615546704c6d"},
		Listings: []marketsim.Listing{
			{ID: shirt, SKU: "SHIRT-M", Name: "Shirt M", Price: 29050, Attrs: map[string]string{"item_id": "23620853561", "model_id": "221404189791"}},
			{ID: bag, SKU: "BAG", Name: "Bag", Price: 45000, Attrs: map[string]string{"item_id": "23620853562", "model_id": "0"}},
		},
	})
	require.NoError(t, err)
	return sh
}

// pushStatus reads the status a code 3 push announces.
func pushStatus(t *testing.T, body []byte) string {
	t.Helper()
	var p struct {
		Code int `json:"code"`
		Data struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &p))
	require.Equal(t, 3, p.Code)
	return p.Data.Status
}

func TestShopeeRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := shopeeShop(t, sim, hook.URL)
	c, err := shopee.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 2, Discount: 1000}, {ListingID: bag, Quantity: 1}}, Shipping: 4000})
	require.NoError(t, err)
	require.Regexp(t, regexp.MustCompile(`^\d{6}[0-9A-Z]{8}$`), o1.ID, "an order_sn")
	// The push is thin: the order_sn and its status, signed over the callback URL and the body.
	w := hook.wait(t, 1)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: bag, Quantity: 3}}, COD: true})
	require.NoError(t, err)
	hook.wait(t, 2)
	require.NotEqual(t, o1.ID, o2.ID)

	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "order_status", n.Topic)
	require.Equal(t, "14701711", n.ShopID)
	require.Equal(t, []string{o1.ID}, n.OrderIDs)
	require.Nil(t, n.Order)
	require.Equal(t, "READY_TO_SHIP", pushStatus(t, w.Body))
	tampered := append([]byte(nil), w.Body...)
	tampered[len(tampered)-2] ^= 1
	require.ErrorIs(t, c.Verify(w.Header, tampered, time.Now()), channels.ErrBadSignature)

	got, err := c.Orders(ctx, n.OrderIDs)
	require.NoError(t, err)
	require.Len(t, got, 1)
	requireRoundTrip(t, o1, got[0], channels.Confirmed)
	one := got[0]
	require.Equal(t, "14701711", one.ShopID)
	require.Equal(t, int64(1000), one.Discount)
	require.Equal(t, o1.Subtotal(), one.Subtotal)
	require.Equal(t, o1.Shipping, one.Shipping)
	require.True(t, one.Paid)
	require.NotNil(t, one.ShipBy)
	require.True(t, o1.ShipBy.Equal(*one.ShipBy))
	require.Equal(t, o1.Buyer.Name, one.Buyer.Name)
	require.Equal(t, o1.Address.PostalCode, one.ShippingAddress.PostalCode)
	require.Empty(t, one.Carrier, "not shipped yet")
	for i, l := range o1.Lines {
		require.Equal(t, l.Listing.ID, one.Lines[i].ListingID)
		require.Equal(t, l.ID, one.Lines[i].LineID, "line_item_id")
		require.Equal(t, l.Discount, one.Lines[i].Discount)
	}

	got, err = c.Orders(ctx, []string{o2.ID, "240101UNKNOWN0", o1.ID})
	require.NoError(t, err)
	require.Len(t, got, 2, "unknown order_sn are left out")
	require.Equal(t, o2.ID, got[0].ExternalID)
	requireRoundTrip(t, o2, got[0], channels.Confirmed)
	require.False(t, got[0].Paid, "COD is paid at the door")

	// Pages of one, through Shopee's cursor inside the window.
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
		{ListingID: shirt, Attrs: map[string]string{"item_id": "23620853561", "model_id": "221404189791"}, Quantity: 7},
		{ListingID: bag, Quantity: 4}, // by its ListingID alone
		{ListingID: "23620853561:5", Quantity: 1},
		{ListingID: "999:0", Quantity: 1},
	})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.NoError(t, res[1].Err)
	require.ErrorIs(t, res[2].Err, channels.ErrRefused, "a model the item does not have")
	require.ErrorIs(t, res[3].Err, channels.ErrRefused, "an item the shop does not have")
	pushes := sh.Pushes()
	require.Len(t, pushes, 2)
	require.Equal(t, []marketsim.Push{{At: pushes[0].At, ListingID: shirt, Quantity: 7}, {At: pushes[1].At, ListingID: bag, Quantity: 4}}, pushes)

	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, Carrier: "Kerry", TrackingNumber: "TH0123456789"}))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	require.Equal(t, "TH0123456789", shipped.Tracking)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, TrackingNumber: "TH0123456789"}), channels.ErrRefused, "shipped twice")
	require.Equal(t, "SHIPPED", pushStatus(t, hook.wait(t, 3).Body))
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, shipped.Carrier, got[0].Carrier)
	require.NotEmpty(t, got[0].Carrier)

	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o2.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	require.Equal(t, "OUT_OF_STOCK", cancelled.CancelReason)
	require.Equal(t, "CANCELLED", pushStatus(t, sent(t, hook, sh, 4).Body))
	require.ErrorIs(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o1.ID, Lines: []channels.ShipmentLine{{ListingID: shirt}}}), channels.ErrRefused, "already shipped")
	got, err = c.Orders(ctx, []string{o2.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Cancelled, got[0].Status)

	// A wrong partner key signs wrongly: refused, and counted.
	a := sh.Account()
	a.AppSecret = "wrong"
	bad, err := shopee.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.Orders(ctx, []string{o1.ID})
	require.True(t, errors.Is(err, channels.ErrRefused), "%v", err)
	require.ErrorContains(t, err, "error_sign")
	require.Equal(t, 1, sh.Refused())
}

func TestShopeeRefusesLikeShopee(t *testing.T) {
	sim := start(t, 0)
	sh := shopeeShop(t, sim, "")
	a := sh.Account()
	now := time.Now().Unix()
	tests := []struct {
		name                   string
		ts                     int64
		token, shopID          string
		spoil                  func(q neturl.Values)
		wantError, wantMessage string
	}{
		{"stale timestamp", now - 600, a.AccessToken, a.ShopID, nil, "error_param", "Timestamp is expired."},
		{"no sign", now, a.AccessToken, a.ShopID, func(q neturl.Values) { q.Del("sign") }, "error_param", "There is no sign in query."},
		{"wrong sign", now, a.AccessToken, a.ShopID, func(q neturl.Values) { q.Set("sign", "00ff") }, "error_sign", "Wrong sign."},
		{"signed, but another token", now, "other-token", a.ShopID, nil, "error_auth", "Invalid access_token."},
		{"signed, but another shop", now, a.AccessToken, "14701712", nil, "error_shop", "shopid is invalid"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shopID, err := strconv.ParseInt(tt.shopID, 10, 64)
			require.NoError(t, err)
			q := neturl.Values{"partner_id": {a.AppKey}, "timestamp": {strconv.FormatInt(tt.ts, 10)}, "access_token": {tt.token},
				"shop_id": {tt.shopID}, "order_sn_list": {"X"},
				"sign": {shopee.SignRequest(a.AppSecret, 2001887, shopee.PathOrderDetail, tt.ts, tt.token, shopID)}}
			if tt.spoil != nil {
				tt.spoil(q)
			}
			resp, err := http.Get(a.BaseURL + shopee.PathOrderDetail + "?" + q.Encode())
			require.NoError(t, err)
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			var body map[string]string
			require.NoError(t, json.Unmarshal(raw, &body))
			require.Equal(t, http.StatusForbidden, resp.StatusCode)
			require.Equal(t, tt.wantError, body["error"])
			require.Equal(t, tt.wantMessage, body["message"])
			require.Len(t, body["request_id"], 32)
			require.Equal(t, i+1, sh.Refused())
		})
	}
}
