package tiktokshop

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestParseProduct(t *testing.T) {
	raw, err := os.ReadFile("testdata/catalog_get_product.json")
	require.NoError(t, err)
	var env envelope
	require.NoError(t, json.Unmarshal(raw, &env))
	items, err := ParseProduct(env.Data)
	require.NoError(t, err)
	require.Len(t, items, 2, "a SKU without an id is left out")
	require.Equal(t, channels.CatalogItem{
		ListingID: "1729592969712207012", Attrs: map[string]string{AttrProductID: "1729592969712207008"},
		SellerSKU: "Color-Red-XM001", Barcode: "10000000000010",
		Title:   "Men's Fashion Sports Low Cut Cotton Breathable Ankle Short Boat Invisible Socks / Red / M",
		Options: map[string]string{"Color": "Red", "Size": "M"}, Price: 115950, Currency: "THB", Active: true,
	}, items[0])
	require.Equal(t, "1729592969712207013", items[1].ListingID, "a numeric id keeps its digits")
	require.Empty(t, items[1].Options, "an attribute without a name is none")
	require.Zero(t, items[1].Price, "a price the currency cannot hold is none, not rounded")

	_, err = ParseProduct(json.RawMessage(`{"skus":{}}`))
	require.Error(t, err)
}

func FuzzParseProduct(f *testing.F) {
	raw, err := os.ReadFile("testdata/catalog_get_product.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"id":1,"skus":[{"id":2,"price":{"currency":"VND","sale_price":"-1"}}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		items, _ := ParseProduct(raw)
		for _, it := range items {
			if it.ListingID == "" {
				t.Fatal("a listing always has an id")
			}
		}
	})
}
