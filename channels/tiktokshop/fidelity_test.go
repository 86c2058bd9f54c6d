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
