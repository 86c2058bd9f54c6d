package shopify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestNormalizeOrderFixtures(t *testing.T) {
	placed := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) // 2021-12-31T19:00:00-05:00
	tests := []struct {
		file string
		want channels.Order
	}{{
		// Shopify's docs sample for orders/create: cancelled (cancel_reason customer), payment
		// voided, unfulfilled; its "id" lost precision in the scrape, the GraphQL id did not.
		file: "webhook_2026-04_orders_create.metadata.json",
		want: channels.Order{
			Kind:          channels.Shopify,
			ExternalID:    "820982911946154508",
			Number:        "#9999",
			Status:        channels.Cancelled,
			ChannelStatus: "voided/unfulfilled/cancelled",
			Currency:      "USD",
			Subtotal:      40495,
			Shipping:      1000,
			Discount:      2000,
			Tax:           0,
			Total:         40495,
			PlacedAt:      placed,
			UpdatedAt:     placed,
			Buyer: channels.Buyer{
				ExternalID: "115310627314723954",
				Name:       "John Smith",
				Email:      "jon@example.com",
			},
			ShippingAddress: channels.Address{
				Name: "Steve Shipper", Phone: "555-555-SHIP", Line1: "123 Shipping Street",
				City: "Shippington", Region: "Kentucky", PostalCode: "40003", CountryCode: "US",
			},
			Lines: []channels.Line{
				{SKU: "SKU2006-001", LineID: "487817672276298554", Name: "Aviator sunglasses", Quantity: 1, UnitPrice: 8999},
				{SKU: "LENS-PROTECT-2YR", LineID: "789012345678901234", Name: "Lens Protection Plan (2 Year)", Quantity: 1, UnitPrice: 1999},
				{SKU: "CASE-LEATHER-PREM", LineID: "890123456789012345", Name: "Premium Leather Case", Quantity: 1, UnitPrice: 2499},
				{SKU: "SKU2006-020", LineID: "976318377106520349", Name: "Mid-century lounger", Quantity: 1, UnitPrice: 15999},
				{SKU: "SKU2006-035", LineID: "315789986012684393", Name: "Coffee table", Quantity: 1, UnitPrice: 11999},
			},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := NormalizeOrder(payload(t, tt.file))
			require.NoError(t, err)
			w := tt.want
			require.Equal(t, w.Kind, got.Kind)
			require.Equal(t, w.ExternalID, got.ExternalID)
			require.Equal(t, w.Number, got.Number)
			require.Equal(t, w.Status, got.Status)
			require.Equal(t, w.ChannelStatus, got.ChannelStatus)
			require.Equal(t, w.Paid, got.Paid)
			require.Equal(t, w.COD, got.COD)
			require.Equal(t, w.Currency, got.Currency)
			require.Equal(t, w.Subtotal, got.Subtotal, "subtotal_price")
			require.Equal(t, w.Shipping, got.Shipping, "total_shipping_price_set")
			require.Equal(t, w.Discount, got.Discount, "total_discounts")
			require.Equal(t, w.PlatformDiscount, got.PlatformDiscount)
			require.Equal(t, w.Tax, got.Tax, "total_tax")
			require.Equal(t, w.Total, got.Total, "total_price")
			require.True(t, w.PlacedAt.Equal(got.PlacedAt))
			require.Equal(t, time.UTC, got.PlacedAt.Location())
			require.True(t, w.UpdatedAt.Equal(got.UpdatedAt))
			require.Nil(t, got.ShipBy, "Shopify orders carry no ship-by deadline")
			require.Equal(t, w.Buyer, got.Buyer)
			require.Equal(t, w.ShippingAddress, got.ShippingAddress)
			require.Equal(t, w.Lines, got.Lines)
			var lines int64
			for _, l := range got.Lines {
				lines += l.Quantity * l.UnitPrice
			}
			require.Equal(t, int64(41495), lines, "total_line_items_price")
		})
	}
}

func TestNormalizeOrderValues(t *testing.T) {
	tests := []struct {
		name, body string
		check      func(t *testing.T, o channels.Order)
	}{
		{"big id without gid survives", `{"id":820982911946154508}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "820982911946154508", o.ExternalID)
		}},
		{"string id", `{"id":"42","name":"#1"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "42", o.ExternalID)
		}},
		{"offset time to UTC", `{"created_at":"2024-03-01T08:30:00+07:00"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, time.Date(2024, 3, 1, 1, 30, 0, 0, time.UTC), o.PlacedAt)
		}},
		{"zero-decimal currency", `{"currency":"jpy","total_price":"1500","subtotal_price":"1500.00"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "JPY", o.Currency)
			require.Equal(t, int64(1500), o.Total)
			require.Equal(t, int64(1500), o.Subtotal)
		}},
		{"three-decimal currency", `{"currency":"KWD","total_price":"1.234"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(1234), o.Total)
		}},
		{"no float rounding", `{"currency":"USD","total_price":"0.29","subtotal_price":"1.005e0"}`, nil},
		{"COD gateway, pending payment ships", `{"financial_status":"pending","payment_gateway_names":["Cash on Delivery (COD)"]}`, func(t *testing.T, o channels.Order) {
			require.True(t, o.COD)
			require.False(t, o.Paid)
			require.Equal(t, channels.Confirmed, o.Status)
		}},
		{"line discount from allocations", `{"currency":"USD","line_items":[{"sku":"A","quantity":3,"price":"10.00","total_discount":"9.99","discount_allocations":[{"amount":"1.50"},{"amount":"0.50"}]}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, []channels.Line{{SKU: "A", Quantity: 3, UnitPrice: 1000, Discount: 200}}, o.Lines)
		}},
		{"coordinates", `{"shipping_address":{"first_name":"A","last_name":"B","latitude":13.75,"longitude":100.5,"province_code":"BKK","country_code":"th"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "A B", o.ShippingAddress.Name)
			require.Equal(t, "BKK", o.ShippingAddress.Region)
			require.Equal(t, "TH", o.ShippingAddress.CountryCode)
			require.InDelta(t, 13.75, *o.ShippingAddress.Latitude, 0)
			require.InDelta(t, 100.5, *o.ShippingAddress.Longitude, 0)
		}},
		{"unknown status is not an error", `{"financial_status":"bartered"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Unknown, o.Status)
			require.Equal(t, "bartered/unfulfilled", o.ChannelStatus)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := NormalizeOrder([]byte(tt.body))
			if tt.check == nil {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, o)
		})
	}
}

func TestNormalizeOrderRejects(t *testing.T) {
	for _, body := range []string{
		``, `{`, `[]`, `"x"`, `{"id":1,}`,
		`{"currency":"USD","total_price":"1.001"}`,
		`{"total_price":"12,50"}`,
		`{"total_price":"99999999999999999999"}`,
		`{"created_at":"yesterday"}`,
		`{"line_items":[{"quantity":"two"}]}`,
		`{"line_items":[{"quantity":1.5}]}`,
	} {
		_, err := NormalizeOrder([]byte(body))
		require.Error(t, err, body)
	}
}
