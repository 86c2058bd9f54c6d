package e2e_test

// Issue 8 §5, end to end: real-world payload classes that failed (numbers sent as strings, address
// levels that differ by country, items without their id, lines with no catalogue item), each
// delivered as its channel delivers it (a signed webhook; for thin notifications the order detail
// Ordo then fetches, served by the simulator from our fixture) and ingested on both databases.

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopify"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// testdata reads a fixture of a channel package, with each of its ids replaced by the simulator's.
func testdata(t *testing.T, pkg, name string, ids map[string]string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "channels", pkg, "testdata", name))
	require.NoError(t, err)
	s := string(raw)
	for from, to := range ids {
		require.Contains(t, s, from, "%s holds no %s", name, from)
		s = strings.ReplaceAll(s, from, to)
	}
	return []byte(s)
}

// part picks a JSON value out of a fixture by a path of object keys and array indexes.
func part(t *testing.T, raw []byte, path ...any) json.RawMessage {
	t.Helper()
	cur := json.RawMessage(raw)
	for _, p := range path {
		switch k := p.(type) {
		case string:
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(cur, &m))
			cur = m[k]
		case int:
			var a []json.RawMessage
			require.NoError(t, json.Unmarshal(cur, &a))
			cur = a[k]
		}
		require.NotEmpty(t, cur, "no %v in the fixture", path)
	}
	return cur
}

// heldOrder creates an order on a shop whose webhooks are held, and returns it with the webhook
// the shop signed for it, for the test to deliver.
func heldOrder(t *testing.T, sh *marketsim.Shop, sku string, qty int64) (*marketsim.Order, marketsim.Delivery) {
	t.Helper()
	sh.Hold(true)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sh, sku), Quantity: qty}}})
	require.NoError(t, err)
	ds := sh.Deliveries()
	require.NotEmpty(t, ds)
	return o, ds[len(ds)-1]
}

// shopifyWebhook delivers body as an orders/create webhook, signed as Shopify signs it.
func shopifyWebhook(t *testing.T, sh *marketsim.Shop, d marketsim.Delivery, body []byte) {
	t.Helper()
	d.Body = body
	d.Header = d.Header.Clone()
	d.Header.Set(shopify.HeaderHMAC, shopify.Sign(sh.Config().Credentials.AppSecret, body))
	require.Equal(t, http.StatusOK, sh.Redeliver(d))
}

// ingested waits for Ordo's copy of a channel order (in any status) and returns it with its lines.
func ingested(t *testing.T, srv *ordotest.Server, channelID pulid.ID, externalID string) (*ent.Order, []*ent.OrderLine) {
	t.Helper()
	var o *ent.Order
	require.Eventually(t, func() bool {
		var err error
		o, err = srv.Inst.DB.Client.Order.Query().Where(order.ChannelID(channelID), order.ExternalID(externalID)).Only(context.Background())
		return err == nil
	}, channelWait, 10*time.Millisecond, "order %s of %s never arrived", externalID, channelID)
	lines, err := o.QueryLines().Order(ent.Asc(orderline.FieldExternalLineID)).All(context.Background())
	require.NoError(t, err)
	return o, lines
}

// reserved is how many units an order line holds reserved.
func reserved(t *testing.T, srv *ordotest.Server, l *ent.OrderLine) int64 {
	t.Helper()
	as, err := srv.Inst.DB.Client.Allocation.Query().Where(allocation.LineID(l.ID), allocation.StatusEQ(allocation.StatusOPEN)).All(context.Background())
	require.NoError(t, err)
	var n int64
	for _, a := range as {
		n += a.Quantity
	}
	return n
}

