package e2e_test

// Issue 4, end to end through the marketplace simulator: six channels connected through the API,
// orders arriving by webhook (and by pull for Meta, and for every channel on demand), stock
// reserved, every channel told the new quantity, shipments and cancellations flowing back, and
// channel cancellations releasing stock.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/ordotest"
)

// channelWait bounds what the channel tests wait for: webhooks, jobs, pulls and pushes.
const channelWait = 30 * time.Second

var channelProducts = []marketsim.Product{{SKU: "TEE-M", Name: "Tee M", Price: 2900}, {SKU: "CAP", Name: "Cap", Price: 1500}}

// channelShop is an Ordo with one warehouse holding TEE-M and CAP, connected to all six channels.
func channelShop(t *testing.T, url string, opt demo.MarketOptions) (*ordotest.Server, *ordotest.Market) {
	t.Helper()
	srv := ordotest.Start(t, url)
	wh := warehouse(t, srv)
	srv.SKU(t, "TEE-M", map[pulid.ID]int64{wh: 40})
	srv.SKU(t, "CAP", map[pulid.ID]int64{wh: 20})
	opt.Products = channelProducts
	return srv, srv.ConnectMarket(t, ordotest.MarketOptions{MarketOptions: opt})
}

// warehouse creates BKK-1, in Bangkok, where the simulator's buyers live.
func warehouse(t *testing.T, srv *ordotest.Server) pulid.ID {
	t.Helper()
	lat, lng := 13.75, 100.5
	wh, err := srv.Inst.Catalog.CreateLocation(auth.NewContext(context.Background(), auth.System), ent.CreateLocationInput{
		Code: "BKK-1", Name: "Bangkok", Kind: location.KindWAREHOUSE, ShipsTo: []string{"TH"},
		Address: &schema.Address{City: "Bangkok", CountryCode: "TH", Latitude: &lat, Longitude: &lng},
	})
	require.NoError(t, err)
	return wh.ID
}

// channelOrder waits for Ordo's copy of a channel order and returns it once it is in status.
func channelOrder(t *testing.T, srv *ordotest.Server, channelID pulid.ID, externalID string, status order.Status) *ent.Order {
	t.Helper()
	var o *ent.Order
	require.Eventually(t, func() bool {
		var err error
		o, err = srv.Inst.DB.Client.Order.Query().Where(order.ChannelID(channelID), order.ExternalID(externalID)).Only(context.Background())
		return err == nil && o.Status == status
	}, channelWait, 10*time.Millisecond, "order %s of %s never reached %s (last: %+v)", externalID, channelID, status, o)
	return o
}

// lastPush is the quantity a shop was last told for a listing, or -1.
func lastPush(sh *marketsim.Shop, listingID string) int64 {
	q := int64(-1)
	for _, p := range sh.Pushes() {
		if p.ListingID == listingID {
			q = p.Quantity
		}
	}
	return q
}

// requireStock waits until every shop was last told want for the listing of sku.
func requireStock(t *testing.T, m *ordotest.Market, sku string, want int64) {
	t.Helper()
	for kind, sh := range m.Shops {
		id := listingOf(t, sh, sku)
		require.Eventually(t, func() bool { return lastPush(sh, id) == want }, channelWait, 10*time.Millisecond,
			"%s was not told %d of %s (last %d)", kind, want, sku, lastPush(sh, id))
	}
}

func listingOf(t *testing.T, sh *marketsim.Shop, sku string) string {
	t.Helper()
	for _, l := range sh.Config().Listings {
		if l.SKU == sku {
			return l.ID
		}
	}
	t.Fatalf("%s has no listing of %s", sh.Kind(), sku)
	return ""
}

func order2(t *testing.T, sh *marketsim.Shop) *marketsim.Order {
	t.Helper()
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{
		{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 2}, {ListingID: listingOf(t, sh, "CAP"), Quantity: 1},
	}, Shipping: 300})
	require.NoError(t, err)
	return o
}

