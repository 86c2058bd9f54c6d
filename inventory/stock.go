package inventory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/idempotencykey"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Result is what a stock command answers: the levels it touched, as they are after it.
type Result struct {
	Levels []*ent.InventoryLevel
	// Replayed is true when the idempotency key had been used before for the same request: nothing changed.
	Replayed bool
}

// Receive adds received units to on hand.
type Receive struct {
	SKU            string
	LocationID     pulid.ID
	Quantity       int64
	Reference      string
	IdempotencyKey string
}

// Adjust changes on hand by Delta (a count, damage, loss), with a reason.
type Adjust struct {
	SKU            string
	LocationID     pulid.ID
	Delta          int64
	Reason         string
	IdempotencyKey string
}

// Transfer moves available units of a SKU from one location to another.
type Transfer struct {
	SKU            string
	From, To       pulid.ID
	Quantity       int64
	Reference      string
	IdempotencyKey string
}

// SafetyStock sets the units held back from sale at a location.
type SafetyStock struct {
	SKU            string
	LocationID     pulid.ID
	SafetyStock    int64
	IdempotencyKey string
}

// Receive records a receipt.
func (s *Service) Receive(ctx context.Context, in Receive) (Result, error) {
	if in.Quantity <= 0 {
		return Result{}, fault.New(fault.InvalidArgument, "quantity must be positive, got %d", in.Quantity)
	}
	return s.run(ctx, "receive", in.IdempotencyKey, in, true, []pulid.ID{in.LocationID}, in.SKU,
		func(ctx context.Context, tx *ent.Tx, v *ent.Variant) ([]change, error) {
			l, err := ensureLevel(ctx, tx, v.ID, in.LocationID)
			if err != nil {
				return nil, err
			}
			l, err = tx.InventoryLevel.UpdateOne(l).AddOnHand(in.Quantity).SetUpdatedAt(now()).Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("receive: %w", err)
			}
			return []change{{level: l, sku: v.Sku, kind: inventorymovement.KindRECEIPT, onHand: in.Quantity, reason: "receipt", reference: in.Reference}}, nil
		})
}

// Adjust records an adjustment. Removing units that are reserved for orders is refused: those orders
// would then be oversold.
func (s *Service) Adjust(ctx context.Context, in Adjust) (Result, error) {
	if in.Delta == 0 {
		return Result{}, fault.New(fault.InvalidArgument, "delta must not be zero")
	}
	if in.Reason == "" {
		return Result{}, fault.New(fault.InvalidArgument, "an adjustment needs a reason")
	}
	return s.run(ctx, "adjust", in.IdempotencyKey, in, in.Delta > 0, []pulid.ID{in.LocationID}, in.SKU,
		func(ctx context.Context, tx *ent.Tx, v *ent.Variant) ([]change, error) {
			l, err := ensureLevel(ctx, tx, v.ID, in.LocationID)
			if err != nil {
				return nil, err
			}
			upd := tx.InventoryLevel.UpdateOne(l).AddOnHand(in.Delta).SetUpdatedAt(now())
			if in.Delta < 0 {
				// on_hand + delta must still cover what is reserved (and so stay ≥ 0).
				upd = upd.Where(inventorylevel.OnHandGTE(-in.Delta), hasUnreserved(-in.Delta))
			}
			l, err = upd.Save(ctx)
			if ent.IsNotFound(err) {
				return nil, fault.New(fault.InsufficientStock, "cannot remove %d of %s: not that many unreserved units on hand", -in.Delta, v.Sku).With("skus", []string{v.Sku})
			}
			if err != nil {
				return nil, fmt.Errorf("adjust: %w", err)
			}
			return []change{{level: l, sku: v.Sku, kind: inventorymovement.KindADJUSTMENT, onHand: in.Delta, reason: in.Reason}}, nil
		})
}

