package shopify

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestParseProducts(t *testing.T) {
	raw, err := os.ReadFile("testdata/catalog_products.json")
	require.NoError(t, err)
	items, err := ParseProducts(raw, "usd")
	require.NoError(t, err)
	require.Len(t, items, 3) // the variant without an id is left out
	require.Equal(t, channels.CatalogItem{
		ListingID: "808950810", Attrs: map[string]string{"product_id": "632910392", "inventory_item_id": "808950810"},
		SellerSKU: "IPOD2008PINK", Barcode: "1234_pink", Title: "IPod Nano - 8GB / Pink",
		Options: map[string]string{"Color": "Pink"}, Price: 19900, Currency: "USD", Active: true,
	}, items[0])
	touch := items[2]
	require.Equal(t, "447654529", touch.ListingID)
	require.Equal(t, "IPod Touch 8GB", touch.Title)
	require.Empty(t, touch.Options, "Shopify's Title: Default Title is no option")
	require.Empty(t, touch.Barcode)
	require.False(t, touch.Active, "a draft product is not listed")

	items, err = ParseProducts(raw, "") // no currency: no price rather than a guess
	require.NoError(t, err)
	require.Zero(t, items[0].Price)
	require.Empty(t, items[0].Currency)

	_, err = ParseProducts([]byte(`{"products":{`), "USD")
	require.Error(t, err)
}

func FuzzParseProducts(f *testing.F) {
	seeds(f)
	f.Add([]byte(`{"products":[{"options":[{"position":-5,"name":"x"},{"position":99}],"variants":[{"id":"1","option3":"a","price":"1e99"}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		items, err := ParseProducts(raw, "THB")
		for _, it := range items {
			if err != nil || it.ListingID == "" {
				t.Fatal("a listing always has an id")
			}
		}
	})
}
