package dispatch

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/routing"
)

// HoldLocations lists the locations that may keep units for a cart of channelID (nil: a storefront
// without one), best first: those routing could ship the channel's order from (active, serving the
// channel, of a kind its policy ships from), ranked by the operator's priority, then by how soon
// they can ship, then by code. A cart has no address yet, so nothing about distance or cost can
// rank them; checkout routes the order itself.
func (s *Service) HoldLocations(ctx context.Context, c *ent.Client, channelID *pulid.ID, now time.Time) ([]pulid.ID, error) {
	locs, _, err := s.locations(ctx, c)
	if err != nil {
		return nil, err
	}
	stored, err := s.policy(ctx, c, channelID)
	if err != nil {
		return nil, err
	}
	pol := routing.DefaultPolicy()
	if stored != nil {
		pol.ShipFromStore, pol.DropShip = stored.ShipFromStore, stored.DropShip
	}
	return holdCandidates(locs, channelID, pol, now), nil
}

// holdCandidates is HoldLocations' decision on loaded locations. It is pure.
func holdCandidates(locs []*ent.Location, channelID *pulid.ID, pol routing.Policy, now time.Time) []pulid.ID {
	type candidate struct {
		l    *ent.Location
		ship time.Time
	}
	var cs []candidate
	for _, l := range locs {
		switch {
		case !l.Active,
			l.Kind == location.KindSTORE && !pol.ShipFromStore,
			l.Kind == location.KindDROP_SHIP_SUPPLIER: // a supplier's stock is not ours to hold
			continue
		}
		if channelID != nil && len(l.Edges.Channels) > 0 && !slices.ContainsFunc(l.Edges.Channels, func(ch *ent.Channel) bool { return ch.ID == *channelID }) {
			continue
		}
		cs = append(cs, candidate{l: l, ship: Calendar(l).EarliestShip(now)})
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.l.Priority, b.l.Priority), a.ship.Compare(b.ship), cmp.Compare(a.l.Code, b.l.Code))
	})
	out := make([]pulid.ID, len(cs))
	for i, c := range cs {
		out[i] = c.l.ID
	}
	return out
}
