package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/routing"
)

// Event types of re-routing.
const (
	EventAllocationRejected = events.KindAllocationRejected
	EventBackorderReleased  = events.KindBackorderReleased
)

// RejectAllocation records that a location cannot fulfil its part of an order: every open allocation
// of the order there is released, the location is excluded from the order's routing from now on, and
// the order is routed again. What no other location can take is backordered.
func (s *Service) RejectAllocation(ctx context.Context, allocationID pulid.ID, reason string) (*ent.Order, error) {
	if err := allocationID.Validate("alc"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "allocationID: %v", err)
	}
	if reason == "" {
		return nil, fault.New(fault.InvalidArgument, "rejecting an allocation needs a reason")
	}
	var orderID pulid.ID
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		a, err := tx.Allocation.Get(ctx, allocationID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "allocation %s not found", allocationID)
		}
		if err != nil {
			return fmt.Errorf("load allocation: %w", err)
		}
		if v, ok := auth.FromContext(ctx); ok && !v.Serves(a.LocationID) {
			return fault.New(fault.Forbidden, "allocation %s is at a location this key does not serve", a.ID)
		}
		if a.Status != allocation.StatusOPEN {
			return fault.New(fault.Conflict, "allocation %s is %s, not open", a.ID, a.Status)
		}
		o, err := tx.Order.Get(ctx, a.OrderID)
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		orderID = o.ID
		if o.Status != order.StatusALLOCATED && o.Status != order.StatusBACKORDERED {
			return fault.New(fault.Conflict, "order %s is %s: only an allocated or backordered order is re-routed", o.ID, o.Status)
		}
		if err := s.Inventory.Release(ctx, tx, o.ID, &a.LocationID, "rejected by location: "+reason); err != nil {
			return err
		}
		rejected := append(slices.Clone(o.RejectedLocations), string(a.LocationID))
		if err := tx.Order.UpdateOne(o).SetRejectedLocations(rejected).SetUpdatedAt(now()).Exec(ctx); err != nil {
			return fmt.Errorf("update order: %w", err)
		}
		err = events.Append(ctx, tx, orderEvent(ctx, o, events.AllocationRejected{
			AllocationID: string(a.ID), LocationID: string(a.LocationID), Reason: reason,
		}))
		if err != nil {
			return err
		}
		_, err = s.reroute(ctx, tx, o, rejected)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	s.replenished(ctx, orderID)
	return s.DB.Client.Order.Get(ctx, orderID)
}

// reroute routes what is not yet placed of an allocated or backordered order and moves it to the
// status that calls for. It reports how many units it placed.
func (s *Service) reroute(ctx context.Context, tx *ent.Tx, o *ent.Order, rejected []string) (int64, error) {
	exclude := make([]pulid.ID, len(rejected))
	for i, id := range rejected {
		exclude[i] = pulid.ID(id)
	}
	r, err := s.Router.Route(ctx, tx, o, exclude, s.now())
	if err != nil {
		return 0, err
	}
	var placed int64
	for _, sh := range r.Decision.Shipments {
		placed += sh.Units
	}
	cmd := Backorder
	if r.FullyPlaced() {
		cmd = Allocate
	}
	if (cmd == Backorder && o.Status == order.StatusBACKORDERED) || (cmd == Allocate && o.Status == order.StatusALLOCATED) {
		return placed, nil
	}
	t, err := Next(o.Status, nil, o.PaymentStatus, o.PaymentMethod, cmd, "")
	if err != nil {
		return 0, err
	}
	return placed, s.move(ctx, tx, o, t, "", events.StatusChanged{Command: string(cmd)})
}

var errNothingPlaced = errors.New("nothing placed")

// MaxReleasedPerPass bounds how many waiting orders one release pass routes.
const MaxReleasedPerPass = 500

// ReleaseBackorders routes the backordered orders that wait for any of variants (all of them, when
// variants is empty: the periodic sweep, which also frees pre-orders whose date has come), highest
// priority first, then the most urgent ship-by, then the oldest. Each order is routed in a
// transaction of its own, so that one that fails does not hold up the others. It returns how many
// orders it moved on.
func (s *Service) ReleaseBackorders(ctx context.Context, variants []pulid.ID) (int, error) {
	q := s.DB.Client.Order.Query().Where(order.StatusEQ(order.StatusBACKORDERED))
	if len(variants) > 0 {
		bundles, err := s.DB.Client.BundleComponent.Query().Where(bundlecomponent.ComponentIDIn(variants...)).
			Select(bundlecomponent.FieldBundleID).Strings(ctx)
		if err != nil {
			return 0, fmt.Errorf("load bundles: %w", err)
		}
		wanted := slices.Clone(variants)
		for _, b := range bundles {
			wanted = append(wanted, pulid.ID(b))
		}
		q.Where(order.HasLinesWith(orderline.VariantIDIn(wanted...)))
	}
	waiting, err := q.Limit(MaxReleasedPerPass).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load backorders: %w", err)
	}
	queue := make([]routing.Order, len(waiting))
	for i, o := range waiting {
		queue[i] = routing.Order{ID: o.ID, Priority: o.Priority, ShipBy: o.ShipBy, PlacedAt: o.PlacedAt}
	}
	moved := 0
	for _, w := range routing.PrioritySort(queue) {
		var placed int64
		err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
			o, err := tx.Order.Get(ctx, w.ID)
			if err != nil {
				return err
			}
			if o.Status != order.StatusBACKORDERED {
				return nil // moved on meanwhile
			}
			if placed, err = s.reroute(ctx, tx, o, o.RejectedLocations); err != nil {
				return err
			}
			if placed == 0 {
				return errNothingPlaced // roll back: no decision worth recording
			}
			return events.Append(ctx, tx, orderEvent(ctx, o, events.BackorderReleased{Units: placed, Status: string(o.Status)}))
		})
		if errors.Is(err, errNothingPlaced) {
			continue
		}
		if err != nil {
			return moved, fmt.Errorf("release backorder %s: %w", w.ID, err)
		}
		if placed > 0 {
			moved++
		}
	}
	if moved > 0 {
		s.committed()
	}
	return moved, nil
}
