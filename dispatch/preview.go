package dispatch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/routing"
)

// PreviewRequest asks how an order would be routed, without reserving anything: an existing order
// (as if placed now, its own reservations counted as free), or one described by its lines.
type PreviewRequest struct {
	OrderID     *pulid.ID
	Lines       []PromiseLine
	Destination schema.Address
	ChannelID   *pulid.ID
	COD         bool
	ShipBy      *time.Time
	Priority    int
	// Policy is tried instead of the policy in force, when set.
	Policy *PolicyInput
}

// Preview routes without reserving and returns the decision with its trace.
func (s *Service) Preview(ctx context.Context, req PreviewRequest, now time.Time) (routing.Decision, error) {
	c := s.DB.Client
	var (
		ro         routing.Order
		variantIDs []pulid.ID
		own        []*ent.Allocation
	)
	switch {
	case req.OrderID != nil:
		o, err := c.Order.Get(ctx, *req.OrderID)
		if ent.IsNotFound(err) {
			return routing.Decision{}, fault.New(fault.NotFound, "order %s not found", *req.OrderID)
		}
		if err != nil {
			return routing.Decision{}, err
		}
		shipped, err := placedUnitsWith(ctx, c, o.ID, allocation.StatusSHIPPED)
		if err != nil {
			return routing.Decision{}, err
		}
		if ro, _, variantIDs, err = orderLines(ctx, c, o, exclusions(o.RejectedLocations), shipped); err != nil {
			return routing.Decision{}, err
		}
		if own, err = c.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN)).All(ctx); err != nil {
			return routing.Decision{}, err
		}
		req.ChannelID = o.ChannelID
	case len(req.Lines) > 0:
		var err error
		if ro, variantIDs, err = draftOrder(ctx, c, req, now); err != nil {
			return routing.Decision{}, err
		}
	default:
		return routing.Decision{}, fault.New(fault.InvalidArgument, "preview an order (orderID) or lines")
	}
	all, workload, err := s.locations(ctx, c)
	if err != nil {
		return routing.Decision{}, err
	}
	locs, stock, err := snapshot(ctx, c, all, workload, variantIDs, now)
	if err != nil {
		return routing.Decision{}, err
	}
	stock = withOwn(stock, own)
	pol, err := s.policyFor(ctx, c, req.ChannelID, req.Policy)
	if err != nil {
		return routing.Decision{}, err
	}
	return routing.Route(routing.Input{Order: ro, Locations: locs, Stock: stock, Policy: pol, Now: now}), nil
}

// policyFor is the draft when given (validated), else the policy in force for the channel.
func (s *Service) policyFor(ctx context.Context, c *ent.Client, channelID *pulid.ID, draft *PolicyInput) (routing.Policy, error) {
	pr, err := s.pricing(ctx, c)
	if err != nil {
		return routing.Policy{}, err
	}
	if draft != nil {
		if err := draft.Validate(); err != nil {
			return routing.Policy{}, err
		}
		return routingPolicy(&ent.RoutingPolicy{Criteria: draft.Criteria, MaxShipments: draft.MaxShipments,
			ShipFromStore: draft.ShipFromStore, DropShip: draft.DropShip, SplitBundles: draft.SplitBundles,
			Backorder: draft.Backorder}, pr), nil
	}
	pol, err := s.policy(ctx, c, channelID)
	if err != nil {
		return routing.Policy{}, err
	}
	return routingPolicy(pol, pr), nil
}

