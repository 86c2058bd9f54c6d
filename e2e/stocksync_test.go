package e2e_test

// Issue 4's stock sync: coalesced pushes, retries through a channel outage, jobs that outlive the
// process, buffers, and listings that are bundles.

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/ordotest"
)

func receiveStock(t *testing.T, srv *ordotest.Server, sku string, loc pulid.ID, q int64) {
	t.Helper()
	_, err := srv.Inst.Inventory.Receive(auth.NewContext(context.Background(), auth.System), inventory.Receive{SKU: sku, LocationID: loc, Quantity: q})
	require.NoError(t, err)
}

// pushesOf counts a shop's pushes for a listing.
func pushesOf(sh *marketsim.Shop, listingID string) int {
	n := 0
	for _, p := range sh.Pushes() {
		if p.ListingID == listingID {
			n++
		}
	}
	return n
}

// A burst of stock changes while a channel is down becomes one push of the latest number once it is
// back; a push still owed when Ordo stops is made by the next process.
func TestStockSyncCoalescesRetriesAndSurvivesRestart(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		kinds := []channels.Kind{channels.Shopify, channels.Shopee}
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: kinds})
		requireStock(t, m, "TEE-M", 40)
		loc := locationOf(t, srv, "BKK-1")

		for _, sh := range m.Shops {
			sh.SetDown(true)
		}
		for range 20 {
			receiveStock(t, srv, "TEE-M", loc, 1)
		}
		// Both channels' pushes fail and wait to be retried.
		require.Eventually(t, func() bool {
			n, err := srv.Inst.DB.Client.ChannelListing.Query().Where(channellisting.LastPushErrorNEQ("")).Count(context.Background())
			return err == nil && n == len(kinds)
		}, channelWait, 10*time.Millisecond)
		before := map[channels.Kind]int{}
		for kind, sh := range m.Shops {
			before[kind] = pushesOf(sh, listingOf(t, sh, "TEE-M"))
			sh.SetDown(false)
		}
		requireStock(t, m, "TEE-M", 60)
		for kind, sh := range m.Shops {
			require.LessOrEqual(t, pushesOf(sh, listingOf(t, sh, "TEE-M"))-before[kind], 2, "%s: 20 changes make at most two calls", kind)
		}

		// The channels go down again, more stock arrives, and Ordo stops before it could tell them.
		for _, sh := range m.Shops {
			sh.SetDown(true)
		}
		receiveStock(t, srv, "TEE-M", loc, 5)
		require.Eventually(t, func() bool {
			n, err := srv.Inst.DB.Client.ChannelListing.Query().Where(channellisting.LastPushErrorNEQ(""), channellisting.LastPushedQuantity(60)).Count(context.Background())
			return err == nil && n == len(kinds)
		}, channelWait, 10*time.Millisecond)
		srv.Stop()
		for _, sh := range m.Shops {
			sh.SetDown(false)
		}
		ordotest.Start(t, url) // the next process, on the same store
		requireStock(t, m, "TEE-M", 65)
	})
}

func locationOf(t *testing.T, srv *ordotest.Server, code string) pulid.ID {
	t.Helper()
	ls, err := srv.Inst.DB.Client.Location.Query().All(context.Background())
	require.NoError(t, err)
	for _, l := range ls {
		if l.Code == code {
			return l.ID
		}
	}
	t.Fatalf("no location %s", code)
	return ""
}

