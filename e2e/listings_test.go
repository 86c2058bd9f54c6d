package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/imports"
)

// simCatalog reads a simulated shop's listings as its catalogue, two at a time, with the seller
// SKUs sellerSKU gives them (until the simulator lists catalogues itself).
type simCatalog struct {
	items []channels.CatalogItem
}

func (c simCatalog) Catalog(_ context.Context, cursor string) (channels.CatalogPage, error) {
	from := 0
	if cursor != "" {
		fmt.Sscan(cursor, &from)
	}
	to := min(len(c.items), from+2)
	page := channels.CatalogPage{Items: c.items[from:to]}
	if to < len(c.items) {
		page.Next = fmt.Sprint(to)
	}
	return page, nil
}

type simCatalogs map[pulid.ID]channels.CatalogReader

func (r simCatalogs) CatalogReader(ch *ent.Channel) (channels.CatalogReader, bool, error) {
	c, ok := r[ch.ID]
	return c, ok, nil
}

// Issue 14: the six simulated catalogues import with their listings unmapped; TEE-M's listings
// (the seller typed "tee m") map by themselves and their stock reaches every channel; CAP's
// (listed as "CAP-OLD") wait for review with CAP suggested and get no stock push, until an operator
// confirms the suggestions in bulk, after which their stock is pushed too.
func TestListingsImportReviewConfirmAndSync(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv, m := channelShop(t, url, demo.MarketOptions{})
		requireStock(t, m, "TEE-M", 40)
		requireStock(t, m, "CAP", 20)
		db := srv.Inst.DB.Client
		// Day one: none of the channels' listings is mapped. (In a retried transaction: the stock
		// pushes still running update the same rows, and PostgreSQL may pick this delete in a deadlock.)
		err := srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
			_, err := tx.ChannelListing.Delete().Exec(ctx)
			return err
		})
		require.NoError(t, err)

		readers := simCatalogs{}
		for kind, sh := range m.Shops {
			var items []channels.CatalogItem
			for _, l := range sh.Config().Listings {
				sku := map[string]string{"TEE-M": "tee m", "CAP": "CAP-OLD"}[l.SKU]
				items = append(items, channels.CatalogItem{ListingID: l.ID, SellerSKU: sku, Title: l.Name, Price: l.Price, Attrs: l.Attrs, Active: true})
			}
			readers[m.Channels[kind]] = simCatalog{items: items}
		}
		pushed := func(sku string) map[channels.Kind]int {
			out := map[channels.Kind]int{}
			for kind, sh := range m.Shops {
				out[kind] = pushesOf(sh, listingOf(t, sh, sku))
			}
			return out
		}
		teeBefore, capBefore := pushed("TEE-M"), pushed("CAP")

		h := imports.ChannelCatalog{Readers: readers}
		for kind, chID := range m.Channels {
			job, err := db.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).SetChannelID(chID).Save(ctx)
			require.NoError(t, err)
			checked, err := h.Check(ctx, db, job, func(int, int) {})
			require.NoError(t, err)
			require.Equal(t, 2, checked.Total, kind)
			require.NoError(t, srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
				counts, err := h.Apply(ctx, tx, job, checked.Plan, 0, checked.Plan.Len())
				require.Equal(t, map[string]int{"new": 2, "mapped": 1, "normalised_sku": 1, "review": 1}, counts, kind)
				return err
			}))
		}
		srv.Inst.Listings.Changed() // what the import runner does after a batch

		for kind, sh := range m.Shops {
			id := listingOf(t, sh, "TEE-M")
			require.Eventually(t, func() bool { return pushesOf(sh, id) > teeBefore[kind] && lastPush(sh, id) == 40 }, channelWait, 10*time.Millisecond,
				"%s was not pushed the stock of its newly mapped listing", kind)
		}
		require.Equal(t, capBefore, pushed("CAP"), "a listing in review is not pushed")
		require.Zero(t, db.ChannelListing.Query().Where(channellisting.SellerSku("CAP-OLD")).CountX(ctx))

		// The review queue, as the console reads it, and a bulk confirmation of its top suggestions.
		var queue struct {
			ListingCandidates struct {
				Nodes []struct {
					ID          pulid.ID
					Reason      string
					Suggestions []struct {
						Variant struct {
							ID  pulid.ID
							Sku string
						}
						Reason string
						Score  float64
					}
				}
			}
			ListingCandidateCounts []struct {
				Status string
				Count  int
			}
		}
		srv.Admin().MustDo(t, `{ listingCandidates(filter: {status: REVIEW}, first: 50) { nodes { id reason suggestions { variant { id sku } reason score } } }
			listingCandidateCounts { status count } }`, nil, &queue)
		require.Len(t, queue.ListingCandidates.Nodes, len(m.Shops))
		var decisions []map[string]any
		for _, n := range queue.ListingCandidates.Nodes {
			require.Equal(t, "NONE", n.Reason)
			require.NotEmpty(t, n.Suggestions)
			require.Equal(t, "CAP", n.Suggestions[0].Variant.Sku)
			decisions = append(decisions, map[string]any{"candidateID": n.ID, "variantID": n.Suggestions[0].Variant.ID})
		}
		require.Contains(t, queue.ListingCandidateCounts, struct {
			Status string
			Count  int
		}{"MAPPED", len(m.Shops)})
		var confirmed struct {
			ConfirmListings struct{ Candidates []struct{ Status string } }
		}
		srv.Admin().MustDo(t, `mutation($d: [ListingDecisionInput!]!) { confirmListings(input: {decisions: $d}) { candidates { status } } }`,
			map[string]any{"d": decisions}, &confirmed)
		require.Len(t, confirmed.ConfirmListings.Candidates, len(m.Shops))
		for kind, sh := range m.Shops {
			id := listingOf(t, sh, "CAP")
			require.Eventually(t, func() bool { return pushesOf(sh, id) > capBefore[kind] && lastPush(sh, id) == 20 }, channelWait, 10*time.Millisecond,
				"%s was not pushed the stock of its confirmed listing", kind)
		}
		srv.Audit(t)
	})
}
