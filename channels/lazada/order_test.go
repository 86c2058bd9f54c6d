package lazada

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

// fixture reads a file of testdata (copies of ../shared/fixtures/channels/lazada, see README).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// reassign rewrites the order_id of an items sample: the docs publish the items of other orders
// (31202, 32793) than the order samples (16090, 491253082180001).
func reassign(t testing.TB, items []byte, from, to string) []byte {
	t.Helper()
	old := `"order_id": "` + from + `"`
	require.Contains(t, string(items), old)
	return []byte(strings.ReplaceAll(string(items), old, `"order_id": "`+to+`"`))
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	t = t.UTC()
	return &t
}

// unitItems builds a /order/items/get response of several units from the docs item, with money
// and ids sent as JSON numbers, as a real payload did.
func unitItems(t testing.TB) []byte {
	t.Helper()
	var resp map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "docs_example_response_getorderitems.json"), &resp))
	base := resp["data"].([]any)[0].(map[string]any)
	unit := func(id float64, status string, price float64, voucher string) map[string]any {
		u := map[string]any{}
		for k, v := range base {
			u[k] = v
		}
		u["order_id"] = json.Number("16090")
		u["order_item_id"] = id
		u["status"] = status
		u["item_price"] = price
		u["paid_price"] = price
		u["voucher_platform"] = voucher
		u["is_cancel_pending"] = "false"
		u["need_cancel_confirm"] = "false"
		return u
	}
	resp["data"] = []any{
		unit(98108, "pending", 99, "1.50"),
		unit(98109, "canceled", 99, "0"),
		unit(98110, "pending", 99, "1.50"),
		unit(98111, "pending", 89.5, "0"),
	}
	b, err := json.Marshal(resp)
	require.NoError(t, err)
	return b
}

