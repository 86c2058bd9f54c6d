package imports_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockcount"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/inventory"
)

type stockFixture struct {
	db       *database.DB
	bkk, jkt pulid.ID
}

// stockSetup makes locations BKK and JKT, SKUs A to E and a bundle K of A and B, and receives
// A 10 and B 5 at BKK and D 7 at JKT through the ledger.
func stockSetup(t *testing.T, db *database.DB) stockFixture {
	ctx := context.Background()
	cat := &catalog.Service{DB: db}
	f := stockFixture{db: db}
	for _, code := range []string{"BKK", "JKT"} {
		l, err := cat.CreateLocation(ctx, ent.CreateLocationInput{Code: code, Name: code, Kind: location.KindWAREHOUSE})
		require.NoError(t, err)
		if code == "BKK" {
			f.bkk = l.ID
		} else {
			f.jkt = l.ID
		}
	}
	chk, _ := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS,
		[]byte("sku,name,components\nA,A,\nB,B,\nC,C,\nD,D,\nE,E,\nK,Kit,A|B\n"), nil))
	require.Empty(t, chk.Errors)
	inv := &inventory.Service{DB: db}
	for _, r := range []struct {
		sku string
		loc pulid.ID
		n   int64
	}{{"A", f.bkk, 10}, {"B", f.bkk, 5}, {"D", f.jkt, 7}} {
		_, err := inv.Receive(ctx, inventory.Receive{SKU: r.sku, LocationID: r.loc, Quantity: r.n, Reference: "po-1"})
		require.NoError(t, err)
	}
	return f
}

func (f stockFixture) onHand(t *testing.T, sku string, loc pulid.ID) int64 {
	t.Helper()
	l, err := f.db.Client.InventoryLevel.Query().Where(inventorylevel.LocationID(loc), inventorylevel.HasVariantWith(variant.Sku(sku))).Only(context.Background())
	if ent.IsNotFound(err) {
		return 0
	}
	require.NoError(t, err)
	return l.OnHand
}

func (f stockFixture) movements(t *testing.T) []*ent.InventoryMovement {
	t.Helper()
	ms, err := f.db.Client.InventoryMovement.Query().Where(inventorymovement.KindEQ(inventorymovement.KindCOUNT)).
		Order(inventorymovement.ByID()).All(context.Background())
	require.NoError(t, err)
	return ms
}

func (f stockFixture) audit(t *testing.T) {
	t.Helper()
	rep, err := inventory.Audit(context.Background(), f.db, nil, nil)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep.Drift)
}

func TestStockImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := stockSetup(t, db)
		file := fmt.Sprintf("sku,location,counted,scope\r\nA,BKK,8,\r\nB,BKK,5,\r\nC,BKK,3,\r\nD,%s,7,\r\nE,BKK,2,S1\r\n", f.jkt)
		t.Run("a count writes movements for exactly the differences", func(t *testing.T) {
			job := newJob(t, db, importjob.KindSTOCK, []byte(file), nil)
			var raised []pulid.ID
			h := imports.Stock{Replenished: func(vs []pulid.ID) { raised = append(raised, vs...) }}
			chk, sum := runBatches(t, db, h, job, 2) // batches split the BKK count
			require.Empty(t, chk.Errors)
			require.Equal(t, map[string]int{"counted": 5, "changed": 3, "unchanged": 2}, sum)
			require.Equal(t, int64(8), f.onHand(t, "A", f.bkk))
			require.Equal(t, int64(3), f.onHand(t, "C", f.bkk))
			require.Equal(t, int64(2), f.onHand(t, "E", f.bkk))
			require.Equal(t, int64(7), f.onHand(t, "D", f.jkt))
			counts, err := db.Client.StockCount.Query().Where(stockcount.ImportJobID(job.ID)).All(ctx)
			require.NoError(t, err)
			require.Len(t, counts, 3, "one count per (location, scope) for the whole import")
			byKey := map[string]*ent.StockCount{}
			for _, c := range counts {
				byKey[string(c.LocationID)+"/"+c.Scope] = c
			}
			main := byKey[string(f.bkk)+"/"]
			require.NotNil(t, main)
			require.Equal(t, 3, main.Lines)
			require.Equal(t, 2, main.Differences)
			require.Equal(t, int64(3), main.UnitsAdded)
			require.Equal(t, int64(2), main.UnitsRemoved)
			require.Equal(t, "stf_tester", main.Actor)
			ms := f.movements(t)
			require.Len(t, ms, 3)
			deltas := map[int64]string{}
			for _, m := range ms {
				deltas[m.OnHandDelta] = m.Reference
				require.Equal(t, "stf_tester", m.Actor)
			}
			require.Equal(t, map[int64]string{-2: string(main.ID), 3: string(main.ID), 2: string(byKey[string(f.bkk)+"/S1"].ID)}, deltas)
			// stock.changed events, which the outbound relay turns into dirty listings (stock pushes).
			evs, err := db.Client.Event.Query().Where(event.Type(events.KindStockChanged)).All(ctx)
			require.NoError(t, err)
			counted := 0
			for _, e := range evs {
				p, err := events.Decode[events.StockChanged](e)
				require.NoError(t, err)
				if p.Movement == "COUNT" {
					counted++
				}
			}
			require.Equal(t, 3, counted)
			require.Len(t, raised, 2, "C and E went up: backorders may be released")
			f.audit(t)
		})
		t.Run("counting again changes nothing", func(t *testing.T) {
			_, sum := run(t, db, imports.Stock{}, newJob(t, db, importjob.KindSTOCK, []byte(file), nil))
			require.Equal(t, map[string]int{"counted": 5, "changed": 0, "unchanged": 5}, sum)
			require.Len(t, f.movements(t), 3)
			f.audit(t)
		})
		t.Run("a dry run counts and writes nothing", func(t *testing.T) {
			dry := "sku,counted\r\nA,1\r\nB,9\r\n"
			before, err := db.Client.StockCount.Query().Count(ctx)
			require.NoError(t, err)
			h := imports.Stock{Replenished: func([]pulid.ID) { t.Error("a dry run replenishes nothing") }}
			_, sum := run(t, db, h, newJob(t, db, importjob.KindSTOCK, []byte(dry),
				func(c *ent.ImportJobCreate) { c.SetLocationID(f.bkk).SetDryRun(true) }))
			require.Equal(t, 2, sum["changed"])
			require.Len(t, f.movements(t), 3)
			require.Equal(t, int64(8), f.onHand(t, "A", f.bkk))
			after, err := db.Client.StockCount.Query().Count(ctx)
			require.NoError(t, err)
			require.Equal(t, before, after)
		})
		t.Run("the job names the location", func(t *testing.T) {
			_, sum := run(t, db, imports.Stock{}, newJob(t, db, importjob.KindSTOCK, []byte("sku,counted\r\nB,6\r\n"),
				func(c *ent.ImportJobCreate) { c.SetLocationID(f.bkk) }))
			require.Equal(t, 1, sum["changed"])
			require.Equal(t, int64(6), f.onHand(t, "B", f.bkk))
			f.audit(t)
		})
		t.Run("bad rows change nothing", func(t *testing.T) {
			bad := "sku,location,counted\r\nA,BKK,1\r\nNOPE,BKK,1\r\nB,MARS,1\r\nC,BKK,-1\r\nD,BKK,lots\r\nK,BKK,1\r\nA,BKK,2\r\n,BKK,1\r\nC,,1\r\n"
			chk, sum := run(t, db, imports.Stock{}, newJob(t, db, importjob.KindSTOCK, []byte(bad), nil))
			require.Empty(t, sum)
			require.Equal(t, []imports.RowError{
				{Row: 3, Field: "sku", Message: "unknown SKU NOPE"},
				{Row: 4, Field: "location", Message: `unknown location "MARS" (a code or an id)`},
				{Row: 5, Field: "counted", Message: "-1 is negative"},
				{Row: 6, Field: "counted", Message: `"lots" is not a whole number of units`},
				{Row: 7, Field: "sku", Message: "K is a bundle; count its components"},
				{Row: 8, Field: "sku", Message: "A is already counted at this location on row 2"},
				{Row: 9, Field: "sku", Message: "empty; every row needs its SKU"},
				{Row: 10, Field: "location", Message: "empty, and the import names no location"},
			}, chk.Errors)
			require.Len(t, f.movements(t), 4)
			require.Equal(t, int64(8), f.onHand(t, "A", f.bkk))
		})
		t.Run("an unknown column refuses the file", func(t *testing.T) {
			chk, _ := run(t, db, imports.Stock{}, newJob(t, db, importjob.KindSTOCK, []byte("sku,location,counted,bin\r\nA,BKK,1,x\r\n"), nil))
			require.Len(t, chk.Errors, 1)
			require.Contains(t, chk.Errors[0].Message, `unknown column "bin"`)
		})
		t.Run("a count below what is reserved is refused", func(t *testing.T) {
			// Reserved units without allocations break the audit: this subtest comes last.
			_, err := db.Client.InventoryLevel.Update().
				Where(inventorylevel.LocationID(f.bkk), inventorylevel.HasVariantWith(variant.Sku("A"))).SetReserved(5).Save(ctx)
			require.NoError(t, err)
			chk, sum := run(t, db, imports.Stock{}, newJob(t, db, importjob.KindSTOCK, []byte("sku,location,counted\r\nA,BKK,3\r\n"), nil))
			require.Empty(t, sum)
			require.Equal(t, []imports.RowError{{Row: 2, Field: "counted", Message: "counted 3 < 5 reserved for orders"}}, chk.Errors)
			a, err := db.Client.Variant.Query().Where(variant.Sku("A")).OnlyID(ctx)
			require.NoError(t, err)
			err = db.Tx(ctx, func(tx *ent.Tx) error {
				_, err := inventory.Count(ctx, tx, inventory.CountInput{LocationID: f.bkk, Lines: []inventory.CountLine{{VariantID: a, SKU: "A", Counted: 3}}})
				return err
			})
			require.ErrorContains(t, err, "counted 3 < 5 reserved")
			require.Equal(t, int64(8), f.onHand(t, "A", f.bkk))
		})
	})
}
