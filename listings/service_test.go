package listings_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/listings"
)

// store is a catalogue of three tees (two of them normalising alike) and a channel.
type store struct {
	db   *database.DB
	ch   pulid.ID
	vids map[string]pulid.ID
}

func newStore(t *testing.T, db *database.DB) store {
	ctx := context.Background()
	ch, err := db.Client.Channel.Create().SetKind(channel.KindSHOPEE).SetName("shopee").SetShopID("1").Save(ctx)
	require.NoError(t, err)
	p, err := db.Client.Product.Create().SetName("Classic Tee").Save(ctx)
	require.NoError(t, err)
	s := store{db: db, ch: ch.ID, vids: map[string]pulid.ID{}}
	for _, v := range []struct{ sku, barcode string }{{"TEE-M", "4006381333931"}, {"AB-12", ""}, {"ab_12", ""}} {
		row, err := db.Client.Variant.Create().SetSku(v.sku).SetName(v.sku).SetProductID(p.ID).SetBarcode(v.barcode).Save(ctx)
		require.NoError(t, err)
		s.vids[v.sku] = row.ID
	}
	return s
}

func (s store) upsert(t *testing.T, items ...channels.CatalogItem) listings.Counts {
	ctx := context.Background()
	ix, err := listings.LoadIndex(ctx, s.db.Client)
	require.NoError(t, err)
	var counts listings.Counts
	require.NoError(t, s.db.Tx(ctx, func(tx *ent.Tx) error {
		counts, err = listings.Upsert(ctx, tx, ix, s.ch, items, listings.ListedTwice(items))
		return err
	}))
	return counts
}

func (s store) candidate(t *testing.T, ext string) *ent.ListingCandidate {
	c, err := s.db.Client.ListingCandidate.Query().Where(listingcandidate.ChannelID(s.ch), listingcandidate.ExternalID(ext)).Only(context.Background())
	require.NoError(t, err)
	return c
}

func (s store) listing(t *testing.T, ext string) *ent.ChannelListing {
	l, err := s.db.Client.ChannelListing.Query().Where(channellisting.ChannelID(s.ch), channellisting.ExternalID(ext)).Only(context.Background())
	if ent.IsNotFound(err) {
		return nil
	}
	require.NoError(t, err)
	return l
}

