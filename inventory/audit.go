package inventory

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockholdline"
	"github.com/ordo-oms/ordo/ent/variant"
)

// Drift is a (SKU, location) whose numbers the ledger or the allocations do not explain.
type Drift struct {
	SKU               string
	VariantID         pulid.ID
	LocationID        pulid.ID
	OnHand            int64
	LedgerOnHand      int64 // sum of on-hand deltas in the ledger
	Reserved          int64
	LedgerReserved    int64 // sum of reserved deltas in the ledger
	OpenAllocations   int64 // sum of open allocation quantities
	Held              int64 // sum of active stock-hold lines
	Damaged           int64
	LedgerDamaged     int64
	Quarantined       int64
	LedgerQuarantined int64
}

// AuditReport is the outcome of an audit.
type AuditReport struct {
	CheckedLevels int
	Drift         []Drift
}

// OK reports whether no drift was found.
func (r AuditReport) OK() bool { return len(r.Drift) == 0 }

// Tally is one (variant, location) row of levels, ledger sums and allocation sums.
type Tally struct {
	VariantID                      pulid.ID
	LocationID                     pulid.ID
	SKU                            string
	HasLevel                       bool
	OnHand                         int64
	Reserved                       int64
	LedgerOnHand                   int64
	LedgerReserved                 int64
	OpenAllocations                int64
	Held                           int64 // units of active stock holds: reserved for a cart, not an order
	Damaged, LedgerDamaged         int64
	Quarantined, LedgerQuarantined int64
}

// explained reports whether the ledger and the allocations and holds explain t's numbers.
func (t Tally) explained() bool {
	return t.OnHand == t.LedgerOnHand && t.Reserved == t.LedgerReserved && t.Reserved == t.OpenAllocations+t.Held &&
		t.Damaged == t.LedgerDamaged && t.Quarantined == t.LedgerQuarantined
}

// Compare returns the tallies that break design §5.2: on hand = Σ ledger on-hand deltas, reserved =
// Σ ledger reserved deltas = Σ open allocations + Σ active holds, damaged and quarantined = Σ their
// ledger deltas. Ledger rows, allocations or holds without a level are drift too.
func Compare(tallies []Tally) []Drift {
	var out []Drift
	for _, t := range tallies {
		if t.HasLevel && t.explained() {
			continue
		}
		if !t.HasLevel && t == (Tally{VariantID: t.VariantID, LocationID: t.LocationID, SKU: t.SKU}) {
			continue
		}
		out = append(out, Drift{
			SKU: t.SKU, VariantID: t.VariantID, LocationID: t.LocationID,
			OnHand: t.OnHand, LedgerOnHand: t.LedgerOnHand, Reserved: t.Reserved,
			LedgerReserved: t.LedgerReserved, OpenAllocations: t.OpenAllocations, Held: t.Held,
			Damaged: t.Damaged, LedgerDamaged: t.LedgerDamaged, Quarantined: t.Quarantined, LedgerQuarantined: t.LedgerQuarantined,
		})
	}
	return out
}