func TestChannelsEndToEnd(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{})
		admin := srv.Admin()

		// Every channel is told the stock of every listing as soon as it is connected.
		requireStock(t, m, "TEE-M", 40)
		requireStock(t, m, "CAP", 20)

		// Orders arrive: by webhook, and by pull for Meta; each is reserved.
		got := map[channels.Kind]*ent.Order{}
		for _, kind := range marketsim.Kinds {
			so := order2(t, m.Shops[kind])
			o := channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusALLOCATED)
			require.Equal(t, so.Currency, o.Currency)
			require.Equal(t, so.Total(), o.TotalAmount, "%s total", kind)
			lines, err := o.QueryLines().All(context.Background())
			require.NoError(t, err)
			require.Len(t, lines, 2, kind)
			require.Equal(t, "TEE-M", lines[0].Sku)
			require.Equal(t, int64(2), lines[0].Quantity)
			got[kind] = o
		}
		// Six orders took 12 TEE-M and 6 CAP: every channel hears it.
		requireStock(t, m, "TEE-M", 28)
		requireStock(t, m, "CAP", 14)

		// Ordo ships: each channel receives the shipment with its tracking number, and its own
		// status change (its webhook) changes nothing more in Ordo.
		for kind, o := range got {
			admin.MustDo(t, `mutation($id: ID!, $t: String!) { shipOrder(input: {orderID: $id, carrier: "Kerry", trackingNumber: $t}) { order { status } } }`,
				map[string]any{"id": o.ID, "t": "KER-" + string(kind)}, nil)
		}
		for kind, o := range got {
			sh := m.Shops[kind]
			require.Eventually(t, func() bool {
				so, _ := sh.Order(*o.ExternalID)
				return so.Status == marketsim.Shipped
			}, channelWait, 10*time.Millisecond, "%s never heard of the shipment", kind)
			c := sh.Confirmations()
			require.Len(t, c, 1, kind)
			require.True(t, c[0].Shipped)
			if kind != channels.Shopee && kind != channels.Lazada { // Shopee and Lazada assign their own tracking numbers
				require.Equal(t, "KER-"+string(kind), c[0].Tracking, kind)
			}
			requireEvent(t, srv, o.ID, "order.channel_confirmed", 1)
		}
		// Shipping took the units off hand; available is unchanged by it.
		requireStock(t, m, "TEE-M", 28)

		// A buyer cancels on the channel: Ordo cancels and gives the stock back, and every channel
		// hears the new quantity. Ordo does not confirm a cancellation the channel made itself.
		for _, kind := range marketsim.Kinds {
			sh := m.Shops[kind]
			so := order2(t, sh)
			channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusALLOCATED)
			require.NoError(t, sh.SetStatus(so.ID, marketsim.Cancelled, "buyer changed their mind"))
			o := channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusCANCELLED)
			require.Len(t, sh.Confirmations(), 1, "%s: no confirmation of its own cancellation", kind)
			requireMovements(t, srv, o.ID, inventorymovement.KindRELEASE, 2)
		}
		requireStock(t, m, "TEE-M", 28)
		requireStock(t, m, "CAP", 14)

		// Ordo cancels: the channel is told.
		for _, kind := range marketsim.Kinds {
			sh := m.Shops[kind]
			so := order2(t, sh)
			o := channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusALLOCATED)
			admin.MustDo(t, `mutation($id: ID!) { cancelOrder(input: {orderID: $id, reason: "out of stock"}) { order { status } } }`,
				map[string]any{"id": o.ID}, nil)
			require.Eventually(t, func() bool {
				s, _ := sh.Order(so.ID)
				return s.Status == marketsim.Cancelled
			}, channelWait, 10*time.Millisecond, "%s never heard of the cancellation", kind)
			requireEvent(t, srv, o.ID, "order.channel_confirmed", 1)
		}
		requireStock(t, m, "TEE-M", 28)

		// Pull: with webhooks lost, pullChannelOrders brings the orders in.
		pulled := map[channels.Kind]string{}
		for _, kind := range marketsim.Kinds {
			sh := m.Shops[kind]
			endpoint := sh.Config().WebhookURL
			sh.SetWebhookURL("")
			pulled[kind] = order2(t, sh).ID
			sh.SetWebhookURL(endpoint)
			admin.MustDo(t, `mutation($id: ID!) { pullChannelOrders(input: {channelID: $id}) { queued } }`, map[string]any{"id": m.Channels[kind]}, nil)
		}
		for kind, id := range pulled {
			channelOrder(t, srv, m.Channels[kind], id, order.StatusALLOCATED)
		}
		requireStock(t, m, "TEE-M", 16)

		// The sync status says nothing waits.
		var st struct {
			Channels struct {
				Edges []struct {
					Node struct {
						Kind      string
						StockSync struct{ Listings, Pending, Failing int }
					}
				}
			}
		}
		require.Eventually(t, func() bool {
			admin.MustDo(t, `{ channels { edges { node { kind stockSync { listings pending failing } } } } }`, nil, &st)
			for _, e := range st.Channels.Edges {
				if e.Node.StockSync.Pending != 0 || e.Node.StockSync.Listings != 2 || e.Node.StockSync.Failing != 0 {
					return false
				}
			}
			return len(st.Channels.Edges) == 6
		}, channelWait, 20*time.Millisecond, "sync status: %+v", st)
		srv.Audit(t)
	})
}

// requireEvent waits for n events of a type on an order.
func requireEvent(t *testing.T, srv *ordotest.Server, orderID pulid.ID, typ string, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		c, err := srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(orderID)), event.Type(typ)).Count(context.Background())
		return err == nil && c == n
	}, channelWait, 10*time.Millisecond, "order %s: want %d %s events", orderID, n, typ)
}

// requireMovements checks how many ledger movements of a kind reference an order.
func requireMovements(t *testing.T, srv *ordotest.Server, orderID pulid.ID, kind inventorymovement.Kind, n int) {
	t.Helper()
	c, err := srv.Inst.DB.Client.InventoryMovement.Query().
		Where(inventorymovement.Reference(string(orderID)), inventorymovement.KindEQ(kind)).Count(context.Background())
	require.NoError(t, err)
	require.Equal(t, n, c, "order %s: %s movements", orderID, kind)
}