func TestUpsertMapsAndQueues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		items := []channels.CatalogItem{
			{ListingID: "L1", SellerSKU: "TEE-M", Active: true, Attrs: map[string]string{"item_id": "1"}},
			{ListingID: "L2", SellerSKU: "x", Barcode: "04006381333931", Active: true},
			{ListingID: "L3", SellerSKU: "AB 12", Active: true},
			{ListingID: "L4", SellerSKU: "NOPE", Title: "Classic tee", Active: true},
			{ListingID: "", SellerSKU: "TEE-M"},
		}
		counts := s.upsert(t, items...)
		require.Equal(t, listings.Counts{"new": 4, "mapped": 2, "review": 2, "exact_sku": 1, "barcode": 1, "skipped": 1}, counts)

		l1 := s.listing(t, "L1")
		require.NotNil(t, l1)
		require.Equal(t, s.vids["TEE-M"], l1.VariantID)
		require.Equal(t, "1", l1.Attrs["item_id"])
		require.NotNil(t, l1.DirtySince, "a new mapping is pushed")
		require.NotNil(t, s.listing(t, "L2"))
		require.Nil(t, s.listing(t, "L3"), "a listing in review has no ChannelListing")
		require.Nil(t, s.listing(t, "L4"))

		l3 := s.candidate(t, "L3")
		require.Equal(t, listingcandidate.StatusREVIEW, l3.Status)
		require.Equal(t, listingcandidate.ReasonAMBIGUOUS, l3.Reason)
		require.Len(t, l3.Suggestions, 2)
		require.Equal(t, listingcandidate.ReasonNONE, s.candidate(t, "L4").Reason)

		// Importing the same catalogue again changes nothing and pushes nothing again.
		before, err := db.Client.Event.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, listings.Counts{"mapped": 2, "review": 2, "exact_sku": 1, "barcode": 1, "skipped": 1}, s.upsert(t, items...))
		after, err := db.Client.Event.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after)

		// An operator confirms the ambiguous one and ignores the other.
		svc := &listings.Service{DB: db}
		_, err = svc.Confirm(ctx, []listings.Decision{{CandidateID: l3.ID, VariantID: s.vids["ab_12"]}})
		require.NoError(t, err)
		_, err = svc.Ignore(ctx, []pulid.ID{s.candidate(t, "L4").ID})
		require.NoError(t, err)
		require.Equal(t, s.vids["ab_12"], s.listing(t, "L3").VariantID)
		require.NotNil(t, s.listing(t, "L3").DirtySince)
		require.Equal(t, 1, db.Client.Event.Query().Where(event.Type("listing.confirmed"), event.ChannelID(string(s.ch))).CountX(ctx))
		require.Equal(t, 1, db.Client.Event.Query().Where(event.Type("listing.ignored")).CountX(ctx))

		// A later import keeps both decisions, even when the listing now says something else.
		items[2].SellerSKU = "TEE-M"
		items[3].SellerSKU = "TEE-M"
		counts = s.upsert(t, items...)
		require.Equal(t, 1, counts["confirmed"])
		require.Equal(t, 1, counts["ignored"])
		require.Equal(t, s.vids["ab_12"], s.listing(t, "L3").VariantID)
		require.Equal(t, listingcandidate.StatusIGNORED, s.candidate(t, "L4").Status)
		require.Nil(t, s.listing(t, "L4"))

		// The queue pages and counts.
		page, more, err := svc.Queue(ctx, listings.Filter{ChannelID: s.ch}, 3, "")
		require.NoError(t, err)
		require.Len(t, page, 3)
		require.True(t, more)
		rest, more, err := svc.Queue(ctx, listings.Filter{ChannelID: s.ch}, 3, page[2].ID)
		require.NoError(t, err)
		require.Len(t, rest, 1)
		require.False(t, more)
		n, err := svc.StatusCounts(ctx, listings.Filter{ChannelID: s.ch})
		require.NoError(t, err)
		require.Equal(t, map[listingcandidate.Status]int{"MAPPED": 2, "CONFIRMED": 1, "REVIEW": 0, "IGNORED": 1}, n)

		// An ignored listing mapped by hand since (setChannelListings) is kept, as confirmed.
		require.NoError(t, db.Client.ChannelListing.Create().SetChannelID(s.ch).SetExternalID("L4").SetVariantID(s.vids["AB-12"]).Exec(ctx))
		require.Equal(t, 2, s.upsert(t, items...)["confirmed"])
		require.Equal(t, listingcandidate.StatusCONFIRMED, s.candidate(t, "L4").Status)
		require.Equal(t, s.vids["AB-12"], s.listing(t, "L4").VariantID)
	})
}

func TestHandSetListingIsConfirmed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		require.NoError(t, db.Client.ChannelListing.Create().SetChannelID(s.ch).SetExternalID("L9").SetVariantID(s.vids["AB-12"]).Exec(ctx))
		require.Equal(t, 1, s.upsert(t, channels.CatalogItem{ListingID: "L9", SellerSKU: "TEE-M", Active: true})["confirmed"])
		c := s.candidate(t, "L9")
		require.Equal(t, listingcandidate.ReasonMANUAL, c.Reason)
		require.Equal(t, s.vids["AB-12"], *c.VariantID)
		require.Equal(t, s.vids["AB-12"], s.listing(t, "L9").VariantID)
	})
}

func TestConfirmIsAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		s.upsert(t, channels.CatalogItem{ListingID: "A", SellerSKU: "ab12"}, channels.CatalogItem{ListingID: "B", SellerSKU: "ab.12"})
		a, b := s.candidate(t, "A"), s.candidate(t, "B")
		svc := &listings.Service{DB: db}
		for name, in := range map[string][]listings.Decision{
			"unknown variant":   {{CandidateID: a.ID, VariantID: s.vids["AB-12"]}, {CandidateID: b.ID, VariantID: "sku_nope"}},
			"unknown candidate": {{CandidateID: a.ID, VariantID: s.vids["AB-12"]}, {CandidateID: "lcd_nope", VariantID: s.vids["AB-12"]}},
			"twice":             {{CandidateID: a.ID, VariantID: s.vids["AB-12"]}, {CandidateID: a.ID, VariantID: s.vids["ab_12"]}},
			"bad id":            {{CandidateID: "chn_x", VariantID: s.vids["AB-12"]}},
			"none":              {},
		} {
			_, err := svc.Confirm(ctx, in)
			require.Error(t, err, name)
			require.NotEqual(t, fault.Internal, fault.CodeOf(err), name)
		}
		require.Zero(t, db.Client.ChannelListing.Query().CountX(ctx))
		require.Equal(t, listingcandidate.StatusREVIEW, s.candidate(t, "A").Status)
		tooMany := make([]listings.Decision, listings.MaxBatch+1)
		_, err := svc.Confirm(ctx, tooMany)
		require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))
	})
}

func TestDiscoverMapsNewListingsFromOrders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		svc := &listings.Service{DB: db}
		lines := []channels.Line{
			{ListingID: "NEW1", SKU: "tee m", Name: "Tee M", Quantity: 1},
			{ListingID: "NEW2", SKU: "ZZZ", Name: "Something", Quantity: 1},
			{ListingID: "TIP", Name: "Tip", NonStock: true},
		}
		got, err := svc.Discover(ctx, s.ch, lines)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"NEW1": "TEE-M"}, got)
		require.Equal(t, s.vids["TEE-M"], s.listing(t, "NEW1").VariantID, "the discovered listing is synced from now on")
		require.Equal(t, listingcandidate.ReasonNORMALISED_SKU, s.candidate(t, "NEW1").Reason)
		require.Equal(t, listingcandidate.StatusREVIEW, s.candidate(t, "NEW2").Status)
		require.Equal(t, "Something", s.candidate(t, "NEW2").Title)
		require.Nil(t, s.listing(t, "NEW2"))
		require.Zero(t, db.Client.ListingCandidate.Query().Where(listingcandidate.ExternalID("TIP")).CountX(ctx))

		// An operator ignores NEW2; the next order naming it leaves the decision alone.
		_, err = svc.Ignore(ctx, []pulid.ID{s.candidate(t, "NEW2").ID})
		require.NoError(t, err)
		got, err = svc.Discover(ctx, s.ch, lines[1:])
		require.NoError(t, err)
		require.Empty(t, got)
		require.Equal(t, listingcandidate.StatusIGNORED, s.candidate(t, "NEW2").Status)

		// A variant added since is seen (the cached index is read again).
		p := db.Client.Product.Query().FirstX(ctx)
		require.NoError(t, db.Client.Variant.Create().SetSku("NEW-3").SetName("n").SetProductID(p.ID).Exec(ctx))
		got, err = svc.Discover(ctx, s.ch, []channels.Line{{ListingID: "NEW3", SKU: "new3", Quantity: 1}})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"NEW3": "NEW-3"}, got)
	})
}

func TestSKUListedTwiceWaits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newStore(t, db)
		counts := s.upsert(t, channels.CatalogItem{ListingID: "A", SellerSKU: "TEE-M"}, channels.CatalogItem{ListingID: "B", SellerSKU: "tee m"},
			channels.CatalogItem{ListingID: "C", Barcode: "4006381333931"})
		require.Equal(t, 2, counts["review"])
		require.Equal(t, 1, counts["barcode"], "a barcode is no seller SKU listed twice")
		for _, ext := range []string{"A", "B"} {
			c := s.candidate(t, ext)
			require.Equal(t, listingcandidate.ReasonAMBIGUOUS, c.Reason)
			require.Equal(t, s.vids["TEE-M"], c.Suggestions[0].VariantID)
			require.Equal(t, listings.SuggestListedTwice, c.Suggestions[0].Reason)
			require.Nil(t, s.listing(t, ext))
		}
	})
}