// Audit checks every (SKU, location), or only the given SKUs and locations, in one consistent
// snapshot of the store, so that it can run at any time, under load, and report zero drift.
func Audit(ctx context.Context, db *database.DB, skus []string, locations []pulid.ID) (AuditReport, error) {
	tx, err := db.Client.BeginTx(ctx, &sql.TxOptions{Isolation: snapshotIsolation(db), ReadOnly: db.IsPostgres()})
	if err != nil {
		return AuditReport{}, fmt.Errorf("audit: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	tallies, err := tally(ctx, tx, skus, locations)
	if err != nil {
		return AuditReport{}, fmt.Errorf("audit: %w", err)
	}
	checked := 0
	for _, t := range tallies {
		if t.HasLevel {
			checked++
		}
	}
	return AuditReport{CheckedLevels: checked, Drift: Compare(tallies)}, nil
}

func snapshotIsolation(db *database.DB) sql.IsolationLevel {
	if db.IsPostgres() {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault // a SQLite transaction is a snapshot already
}

type sumRow struct {
	VariantID  string `json:"variant_id"`
	LocationID string `json:"location_id"`
	A          int64  `json:"a"`
	B          int64  `json:"b"`
	C          int64  `json:"c"`
	D          int64  `json:"d"`
}

func sumAs(col, alias string) ent.AggregateFunc {
	return func(s *entsql.Selector) string {
		return entsql.As(fmt.Sprintf("CAST(COALESCE(SUM(%s), 0) AS BIGINT)", s.C(col)), alias)
	}
}

func tally(ctx context.Context, tx *ent.Tx, skus []string, locations []pulid.ID) ([]Tally, error) {
	var variantIDs []pulid.ID
	if len(skus) > 0 {
		ids, err := tx.Variant.Query().Where(variant.SkuIn(skus...)).IDs(ctx)
		if err != nil {
			return nil, err
		}
		variantIDs = ids
		if len(ids) == 0 {
			return nil, nil
		}
	}
	type key struct{ v, l pulid.ID }
	byKey := map[key]*Tally{}
	get := func(v, l pulid.ID) *Tally {
		k := key{v, l}
		if t := byKey[k]; t != nil {
			return t
		}
		t := &Tally{VariantID: v, LocationID: l}
		byKey[k] = t
		return t
	}

	lq := tx.InventoryLevel.Query().WithVariant()
	mq := tx.InventoryMovement.Query()
	aq := tx.Allocation.Query().Where(allocation.StatusEQ(allocation.StatusOPEN))
	hq := tx.StockHoldLine.Query().Where(stockholdline.Active(true))
	if variantIDs != nil {
		lq.Where(inventorylevel.VariantIDIn(variantIDs...))
		mq.Where(inventorymovement.VariantIDIn(variantIDs...))
		aq.Where(allocation.VariantIDIn(variantIDs...))
		hq.Where(stockholdline.VariantIDIn(variantIDs...))
	}
	if len(locations) > 0 {
		lq.Where(inventorylevel.LocationIDIn(locations...))
		mq.Where(inventorymovement.LocationIDIn(locations...))
		aq.Where(allocation.LocationIDIn(locations...))
		hq.Where(stockholdline.LocationIDIn(locations...))
	}
	levels, err := lq.All(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range levels {
		t := get(l.VariantID, l.LocationID)
		t.HasLevel, t.OnHand, t.Reserved, t.SKU = true, l.OnHand, l.Reserved, l.Edges.Variant.Sku
		t.Damaged, t.Quarantined = l.Damaged, l.Quarantined
	}
	var ledger []sumRow
	err = mq.GroupBy(inventorymovement.FieldVariantID, inventorymovement.FieldLocationID).
		Aggregate(sumAs(inventorymovement.FieldOnHandDelta, "a"), sumAs(inventorymovement.FieldReservedDelta, "b"),
			sumAs(inventorymovement.FieldDamagedDelta, "c"), sumAs(inventorymovement.FieldQuarantinedDelta, "d")).
		Scan(ctx, &ledger)
	if err != nil {
		return nil, err
	}
	for _, r := range ledger {
		t := get(pulid.ID(r.VariantID), pulid.ID(r.LocationID))
		t.LedgerOnHand, t.LedgerReserved, t.LedgerDamaged, t.LedgerQuarantined = r.A, r.B, r.C, r.D
	}
	var held []sumRow
	err = hq.GroupBy(stockholdline.FieldVariantID, stockholdline.FieldLocationID).
		Aggregate(sumAs(stockholdline.FieldQuantity, "a")).Scan(ctx, &held)
	if err != nil {
		return nil, err
	}
	for _, r := range held {
		get(pulid.ID(r.VariantID), pulid.ID(r.LocationID)).Held = r.A
	}
	var open []sumRow
	err = aq.GroupBy(allocation.FieldVariantID, allocation.FieldLocationID).
		Aggregate(sumAs(allocation.FieldQuantity, "a")).Scan(ctx, &open)
	if err != nil {
		return nil, err
	}
	for _, r := range open {
		get(pulid.ID(r.VariantID), pulid.ID(r.LocationID)).OpenAllocations = r.A
	}
	out := make([]Tally, 0, len(byKey))
	for _, t := range byKey {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tally) int {
		if a.VariantID != b.VariantID {
			return cmp.Compare(a.VariantID, b.VariantID)
		}
		return cmp.Compare(a.LocationID, b.LocationID)
	})
	return out, nil
}
