package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// UnitCut is a number of units to take out of one open allocation (cancelled units of its line):
// all of it, or part, the allocation then keeping the rest.
type UnitCut struct {
	AllocationID pulid.ID
	Quantity     int64
}

// ReleaseUnits gives back exactly the units the cuts name, in tx: an allocation cut whole is
// released, one cut in part keeps its shipment and the rest of its units. Each cut writes a RELEASE
// movement at the allocation's location. Every allocation must still be open and hold the units (a
// concurrent change makes it a CONFLICT, and the caller rolls back). Cuts are applied in (variant,
// location) order, the order every stock change locks levels in.
func (s *Service) ReleaseUnits(ctx context.Context, tx *ent.Tx, orderID pulid.ID, cuts []UnitCut, reason string) error {
	if len(cuts) == 0 {
		return nil
	}
	ids := make([]pulid.ID, len(cuts))
	want := make(map[pulid.ID]int64, len(cuts))
	for i, c := range cuts {
		if c.Quantity <= 0 {
			return fault.New(fault.InvalidArgument, "a cut of allocation %s must be positive, got %d", c.AllocationID, c.Quantity)
		}
		ids[i] = c.AllocationID
		want[c.AllocationID] += c.Quantity
	}
	allocs, err := tx.Allocation.Query().Where(allocation.IDIn(ids...), allocation.OrderID(orderID)).WithVariant().All(ctx)
	if err != nil {
		return fmt.Errorf("load allocations: %w", err)
	}
	if len(allocs) != len(want) {
		return fault.New(fault.Conflict, "order %s changed while its units were released; retry", orderID)
	}
	slices.SortFunc(allocs, func(a, b *ent.Allocation) int {
		return cmp.Or(cmp.Compare(a.VariantID, b.VariantID), cmp.Compare(a.LocationID, b.LocationID), cmp.Compare(a.ID, b.ID))
	})
	changes := make([]change, 0, len(allocs))
	for _, a := range allocs {
		q := want[a.ID]
		if a.Status != allocation.StatusOPEN || q > a.Quantity {
			return fault.New(fault.Conflict, "allocation %s is %s with %d units: %d cannot be released", a.ID, a.Status, a.Quantity, q)
		}
		// The guards (still open, still this many units) make a racing change lose, not double-count.
		upd := tx.Allocation.Update().Where(allocation.ID(a.ID), allocation.StatusEQ(allocation.StatusOPEN), allocation.Quantity(a.Quantity)).
			SetUpdatedAt(now())
		if q == a.Quantity {
			upd.SetStatus(allocation.StatusRELEASED)
		} else {
			upd.SetQuantity(a.Quantity - q)
		}
		if n, err := upd.Save(ctx); err != nil {
			return fmt.Errorf("cut allocation: %w", err)
		} else if n != 1 {
			return fault.New(fault.Conflict, "allocation %s changed while its units were released; retry", a.ID)
		}
		n, err := tx.InventoryLevel.Update().
			Where(inventorylevel.VariantID(a.VariantID), inventorylevel.LocationID(a.LocationID), inventorylevel.ReservedGTE(q)).
			AddReserved(-q).SetUpdatedAt(now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("update stock level: %w", err)
		}
		if n != 1 {
			return fmt.Errorf("stock level of allocation %s does not cover its %d units", a.ID, q)
		}
		l, err := tx.InventoryLevel.Query().Where(inventorylevel.VariantID(a.VariantID), inventorylevel.LocationID(a.LocationID)).Only(ctx)
		if err != nil {
			return fmt.Errorf("load stock level: %w", err)
		}
		changes = append(changes, change{level: l, sku: a.Edges.Variant.Sku, kind: inventorymovement.KindRELEASE, reserved: -q,
			reason: reason, reference: string(orderID), orderID: string(orderID)})
	}
	return record(ctx, tx, changes...)
}
