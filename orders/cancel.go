package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/money"
)

// Event types of changes after placement.
const (
	EventLinesCancelled = events.KindLinesCancelled
	EventEdited         = events.KindOrderEdited
)

// Source says who cancelled units: a person or partner in Ordo (AGENT), the order's channel
// (CHANNEL, never echoed back to it), or an edit (EDIT).
type Source string

// The sources of a cancellation.
const (
	SourceAgent   Source = events.SourceAgent
	SourceChannel Source = events.SourceChannel
	SourceEdit    Source = events.SourceEdit
)

// ReturnLine is a quantity of an order line that had left already when it was cancelled.
type ReturnLine struct {
	OrderLineID pulid.ID
	Quantity    int64
}

// Returner turns units cancelled after they were handed over into a return, in the cancellation's
// transaction (package returns implements it).
type Returner interface {
	ReturnAfterHandover(ctx context.Context, tx *ent.Tx, orderID pulid.ID, lines []ReturnLine, reason string) error
}

// Replanner packs again, in tx, the open shipments of an order that lost units, cancelling those
// left empty, and lets the order follow its shipments (package fulfilment implements it).
type Replanner interface {
	Replan(ctx context.Context, tx *ent.Tx, o *ent.Order, shipments []pulid.ID) error
}

// CancelLine is a number of units of one order line to cancel.
type CancelLine struct {
	LineID   pulid.ID
	Quantity int64
	// unitIDs are the channel's ids of the units it cancelled (per-unit channels), kept last on the
	// line's unit ids so that the cancelled ones are always the last cancelled_quantity of them.
	unitIDs []string
}

// CancelLinesInput cancels units of some lines of an order.
type CancelLinesInput struct {
	OrderID pulid.ID
	Lines   []CancelLine
	Reason  string
	Source  Source
}

// Validate checks a cancellation without the database.
func (in CancelLinesInput) Validate() error {
	if err := in.OrderID.Validate("ord"); err != nil {
		return fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	if strings.TrimSpace(in.Reason) == "" {
		return fault.New(fault.InvalidArgument, "cancelling units needs a reason")
	}
	if len(in.Reason) > 500 {
		return fault.New(fault.InvalidArgument, "reason: at most 500 characters")
	}
	switch in.Source {
	case SourceAgent, SourceChannel, SourceEdit:
	default:
		return fault.New(fault.InvalidArgument, "unknown cancellation source %q", in.Source)
	}
	if len(in.Lines) == 0 || len(in.Lines) > MaxLines {
		return fault.New(fault.InvalidArgument, "a cancellation names 1 to %d lines, got %d", MaxLines, len(in.Lines))
	}
	seen := map[pulid.ID]bool{}
	for i, l := range in.Lines {
		if err := l.LineID.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "lines[%d].lineID: %v", i, err)
		}
		if seen[l.LineID] {
			return fault.New(fault.InvalidArgument, "lines[%d]: line %s is listed twice", i, l.LineID)
		}
		seen[l.LineID] = true
		if l.Quantity <= 0 || l.Quantity > MaxLineQuantity {
			return fault.New(fault.InvalidArgument, "lines[%d]: quantity must be between 1 and %d, got %d", i, MaxLineQuantity, l.Quantity)
		}
	}
	return nil
}

// cancellable are the order states in which units may be cancelled: before hand-over (stock
// released), and after it, when the units become a return.
var cancellable = append(slices.Clone(preShipment), order.StatusON_HOLD, order.StatusCANCEL_REQUESTED,
	order.StatusSHIPPED, order.StatusDELIVERED, order.StatusEXCEPTION, order.StatusCOMPLETED)

// CancelLines cancels units of an order's lines, in one transaction: the line's cancelled quantity
// rises, exactly those units' stock is released at the locations that held it (backordered units
// first, they hold none; then units in no shipment, then units of shipments nobody started
// picking, which are packed again), units being picked are a CONFLICT ("picking started") and units
// handed over become a return through the Returner (CONFLICT without one). The totals follow the
// units still wanted, the order's version moves on, and an order.lines_cancelled event is written.
// When nothing is left the order is cancelled through its lifecycle; a backordered order is
// routed again, since what remains may now be served.
func (s *Service) CancelLines(ctx context.Context, in CancelLinesInput) (*ent.Order, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := loadForChange(ctx, tx, in.OrderID)
		if err != nil {
			return err
		}
		if err := mayCancelAsCaller(ctx, o); err != nil {
			return err
		}
		return s.cancelLines(ctx, tx, o, in)
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	s.replenished(ctx, in.OrderID)
	return s.DB.Client.Order.Get(ctx, in.OrderID)
}

