package dispatch

import (
	"context"
	"fmt"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// referenceTTL is how long routing trusts its copy of locations and policies. Edits made through
// this process drop the copy at once; other replicas see them within this time.
const referenceTTL = 2 * time.Second

// reference caches what routing reads for every order but operators change rarely: the locations
// (with the channels they serve and the SKUs they supply), the routing policies in force, and the
// box catalogue and rate cards shipments are priced with. The cached entities are read for their
// fields and loaded edges only, never queried through.
type reference struct {
	mu       sync.Mutex
	locs     []*ent.Location
	workload map[pulid.ID]int // orders with open allocations, per location
	locsAt   time.Time
	policies map[string]cachedPolicy
	pricing  *pricing // the box catalogue and rate cards routing and promises price shipments with
	priceAt  time.Time
}

type cachedPolicy struct {
	p  *ent.RoutingPolicy
	at time.Time
}

// Invalidate drops the cached reference data: locations, policies, the box catalogue and the rate
// cards. Edits of any of them call it (catalog, locations, policies, boxes, rate cards).
func (s *Service) Invalidate() {
	s.ref.mu.Lock()
	defer s.ref.mu.Unlock()
	s.ref.locs, s.ref.workload, s.ref.policies, s.ref.pricing = nil, nil, nil, nil
}

// locations returns every location with its channels and supplied SKUs, and each location's
// workload (orders it holds open allocations for, that is, allocated and not yet shipped), from the
// cache when fresh.
func (s *Service) locations(ctx context.Context, c *ent.Client) ([]*ent.Location, map[pulid.ID]int, error) {
	s.ref.mu.Lock()
	if s.ref.locs != nil && time.Since(s.ref.locsAt) < referenceTTL {
		defer s.ref.mu.Unlock()
		return s.ref.locs, s.ref.workload, nil
	}
	s.ref.mu.Unlock()
	locs, err := c.Location.Query().WithChannels().WithSupplies().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load locations: %w", err)
	}
	workload, err := loadWorkload(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	s.ref.mu.Lock()
	s.ref.locs, s.ref.workload, s.ref.locsAt = locs, workload, time.Now()
	s.ref.mu.Unlock()
	return locs, workload, nil
}

// policy returns the policy in force for a channel (nil: the engine's default), from the cache when fresh.
func (s *Service) policy(ctx context.Context, c *ent.Client, channelID *pulid.ID) (*ent.RoutingPolicy, error) {
	key := scopeOf(channelID)
	s.ref.mu.Lock()
	if cp, ok := s.ref.policies[key]; ok && time.Since(cp.at) < referenceTTL {
		s.ref.mu.Unlock()
		return cp.p, nil
	}
	s.ref.mu.Unlock()
	p, err := s.Policies.InForce(ctx, c, channelID)
	if err != nil {
		return nil, err
	}
	s.ref.mu.Lock()
	if s.ref.policies == nil {
		s.ref.policies = map[string]cachedPolicy{}
	}
	s.ref.policies[key] = cachedPolicy{p: p, at: time.Now()}
	s.ref.mu.Unlock()
	return p, nil
}

// byID indexes locations by id.
func byID(locs []*ent.Location) map[pulid.ID]*ent.Location {
	out := make(map[pulid.ID]*ent.Location, len(locs))
	for _, l := range locs {
		out[l.ID] = l
	}
	return out
}

// loadWorkload counts, per location, the orders it holds open allocations for.
func loadWorkload(ctx context.Context, c *ent.Client) (map[pulid.ID]int, error) {
	var rows []struct {
		LocationID string `json:"location_id"`
		Orders     int    `json:"orders"`
	}
	err := c.Allocation.Query().Where(allocation.StatusEQ(allocation.StatusOPEN)).
		GroupBy(allocation.FieldLocationID).
		Aggregate(func(s *entsql.Selector) string {
			return entsql.As(fmt.Sprintf("COUNT(DISTINCT %s)", s.C(allocation.FieldOrderID)), "orders")
		}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load workload: %w", err)
	}
	workload := make(map[pulid.ID]int, len(rows))
	for _, r := range rows {
		workload[pulid.ID(r.LocationID)] = r.Orders
	}
	return workload, nil
}

// capacityBound reports whether any location has a daily capacity, so that its workload must be
// exact rather than a cached approximation.
func capacityBound(locs []*ent.Location) bool {
	for _, l := range locs {
		if l.DailyCapacity > 0 {
			return true
		}
	}
	return false
}

// pricing is the box catalogue and rate cards routing and promises price shipments with (see
// Boxes and RateCards), from the cache when fresh.
func (s *Service) pricing(ctx context.Context, c *ent.Client) (pricing, error) {
	s.ref.mu.Lock()
	if s.ref.pricing != nil && time.Since(s.ref.priceAt) < referenceTTL {
		defer s.ref.mu.Unlock()
		return *s.ref.pricing, nil
	}
	s.ref.mu.Unlock()
	p, err := loadPricing(ctx, c, s.Log)
	if err != nil {
		return pricing{}, err
	}
	s.ref.mu.Lock()
	s.ref.pricing, s.ref.priceAt = &p, time.Now()
	s.ref.mu.Unlock()
	return p, nil
}
