package marketsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

const (
	ttsShirt, ttsShirtProduct = "1729592969712207013", "1729382561353664372"
	ttsBag, ttsBagProduct     = "1729592969712207014", "1729382561353664373"
	ttsWarehouse              = "7068517275539719942"
	ttsProvider               = "6617675021119438849" // "TT Virtual express" in the docs sample
)

func tiktokShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.TikTokShop, ShopID: "7494049642642441621", Currency: "THB", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AppKey: "38abcd", AppSecret: "app_secret", AccessToken: "TTP_pwSm2AAAAABmmtFz1xly",
			Extra: map[string]string{tiktokshop.ExtraShopCipher: "ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY", tiktokshop.ExtraWarehouseID: ttsWarehouse}},
		Listings: []marketsim.Listing{
			{ID: ttsShirt, SKU: "SHIRT-M", Name: "Shirt M", Price: 29000, Attrs: map[string]string{tiktokshop.AttrProductID: ttsShirtProduct, tiktokshop.AttrWarehouseID: ttsWarehouse}},
			{ID: ttsBag, SKU: "BAG", Name: "Bag", Price: 45050, Attrs: map[string]string{tiktokshop.AttrProductID: ttsBagProduct}},
		},
	})
	require.NoError(t, err)
	return sh
}

// requireUnits checks that a line read back kept one distinct unit id per unit and the listing.
func requireUnits(t *testing.T, want marketsim.Line, got channels.Line) {
	t.Helper()
	require.Equal(t, want.Listing.ID, got.ListingID)
	require.Equal(t, want.Discount, got.Discount, "the line's discount, spread over its units")
	require.Len(t, got.UnitIDs, int(want.Quantity))
	seen := map[string]bool{}
	for _, id := range got.UnitIDs {
		require.Regexp(t, `^\d{18,19}$`, id)
		seen[id] = true
	}
	require.Len(t, seen, int(want.Quantity))
}

func TestTikTokShopRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := tiktokShop(t, sim, hook.URL)
	c, err := tiktokshop.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: ttsShirt, Quantity: 2, Discount: 301}, {ListingID: ttsBag, Quantity: 1}}, Shipping: 500})
	require.NoError(t, err)
	w := hook.wait(t, 1)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: ttsBag, Quantity: 3}}, COD: true})
	require.NoError(t, err)
	hook.wait(t, 2)

	// The webhook is thin: the order id and its status, signed over app key + body.
	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "ORDER_STATUS_CHANGE:AWAITING_SHIPMENT", n.Topic)
	require.Equal(t, []string{o1.ID}, n.OrderIDs)
	require.Equal(t, "7494049642642441621", n.ShopID)
	require.NotEmpty(t, n.DeliveryID)
	require.Nil(t, n.Order)
	tampered := append([]byte(nil), w.Body...)
	tampered[len(tampered)-3] ^= 1
	require.ErrorIs(t, c.Verify(w.Header, tampered, time.Now()), channels.ErrBadSignature)

	got, err := c.Orders(ctx, []string{o2.ID, o1.ID, "576461413038785000"})
	require.NoError(t, err)
	require.Len(t, got, 2, "unknown ids are left out")
	byID := map[string]channels.Order{got[0].ExternalID: got[0], got[1].ExternalID: got[1]}
	requireRoundTrip(t, o1, byID[o1.ID], channels.Confirmed)
	requireRoundTrip(t, o2, byID[o2.ID], channels.Confirmed)
	for i, l := range o1.Lines {
		requireUnits(t, l, byID[o1.ID].Lines[i])
	}
	requireUnits(t, o2.Lines[0], byID[o2.ID].Lines[0])
	require.Equal(t, o1.Subtotal(), byID[o1.ID].Subtotal-byID[o1.ID].Discount)
	require.Regexp(t, `^\d{19}$`, byID[o1.ID].Refs[tiktokshop.RefPackageID])
	require.NotEqual(t, byID[o1.ID].Refs, byID[o2.ID].Refs)
	require.Equal(t, "7494049642642441621", byID[o1.ID].ShopID)
	require.True(t, byID[o1.ID].Paid)
	require.False(t, byID[o2.ID].Paid, "COD is paid on delivery")
	require.Equal(t, o1.ShipBy.Unix(), byID[o1.ID].ShipBy.Unix())

	// Pages of one, through next_page_token.
	var pulled []string
	q := channels.PullQuery{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}
	for {
		page, err := c.Updated(ctx, q)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Orders), 1)
		for _, o := range page.Orders {
			pulled = append(pulled, o.ExternalID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, []string{o1.ID, o2.ID}, pulled)
	page, err := c.Updated(ctx, channels.PullQuery{Since: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	require.Empty(t, page.Orders, "outside the window")

	// One call per product; the unknown SKU fails alone, in a code-0 answer.
	res, err := c.PushStock(ctx, []channels.StockLevel{
		{ListingID: ttsShirt, Attrs: map[string]string{tiktokshop.AttrProductID: ttsShirtProduct}, Quantity: 7},
		{ListingID: "1729592969712207099", Attrs: map[string]string{tiktokshop.AttrProductID: ttsShirtProduct}, Quantity: 1},
		{ListingID: ttsBag, Attrs: map[string]string{tiktokshop.AttrProductID: ttsBagProduct}, Quantity: 0},
		{ListingID: ttsBag, Attrs: map[string]string{tiktokshop.AttrProductID: "1729382561353664999"}, Quantity: 4},
	})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.ErrorIs(t, res[1].Err, channels.ErrRefused)
	require.ErrorContains(t, res[1].Err, "12052556")
	require.NoError(t, res[2].Err)
	require.ErrorIs(t, res[3].Err, channels.ErrRefused)
	require.ErrorContains(t, res[3].Err, "12052032")
	pushes := sh.Pushes()
	require.Len(t, pushes, 2)
	require.Equal(t, []marketsim.Push{{At: pushes[0].At, ListingID: ttsShirt, Quantity: 7}, {At: pushes[1].At, ListingID: ttsBag, Quantity: 0}}, pushes)

	// The seller ships with its own tracking number; the package comes from the order's Refs.
	ship := channels.Shipment{OrderID: o1.ID, Carrier: ttsProvider, TrackingNumber: "JX12345", Refs: byID[o1.ID].Refs}
	require.NoError(t, c.ConfirmShipment(ctx, ship))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	err = c.ConfirmShipment(ctx, ship)
	require.ErrorIs(t, err, channels.ErrRefused, "shipped twice")
	require.ErrorContains(t, err, "21011040")
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, "IN_TRANSIT", got[0].ChannelStatus)
	require.Equal(t, "JX12345", got[0].TrackingNumber)
	require.Equal(t, "TT Virtual express", got[0].Carrier)
	w = hook.wait(t, 3)
	n, err = c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "ORDER_STATUS_CHANGE:IN_TRANSIT", n.Topic)

	// A partial cancel is refused by this market; the whole order is cancelled.
	err = c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Lines: []channels.ShipmentLine{{SKU: "BAG", UnitIDs: byID[o2.ID].Lines[0].UnitIDs[:1], Quantity: 1}}})
	require.ErrorIs(t, err, channels.ErrRefused)
	require.ErrorContains(t, err, "25005010")
	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o2.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	confs := sh.Confirmations()
	require.Equal(t, tiktokshop.DefaultCancelReason, confs[len(confs)-1].Reason)
	w = sent(t, hook, sh, 4)
	n, err = c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "ORDER_STATUS_CHANGE:CANCEL", n.Topic, "the webhook says CANCEL")
	got, err = c.Orders(ctx, []string{o2.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Cancelled, got[0].Status)
	require.Equal(t, "CANCELLED", got[0].ChannelStatus, "the order API says CANCELLED")
	require.ErrorIs(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o2.ID}), channels.ErrRefused, "cancelled twice")
}

