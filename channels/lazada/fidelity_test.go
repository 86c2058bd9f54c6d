package lazada

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// An order whose ids, amounts, phone and post code come as numbers, and whose items carry no
// sku_id: every value is read, and each unit's listing is the SkuId its shop_sku names.
func TestNormalizeOrderNumbersAndShopSKU(t *testing.T) {
	o, err := NormalizeOrder(fixture(t, "ours_getorder_numbers.json"), fixture(t, "ours_getmultipleorderitems_no_sku_id.json"))
	require.NoError(t, err)
	require.Equal(t, "640112233445566", o.ExternalID, "a 15-digit id sent as a number, kept exactly")
	require.Equal(t, "THB", o.Currency)
	require.Equal(t, int64(58000), o.Subtotal)
	require.Equal(t, int64(3800), o.Shipping)
	require.Equal(t, int64(61800), o.Total)
	require.Equal(t, "10240", o.ShippingAddress.PostalCode)
	require.Equal(t, "66812345678", o.ShippingAddress.Phone)
	require.Len(t, o.Lines, 1)
	l := o.Lines[0]
	require.Equal(t, "10723473521", l.ListingID, "the SkuId shop_sku ends with")
	require.Equal(t, "TEE-M-2019", l.SKU)
	require.Equal(t, int64(2), l.Quantity)
	require.Equal(t, []string{"640112233445567", "640112233445568"}, l.UnitIDs)
	require.True(t, o.Paid)
}

// A push's message_type is a number in the docs; sent as a string it means the same.
func TestParsePushMessageTypeAsString(t *testing.T) {
	for _, body := range []string{
		`{"seller_id":"100056775","message_type":0,"data":{"trade_order_id":"260422900198001","order_status":"pending"},"timestamp":1603698638000}`,
		`{"seller_id":100056775,"message_type":"0","data":{"trade_order_id":260422900198001,"order_status":"pending"},"timestamp":"1603698638000"}`,
	} {
		n, err := Webhooks{}.Parse(nil, []byte(body))
		require.NoError(t, err, body)
		require.Equal(t, "trade_order:pending", n.Topic, body)
		require.Equal(t, []string{"260422900198001"}, n.OrderIDs, body)
	}
	for _, body := range []string{`{"seller_id":"1"}`, `{"message_type":"zero"}`, `{"message_type":{}}`} {
		_, err := Webhooks{}.Parse(nil, []byte(body))
		require.Error(t, err, body)
	}
}
