package inventory

import (
	"cmp"
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Bucket is where returned units sit at a location: on hand (sellable, available once not
// reserved), damaged, or quarantined. Damaged and quarantined units are physically there but never
// available and never offered to channels.
type Bucket string

// The stock buckets returned units go to.
const (
	Sellable    Bucket = "SELLABLE"
	Damaged     Bucket = "DAMAGED"
	Quarantined Bucket = "QUARANTINE"
)

// Returned is a quantity of one variant that came back (or is re-dispositioned) at a location.
type Returned struct {
	VariantID  pulid.ID
	LocationID pulid.ID
	SKU        string
	Quantity   int64
	// Reference names the return (or disposition) the units belong to; OrderID the order, for the
	// order's timeline.
	Reference string
	OrderID   pulid.ID
	Reason    string
}

// ReturnTo puts returned units into a bucket at their location in tx: sellable units add to on hand
// (RETURN_RESTOCK; they are available at once and the channels hear of them through the
// stock.changed event, as with a receipt), damaged and quarantined units to their non-sellable
// buckets (RETURN_DAMAGED, RETURN_QUARANTINE). A level is made if there is none. The caller tells
// Replenished of sellable units after its commit (Replenish).
func (s *Service) ReturnTo(ctx context.Context, tx *ent.Tx, in Returned, b Bucket) (*ent.InventoryLevel, error) {
	if in.Quantity <= 0 {
		return nil, fault.New(fault.InvalidArgument, "quantity must be positive, got %d", in.Quantity)
	}
	l, err := ensureLevel(ctx, tx, in.VariantID, in.LocationID)
	if err != nil {
		return nil, err
	}
	c := change{sku: in.SKU, reason: cmp.Or(in.Reason, "return"), reference: in.Reference, orderID: string(in.OrderID)}
	upd := tx.InventoryLevel.UpdateOne(l).SetUpdatedAt(now())
	switch b {
	case Sellable:
		upd.AddOnHand(in.Quantity)
		c.kind, c.onHand = inventorymovement.KindRETURN_RESTOCK, in.Quantity
	case Damaged:
		upd.AddDamaged(in.Quantity)
		c.kind, c.damaged = inventorymovement.KindRETURN_DAMAGED, in.Quantity
	case Quarantined:
		upd.AddQuarantined(in.Quantity)
		c.kind, c.quarantined = inventorymovement.KindRETURN_QUARANTINE, in.Quantity
	default:
		return nil, fault.New(fault.InvalidArgument, "unknown stock bucket %q", b)
	}
	if c.level, err = upd.Save(ctx); err != nil {
		return nil, fmt.Errorf("return stock: %w", err)
	}
	return c.level, record(ctx, tx, c)
}

// Redisposition moves units of a non-sellable bucket (damaged, quarantined) in tx: to another
// bucket (REDISPOSITION; to Sellable makes them available), or, with to empty, out of stock
// altogether (WRITE_OFF). Moving more units than the bucket holds is a CONFLICT.
func (s *Service) Redisposition(ctx context.Context, tx *ent.Tx, in Returned, from, to Bucket) (*ent.InventoryLevel, error) {
	if in.Quantity <= 0 {
		return nil, fault.New(fault.InvalidArgument, "quantity must be positive, got %d", in.Quantity)
	}
	if from == to || from == Sellable {
		return nil, fault.New(fault.InvalidArgument, "cannot re-disposition %s units to %s", from, to)
	}
	q := in.Quantity
	c := change{sku: in.SKU, kind: inventorymovement.KindREDISPOSITION, reason: cmp.Or(in.Reason, "redisposition"),
		reference: in.Reference, orderID: string(in.OrderID)}
	upd := tx.InventoryLevel.Update().Where(inventorylevel.VariantID(in.VariantID), inventorylevel.LocationID(in.LocationID)).
		SetUpdatedAt(now())
	var guard predicate.InventoryLevel
	switch from {
	case Damaged:
		upd.AddDamaged(-q)
		guard, c.damaged = inventorylevel.DamagedGTE(q), -q
	case Quarantined:
		upd.AddQuarantined(-q)
		guard, c.quarantined = inventorylevel.QuarantinedGTE(q), -q
	default:
		return nil, fault.New(fault.InvalidArgument, "unknown stock bucket %q", from)
	}
	switch to {
	case "":
		c.kind = inventorymovement.KindWRITE_OFF
	case Sellable:
		upd.AddOnHand(q)
		c.onHand = q
	case Damaged:
		upd.AddDamaged(q)
		c.damaged += q
	case Quarantined:
		upd.AddQuarantined(q)
		c.quarantined += q
	default:
		return nil, fault.New(fault.InvalidArgument, "unknown stock bucket %q", to)
	}
	n, err := upd.Where(guard).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("redisposition stock: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "not %d %s units of %s at %s", q, from, in.SKU, in.LocationID).With("skus", []string{in.SKU})
	}
	c.level, err = tx.InventoryLevel.Query().Where(inventorylevel.VariantID(in.VariantID), inventorylevel.LocationID(in.LocationID)).Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stock level: %w", err)
	}
	return c.level, record(ctx, tx, c)
}

// Replenish tells the listeners of Replenished (the backorder releaser) that variants became more
// available; call it after the commit of a change that made sellable units.
func (s *Service) Replenish(variants []pulid.ID) {
	if s.Replenished != nil && len(variants) > 0 {
		s.Replenished(variants)
	}
}
