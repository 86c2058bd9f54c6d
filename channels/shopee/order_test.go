package shopee

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return raw
}

func at(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

func TestNormalizeOrderDetailFixtures(t *testing.T) {
	shipBy := at(1712671200) // 2024-04-09T14:00:00Z
	tests := []struct {
		file string
		want []channels.Order
	}{{
		// The official sample (VN, COD, COMPLETED, flash sale), as repaired: the published text
		// is not JSON (see TestPublishedSampleIsNotJSON).
		file: "sample_response_v2.order.get_order_detail.repaired.json",
		want: []channels.Order{{
			Kind:          channels.Shopee,
			ExternalID:    "2404098R48U37H",
			Number:        "2404098R48U37H",
			Status:        channels.Completed,
			ChannelStatus: "COMPLETED",
			Paid:          true,
			COD:           true,
			Currency:      "VND",
			Subtotal:      48000,  // model_discounted_price × 1
			Shipping:      5000,   // estimated_shipping_fee
			Discount:      252000, // (300000 − 48000) × 1, flash_sale
			Total:         32119,  // total_amount: less than the items, vouchers are not itemized
			PlacedAt:      at(1712601591),
			UpdatedAt:     at(1713139948),
			ShipBy:        &shipBy,
			Carrier:       "5-Day Delivery (SPX)", // the package's, not the order's "Giao Hàng Nhanh"
			Buyer:         channels.Buyer{ExternalID: "1170319091", Name: "xt4fdsf96j"},
			ShippingAddress: channels.Address{
				Name: "P******n", Phone: "******64", Line1: "Ấp******", Line2: "Xã Phong Thạnh Tây B",
				City: "Huyện Phước Long", Region: "Bạc Liêu", CountryCode: "VN",
			},
			Lines: []channels.Line{{
				SKU:       "QAZ-SADOER-05", // model_sku; item_sku is empty
				ListingID: "23620853561:221404189791",
				LineID:    "23620853561:221404189791", // no line_item_id in the sample
				Name:      "🦋giảm giá🦋Kem nở ngực SADOER enlarging breast cream Papaya / Coconut essence 60g Chiết xuất đu đủ, cùi dừa, nở ngực, kem nâng ngực nhanh - 60g（Papaya）",
				Quantity:  1,
				UnitPrice: 300000,
				Discount:  252000,
			}},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := NormalizeOrderDetail(read(t, tt.file))
			require.NoError(t, err)
			require.Len(t, got, len(tt.want))
			for i, w := range tt.want {
				g := got[i]
				require.Equal(t, w.Kind, g.Kind)
				require.Equal(t, w.ExternalID, g.ExternalID)
				require.Equal(t, w.Number, g.Number)
				require.Equal(t, w.Status, g.Status)
				require.Equal(t, w.ChannelStatus, g.ChannelStatus)
				require.Equal(t, w.Paid, g.Paid, "pay_time set")
				require.Equal(t, w.COD, g.COD)
				require.Equal(t, w.Currency, g.Currency)
				require.Equal(t, w.Subtotal, g.Subtotal)
				require.Equal(t, w.Shipping, g.Shipping)
				require.Equal(t, w.Discount, g.Discount)
				require.Equal(t, w.PlatformDiscount, g.PlatformDiscount)
				require.Equal(t, w.Tax, g.Tax)
				require.Equal(t, w.Total, g.Total)
				require.Equal(t, w.PlacedAt, g.PlacedAt)
				require.Equal(t, w.UpdatedAt, g.UpdatedAt)
				require.NotNil(t, g.ShipBy)
				require.Equal(t, *w.ShipBy, *g.ShipBy)
				require.Equal(t, time.UTC, g.ShipBy.Location())
				require.Equal(t, w.Buyer, g.Buyer)
				require.Equal(t, w.ShippingAddress, g.ShippingAddress)
				require.Equal(t, w.Lines, g.Lines)
				require.Equal(t, w.Carrier, g.Carrier)
				require.Empty(t, g.TrackingNumber, "get_order_detail has no tracking number")
				require.Empty(t, g.Refs)
			}

			// One order_list entry through NormalizeOrder gives the same order.
			var resp struct {
				Response struct {
					OrderList []json.RawMessage `json:"order_list"`
				} `json:"response"`
			}
			require.NoError(t, json.Unmarshal(read(t, tt.file), &resp))
			one, err := NormalizeOrder(resp.Response.OrderList[0])
			require.NoError(t, err)
			require.Equal(t, got[0], one)
		})
	}
}

func TestPublishedSampleIsNotJSON(t *testing.T) {
	_, err := NormalizeOrderDetail(read(t, "sample_response_v2.order.get_order_detail.published.txt"))
	require.Error(t, err)
}

func TestNormalizeOrderValues(t *testing.T) {
	tests := []struct {
		name, body string
		check      func(t *testing.T, o channels.Order)
	}{
		{"THB cents from floats", `{"currency":"THB","total_amount":1004.0,"estimated_shipping_fee":40.5,"item_list":[{"model_sku":"M","item_sku":"I","model_quantity_purchased":2,"model_original_price":499.99,"model_discounted_price":482.0}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(100400), o.Total)
			require.Equal(t, int64(4050), o.Shipping)
			require.Equal(t, int64(96400), o.Subtotal)
			require.Equal(t, int64(3598), o.Discount)
			require.Equal(t, []channels.Line{{SKU: "M", Quantity: 2, UnitPrice: 49999, Discount: 3598}}, o.Lines)
		}},
		{"IDR whole rupiah", `{"currency":"IDR","total_amount":150000}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(150000), o.Total)
		}},
		{"float noise rounds", `{"currency":"MYR","total_amount":12.349999999,"actual_shipping_fee":4.9000001}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(1235), o.Total)
			require.Equal(t, int64(490), o.Shipping)
		}},
		{"exponent form", `{"currency":"VND","total_amount":1.5e6}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(1500000), o.Total)
		}},
		{"item without models uses item_sku", `{"item_list":[{"item_sku":"I","model_sku":"","model_quantity_purchased":1,"model_original_price":10,"model_discounted_price":10}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "I", o.Lines[0].SKU)
			require.Zero(t, o.Lines[0].Discount)
		}},
		{"bundle deal discounted price 0 is no discount", `{"currency":"SGD","item_list":[{"model_sku":"B","model_quantity_purchased":3,"model_original_price":5,"model_discounted_price":0}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, int64(1500), o.Subtotal)
			require.Zero(t, o.Discount)
		}},
		{"unpaid: no pay_time, no total, no ship-by", `{"order_sn":"X","order_status":"UNPAID","pay_time":0,"ship_by_date":0,"cod":false}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.PendingPayment, o.Status)
			require.False(t, o.Paid)
			require.Nil(t, o.ShipBy)
			require.Zero(t, o.Total)
		}},
		{"ids as strings, big ids intact", `{"order_sn":"S","buyer_user_id":9007199254740993}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "9007199254740993", o.Buyer.ExternalID)
		}},
		{"lost package makes a shipped order an exception", `{"order_status":"SHIPPED","package_list":[{"logistics_status":"LOGISTICS_PICKUP_DONE"},{"logistics_status":"LOGISTICS_LOST"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Exception, o.Status)
			require.Equal(t, "SHIPPED/LOGISTICS_LOST", o.ChannelStatus)
		}},
		{"a cancelled order stays cancelled", `{"order_status":"CANCELLED","package_list":[{"logistics_status":"LOGISTICS_COD_REJECTED"}]}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Cancelled, o.Status)
		}},
		{"unknown status is kept, not an error", `{"order_status":"TELEPORTED"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, channels.Unknown, o.Status)
			require.Equal(t, "TELEPORTED", o.ChannelStatus)
		}},
		{"recipient region falls back to order region", `{"region":"th","recipient_address":{"town":"T","district":"D"}}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "TH", o.ShippingAddress.CountryCode)
			require.Equal(t, "T, D", o.ShippingAddress.Line2)
		}},
		{"cod as 1", `{"cod":1}`, func(t *testing.T, o channels.Order) { require.True(t, o.COD) }},
		{"listing and line ids", `{"item_list":[
			{"item_id":100,"model_id":7,"line_item_id":9001,"order_item_id":100,"model_quantity_purchased":1},
			{"item_id":100,"model_id":8,"order_item_id":100,"model_quantity_purchased":1},
			{"item_id":200,"model_id":0,"line_item_id":0,"model_quantity_purchased":1}]}`, func(t *testing.T, o channels.Order) {
			got := [][2]string{}
			for _, l := range o.Lines {
				got = append(got, [2]string{l.ListingID, l.LineID})
			}
			require.Equal(t, [][2]string{{"100:7", "9001"}, {"100:8", "100:8"}, {"200:0", "200:0"}}, got)
		}},
		{"no carrier before shipment is arranged", `{"order_status":"READY_TO_SHIP","shipping_carrier":"SPX","package_list":[{"shipping_carrier":"SPX Express"}]}`, func(t *testing.T, o channels.Order) {
			require.Empty(t, o.Carrier)
		}},
		{"the order's carrier without packages", `{"order_status":"SHIPPED","shipping_carrier":"J&T Express"}`, func(t *testing.T, o channels.Order) {
			require.Equal(t, "J&T Express", o.Carrier)
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
		``, `{`, `[]`, `{"order_sn":"x",}`,
		`{"total_amount":"lots"}`,
		`{"total_amount":1e99}`,
		`{"total_amount":99999999999999999999}`,
		`{"create_time":"yesterday"}`,
		`{"ship_by_date":-5}`,
		`{"item_list":[{"model_quantity_purchased":1.5}]}`,
		`{"item_list":[{"model_quantity_purchased":-1}]}`,
	} {
		_, err := NormalizeOrder([]byte(body))
		require.Error(t, err, body)
	}
	_, err := NormalizeOrderDetail([]byte(`{"error":"error_auth","message":"Invalid access_token."}`))
	require.ErrorContains(t, err, "error_auth")
}
