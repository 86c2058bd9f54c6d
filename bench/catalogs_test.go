package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/registry"
)

// catalogSKUs is the size of the brand that onboards: 5,000 SKUs, 1,000 products in 5 variants.
const catalogSKUs = 5000

// BenchmarkCatalogRead reads a 5,000-listing catalogue from each simulated channel through its
// connector, over loopback HTTP, signed, in the simulator's default pages of 50 products (items,
// objects): Shopify products.json, Shopee get_item_list + get_item_base_info + get_model_list per
// item, Lazada /products/get, TikTok Shop products/search + a Get Product per product, Meta's
// catalog products edge, Square's ListCatalog + BatchRetrieveCatalogObjects. It reports listings
// read per second and the pages a whole read takes.
func BenchmarkCatalogRead(b *testing.B) {
	var products []marketsim.CatalogProduct
	for p := range catalogSKUs / 5 {
		pr := marketsim.CatalogProduct{Title: fmt.Sprintf("Product %04d", p), Options: []string{"Size"}}
		for v, size := range []string{"XS", "S", "M", "L", "XL"} {
			pr.Variants = append(pr.Variants, marketsim.CatalogVariant{
				SKU: fmt.Sprintf("P%04d-%s", p, size), Barcode: fmt.Sprintf("88500%08d", p*5+v), Values: []string{size}, Price: 19900,
			})
		}
		products = append(products, pr)
	}
	sim := marketsim.New("", marketsim.Options{})
	srv := httptest.NewServer(sim.Handler())
	sim.SetBase(srv.URL)
	b.Cleanup(func() { sim.Close(); srv.Close() })
	for _, kind := range marketsim.Kinds {
		b.Run(string(kind), func(b *testing.B) {
			cfg, err := marketsim.CatalogFor(kind, "THB", products, nil)
			if err != nil {
				b.Fatal(err)
			}
			sh, err := sim.AddShop(cfg)
			if err != nil {
				b.Fatal(err)
			}
			conn, err := registry.Open(sh.Account(), nil)
			if err != nil {
				b.Fatal(err)
			}
			reader := conn.(channels.CatalogReader)
			listings, pages := 0, 0
			b.ResetTimer()
			for range b.N {
				cursor := ""
				for {
					page, err := reader.Catalog(context.Background(), cursor)
					if err != nil {
						b.Fatal(err)
					}
					listings += len(page.Items)
					pages++
					if cursor = page.Next; cursor == "" {
						break
					}
				}
			}
			b.StopTimer()
			if listings != catalogSKUs*b.N {
				b.Fatalf("read %d listings, want %d", listings, catalogSKUs*b.N)
			}
			b.ReportMetric(float64(listings)/b.Elapsed().Seconds(), "listings/s")
			b.ReportMetric(float64(pages)/float64(b.N), "pages/read")
		})
	}
}
