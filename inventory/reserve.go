package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Need is a quantity of one SKU that an order line needs reserved. A bundle line yields one Need per
// component.
type Need struct {
	OrderID   pulid.ID
	LineID    pulid.ID
	VariantID pulid.ID
	SKU       string
	Quantity  int64
	// LocationID is where the routing engine decided to reserve.
	LocationID pulid.ID
}

// Reserve reserves every need in tx at its location, each with a conditional update that holds
// only if the units are available at that moment, and records an OPEN allocation per need. Either
// all needs are reserved or it returns an INSUFFICIENT_STOCK fault naming every short SKU, and the
// caller must roll back (to a savepoint, or the whole transaction).
//
// Needs are taken in (variant, location) order so that concurrent transactions lock levels in one
// global order and cannot deadlock each other.
func (s *Service) Reserve(ctx context.Context, tx *ent.Tx, needs []Need) ([]*ent.Allocation, error) {
	needs = slices.Clone(needs)
	slices.SortStableFunc(needs, func(a, b Need) int {
		return cmp.Or(cmp.Compare(a.VariantID, b.VariantID), cmp.Compare(a.LocationID, b.LocationID))
	})
	var (
		short   []string
		changes []change
		allocs  []*ent.AllocationCreate
	)
	for _, n := range needs {
		if n.Quantity <= 0 {
			return nil, fault.New(fault.InvalidArgument, "quantity for %s must be positive, got %d", n.SKU, n.Quantity)
		}
		l, err := s.reserveWhere(ctx, tx, n.Quantity, entsql.And(
			entsql.EQ(inventorylevel.FieldVariantID, n.VariantID), entsql.EQ(inventorylevel.FieldLocationID, n.LocationID)))
		if err != nil {
			return nil, err
		}
		if l == nil {
			if !slices.Contains(short, n.SKU) {
				short = append(short, n.SKU)
			}
			continue
		}
		alloc := tx.Allocation.Create().SetOrderID(n.OrderID).SetLineID(n.LineID).
			SetVariantID(n.VariantID).SetLocationID(l.LocationID).SetQuantity(n.Quantity)
		allocs = append(allocs, alloc)
		changes = append(changes, change{
			level: l, sku: n.SKU, kind: inventorymovement.KindRESERVATION, reserved: n.Quantity,
			reason: "reserved for order", reference: string(n.OrderID), orderID: string(n.OrderID),
		})
	}
	if len(short) > 0 {
		slices.Sort(short)
		return nil, fault.New(fault.InsufficientStock, "not enough stock for %v", short).With("skus", short)
	}
	created, err := tx.Allocation.CreateBulk(allocs...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create allocations: %w", err)
	}
	if err := record(ctx, tx, changes...); err != nil {
		return nil, err
	}
	return created, nil
}

// reserveWhere adds q to reserved on the level that which selects, if q units are available there
// at the moment of the update, and returns the level's new numbers (nil when nothing matched).
func (s *Service) reserveWhere(ctx context.Context, tx *ent.Tx, q int64, which *entsql.Predicate) (*ent.InventoryLevel, error) {
	cols := []string{inventorylevel.FieldID, inventorylevel.FieldVariantID, inventorylevel.FieldLocationID,
		inventorylevel.FieldOnHand, inventorylevel.FieldReserved, inventorylevel.FieldSafetyStock}
	query, args := entsql.Dialect(s.DB.Dialect).Update(inventorylevel.Table).
		Add(inventorylevel.FieldReserved, q).Set(inventorylevel.FieldUpdatedAt, now()).
		Where(entsql.And(which, atLeast(q, inventorylevel.FieldOnHand, inventorylevel.FieldReserved, inventorylevel.FieldSafetyStock))).
		Returning(cols...).Query()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	lv := &ent.InventoryLevel{}
	if err := rows.Scan(&lv.ID, &lv.VariantID, &lv.LocationID, &lv.OnHand, &lv.Reserved, &lv.SafetyStock); err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	return lv, rows.Close()
}

