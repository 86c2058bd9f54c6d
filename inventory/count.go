package inventory

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockcount"
	"github.com/ordo-oms/ordo/fault"
)

// MaxCountLines bounds the lines of one Count call (an import applies a file in batches).
const MaxCountLines = 5_000

// CountLine is a SKU's counted units at the counted location.
type CountLine struct {
	VariantID pulid.ID
	SKU       string
	Counted   int64
}

// CountInput is a stock count of a location, or of one shelf or zone of it (Scope).
type CountInput struct {
	LocationID pulid.ID
	Scope      string
	Lines      []CountLine
	// Actor is who counted (an import's submitter); empty: the context's viewer.
	Actor string
	// ImportJobID is the import the count comes from, if any.
	ImportJobID *pulid.ID
	// CountID continues a count begun earlier (the next batch of the same import): its totals grow
	// and its movements carry the same reference. Empty: a new count.
	CountID pulid.ID
}

// CountResult is what a count did.
type CountResult struct {
	Count *ent.StockCount
	// Changed is how many lines differed from on hand (one COUNT movement each); Unchanged the rest.
	Changed, Unchanged int
	// Raised are the variants whose on hand went up, for Replenish after the commit.
	Raised []pulid.ID
}

// Count records a stock count in tx. Counted units never overwrite on hand: each line whose count
// differs from on hand writes one COUNT movement of counted − on hand, with the count's id as its
// reference, through a conditional update (on hand still what was read, reserved still covered), so
// the ledger explains the new number and no concurrent change is lost. A count below what is
// reserved for orders is refused (the units promised to orders would vanish: find them or cancel
// those orders first); so is a level changed by someone else during the count (count again). Damaged
// and quarantined units are not counted here: a count is of sellable on hand. The stock.changed
// events it writes make the channels' listings of those SKUs be pushed, as any stock change does.
func Count(ctx context.Context, tx *ent.Tx, in CountInput) (CountResult, error) {
	if err := in.LocationID.Validate("loc"); err != nil {
		return CountResult{}, fault.New(fault.InvalidArgument, "location id: %v", err)
	}
	if len(in.Lines) > MaxCountLines {
		return CountResult{}, fault.New(fault.InvalidArgument, "a count takes at most %d lines at once, got %d", MaxCountLines, len(in.Lines))
	}
	ids := make([]pulid.ID, len(in.Lines))
	for i, l := range in.Lines {
		if l.Counted < 0 {
			return CountResult{}, fault.New(fault.InvalidArgument, "%s: counted %d is negative", l.SKU, l.Counted)
		}
		ids[i] = l.VariantID
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		return CountResult{}, fault.New(fault.InvalidArgument, "a count names each SKU once")
	}
	if ok, err := tx.Location.Query().Where(location.ID(in.LocationID)).Exist(ctx); err != nil {
		return CountResult{}, fmt.Errorf("look up location: %w", err)
	} else if !ok {
		return CountResult{}, fault.New(fault.NotFound, "location %s not found", in.LocationID)
	}
	levels, err := ensureLevels(ctx, tx, ids, in.LocationID)
	if err != nil {
		return CountResult{}, err
	}
	var res CountResult
	var changes []change
	var added, removed int64
	for _, line := range in.Lines {
		l := levels[line.VariantID]
		delta := line.Counted - l.OnHand
		if delta == 0 {
			res.Unchanged++
			continue
		}
		if line.Counted < l.Reserved {
			return CountResult{}, fault.New(fault.InsufficientStock, "%s: counted %d < %d reserved for orders", line.SKU, line.Counted, l.Reserved).
				With("skus", []string{line.SKU})
		}
		n, err := tx.InventoryLevel.Update().
			Where(inventorylevel.ID(l.ID), inventorylevel.OnHand(l.OnHand), inventorylevel.ReservedLTE(line.Counted)).
			SetOnHand(line.Counted).SetUpdatedAt(now()).Save(ctx)
		if err != nil {
			return CountResult{}, fmt.Errorf("count %s: %w", line.SKU, err)
		}
		if n == 0 {
			return CountResult{}, fault.New(fault.Conflict, "%s: its stock changed while it was being counted; count again", line.SKU).
				With("skus", []string{line.SKU})
		}
		after := *l
		after.OnHand = line.Counted
		changes = append(changes, change{level: &after, sku: line.SKU, kind: inventorymovement.KindCOUNT, onHand: delta, actor: in.Actor})
		if delta > 0 {
			added += delta
			res.Raised = append(res.Raised, line.VariantID)
		} else {
			removed -= delta
		}
	}
	res.Changed = len(changes)
	if in.CountID == "" {
		c := tx.StockCount.Create().SetLocationID(in.LocationID).SetScope(in.Scope).SetNillableImportJobID(in.ImportJobID).
			SetLines(len(in.Lines)).SetDifferences(res.Changed).SetUnitsAdded(added).SetUnitsRemoved(removed).SetActor(in.Actor)
		if res.Count, err = c.Save(ctx); err != nil {
			return CountResult{}, fmt.Errorf("save count: %w", err)
		}
	} else {
		res.Count, err = tx.StockCount.UpdateOneID(in.CountID).Where(stockcount.LocationID(in.LocationID)).
			AddLines(len(in.Lines)).AddDifferences(res.Changed).AddUnitsAdded(added).AddUnitsRemoved(removed).Save(ctx)
		if ent.IsNotFound(err) {
			return CountResult{}, fault.New(fault.NotFound, "count %s of location %s not found", in.CountID, in.LocationID)
		}
		if err != nil {
			return CountResult{}, fmt.Errorf("save count: %w", err)
		}
	}
	reason := "count"
	if in.Scope != "" {
		reason = "count of " + in.Scope
	}
	for i := range changes {
		changes[i].reference, changes[i].reason = string(res.Count.ID), reason
	}
	return res, record(ctx, tx, changes...)
}

// ensureLevels returns the levels of variants at a location by variant, creating the missing ones
// (empty) in one statement.
func ensureLevels(ctx context.Context, tx *ent.Tx, variants []pulid.ID, locationID pulid.ID) (map[pulid.ID]*ent.InventoryLevel, error) {
	load := func() (map[pulid.ID]*ent.InventoryLevel, error) {
		ls, err := tx.InventoryLevel.Query().Where(inventorylevel.LocationID(locationID), inventorylevel.VariantIDIn(variants...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load stock levels: %w", err)
		}
		out := make(map[pulid.ID]*ent.InventoryLevel, len(ls))
		for _, l := range ls {
			out[l.VariantID] = l
		}
		return out, nil
	}
	have, err := load()
	if err != nil || len(have) == len(variants) {
		return have, err
	}
	var creates []*ent.InventoryLevelCreate
	for _, v := range variants {
		if have[v] == nil {
			creates = append(creates, tx.InventoryLevel.Create().SetVariantID(v).SetLocationID(locationID))
		}
	}
	for chunk := range slices.Chunk(creates, 500) {
		err := tx.InventoryLevel.CreateBulk(chunk...).
			OnConflictColumns(inventorylevel.FieldVariantID, inventorylevel.FieldLocationID).DoNothing().Exec(ctx)
		if err != nil && !database.IsNoRows(err) {
			return nil, fmt.Errorf("create stock levels: %w", err)
		}
	}
	return load()
}
