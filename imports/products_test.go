package imports_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/imports"
)

// batch is the runner's batch size.
const batch = 500

// errRollback rolls a dry run's transaction back.
var errRollback = errors.New("dry run")

// run drives a handler as the runner does: Check the whole input, then (when it has no errors, or
// the job is partial) Apply the plan in batches, each in its own transaction (rolled back when dry).
func run(t *testing.T, db *database.DB, h imports.Handler, job *ent.ImportJob) (imports.Checked, map[string]int) {
	t.Helper()
	return runBatches(t, db, h, job, batch)
}

// runBatches is run with batches of size rows.
func runBatches(t *testing.T, db *database.DB, h imports.Handler, job *ent.ImportJob, size int) (imports.Checked, map[string]int) {
	t.Helper()
	ctx := context.Background()
	chk, err := h.Check(ctx, db.Client, job, func(done, total int) {})
	require.NoError(t, err)
	sum := map[string]int{}
	if len(chk.Errors) > 0 && !job.Partial {
		return chk, sum
	}
	for from := 0; from < chk.Plan.Len(); from += size {
		to := min(from+size, chk.Plan.Len())
		err := db.Tx(ctx, func(tx *ent.Tx) error {
			c, err := h.Apply(ctx, tx, job, chk.Plan, from, to)
			if err != nil {
				return err
			}
			for k, n := range c {
				sum[k] += n
			}
			if job.DryRun {
				return errRollback
			}
			return nil
		})
		if !job.DryRun || !errors.Is(err, errRollback) {
			require.NoError(t, err)
		}
	}
	return chk, sum
}

func newJob(t *testing.T, db *database.DB, kind importjob.Kind, content []byte, mut func(*ent.ImportJobCreate)) *ent.ImportJob {
	t.Helper()
	c := db.Client.ImportJob.Create().SetKind(kind).SetContent(content).SetActor("stf_tester")
	if mut != nil {
		mut(c)
	}
	job, err := c.Save(context.Background())
	require.NoError(t, err)
	return job
}

// productsCSV is a file of n SKUs in n/4 products (4 sizes each), every 50th a bundle of the two
// SKUs before it.
func productsCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(catalog.ProductColumns, ",") + "\r\n")
	for i := range n {
		comps := ""
		if i%50 == 49 {
			comps = fmt.Sprintf("SKU-%05d*2|SKU-%05d", i-1, i-2)
		}
		fmt.Fprintf(&b, "SKU-%05d,Item %d size %d,Product %d,Brand %d,%013d,Size=%d,%d.%02d,USD,%d,100,80,%d,6109.10,TH,%t,%s\r\n",
			i, i/4, i%4, i/4, (i/4)%7, 8850000000000+i, i%4, 10+i%90, i%100, 100+i, 10+i%30, i%3 != 0, comps)
	}
	return b.Bytes()
}

// snapshot is what a re-import must leave alone.
type snapshot struct {
	variants, products, components, events int
	lastUpdate                             time.Time
}

func take(t *testing.T, db *database.DB) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	s.variants, err = db.Client.Variant.Query().Count(ctx)
	require.NoError(t, err)
	s.products, err = db.Client.Product.Query().Count(ctx)
	require.NoError(t, err)
	s.components, err = db.Client.BundleComponent.Query().Count(ctx)
	require.NoError(t, err)
	s.events, err = db.Client.Event.Query().Count(ctx)
	require.NoError(t, err)
	if v, err := db.Client.Variant.Query().Order(ent.Desc(variant.FieldUpdatedAt)).First(ctx); err == nil {
		s.lastUpdate = v.UpdatedAt
	}
	return s
}

func TestProductsImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		file := productsCSV(5000)
		t.Run("5,000 SKUs import", func(t *testing.T) {
			chk, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, file, nil))
			require.Empty(t, chk.Errors)
			require.Equal(t, 5000, chk.Total)
			require.Equal(t, map[string]int{"created": 5000, "updated": 0, "unchanged": 0}, sum)
			s := take(t, db)
			require.Equal(t, 5000, s.variants)
			require.Equal(t, 1250, s.products)
			require.Equal(t, 200, s.components)
			n, err := db.Client.Event.Query().Where(event.Type(events.KindVariantsImported)).Count(ctx)
			require.NoError(t, err)
			require.Equal(t, 10, n, "one event per batch of 500")
			v, err := db.Client.Variant.Query().Where(variant.Sku("SKU-00049")).WithProduct().WithComponents().Only(ctx)
			require.NoError(t, err)
			require.Equal(t, int64(5949), v.PriceAmount)
			require.Equal(t, "Product 12", v.Edges.Product.Name)
			require.Equal(t, "Brand 5", v.Edges.Product.Brand)
			require.Equal(t, map[string]string{"Size": "1"}, v.Options)
			require.Len(t, v.Edges.Components, 2)
		})
		t.Run("re-importing changes nothing", func(t *testing.T) {
			before := take(t, db)
			chk, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, file, nil))
			require.Empty(t, chk.Errors)
			require.Equal(t, map[string]int{"created": 0, "updated": 0, "unchanged": 5000}, sum)
			require.Equal(t, before, take(t, db), "no row, no event, no updated_at moved")
		})
		t.Run("export then import is unchanged", func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, catalog.ExportCSV(ctx, db.Client, &out))
			require.Equal(t, 5001, strings.Count(out.String(), "\r\n"))
			before := take(t, db)
			_, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, out.Bytes(), nil))
			require.Equal(t, 5000, sum["unchanged"])
			require.Equal(t, before, take(t, db))
		})
		t.Run("an edit updates only what differs", func(t *testing.T) {
			edit := "sku,price,weight_g,brand\r\nSKU-00001,99.00,,\r\nSKU-00002,12.02,999,\r\nSKU-00003,,,New Brand\r\nSKU-00004,14.04,104,\r\n"
			_, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, []byte(edit), nil))
			require.Equal(t, map[string]int{"created": 0, "updated": 3, "unchanged": 1}, sum)
			v, err := db.Client.Variant.Query().Where(variant.Sku("SKU-00001")).WithProduct().Only(ctx)
			require.NoError(t, err)
			require.Equal(t, int64(9900), v.PriceAmount)
			require.Equal(t, 101, v.WeightGrams, "a column left out keeps what is there")
			p, err := db.Client.Variant.Query().Where(variant.Sku("SKU-00003")).QueryProduct().Only(ctx)
			require.NoError(t, err)
			require.Equal(t, "New Brand", p.Brand)
		})
	})
}

// badFile has 3 bad rows among 10: rows 3, 6 and 9 (the header is row 1).
func badFile() []byte {
	var b bytes.Buffer
	b.WriteString("sku,name,product,weight_g,price,currency,components\r\n")
	for i := range 10 {
		switch i {
		case 1:
			fmt.Fprintf(&b, "B-%d,Item,P,heavy,1.00,USD,\r\n", i)
		case 4:
			fmt.Fprintf(&b, "B-%d,Item,P,10,1.00,THB,\r\n", i)
		case 7:
			fmt.Fprintf(&b, "B-%d,Bundle,Q,10,1.00,USD,NOPE*2\r\n", i)
		default:
			fmt.Fprintf(&b, "B-%d,Item,P,10,1.00,USD,\r\n", i)
		}
	}
	return b.Bytes()
}

func TestProductsImportBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		want := []imports.RowError{
			{Row: 3, Field: "weight_g", Message: `"heavy" is not a whole number of grams`},
			{Row: 6, Field: "currency", Message: `THB, but row 2 prices product "P" in USD`},
			{Row: 9, Field: "components", Message: "unknown component NOPE: not in the catalogue nor (without errors) in this file"},
		}
		t.Run("3 bad rows change nothing", func(t *testing.T) {
			before := take(t, db)
			chk, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, badFile(), nil))
			require.Equal(t, want, chk.Errors)
			require.Equal(t, 10, chk.Total)
			require.Empty(t, sum)
			require.Equal(t, before, take(t, db))
		})
		t.Run("a dry run counts and writes nothing", func(t *testing.T) {
			before := take(t, db)
			_, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, badFile(),
				func(c *ent.ImportJobCreate) { c.SetDryRun(true).SetPartial(true) }))
			require.Equal(t, 7, sum["created"])
			require.Equal(t, before, take(t, db))
		})
		t.Run("partial writes the good rows and hands the bad back", func(t *testing.T) {
			chk, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, badFile(),
				func(c *ent.ImportJobCreate) { c.SetPartial(true) }))
			require.Equal(t, want, chk.Errors)
			require.Equal(t, 7, sum["created"])
			n, err := db.Client.Variant.Query().Count(ctx)
			require.NoError(t, err)
			require.Equal(t, 7, n)
			require.Equal(t, "sku,name,product,weight_g,price,currency,components,error\r\n"+
				"B-1,Item,P,heavy,1.00,USD,,"+`"weight_g: ""heavy"" is not a whole number of grams"`+"\r\n"+
				"B-4,Item,P,10,1.00,THB,,"+`"currency: THB, but row 2 prices product ""P"" in USD"`+"\r\n"+
				"B-7,Bundle,Q,10,1.00,USD,NOPE*2,components: unknown component NOPE: not in the catalogue nor (without errors) in this file\r\n",
				string(chk.Rejects))
		})
	})
}

func TestProductsCheckAgainstTheStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		seed := "sku,name,product,price,currency,components\r\n" +
			"A,A,PA,1,USD,\r\nB,B,PB,1,USD,\r\nK,Kit,PK,2,USD,A*1|B*1\r\n"
		chk, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, []byte(seed), nil))
		require.Empty(t, chk.Errors)
		require.Equal(t, 3, sum["created"])
		n, err := db.Client.BundleComponent.Query().Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 2, n)
		for name, tc := range map[string]struct {
			file, field, msg string
		}{
			"a new SKU needs a name":       {"sku,price\r\nNEW,1\r\n", "name", "required for a new SKU"},
			"price too precise for JPY":    {"sku,name,price,currency\r\nJ,J,10.5,JPY\r\n", "price", "more decimals than JPY"},
			"a new currency needs a price": {"sku,currency\r\nA,THB\r\n", "price", "needed when the currency changes (USD → THB)"},
			"a bundle as component":        {"sku,name,components\r\nK2,Kit 2,K*1\r\n", "components", "K is itself a bundle"},
			"a cycle":                      {"sku,name,components\r\nX,X,Y\r\nY,Y,X\r\n", "components", "cycle"},
			"a component becoming kit":     {"sku,components\r\nA,B*2\r\n", "components", "A is a component of bundle K"},
			"two brands for one product":   {"sku,name,product,brand\r\nC,C,PC,One\r\nD,D,PC,Two\r\n", "brand", `gives product "PC" the brand "One"`},
		} {
			t.Run(name, func(t *testing.T) {
				chk, _ := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, []byte(tc.file), nil))
				require.NotEmpty(t, chk.Errors)
				require.Equal(t, tc.field, chk.Errors[0].Field, "%v", chk.Errors)
				require.Contains(t, chk.Errors[0].Message, tc.msg)
			})
		}
		t.Run("an unknown column refuses the file", func(t *testing.T) {
			chk, _ := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, []byte("sku,colour\r\nA,red\r\n"), nil))
			require.Len(t, chk.Errors, 1)
			require.Equal(t, 1, chk.Errors[0].Row)
			require.Contains(t, chk.Errors[0].Message, `unknown column "colour"`)
		})
		t.Run("a bundle made plain again", func(t *testing.T) {
			_, sum := run(t, db, imports.Products{}, newJob(t, db, importjob.KindPRODUCTS, []byte("sku,components\r\nK,-\r\n"), nil))
			require.Equal(t, 1, sum["updated"])
			n, err := db.Client.BundleComponent.Query().Count(context.Background())
			require.NoError(t, err)
			require.Zero(t, n)
		})
	})
}
