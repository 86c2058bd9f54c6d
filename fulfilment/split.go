package fulfilment

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentline"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Split is the command name on the event of a shipment a split took units from.
const Split Command = "SPLIT"

// SplitLine is a quantity of one order line to move out of a shipment.
type SplitLine struct {
	OrderLineID pulid.ID
	Quantity    int64
}

// SplitInput moves quantities of a shipment's lines into a new shipment at the same location.
type SplitInput struct {
	ShipmentID pulid.ID
	Lines      []SplitLine
}

// splittable are the states in which a shipment may still be split: nothing is packed yet.
var splittable = []shipment.Status{shipment.StatusOPEN, shipment.StatusPICKING}

// Validate checks a split without the database.
func (in SplitInput) Validate() error {
	if err := in.ShipmentID.Validate("shp"); err != nil {
		return fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	if len(in.Lines) == 0 {
		return fault.New(fault.InvalidArgument, "a split moves at least one line")
	}
	if len(in.Lines) > 250 {
		return fault.New(fault.InvalidArgument, "a split moves at most 250 lines")
	}
	seen := map[pulid.ID]bool{}
	for i, l := range in.Lines {
		if err := l.OrderLineID.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "lines[%d].orderLineID: %v", i, err)
		}
		if seen[l.OrderLineID] {
			return fault.New(fault.InvalidArgument, "lines[%d]: order line %s is listed twice", i, l.OrderLineID)
		}
		seen[l.OrderLineID] = true
		if l.Quantity <= 0 {
			return fault.New(fault.InvalidArgument, "lines[%d]: quantity must be positive, got %d", i, l.Quantity)
		}
	}
	return nil
}

// cut is how many units of one allocation move to the new shipment: all of it, or part (the
// allocation is then split in two).
type cut struct {
	alloc *ent.Allocation
	move  int64
}

// carve decides which allocations of a shipment (allocs, in a stable order) carry the units that
// move: each line's units are taken from its allocations in order, the last one taken only as far
// as needed. A line must be in the shipment with at least the units asked, a bundle line (its
// allocations hold several variants) moves whole, and something must stay. It is pure.
func carve(allocs []*ent.Allocation, lines []SplitLine) ([]cut, error) {
	byLine := map[pulid.ID][]*ent.Allocation{}
	var total int64
	for _, a := range allocs {
		byLine[a.LineID] = append(byLine[a.LineID], a)
		total += a.Quantity
	}
	var out []cut
	var moved int64
	for _, l := range lines {
		as := byLine[l.OrderLineID]
		if len(as) == 0 {
			return nil, fault.New(fault.InvalidArgument, "order line %s is not in this shipment", l.OrderLineID)
		}
		var have int64
		variants := map[pulid.ID]bool{}
		for _, a := range as {
			have += a.Quantity
			variants[a.VariantID] = true
		}
		if l.Quantity > have {
			return nil, fault.New(fault.InvalidArgument, "order line %s has %d units in this shipment, not %d", l.OrderLineID, have, l.Quantity)
		}
		if len(variants) > 1 {
			if l.Quantity != have {
				return nil, fault.New(fault.InvalidArgument, "order line %s is a bundle: it moves whole (%d units of its components)", l.OrderLineID, have)
			}
		}
		left := l.Quantity
		for _, a := range as {
			if left == 0 {
				break
			}
			m := min(a.Quantity, left)
			out = append(out, cut{alloc: a, move: m})
			left -= m
		}
		moved += l.Quantity
	}
	if moved >= total {
		return nil, fault.New(fault.InvalidArgument, "a split leaves something in the shipment: it holds %d units and %d would move", total, moved)
	}
	return out, nil
}

// Split moves quantities of an OPEN or PICKING shipment's lines into a new shipment at the same
// location. An allocation of which only part moves is split in two (its quantity lowered, a new
// open allocation of the same line, variant and location for the rest), so reservations and the
// ledger stay exact. Both shipments are packed again. It returns the shipment split and the new one.
func (s *Service) Split(ctx context.Context, in SplitInput) (from, to *ent.Shipment, err error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	var made pulid.ID
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, in.ShipmentID)
		if err != nil {
			return err
		}
		made, err = s.split(ctx, tx, o, sh, in.Lines)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.committed()
	if from, err = s.DB.Client.Shipment.Get(ctx, in.ShipmentID); err != nil {
		return nil, nil, fmt.Errorf("load shipment: %w", err)
	}
	if to, err = s.DB.Client.Shipment.Get(ctx, made); err != nil {
		return nil, nil, fmt.Errorf("load shipment: %w", err)
	}
	return from, to, nil
}