// Transfer moves available units between locations at once (no in-transit state yet).
func (s *Service) Transfer(ctx context.Context, in Transfer) (Result, error) {
	if in.Quantity <= 0 {
		return Result{}, fault.New(fault.InvalidArgument, "quantity must be positive, got %d", in.Quantity)
	}
	if in.From == in.To {
		return Result{}, fault.New(fault.InvalidArgument, "a transfer needs two different locations")
	}
	return s.run(ctx, "transfer", in.IdempotencyKey, in, true, []pulid.ID{in.From, in.To}, in.SKU,
		func(ctx context.Context, tx *ent.Tx, v *ent.Variant) ([]change, error) {
			src, err := tx.InventoryLevel.Update().
				Where(inventorylevel.VariantID(v.ID), inventorylevel.LocationID(in.From), hasAvailable(in.Quantity)).
				AddOnHand(-in.Quantity).SetUpdatedAt(now()).Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("transfer out: %w", err)
			}
			if src == 0 {
				return nil, fault.New(fault.InsufficientStock, "not enough available %s at %s to transfer %d", v.Sku, in.From, in.Quantity).With("skus", []string{v.Sku})
			}
			from, err := tx.InventoryLevel.Query().Where(inventorylevel.VariantID(v.ID), inventorylevel.LocationID(in.From)).Only(ctx)
			if err != nil {
				return nil, fmt.Errorf("load stock level: %w", err)
			}
			to, err := ensureLevel(ctx, tx, v.ID, in.To)
			if err != nil {
				return nil, err
			}
			to, err = tx.InventoryLevel.UpdateOne(to).AddOnHand(in.Quantity).SetUpdatedAt(now()).Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("transfer in: %w", err)
			}
			ref := in.Reference
			return []change{
				{level: from, sku: v.Sku, kind: inventorymovement.KindTRANSFER_OUT, onHand: -in.Quantity, reason: "transfer to " + string(in.To), reference: ref},
				{level: to, sku: v.Sku, kind: inventorymovement.KindTRANSFER_IN, onHand: in.Quantity, reason: "transfer from " + string(in.From), reference: ref},
			}, nil
		})
}

// SetSafetyStock sets the safety stock of a level.
func (s *Service) SetSafetyStock(ctx context.Context, in SafetyStock) (Result, error) {
	if in.SafetyStock < 0 {
		return Result{}, fault.New(fault.InvalidArgument, "safety stock must not be negative, got %d", in.SafetyStock)
	}
	return s.run(ctx, "safety", in.IdempotencyKey, in, true, []pulid.ID{in.LocationID}, in.SKU,
		func(ctx context.Context, tx *ent.Tx, v *ent.Variant) ([]change, error) {
			l, err := ensureLevel(ctx, tx, v.ID, in.LocationID)
			if err != nil {
				return nil, err
			}
			before := l.SafetyStock
			l, err = tx.InventoryLevel.UpdateOne(l).SetSafetyStock(in.SafetyStock).SetUpdatedAt(now()).Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("set safety stock: %w", err)
			}
			return []change{{level: l, sku: v.Sku, kind: inventorymovement.KindSAFETY_STOCK, reason: fmt.Sprintf("safety stock %d → %d", before, in.SafetyStock)}}, nil
		})
}

