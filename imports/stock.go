package imports

// The stock CSV: one row per SKU counted at a location.
//
//	sku,location,counted,scope
//
//   - sku (required): a SKU of the catalogue, not a bundle (count its components).
//   - location: the location's code or id; the column (or a cell) may be left out when the import
//     names the location.
//   - counted (required): the units physically there, a whole number, 0 or more.
//   - scope: a shelf or zone, when the count covers part of the location.
//
// Each SKU is counted once per location in a file. A count never overwrites on hand: the difference
// is written as a COUNT movement whose reference is the count. One StockCount is kept per (location,
// scope) for the whole import: the first batch that touches it creates it, later batches (and a
// resumed import) find it by the import's id and add to it, so one count's reference covers the
// file's rows for that shelf. A count below the units reserved for orders is refused.

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockcount"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/inventory"
)

// The stock CSV's columns.
const (
	colSKU      = "sku"
	colLocation = "location"
	colCounted  = "counted"
	colScope    = "scope"
)

// StockColumns are the stock CSV's columns.
var StockColumns = []string{colSKU, colLocation, colCounted, colScope}

// Template is the stock CSV's header and two example rows: a location by its code, a shelf.
func (Stock) Template() []byte {
	return []byte("sku,location,counted,scope\nTSHIRT-RED-M,BKK-1,24,\nTSHIRT-RED-L,BKK-1,9,A-03\n")
}

// maxScope bounds a scope's length.
const maxScope = 100

// Stock imports a stock count from the stock CSV.
type Stock struct {
	// Replenished is told, after a batch commits, of the variants whose on hand the count raised
	// (inventory.Service.Replenish: backordered orders may now be allocated). Nil: no one is told.
	Replenished func(variants []pulid.ID)
}

// stockLine is one parsed row of the stock CSV.
type stockLine struct {
	Row      int
	SKU      string
	Location string // code or id as written; empty: the job's
	Scope    string
	Counted  int64
	// Set by the store check.
	VariantID  pulid.ID
	LocationID pulid.ID
}

// stockPlan is the checked lines, grouped by (location, scope) so that a batch touches few counts.
type stockPlan struct{ lines []stockLine }

// Len implements Plan.
func (p stockPlan) Len() int { return len(p.lines) }

// Kind implements Handler.
func (Stock) Kind() importjob.Kind { return importjob.KindSTOCK }

// parseStock reads the stock CSV and checks each row on its own: a SKU, a location unless the job
// names one, a whole count of 0 or more, and each (SKU, location) once.
func parseStock(content []byte, jobLocation bool) ([]stockLine, int, []RowError, error) {
	required := []string{colSKU, colCounted}
	if !jobLocation {
		required = append(required, colLocation)
	}
	cr, idx, err := catalog.OpenCSV(bytes.NewReader(content), StockColumns, required...)
	if err != nil {
		return nil, 0, nil, err
	}
	var lines []stockLine
	var errs []RowError
	total := 0
	first := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, nil, fmt.Errorf("%w: %v", catalog.ErrFile, err)
		}
		if catalog.Blank(rec) {
			continue
		}
		if total++; total > catalog.MaxCSVRows {
			return nil, 0, nil, fmt.Errorf("%w: more than %d rows; split it", catalog.ErrFile, catalog.MaxCSVRows)
		}
		n := catalog.RowNumber(cr)
		cell := func(col string) string {
			if i, ok := idx[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		l := stockLine{Row: n, SKU: cell(colSKU), Location: cell(colLocation), Scope: cell(colScope)}
		bad := false
		fail := func(col, format string, args ...any) {
			errs = append(errs, RowError{Row: n, Field: col, Message: fmt.Sprintf(format, args...)})
			bad = true
		}
		if l.SKU == "" {
			fail(colSKU, "empty; every row needs its SKU")
		}
		if l.Location == "" && !jobLocation {
			fail(colLocation, "empty, and the import names no location")
		}
		if len(l.Scope) > maxScope {
			fail(colScope, "longer than %d bytes", maxScope)
		}
		v := cell(colCounted)
		c, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			fail(colCounted, "%q is not a whole number of units", v)
		case c < 0:
			fail(colCounted, "%d is negative", c)
		}
		l.Counted = c
		if l.SKU != "" {
			key := [2]string{l.SKU, l.Location}
			if at, dup := first[key]; dup {
				fail(colSKU, "%s is already counted at this location on row %d", l.SKU, at)
			} else {
				first[key] = n
			}
		}
		if !bad {
			lines = append(lines, l)
		}
	}
	return lines, total, errs, nil
}

