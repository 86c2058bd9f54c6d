package bench

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/jobs"
)

// noopRows is a handler whose rows cost nothing: what is timed is the runner itself (its check
// progress, one transaction per batch with the job's cursor, summary and event).
type noopRows int

func (n noopRows) Len() int { return int(n) }

func (n noopRows) Kind() importjob.Kind { return importjob.KindPRODUCTS }

func (n noopRows) Check(_ context.Context, _ *ent.Client, _ *ent.ImportJob, progress func(int, int)) (imports.Checked, error) {
	for i := range int(n) {
		progress(i+1, int(n))
	}
	return imports.Checked{Plan: n, Total: int(n)}, nil
}

func (n noopRows) Apply(_ context.Context, _ *ent.Tx, _ *ent.ImportJob, _ imports.Plan, from, to int) (map[string]int, error) {
	return map[string]int{"unchanged": to - from}, nil
}

// BenchmarkImportRunner runs a 5,000-row import through the runner with a handler that does
// nothing, on SQLite and PostgreSQL: the overhead the runner adds to a handler's own work
// (bench/import_test.go times the products CSV itself). It reports rows/s.
func BenchmarkImportRunner(b *testing.B) {
	const rows = 5000
	for _, store := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(store.name, func(b *testing.B) {
			db := store.open(b)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			q, err := jobs.New(db, jobs.Config{Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			s := &imports.Service{DB: db, Queue: q, Log: log}
			s.Register(noopRows(rows))
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: []byte("x"), Local: true})
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Run(ctx, j.ID, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
