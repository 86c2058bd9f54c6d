package shopee

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Numbers sent as strings and strings as numbers: get_order_detail documents floats, ints and
// strings, and any of them may come the other way; each is read alike.
func TestNormalizeOrderQuotedNumbers(t *testing.T) {
	for _, body := range []string{
		`{"order_sn":"2611110A1B2C3D","currency":"THB","total_amount":618.5,"create_time":1762794062,"cod":false,
		  "item_list":[{"item_id":23620853000,"model_id":221404189000,"model_sku":"TEE-M","model_quantity_purchased":2,"model_original_price":290,"model_discounted_price":290}]}`,
		`{"order_sn":"2611110A1B2C3D","currency":"THB","total_amount":"618.50","create_time":"1762794062","cod":"false",
		  "item_list":[{"item_id":"23620853000","model_id":"221404189000","model_sku":"TEE-M","model_quantity_purchased":"2","model_original_price":"290.0","model_discounted_price":"290"}]}`,
		`{"order_sn":"2611110A1B2C3D","currency":"THB","total_amount":"618.5","create_time":1762794062,"cod":0,"recipient_address":{"geolocation":{"lat":"13.7"},"zipcode":10110},
		  "item_list":[{"item_id":23620853000,"model_id":"221404189000","model_sku":"TEE-M","model_quantity_purchased":"2.0","model_original_price":"290","model_discounted_price":290.00}]}`,
	} {
		o, err := NormalizeOrder([]byte(body))
		require.NoError(t, err, body)
		require.Equal(t, int64(61850), o.Total, body)
		require.Equal(t, int64(1762794062), o.PlacedAt.Unix(), body)
		require.False(t, o.COD, body)
		require.Len(t, o.Lines, 1, body)
		require.Equal(t, "23620853000:221404189000", o.Lines[0].ListingID, body)
		require.Equal(t, int64(2), o.Lines[0].Quantity, body)
		require.Equal(t, int64(29000), o.Lines[0].UnitPrice, body)
	}
}
