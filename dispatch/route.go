package dispatch

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/routing"
	"github.com/ordo-oms/ordo/shipping"
)

// EventRouted is written each time an order is routed.
const EventRouted = events.KindOrderRouted

// attempts bounds how often one routing retries after concurrent orders took the stock it chose.
const attempts = 5

// Service routes orders inside their transactions.
type Service struct {
	DB        *database.DB
	Inventory *inventory.Service
	Policies  Policies
	// Log receives the stored rate cards left out of pricing (invalid, or in another currency);
	// nil means slog.Default.
	Log *slog.Logger

	ref reference
}

// Routed is the applied outcome of routing an order.
type Routed struct {
	Decision routing.Decision
	// Short lists the SKUs of backordered units, for callers that refuse backorders.
	Short []string
	// AtCapacity lists the SKUs of Short whose every backordered unit is stocked at locations
	// dropped only for being at their daily capacity (routing.ShortCapacity).
	AtCapacity []string
	// Locations are the locations routing saw, by id.
	Locations map[pulid.ID]*ent.Location
}

// FullyPlaced reports whether every unit was allocated (none backordered, held or sent to review).
func (r Routed) FullyPlaced() bool { return r.Decision.Outcome == routing.OutcomeAllocate }

// Route decides where the order's units not yet allocated ship from, reserves them and records the
// decision and its trace, all in tx. exclude lists locations that must not be used (they rejected
// the order). When a concurrent order takes stock the decision counted on, the reservations of that
// attempt are undone and the order is routed again on fresh numbers.
func (s *Service) Route(ctx context.Context, tx *ent.Tx, o *ent.Order, exclude []pulid.ID, now time.Time) (Routed, error) {
	return s.route(ctx, tx, o, now, func() (routing.Order, map[pulid.ID]*ent.OrderLine, []pulid.ID, error) {
		placed, err := placedUnits(ctx, tx.Client(), o.ID)
		if err != nil {
			return routing.Order{}, nil, nil, err
		}
		return orderLines(ctx, tx.Client(), o, exclude, placed)
	})
}

// Placement is a just-placed order's lines as the order service already holds them: each with its
// variant, and the components of the bundles among them (with their variants).
type Placement struct {
	Lines      []*ent.OrderLine
	Components map[pulid.ID][]*ent.BundleComponent
}

// RoutePlaced is Route for an order placed in this transaction: nothing of it is allocated yet and
// its lines are in hand, so nothing is read back.
func (s *Service) RoutePlaced(ctx context.Context, tx *ent.Tx, o *ent.Order, p Placement, now time.Time) (Routed, error) {
	return s.route(ctx, tx, o, now, func() (routing.Order, map[pulid.ID]*ent.OrderLine, []pulid.ID, error) {
		ro := routingOrder(o, nil)
		lines := make(map[pulid.ID]*ent.OrderLine, len(p.Lines))
		var variantIDs []pulid.ID
		for _, l := range p.Lines {
			if l.Kind != orderline.KindSTOCK {
				continue // tips, services, unmapped listings: nothing to reserve
			}
			lines[l.ID] = l
			variantIDs = append(variantIDs, variantOf(l))
			comps := p.Components[variantOf(l)]
			for _, bc := range comps {
				variantIDs = append(variantIDs, bc.ComponentID)
			}
			if rl, ok := routingLine(l, comps, nil); ok {
				ro.Lines = append(ro.Lines, rl)
			}
		}
		return ro, lines, variantIDs, nil
	})
}

type lineSource func() (routing.Order, map[pulid.ID]*ent.OrderLine, []pulid.ID, error)

func (s *Service) route(ctx context.Context, tx *ent.Tx, o *ent.Order, now time.Time, source lineSource) (Routed, error) {
	for attempt := 1; ; attempt++ {
		in, lines, policyID, locs, err := s.input(ctx, tx, o, now, source)
		if err != nil {
			return Routed{}, err
		}
		if len(in.Order.Lines) == 0 {
			return Routed{Decision: routing.Decision{Outcome: routing.OutcomeAllocate}}, nil
		}
		d := routing.Route(in)
		err = database.Savepoint(ctx, tx, "routing", func() error {
			_, err := s.Inventory.Reserve(ctx, tx, needs(o.ID, d, lines))
			return err
		})
		if fault.Is(err, fault.InsufficientStock) && attempt < attempts {
			continue // stock moved under the decision: decide again
		}
		if err != nil {
			return Routed{}, err
		}
		if err := s.record(ctx, tx, o, d, policyID); err != nil {
			return Routed{}, err
		}
		// Lines whose SKUs lack data are allocated all the same (nothing is oversold), but the
		// order is flagged and its shipments wait for the data (fulfilment.Service.Plan).
		if _, err := FlagData(ctx, tx, o); err != nil {
			return Routed{}, err
		}
		short, full := shortSKUs(d, lines)
		return Routed{Decision: d, Short: short, AtCapacity: full, Locations: byID(locs)}, nil
	}
}

