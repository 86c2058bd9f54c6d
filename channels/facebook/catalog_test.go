package facebook

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestParseProducts(t *testing.T) {
	raw, err := os.ReadFile("testdata/catalog_products.json")
	require.NoError(t, err)
	page, err := ParseProducts(raw)
	require.NoError(t, err)
	require.Equal(t, "QVFIUkxW", page.Next)
	require.Len(t, page.Items, 3, "an item without a retailer id is left out")
	require.Equal(t, channels.CatalogItem{
		ListingID: "TEE-RED-M", Attrs: map[string]string{"product_item_id": "3516386778376523", "retailer_product_group_id": "TEE"},
		SellerSKU: "TEE-RED-M", Barcode: "8850000000026", Title: "Cotton tee",
		Options: map[string]string{"Color": "Red", "Size": "M", "Sleeve": "Short"}, Price: 125000, Currency: "THB", Active: true,
	}, page.Items[0])
	require.Equal(t, "mug_01 ", page.Items[1].SellerSKU, "the retailer id is kept as Meta has it")
	require.Equal(t, int64(1250), page.Items[1].Price)
	require.False(t, page.Items[1].Active, "discontinued")
	require.Equal(t, int64(48000), page.Items[2].Price)
	require.False(t, page.Items[2].Active, "staging")

	last, err := ParseProducts([]byte(`{"data":[],"paging":{"cursors":{"before":"a","after":"b"}}}`))
	require.NoError(t, err)
	require.Empty(t, last.Next, "no paging.next: the last page")
}

func TestFormattedPrice(t *testing.T) {
	for _, c := range []struct {
		in   string
		exp  int
		want int64
		ok   bool
	}{
		{"$12.99", 2, 1299, true},
		{"฿1,250.00", 2, 125000, true},
		{"1.234,50 €", 2, 123450, true},
		{"$1,234", 2, 123400, true},
		{"₫48,000", 0, 48000, true},
		{"₫48.000", 0, 48000, true},
		{"KWD1.250", 3, 1250, true},
		{"$0.5", 2, 50, true},
		{"free", 2, 0, false},
		{"", 2, 0, false},
		{"-$5.00", 2, 0, false},
		{"$99999999999999999999.00", 2, 0, false},
	} {
		got, ok := FormattedPrice(c.in, c.exp)
		require.Equal(t, c.ok, ok, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

func FuzzFormattedPrice(f *testing.F) {
	for _, s := range []string{"$12.99", "1.234,50 €", "₫48,000", ",.,", "9.9.9"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, exp int) {
		if exp < 0 || exp > 3 {
			return
		}
		if n, ok := FormattedPrice(s, exp); ok && n < 0 {
			t.Fatalf("%q: a negative price %d", s, n)
		}
	})
}
