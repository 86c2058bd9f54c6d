package graph

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/listings"
)

// listingFilter is the review queue's filter as package listings takes it.
func listingFilter(f *model.ListingCandidateFilter) listings.Filter {
	if f == nil {
		return listings.Filter{}
	}
	return listings.Filter{ChannelID: deref(f.ChannelID), Status: deref(f.Status), Reason: deref(f.Reason)}
}

// listingPage serves a page of the review queue (first is capped by PageCaps, and by the queue's
// own largest page).
func listingPage(ctx context.Context, s *listings.Service, f *model.ListingCandidateFilter, after string, first int) (*model.ListingCandidatePage, error) {
	nodes, more, err := s.Queue(ctx, listingFilter(f), min(first, listings.MaxPage), pulid.ID(after))
	if err != nil {
		return nil, err
	}
	page := &model.ListingCandidatePage{Nodes: nodes, HasNextPage: more}
	if len(nodes) > 0 {
		end := string(nodes[len(nodes)-1].ID)
		page.EndCursor = &end
	}
	return page, nil
}

// listingCounts counts the queue per status, every status listed.
func listingCounts(ctx context.Context, s *listings.Service, f *model.ListingCandidateFilter) ([]*model.ListingStatusCount, error) {
	n, err := s.StatusCounts(ctx, listingFilter(f))
	if err != nil {
		return nil, err
	}
	out := make([]*model.ListingStatusCount, 0, len(n))
	for _, st := range []listingcandidate.Status{listingcandidate.StatusREVIEW, listingcandidate.StatusMAPPED,
		listingcandidate.StatusCONFIRMED, listingcandidate.StatusIGNORED} {
		out = append(out, &model.ListingStatusCount{Status: st, Count: n[st]})
	}
	return out, nil
}

// optionalVariant is the variant with the id, or nil when it no longer exists.
func optionalVariant(ctx context.Context, db *ent.Client, id pulid.ID) (*ent.Variant, error) {
	v, err := db.Variant.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}
