package catalog

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
)

// exportPage is how many variants one query of an export reads.
const exportPage = 500

// ExportCSV writes every variant as a row of the products CSV (Template's format), streaming page by
// page in SKU id order, so that exporting, fixing and importing the file changes only what was fixed.
// Cells that a spreadsheet would run as formulas are escaped (EscapeCell).
func ExportCSV(ctx context.Context, c *ent.Client, w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(ProductColumns); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	var after pulid.ID
	for {
		q := c.Variant.Query().Order(variant.ByID()).Limit(exportPage).WithProduct().
			WithComponents(func(q *ent.BundleComponentQuery) { q.WithComponent() })
		if after != "" {
			q.Where(variant.IDGT(after))
		}
		vs, err := q.All(ctx)
		if err != nil {
			return fmt.Errorf("export: read SKUs: %w", err)
		}
		for _, v := range vs {
			if err := cw.Write(exportRow(v)); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if len(vs) < exportPage {
			return nil
		}
		after = vs[len(vs)-1].ID
	}
}

// exportRow is a variant's row, in ProductColumns' order.
func exportRow(v *ent.Variant) []string {
	var prod, brand string
	if p := v.Edges.Product; p != nil {
		prod, brand = p.Name, p.Brand
	}
	comps := make([]Component, 0, len(v.Edges.Components))
	for _, bc := range v.Edges.Components {
		comps = append(comps, Component{SKU: bc.Edges.Component.Sku, Quantity: bc.Quantity})
	}
	row := []string{v.Sku, v.Name, prod, brand, v.Barcode, FormatOptions(v.Options), FormatPrice(v.PriceAmount, v.Currency), v.Currency,
		strconv.Itoa(v.WeightGrams), strconv.Itoa(v.LengthMm), strconv.Itoa(v.WidthMm), strconv.Itoa(v.HeightMm),
		v.HsCode, v.CountryOfOrigin, strconv.FormatBool(v.Returnable), FormatComponents(comps)}
	for i, c := range row {
		row[i] = EscapeCell(c)
	}
	return row
}

// ExportHandler serves the products CSV as a download (GET /imports/export/products.csv). Who may
// call it is decided by whoever mounts it.
func ExportHandler(c *ent.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="products.csv"`)
		if r.Method == http.MethodHead {
			return
		}
		// The header is sent already: a failure halfway can only cut the file short.
		_ = ExportCSV(r.Context(), c, w)
	})
}

// TemplateHandler serves Template as a download (the products CSV's header and two examples).
func TemplateHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="products-template.csv"`)
		_, _ = io.WriteString(w, Template())
	})
}