func TestTikTokShopRefusesBadCredentials(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: ttsBag, Quantity: 1}}})
	require.NoError(t, err)

	tests := []struct {
		name  string
		spoil func(*channels.Account)
		code  string
	}{
		{"wrong access token", func(a *channels.Account) { a.AccessToken = "wrong" }, "x-tts-access-token"},
		{"wrong app secret (bad sign)", func(a *channels.Account) { a.AppSecret = "wrong" }, "106001"},
		{"wrong app key", func(a *channels.Account) { a.AppKey = "wrong" }, "app_key"},
		{"wrong shop cipher", func(a *channels.Account) {
			a.Extra = map[string]string{tiktokshop.ExtraShopCipher: "ROW_other"}
		}, "shop_cipher"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sh.Account()
			tt.spoil(&a)
			bad, err := tiktokshop.NewClient(a, nil)
			require.NoError(t, err)
			_, err = bad.Orders(ctx, []string{o.ID})
			require.True(t, errors.Is(err, channels.ErrRefused), "%v", err)
			require.ErrorContains(t, err, "HTTP 401")
			require.ErrorContains(t, err, tt.code)
			require.Equal(t, i+1, sh.Refused())
		})
	}
	good, err := tiktokshop.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	got, err := good.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, len(tests), sh.Refused(), "good calls are not counted")
}

// TestTikTokShopSignsOverTheBody checks that the face verifies the sign over the raw body: a
// request whose body was changed after signing is refused.
func TestTikTokShopSignsOverTheBody(t *testing.T) {
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	a := sh.Account()
	body := []byte(`{"update_time_ge":1}`)
	q := map[string]string{"app_key": a.AppKey, "timestamp": strconv.FormatInt(time.Now().Unix(), 10), "shop_cipher": a.Extra[tiktokshop.ExtraShopCipher], "page_size": "10"}
	sign := tiktokshop.Sign(a.AppSecret, "/order/202309/orders/search", q, body)
	post := func(b string) map[string]any {
		u := a.BaseURL + "/order/202309/orders/search?app_key=" + a.AppKey + "&timestamp=" + q["timestamp"] +
			"&shop_cipher=" + q["shop_cipher"] + "&page_size=10&sign=" + sign
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(b))
		require.NoError(t, err)
		req.Header.Set(tiktokshop.HeaderAccessToken, a.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out
	}
	require.Equal(t, float64(0), post(string(body))["code"])
	require.Equal(t, float64(106001), post(`{"update_time_ge":2}`)["code"])
	require.Equal(t, 1, sh.Refused())
}
