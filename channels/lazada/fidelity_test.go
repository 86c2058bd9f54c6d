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
