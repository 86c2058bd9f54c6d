package marketsim_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/registry"
)

// plantedCatalog is a catalogue with every way of planting: shirts in colours and sizes, mugs
// without options, and two bundles.
func plantedCatalog() ([]marketsim.CatalogProduct, []marketsim.CatalogBundle) {
	plants := []marketsim.Plant{marketsim.PlantExact, marketsim.PlantFuzzy, marketsim.PlantBarcode, marketsim.PlantOptions, marketsim.PlantTwice, marketsim.PlantUnlisted}
	var products []marketsim.CatalogProduct
	for i := range 12 {
		p := marketsim.CatalogProduct{Title: fmt.Sprintf("Shirt %d", i), Options: []string{"Color", "Size"}}
		for j, c := range []string{"Red", "Blue"} {
			for k, s := range []string{"S", "M"} {
				n := i*4 + j*2 + k
				p.Variants = append(p.Variants, marketsim.CatalogVariant{
					SKU: fmt.Sprintf("SH_%02d-%s-%s", i, c, s), Barcode: fmt.Sprintf("885%010d", n),
					Values: []string{c, s}, Price: 125000 + int64(n), Plant: plants[n%len(plants)],
				})
			}
		}
		products = append(products, p)
		products = append(products, marketsim.CatalogProduct{Title: fmt.Sprintf("Mug %d", i), Variants: []marketsim.CatalogVariant{
			{SKU: fmt.Sprintf("MUG-%02d", i), Barcode: fmt.Sprintf("990%010d", i), Price: 19900, Plant: plants[i%len(plants)]},
		}})
	}
	bundles := []marketsim.CatalogBundle{
		{SellerSKU: "BNDL-SH00-MUG00", Title: "Shirt and mug", Components: []string{"SH_00-Red-S", "MUG-00"}, Price: 139900},
		{SellerSKU: "BNDL-MUG01x2", Title: "Two mugs", Components: []string{"MUG-01*2"}, Price: 35000},
	}
	return products, bundles
}

// readCatalog pages through a connector's catalogue, returning its listings and the pages read.
func readCatalog(t *testing.T, r channels.CatalogReader) (map[string]channels.CatalogItem, int) {
	t.Helper()
	got := map[string]channels.CatalogItem{}
	cursor, pages := "", 0
	for {
		page, err := r.Catalog(context.Background(), cursor)
		require.NoError(t, err)
		pages++
		for _, it := range page.Items {
			_, dup := got[it.ListingID]
			require.False(t, dup, "listing %s twice", it.ListingID)
			got[it.ListingID] = it
		}
		if page.Next == "" {
			return got, pages
		}
		require.NotEqual(t, cursor, page.Next, "the cursor must move")
		require.Less(t, pages, 100, "paging does not end")
		cursor = page.Next
	}
}

// attrKeys are the listing keys each connector must hand back, as stock pushes use them.
var attrKeys = map[channels.Kind][]string{
	channels.Shopify:    {"inventory_item_id", "product_id"},
	channels.Shopee:     {"item_id", "model_id"},
	channels.Lazada:     {"item_id"},
	channels.TikTokShop: {"product_id"},
	channels.Facebook:   nil,
	channels.POS:        {"item_id"},
}

// TestCatalogRoundTrip plants a catalogue on every channel and reads it back through the channel's
// connector, page by page (10 a page), signed as for orders: every listing comes back with its
// ids, seller SKU, barcode, options and price, and nothing else does.
func TestCatalogRoundTrip(t *testing.T) {
	sim := marketsim.New("", marketsim.Options{CatalogPageSize: 10})
	srv := httptest.NewServer(sim.Handler())
	sim.SetBase(srv.URL)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	products, bundles := plantedCatalog()
	for _, kind := range marketsim.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			cfg, err := marketsim.CatalogFor(kind, "THB", products, bundles)
			require.NoError(t, err)
			sh, err := sim.AddShop(cfg)
			require.NoError(t, err)
			conn, err := registry.Open(sh.Account(), nil)
			require.NoError(t, err)
			got, pages := readCatalog(t, conn.(channels.CatalogReader))
			require.GreaterOrEqual(t, pages, 3)
			require.Len(t, got, len(cfg.Listings))
			fuzzy, noSKU, twice := 0, 0, map[string]int{}
			for _, l := range cfg.Listings {
				it, ok := got[l.ID]
				require.True(t, ok, "listing %s (%s) missing", l.ID, l.SKU)
				want := l.ChannelSKU()
				if kind == channels.Facebook {
					want = l.ID // Meta's seller SKU is the retailer id
				}
				require.Equal(t, want, it.SellerSKU, l.ID)
				require.Equal(t, l.Barcode, it.Barcode, l.ID)
				require.Equal(t, int64(l.Price), it.Price, l.ID)
				require.Equal(t, "THB", it.Currency, l.ID)
				require.True(t, it.Active, l.ID)
				require.Contains(t, it.Title, l.Name, l.ID)
				wantOpts := map[string]string{}
				for _, o := range l.Options {
					wantOpts[o.Name] = o.Value
				}
				require.Equal(t, wantOpts, orEmpty(it.Options), l.ID)
				for _, k := range attrKeys[kind] {
					require.Equal(t, l.Attrs[k], it.Attrs[k], "%s %s", l.ID, k)
				}
				switch {
				case l.SellerSKU != "" && len(l.Components) == 0:
					fuzzy++
				case l.NoSellerSKU:
					noSKU++
				}
				if l.SKU != "" {
					twice[l.SKU]++
				}
			}
			require.NotZero(t, fuzzy)
			require.NotZero(t, noSKU)
			require.Equal(t, 2, twice["MUG-04"], "PlantTwice lists a mug twice")
			require.Equal(t, 2, twice["SH_01-Red-S"], "PlantTwice lists a variant twice")
			require.NotContains(t, twice, "SH_01-Red-M", "PlantUnlisted lists nothing")
			require.Zero(t, sh.Refused())
		})
	}
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// TestCatalogRefusesBadCredentials: the catalogue calls are checked as the order calls are.
func TestCatalogRefusesBadCredentials(t *testing.T) {
	sim := start(t, 0)
	for _, kind := range marketsim.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			cfg, err := marketsim.DemoShop(kind, "USD", []marketsim.Product{{SKU: "A-1", Name: "A", Price: 100}})
			require.NoError(t, err)
			sh, err := sim.AddShop(cfg)
			require.NoError(t, err)
			a := sh.Account()
			a.AccessToken = "wrong-token"
			if kind == channels.Lazada || kind == channels.Shopee || kind == channels.TikTokShop {
				a.AccessToken = cfg.Credentials.AccessToken
				a.AppSecret = "wrong-secret" // the sign fails
			}
			conn, err := registry.Open(a, nil)
			require.NoError(t, err)
			_, err = conn.(channels.CatalogReader).Catalog(context.Background(), "")
			require.Error(t, err)
			require.Positive(t, sh.Refused())

			conn, err = registry.Open(sh.Account(), nil)
			require.NoError(t, err)
			got, _ := readCatalog(t, conn.(channels.CatalogReader))
			require.Len(t, got, 1)
			for _, it := range got {
				require.Equal(t, "A-1", it.SellerSKU)
				require.Equal(t, int64(100), it.Price)
			}
		})
	}
}
