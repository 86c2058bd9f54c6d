package imports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/imports"
)

// shopCatalog is a simulated shop's listings read as its catalogue, pageSize at a time.
type shopCatalog struct {
	items    []channels.CatalogItem
	pageSize int
}

func (c shopCatalog) Catalog(_ context.Context, cursor string) (channels.CatalogPage, error) {
	from := 0
	if cursor != "" {
		if _, err := fmt.Sscan(cursor, &from); err != nil {
			return channels.CatalogPage{}, err
		}
	}
	to := min(len(c.items), from+c.pageSize)
	page := channels.CatalogPage{Items: c.items[from:to]}
	if to < len(c.items) {
		page.Next = fmt.Sprint(to)
	}
	return page, nil
}

// readers opens each channel's simulated catalogue.
type readers map[pulid.ID]channels.CatalogReader

func (r readers) CatalogReader(ch *ent.Channel) (channels.CatalogReader, bool, error) {
	c, ok := r[ch.ID]
	return c, ok, nil
}

// catalogSize is how many SKUs the brand sells.
const catalogSize = 400

// The six simulated channels list the brand's catalogue under their own ids; sellers typed a few
// SKUs loosely (normalised matches), and one SKU of the brand exists twice under spellings that
// normalise alike, so that its listing on every channel is ambiguous and waits for review.
func TestChannelCatalogsImportAndMap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		p, err := db.Client.Product.Create().SetName("Tee").Save(ctx)
		require.NoError(t, err)
		var creates []*ent.VariantCreate
		var products []marketsim.Product
		for i := range catalogSize {
			sku := fmt.Sprintf("TEE-%04d", i)
			creates = append(creates, db.Client.Variant.Create().SetSku(sku).SetName(sku).SetProductID(p.ID))
			listed := sku
			if i%200 == 7 {
				listed = strings.ToLower(strings.ReplaceAll(sku, "-", " ")) // "tee 0007": normalised
			}
			products = append(products, marketsim.Product{SKU: listed, Name: "Tee " + sku, Price: 1000})
		}
		creates = append(creates, db.Client.Variant.Create().SetSku("AMB-1").SetName("a").SetProductID(p.ID),
			db.Client.Variant.Create().SetSku("amb_1").SetName("b").SetProductID(p.ID))
		products = append(products, marketsim.Product{SKU: "Amb 1", Name: "Amb", Price: 1000}, marketsim.Product{SKU: "", Name: "No SKU", Price: 1000})
		for chunk := range chunks(creates, 100) {
			require.NoError(t, db.Client.Variant.CreateBulk(chunk...).Exec(ctx))
		}

		rs := readers{}
		chans := map[channels.Kind]pulid.ID{}
		for _, kind := range marketsim.Kinds {
			shop, err := marketsim.DemoShop(kind, "USD", products)
			require.NoError(t, err)
			ch, err := db.Client.Channel.Create().SetKind(channel.Kind(kind)).SetName(string(kind)).SetShopID(shop.ShopID).Save(ctx)
			require.NoError(t, err)
			var items []channels.CatalogItem
			for i, l := range shop.Listings {
				id := l.ID
				if id == "" { // Meta's retailer id is the SKU: the listing without one gets an id anyway
					id = fmt.Sprintf("nosku-%d", i)
				}
				items = append(items, channels.CatalogItem{ListingID: id, SellerSKU: l.SKU, Title: l.Name, Price: l.Price, Attrs: l.Attrs, Active: true})
			}
			rs[ch.ID] = shopCatalog{items: items, pageSize: 50}
			chans[kind] = ch.ID
		}
		h := imports.ChannelCatalog{Readers: rs}
		require.Equal(t, importjob.KindCHANNEL_CATALOG, h.Kind())

		withSKU, exact, normalised := 0, 0, 0
		for _, kind := range marketsim.Kinds {
			chID := chans[kind]
			job, err := db.Client.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).SetChannelID(chID).Save(ctx)
			require.NoError(t, err)
			pages := 0
			checked, err := h.Check(ctx, db.Client, job, func(done, total int) { pages++ })
			require.NoError(t, err)
			require.Equal(t, catalogSize+2, checked.Total)
			require.Empty(t, checked.Errors)
			require.GreaterOrEqual(t, pages, (catalogSize+2)/50, "progress per page")
			apply := func() map[string]int {
				sum := map[string]int{}
				for from := 0; from < checked.Plan.Len(); from += 150 {
					require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error {
						counts, err := h.Apply(ctx, tx, job, checked.Plan, from, min(checked.Plan.Len(), from+150))
						for k, n := range counts {
							sum[k] += n
						}
						return err
					}))
				}
				return sum
			}
			counts := apply()
			require.Equal(t, catalogSize+2, counts["new"], kind)
			require.Equal(t, catalogSize, counts["mapped"], kind)
			require.Equal(t, 2, counts["review"], kind)
			withSKU += catalogSize + 1
			exact += counts["exact_sku"]
			normalised += counts["normalised_sku"]

			// Only mapped listings have a ChannelListing, each marked for a push.
			ls := db.Client.ChannelListing.Query().Where(channellisting.ChannelID(chID)).AllX(ctx)
			require.Len(t, ls, catalogSize, kind)
			for _, l := range ls {
				require.NotNil(t, l.DirtySince)
			}
			amb := db.Client.ListingCandidate.Query().Where(listingcandidate.ChannelID(chID), listingcandidate.SellerSku("Amb 1")).OnlyX(ctx)
			require.Equal(t, listingcandidate.StatusREVIEW, amb.Status)
			require.Equal(t, listingcandidate.ReasonAMBIGUOUS, amb.Reason)
			require.Len(t, amb.Suggestions, 2)

			// The same catalogue again: nothing new, nothing pushed again.
			events := db.Client.Event.Query().CountX(ctx)
			again := apply()
			require.Zero(t, again["new"])
			require.Equal(t, catalogSize, again["mapped"])
			require.Equal(t, events, db.Client.Event.Query().CountX(ctx))
		}
		rate, exactRate := float64(exact+normalised)/float64(withSKU), float64(exact)/float64(withSKU)
		t.Logf("listings with a seller SKU: %d; mapped by exact SKU %d (%.2f%%), by normalised SKU %d; mapped by SKU %.2f%%; ambiguous in review: %d",
			withSKU, exact, 100*float64(exact)/float64(withSKU), normalised, 100*rate, len(marketsim.Kinds))
		require.GreaterOrEqual(t, exactRate, 0.99, "listings with a seller SKU mapped by their exact SKU")
		require.Equal(t, withSKU-len(marketsim.Kinds), exact+normalised, "every listing but the ambiguous ones maps by SKU")
	})
}

