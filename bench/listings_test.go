package bench

import (
	"fmt"
	"testing"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/listings"
)

// BenchmarkListingMatch matches a 5,000-listing channel catalogue against a 5,000-SKU brand: the
// index built once, then every listing matched (most by exact SKU, 2% typed loosely, 1% unknown and
// given suggestions by edit distance, prefix and title). It reports listings matched per second.
func BenchmarkListingMatch(b *testing.B) {
	vs := make([]listings.Variant, catalogSKUs)
	items := make([]listings.Item, catalogSKUs)
	for i := range vs {
		sku := fmt.Sprintf("LS_%04d-%d", i/5, i%5)
		vs[i] = listings.Variant{ID: pulid.ID(fmt.Sprintf("sku_%05d", i)), SKU: sku, Name: sku, ProductName: fmt.Sprintf("Linen shirt %d", i/5),
			Barcode: fmt.Sprintf("885%010d", i)}
		items[i] = listings.Item{SellerSKU: sku, Title: vs[i].ProductName}
		switch i % 100 {
		case 1, 2:
			items[i].SellerSKU = listings.NormaliseSKU(sku)
		case 3:
			items[i].SellerSKU = sku + "-OLD"
		}
	}
	b.ResetTimer()
	for b.Loop() {
		ix := listings.NewIndex(vs)
		for _, it := range items {
			ix.Match(it)
		}
	}
	b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "listings/s")
}