// draftOrder describes a not-yet-placed order to the engine.
func draftOrder(ctx context.Context, c *ent.Client, req PreviewRequest, now time.Time) (routing.Order, []pulid.ID, error) {
	d := req.Destination
	ro := routing.Order{ID: pulid.New("ord"), ChannelID: req.ChannelID, COD: req.COD, Priority: req.Priority, ShipBy: req.ShipBy, PlacedAt: now,
		Destination: routing.Address{Lat: d.Latitude, Lng: d.Longitude, CountryCode: d.CountryCode, Region: d.Region, City: d.City, PostalCode: d.PostalCode}}
	skus := make([]string, len(req.Lines))
	for i, l := range req.Lines {
		if l.Quantity <= 0 {
			return ro, nil, fault.New(fault.InvalidArgument, "%s: quantity must be positive", l.SKU)
		}
		skus[i] = l.SKU
	}
	r, err := catalog.Resolve(ctx, c, skus)
	if err != nil {
		return ro, nil, err
	}
	var variantIDs []pulid.ID
	for _, l := range req.Lines {
		v := r.BySKU[l.SKU]
		comps := r.Components[v.ID]
		line := &ent.OrderLine{ID: pulid.New("lin"), VariantID: &v.ID, Sku: v.Sku, Quantity: l.Quantity}
		line.Edges.Variant = v
		rl, _ := routingLine(line, comps, nil)
		ro.Lines = append(ro.Lines, rl)
		variantIDs = append(variantIDs, v.ID)
		for _, bc := range comps {
			variantIDs = append(variantIDs, bc.ComponentID)
		}
	}
	return ro, variantIDs, nil
}

func exclusions(ids []string) []pulid.ID {
	out := make([]pulid.ID, len(ids))
	for i, id := range ids {
		out[i] = pulid.ID(id)
	}
	return out
}

// Simulation summarises replaying orders against a draft policy instead of the policies in force.
type Simulation struct {
	Orders            int
	Changed           int // any difference at all
	LocationChanged   int
	SplitChanged      int
	PromiseChanged    int
	CostBefore        int64
	CostAfter         int64
	BackorderedBefore int64
	BackorderedAfter  int64
}

// MaxSimulated bounds how many orders one simulation replays.
const MaxSimulated = 20_000

// Simulate replays past orders (the last n placed, or those placed in [from, to)) against draft and
// against the policy each order's channel has in force, both on today's stock and locations, each
// order as if it were alone, and counts how the decisions differ.
func (s *Service) Simulate(ctx context.Context, draft PolicyInput, last int, from, to *time.Time, now time.Time) (Simulation, error) {
	candidate, err := s.policyFor(ctx, s.DB.Client, nil, &draft)
	if err != nil {
		return Simulation{}, err
	}
	q := s.DB.Client.Order.Query().Order(ent.Desc(order.FieldPlacedAt), ent.Desc(order.FieldID))
	switch {
	case from != nil || to != nil:
		if from != nil {
			q.Where(order.PlacedAtGTE(*from))
		}
		if to != nil {
			q.Where(order.PlacedAtLT(*to))
		}
		q.Limit(MaxSimulated)
	case last > 0 && last <= MaxSimulated:
		q.Limit(last)
	default:
		return Simulation{}, fault.New(fault.InvalidArgument, "simulate the last 1..%d orders, or a time range", MaxSimulated)
	}
	orders, err := q.All(ctx)
	if err != nil {
		return Simulation{}, fmt.Errorf("load orders: %w", err)
	}
	ros, variantIDs, err := routingOrders(ctx, s.DB.Client, orders)
	if err != nil {
		return Simulation{}, err
	}
	all, workload, err := s.locations(ctx, s.DB.Client)
	if err != nil {
		return Simulation{}, err
	}
	locs, stock, err := snapshot(ctx, s.DB.Client, all, workload, variantIDs, now)
	if err != nil {
		return Simulation{}, err
	}
	own, err := openAllocations(ctx, s.DB.Client, orders)
	if err != nil {
		return Simulation{}, err
	}
	inForce := map[string]routing.Policy{}
	var sim Simulation
	for i, o := range orders {
		key := scopeOf(o.ChannelID)
		base, ok := inForce[key]
		if !ok {
			if base, err = s.policyFor(ctx, s.DB.Client, o.ChannelID, nil); err != nil {
				return Simulation{}, err
			}
			inForce[key] = base
		}
		in := routing.Input{Order: ros[i], Locations: locs, Stock: withOwn(stock, own[o.ID]), Policy: base, Now: now}
		a := routing.Route(in)
		in.Policy = candidate
		b := routing.Route(in)
		d := routing.Compare(a, b)
		sim.Orders++
		sim.CostBefore += d.CostBefore
		sim.CostAfter += d.CostAfter
		sim.BackorderedBefore += d.BackorderedBefore
		sim.BackorderedAfter += d.BackorderedAfter
		if d.Changed() {
			sim.Changed++
		}
		if d.LocationChanged() {
			sim.LocationChanged++
		}
		if d.SplitChanged() {
			sim.SplitChanged++
		}
		if d.PromiseChanged() {
			sim.PromiseChanged++
		}
	}
	return sim, nil
}

