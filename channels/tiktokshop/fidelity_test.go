package tiktokshop

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// An Indonesian order: the city is district_info's L2 (kota), not L3 (kecamatan), which goes to
// the second line with the kelurahan; its times, ids and amounts come as numbers and strings alike.
func TestNormalizeOrderIndonesianAddress(t *testing.T) {
	o, err := NormalizeOrder(fixture(t, "ours_get-order-detail_ID_district_levels.json"))
	require.NoError(t, err)
	require.Equal(t, channels.Address{
		Name: "Siti Rahmawati", Phone: "(+62)812****678", Line1: "Jl. Asia Afrika No. 8",
		Line2: "Tower B lantai 12, Tanah Abang, Gelora", City: "Kota Jakarta Pusat", Region: "DKI Jakarta",
		PostalCode: "10270", CountryCode: "ID",
	}, o.ShippingAddress)
	require.Equal(t, "IDR", o.Currency)
	require.Equal(t, int64(150000), o.Subtotal)
	require.Equal(t, int64(162000), o.Total)
	require.Equal(t, int64(1762794062), o.PlacedAt.Unix())
	require.Equal(t, int64(1762794069), o.UpdatedAt.Unix())
	require.True(t, o.Paid)
	require.Len(t, o.Lines, 1, "two units of one SKU, ids as numbers and strings, are one line")
	require.Equal(t, "1729600000000000001", o.Lines[0].ListingID)
	require.Equal(t, int64(2), o.Lines[0].Quantity)
	require.Equal(t, "1153132168123859001", o.Refs[RefPackageID])
}

// A webhook's type is a number in the docs; sent as a string it means the same.
func TestParseWebhookTypeAsString(t *testing.T) {
	for _, body := range []string{
		`{"type":1,"shop_id":"7494049642642441621","data":{"order_id":"576461413038785753","order_status":"AWAITING_SHIPMENT"}}`,
		`{"type":"1","shop_id":7494049642642441621,"data":{"order_id":576461413038785753,"order_status":"AWAITING_SHIPMENT"}}`,
	} {
		n, err := Webhooks{}.Parse(nil, []byte(body))
		require.NoError(t, err, body)
		require.Equal(t, "ORDER_STATUS_CHANGE:AWAITING_SHIPMENT", n.Topic, body)
		require.Equal(t, []string{"576461413038785753"}, n.OrderIDs, body)
	}
	for _, body := range []string{`{"shop_id":"1"}`, `{"type":"one"}`, `{"type":-1}`, `{"type":1.5}`} {
		_, err := Webhooks{}.Parse(nil, []byte(body))
		require.Error(t, err, body)
	}
}
