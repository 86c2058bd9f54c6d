package bench

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/imports"
)

// importSKUs is the size of the benchmark's catalogue: a brand's first day.
const importSKUs = 5_000

// importBatch is the runner's batch: each batch commits on its own.
const importBatch = 500

// BenchmarkImportProducts imports a generated 5,000-SKU products CSV (1,250 products of 4 sizes,
// 100 bundles) through the PRODUCTS handler as the runner drives it: Check the whole file, then
// Apply in batches of 500, each in its own transaction. "import" starts from an empty catalogue,
// "reimport" imports the same file again (all rows unchanged, nothing written). It reports rows/s,
// and fails if a run did not create (or, re-imported, leave unchanged) every row.
func BenchmarkImportProducts(b *testing.B) {
	file := generatedProducts(importSKUs)
	for _, store := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(store.name+"/import", func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				db := store.open(b)
				b.StartTimer()
				start := time.Now()
				sum := importOnce(b, db, file)
				elapsed += time.Since(start)
				if sum[catalog.Created] != importSKUs {
					b.Fatalf("created %d of %d", sum[catalog.Created], importSKUs)
				}
			}
			b.ReportMetric(float64(importSKUs*b.N)/elapsed.Seconds(), "rows/s")
		})
		b.Run(store.name+"/reimport", func(b *testing.B) {
			db := store.open(b)
			importOnce(b, db, file)
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if sum := importOnce(b, db, file); sum[catalog.Unchanged] != importSKUs {
					b.Fatalf("re-import: %v", sum)
				}
			}
			b.ReportMetric(float64(importSKUs*b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// importOnce checks the file and applies it in batches, as the imports runner does.
func importOnce(b *testing.B, db *database.DB, file []byte) map[string]int {
	ctx := context.Background()
	job, err := db.Client.ImportJob.Create().SetKind(importjob.KindPRODUCTS).SetContent(file).Save(ctx)
	if err != nil {
		b.Fatal(err)
	}
	h := imports.Products{}
	chk, err := h.Check(ctx, db.Client, job, func(int, int) {})
	if err != nil || len(chk.Errors) > 0 {
		b.Fatalf("check: %v %v", err, chk.Errors)
	}
	sum := map[string]int{}
	for from := 0; from < chk.Plan.Len(); from += importBatch {
		to := min(from+importBatch, chk.Plan.Len())
		err := db.Tx(ctx, func(tx *ent.Tx) error {
			c, err := h.Apply(ctx, tx, job, chk.Plan, from, to)
			for k, n := range c {
				sum[k] += n
			}
			return err
		})
		if err != nil {
			b.Fatalf("apply [%d, %d): %v", from, to, err)
		}
	}
	return sum
}

// generatedProducts is a products CSV of n SKUs with every column filled.
func generatedProducts(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(strings.Join(catalog.ProductColumns, ",") + "\r\n")
	for i := range n {
		comps := ""
		if i%50 == 49 {
			comps = fmt.Sprintf("BENCH-%05d*2|BENCH-%05d", i-1, i-2)
		}
		fmt.Fprintf(&buf, "BENCH-%05d,Item %d size %d,Product %d,Brand %d,%013d,Color=Blue;Size=%d,%d.%02d,THB,%d,100,80,%d,6109.10,VN,%t,%s\r\n",
			i, i/4, i%4, i/4, (i/4)%9, 8850000000000+i, i%4, 100+i%900, i%100, 100+i, 10+i%30, i%3 != 0, comps)
	}
	return buf.Bytes()
}