// run is the shell shared by the stock commands: validation of SKU and locations, the idempotency
// key, the transaction, the ledger and events, and the post-commit wake-up.
// replenishes says whether the command can make the SKU more available somewhere, which may let
// backordered orders be allocated.
func (s *Service) run(ctx context.Context, op, key string, req any, replenishes bool, locs []pulid.ID, sku string,
	apply func(context.Context, *ent.Tx, *ent.Variant) ([]change, error),
) (Result, error) {
	v, err := variantBySKU(ctx, s.DB.Client, sku)
	if err != nil {
		return Result{}, err
	}
	for _, id := range locs {
		if err := id.Validate("loc"); err != nil {
			return Result{}, fault.New(fault.InvalidArgument, "location id: %v", err)
		}
		if ok, err := s.DB.Client.Location.Query().Where(location.ID(id)).Exist(ctx); err != nil {
			return Result{}, fmt.Errorf("look up location: %w", err)
		} else if !ok {
			return Result{}, fault.New(fault.NotFound, "location %s not found", id)
		}
	}
	var idem *idempotency
	if key != "" {
		if v, ok := auth.FromContext(ctx); ok {
			key = string(v.KeyID) + ":" + key // keys are per caller
		}
		idem = newIdempotency(op, key, req)
		if res, done, err := idem.replay(ctx, s.DB.Client); done || err != nil {
			return res, err
		}
	}
	var levels []pulid.ID
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		changes, err := apply(ctx, tx, v)
		if err != nil {
			return err
		}
		levels = levels[:0]
		for _, c := range changes {
			levels = append(levels, c.level.ID)
		}
		if idem != nil {
			if err := idem.save(ctx, tx, levels); err != nil {
				return err
			}
		}
		return record(ctx, tx, changes...)
	})
	if err != nil {
		if idem != nil && database.IsUniqueViolation(err) {
			// A concurrent call with the same key won; answer as it did.
			if res, done, rerr := idem.replay(ctx, s.DB.Client); done || rerr != nil {
				return res, rerr
			}
		}
		return Result{}, err
	}
	s.committed()
	if replenishes && s.Replenished != nil {
		s.Replenished([]pulid.ID{v.ID})
	}
	ls, err := loadLevels(ctx, s.DB.Client, levels)
	return Result{Levels: ls}, err
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

func loadLevels(ctx context.Context, c *ent.Client, ids []pulid.ID) ([]*ent.InventoryLevel, error) {
	ls, err := c.InventoryLevel.Query().Where(inventorylevel.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load levels: %w", err)
	}
	byID := make(map[pulid.ID]*ent.InventoryLevel, len(ls))
	for _, l := range ls {
		byID[l.ID] = l
	}
	out := make([]*ent.InventoryLevel, 0, len(ids))
	for _, id := range ids {
		if l := byID[id]; l != nil {
			out = append(out, l)
		}
	}
	return out, nil
}

// idempotency remembers a command by (operation, key) with a hash of its request.
type idempotency struct {
	id   string
	hash string
}

func newIdempotency(op, key string, req any) *idempotency {
	b, _ := json.Marshal(req) // plain structs of strings and numbers: cannot fail
	sum := sha256.Sum256(b)
	return &idempotency{id: op + ":" + key, hash: hex.EncodeToString(sum[:])}
}

// replay answers a command whose key was seen before: the same request gets the levels it touched,
// a different request under the same key is a CONFLICT.
func (i *idempotency) replay(ctx context.Context, c *ent.Client) (Result, bool, error) {
	rec, err := c.IdempotencyKey.Query().Where(idempotencykey.ID(i.id)).Only(ctx)
	if ent.IsNotFound(err) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("look up idempotency key: %w", err)
	}
	if rec.RequestHash != i.hash {
		return Result{}, true, fault.New(fault.Conflict, "idempotency key %q was already used for a different request", i.id)
	}
	ids := make([]pulid.ID, len(rec.ResultIds))
	for k, s := range rec.ResultIds {
		ids[k] = pulid.ID(s)
	}
	ls, err := loadLevels(ctx, c, ids)
	return Result{Levels: ls, Replayed: true}, true, err
}

func (i *idempotency) save(ctx context.Context, tx *ent.Tx, levels []pulid.ID) error {
	ids := make([]string, len(levels))
	for k, id := range levels {
		ids[k] = string(id)
	}
	err := tx.IdempotencyKey.Create().SetID(i.id).SetRequestHash(i.hash).SetResultIds(ids).Exec(ctx)
	if err != nil {
		return fmt.Errorf("save idempotency key: %w", err)
	}
	return nil
}
