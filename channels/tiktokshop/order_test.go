package tiktokshop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// fixture reads a file of testdata (copies of ../shared/fixtures/channels/tiktok, see README).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// inUSD relabels a docs sample's currency. The samples say IDR (no minor unit) but carry a US
// address and prices such as "0.01"; every amount is kept as published.
func inUSD(t testing.TB, raw []byte) []byte {
	t.Helper()
	require.Contains(t, string(raw), `"currency":"IDR"`)
	return []byte(strings.ReplaceAll(string(raw), `"currency":"IDR"`, `"currency":"USD"`))
}

func unix(s int64) *time.Time {
	t := time.Unix(s, 0).UTC()
	return &t
}

// units builds a VND COD order of four line items (units) from the docs sample: two of one SKU, one
// cancelled unit of the same SKU, one of another SKU, with a buyer cancel request pending. It has no
// order-level packages and no tracking yet: the line items carry the package id.
func units(t testing.TB) []byte {
	t.Helper()
	var resp map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "docs_example_response_get-order-detail.json"), &resp))
	o := resp["data"].(map[string]any)["orders"].([]any)[0].(map[string]any)
	o["status"] = "AWAITING_SHIPMENT"
	o["is_cod"] = true
	o["is_buyer_request_cancel"] = true
	o["payment"] = map[string]any{
		"currency": "VND", "sub_total": "390000", "shipping_fee": "15000", "seller_discount": "10000",
		"platform_discount": "0", "total_amount": "405000", "original_total_product_price": "400000", "tax": "0",
	}
	delete(o, "packages")
	delete(o, "tracking_number")
	base := o["line_items"].([]any)[0].(map[string]any)
	delete(base, "tracking_number")
	unit := func(id, sku, skuID, price, sellerDiscount, status string) map[string]any {
		u := map[string]any{}
		for k, v := range base {
			u[k] = v
		}
		u["id"], u["seller_sku"], u["sku_id"], u["original_price"], u["sale_price"] = id, sku, skuID, price, price
		u["seller_discount"], u["display_status"], u["currency"] = sellerDiscount, status, "VND"
		return u
	}
	o["line_items"] = []any{
		unit("1001", "TEE-M", "1729000000000000001", "100000", "5000", "AWAITING_SHIPMENT"),
		unit("1002", "CAP", "1729000000000000002", "100000", "0", "AWAITING_SHIPMENT"),
		unit("1003", "TEE-M", "1729000000000000001", "100000", "5000", "AWAITING_SHIPMENT"),
		unit("1004", "TEE-M", "1729000000000000001", "100000", "0", "CANCELLED"),
	}
	b, err := json.Marshal(resp)
	require.NoError(t, err)
	return b
}

