package e2e_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/listings"
	"github.com/ordo-oms/ordo/ordotest"
)

// brandCatalog is a brand's catalogue as Ordo holds it and as the channels list it: 110 shirts in
// four variants and 40 mugs, most listed under Ordo's SKU, some typed loosely, some with only a
// barcode, some with only the title and options, a few listed twice, a few not at all; and bundles.
func brandCatalog() ([]marketsim.CatalogProduct, []marketsim.CatalogBundle) {
	plant := func(n int) marketsim.Plant {
		switch {
		case n%50 == 1:
			return marketsim.PlantFuzzy
		case n%50 == 2:
			return marketsim.PlantBarcode
		case n%50 == 3:
			return marketsim.PlantOptions
		case n%250 == 4:
			return marketsim.PlantTwice
		case n%100 == 5:
			return marketsim.PlantUnlisted
		}
		return marketsim.PlantExact
	}
	var products []marketsim.CatalogProduct
	n := 0
	for i := range 110 {
		p := marketsim.CatalogProduct{Title: fmt.Sprintf("Linen Shirt %d", i), Options: []string{"Color", "Size"}}
		for _, c := range []string{"Sand", "Navy"} {
			for _, s := range []string{"S", "M"} {
				p.Variants = append(p.Variants, marketsim.CatalogVariant{SKU: fmt.Sprintf("LS_%03d-%s-%s", i, c, s),
					Barcode: fmt.Sprintf("885%010d", n), Values: []string{c, s}, Price: 89000, Plant: plant(n)})
				n++
			}
		}
		products = append(products, p)
	}
	for i := range 40 {
		products = append(products, marketsim.CatalogProduct{Title: fmt.Sprintf("Stoneware Mug %d", i), Variants: []marketsim.CatalogVariant{
			{SKU: fmt.Sprintf("MUG-%03d", i), Barcode: fmt.Sprintf("990%010d", i), Price: 19900, Plant: plant(n)}}})
		n++
	}
	bundles := []marketsim.CatalogBundle{
		{SellerSKU: "SET-LS000-MUG000", Title: "Shirt and mug", Components: []string{"LS_000-Sand-S", "MUG-000"}, Price: 99000},
		{SellerSKU: "SET-MUG001x2", Title: "Two mugs", Components: []string{"MUG-001*2"}, Price: 35000},
	}
	return products, bundles
}