// Channels are offered available stock less their buffer; a listing that is a bundle is offered as
// many whole bundles as the stock makes, and its orders reserve the components.
func TestStockSyncBuffersAndBundles(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := auth.NewContext(context.Background(), auth.System)
		wh := warehouse(t, srv)
		srv.SKU(t, "TEE-M", map[pulid.ID]int64{wh: 40})
		srv.SKU(t, "CAP", map[pulid.ID]int64{wh: 20})
		srv.SKU(t, "SET", nil)
		_, err := srv.Inst.Catalog.SetBundleComponents(ctx, "SET", []catalog.Component{{SKU: "TEE-M", Quantity: 2}, {SKU: "CAP", Quantity: 1}})
		require.NoError(t, err)
		products := append(channelProducts, marketsim.Product{SKU: "SET", Name: "Tee pair and cap", Price: 6500})
		fixed := srv.ConnectMarket(t, ordotest.MarketOptions{MarketOptions: demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify}, Products: products,
			Buffer: map[string]any{"kind": "FIXED", "value": 5}}})
		percent := srv.ConnectMarket(t, ordotest.MarketOptions{MarketOptions: demo.MarketOptions{Kinds: []channels.Kind{channels.Shopee}, Products: products,
			Buffer: map[string]any{"kind": "PERCENT", "value": 10}}})

		requireStock(t, fixed, "TEE-M", 35)   // 40 − 5
		requireStock(t, percent, "TEE-M", 36) // 40 − ⌈4⌉
		requireStock(t, fixed, "SET", 15)     // min(40/2, 20/1) − 5
		requireStock(t, percent, "CAP", 18)   // 20 − 2

		sh := fixed.Shops[channels.Shopify]
		so, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, "SET"), Quantity: 3}}})
		require.NoError(t, err)
		o := channelOrder(t, srv, fixed.Channels[channels.Shopify], so.ID, order.StatusALLOCATED)
		lines, err := o.QueryLines().All(context.Background())
		require.NoError(t, err)
		require.Len(t, lines, 1)
		require.Equal(t, "SET", lines[0].Sku)
		// 6 TEE-M and 3 CAP reserved: 34 and 17 left, 17 sets.
		requireStock(t, fixed, "TEE-M", 29)
		requireStock(t, fixed, "SET", 12)
		requireStock(t, percent, "TEE-M", 30) // 34 − ⌈3.4⌉
		requireStock(t, percent, "SET", 15)   // 17 − ⌈1.7⌉
		srv.Audit(t)
	})
}

// A disabled channel takes no orders and hears no stock; enabled again, it is told its stock and a
// pull brings in what it sold meanwhile.
func TestChannelDisabledThenEnabled(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify, channels.Shopee}})
		admin := srv.Admin()
		requireStock(t, m, "TEE-M", 40)
		shopee, shopify := m.Shops[channels.Shopee], m.Shops[channels.Shopify]
		enable := func(on bool) {
			admin.MustDo(t, `mutation($id: ID!, $on: Boolean!) { setChannelEnabled(input: {channelID: $id, enabled: $on}) { channel { active } } }`,
				map[string]any{"id": m.Channels[channels.Shopee], "on": on}, nil)
		}
		enable(false)
		// Ordo reads its channel rows afresh every couple of seconds: wait until it has taken the change.
		require.Eventually(t, func() bool {
			so := order2(t, shopee)
			require.Eventually(t, func() bool { ds := shopee.Deliveries(); return ds[len(ds)-1].Status == http.StatusOK }, channelWait, 5*time.Millisecond)
			waitIdle(t, srv)
			n, err := srv.Inst.DB.Client.Order.Query().Where(order.ExternalID(so.ID)).Count(context.Background())
			require.NoError(t, err)
			return n == 0
		}, channelWait, 10*time.Millisecond, "a disabled channel's webhook still made an order")
		receiveStock(t, srv, "TEE-M", locationOf(t, srv, "BKK-1"), 5)
		idShopify, idShopee := listingOf(t, shopify, "TEE-M"), listingOf(t, shopee, "TEE-M")
		require.Eventually(t, func() bool { return lastPush(shopify, idShopify) >= 41 }, channelWait, 10*time.Millisecond)
		waitPushes(t, srv)
		told := lastPush(shopee, idShopee)

		enable(true)
		want := lastPush(shopify, idShopify)
		require.Eventually(t, func() bool { return lastPush(shopee, idShopee) == want }, channelWait, 10*time.Millisecond,
			"enabled again, Shopee is told %d (it was told %d while disabled)", want, told)
		require.NotEqual(t, want, told, "a disabled channel heard of the receipt")
		admin.MustDo(t, `mutation($id: ID!) { pullChannelOrders(input: {channelID: $id}) { queued } }`, map[string]any{"id": m.Channels[channels.Shopee]}, nil)
		for _, so := range shopee.Orders() {
			channelOrder(t, srv, m.Channels[channels.Shopee], so.ID, order.StatusALLOCATED)
		}
		srv.Audit(t)
	})
}

// waitPushes waits until no stock push waits or runs.
func waitPushes(t *testing.T, srv *ordotest.Server) {
	t.Helper()
	require.Eventually(t, func() bool {
		var n int
		err := srv.Inst.DB.SQL.QueryRowContext(context.Background(),
			"SELECT count(*) FROM river_job WHERE kind = 'stock_push' AND state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&n)
		return err == nil && n == 0
	}, channelWait, 10*time.Millisecond)
}