// loadForChange loads an order for a cancellation or an edit.
func loadForChange(ctx context.Context, tx *ent.Tx, id pulid.ID) (*ent.Order, error) {
	o, err := tx.Order.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "order %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	return o, nil
}

// mayCancelAsCaller refuses a storefront key another customer's order, and any order of its own that
// is paid or being picked: a customer cancels units only of an unpaid order nobody has started on.
func mayCancelAsCaller(ctx context.Context, o *ent.Order) error {
	v, ok := auth.FromContext(ctx)
	if !ok || v.Role != auth.Storefront {
		return nil
	}
	if v.CustomerID == nil || o.CustomerID == nil || *v.CustomerID != *o.CustomerID {
		return fault.New(fault.NotFound, "order %s not found", o.ID)
	}
	if o.PaymentStatus != order.PaymentStatusPENDING ||
		!slices.Contains([]order.Status{order.StatusPENDING_PAYMENT, order.StatusCONFIRMED, order.StatusALLOCATED, order.StatusBACKORDERED}, o.Status) {
		return fault.New(fault.Forbidden, "a customer cancels units only of an unpaid order not yet picked; ask the shop")
	}
	return nil
}

// cancelLines is CancelLines inside tx, on an order already loaded.
func (s *Service) cancelLines(ctx context.Context, tx *ent.Tx, o *ent.Order, in CancelLinesInput) error {
	if !slices.Contains(cancellable, o.Status) {
		return fault.New(fault.Conflict, "cannot cancel units of an order that is %s", o.Status).With("status", string(o.Status))
	}
	if err := bump(ctx, tx, o); err != nil {
		return err
	}
	done, err := s.cancelUnits(ctx, tx, o, in.Lines, in.Reason)
	if err != nil {
		return err
	}
	if err := s.finish(ctx, tx, o, events.LinesCancelled{Lines: done, Reason: in.Reason, Source: string(in.Source), Version: o.Version}); err != nil {
		return err
	}
	return s.afterCancel(ctx, tx, o, in.Reason)
}

// afterCancel moves an order on once units are gone: cancelled through the lifecycle when no line
// wants anything any more, routed again when it waits for stock.
func (s *Service) afterCancel(ctx context.Context, tx *ent.Tx, o *ent.Order, reason string) error {
	left, err := tx.OrderLine.Query().Where(orderline.OrderID(o.ID), orderline.KindEQ(orderline.KindSTOCK)).All(ctx)
	if err != nil {
		return fmt.Errorf("load lines: %w", err)
	}
	var wanted int64
	for _, l := range left {
		wanted += l.Quantity - l.CancelledQuantity
	}
	shipped, err := tx.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusSHIPPED)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("load allocations: %w", err)
	}
	switch {
	case wanted == 0 && !shipped && len(left) > 0:
		if _, err := Next(o.Status, (*order.Status)(o.StatusBeforeHold), o.PaymentStatus, o.PaymentMethod, Cancel, reason); err != nil {
			return nil // a shipped or returned order keeps its status; its lines say what is left
		}
		return s.command(ctx, tx, o, ApplyInput{OrderID: o.ID, Command: Cancel, Reason: "all units cancelled: " + reason}, nil)
	case o.Status == order.StatusBACKORDERED:
		_, err := s.reroute(ctx, tx, o, o.RejectedLocations)
		return err
	}
	return nil
}

// bump moves the order's version on, guarded by the version and status read: the row is locked
// from here to the commit, and a change that raced this one since it was read (an edit, a
// lifecycle command) makes this one a CONFLICT.
func bump(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	n, err := tx.Order.Update().Where(order.ID(o.ID), order.Version(o.Version), order.StatusEQ(o.Status)).
		AddVersion(1).SetUpdatedAt(now()).Save(ctx)
	if err != nil {
		return fmt.Errorf("update order: %w", err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "order %s changed while this command ran; retry", o.ID)
	}
	o.Version++
	return nil
}

