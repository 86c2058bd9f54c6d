// Package imports runs long imports as durable jobs: products and stock counts from CSV, and a
// channel's catalogue. An import is checked whole before anything is written, applied in batches
// that each commit with the job's progress (so a crashed import resumes where it stopped), and
// followed live (rows done of total, errors so far). Each kind of import is a Handler.
package imports

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema"
)

// RowError is one refused row: its number in the file (the header is row 1), its column, why.
type RowError = schema.ImportRowError

// Plan is the rows a Handler's Check accepted, in the order they are applied. Only the handler
// knows what a row is.
type Plan interface {
	// Len is the number of rows to apply.
	Len() int
}

// Checked is what a handler's Check found.
type Checked struct {
	Plan Plan
	// Total is the rows read (not counting a header).
	Total int
	// Errors are the refused rows. Without the job's partial flag, any error fails the whole import
	// and nothing is written.
	Errors []RowError
	// Rejects are the refused rows in the input's own format with an error column, for a partial
	// import to hand back; nil when there are none or the input is not a file.
	Rejects []byte
}

// Handler is one kind of import.
type Handler interface {
	// Kind is the ImportJob kind it runs.
	Kind() importjob.Kind
	// Check reads the job's whole input (its content, or the channel's catalogue) and validates
	// every row against the store without writing; progress reports rows checked so far. It runs
	// again, from the start, when a crashed import resumes, so it must be deterministic for the
	// same input and store.
	Check(ctx context.Context, db *ent.Client, job *ent.ImportJob, progress func(done, total int)) (Checked, error)
	// Apply writes the plan's rows [from, to) in tx and counts what they did by outcome (created,
	// updated, unchanged, mapped, review…). Rows are idempotent: applying one again changes
	// nothing. A dry run calls Apply too, in a transaction that is rolled back, so that it reports
	// exactly what the real run would change.
	Apply(ctx context.Context, tx *ent.Tx, job *ent.ImportJob, plan Plan, from, to int) (map[string]int, error)
}
