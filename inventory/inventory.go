// Package inventory keeps stock per (SKU, location) and its append-only movement ledger. It is the only
// writer of inventory levels, movements and allocations. Every change is a conditional update in the
// caller's transaction, so that no concurrent request can oversell (design §5.1), plus a ledger row and
// a stock.changed event in the same transaction (§5.2, §5.5).
package inventory

import (
	"cmp"
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// EventStockChanged is the event type written for every change of a stock level.
const EventStockChanged = events.KindStockChanged

// Service runs the stock commands (receive, adjust, transfer, safety stock) in their own transactions.
type Service struct {
	DB *database.DB
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
	// Replenished is called after a committed change that may have made variants more available
	// (a receipt, a transfer in, an upward adjustment, lower safety stock), to release backorders.
	Replenished func(variants []pulid.ID)
}

// Available is what can still be promised: on hand − reserved − safety stock, never below zero.
func Available(l *ent.InventoryLevel) int64 {
	return max(0, l.OnHand-l.Reserved-l.SafetyStock)
}

// hasAvailable is the guard of every conditional reservation: it holds only if, at the moment the
// database applies the update, q units are free.
func hasAvailable(q int64) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.Where(atLeast(q, s.C(inventorylevel.FieldOnHand), s.C(inventorylevel.FieldReserved), s.C(inventorylevel.FieldSafetyStock)))
	}
}

// hasUnreserved guards a removal of q units from on hand: what stays must still cover the reservations.
func hasUnreserved(q int64) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.Where(atLeast(q, s.C(inventorylevel.FieldOnHand), s.C(inventorylevel.FieldReserved)))
	}
}

// atLeast is the predicate "first − rest… >= q", with q bound as a parameter in either dialect.
func atLeast(q int64, first string, rest ...string) *entsql.Predicate {
	return entsql.P(func(b *entsql.Builder) {
		b.WriteString(first)
		for _, c := range rest {
			b.WriteString(" - ").WriteString(c)
		}
		b.WriteOp(entsql.OpGTE).Arg(q)
	})
}

// change is one applied level change, to be written to the ledger and the event log.
type change struct {
	level    *ent.InventoryLevel
	sku      string
	kind     inventorymovement.Kind
	onHand   int64 // delta
	reserved int64 // delta
	// damaged and quarantined are deltas of the non-sellable buckets (returns).
	damaged, quarantined int64
	reason               string
	reference            string
	orderID              string
	// actor is who acted when it is not the context's viewer (an import job's submitter).
	actor string
}

// record writes the ledger movements and stock.changed events of applied changes.
func record(ctx context.Context, tx *ent.Tx, changes ...change) error {
	if len(changes) == 0 {
		return nil
	}
	actor := auth.Actor(ctx)
	movs := make([]*ent.InventoryMovementCreate, len(changes))
	evs := make([]events.Event, len(changes))
	for i, c := range changes {
		actor := cmp.Or(c.actor, actor)
		movs[i] = tx.InventoryMovement.Create().
			SetVariantID(c.level.VariantID).SetLocationID(c.level.LocationID).SetKind(c.kind).
			SetOnHandDelta(c.onHand).SetReservedDelta(c.reserved).
			SetDamagedDelta(c.damaged).SetQuarantinedDelta(c.quarantined).
			SetReason(c.reason).SetReference(c.reference).SetActor(actor)
		evs[i] = events.Event{
			VariantID: string(c.level.VariantID), LocationID: string(c.level.LocationID),
			OrderID: c.orderID, Actor: actor,
			Payload: events.StockChanged{
				SKU: c.sku, LevelID: string(c.level.ID), Movement: string(c.kind),
				OnHand: c.level.OnHand, Reserved: c.level.Reserved, SafetyStock: c.level.SafetyStock,
				Available: Available(c.level), OnHandDelta: c.onHand, ReservedDelta: c.reserved,
				Reference: c.reference,
				Damaged:   c.level.Damaged, Quarantined: c.level.Quarantined,
				DamagedDelta: c.damaged, QuarantinedDelta: c.quarantined,
			},
		}
	}
	if err := tx.InventoryMovement.CreateBulk(movs...).Exec(ctx); err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	return events.Append(ctx, tx, evs...)
}

// variantBySKU resolves a SKU; an unknown one is bad input (INVALID_ARGUMENT), as in placeOrder.
func variantBySKU(ctx context.Context, c *ent.Client, sku string) (*ent.Variant, error) {
	v, err := c.Variant.Query().Where(variant.Sku(sku)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.InvalidArgument, "unknown SKU %s", sku).With("skus", []string{sku})
	}
	if err != nil {
		return nil, fmt.Errorf("look up SKU %q: %w", sku, err)
	}
	return v, nil
}

// ensureLevel returns the level of (variant, location), creating an empty one if there is none.
func ensureLevel(ctx context.Context, tx *ent.Tx, variantID, locationID pulid.ID) (*ent.InventoryLevel, error) {
	err := tx.InventoryLevel.Create().SetVariantID(variantID).SetLocationID(locationID).
		OnConflictColumns(inventorylevel.FieldVariantID, inventorylevel.FieldLocationID).DoNothing().Exec(ctx)
	if err != nil && !database.IsNoRows(err) {
		return nil, fmt.Errorf("create stock level: %w", err)
	}
	l, err := tx.InventoryLevel.Query().
		Where(inventorylevel.VariantID(variantID), inventorylevel.LocationID(locationID)).Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stock level: %w", err)
	}
	return l, nil
}

func now() time.Time { return time.Now().UTC() }
