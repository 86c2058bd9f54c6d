package imports

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/variant"
)

// Products imports products, variants and bundles from the products CSV (catalog.Template; the
// format is documented in catalog/csv.go and the README), upserting by SKU.
type Products struct {
	// Data, when set, checks again the open orders flagged for missing data of the variants a
	// batch updated (dispatch.DataChecker), in the batch's transaction, so that fixing the data by
	// import clears their flags as an edit does.
	Data catalog.DataChecker
}

// Template is the products CSV's header and two example rows.
func (Products) Template() []byte { return []byte(catalog.Template()) }

// productPlan is the checked rows, plain SKUs before bundles.
type productPlan struct{ rows []catalog.ProductRow }

// Len implements Plan.
func (p productPlan) Len() int { return len(p.rows) }

// Kind implements Handler.
func (Products) Kind() importjob.Kind { return importjob.KindPRODUCTS }

// Check implements Handler: the file is parsed and every row checked on its own, then all rows
// against the store in bulk. A file that cannot be read at all (not CSV, an unknown column) is one
// error on row 1, the header.
func (Products) Check(ctx context.Context, db *ent.Client, job *ent.ImportJob, progress func(done, total int)) (Checked, error) {
	f, errs, err := catalog.ParseProducts(bytes.NewReader(job.Content))
	if errors.Is(err, catalog.ErrFile) {
		return Checked{Plan: productPlan{}, Errors: []RowError{{Row: 1, Message: err.Error()}}}, nil
	}
	if err != nil {
		return Checked{}, err
	}
	progress(0, f.Total)
	rows, more, err := catalog.CheckProducts(ctx, db, f)
	if err != nil {
		return Checked{}, err
	}
	progress(f.Total, f.Total)
	return checked(productPlan{rows: rows}, f.Total, append(errs, more...), job.Content)
}

// Apply implements Handler.
func (h Products) Apply(ctx context.Context, tx *ent.Tx, job *ent.ImportJob, plan Plan, from, to int) (map[string]int, error) {
	p := plan.(productPlan)
	rows := p.rows[from:to]
	counts, err := catalog.ApplyProducts(ctx, tx, catalog.ProductBatch{Rows: rows, JobID: string(job.ID), Actor: job.Actor})
	if err != nil || h.Data == nil || counts[catalog.Updated] == 0 {
		return counts, err
	}
	skus := make([]string, len(rows))
	for i, r := range rows {
		skus[i] = r.SKU
	}
	ids, err := tx.Variant.Query().Where(variant.SkuIn(skus...)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	return counts, h.Data.RecheckVariants(ctx, tx, ids)
}

// checked sorts a check's errors by row and column and cuts the rejects file.
func checked(plan Plan, total int, errs []RowError, content []byte) (Checked, error) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.Field, b.Field)) })
	rejects, err := catalog.RejectsCSV(content, errs)
	if err != nil {
		return Checked{}, err
	}
	return Checked{Plan: plan, Total: total, Errors: errs, Rejects: rejects}, nil
}
