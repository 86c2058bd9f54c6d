package facebook

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return raw
}

func TestNormalizeOrderFixtures(t *testing.T) {
	tests := []struct {
		name  string
		order func(t *testing.T) channels.Order
		want  channels.Order
		next  string
	}{{
		// The zibbet commerce_orders page: a CREATED order, one item without an id or a price.
		name: "zibbet_order_spec_response.json",
		order: func(t *testing.T) channels.Order {
			orders, next, err := NormalizeOrders(fixture(t, "zibbet_order_spec_response.json"))
			require.NoError(t, err)
			require.Len(t, orders, 1)
			require.Empty(t, next, "the page has no paging.next")
			return orders[0]
		},
		want: channels.Order{
			Kind: channels.Facebook, ExternalID: "368508827392800", Number: "368508827392800",
			Status: channels.Confirmed, ChannelStatus: "CREATED", Paid: true, Currency: "USD",
			Subtotal: 200, Shipping: 0, Tax: 19, Total: 219,
			PlacedAt:  time.Date(2020, 1, 30, 1, 26, 14, 0, time.UTC),
			UpdatedAt: time.Date(2020, 2, 25, 1, 14, 12, 0, time.UTC),
			Buyer:     channels.Buyer{Name: "John Smith", Email: "n8miblde3i@marketplace.facebook.com"},
			ShippingAddress: channels.Address{
				Name: "Express", Line1: "12 Queen Street", City: "Brisbane", Region: "QLD", PostalCode: "4000", CountryCode: "AU",
			},
			Lines: []channels.Line{{SKU: "12345", ListingID: "12345", Quantity: 2}},
		},
	}, {
		// Meta's post-purchase sample: no state was asked for, one of ten units shipped.
		name: "docs_example_post_purchase_order_tax_fields.repaired.json",
		order: func(t *testing.T) channels.Order {
			o, err := NormalizeOrder(fixture(t, "docs_example_post_purchase_order_tax_fields.repaired.json"))
			require.NoError(t, err)
			return o
		},
		want: channels.Order{
			Kind: channels.Facebook, ExternalID: "412336950726541", Number: "412336950726541",
			Status: channels.Unknown, Currency: "USD", Subtotal: 2500, Shipping: 100, Tax: 250, Total: 2850,
			Lines: []channels.Line{{SKU: "item_A", ListingID: "item_A", LineID: "2082596341811586", Quantity: 10, UnitPrice: 250}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, w := tt.order(t), tt.want
			require.Equal(t, w.Kind, got.Kind)
			require.Equal(t, w.ExternalID, got.ExternalID)
			require.Equal(t, w.Number, got.Number)
			require.Equal(t, w.Status, got.Status, "raw %q", got.ChannelStatus)
			require.Equal(t, w.ChannelStatus, got.ChannelStatus)
			require.Equal(t, w.Paid, got.Paid)
			require.False(t, got.COD, "Meta checks out; there is no cash on delivery")
			require.Equal(t, w.Currency, got.Currency)
			require.Equal(t, w.Subtotal, got.Subtotal, "subtotal.items")
			require.Equal(t, w.Shipping, got.Shipping, "subtotal.shipping")
			require.Equal(t, w.Tax, got.Tax, "tax")
			require.Equal(t, w.Total, got.Total, "total_amount")
			require.Equal(t, got.Subtotal+got.Shipping+got.Tax, got.Total, "the parts add up to the total")
			require.True(t, w.PlacedAt.Equal(got.PlacedAt), "created %v", got.PlacedAt)
			require.True(t, w.UpdatedAt.Equal(got.UpdatedAt), "last_updated %v", got.UpdatedAt)
			require.Nil(t, got.ShipBy, "neither sample carries ship_by_date")
			require.Equal(t, w.Buyer, got.Buyer)
			require.Equal(t, w.ShippingAddress, got.ShippingAddress)
			require.Equal(t, w.Lines, got.Lines)
			require.Empty(t, got.TrackingNumber, "the sample's shipment has no tracking info")
		})
	}
}

func TestNormalizeOrderValues(t *testing.T) {
	const items = `"items":{"data":[{"id":"11","retailer_id":"A","quantity":2,"price_per_unit":{"amount":"5.00","currency":"USD"}},{"id":"12","retailer_id":"B","quantity":1,"price_per_unit":{"amount":"3.50","currency":"USD"}}]}`
	tests := []struct {
		name, body string
		check      func(t *testing.T, o channels.Order)
	}{
		{"ship_by_date is the end of that day in UTC", `{"ship_by_date":"2019-01-16"}`, func(t *testing.T, o channels.Order) {
			require.NotNil(t, o.ShipBy)
			require.Equal(t, time.Date(2019, 1, 16, 23, 59, 59, 0, time.UTC), *o.ShipBy)
		}},
		{"Graph's offset without colon", `{"created":"2019-01-14T19:17:31+0700","last_updated":"2019-01-14T12:17:31+0000"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, time.Date(2019, 1, 14, 12, 17, 31, 0, time.UTC), o.PlacedAt)
			require.Equal(t, time.UTC, o.PlacedAt.Location())
			require.True(t, o.PlacedAt.Equal(o.UpdatedAt))
		}},
		{"FB_PROCESSING is held and not paid", `{"id":"1","order_status":{"state":"FB_PROCESSING"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.OnHold, o.Status)
			require.False(t, o.Paid)
		}},
		{"IN_PROGRESS with nothing shipped", `{"order_status":{"state":"IN_PROGRESS"},` + items + `}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Confirmed, o.Status)
			require.True(t, o.Paid)
			require.Empty(t, o.Lines[0].Status)
		}},
		{"IN_PROGRESS partly shipped", `{"order_status":{"state":"IN_PROGRESS"},` + items + `,"shipments":{"data":[{"items":{"data":[{"retailer_id":"A","quantity":2}]},"tracking_info":{"tracking_number":"1Z9","carrier":"UPS"}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Confirmed, o.Status, "item B still to ship")
			require.Equal(t, channels.Shipped, o.Lines[0].Status)
			require.Empty(t, o.Lines[1].Status)
			require.Equal(t, "UPS", o.Carrier)
			require.Equal(t, "1Z9", o.TrackingNumber)
		}},
		{"IN_PROGRESS all shipped, by item id and retailer_id", `{"order_status":{"state":"IN_PROGRESS"},` + items + `,"shipments":{"data":[{"items":{"data":[{"id":"11","quantity":1},{"retailer_id":"A","quantity":1}]}},{"items":{"data":[{"id":"12","retailer_id":"B","quantity":1}]},"tracking_info":{"tracking_number":"T2","carrier":"FEDEX"}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Shipped, o.Status)
			require.Equal(t, "T2", o.TrackingNumber)
		}},
		{"shipped but for a cancelled item", `{"order_status":{"state":"IN_PROGRESS"},` + items + `,"shipments":{"data":[{"items":{"data":[{"id":"11","quantity":2}]}}]},"cancellations":{"data":[{"items":{"data":[{"id":"12","quantity":1}]}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Shipped, o.Status)
			require.Equal(t, channels.Cancelled, o.Lines[1].Status)
		}},
		{"COMPLETED with all items cancelled", `{"order_status":{"state":"COMPLETED"},` + items + `,"cancellations":{"data":[{"items":{"data":[{"id":"11","quantity":2},{"id":"12","quantity":1}]}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Cancelled, o.Status)
			require.Equal(t, "COMPLETED", o.ChannelStatus)
			require.Empty(t, o.Buyer, "Meta strips the buyer of cancelled orders")
			require.Empty(t, o.ShippingAddress)
		}},
		{"a cancellation without items cancels the order", `{"order_status":{"state":"COMPLETED"},` + items + `,"cancellations":{"data":[{"cancel_reason":{"reason_code":"CUSTOMER_REQUESTED"}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Cancelled, o.Status)
			require.Equal(t, channels.Cancelled, o.Lines[0].Status)
		}},
		{"COMPLETED partly cancelled, the rest shipped", `{"order_status":{"state":"COMPLETED"},` + items + `,"shipments":{"data":[{"items":{"data":[{"id":"11","quantity":2}]}}]},"cancellations":{"data":[{"items":{"data":[{"id":"12","quantity":1}]}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Completed, o.Status)
		}},
		{"a line without quantity is not cancelled by a partial cancel", `{"order_status":{"state":"IN_PROGRESS"},"items":{"data":[{"id":"11","retailer_id":"A"},{"id":"12","retailer_id":"B","quantity":1}]},"cancellations":{"data":[{"items":{"data":[{"id":"12","quantity":1}]}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Confirmed, o.Status)
			require.Empty(t, o.Lines[0].Status)
		}},
		{"unknown state is not an error", `{"order_status":{"state":"TELEPORTED"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Unknown, o.Status)
			require.Equal(t, "TELEPORTED", o.ChannelStatus)
			require.False(t, o.Paid)
		}},
		{"zero-decimal currency", `{"estimated_payment_details":{"total_amount":{"amount":"48000","currency":"VND"},"subtotal":{"items":{"amount":"48000.00","currency":"VND"}}}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "VND", o.Currency)
			require.Equal(t, int64(48000), o.Total)
			require.Equal(t, int64(48000), o.Subtotal)
		}},
		{"currency from an item price", `{"items":{"data":[{"retailer_id":"A","quantity":1,"price_per_unit":{"amount":"1.234","currency":"kwd"}}]}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "KWD", o.Currency)
			require.Equal(t, int64(1234), o.Lines[0].UnitPrice)
		}},
		{"selected shipping option is kept for the shipment", `{"selected_shipping_option":{"name":"Standard","price":{"amount":"1.00","currency":"USD"}}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, map[string]string{RefShippingMethod: "Standard"}, o.Refs)
		}},
		{"lowercase country", `{"shipping_address":{"country":"us","state":"CA"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "US", o.ShippingAddress.CountryCode)
			require.Equal(t, "CA", o.ShippingAddress.Region)
		}},
		{"mixed currencies", `{"estimated_payment_details":{"total_amount":{"amount":"1.00","currency":"USD"},"tax":{"amount":"1.00","currency":"EUR"}}}`, nil},
		{"too many decimals", `{"estimated_payment_details":{"total_amount":{"amount":"1.001","currency":"USD"}}}`, nil},
		{"amount without any currency", `{"estimated_payment_details":{"total_amount":{"amount":"1.00"}}}`, nil},
		{"fractional quantity", `{"items":{"data":[{"retailer_id":"A","quantity":1.5}]}}`, nil},
		{"negative quantity in a shipment", `{"items":{"data":[{"retailer_id":"A","quantity":1}]},"shipments":{"data":[{"items":{"data":[{"retailer_id":"A","quantity":-1}]}}]}}`, nil},
		{"unreadable time", `{"created":"yesterday"}`, nil},
		{"unreadable ship-by", `{"ship_by_date":"16/01/2019"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := NormalizeOrder([]byte(tt.body))
			if tt.check == nil {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.False(t, o.COD)
			tt.check(t, o)
		})
	}
}

func TestNormalizeOrderRejects(t *testing.T) {
	for _, body := range []string{``, `{`, `[]`, `"x"`, `{"id":1,}`, `{"items":"x"}`, `{"items":{"data":{}}}`} {
		_, err := NormalizeOrder([]byte(body))
		require.Error(t, err, body)
	}
	_, err := NormalizeOrder(fixture(t, "docs_example_post_purchase_order_tax_fields.published.txt"))
	require.Error(t, err, "the sample is invalid JSON as published")
}

func TestNormalizeOrdersPaging(t *testing.T) {
	page := `{"data":[{"id":"1","order_status":{"state":"CREATED"}},null,{"id":"2","order_status":{"state":"COMPLETED"}}],` +
		`"paging":{"cursors":{"before":"QVFIUmJ","after":"QVFIUnZA"},"next":"https://graph.facebook.com/v25.0/1/commerce_orders?after=QVFIUnZA"}}`
	orders, next, err := NormalizeOrders([]byte(page))
	require.NoError(t, err)
	require.Equal(t, "QVFIUnZA", next)
	require.Len(t, orders, 2)
	require.Equal(t, "2", orders[1].ExternalID)
	require.Equal(t, channels.Completed, orders[1].Status)

	_, next, err = NormalizeOrders([]byte(`{"data":[],"paging":{"next":"https://graph.facebook.com/v25.0/1/commerce_orders?limit=1&after=Y3Vyc29y"}}`))
	require.NoError(t, err)
	require.Equal(t, "Y3Vyc29y", next, "the cursor is read from next when cursors are left out")

	_, _, err = NormalizeOrders([]byte(`{"data":[{"created":"soon"}]}`))
	require.Error(t, err)
	_, _, err = NormalizeOrders([]byte(`{"data":{}}`))
	require.Error(t, err)
}
