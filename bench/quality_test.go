package bench

import (
	"fmt"
	"testing"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ordotest"
)

// completenessSKUs is the catalogue the report walks: issue 14's brand.
const completenessSKUs = 5_000

// completenessDocument is the console's first page of the report with its totals.
const completenessDocument = `{ catalogCompleteness(first: 50) {
  items { variant { sku } issues { attribute kind message } } hasNextPage endCursor checked withIssues
  totals { attribute complete share } } }`

// BenchmarkCatalogCompleteness times one completenessDocument request (the whole catalogue checked
// in batches of 500, two queries a batch) over 5,000 SKUs of which one in ten lacks dimensions and
// one in twenty has a bad barcode, on both stores. It reports SKUs checked per second.
func BenchmarkCatalogCompleteness(b *testing.B) {
	for _, st := range []struct {
		name string
		url  func(testing.TB) string
	}{{"postgres", dbtest.PostgresURL}, {"sqlite", dbtest.SQLiteURL}} {
		b.Run(st.name, func(b *testing.B) { benchCompleteness(b, st.url(b)) })
	}
}

// benchCompleteness seeds the catalogue at url and measures the report.
func benchCompleteness(b *testing.B, url string) {
	srv := ordotest.Start(b, url)
	ctx := b.Context()
	p, err := srv.Inst.DB.Client.Product.Create().SetName("Brand").Save(ctx)
	if err != nil {
		b.Fatal(err)
	}
	creates := make([]*ent.VariantCreate, 0, 500)
	for i := range completenessSKUs {
		c := srv.Inst.DB.Client.Variant.Create().SetSku(fmt.Sprintf("SKU-%05d", i)).SetName("item").SetProductID(p.ID).
			SetWeightGrams(300).SetLengthMm(200).SetWidthMm(150).SetHeightMm(50).SetHsCode("6109.10").SetCountryOfOrigin("TH")
		if i%10 == 0 {
			c.SetLengthMm(0).SetWidthMm(0).SetHeightMm(0)
		}
		if i%20 == 1 {
			c.SetBarcode("4006381333932")
		}
		if creates = append(creates, c); len(creates) == cap(creates) {
			if err := srv.Inst.DB.Client.Variant.CreateBulk(creates...).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			creates = creates[:0]
		}
	}
	admin := srv.Admin()
	var out struct {
		CatalogCompleteness struct{ Checked, WithIssues int }
	}
	b.ResetTimer()
	for b.Loop() {
		admin.MustDo(b, completenessDocument, nil, &out)
	}
	b.StopTimer()
	if out.CatalogCompleteness.Checked != completenessSKUs || out.CatalogCompleteness.WithIssues != 750 {
		b.Fatalf("report: %+v", out.CatalogCompleteness)
	}
	b.ReportMetric(float64(completenessSKUs*b.N)/b.Elapsed().Seconds(), "skus/s")
}