// Check implements Handler: rows are parsed, then checked against the store in bulk: known SKUs
// that are not bundles, known locations (code or id), and counts that still cover what is reserved.
func (Stock) Check(ctx context.Context, db *ent.Client, job *ent.ImportJob, progress func(done, total int)) (Checked, error) {
	lines, total, errs, err := parseStock(job.Content, job.LocationID != nil)
	if errors.Is(err, catalog.ErrFile) {
		return Checked{Plan: stockPlan{}, Errors: []RowError{{Row: 1, Message: err.Error()}}}, nil
	}
	if err != nil {
		return Checked{}, err
	}
	progress(0, total)
	good, more, err := checkStock(ctx, db, job, lines)
	if err != nil {
		return Checked{}, err
	}
	progress(total, total)
	return checked(stockPlan{lines: good}, total, append(errs, more...), job.Content)
}

// checkStock resolves lines' SKUs and locations against the store, in chunks.
func checkStock(ctx context.Context, db *ent.Client, job *ent.ImportJob, lines []stockLine) ([]stockLine, []RowError, error) {
	var skus, locs []string
	for _, l := range lines {
		skus = append(skus, l.SKU)
		if l.Location != "" {
			locs = append(locs, l.Location)
		}
	}
	skus, locs = slices.Compact(slices.Sorted(slices.Values(skus))), slices.Compact(slices.Sorted(slices.Values(locs)))
	variants := map[string]*ent.Variant{}
	bundles := map[pulid.ID]bool{}
	for chunk := range slices.Chunk(skus, 500) {
		vs, err := db.Variant.Query().Where(variant.SkuIn(chunk...)).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("look up SKUs: %w", err)
		}
		ids := make([]pulid.ID, len(vs))
		for i, v := range vs {
			variants[v.Sku], ids[i] = v, v.ID
		}
		bs, err := db.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(ids...)).Select(bundlecomponent.FieldBundleID).Strings(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("look up bundles: %w", err)
		}
		for _, b := range bs {
			bundles[pulid.ID(b)] = true
		}
	}
	locations := map[string]pulid.ID{}
	if job.LocationID != nil {
		ok, err := db.Location.Query().Where(location.ID(*job.LocationID)).Exist(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("look up location: %w", err)
		}
		if ok {
			locations[""] = *job.LocationID
		}
	}
	for chunk := range slices.Chunk(locs, 500) {
		ids := make([]pulid.ID, len(chunk))
		for i, s := range chunk {
			ids[i] = pulid.ID(s)
		}
		ls, err := db.Location.Query().Where(location.Or(location.CodeIn(chunk...), location.IDIn(ids...))).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("look up locations: %w", err)
		}
		for _, l := range ls {
			locations[l.Code], locations[string(l.ID)] = l.ID, l.ID
		}
	}
	var errs []RowError
	var good []stockLine
	for _, l := range lines {
		v := variants[l.SKU]
		loc, okLoc := locations[l.Location]
		switch {
		case v == nil:
			errs = append(errs, RowError{Row: l.Row, Field: colSKU, Message: fmt.Sprintf("unknown SKU %s", l.SKU)})
		case bundles[v.ID]:
			errs = append(errs, RowError{Row: l.Row, Field: colSKU, Message: fmt.Sprintf("%s is a bundle; count its components", l.SKU)})
		case !okLoc && l.Location == "":
			errs = append(errs, RowError{Row: l.Row, Field: colLocation, Message: fmt.Sprintf("the import's location %s does not exist", *job.LocationID)})
		case !okLoc:
			errs = append(errs, RowError{Row: l.Row, Field: colLocation, Message: fmt.Sprintf("unknown location %q (a code or an id)", l.Location)})
		default:
			l.VariantID, l.LocationID = v.ID, loc
			good = append(good, l)
		}
	}
	// The same SKU named by code on one row and by id on another is still one count.
	first := map[[2]pulid.ID]int{}
	kept := good[:0]
	for _, l := range good {
		k := [2]pulid.ID{l.VariantID, l.LocationID}
		if at, dup := first[k]; dup {
			errs = append(errs, RowError{Row: l.Row, Field: colSKU, Message: fmt.Sprintf("%s is already counted at this location on row %d", l.SKU, at)})
			continue
		}
		first[k] = l.Row
		kept = append(kept, l)
	}
	good = kept
	// Counts below what is reserved for orders.
	reserved := map[[2]pulid.ID]int64{}
	var ids []pulid.ID
	for _, l := range good {
		ids = append(ids, l.VariantID)
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for chunk := range slices.Chunk(ids, 500) {
		ls, err := db.InventoryLevel.Query().Where(inventorylevel.VariantIDIn(chunk...), inventorylevel.ReservedGT(0)).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("look up stock levels: %w", err)
		}
		for _, lv := range ls {
			reserved[[2]pulid.ID{lv.VariantID, lv.LocationID}] = lv.Reserved
		}
	}
	kept = good[:0]
	for _, l := range good {
		if r := reserved[[2]pulid.ID{l.VariantID, l.LocationID}]; l.Counted < r {
			errs = append(errs, RowError{Row: l.Row, Field: colCounted, Message: fmt.Sprintf("counted %d < %d reserved for orders", l.Counted, r)})
			continue
		}
		kept = append(kept, l)
	}
	slices.SortStableFunc(kept, func(a, b stockLine) int {
		return cmp.Or(cmp.Compare(a.LocationID, b.LocationID), cmp.Compare(a.Scope, b.Scope))
	})
	return kept, errs, nil
}