func TestChannelCatalogRefusesBadJobs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		h := imports.ChannelCatalog{Readers: readers{}}
		job, err := db.Client.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).Save(ctx)
		require.NoError(t, err)
		_, err = h.Check(ctx, db.Client, job, func(int, int) {})
		require.ErrorContains(t, err, "needs a channel")
		ch, err := db.Client.Channel.Create().SetKind(channel.KindSHOPEE).SetName("s").SetShopID("1").Save(ctx)
		require.NoError(t, err)
		job, err = db.Client.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).SetChannelID(ch.ID).Save(ctx)
		require.NoError(t, err)
		_, err = h.Check(ctx, db.Client, job, func(int, int) {})
		require.ErrorContains(t, err, "cannot list its catalogue")
		// A catalogue whose pages loop is refused, not read forever.
		h.Readers = readers{ch.ID: loop{}}
		_, err = h.Check(ctx, db.Client, job, func(int, int) {})
		require.ErrorContains(t, err, "in a loop")
	})
}

type loop struct{}

func (loop) Catalog(context.Context, string) (channels.CatalogPage, error) {
	return channels.CatalogPage{Items: []channels.CatalogItem{{ListingID: "1", SellerSKU: "X"}}, Next: "again"}, nil
}

func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for i := 0; i < len(s); i += n {
			if !yield(s[i:min(len(s), i+n)]) {
				return
			}
		}
	}
}