func (s *Service) split(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, lines []SplitLine) (pulid.ID, error) {
	if !slices.Contains(splittable, sh.Status) {
		return "", fault.New(fault.Conflict, "cannot split a shipment that is %s", sh.Status).
			With("status", string(sh.Status)).With("allowedFrom", splittable)
	}
	if slices.Contains(blocked, o.Status) {
		return "", fault.New(fault.Conflict, "shipment %s waits: its order is %s", sh.ID, o.Status).With("orderStatus", string(o.Status))
	}
	allocs, err := tx.Allocation.Query().Where(allocation.ShipmentID(sh.ID), allocation.StatusEQ(allocation.StatusOPEN)).
		WithVariant().Order(allocation.ByID()).All(ctx)
	if err != nil {
		return "", fmt.Errorf("load allocations: %w", err)
	}
	cuts, err := carve(allocs, lines)
	if err != nil {
		return "", err
	}
	now := s.now()
	moving := make([]*ent.Allocation, 0, len(cuts))
	for _, c := range cuts {
		a := c.alloc
		if c.move == a.Quantity {
			n, err := tx.Allocation.Update().Where(allocation.ID(a.ID), allocation.ShipmentID(sh.ID), allocation.StatusEQ(allocation.StatusOPEN)).
				ClearShipmentID().SetUpdatedAt(now).Save(ctx)
			if err != nil {
				return "", fmt.Errorf("release allocation from shipment: %w", err)
			}
			if n != 1 {
				return "", fault.New(fault.Conflict, "shipment %s changed while it was split; retry", sh.ID)
			}
			moving = append(moving, a)
			continue
		}
		n, err := tx.Allocation.Update().Where(allocation.ID(a.ID), allocation.Quantity(a.Quantity), allocation.ShipmentID(sh.ID), allocation.StatusEQ(allocation.StatusOPEN)).
			SetQuantity(a.Quantity - c.move).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return "", fmt.Errorf("lower allocation: %w", err)
		}
		if n != 1 {
			return "", fault.New(fault.Conflict, "shipment %s changed while it was split; retry", sh.ID)
		}
		a.Quantity -= c.move
		rest, err := tx.Allocation.Create().SetOrderID(a.OrderID).SetLineID(a.LineID).SetVariantID(a.VariantID).
			SetLocationID(a.LocationID).SetQuantity(c.move).Save(ctx)
		if err != nil {
			return "", fmt.Errorf("split allocation: %w", err)
		}
		rest.Edges.Variant = a.Edges.Variant
		moving = append(moving, rest)
	}
	staying := make([]*ent.Allocation, 0, len(allocs))
	for _, a := range allocs {
		if !slices.ContainsFunc(moving, func(m *ent.Allocation) bool { return m.ID == a.ID }) {
			staying = append(staying, a)
		}
	}
	if o.ChannelID != nil {
		if o.Edges.Channel, err = tx.Channel.Get(ctx, *o.ChannelID); err != nil {
			return "", fmt.Errorf("load channel: %w", err)
		}
	}
	boxes, err := dispatch.Boxes(ctx, tx.Client())
	if err != nil {
		return "", err
	}
	existing, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID)).Count(ctx)
	if err != nil {
		return "", fmt.Errorf("count shipments: %w", err)
	}
	l, err := tx.Location.Get(ctx, sh.LocationID)
	if err != nil {
		return "", fmt.Errorf("load location: %w", err)
	}
	made, err := s.create(ctx, tx, o, l, moving, boxes, existing+1)
	if err != nil {
		return "", err
	}
	// The shipment split is packed again with what stays.
	if _, err := tx.ShipmentLine.Delete().Where(shipmentline.ShipmentID(sh.ID)).Exec(ctx); err != nil {
		return "", fmt.Errorf("delete shipment lines: %w", err)
	}
	if _, err := tx.ShipmentPackage.Delete().Where(shipmentpackage.ShipmentID(sh.ID)).Exec(ctx); err != nil {
		return "", fmt.Errorf("delete packages: %w", err)
	}
	units, _, err := fill(ctx, tx, sh.ID, staying, boxes)
	if err != nil {
		return "", err
	}
	if err := tx.Shipment.UpdateOneID(sh.ID).SetUpdatedAt(now).Exec(ctx); err != nil {
		return "", fmt.Errorf("touch shipment: %w", err)
	}
	ev := events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(Split), From: string(sh.Status), To: string(sh.Status),
		Reason: fmt.Sprintf("%d units moved to shipment %s; %d stay", unitsOf(moving), made.Number, units)}
	if err := events.Append(ctx, tx, s.event(ctx, o, sh, ev)); err != nil {
		return "", err
	}
	return made.ID, s.follow(ctx, tx, o)
}

func unitsOf(as []*ent.Allocation) int64 {
	var n int64
	for _, a := range as {
		n += a.Quantity
	}
	return n
}