// Apply implements Handler: the batch's lines are counted per (location, scope), each into the
// import's StockCount for it (created by the first batch that touches it).
func (s Stock) Apply(ctx context.Context, tx *ent.Tx, job *ent.ImportJob, plan Plan, from, to int) (map[string]int, error) {
	p := plan.(stockPlan)
	counts := map[string]int{"counted": 0, "changed": 0, "unchanged": 0}
	var raised []pulid.ID
	for group := range groups(p.lines[from:to]) {
		first := group[0]
		in := inventory.CountInput{LocationID: first.LocationID, Scope: first.Scope, Actor: job.Actor, ImportJobID: &job.ID}
		id, err := tx.StockCount.Query().
			Where(stockcount.ImportJobID(job.ID), stockcount.LocationID(first.LocationID), stockcount.Scope(first.Scope)).
			FirstID(ctx)
		switch {
		case err == nil:
			in.CountID = id
		case !ent.IsNotFound(err):
			return nil, fmt.Errorf("look up the import's count: %w", err)
		}
		for _, l := range group {
			in.Lines = append(in.Lines, inventory.CountLine{VariantID: l.VariantID, SKU: l.SKU, Counted: l.Counted})
		}
		res, err := inventory.Count(ctx, tx, in)
		if err != nil {
			return nil, err
		}
		counts["counted"] += len(group)
		counts["changed"] += res.Changed
		counts["unchanged"] += res.Unchanged
		raised = append(raised, res.Raised...)
	}
	if s.Replenished != nil && len(raised) > 0 {
		// Only once the batch is committed (never for a dry run, which rolls back).
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				if err := next.Commit(ctx, tx); err != nil {
					return err
				}
				s.Replenished(raised)
				return nil
			})
		})
	}
	return counts, nil
}

// groups yields runs of lines with the same (location, scope).
func groups(lines []stockLine) func(func([]stockLine) bool) {
	return func(yield func([]stockLine) bool) {
		for start := 0; start < len(lines); {
			end := start + 1
			for end < len(lines) && lines[end].LocationID == lines[start].LocationID && lines[end].Scope == lines[start].Scope {
				end++
			}
			if !yield(lines[start:end]) {
				return
			}
			start = end
		}
	}
}