func TestNormalizeOrderFixtures(t *testing.T) {
	usAddress := channels.Address{
		Name: "David Kong", Phone: "(+1)213-***-1234", Line1: "TikTok 5800 bristol Pkwy",
		Line2:      "Suite 100, Vila Olímpia, Avenida Presidente Juscelino Kubitschek, Unit one building 8",
		PostalCode: "95110", CountryCode: "US",
	}
	buyer := channels.Buyer{ExternalID: "7021436810468230477", Email: "v2b2V5@chat.seller.tiktok.com"}
	tests := []struct {
		name string
		raw  []byte
		want channels.Order
	}{{
		name: "get order detail (202507 sample), relabelled USD",
		raw:  inUSD(t, fixture(t, "docs_example_response_get-order-detail.json")),
		want: channels.Order{
			Kind: channels.TikTokShop, ExternalID: "576461413038785752", Number: "576461413038785752",
			Status: channels.PendingPayment, ChannelStatus: "UNPAID", Paid: false, COD: false, Currency: "USD",
			Subtotal: 500000, Shipping: 500000, Discount: 500000, PlatformDiscount: 500000, Tax: 500000, Total: 500000,
			PlacedAt: *unix(1619611561), UpdatedAt: *unix(1619621355), ShipBy: unix(1619611688),
			Buyer: buyer, ShippingAddress: usAddress,
			Lines: []channels.Line{{
				SKU: "red_iphone_256", ListingID: "2729382476852921560", Name: "Women's Winter Crochet Clothes (Iphone)",
				Quantity: 1, UnitPrice: 1, UnitIDs: []string{"577086512123755123"}, Status: channels.Confirmed, // display_status TO_SHIP
			}},
			Carrier: "TT Virtual express", TrackingNumber: "JX12345",
			Refs: map[string]string{"package_id": "1152321127278713123"},
		},
	}, {
		name: "get order list (search) sample with its one order, relabelled USD",
		raw:  inUSD(t, fixture(t, "docs_example_response_get-order-list.json")),
		want: channels.Order{
			Kind: channels.TikTokShop, ExternalID: "576461413038785752", Number: "576461413038785752",
			Status: channels.PendingPayment, ChannelStatus: "UNPAID", Currency: "USD",
			Subtotal: 500000, Shipping: 500000, Discount: 500000, PlatformDiscount: 500000, Tax: 500000, Total: 500000,
			PlacedAt: *unix(1619611561), UpdatedAt: *unix(1619621355), ShipBy: unix(1619611688),
			Buyer: buyer,
			ShippingAddress: channels.Address{
				Name: "David Kong", Phone: "(+1)213-***-1234", Line1: "TikTok 5800 bristol Pkwy",
				Line2: "Suite 100, Unit one building 8", PostalCode: "95110", CountryCode: "US",
			},
			Lines: []channels.Line{{
				SKU: "red_iphone_256", ListingID: "2729382476852921560", Name: "Women's Winter Crochet Clothes (Iphone)",
				Quantity: 1, UnitPrice: 1, UnitIDs: []string{"577086512123755123"}, Status: channels.PendingPayment,
			}},
			Carrier: "TT Virtual express", TrackingNumber: "JX12345",
			Refs: map[string]string{"package_id": "1152321127278713123"},
		},
	}, {
		name: "per-unit line items, VND, COD, buyer cancel request",
		raw:  units(t),
		want: channels.Order{
			Kind: channels.TikTokShop, ExternalID: "576461413038785752", Number: "576461413038785752",
			Status: channels.CancelRequested, ChannelStatus: "AWAITING_SHIPMENT", Paid: false, COD: true, Currency: "VND",
			Subtotal: 400000, Shipping: 15000, Discount: 10000, Total: 405000,
			PlacedAt: *unix(1619611561), UpdatedAt: *unix(1619621355), ShipBy: unix(1619611688),
			Buyer: buyer, ShippingAddress: usAddress,
			Lines: []channels.Line{
				{SKU: "TEE-M", ListingID: "1729000000000000001", Name: "Women's Winter Crochet Clothes (Iphone)", Quantity: 2,
					UnitPrice: 100000, Discount: 10000, UnitIDs: []string{"1001", "1003"}, Status: channels.Confirmed},
				{SKU: "CAP", ListingID: "1729000000000000002", Name: "Women's Winter Crochet Clothes (Iphone)", Quantity: 1,
					UnitPrice: 100000, UnitIDs: []string{"1002"}, Status: channels.Confirmed},
				{SKU: "TEE-M", ListingID: "1729000000000000001", Name: "Women's Winter Crochet Clothes (Iphone)", Quantity: 1,
					UnitPrice: 100000, UnitIDs: []string{"1004"}, Status: channels.Cancelled},
			},
			// No tracking yet; the package id comes from the line items.
			Carrier: "TT Virtual express",
			Refs:    map[string]string{"package_id": "1153132168123859123"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeOrder(tt.raw)
			require.NoError(t, err)
			require.Equal(t, tt.want.Status, got.Status)
			require.Equal(t, tt.want.Lines, got.Lines)
			require.Equal(t, tt.want.ShippingAddress, got.ShippingAddress)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizeOrderRefuses(t *testing.T) {
	detail := string(fixture(t, "docs_example_response_get-order-detail.json"))
	tests := []struct{ name, raw, wantErr string }{
		{"the docs sample as published: 0.01 IDR", detail, `original_price: channels: bad amount: "0.01" has more than 0 decimals`},
		{"not JSON", `{"code":0,"data":{"orders":[`, "order"},
		{"error response", `{"code":105001,"message":"invalid shop_cipher","data":{}}`, "105001"},
		{"two orders", `{"code":0,"data":{"orders":[{"id":"1"},{"id":"2"}]}}`, "holds 2 orders"},
		{"no id", `{"payment":{"currency":"SGD"}}`, "no id"},
		{"malformed currency", `{"id":"1","payment":{"currency":"X1"}}`, "not an ISO 4217 code"},
		{"no create_time", `{"id":"1","payment":{"currency":"SGD"}}`, "no create_time"},
		{"time not seconds", `{"id":"1","create_time":"2021-04-28","payment":{"currency":"SGD"}}`, "not unix seconds"},
		{"line in another currency", `{"id":"1","create_time":1,"payment":{"currency":"SGD"},"line_items":[{"id":"2","currency":"THB"}]}`, "in THB"},
		{"an object for the creation time reads as none", `{"id":"1","create_time":{},"payment":{"currency":"SGD"}}`, "no create_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NormalizeOrder([]byte(tt.raw))
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestNormalizeOrderNumbersAndSubtotalFallback(t *testing.T) {
	// ids and amounts as numbers; no original_total_product_price: sub_total plus the discounts.
	raw := `{"id":576461413038785752,"status":"CANCELLED","create_time":1619611561,"paid_time":1619611563,
		"payment":{"currency":"THB","sub_total":90.5,"seller_discount":"9.50","platform_discount":"0","total_amount":"90.50"},
		"line_items":[{"id":577086512123755123,"sku_id":2729382476852921560,"original_price":"100","display_status":"CANCELLED"}]}`
	got, err := NormalizeOrder([]byte(raw))
	require.NoError(t, err)
	require.Equal(t, "576461413038785752", got.ExternalID)
	require.Equal(t, int64(10000), got.Subtotal)
	require.Equal(t, int64(9050), got.Total)
	require.Equal(t, channels.Cancelled, got.Status)
	require.True(t, got.Paid)
	require.Nil(t, got.ShipBy)
	require.Equal(t, []channels.Line{{SKU: "2729382476852921560", ListingID: "2729382476852921560", Quantity: 1, UnitPrice: 10000,
		UnitIDs: []string{"577086512123755123"}, Status: channels.Cancelled}}, got.Lines)
	require.Nil(t, got.Refs, "no package")
}

func TestNormalizeOrderListingsAndShipping(t *testing.T) {
	const head = `{"id":"1","create_time":1,"payment":{"currency":"SGD"},`
	tests := []struct {
		name              string
		raw               string
		listings          []string
		carrier, tracking string
		refs              map[string]string
	}{{
		name:     "one seller SKU on two TikTok SKUs stays two lines",
		raw:      head + `"line_items":[{"id":"a","seller_sku":"TEE","sku_id":"11"},{"id":"b","seller_sku":"TEE","sku_id":"12"},{"id":"c","seller_sku":"TEE","sku_id":"11"}]}`,
		listings: []string{"11", "12"},
	}, {
		name:     "tracking only on a line item, with its provider name",
		raw:      head + `"shipping_provider_id":"66","line_items":[{"id":"a","sku_id":"11"},{"id":"b","sku_id":"11","tracking_number":"JX1","shipping_provider_name":"J&T","package_id":"99"}]}`,
		listings: []string{"11"}, carrier: "J&T", tracking: "JX1", refs: map[string]string{"package_id": "99"},
	}, {
		name:     "order tracking with only a provider id; packages win over line package ids",
		raw:      head + `"tracking_number":"JX2","shipping_provider_id":"66","packages":[{"id":""},{"id":"77"}],"line_items":[{"id":"a","sku_id":"11","package_id":"99"}]}`,
		listings: []string{"11"}, carrier: "66", tracking: "JX2", refs: map[string]string{"package_id": "77"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeOrder([]byte(tt.raw))
			require.NoError(t, err)
			var listings []string
			for _, l := range got.Lines {
				listings = append(listings, l.ListingID)
			}
			require.Equal(t, tt.listings, listings)
			require.Equal(t, tt.carrier, got.Carrier)
			require.Equal(t, tt.tracking, got.TrackingNumber)
			require.Equal(t, tt.refs, got.Refs)
		})
	}
}
