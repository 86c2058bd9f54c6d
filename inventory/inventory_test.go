package inventory_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

func TestCompare(t *testing.T) {
	v, l := pulid.ID("sku_1"), pulid.ID("loc_1")
	ok := inventory.Tally{VariantID: v, LocationID: l, SKU: "A", HasLevel: true, OnHand: 5, LedgerOnHand: 5, Reserved: 2, LedgerReserved: 2, OpenAllocations: 2}
	for _, tc := range []struct {
		name  string
		tally func(inventory.Tally) inventory.Tally
		drift bool
	}{
		{"consistent", func(t inventory.Tally) inventory.Tally { return t }, false},
		{"on hand not in ledger", func(t inventory.Tally) inventory.Tally { t.OnHand = 6; return t }, true},
		{"reserved without allocation", func(t inventory.Tally) inventory.Tally { t.Reserved, t.LedgerReserved = 3, 3; return t }, true},
		{"allocation without reservation", func(t inventory.Tally) inventory.Tally { t.OpenAllocations = 1; return t }, true},
		{"ledger rows but no level", func(t inventory.Tally) inventory.Tally { t.HasLevel, t.OnHand, t.Reserved = false, 0, 0; return t }, true},
		{"nothing at all", func(inventory.Tally) inventory.Tally { return inventory.Tally{VariantID: v, LocationID: l} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := inventory.Compare([]inventory.Tally{tc.tally(ok)})
			require.Equal(t, tc.drift, len(d) == 1, "%+v", d)
		})
	}
}

type fixture struct {
	db       *database.DB
	inv      *inventory.Service
	bkk, jkt pulid.ID
}

func setup(t *testing.T, db *database.DB) fixture {
	ctx := context.Background()
	cat := &catalog.Service{DB: db}
	f := fixture{db: db, inv: &inventory.Service{DB: db}}
	for i, code := range []string{"BKK", "JKT"} {
		l, err := cat.CreateLocation(ctx, ent.CreateLocationInput{Code: code, Name: code, Kind: location.KindWAREHOUSE})
		require.NoError(t, err)
		if i == 0 {
			f.bkk = l.ID
		} else {
			f.jkt = l.ID
		}
	}
	p, err := cat.CreateProduct(ctx, ent.CreateProductInput{Name: "Tee"})
	require.NoError(t, err)
	_, err = cat.CreateVariant(ctx, ent.CreateVariantInput{Sku: "TEE", Name: "Tee", ProductID: p.ID})
	require.NoError(t, err)
	return f
}

func (f fixture) audit(t *testing.T) {
	rep, err := inventory.Audit(context.Background(), f.db, nil, nil)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep.Drift)
}

func TestStockCommandsKeepTheLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := setup(t, db)
		res, err := f.inv.Receive(ctx, inventory.Receive{SKU: "TEE", LocationID: f.bkk, Quantity: 10, Reference: "PO-1"})
		require.NoError(t, err)
		require.EqualValues(t, 10, res.Levels[0].OnHand)

		res, err = f.inv.Adjust(ctx, inventory.Adjust{SKU: "TEE", LocationID: f.bkk, Delta: -3, Reason: "damaged"})
		require.NoError(t, err)
		require.EqualValues(t, 7, res.Levels[0].OnHand)

		res, err = f.inv.Transfer(ctx, inventory.Transfer{SKU: "TEE", From: f.bkk, To: f.jkt, Quantity: 4})
		require.NoError(t, err)
		require.Len(t, res.Levels, 2)
		require.EqualValues(t, 3, res.Levels[0].OnHand)
		require.EqualValues(t, 4, res.Levels[1].OnHand)

		res, err = f.inv.SetSafetyStock(ctx, inventory.SafetyStock{SKU: "TEE", LocationID: f.jkt, SafetyStock: 3})
		require.NoError(t, err)
		require.EqualValues(t, 1, inventory.Available(res.Levels[0]))

		// Safety stock is not transferable: only 1 of JKT's 4 is available.
		_, err = f.inv.Transfer(ctx, inventory.Transfer{SKU: "TEE", From: f.jkt, To: f.bkk, Quantity: 2})
		require.True(t, fault.Is(err, fault.InsufficientStock), "%v", err)
		_, err = f.inv.Adjust(ctx, inventory.Adjust{SKU: "TEE", LocationID: f.bkk, Delta: -4, Reason: "count"})
		require.True(t, fault.Is(err, fault.InsufficientStock), "%v", err)

		kinds, err := db.Client.InventoryMovement.Query().Order(inventorymovement.ByCreatedAt()).All(ctx)
		require.NoError(t, err)
		require.Len(t, kinds, 5) // receipt, adjustment, transfer out + in, safety stock
		f.audit(t)
	})
}

func TestStockIdempotencyKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := setup(t, db)
		in := inventory.Receive{SKU: "TEE", LocationID: f.bkk, Quantity: 5, IdempotencyKey: "grn-42"}
		first, err := f.inv.Receive(ctx, in)
		require.NoError(t, err)
		require.False(t, first.Replayed)
		again, err := f.inv.Receive(ctx, in)
		require.NoError(t, err)
		require.True(t, again.Replayed)
		require.EqualValues(t, 5, again.Levels[0].OnHand, "the replay changed nothing")

		in.Quantity = 6
		_, err = f.inv.Receive(ctx, in)
		require.True(t, fault.Is(err, fault.Conflict), "same key, different request: %v", err)

		n, err := db.Client.InventoryMovement.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		f.audit(t)
	})
}
