package pos

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func readList(t testing.TB, name string) catalogList {
	raw, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	var l catalogList
	require.NoError(t, decode(raw, &l))
	return l
}

func TestCatalogItems(t *testing.T) {
	page := readList(t, "catalog_list.json")
	require.Equal(t, "CAESJgoCMTA=", page.Cursor.String())
	items := catalogItems(page.Objects, readList(t, "catalog_batch_retrieve_options.json").Objects)
	require.Len(t, items, 3, "variations without an id and objects other than items are left out")
	require.Equal(t, channels.CatalogItem{
		ListingID: "6SNBJ4ZSGOGDVVC2Z7J3ZQKZ", Attrs: map[string]string{"item_id": "5ZYQZZ2IECPVJ2IJ5KQPRDC3"},
		SellerSKU: "TEA-MUG", Barcode: "012345678905", Title: "Tea / Mug",
		Options: map[string]string{"Size": "Mug"}, Price: 150, Currency: "USD", Active: true,
	}, items[0])
	require.Empty(t, items[1].Options, "a value the options do not have is left out")
	require.Zero(t, items[1].Price, "variable pricing has no price")
	require.False(t, items[1].Active, "not sellable")
	require.Equal(t, "Coffee", items[2].Title, `Square's "Regular" variation adds nothing to the title`)
	require.Equal(t, "cof-01 ", items[2].SellerSKU)
	require.Equal(t, int64(250), items[2].Price)
	require.Equal(t, "JPY", items[2].Currency)

	require.Empty(t, catalogItems(page.Objects, nil)[0].Options, "without the option objects, no names")
}

func FuzzCatalogItems(f *testing.F) {
	for _, n := range []string{"catalog_list.json", "catalog_batch_retrieve_options.json"} {
		raw, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var l catalogList
		if decode(raw, &l) != nil {
			return
		}
		for _, it := range catalogItems(l.Objects, l.Objects) {
			if it.ListingID == "" {
				t.Fatal("a listing always has an id")
			}
		}
	})
}