// routingOrders loads the lines of many orders at once and describes each order whole to the engine.
func routingOrders(ctx context.Context, c *ent.Client, orders []*ent.Order) ([]routing.Order, []pulid.ID, error) {
	ids := make([]pulid.ID, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	byOrder := map[pulid.ID][]*ent.OrderLine{}
	var variantIDs []pulid.ID
	for chunk := range slices.Chunk(ids, 1000) {
		ls, err := c.OrderLine.Query().Where(orderline.OrderIDIn(chunk...), orderline.KindEQ(orderline.KindSTOCK)).WithVariant().Order(ent.Asc(orderline.FieldID)).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("load lines: %w", err)
		}
		for _, l := range ls {
			byOrder[l.OrderID] = append(byOrder[l.OrderID], l)
			variantIDs = append(variantIDs, variantOf(l))
		}
	}
	slices.Sort(variantIDs)
	variantIDs = slices.Compact(variantIDs)
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(variantIDs...)).WithComponent().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load bundles: %w", err)
	}
	byBundle := map[pulid.ID][]*ent.BundleComponent{}
	for _, bc := range comps {
		byBundle[bc.BundleID] = append(byBundle[bc.BundleID], bc)
		variantIDs = append(variantIDs, bc.ComponentID)
	}
	out := make([]routing.Order, len(orders))
	for i, o := range orders {
		ro := routingOrder(o, exclusions(o.RejectedLocations))
		for _, l := range byOrder[o.ID] {
			if rl, ok := routingLine(l, byBundle[variantOf(l)], nil); ok {
				ro.Lines = append(ro.Lines, rl)
			}
		}
		out[i] = ro
	}
	return out, variantIDs, nil
}

// withOwn is stock as an order would see it if routed again: its own open reservations free. It
// copies only what it changes, so that the snapshot can serve many orders.
func withOwn(stock routing.Stock, own []*ent.Allocation) routing.Stock {
	if len(own) == 0 {
		return stock
	}
	out := make(routing.Stock, len(stock))
	for v, m := range stock {
		out[v] = m
	}
	copied := map[pulid.ID]bool{}
	for _, a := range own {
		if !copied[a.VariantID] {
			m := make(map[pulid.ID]int64, len(stock[a.VariantID]))
			for l, q := range stock[a.VariantID] {
				m[l] = q
			}
			out[a.VariantID], copied[a.VariantID] = m, true
		}
		out[a.VariantID][a.LocationID] += a.Quantity
	}
	return out
}

// openAllocations loads the open allocations of many orders, by order.
func openAllocations(ctx context.Context, c *ent.Client, orders []*ent.Order) (map[pulid.ID][]*ent.Allocation, error) {
	ids := make([]pulid.ID, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	out := map[pulid.ID][]*ent.Allocation{}
	for chunk := range slices.Chunk(ids, 1000) {
		as, err := c.Allocation.Query().Where(allocation.OrderIDIn(chunk...), allocation.StatusEQ(allocation.StatusOPEN)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load allocations: %w", err)
		}
		for _, a := range as {
			out[a.OrderID] = append(out[a.OrderID], a)
		}
	}
	return out, nil
}