func TestNormalizeOrderFixtures(t *testing.T) {
	getOrder := fixture(t, "docs_example_response_getorder.json")
	getOrders := fixture(t, "docs_example_response_getorders.json")
	getItems := fixture(t, "docs_example_response_getorderitems.json")
	getMulti := fixture(t, "docs_example_response_getmultipleorderitems.json")

	tests := []struct {
		name         string
		order, items []byte
		want         channels.Order
	}{{
		name:  "/order/get + /order/items/get: one cancelled COD unit in SGD",
		order: getOrder,
		items: reassign(t, getItems, "31202", "16090"),
		want: channels.Order{
			Kind: channels.Lazada, ExternalID: "16090", Number: "300034416",
			Status: channels.Cancelled, ChannelStatus: "canceled",
			Paid: false, COD: true, Currency: "SGD",
			Subtotal: 9900, Shipping: 0, Discount: 0, PlatformDiscount: 0, Tax: 648, Total: 9900,
			PlacedAt:  *at("2014-10-15T10:36:05Z"),
			UpdatedAt: *at("2014-10-15T10:36:05Z"),
			ShipBy:    at("2019-06-24T15:59:59Z"),
			Buyer:     channels.Buyer{ExternalID: "1001", Name: "First Name last_name"},
			ShippingAddress: channels.Address{
				Name: "First Name Last Name", Phone: "94236248",
				Line1: "318 tanglin road, phoenix park, #01-59",
				Line2: "address2, address3, address4, 1******2",
				City:  "Singapore-Central", Region: "addressDistrict", PostalCode: "247979", CountryCode: "SG",
			},
			Lines: []channels.Line{{
				SKU: "BRSD#02", ListingID: "666", Name: "Bean Rester Dooby Red", Quantity: 1, UnitPrice: 9900,
				UnitIDs: []string{"98108"}, Status: channels.Cancelled,
			}},
		},
	}, {
		name:  "/orders/get + /orders/items/get: one delivered COD unit, ISO times, addressDsitrict",
		order: getOrders,
		items: reassign(t, getMulti, "32793", "491253082180001"),
		want: channels.Order{
			Kind: channels.Lazada, ExternalID: "491253082180001", Number: "491253082180001",
			// is_cancel_pending "true" in the sample does not pull a delivered order back.
			Status: channels.Delivered, ChannelStatus: "delivered",
			Paid: true, COD: true, Currency: "SGD",
			// price 106.00 and items_count 2 while the one item is 99.00: the sample disagrees
			// with itself; Subtotal is what the order says, Total what the units paid plus shipping.
			Subtotal: 10600, Shipping: 54, Tax: 583, Total: 8910 + 54,
			PlacedAt:  *at("2018-02-09T14:44:30Z"),
			UpdatedAt: *at("2018-02-09T14:44:30Z"),
			ShipBy:    at("2019-06-24T15:59:59Z"),
			Buyer:     channels.Buyer{ExternalID: "1001", Name: "Ha Hung last_name"},
			ShippingAddress: channels.Address{
				Name: "Ha Hung last_name", Phone: "6****67",
				Line1: "1 CHANGI VILLAGE ROAD, 11",
				Line2: "address2, address3, address4, address5",
				City:  "Singapore-Singapore-500001", Region: "addressDsitrict", PostalCode: "500001", CountryCode: "SG",
			},
			Lines: []channels.Line{{
				SKU: "BRSCR#06", ListingID: "666", Name: "Bean Rester Crest Brown", Quantity: 1, UnitPrice: 9900,
				UnitIDs: []string{"100827"}, Status: channels.Delivered,
			}},
			// the delivered unit's carrier and tracking code; the cancelled sample above has one too,
			// which is not the order's since that unit never shipped.
			Carrier: "TA-Q-BIN", TrackingNumber: "2014038590005",
		},
	}, {
		name:  "per-unit rows with numbers: grouped by SKU, price and status",
		order: getOrder,
		items: unitItems(t),
		want: channels.Order{
			Kind: channels.Lazada, ExternalID: "16090", Number: "300034416",
			// the order's own is_cancel_pending "true" applies: nothing has shipped.
			Status: channels.CancelRequested, ChannelStatus: "canceled,pending",
			Paid: false, COD: true, Currency: "SGD",
			Subtotal: 9900, PlatformDiscount: 300, Tax: 4 * 648, Total: 99_00*3 + 89_50,
			PlacedAt:  *at("2014-10-15T10:36:05Z"),
			UpdatedAt: *at("2014-10-15T10:36:05Z"),
			ShipBy:    at("2019-06-24T15:59:59Z"),
			Buyer:     channels.Buyer{ExternalID: "1001", Name: "First Name last_name"},
			ShippingAddress: channels.Address{
				Name: "First Name Last Name", Phone: "94236248",
				Line1: "318 tanglin road, phoenix park, #01-59",
				Line2: "address2, address3, address4, 1******2",
				City:  "Singapore-Central", Region: "addressDistrict", PostalCode: "247979", CountryCode: "SG",
			},
			Lines: []channels.Line{
				{SKU: "BRSD#02", ListingID: "666", Name: "Bean Rester Dooby Red", Quantity: 2, UnitPrice: 9900, Discount: 300,
					UnitIDs: []string{"98108", "98110"}, Status: channels.Confirmed},
				{SKU: "BRSD#02", ListingID: "666", Name: "Bean Rester Dooby Red", Quantity: 1, UnitPrice: 9900,
					UnitIDs: []string{"98109"}, Status: channels.Cancelled},
				{SKU: "BRSD#02", ListingID: "666", Name: "Bean Rester Dooby Red", Quantity: 1, UnitPrice: 8950,
					UnitIDs: []string{"98111"}, Status: channels.Confirmed},
			},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeOrder(tt.order, tt.items)
			require.NoError(t, err)
			require.Equal(t, tt.want.ExternalID, got.ExternalID)
			require.Equal(t, tt.want.Status, got.Status)
			require.Equal(t, tt.want.Lines, got.Lines)
			require.Equal(t, tt.want.ShippingAddress, got.ShippingAddress)
			require.Equal(t, tt.want.ShipBy, got.ShipBy)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizeOrderRefuses(t *testing.T) {
	getOrder := fixture(t, "docs_example_response_getorder.json")
	getItems := fixture(t, "docs_example_response_getorderitems.json")
	tests := []struct {
		name, order, items, wantErr string
	}{
		{"items of another order (the docs samples as published)", string(getOrder), string(getItems), "belongs to order 31202"},
		{"not JSON", `{"code":"0","data":{`, string(getItems), "order"},
		{"error response", `{"code":"IllegalAccessToken","message":"expired","data":{}}`, string(getItems), "IllegalAccessToken"},
		{"no order id", `{"code":"0","data":{"price":"1.00"}}`, string(getItems), "no order_id"},
		{"two orders in one list", `{"data":{"orders":[{"order_id":"1"},{"order_id":"2"}]}}`, `[]`, "holds 2 orders"},
		{"no items", string(getOrder), `{"code":"0","data":[]}`, "no items"},
		{"malformed currency", string(getOrder), `[{"order_id":"16090","currency":"X1","status":"pending"}]`, "not an ISO 4217 code"},
		{"too many decimals for VND", string(getOrder), `[{"order_id":"16090","currency":"VND","item_price":"10.5","status":"pending"}]`, "more than 0 decimals"},
		{"unreadable created_at", `{"order_id":"7","created_at":"yesterday"}`, `[{"order_id":"7","currency":"SGD"}]`, "created_at"},
		{"an object for the creation time reads as none", `{"order_id":"7","created_at":{"v":1}}`, `[{"order_id":"7","currency":"SGD"}]`, "created_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NormalizeOrder([]byte(tt.order), []byte(tt.items))
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestNormalizeOrderTimesAndNumbers(t *testing.T) {
	// A bare order with a numeric id and amounts, epoch-ms times and a bare promised_shipping_times
	// read in the venture's zone (VND: +07:00), items with no SLA of their own.
	order := `{"order_id":260422900198363,"created_at":"1603698638000","updated_at":1603766859530,
		"price":48000,"shipping_fee":"15000","payment_method":"MIXEDCARD",
		"promised_shipping_times":"2020-10-28 12:00:00","address_shipping":{"country":"VN"}}`
	items := `[{"order_item_id":260422900298363,"order_id":260422900198363,"sku":"TEE-M","currency":"VND",
		"item_price":48000,"paid_price":"43000","voucher_seller":5000,"status":"ready_to_ship","payment_time":"1603698700000"}]`
	got, err := NormalizeOrder([]byte(order), []byte(items))
	require.NoError(t, err)
	require.Equal(t, "260422900198363", got.ExternalID)
	require.Equal(t, "260422900198363", got.Number)
	require.Equal(t, []string{"260422900298363"}, got.Lines[0].UnitIDs)
	require.Equal(t, int64(48000), got.Subtotal)
	require.Equal(t, int64(5000), got.Discount)
	require.Equal(t, int64(43000+15000), got.Total)
	require.Equal(t, time.UnixMilli(1603698638000).UTC(), got.PlacedAt)
	require.Equal(t, time.UnixMilli(1603766859530).UTC(), got.UpdatedAt)
	require.Equal(t, at("2020-10-28T05:00:00Z"), got.ShipBy)
	require.Equal(t, channels.ReadyToShip, got.Status)
	require.False(t, got.COD)
	require.True(t, got.Paid)
	require.Equal(t, "VN", got.ShippingAddress.CountryCode)
}

func TestNormalizeOrderListingsAndTracking(t *testing.T) {
	order := `{"order_id":"7","created_at":"2024-05-01T10:00:00+07:00","price":"300.00"}`
	unit := func(id, skuID, status, tracking string) string {
		return `{"order_item_id":"` + id + `","order_id":"7","sku":"TEE","sku_id":"` + skuID + `","currency":"THB",
			"item_price":"100.00","paid_price":"100.00","status":"` + status + `",
			"tracking_code":"` + tracking + `","shipment_provider":"LEX TH"}`
	}
	tests := []struct {
		name                   string
		units                  []string
		wantListings           []string
		wantCarrier, wantTrack string
	}{
		{"one SKU sold under two sku_ids makes two lines", []string{unit("1", "11", "pending", ""), unit("2", "12", "pending", "")}, []string{"11", "12"}, "", ""},
		{"a tracking code before shipping is not the order's", []string{unit("1", "11", "packed", "LZ1")}, []string{"11"}, "", ""},
		{"the first shipped unit's tracking", []string{unit("1", "11", "canceled", "LZ0"), unit("2", "11", "shipped", "LZ2"), unit("3", "11", "delivered", "LZ3")}, []string{"11", "11", "11"}, "LEX TH", "LZ2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeOrder([]byte(order), []byte("["+strings.Join(tt.units, ",")+"]"))
			require.NoError(t, err)
			var listings []string
			for _, l := range got.Lines {
				for range l.Quantity {
					listings = append(listings, l.ListingID)
				}
			}
			require.Equal(t, tt.wantListings, listings)
			require.Equal(t, tt.wantCarrier, got.Carrier)
			require.Equal(t, tt.wantTrack, got.TrackingNumber)
		})
	}
}
