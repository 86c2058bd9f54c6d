package pos

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// fixture reads a testdata file.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return raw
}

func ms(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func ptr(t time.Time) *time.Time { return &t }

func TestNormalizeOrderFixtures(t *testing.T) {
	tests := []struct {
		name string
		want channels.Order
	}{{
		// RetrieveOrderResponse.example: an open order with a 50% order discount spread over two
		// lines, no tender yet and no fulfillment.
		name: "apijson_example_RetrieveOrderResponse.json",
		want: channels.Order{
			ShopID: "D7AVYMEAPJ3A3", ExternalID: "CAISENgvlJ6jLWAzERDzjyHVybY", Number: "CAISENgvlJ6jLWAzERDzjyHVybY",
			Status: channels.Confirmed, ChannelStatus: "OPEN", Currency: "USD",
			Subtotal: 550, Discount: 550, Total: 550,
			PlacedAt: ms("2020-05-18T16:30:49.614Z"), UpdatedAt: ms("2020-05-18T16:30:49.614Z"),
			Lines: []channels.Line{
				{LineID: "ULkg0tQTRK2bkU9fNv3IJD", Name: "Item 1", Quantity: 1, UnitPrice: 500, Discount: 250, NonStock: true},
				{LineID: "mumY8Nun4BC5aKe2yyx5a", Name: "Item 2", Quantity: 2, UnitPrice: 300, Discount: 300, NonStock: true},
			},
			Refs: map[string]string{RefVersion: "1", RefLocation: "D7AVYMEAPJ3A3"},
		},
	}, {
		// CreateOrderResponse.example: a catalog line with a modifier (gross 4500 for 2 units of
		// 2200 plus 50), an additive 9% tax.
		name: "apijson_example_CreateOrderResponse.json",
		want: channels.Order{
			ShopID: "057P5VYJ4A5X1", ExternalID: "CAISENgvlJ6jLWAzERDzjyHVybY", Number: "my-order-001",
			Status: channels.Confirmed, ChannelStatus: "OPEN", Currency: "USD",
			Subtotal: 5666, Discount: 433, Tax: 510, Total: 6176,
			PlacedAt: ms("2020-01-17T20:47:53.293Z"), UpdatedAt: ms("2020-01-17T20:47:53.293Z"),
			Lines: []channels.Line{
				{LineID: "8uSwfzvUImn3IRrvciqlXC", Name: "New York Strip Steak", Quantity: 1, UnitPrice: 1599, Discount: 87, NonStock: true},
				{ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", LineID: "v8ZuEXpOJpb0bazLuvrLDB", Name: "New York Steak", Quantity: 2, UnitPrice: 2250, Discount: 346},
			},
			Refs: map[string]string{RefVersion: "1", RefLocation: "057P5VYJ4A5X1"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := fixture(t, tt.name)
			got, err := NormalizeOrder(raw)
			require.NoError(t, err)
			tt.want.Kind = channels.POS
			requireOrder(t, tt.want, got)

			// The bare Order reads the same as the answer wrapping it.
			var w struct {
				Order json.RawMessage `json:"order"`
			}
			require.NoError(t, json.Unmarshal(raw, &w))
			bare, err := NormalizeOrder(w.Order)
			require.NoError(t, err)
			require.Equal(t, got, bare)
		})
	}
}

func TestNormalizeOrdersFulfillments(t *testing.T) {
	// Our BatchRetrieveOrders answer (testdata/README.md): shipment, in-store cash sale, pickup.
	got, cursor, err := NormalizeOrders(fixture(t, "ours_BatchRetrieveOrdersResponse_fulfillments.json"))
	require.NoError(t, err)
	require.Empty(t, cursor)
	want := []channels.Order{{
		Kind: channels.POS, ShopID: "D7AVYMEAPJ3A3", ExternalID: "Zb7xCq0NvU3P7gPj2bSwLtU3Ab4F", Number: "WEB-1042",
		Status: channels.Confirmed, ChannelStatus: "OPEN/SHIPMENT:PROPOSED", Paid: true, Currency: "USD",
		Subtotal: 10050, Shipping: 500, Discount: 300, Total: 10550,
		PlacedAt: ms("2026-11-11T00:05:12.345Z"), UpdatedAt: ms("2026-11-11T00:05:13Z"),
		ShipBy: ptr(ms("2026-11-12T10:00:00Z")), // 17:00+07:00
		Buyer:  channels.Buyer{ExternalID: "JDKYHBWT1D4F8MFH63DBMEN8Y4", Name: "Somchai Jaidee", Email: "somchai@example.com", Phone: "+66812345678"},
		ShippingAddress: channels.Address{
			Name: "Somchai Jaidee", Phone: "+66812345678", Line1: "1 Sukhumvit Road", Line2: "Khlong Toei",
			City: "Bangkok", Region: "Bangkok", PostalCode: "10110", CountryCode: "TH",
		},
		Lines: []channels.Line{
			{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", LineID: "7DP1qW2tqLZp0xk1bNfKcB", Name: "Linen Shirt", Quantity: 2, UnitPrice: 2900, Discount: 300},
			{ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", LineID: "hQ3vB0c9Z2s7KxTnW1eYdC", Name: "Tote Bag", Quantity: 1, UnitPrice: 4550},
		},
		Refs: map[string]string{RefVersion: "3", RefLocation: "D7AVYMEAPJ3A3", RefFulfillment: "VWJ1N9leLqjSDLvF2hvYjD"},
	}, {
		// Paid in cash at the counter: paid, completed, never COD; no version (not an API order).
		Kind: channels.POS, ShopID: "D7AVYMEAPJ3A3", ExternalID: "CAISEM82RcpmcFBM0TfOyiHV3es", Number: "CAISEM82RcpmcFBM0TfOyiHV3es",
		Status: channels.Completed, ChannelStatus: "COMPLETED", Paid: true, Currency: "USD",
		Subtotal: 450, Total: 450,
		PlacedAt: ms("2026-11-11T03:20:00Z"), UpdatedAt: ms("2026-11-11T03:20:01.5Z"),
		Lines: []channels.Line{
			{ListingID: "CHQX7Y4KY6N5KINJKZCFURPZ", LineID: "Xk2mB8rT0pQ4nV6cZ1aLsE", Name: "Espresso Beans 250g", Quantity: 3, UnitPrice: 150},
		},
		Refs: map[string]string{RefLocation: "D7AVYMEAPJ3A3"},
	}, {
		Kind: channels.POS, ShopID: "D7AVYMEAPJ3A3", ExternalID: "pK4t9WqZ2mN7vB1xC5rL8sD3fG6", Number: "pK4t9WqZ2mN7vB1xC5rL8sD3fG6",
		Status: channels.Delivered, ChannelStatus: "OPEN/PICKUP:COMPLETED", Paid: true, Currency: "USD",
		Subtotal: 2900, Total: 2900,
		PlacedAt: ms("2026-11-11T08:00:00Z"), UpdatedAt: ms("2026-11-11T09:41:00Z"),
		ShipBy: ptr(ms("2026-11-11T09:30:00Z")),
		Buyer:  channels.Buyer{ExternalID: "A8RQ3ZHJ5D1W2E6KGJY2MQ0TPC", Name: "Nok Srisuk", Phone: "+66898765432"},
		Lines: []channels.Line{
			{ListingID: "BEMYCSMIJL46OCDV4KYIKXIC", LineID: "aB3cD4eF5gH6iJ7kL8mN9o", Name: "Linen Shirt", Quantity: 1, UnitPrice: 2900},
		},
		Refs: map[string]string{RefVersion: "4", RefLocation: "D7AVYMEAPJ3A3", RefFulfillment: "p1CkUpUidQ9s7KxTnW1eYd"},
	}}
	require.Len(t, got, len(want))
	for i := range want {
		t.Run(want[i].ExternalID, func(t *testing.T) { requireOrder(t, want[i], got[i]) })
	}
}

// requireOrder compares field by field, so that a failure names the field.
func requireOrder(t *testing.T, w, got channels.Order) {
	t.Helper()
	require.Equal(t, w.Kind, got.Kind)
	require.Equal(t, w.ShopID, got.ShopID, "location_id")
	require.Equal(t, w.ExternalID, got.ExternalID)
	require.Equal(t, w.Number, got.Number)
	require.Equal(t, w.Status, got.Status)
	require.Equal(t, w.ChannelStatus, got.ChannelStatus)
	require.Equal(t, w.Paid, got.Paid, "tenders")
	require.False(t, got.COD, "Square orders are never cash on delivery")
	require.Equal(t, w.Currency, got.Currency)
	require.Equal(t, w.Subtotal, got.Subtotal, "lines after discounts")
	require.Equal(t, w.Shipping, got.Shipping, "total_service_charge_money")
	require.Equal(t, w.Discount, got.Discount, "total_discount_money")
	require.Zero(t, got.PlatformDiscount)
	require.Equal(t, w.Tax, got.Tax, "total_tax_money")
	require.Equal(t, w.Total, got.Total, "total_money")
	require.Equal(t, w.PlacedAt, got.PlacedAt)
	require.Equal(t, time.UTC, got.PlacedAt.Location())
	require.Equal(t, w.UpdatedAt, got.UpdatedAt)
	require.Equal(t, w.ShipBy, got.ShipBy, "expected_shipped_at / pickup_at")
	require.Equal(t, w.Buyer, got.Buyer)
	require.Equal(t, w.ShippingAddress, got.ShippingAddress)
	require.Equal(t, w.Lines, got.Lines)
	require.Equal(t, w.Carrier, got.Carrier)
	require.Equal(t, w.TrackingNumber, got.TrackingNumber)
	require.Equal(t, w.Refs, got.Refs)
	for _, l := range got.Lines {
		require.Empty(t, l.SKU, "Square lines carry no SKU")
	}
}

func TestNormalizeOrderValues(t *testing.T) {
	tests := []struct {
		name, body string
		check      func(t *testing.T, o channels.Order)
	}{
		{"decimal quantity with zero decimals", `{"line_items":[{"uid":"a","quantity":"2.000"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(2), o.Lines[0].Quantity)
		}},
		{"quantity 0 is left out", `{"line_items":[{"uid":"a","quantity":"0"},{"uid":"b","quantity":"1"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, []channels.Line{{LineID: "b", Quantity: 1, NonStock: true}}, o.Lines)
		}},
		{"unit price from base when gross does not divide", `{"line_items":[{"quantity":"3","base_price_money":{"amount":333,"currency":"USD"},"gross_sales_money":{"amount":1000,"currency":"USD"}}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(333), o.Lines[0].UnitPrice)
		}},
		{"name falls back to variation", `{"line_items":[{"quantity":"1","variation_name":"Large"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "Large", o.Lines[0].Name)
		}},
		{"zero-decimal currency", `{"total_money":{"amount":1500,"currency":"JPY"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "JPY", o.Currency)
			require.Equal(t, int64(1500), o.Total)
		}},
		{"currency from a line when no total", `{"line_items":[{"quantity":"1","base_price_money":{"amount":5,"currency":"usd"}}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "USD", o.Currency)
		}},
		{"offset time to UTC", `{"created_at":"2024-03-01T08:30:00.250+07:00"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, time.Date(2024, 3, 1, 1, 30, 0, 250e6, time.UTC), o.PlacedAt)
		}},
		{"tenders short of the total: unpaid", `{"state":"OPEN","total_money":{"amount":100,"currency":"USD"},"tenders":[{"type":"CARD","amount_money":{"amount":99,"currency":"USD"}}]}`, func(t *testing.T, o channels.Order) {
			require.False(t, o.Paid)
		}},
		{"cash tender covering the total: paid, not COD", `{"state":"OPEN","total_money":{"amount":100,"currency":"USD"},"tenders":[{"type":"CASH","amount_money":{"amount":100,"currency":"USD"}}]}`, func(t *testing.T, o channels.Order) {
			require.True(t, o.Paid)
			require.False(t, o.COD)
		}},
		{"draft", `{"state":"DRAFT"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.PendingPayment, o.Status)
		}},
		{"shipped with tracking", `{"state":"OPEN","fulfillments":[{"uid":"f","type":"SHIPMENT","state":"COMPLETED","shipment_details":{"carrier":"Kerry","tracking_number":"KER1","recipient":{"display_name":"A","address":{"first_name":"B","country":"th"}}}}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Shipped, o.Status)
			require.Equal(t, "Kerry", o.Carrier)
			require.Equal(t, "KER1", o.TrackingNumber)
			require.Equal(t, "TH", o.ShippingAddress.CountryCode)
			require.Equal(t, "A", o.ShippingAddress.Name)
		}},
		{"address name from the address when no display name", `{"fulfillments":[{"type":"SHIPMENT","state":"PROPOSED","shipment_details":{"recipient":{"address":{"first_name":"Ann","last_name":"Lee"}}}}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "Ann Lee", o.ShippingAddress.Name)
		}},
		{"the live shipment is primary", `{"fulfillments":[{"uid":"p","type":"PICKUP","state":"PROPOSED"},{"uid":"old","type":"SHIPMENT","state":"CANCELED"},{"uid":"new","type":"SHIPMENT","state":"RESERVED"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "new", o.Refs[RefFulfillment])
		}},
		{"unknown state is not an error", `{"state":"ARCHIVED"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Unknown, o.Status)
			require.Equal(t, "ARCHIVED", o.ChannelStatus)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := NormalizeOrder([]byte(tt.body))
			require.NoError(t, err)
			tt.check(t, o)
		})
	}
}

func TestNormalizeOrderRejects(t *testing.T) {
	for _, body := range []string{
		``, `{`, `[]`, `"x"`,
		`{"line_items":[{"uid":"a","quantity":"1.5"}]}`,
		`{"line_items":[{"uid":"a","quantity":"-1"}]}`,
		`{"line_items":[{"uid":"a"}]}`,
		`{"line_items":[{"uid":"a","quantity":"two"}]}`,
		`{"total_money":{"amount":12.5,"currency":"USD"}}`,
		`{"total_money":{"amount":99999999999999999999,"currency":"USD"}}`,
		`{"total_money":{"amount":100,"currency":"USD"},"total_tax_money":{"amount":1,"currency":"EUR"}}`,
		`{"total_money":{"amount":100,"currency":"US"}}`,
		`{"created_at":"yesterday"}`,
		`{"fulfillments":[{"type":"SHIPMENT","state":"PROPOSED","shipment_details":{"expected_shipped_at":"soon"}}]}`,
	} {
		t.Run(body, func(t *testing.T) {
			_, err := NormalizeOrder([]byte(body))
			require.Error(t, err)
		})
	}
}

func TestNormalizeOrdersPages(t *testing.T) {
	// SearchOrdersResponse.example was asked with return_entries true: entries, not orders.
	_, _, err := NormalizeOrders(fixture(t, "apijson_example_SearchOrdersResponse.json"))
	require.ErrorIs(t, err, ErrEntries)

	// A BatchRetrieveOrders answer built from RetrieveOrderResponse.example, with a cursor.
	var w struct {
		Order json.RawMessage `json:"order"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "apijson_example_RetrieveOrderResponse.json"), &w))
	page := []byte(`{"orders":[` + string(w.Order) + `],"cursor":"next-1"}`)
	got, cursor, err := NormalizeOrders(page)
	require.NoError(t, err)
	require.Equal(t, "next-1", cursor)
	require.Len(t, got, 1)
	require.Equal(t, "CAISENgvlJ6jLWAzERDzjyHVybY", got[0].ExternalID)

	got, cursor, err = NormalizeOrders([]byte(`{}`))
	require.NoError(t, err)
	require.Empty(t, got, "Square answers {} when nothing matches")
	require.Empty(t, cursor)

	_, _, err = NormalizeOrders([]byte(`{"orders":[{"line_items":[{"quantity":"0.5"}]}]}`))
	require.Error(t, err)
}