// finish recomputes the order's totals from the units its lines still want and appends the
// change's event.
func (s *Service) finish(ctx context.Context, tx *ent.Tx, o *ent.Order, p events.Payload) error {
	lines, err := tx.OrderLine.Query().Where(orderline.OrderID(o.ID)).All(ctx)
	if err != nil {
		return fmt.Errorf("load lines: %w", err)
	}
	sub, total, err := retotal(o.SubtotalAmount, o.TotalAmount, lines)
	if err != nil {
		return err
	}
	if sub != o.SubtotalAmount || total != o.TotalAmount {
		if err := tx.Order.UpdateOneID(o.ID).SetSubtotalAmount(sub).SetTotalAmount(total).Exec(ctx); err != nil {
			return fmt.Errorf("update totals: %w", err)
		}
		o.SubtotalAmount, o.TotalAmount = sub, total
	}
	return events.Append(ctx, tx, orderEvent(ctx, o, p))
}

// retotal is an order's subtotal over the units its lines want (unit price × (quantity −
// cancelled)), and its total moved by as much as the subtotal moved, so that what the channel
// stated beyond Ordo's sum (vouchers, rounding) is kept; never below zero. It is pure.
func retotal(subtotal, total int64, lines []*ent.OrderLine) (int64, int64, error) {
	var sub int64
	for _, l := range lines {
		v, err := money.Mul(l.UnitPriceAmount, l.Quantity-l.CancelledQuantity)
		if err == nil {
			sub, err = money.Add(sub, v)
		}
		if err != nil {
			return 0, 0, fault.New(fault.InvalidArgument, "the order's subtotal overflows the largest amount (%d)", int64(money.Max))
		}
	}
	t, err := money.Sub(total, subtotal)
	if err == nil {
		t, err = money.Add(t, sub)
	}
	if err != nil {
		return 0, 0, fault.New(fault.InvalidArgument, "the order's total overflows the largest amount (%d)", int64(money.Max))
	}
	return sub, max(t, 0), nil
}