// needs turns the plan's shipments into reservations at the chosen locations.
func needs(orderID pulid.ID, d routing.Decision, lines map[pulid.ID]*ent.OrderLine) []inventory.Need {
	var out []inventory.Need
	for _, sh := range d.Shipments {
		for _, it := range sh.Items {
			out = append(out, inventory.Need{OrderID: orderID, LineID: it.LineID, VariantID: it.VariantID,
				SKU: lines[it.LineID].Sku, Quantity: it.Quantity, LocationID: sh.LocationID})
		}
	}
	return out
}

// shortSKUs lists the SKUs of backordered units (short), and those among them whose every
// backordered unit is short only because the locations that have it are at capacity (full).
func shortSKUs(d routing.Decision, lines map[pulid.ID]*ent.OrderLine) (short, full []string) {
	other := map[string]bool{}
	for _, sf := range d.Backordered {
		sku := lines[sf.LineID].Sku
		if !slices.Contains(short, sku) {
			short = append(short, sku)
		}
		if sf.Reason != routing.ShortCapacity {
			other[sku] = true
		}
	}
	slices.Sort(short)
	for _, sku := range short {
		if !other[sku] {
			full = append(full, sku)
		}
	}
	return short, full
}

// Refusal is the error for a caller that refuses backorders when r has some: CAPACITY when every
// short SKU is short only because the locations that stock it are at their daily capacity (the
// order may go through later, or be backordered), else INSUFFICIENT_STOCK. Both name the SKUs.
func (r Routed) Refusal() error {
	if len(r.Short) > 0 && len(r.AtCapacity) == len(r.Short) {
		return fault.New(fault.Capacity, "the locations that stock %v are at their daily capacity", r.Short).With("skus", r.Short)
	}
	return fault.New(fault.InsufficientStock, "not enough stock for %v", r.Short).With("skus", r.Short)
}

// record stores the decision with its trace, and an event.
func (s *Service) record(ctx context.Context, tx *ent.Tx, o *ent.Order, d routing.Decision, policyID *pulid.ID) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode decision: %w", err)
	}
	err = tx.RoutingDecision.Create().SetOrderID(o.ID).SetNillablePolicyID(policyID).
		SetOutcome(string(d.Outcome)).SetTrace(raw).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	var backordered int64
	for _, sf := range d.Backordered {
		backordered += sf.Quantity
	}
	e := events.Event{OrderID: string(o.ID), Actor: auth.Actor(ctx), Payload: events.OrderRouted{
		Outcome: string(d.Outcome), Shipments: len(d.Shipments), BackorderedUnits: backordered, Cost: d.Cost,
	}}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	if o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return events.Append(ctx, tx, e)
}

// input gathers what the engine needs, as the order's transaction sees the store now.
func (s *Service) input(ctx context.Context, tx *ent.Tx, o *ent.Order, now time.Time, source lineSource) (routing.Input, map[pulid.ID]*ent.OrderLine, *pulid.ID, []*ent.Location, error) {
	c := tx.Client()
	ro, lines, variantIDs, err := source()
	if err != nil {
		return routing.Input{}, nil, nil, nil, err
	}
	locs, workload, err := s.locations(ctx, c)
	if err != nil {
		return routing.Input{}, nil, nil, nil, err
	}
	if capacityBound(locs) { // the capacity filter needs this transaction's view, not the cache's
		if workload, err = loadWorkload(ctx, c); err != nil {
			return routing.Input{}, nil, nil, nil, err
		}
	}
	rlocs, stock, err := snapshot(ctx, c, locs, workload, variantIDs, now)
	if err != nil {
		return routing.Input{}, nil, nil, nil, err
	}
	pol, err := s.policy(ctx, c, o.ChannelID)
	if err != nil {
		return routing.Input{}, nil, nil, nil, err
	}
	pr, err := s.pricing(ctx, c)
	if err != nil {
		return routing.Input{}, nil, nil, nil, err
	}
	var policyID *pulid.ID
	if pol != nil {
		policyID = &pol.ID
	}
	in := routing.Input{Order: ro, Locations: rlocs, Stock: stock, Policy: routingPolicy(pol, pr), Now: now}
	return pickupOnly(o, in), lines, policyID, locs, nil
}

