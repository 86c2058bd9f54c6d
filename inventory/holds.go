package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockholdline"
	"github.com/ordo-oms/ordo/fault"
)

// HoldNeed is units of one variant a stock hold keeps at one location.
type HoldNeed struct {
	VariantID  pulid.ID
	SKU        string
	Quantity   int64
	LocationID pulid.ID
}

// HoldUnits reserves every need for the hold holdID in tx, with the same conditional update as an
// order's reservation (the units must be available at the moment of the update), writes a HOLD
// movement per (variant, location) and an active StockHoldLine per need. Either all needs are held
// or it returns an INSUFFICIENT_STOCK fault naming every short SKU, and the caller must roll back
// (to a savepoint, or the whole transaction). Needs are taken in (variant, location) order, as
// Reserve takes them, so that holds and orders lock levels in one global order.
func (s *Service) HoldUnits(ctx context.Context, tx *ent.Tx, holdID pulid.ID, needs []HoldNeed) ([]*ent.StockHoldLine, error) {
	needs = mergeHoldNeeds(needs)
	var (
		short   []string
		changes []change
		lines   []*ent.StockHoldLineCreate
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
		lines = append(lines, tx.StockHoldLine.Create().SetHoldID(holdID).SetVariantID(n.VariantID).
			SetLocationID(n.LocationID).SetSku(n.SKU).SetQuantity(n.Quantity))
		changes = append(changes, change{level: l, sku: n.SKU, kind: inventorymovement.KindHOLD, reserved: n.Quantity,
			reason: "held for a cart", reference: string(holdID)})
	}
	if len(short) > 0 {
		slices.Sort(short)
		return nil, fault.New(fault.InsufficientStock, "not enough stock to hold %v", short).With("skus", short)
	}
	created, err := tx.StockHoldLine.CreateBulk(lines...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create hold lines: %w", err)
	}
	if err := record(ctx, tx, changes...); err != nil {
		return nil, err
	}
	return created, nil
}

// mergeHoldNeeds sums needs of the same (variant, location), so that each level is updated once,
// and sorts them in (variant, location) order.
func mergeHoldNeeds(needs []HoldNeed) []HoldNeed {
	out := make([]HoldNeed, 0, len(needs))
	for _, n := range needs {
		i := slices.IndexFunc(out, func(m HoldNeed) bool { return m.VariantID == n.VariantID && m.LocationID == n.LocationID })
		if i < 0 {
			out = append(out, n)
			continue
		}
		out[i].Quantity += n.Quantity
	}
	slices.SortFunc(out, func(a, b HoldNeed) int {
		return cmp.Or(cmp.Compare(a.VariantID, b.VariantID), cmp.Compare(a.LocationID, b.LocationID))
	})
	return out
}

// ReleaseHold gives back the units of a hold's active lines (its expiry, its release, or its
// conversion into an order, which then reserves in the same transaction): reserved −q with a
// HOLD_RELEASE movement per line, and the lines inactive. The guard on each line's active flag
// makes a release happen once, even if two transactions race.
func (s *Service) ReleaseHold(ctx context.Context, tx *ent.Tx, holdID pulid.ID, reason string) error {
	active, err := tx.StockHoldLine.Query().Where(stockholdline.HoldID(holdID), stockholdline.Active(true)).
		Order(stockholdline.ByVariantID(), stockholdline.ByLocationID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load hold lines: %w", err)
	}
	changes := make([]change, 0, len(active))
	for _, hl := range active {
		n, err := tx.StockHoldLine.Update().Where(stockholdline.ID(hl.ID), stockholdline.Active(true)).SetActive(false).Save(ctx)
		if err != nil {
			return fmt.Errorf("close hold line: %w", err)
		}
		if n == 0 {
			continue
		}
		n, err = tx.InventoryLevel.Update().
			Where(inventorylevel.VariantID(hl.VariantID), inventorylevel.LocationID(hl.LocationID), inventorylevel.ReservedGTE(hl.Quantity)).
			AddReserved(-hl.Quantity).SetUpdatedAt(now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("update stock level: %w", err)
		}
		if n != 1 {
			return fmt.Errorf("stock level of hold line %s does not cover its %d units", hl.ID, hl.Quantity)
		}
		l, err := tx.InventoryLevel.Query().
			Where(inventorylevel.VariantID(hl.VariantID), inventorylevel.LocationID(hl.LocationID)).Only(ctx)
		if err != nil {
			return fmt.Errorf("load stock level: %w", err)
		}
		changes = append(changes, change{level: l, sku: hl.Sku, kind: inventorymovement.KindHOLD_RELEASE,
			reserved: -hl.Quantity, reason: reason, reference: string(holdID)})
	}
	return record(ctx, tx, changes...)
}