// cancelUnits cancels units of lines of o in tx (see CancelLines) and returns what it cancelled,
// line by line. The order's version and event are the caller's.
func (s *Service) cancelUnits(ctx context.Context, tx *ent.Tx, o *ent.Order, req []CancelLine, reason string) ([]events.CancelledLine, error) {
	ids := make([]pulid.ID, len(req))
	for i, r := range req {
		ids[i] = r.LineID
	}
	lines, err := tx.OrderLine.Query().Where(orderline.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load lines: %w", err)
	}
	byID := map[pulid.ID]*ent.OrderLine{}
	for _, l := range lines {
		if l.OrderID == o.ID {
			byID[l.ID] = l
		}
	}
	units, err := s.unitsOf(ctx, tx, o.ID, lines)
	if err != nil {
		return nil, err
	}
	var (
		cuts      []inventory.UnitCut
		shipments []pulid.ID
		returns   []ReturnLine
		out       []events.CancelledLine
	)
	for _, r := range req {
		l := byID[r.LineID]
		if l == nil {
			return nil, fault.New(fault.NotFound, "order %s has no line %s", o.ID, r.LineID)
		}
		p, err := planCuts(units[l.ID], r.Quantity)
		if err != nil {
			return nil, onLine(err, l)
		}
		cuts = append(cuts, p.Cuts...)
		for _, sh := range p.Shipments {
			if !slices.Contains(shipments, sh) {
				shipments = append(shipments, sh)
			}
		}
		if p.Returned > 0 {
			returns = append(returns, ReturnLine{OrderLineID: l.ID, Quantity: p.Returned})
		}
		done := events.CancelledLine{LineID: string(l.ID), SKU: l.Sku, Quantity: p.Cancelled(), Returned: p.Returned}
		if n := p.Cancelled(); n > 0 {
			unitIDs, cancelled := cancelledUnits(l.ExternalUnitIds, l.Quantity, l.CancelledQuantity, n, r.unitIDs)
			done.UnitIDs = cancelled
			upd := tx.OrderLine.Update().Where(orderline.ID(l.ID), orderline.CancelledQuantity(l.CancelledQuantity)).
				AddCancelledQuantity(n)
			if len(unitIDs) > 0 {
				upd.SetExternalUnitIds(unitIDs)
			}
			if k, err := upd.Save(ctx); err != nil {
				return nil, fmt.Errorf("update line: %w", err)
			} else if k != 1 {
				return nil, fault.New(fault.Conflict, "line %s changed while this cancellation ran; retry", l.ID)
			}
		}
		out = append(out, done)
	}
	if err := s.Inventory.ReleaseUnits(ctx, tx, o.ID, cuts, "units cancelled: "+reason); err != nil {
		return nil, err
	}
	if len(shipments) > 0 && s.Replanner != nil {
		if err := s.Replanner.Replan(ctx, tx, o, shipments); err != nil {
			return nil, err
		}
	}
	if len(returns) > 0 {
		if s.Returner == nil {
			return nil, fault.New(fault.Conflict, "units of this order were handed over already: cancel them with a return")
		}
		if err := s.Returner.ReturnAfterHandover(ctx, tx, o.ID, returns, reason); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cancelledUnits keeps a per-unit line's cancelled units last among its unit ids: n more of them
// cancelled, those the channel named (named) when it did, else the last units still wanted. It
// returns the line's unit ids in their new order (nil when the line has none) and the ids of the
// units just cancelled. It is pure.
func cancelledUnits(ids []string, quantity, cancelled, n int64, named []string) (ordered, just []string) {
	if len(ids) == 0 {
		return nil, nil
	}
	wanted := int64(len(ids)) - cancelled
	if wanted < n || int64(len(ids)) != quantity {
		return nil, nil // not one id per unit: nothing to say which units went
	}
	live, gone := slices.Clone(ids[:wanted]), slices.Clone(ids[wanted:])
	var picked []string
	for _, id := range named {
		if int64(len(picked)) == n {
			break
		}
		if i := slices.Index(live, id); i >= 0 {
			picked = append(picked, id)
			live = slices.Delete(live, i, i+1)
		}
	}
	if k := n - int64(len(picked)); k > 0 {
		cut := int64(len(live)) - k
		picked = append(picked, live[cut:]...)
		live = live[:cut]
	}
	return append(append(live, picked...), gone...), picked
}

// unitsOf describes lines' units for the cancellation planner: what each wants, its variants per
// unit, and its open and shipped allocations with how far their shipments have gone.
func (s *Service) unitsOf(ctx context.Context, tx *ent.Tx, orderID pulid.ID, lines []*ent.OrderLine) (map[pulid.ID]lineUnits, error) {
	allocs, err := tx.Allocation.Query().
		Where(allocation.OrderID(orderID), allocation.StatusIn(allocation.StatusOPEN, allocation.StatusSHIPPED)).
		Order(allocation.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	shs, err := tx.Shipment.Query().Where(shipment.OrderID(orderID)).Select(shipment.FieldID, shipment.FieldStatus).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load shipments: %w", err)
	}
	status := map[pulid.ID]shipment.Status{}
	for _, sh := range shs {
		status[sh.ID] = sh.Status
	}
	var variants []pulid.ID
	for _, l := range lines {
		if l.VariantID != nil {
			variants = append(variants, *l.VariantID)
		}
	}
	comps, err := tx.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(variants...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load bundles: %w", err)
	}
	out := make(map[pulid.ID]lineUnits, len(lines))
	for _, l := range lines {
		lu := lineUnits{Wanted: l.Quantity - l.CancelledQuantity, PerUnit: map[pulid.ID]int64{}}
		if l.VariantID != nil {
			for _, bc := range comps {
				if bc.BundleID == *l.VariantID {
					lu.PerUnit[bc.ComponentID] = int64(bc.Quantity)
				}
			}
			if len(lu.PerUnit) == 0 {
				lu.PerUnit[*l.VariantID] = 1
			}
		}
		for _, a := range allocs {
			if a.LineID != l.ID {
				continue
			}
			ua := unitAlloc{ID: a.ID, VariantID: a.VariantID, Quantity: a.Quantity, Stage: stageShipped}
			if a.Status == allocation.StatusOPEN {
				ua.Stage = stageFree
				if a.ShipmentID != nil {
					ua.ShipmentID = *a.ShipmentID
					ua.Stage = stageStarted
					if st := status[*a.ShipmentID]; st == shipment.StatusOPEN || st == shipment.StatusCANCELLED {
						ua.Stage = stageOpen
					}
				}
			}
			lu.Allocs = append(lu.Allocs, ua)
		}
		out[l.ID] = lu
	}
	return out, nil
}

// onLine names the line a planner's fault is about.
func onLine(err error, l *ent.OrderLine) error {
	var fe *fault.Error
	if !errors.As(err, &fe) {
		return err
	}
	c := *fe
	c.Message = fmt.Sprintf("line %s (%s): %s", l.ID, l.Sku, fe.Message)
	return &c
}
