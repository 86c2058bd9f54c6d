package outbound

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// maxLocationRef bounds a channel's id of a location.
const maxLocationRef = 64

// SetLocationRef sets the channel's own id of a location (Shopify's location_id), which the
// location's shipments are confirmed to the channel from; an empty ref removes it.
func (s *Service) SetLocationRef(ctx context.Context, locationID, channelID pulid.ID, ref string) (*ent.Location, error) {
	if err := locationID.Validate("loc"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "locationID: %v", err)
	}
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	ref = strings.TrimSpace(ref)
	if len(ref) > maxLocationRef || strings.ContainsFunc(ref, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, fault.New(fault.InvalidArgument, "ref: at most %d printable characters", maxLocationRef)
	}
	if ok, err := s.DB.Client.Channel.Query().Where(channel.ID(channelID)).Exist(ctx); err != nil {
		return nil, fmt.Errorf("load channel: %w", err)
	} else if !ok {
		return nil, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		l, err := tx.Location.Get(ctx, locationID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "location %s not found", locationID)
		}
		if err != nil {
			return fmt.Errorf("load location: %w", err)
		}
		refs := maps.Clone(l.ChannelLocations)
		if refs == nil {
			refs = map[string]string{}
		}
		if ref == "" {
			delete(refs, string(channelID))
		} else {
			refs[string(channelID)] = ref
		}
		n, err := tx.Location.Update().Where(location.ID(l.ID), location.UpdatedAt(l.UpdatedAt)).
			SetChannelLocations(refs).SetUpdatedAt(s.now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("update location: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "location %s changed meanwhile; retry", l.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.DB.Client.Location.Get(ctx, locationID)
}