// orderLines is the engine's view of an order: its stock lines less what placed already covers, and the
// variants (bundle components included) whose stock matters.
func orderLines(ctx context.Context, c *ent.Client, o *ent.Order, exclude []pulid.ID, placed map[[2]pulid.ID]int64) (routing.Order, map[pulid.ID]*ent.OrderLine, []pulid.ID, error) {
	ls, err := c.OrderLine.Query().Where(orderline.OrderID(o.ID), orderline.KindEQ(orderline.KindSTOCK)).WithVariant().Order(ent.Asc(orderline.FieldID)).All(ctx)
	if err != nil {
		return routing.Order{}, nil, nil, fmt.Errorf("load lines: %w", err)
	}
	lines := make(map[pulid.ID]*ent.OrderLine, len(ls))
	variantIDs := make([]pulid.ID, 0, len(ls))
	for _, l := range ls {
		lines[l.ID] = l
		variantIDs = append(variantIDs, variantOf(l))
	}
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(variantIDs...)).WithComponent().All(ctx)
	if err != nil {
		return routing.Order{}, nil, nil, fmt.Errorf("load bundles: %w", err)
	}
	byBundle := map[pulid.ID][]*ent.BundleComponent{}
	for _, bc := range comps {
		byBundle[bc.BundleID] = append(byBundle[bc.BundleID], bc)
		variantIDs = append(variantIDs, bc.ComponentID)
	}
	ro := routingOrder(o, exclude)
	for _, l := range ls {
		if rl, ok := routingLine(l, byBundle[variantOf(l)], placed); ok {
			ro.Lines = append(ro.Lines, rl)
		}
	}
	return ro, lines, variantIDs, nil
}

