package inventory_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

// Returned units go to their bucket with a ledger row each; re-dispositions move them between
// buckets or out of stock, never more than a bucket holds; the audit explains every bucket.
func TestReturnedStockBuckets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := setup(t, db)
		v, err := db.Client.Variant.Query().Where(variant.Sku("TEE")).Only(ctx)
		require.NoError(t, err)
		in := func(q int64) inventory.Returned {
			return inventory.Returned{VariantID: v.ID, LocationID: f.jkt, SKU: "TEE", Quantity: q, Reference: "ret_1"}
		}
		tx := func(fn func(tx *ent.Tx) error) error { return db.Tx(ctx, fn) }

		var l *ent.InventoryLevel
		require.NoError(t, tx(func(tx *ent.Tx) error {
			var err error
			if _, err = f.inv.ReturnTo(ctx, tx, in(2), inventory.Sellable); err != nil {
				return err
			}
			if _, err = f.inv.ReturnTo(ctx, tx, in(3), inventory.Damaged); err != nil {
				return err
			}
			l, err = f.inv.ReturnTo(ctx, tx, in(4), inventory.Quarantined)
			return err
		}))
		require.Equal(t, [3]int64{2, 3, 4}, [3]int64{l.OnHand, l.Damaged, l.Quarantined}, "a level made at the returns location")
		require.EqualValues(t, 2, inventory.Available(l), "only sellable units are available")
		f.audit(t)

		require.NoError(t, tx(func(tx *ent.Tx) error {
			var err error
			if _, err = f.inv.Redisposition(ctx, tx, in(3), inventory.Quarantined, inventory.Sellable); err != nil {
				return err
			}
			if _, err = f.inv.Redisposition(ctx, tx, in(1), inventory.Quarantined, inventory.Damaged); err != nil {
				return err
			}
			l, err = f.inv.Redisposition(ctx, tx, in(2), inventory.Damaged, "")
			return err
		}))
		require.Equal(t, [3]int64{5, 2, 0}, [3]int64{l.OnHand, l.Damaged, l.Quarantined})
		f.audit(t)

		err = tx(func(tx *ent.Tx) error {
			_, err := f.inv.Redisposition(ctx, tx, in(3), inventory.Damaged, inventory.Sellable)
			return err
		})
		require.True(t, fault.Is(err, fault.Conflict), "only 2 damaged: %v", err)
		_ = tx(func(tx *ent.Tx) error {
			_, err := f.inv.Redisposition(ctx, tx, in(1), inventory.Sellable, inventory.Damaged)
			require.True(t, fault.Is(err, fault.InvalidArgument), "sellable units are not re-dispositioned: %v", err)
			return err
		})

		kinds, err := db.Client.InventoryMovement.Query().Select(inventorymovement.FieldKind).Strings(ctx)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"RETURN_RESTOCK", "RETURN_DAMAGED", "RETURN_QUARANTINE", "REDISPOSITION", "REDISPOSITION", "WRITE_OFF"}, kinds)
		f.audit(t)
	})
}
