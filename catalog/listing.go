package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Listing maps a channel's listing to an Ordo SKU.
type Listing struct {
	ExternalID string
	SKU        string
	SellerSKU  string
	Attrs      map[string]string
	// Active nil means true.
	Active *bool
}

// MaxListings bounds one SetChannelListings call.
const MaxListings = 1000

// SetChannelListings creates or updates a channel's listings (by the channel's id of each), so that
// its orders map to Ordo SKUs and its stock is kept in sync. Every listing set is pushed its stock
// again. Unknown SKUs and duplicate ids are INVALID_ARGUMENT, and nothing is changed.
func (s *Service) SetChannelListings(ctx context.Context, channelID pulid.ID, in []Listing) ([]*ent.ChannelListing, error) {
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	if len(in) == 0 || len(in) > MaxListings {
		return nil, fault.New(fault.InvalidArgument, "set between 1 and %d listings at a time, got %d", MaxListings, len(in))
	}
	skus := make([]string, 0, len(in))
	seen := map[string]bool{}
	for i, l := range in {
		l.ExternalID = strings.TrimSpace(l.ExternalID)
		if l.ExternalID == "" || strings.TrimSpace(l.SKU) == "" {
			return nil, fault.New(fault.InvalidArgument, "listing %d needs the channel's id and an Ordo SKU", i+1)
		}
		if seen[l.ExternalID] {
			return nil, fault.New(fault.InvalidArgument, "listing %s is given twice", l.ExternalID)
		}
		seen[l.ExternalID] = true
		in[i].ExternalID = l.ExternalID
		skus = append(skus, l.SKU)
	}
	var out []*ent.ChannelListing
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		out = out[:0]
		if ok, err := tx.Channel.Query().Where(channel.ID(channelID)).Exist(ctx); err != nil {
			return err
		} else if !ok {
			return fault.New(fault.NotFound, "channel %s not found", channelID)
		}
		vs, err := tx.Variant.Query().Where(variant.SkuIn(skus...)).All(ctx)
		if err != nil {
			return err
		}
		bySKU := make(map[string]pulid.ID, len(vs))
		for _, v := range vs {
			bySKU[v.Sku] = v.ID
		}
		for _, l := range in {
			vid, ok := bySKU[l.SKU]
			if !ok {
				return fault.New(fault.InvalidArgument, "unknown SKU %s (listing %s)", l.SKU, l.ExternalID).With("skus", []string{l.SKU})
			}
			active := l.Active == nil || *l.Active
			id, err := tx.ChannelListing.Create().SetChannelID(channelID).SetExternalID(l.ExternalID).SetVariantID(vid).
				SetSellerSku(l.SellerSKU).SetAttrs(l.Attrs).SetActive(active).
				OnConflictColumns(channellisting.FieldChannelID, channellisting.FieldExternalID).
				Update(func(u *ent.ChannelListingUpsert) {
					u.UpdateVariantID().UpdateSellerSku().UpdateAttrs().UpdateActive().UpdateUpdatedAt()
				}).ID(ctx)
			if err != nil {
				return fmt.Errorf("save listing %s: %w", l.ExternalID, err)
			}
			lst, err := tx.ChannelListing.Get(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, lst)
		}
		ids := make([]pulid.ID, len(out))
		for i, l := range out {
			ids[i] = l.ID
		}
		return MarkListingsChanged(ctx, tx, channelID, channellisting.IDIn(ids...))
	})
	if err != nil {
		return nil, err
	}
	for i, l := range out {
		out[i] = l.Unwrap()
	}
	s.changed()
	return out, nil
}

// EventListingsChanged records that a channel's listings (or its buffer) changed: their stock is
// to be pushed again.
const EventListingsChanged = events.KindListingsChanged

// MarkListingsChanged records, in tx, a change for the listings of channelID that which selects,
// and the event that has the stock sync push them again (a new buffer, a channel enabled or
// connected again).
func MarkListingsChanged(ctx context.Context, tx *ent.Tx, channelID pulid.ID, which predicate.ChannelListing) error {
	if err := tx.ChannelListing.Update().Where(which, channellisting.DirtySinceIsNil()).SetDirtySince(time.Now().UTC()).Exec(ctx); err != nil {
		return fmt.Errorf("mark listings for a stock push: %w", err)
	}
	if err := tx.ChannelListing.Update().Where(which).AddDirtySeq(1).Exec(ctx); err != nil {
		return fmt.Errorf("mark listings for a stock push: %w", err)
	}
	return events.Append(ctx, tx, events.Event{Payload: events.ListingsChanged{}, ChannelID: string(channelID), Actor: auth.Actor(ctx)})
}

// Listings returns a channel's listings with the given external ids, or its first MaxListings.
func (s *Service) Listings(ctx context.Context, channelID pulid.ID, externalIDs []string) ([]*ent.ChannelListing, error) {
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	q := s.DB.Client.ChannelListing.Query().Where(channellisting.ChannelID(channelID))
	if len(externalIDs) > 0 {
		q.Where(channellisting.ExternalIDIn(externalIDs...))
	}
	return q.Order(channellisting.ByExternalID()).Limit(MaxListings).All(ctx)
}