// snapshot describes the locations to the engine, with their calendars' earliest ship time from now,
// and reads the stock available of the given variants.
func snapshot(ctx context.Context, c *ent.Client, locs []*ent.Location, workload map[pulid.ID]int, variantIDs []pulid.ID, now time.Time) ([]routing.Location, routing.Stock, error) {
	levels, err := c.InventoryLevel.Query().Where(inventorylevel.VariantIDIn(variantIDs...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load stock: %w", err)
	}
	stock := routing.Stock{}
	for _, l := range levels {
		if stock[l.VariantID] == nil {
			stock[l.VariantID] = map[pulid.ID]int64{}
		}
		stock[l.VariantID][l.LocationID] = inventory.Available(l)
	}
	out := make([]routing.Location, len(locs))
	for i, l := range locs {
		out[i] = routingLocation(l, workload[l.ID], now)
	}
	return out, stock, nil
}

// placedUnits counts, per (line, variant), the units already reserved or shipped.
func placedUnits(ctx context.Context, c *ent.Client, orderID pulid.ID) (map[[2]pulid.ID]int64, error) {
	return placedUnitsWith(ctx, c, orderID, allocation.StatusOPEN, allocation.StatusSHIPPED)
}

// placedUnitsWith counts, per (line, variant), the units of allocations in the given states.
func placedUnitsWith(ctx context.Context, c *ent.Client, orderID pulid.ID, states ...allocation.Status) (map[[2]pulid.ID]int64, error) {
	as, err := c.Allocation.Query().
		Where(allocation.OrderID(orderID), allocation.StatusIn(states...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	out := map[[2]pulid.ID]int64{}
	for _, a := range as {
		out[[2]pulid.ID{a.LineID, a.VariantID}] += a.Quantity
	}
	return out, nil
}

// routingLine is the part of an order line still to place, or false when it is all placed.
func routingLine(l *ent.OrderLine, comps []*ent.BundleComponent, placed map[[2]pulid.ID]int64) (routing.Line, bool) {
	v := l.Edges.Variant
	rl := routing.Line{ID: l.ID, VariantID: variantOf(l), SKU: l.Sku, WeightGrams: v.WeightGrams,
		LengthMM: v.LengthMm, WidthMM: v.WidthMm, HeightMM: v.HeightMm, ReleaseAt: l.ReleaseAt}
	for _, bc := range comps {
		cv := bc.Edges.Component
		rl.Components = append(rl.Components, routing.Component{VariantID: bc.ComponentID, Quantity: int64(bc.Quantity), WeightGrams: cv.WeightGrams,
			LengthMM: cv.LengthMm, WidthMM: cv.WidthMm, HeightMM: cv.HeightMm})
	}
	slices.SortFunc(rl.Components, func(a, b routing.Component) int { return cmp.Compare(a.VariantID, b.VariantID) })
	rl.Quantity = wanted(l) - placedOf(l, comps, placed)
	return rl, rl.Quantity > 0
}

// placedOf is how many units of a line its allocations cover (placed counts units per (line,
// variant)). A bundle counts as placed as far as its scarcest component is.
func placedOf(l *ent.OrderLine, comps []*ent.BundleComponent, placed map[[2]pulid.ID]int64) int64 {
	if len(comps) == 0 {
		return placed[[2]pulid.ID{l.ID, variantOf(l)}]
	}
	done := wanted(l)
	for _, bc := range comps {
		done = min(done, placed[[2]pulid.ID{l.ID, bc.ComponentID}]/int64(bc.Quantity))
	}
	return done
}

// LineAllocated is how many units of an order line are reserved or shipped, in whole bundles for a
// bundle line.
func LineAllocated(ctx context.Context, c *ent.Client, l *ent.OrderLine) (int64, error) {
	if l.VariantID == nil {
		return 0, nil // a line without stock is never allocated
	}
	as, err := c.Allocation.Query().
		Where(allocation.LineID(l.ID), allocation.StatusIn(allocation.StatusOPEN, allocation.StatusSHIPPED)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load allocations: %w", err)
	}
	placed := map[[2]pulid.ID]int64{}
	for _, a := range as {
		placed[[2]pulid.ID{a.LineID, a.VariantID}] += a.Quantity
	}
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleID(variantOf(l))).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load bundle: %w", err)
	}
	return placedOf(l, comps, placed), nil
}

func routingOrder(o *ent.Order, exclude []pulid.ID) routing.Order {
	ro := routing.Order{ID: o.ID, ChannelID: o.ChannelID, COD: o.PaymentMethod == order.PaymentMethodCOD,
		Priority: o.Priority, ShipBy: o.ShipBy, PlacedAt: o.PlacedAt, Exclude: exclude}
	a := o.ShippingAddress
	ro.Destination = routing.Address{Lat: a.Latitude, Lng: a.Longitude, CountryCode: a.CountryCode, Region: a.Region, City: a.City, PostalCode: a.PostalCode}
	return ro
}

func routingLocation(l *ent.Location, workload int, now time.Time) routing.Location {
	rl := routing.Location{ID: l.ID, Code: l.Code, Kind: routing.Kind(l.Kind), Active: l.Active,
		ShipsTo: l.ShipsTo, AcceptsCOD: l.AcceptsCod, Priority: l.Priority, DailyCapacity: l.DailyCapacity,
		Workload: workload, EarliestShip: Calendar(l).EarliestShip(now)}
	a := l.Address
	rl.Lat, rl.Lng, rl.CountryCode, rl.Region, rl.City, rl.PostalCode = a.Latitude, a.Longitude, a.CountryCode, a.Region, a.City, a.PostalCode
	for _, ch := range l.Edges.Channels {
		rl.Channels = append(rl.Channels, ch.ID)
	}
	for _, v := range l.Edges.Supplies {
		rl.SupplierOf = append(rl.SupplierOf, v.ID)
	}
	return rl
}

// Calendar is a location's shipping calendar: its zone, cut-off, processing time and holidays.
func Calendar(l *ent.Location) calendar.Calendar {
	tz, err := time.LoadLocation(l.Timezone)
	if err != nil {
		tz = time.UTC
	}
	c := calendar.Calendar{Location: tz, Cutoff: l.CutoffTime, ProcessingHours: l.ProcessingHours}
	for _, h := range l.Holidays {
		if d, err := calendar.ParseDate(h); err == nil {
			c.Holidays = append(c.Holidays, d)
		}
	}
	return c
}

// routingPolicy is the engine's view of a stored policy (nil: the engine's default), pricing
// shipments packed into the box catalogue with the rate cards in force and shipping's default
// distance bands: what promises price with too (transit).
func routingPolicy(p *ent.RoutingPolicy, pr pricing) routing.Policy {
	out := routing.DefaultPolicy()
	if p != nil {
		out = routing.Policy{MaxShipments: p.MaxShipments, ShipFromStore: p.ShipFromStore, DropShip: p.DropShip,
			SplitBundles: p.SplitBundles, Backorder: routing.BackorderMode(p.Backorder), Bands: shipping.DefaultBands()}
		for _, c := range p.Criteria {
			out.Criteria = append(out.Criteria, routing.Criterion{Name: c.Name, Weight: c.Weight})
		}
	}
	out.Boxes, out.RateCards = pr.boxes, pr.cards
	return out
}

// Unplaced counts the units of an order that no allocation covers yet (backordered or held).
func Unplaced(ctx context.Context, c *ent.Client, o *ent.Order) (int64, error) {
	placed, err := placedUnits(ctx, c, o.ID)
	if err != nil {
		return 0, err
	}
	ro, _, _, err := orderLines(ctx, c, o, nil, placed)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, l := range ro.Lines {
		n += l.Quantity
	}
	return n, nil
}

// wanted is how many units of a line are still wanted: those ordered less those cancelled.
func wanted(l *ent.OrderLine) int64 { return l.Quantity - l.CancelledQuantity }

// variantOf is the variant of a stock line; lines without stock (tips, custom amounts, unmapped
// listings) have none, and are never routed.
func variantOf(l *ent.OrderLine) pulid.ID {
	if l.VariantID == nil {
		return ""
	}
	return *l.VariantID
}
