package inventory_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockholdline"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

// Held units are reserved with the ledger's HOLD movements and active hold lines; a hold that
// cannot be covered holds nothing; a release gives the units back once, however often it is asked.
func TestHoldUnitsAndRelease(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := setup(t, db)
		_, err := f.inv.Receive(ctx, inventory.Receive{SKU: "TEE", LocationID: f.bkk, Quantity: 5})
		require.NoError(t, err)
		tee, err := db.Client.Variant.Query().Only(ctx)
		require.NoError(t, err)
		newHold := func(tx *ent.Tx) pulid.ID {
			h, err := tx.StockHold.Create().SetCart("c").SetExpiresAt(time.Now().Add(time.Hour)).Save(ctx)
			require.NoError(t, err)
			return h.ID
		}
		level := func() *ent.InventoryLevel {
			l, err := db.Client.InventoryLevel.Query().Where(inventorylevel.VariantID(tee.ID), inventorylevel.LocationID(f.bkk)).Only(ctx)
			require.NoError(t, err)
			return l
		}
		need := func(q int64, at pulid.ID) inventory.HoldNeed {
			return inventory.HoldNeed{VariantID: tee.ID, SKU: "TEE", Quantity: q, LocationID: at}
		}

		var held pulid.ID
		require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error {
			held = newHold(tx)
			lines, err := f.inv.HoldUnits(ctx, tx, held, []inventory.HoldNeed{need(2, f.bkk), need(1, f.bkk)})
			require.NoError(t, err)
			require.Len(t, lines, 1, "needs of one level are one line")
			require.EqualValues(t, 3, lines[0].Quantity)
			return nil
		}))
		require.EqualValues(t, 3, level().Reserved)
		f.audit(t)

		// 2 left at BKK, none at JKT: nothing is held when one need is short.
		err = db.Tx(ctx, func(tx *ent.Tx) error {
			_, err := f.inv.HoldUnits(ctx, tx, newHold(tx), []inventory.HoldNeed{need(2, f.bkk), need(1, f.jkt)})
			return err
		})
		require.True(t, fault.Is(err, fault.InsufficientStock), "%v", err)
		require.EqualValues(t, 3, level().Reserved)

		for range 2 {
			require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error { return f.inv.ReleaseHold(ctx, tx, held, "test") }))
		}
		require.Zero(t, level().Reserved)
		active, err := db.Client.StockHoldLine.Query().Where(stockholdline.Active(true)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, active)
		for kind, want := range map[inventorymovement.Kind]int{inventorymovement.KindHOLD: 1, inventorymovement.KindHOLD_RELEASE: 1} {
			n, err := db.Client.InventoryMovement.Query().Where(inventorymovement.KindEQ(kind)).Count(ctx)
			require.NoError(t, err)
			require.Equal(t, want, n, kind)
		}
		f.audit(t)
	})
}
