package catalog_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
)

func TestExportHandler(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := &catalog.Service{DB: db}
		p, err := s.CreateProduct(ctx, ent.CreateProductInput{Name: "Classic Tee", Brand: ptr("Ordo")})
		require.NoError(t, err)
		_, err = s.CreateVariant(ctx, ent.CreateVariantInput{Sku: "-EVIL", Name: "=HYPERLINK(\"http://x\")", ProductID: p.ID})
		require.NoError(t, err)
		for _, sku := range []string{"TEE-M", "TEE-L", "PACK"} {
			_, err := s.CreateVariant(ctx, ent.CreateVariantInput{Sku: sku, Name: sku, ProductID: p.ID, PriceAmount: ptr(int64(1990)), Currency: ptr("USD")})
			require.NoError(t, err)
		}
		_, err = s.SetBundleComponents(ctx, "PACK", []catalog.Component{{SKU: "TEE-M", Quantity: 2}, {SKU: "TEE-L", Quantity: 1}})
		require.NoError(t, err)

		rec := httptest.NewRecorder()
		catalog.ExportHandler(db.Client).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/imports/export/products.csv", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
		lines := strings.Split(strings.TrimSuffix(rec.Body.String(), "\r\n"), "\r\n")
		require.Len(t, lines, 5)
		require.Equal(t, strings.Join(catalog.ProductColumns, ","), lines[0])
		require.Equal(t, `'-EVIL,"'=HYPERLINK(""http://x"")",Classic Tee,Ordo,,,0.00,USD,0,0,0,0,,,true,`, lines[1], "no formula runs")
		require.Equal(t, "PACK,PACK,Classic Tee,Ordo,,,19.90,USD,0,0,0,0,,,true,TEE-L*1|TEE-M*2", lines[4])

		// What is exported parses back with no error.
		f, errs, err := catalog.ParseProducts(strings.NewReader(rec.Body.String()))
		require.NoError(t, err)
		require.Empty(t, errs)
		require.Len(t, f.Rows, 4)
		require.Equal(t, "-EVIL", f.Rows[0].SKU)
		require.Equal(t, `=HYPERLINK("http://x")`, f.Rows[0].Name)

		rec = httptest.NewRecorder()
		catalog.ExportHandler(db.Client).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/imports/export/products.csv", nil))
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	})
}

func TestTemplateHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	catalog.TemplateHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/imports/template/products.csv", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, catalog.Template(), rec.Body.String())
	require.Contains(t, rec.Header().Get("Content-Disposition"), "products-template.csv")
}

func ptr[T any](v T) *T { return &v }