// Issue 14, must show 2: the six simulated channels' catalogues, read through their real
// connectors (paged by the simulator), import and map: no listing maps to a wrong SKU; ≥ 99% of the
// listings whose seller SKU is Ordo's map by exact SKU; loose spellings, barcodes, options and
// bundles map by their rules; SKUs listed twice wait in review with the SKU suggested.
func TestSimulatedCatalogsImportAndMap(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := auth.NewContext(context.Background(), auth.System)
		srv := ordotest.Start(t, url)
		db := srv.Inst.DB.Client
		products, bundles := brandCatalog()
		skuID := map[string]pulid.ID{}
		for _, p := range products {
			pr, err := db.Product.Create().SetName(p.Title).Save(ctx)
			require.NoError(t, err)
			for _, v := range p.Variants {
				opts := map[string]string{}
				for i, o := range p.Options {
					opts[o] = v.Values[i]
				}
				row, err := db.Variant.Create().SetSku(v.SKU).SetName(v.SKU).SetProductID(pr.ID).SetBarcode(v.Barcode).SetOptions(opts).Save(ctx)
				require.NoError(t, err)
				skuID[v.SKU] = row.ID
			}
		}
		for _, b := range bundles {
			pr, err := db.Product.Create().SetName(b.Title).Save(ctx)
			require.NoError(t, err)
			row, err := db.Variant.Create().SetSku(b.SellerSKU).SetName(b.Title).SetProductID(pr.ID).Save(ctx)
			require.NoError(t, err)
			skuID[b.SellerSKU] = row.ID
		}

		sim := marketsim.New("", marketsim.Options{CatalogPageSize: 25})
		web := httptest.NewServer(sim.Handler())
		sim.SetBase(web.URL)
		t.Cleanup(func() { sim.Close(); web.Close() })
		h := imports.ChannelCatalog{Readers: srv.Inst.Connections}
		never := 0
		withSKU, exactOfOrdo, ordoSKU, metaTitleOnly, byReason := 0, 0, 0, 0, map[listingcandidate.Reason]int{}
		for _, kind := range marketsim.Kinds {
			cfg, err := marketsim.CatalogFor(kind, "THB", products, bundles)
			require.NoError(t, err)
			sh, err := sim.AddShop(cfg)
			require.NoError(t, err)
			a := sh.Account()
			ch, err := srv.Inst.Connections.ConnectChannel(ctx, connections.Connect{Kind: channel.Kind(kind), Name: string(kind), ShopID: a.ShopID,
				BaseURL: a.BaseURL, AuthURL: a.AuthURL, Credentials: a.Credentials, PullIntervalSeconds: &never})
			require.NoError(t, err)
			job, err := db.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).SetChannelID(ch.ID).Save(ctx)
			require.NoError(t, err)
			checked, err := h.Check(ctx, db, job, func(int, int) {})
			require.NoError(t, err, kind)
			require.Equal(t, len(cfg.Listings), checked.Total, kind)
			for from := 0; from < checked.Plan.Len(); from += 200 {
				require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
					_, err := h.Apply(ctx, tx, job, checked.Plan, from, min(checked.Plan.Len(), from+200))
					return err
				}))
			}
			cands := map[string]*ent.ListingCandidate{}
			for _, c := range db.ListingCandidate.Query().Where(listingcandidate.ChannelID(ch.ID)).AllX(ctx) {
				cands[c.ExternalID] = c
			}
			require.Len(t, cands, len(cfg.Listings), kind)
			for _, l := range cfg.Listings {
				c := cands[strings.TrimSpace(l.ID)] // listing ids are kept trimmed, as setChannelListings keeps them
				require.NotNil(t, c, "%s: listing %s", kind, l.ID)
				truth := l.SKU
				if truth == "" {
					truth = l.SellerSKU // a bundle: Ordo's bundle SKU is the seller's
				}
				if c.VariantID != nil {
					require.Equal(t, skuID[truth], *c.VariantID, "%s: listing %s (%s) mapped to the wrong SKU by %s", kind, l.ID, truth, c.Reason)
				}
				byReason[c.Reason]++
				if c.SellerSku == "" {
					continue
				}
				withSKU++
				if c.SellerSku == truth {
					ordoSKU++
					if c.Reason == listingcandidate.ReasonEXACT_SKU {
						exactOfOrdo++
					}
				}
				if c.Status == listingcandidate.StatusREVIEW && listings.NormaliseSKU(c.SellerSku) == listings.NormaliseSKU(truth) {
					require.Equal(t, listingcandidate.ReasonAMBIGUOUS, c.Reason, "%s: %s", kind, l.ID)
					require.Equal(t, skuID[truth], c.Suggestions[0].VariantID)
				} else if c.Status == listingcandidate.StatusREVIEW {
					// Only Meta gives a listing without a SKU one (its retailer id): a one-variant
					// product's title then does not map it alone, but suggests it first.
					require.Equal(t, channels.Facebook, kind, "%s: %s (%s) waits: %s %v", kind, l.ID, truth, c.Reason, c.Suggestions)
					require.Empty(t, l.ChannelSKU(), l.ID)
					require.Equal(t, skuID[truth], c.Suggestions[0].VariantID, l.ID)
					metaTitleOnly++
				}
			}
			mapped := db.ListingCandidate.Query().Where(listingcandidate.ChannelID(ch.ID), listingcandidate.StatusEQ(listingcandidate.StatusMAPPED)).CountX(ctx)
			require.Equal(t, mapped, db.ChannelListing.Query().Where(channellisting.ChannelID(ch.ID)).CountX(ctx), "%s: a ChannelListing per mapped listing, none other", kind)
		}
		exact := float64(exactOfOrdo) / float64(ordoSKU)
		t.Logf("six catalogues: %d listings with a seller SKU, %d of them Ordo's SKU exactly, %.2f%% of those mapped by EXACT_SKU; by reason: %v",
			withSKU, ordoSKU, 100*exact, byReason)
		require.GreaterOrEqual(t, exact, 0.99)
		require.Equal(t, metaTitleOnly, byReason[listingcandidate.ReasonNONE], "every listing but those listed twice and Meta's title-only ones maps by one rule or another")
		for _, r := range []listingcandidate.Reason{listingcandidate.ReasonNORMALISED_SKU, listingcandidate.ReasonBARCODE,
			listingcandidate.ReasonOPTIONS, listingcandidate.ReasonAMBIGUOUS} {
			require.NotZero(t, byReason[r], "no listing mapped or waited by %s", r)
		}
	})
}