// Each webhook delivered three times and out of order yields one order, in the latest state, with
// one reservation (and its release), one placed event and one cancellation: worked on while the
// webhook waits, and queued as jobs.
func TestChannelWebhooksReplayedOutOfOrder(t *testing.T) {
	for _, inline := range []int{ingestion.DefaultInline, 0} {
		t.Run(fmt.Sprintf("inline=%d", inline), func(t *testing.T) {
			dbtest.EachURL(t, func(t *testing.T, url string) { replayOutOfOrder(t, url, inline) })
		})
	}
}

func replayOutOfOrder(t *testing.T, url string, inline int) {
	srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify, channels.Shopee, channels.Lazada, channels.TikTokShop, channels.POS}})
	srv.Inst.Ingestion.SetInline(inline)
	for kind, sh := range m.Shops {
		sh.Hold(true)
		so := order2(t, sh)
		require.NoError(t, sh.SetStatus(so.ID, marketsim.Cancelled, "buyer cancelled"))
		ds := sh.Deliveries()
		created, cancelled := ds[0], ds[len(ds)-1]
		for _, d := range []marketsim.Delivery{cancelled, created, cancelled, created, created, cancelled} {
			require.Equal(t, http.StatusOK, sh.Redeliver(d), kind)
		}
		o := channelOrder(t, srv, m.Channels[kind], so.ID, order.StatusCANCELLED)
		waitIdle(t, srv)
		n, err := srv.Inst.DB.Client.Order.Query().Where(order.ChannelID(m.Channels[kind]), order.ExternalID(so.ID)).Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, n, kind)
		require.Equal(t, order.StatusCANCELLED, o.Status)
		requireMovements(t, srv, o.ID, inventorymovement.KindRESERVATION, 2)
		requireMovements(t, srv, o.ID, inventorymovement.KindRELEASE, 2)
		requireEvent(t, srv, o.ID, "order.placed", 1)
		moves, err := srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(o.ID)), event.Type("order.status_changed")).All(context.Background())
		require.NoError(t, err)
		cancels := 0
		for _, e := range moves {
			if e.Data["to"] == "CANCELLED" {
				cancels++
			}
		}
		require.Equal(t, 1, cancels, "%s: one cancellation", kind)
	}
	srv.Audit(t)
}

// waitIdle waits until no ingestion job waits or runs.
func waitIdle(t *testing.T, srv *ordotest.Server) {
	t.Helper()
	require.Eventually(t, func() bool {
		var n int
		err := srv.Inst.DB.SQL.QueryRowContext(context.Background(),
			"SELECT count(*) FROM river_job WHERE kind IN ('channel_order', 'channel_fetch') AND state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&n)
		return err == nil && n == 0
	}, channelWait, 10*time.Millisecond)
}

// A webhook with a missing or wrong signature is refused with 401 and stores nothing.
func TestChannelWebhookSignatures(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Kinds: []channels.Kind{channels.Shopify, channels.Shopee, channels.Lazada, channels.TikTokShop, channels.POS}})
		for kind, sh := range m.Shops {
			sh.Hold(true)
			order2(t, sh)
			ds := sh.Deliveries()
			d := ds[len(ds)-1]
			before := storeCounts(t, srv)
			tampered := d
			tampered.Body = bytes.Replace(d.Body, []byte(`"`), []byte(`'`), 1)
			unsigned := d
			unsigned.Header = d.Header.Clone()
			for k := range unsigned.Header {
				if k != "Content-Type" && k != "X-Shopify-Topic" {
					unsigned.Header.Del(k)
				}
			}
			require.Equal(t, http.StatusUnauthorized, sh.Redeliver(tampered), "%s tampered", kind)
			require.Equal(t, http.StatusUnauthorized, sh.Redeliver(unsigned), "%s unsigned", kind)
			wrongShop := d
			wrongShop.URL = srv.URL + "/webhooks/" + fmt.Sprint(kind) + "/chn_01JD0000000000000000000000"
			require.Equal(t, http.StatusNotFound, sh.Redeliver(wrongShop), kind)
			oversized := d
			oversized.Body = bytes.Repeat([]byte(" "), 2<<20)
			require.Equal(t, http.StatusRequestEntityTooLarge, sh.Redeliver(oversized), kind)
			require.Equal(t, before, storeCounts(t, srv), "%s: a refused webhook stored something", kind)
			require.Equal(t, http.StatusOK, sh.Redeliver(d), kind)
		}
	})
}

// storeCounts counts what a webhook could have written: orders, events and jobs.
func storeCounts(t *testing.T, srv *ordotest.Server) [3]int {
	t.Helper()
	ctx := context.Background()
	o, err := srv.Inst.DB.Client.Order.Query().Count(ctx)
	require.NoError(t, err)
	e, err := srv.Inst.DB.Client.Event.Query().Count(ctx)
	require.NoError(t, err)
	var j int
	require.NoError(t, srv.Inst.DB.SQL.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind IN ('channel_order', 'channel_fetch')").Scan(&j))
	return [3]int{o, e, j}
}