func TestChannelFidelityEndToEnd(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv, m := channelShop(t, url, demo.MarketOptions{Currency: "THB",
			Kinds: []channels.Kind{channels.Shopify, channels.Lazada, channels.TikTokShop, channels.POS}})
		ctx := context.Background()

		t.Run("numbers sent as strings", func(t *testing.T) {
			sh := m.Shops[channels.Shopify]
			so, d := heldOrder(t, sh, "TEE-M", 2)
			shopifyWebhook(t, sh, d, testdata(t, "shopify", "ours_orders_create_quoted_numbers.json", map[string]string{"5802360143995": so.ID}))
			o := channelOrder(t, srv, m.Channels[channels.Shopify], so.ID, order.StatusALLOCATED)
			require.NotNil(t, o.ShippingAddress.Latitude, "a quoted latitude is read, not refused")
			require.InDelta(t, 13.7246, *o.ShippingAddress.Latitude, 1e-9)
			require.InDelta(t, 100.5662, *o.ShippingAddress.Longitude, 1e-9)
			require.Equal(t, int64(63000), o.TotalAmount)
			_, lines := ingested(t, srv, m.Channels[channels.Shopify], so.ID)
			require.Len(t, lines, 1)
			require.Equal(t, "TEE-M", lines[0].Sku)
			require.Equal(t, int64(2), lines[0].Quantity, "a quoted quantity")
			require.Equal(t, int64(2), reserved(t, srv, lines[0]))
		})

		t.Run("items without sku_id map by shop_sku", func(t *testing.T) {
			sh := m.Shops[channels.Lazada]
			so, d := heldOrder(t, sh, "TEE-M", 2)
			ids := map[string]string{"640112233445566": so.ID, "10723473521": listingOf(t, sh, "TEE-M")}
			sh.SetRaw(so.ID, marketsim.RawOrder, part(t, testdata(t, "lazada", "ours_getorder_numbers.json", map[string]string{"640112233445566": so.ID}), "data"))
			sh.SetRaw(so.ID, marketsim.RawItems, part(t, testdata(t, "lazada", "ours_getmultipleorderitems_no_sku_id.json", ids), "data", 0, "order_items"))
			require.Equal(t, http.StatusOK, sh.Redeliver(d))
			o := channelOrder(t, srv, m.Channels[channels.Lazada], so.ID, order.StatusALLOCATED)
			_, lines := ingested(t, srv, m.Channels[channels.Lazada], so.ID)
			require.Len(t, lines, 1)
			require.Equal(t, orderline.KindSTOCK, lines[0].Kind, "mapped through the SkuId in shop_sku, not the unknown seller SKU")
			require.Equal(t, "TEE-M", lines[0].Sku)
			require.Equal(t, int64(2), reserved(t, srv, lines[0]))
			require.Equal(t, int64(61800), o.TotalAmount, "amounts sent as numbers")
			requireEvent(t, srv, o.ID, "order.channel_alert", 0)
		})

		t.Run("address levels by country", func(t *testing.T) {
			sh := m.Shops[channels.TikTokShop]
			so, d := heldOrder(t, sh, "TEE-M", 2)
			raw := testdata(t, "tiktokshop", "ours_get-order-detail_ID_district_levels.json",
				map[string]string{"579123456789012345": so.ID, "1729600000000000001": listingOf(t, sh, "TEE-M")})
			sh.SetRaw(so.ID, marketsim.RawOrder, part(t, raw, "data", "orders", 0))
			require.Equal(t, http.StatusOK, sh.Redeliver(d))
			o, lines := ingested(t, srv, m.Channels[channels.TikTokShop], so.ID)
			a := o.ShippingAddress
			require.Equal(t, "ID", a.CountryCode)
			require.Equal(t, "Kota Jakarta Pusat", a.City, "L2 is an Indonesian address's city")
			require.Equal(t, "DKI Jakarta", a.Region)
			require.Contains(t, a.Line2, "Tanah Abang")
			require.Equal(t, "IDR", o.Currency)
			require.Len(t, lines, 1)
			require.Equal(t, int64(2), lines[0].Quantity)
		})

		t.Run("a till sale with a custom amount and a tip", func(t *testing.T) {
			sh := m.Shops[channels.POS]
			so, d := heldOrder(t, sh, "TEE-M", 2)
			raw := testdata(t, "pos", "ours_RetrieveOrderResponse_custom_amount_tip.json",
				map[string]string{"Cq3WJ7eK2mXpR8vLtN4sYbHz9FgZY": so.ID, "W62UWFY35CWMYGVW00000000": listingOf(t, sh, "TEE-M")})
			sh.SetRaw(so.ID, marketsim.RawOrder, part(t, raw, "order"))
			require.Equal(t, http.StatusOK, sh.Redeliver(d))
			o := channelOrder(t, srv, m.Channels[channels.POS], so.ID, order.StatusALLOCATED)
			require.Equal(t, int64(7500), o.TotalAmount)
			require.Equal(t, int64(7500), o.SubtotalAmount, "the custom amount and the tip count in the subtotal")

			var got struct {
				Node struct {
					Lines []struct {
						Sku, Kind         string
						Name              *string
						Quantity          int64
						AllocatedQuantity int64
						UnitPrice         struct{ Amount int64 }
					}
				}
			}
			srv.Admin().MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { lines { sku kind name quantity allocatedQuantity unitPrice { amount } } } } }`,
				map[string]any{"id": o.ID}, &got)
			kinds := map[string]string{}
			for _, l := range got.Node.Lines {
				require.NotNil(t, l.Name)
				kinds[*l.Name] = l.Kind
				switch *l.Name {
				case "Tee":
					require.Equal(t, "TEE-M", l.Sku)
					require.Equal(t, int64(2), l.AllocatedQuantity, "the stock line is reserved")
				case "Alterations":
					require.Equal(t, int64(1500), l.UnitPrice.Amount)
					require.Zero(t, l.AllocatedQuantity)
				case "Tip":
					require.Equal(t, int64(200), l.UnitPrice.Amount)
					require.Zero(t, l.AllocatedQuantity)
				}
			}
			require.Equal(t, map[string]string{"Tee": "STOCK", "Alterations": "NON_STOCK", "Tip": "NON_STOCK"}, kinds)
			requireEvent(t, srv, o.ID, "order.channel_alert", 0)

			// A replay changes nothing: still one order, its reservation and its events.
			events, err := srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(o.ID))).Count(ctx)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, sh.Redeliver(d))
			waitJobsDone(t, srv)
			after, err := srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(o.ID))).Count(ctx)
			require.NoError(t, err)
			require.Equal(t, events, after)
		})

		t.Run("custom item, tip, and an item Ordo does not list", func(t *testing.T) {
			sh := m.Shops[channels.Shopify]
			so, d := heldOrder(t, sh, "CAP", 1)
			shopifyWebhook(t, sh, d, testdata(t, "shopify", "ours_orders_create_custom_item_tip.json", map[string]string{"5802360144123": so.ID}))
			o := channelOrder(t, srv, m.Channels[channels.Shopify], so.ID, order.StatusALLOCATED)
			_, lines := ingested(t, srv, m.Channels[channels.Shopify], so.ID)
			require.Len(t, lines, 3)
			require.Equal(t, orderline.KindSTOCK, lines[0].Kind)
			require.Equal(t, int64(1), reserved(t, srv, lines[0]))
			for _, l := range lines[1:] {
				require.Equal(t, orderline.KindNON_STOCK, l.Kind, l.Name)
				require.Nil(t, l.VariantID)
				require.Zero(t, reserved(t, srv, l))
			}
			require.Equal(t, int64(48500), o.TotalAmount)
			requireEvent(t, srv, o.ID, "order.channel_alert", 0)

			// The same order with a SKU nobody listed: taken, the line kept without stock, and an
			// alert says which, instead of a refusal and a fetch again forever.
			so, d = heldOrder(t, sh, "CAP", 1)
			body := testdata(t, "shopify", "ours_orders_create_custom_item_tip.json", map[string]string{
				"5802360144123": so.ID, `"sku": "CAP"`: `"sku": "CAP-RETIRED-2019"`, "44012345678902": "44099999999999"})
			shopifyWebhook(t, sh, d, body)
			o, lines = ingested(t, srv, m.Channels[channels.Shopify], so.ID)
			require.Equal(t, orderline.KindUNMAPPED, lines[0].Kind)
			require.Equal(t, "CAP-RETIRED-2019", lines[0].Sku)
			require.Zero(t, reserved(t, srv, lines[0]))
			requireEvent(t, srv, o.ID, "order.channel_alert", 1)
		})

		srv.Audit(t)
	})
}

// waitJobsDone waits until no channel job is left to run.
func waitJobsDone(t *testing.T, srv *ordotest.Server) {
	t.Helper()
	require.Eventually(t, func() bool {
		var n int
		err := srv.Inst.DB.SQL.QueryRowContext(context.Background(),
			"SELECT count(*) FROM river_job WHERE kind IN ('channel_order', 'channel_fetch') AND state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&n)
		return err == nil && n == 0
	}, channelWait, 10*time.Millisecond)
}
