package lazada

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestParseProducts(t *testing.T) {
	raw, err := os.ReadFile("testdata/catalog_products_get.json")
	require.NoError(t, err)
	items, products, total, err := ParseProducts(raw, "SGD")
	require.NoError(t, err)
	require.Equal(t, 2, products)
	require.Equal(t, 3, total)
	require.Len(t, items, 3, "a SKU without SkuId is left out")
	require.Equal(t, channels.CatalogItem{
		ListingID: "314525867",
		Attrs:     map[string]string{"item_id": "180226526", "seller_sku": "39817:01:01", "shop_sku": "BU565ELAX8AGSGAMZ-1104491"},
		SellerSKU: "39817:01:01", Barcode: "4006381333931", Title: "Men's T-shirt / Black / Int:XL",
		Options: map[string]string{"color_family": "Black", "size": "Int:XL"}, Price: 3200, Currency: "SGD", Active: true,
	}, items[0])
	require.False(t, items[1].Active)
	require.Equal(t, int64(3250), items[1].Price)
	require.Zero(t, items[2].Price, "a price it cannot read is none")
	require.Empty(t, items[2].Currency)

	items, _, _, err = ParseProducts(raw, "") // a shop whose currency nothing tells
	require.NoError(t, err)
	require.Zero(t, items[0].Price)

	_, _, _, err = ParseProducts([]byte(`{"code":"0","data":{"total_products":"many"}}`), "THB")
	require.Error(t, err)
}

func TestShopCurrency(t *testing.T) {
	for base, want := range map[string]string{
		"https://api.lazada.co.th/rest": "THB", "https://api.lazada.vn/rest": "VND", "http://127.0.0.1:1/lazada/1/rest": "",
	} {
		require.Equal(t, want, (&Client{account: channels.Account{BaseURL: base}}).shopCurrency(), base)
	}
	c := &Client{account: channels.Account{BaseURL: "https://api.lazada.vn/rest", Credentials: channels.Credentials{Extra: map[string]string{"currency": "myr"}}}}
	require.Equal(t, "MYR", c.shopCurrency())
}

func FuzzParseProducts(f *testing.F) {
	raw, err := os.ReadFile("testdata/catalog_products_get.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"data":{"products":[{"skus":[{"SkuId":1,"saleProp":{"":null},"price":"1e400"}]}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		items, _, _, _ := ParseProducts(raw, "VND")
		for _, it := range items {
			if it.ListingID == "" {
				t.Fatal("a listing always has an id")
			}
		}
	})
}
