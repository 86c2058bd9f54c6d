package shopify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func ours(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return raw
}

// Numbers sent as strings and strings sent as numbers: a quoted latitude, longitude and quantity,
// a variant id in quotes, amounts and a zip as bare numbers. None fails the order; each is read.
func TestNormalizeOrderQuotedNumbers(t *testing.T) {
	o, err := NormalizeOrder(ours(t, "ours_orders_create_quoted_numbers.json"))
	require.NoError(t, err)
	require.Equal(t, "5802360143995", o.ExternalID)
	a := o.ShippingAddress
	require.NotNil(t, a.Latitude)
	require.NotNil(t, a.Longitude)
	require.InDelta(t, 13.7246, *a.Latitude, 1e-9)
	require.InDelta(t, 100.5662, *a.Longitude, 1e-9)
	require.Equal(t, "10110", a.PostalCode)
	require.Equal(t, []channels.Line{{SKU: "TEE-M", ListingID: "44012345678901", LineID: "14012345678901", Name: "Tee - M", Quantity: 2, UnitPrice: 29000}}, o.Lines)
	require.Equal(t, int64(58000), o.Subtotal)
	require.Equal(t, int64(5000), o.Shipping)
	require.Equal(t, int64(63000), o.Total)
}

// A latitude Ordo cannot read is dropped, never a reason to refuse the order.
func TestNormalizeOrderUnreadableCoordinates(t *testing.T) {
	for _, lat := range []string{`"north"`, `""`, `null`, `{"deg":13}`, `[13.7]`, `true`, `"NaN"`} {
		o, err := NormalizeOrder([]byte(`{"id":1,"shipping_address":{"city":"Bangkok","latitude":` + lat + `,"longitude":"100.5"}}`))
		require.NoError(t, err, lat)
		require.Nil(t, o.ShippingAddress.Latitude, lat)
		require.NotNil(t, o.ShippingAddress.Longitude, lat)
	}
}

// A custom item and a tip name no product, variant or SKU: they are non-stock lines, kept with
// their price; the catalogue line beside them is not.
func TestNormalizeOrderCustomItemAndTip(t *testing.T) {
	o, err := NormalizeOrder(ours(t, "ours_orders_create_custom_item_tip.json"))
	require.NoError(t, err)
	require.Len(t, o.Lines, 3)
	require.False(t, o.Lines[0].NonStock)
	require.Equal(t, "CAP", o.Lines[0].SKU)
	require.True(t, o.Lines[1].NonStock)
	require.Equal(t, int64(26500), o.Lines[1].UnitPrice)
	require.True(t, o.Lines[2].NonStock)
	require.Equal(t, "Tip", o.Lines[2].Name)
	var sum int64
	for _, l := range o.Lines {
		sum += l.UnitPrice * l.Quantity
	}
	require.Equal(t, o.Subtotal, sum)
	require.Equal(t, int64(48500), o.Total)

	// A deleted variant keeps its product and SKU: still a stock line, mapped by its SKU.
	o, err = NormalizeOrder([]byte(`{"id":2,"line_items":[{"id":3,"variant_id":null,"product_id":8,"sku":"CAP","quantity":1,"price":"1.00"}]}`))
	require.NoError(t, err)
	require.False(t, o.Lines[0].NonStock)
	require.True(t, o.Lines[0].Stocked())
}
