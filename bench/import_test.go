package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/jobs"
)

// importSKUs is the size of the benchmark's catalogue: a brand's first day.
const importSKUs = 5_000

// importBatch is the runner's batch: each batch commits on its own.
const importBatch = 500

// BenchmarkImportProducts imports a generated 5,000-SKU products CSV (1,250 products of 4 sizes,
// 100 bundles) through the imports runner and the PRODUCTS handler: the whole file checked, then
// applied in batches of 500, each committed with the job's progress. "import" starts from an empty catalogue,
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

// importOnce imports the file through the imports runner, as `ordo import products` does: the job
// is started, checked whole, applied in batches that each commit with the job's progress. It
// fails unless the job succeeded and its progress was seen to advance.
func importOnce(b *testing.B, db *database.DB, file []byte) map[string]int {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(db, jobs.Config{Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	s := &imports.Service{DB: db, Queue: q, Log: log}
	s.Register(imports.Products{})
	job, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file, FileName: "bench.csv", Local: true})
	if err != nil {
		b.Fatal(err)
	}
	updates := 0
	if err := s.Run(ctx, job.ID, func(*ent.ImportJob) { updates++ }); err != nil {
		b.Fatal(err)
	}
	done, err := db.Client.ImportJob.Get(ctx, job.ID)
	if err != nil {
		b.Fatal(err)
	}
	if done.Status != importjob.StatusSUCCEEDED || done.Done != importSKUs || updates < importSKUs/importBatch {
		b.Fatalf("import %s: %d of %d rows done, %d progress updates, errors %v", done.Status, done.Done, importSKUs, updates, done.Errors)
	}
	return done.Summary
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
