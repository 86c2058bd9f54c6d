package inventory_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

func TestCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := setup(t, db)
		_, err := f.inv.Receive(ctx, inventory.Receive{SKU: "TEE", LocationID: f.bkk, Quantity: 10, Reference: "PO-1"})
		require.NoError(t, err)
		tee, err := db.Client.Variant.Query().Where(variant.Sku("TEE")).OnlyID(ctx)
		require.NoError(t, err)
		count := func(in inventory.CountInput) (inventory.CountResult, error) {
			var res inventory.CountResult
			err := db.Tx(ctx, func(tx *ent.Tx) error {
				var err error
				res, err = inventory.Count(ctx, tx, in)
				return err
			})
			return res, err
		}
		line := func(n int64) []inventory.CountLine {
			return []inventory.CountLine{{VariantID: tee, SKU: "TEE", Counted: n}}
		}

		for name, tc := range map[string]struct {
			in   inventory.CountInput
			code fault.Code
		}{
			"negative":         {inventory.CountInput{LocationID: f.bkk, Lines: line(-1)}, fault.InvalidArgument},
			"a SKU twice":      {inventory.CountInput{LocationID: f.bkk, Lines: append(line(1), line(2)...)}, fault.InvalidArgument},
			"unknown location": {inventory.CountInput{LocationID: pulid.New("loc"), Lines: line(1)}, fault.NotFound},
			"bad location id":  {inventory.CountInput{LocationID: "sku_1", Lines: line(1)}, fault.InvalidArgument},
			"unknown count":    {inventory.CountInput{LocationID: f.bkk, Lines: line(4), CountID: pulid.New("cnt")}, fault.NotFound},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := count(tc.in)
				require.True(t, fault.Is(err, tc.code), "%v", err)
			})
		}

		first, err := count(inventory.CountInput{LocationID: f.bkk, Scope: "A3", Lines: line(7), Actor: "stf_1"})
		require.NoError(t, err)
		require.Equal(t, 1, first.Changed)
		require.Empty(t, first.Raised)
		// The next batch of the same count: on hand goes back up, the count's totals grow.
		next, err := count(inventory.CountInput{LocationID: f.bkk, Lines: line(12), CountID: first.Count.ID})
		require.NoError(t, err)
		require.Equal(t, first.Count.ID, next.Count.ID)
		require.Equal(t, 2, next.Count.Lines)
		require.Equal(t, 2, next.Count.Differences)
		require.EqualValues(t, 5, next.Count.UnitsAdded)
		require.EqualValues(t, 3, next.Count.UnitsRemoved)
		same, err := count(inventory.CountInput{LocationID: f.bkk, Lines: line(12)})
		require.NoError(t, err)
		require.Equal(t, 0, same.Changed)
		require.Equal(t, 1, same.Unchanged)

		ms, err := db.Client.InventoryMovement.Query().Where(inventorymovement.KindEQ(inventorymovement.KindCOUNT)).
			Order(inventorymovement.ByID()).All(ctx)
		require.NoError(t, err)
		require.Len(t, ms, 2)
		require.EqualValues(t, -3, ms[0].OnHandDelta)
		require.Equal(t, string(first.Count.ID), ms[0].Reference)
		require.Equal(t, "count of A3", ms[0].Reason)
		require.Equal(t, "stf_1", ms[0].Actor)
		require.EqualValues(t, 5, ms[1].OnHandDelta)
		f.audit(t)
	})
}