// Release gives back the stock of an order's open allocations (a cancellation), or only of those at
// one location when at is set (the location rejected them).
func (s *Service) Release(ctx context.Context, tx *ent.Tx, orderID pulid.ID, at *pulid.ID, reason string) error {
	return closeAllocations(ctx, tx, orderID, at, nil, allocation.StatusRELEASED, reason)
}

// ReleaseShipment gives back the stock of one shipment's open allocations (a pickup nobody
// collected, a cancelled shipment whose order is cancelled).
func (s *Service) ReleaseShipment(ctx context.Context, tx *ent.Tx, orderID, shipmentID pulid.ID, reason string) error {
	return closeAllocations(ctx, tx, orderID, nil, &shipmentID, allocation.StatusRELEASED, reason)
}

// ShipShipment turns one shipment's open allocations into shipment movements at its location: the
// units leave on hand and reserved.
func (s *Service) ShipShipment(ctx context.Context, tx *ent.Tx, orderID, shipmentID pulid.ID, reference string) error {
	return closeAllocations(ctx, tx, orderID, nil, &shipmentID, allocation.StatusSHIPPED, reference)
}

// Ship turns an order's open allocations into shipments: the units leave on hand and reserved.
func (s *Service) Ship(ctx context.Context, tx *ent.Tx, orderID pulid.ID, reference string) error {
	return closeAllocations(ctx, tx, orderID, nil, nil, allocation.StatusSHIPPED, reference)
}

// closeAllocations closes an order's open allocations: all of them, those at one location (at), or
// those of one shipment.
func closeAllocations(ctx context.Context, tx *ent.Tx, orderID pulid.ID, at, shipment *pulid.ID, to allocation.Status, reason string) error {
	q := tx.Allocation.Query().Where(allocation.OrderID(orderID), allocation.StatusEQ(allocation.StatusOPEN))
	if at != nil {
		q.Where(allocation.LocationID(*at))
	}
	if shipment != nil {
		q.Where(allocation.ShipmentID(*shipment))
	}
	open, err := q.WithVariant().Order(allocation.ByVariantID(), allocation.ByLocationID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load allocations: %w", err)
	}
	changes := make([]change, 0, len(open))
	for _, a := range open {
		// The status guard makes closing an allocation happen once, even if two requests race.
		n, err := tx.Allocation.Update().Where(allocation.ID(a.ID), allocation.StatusEQ(allocation.StatusOPEN)).
			SetStatus(to).SetUpdatedAt(now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("close allocation: %w", err)
		}
		if n == 0 {
			continue
		}
		ref := string(orderID)
		if shipment != nil {
			ref = string(*shipment)
		}
		c := change{sku: a.Edges.Variant.Sku, reserved: -a.Quantity, reason: reason, reference: ref, orderID: string(orderID)}
		upd := tx.InventoryLevel.Update().
			Where(inventorylevel.VariantID(a.VariantID), inventorylevel.LocationID(a.LocationID), inventorylevel.ReservedGTE(a.Quantity)).
			AddReserved(-a.Quantity).SetUpdatedAt(now())
		c.kind = inventorymovement.KindRELEASE
		if to == allocation.StatusSHIPPED {
			c.kind, c.onHand = inventorymovement.KindSHIPMENT, -a.Quantity
			upd = upd.Where(inventorylevel.OnHandGTE(a.Quantity)).AddOnHand(-a.Quantity)
		}
		if n, err := upd.Save(ctx); err != nil {
			return fmt.Errorf("update stock level: %w", err)
		} else if n != 1 {
			return fmt.Errorf("stock level of allocation %s does not cover its %d units", a.ID, a.Quantity)
		}
		c.level, err = tx.InventoryLevel.Query().
			Where(inventorylevel.VariantID(a.VariantID), inventorylevel.LocationID(a.LocationID)).Only(ctx)
		if err != nil {
			return fmt.Errorf("load stock level: %w", err)
		}
		changes = append(changes, c)
	}
	return record(ctx, tx, changes...)
}
