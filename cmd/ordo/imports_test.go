package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/instance"
)

// lines imports a file of lines after a header: "ok" rows are applied (nothing is written), others
// refused.
type lines struct{}

type rows int

func (r rows) Len() int { return int(r) }

func (lines) Kind() importjob.Kind { return importjob.KindPRODUCTS }

func (lines) Check(_ context.Context, _ *ent.Client, job *ent.ImportJob, progress func(int, int)) (imports.Checked, error) {
	ls := strings.Split(strings.TrimSpace(string(job.Content)), "\n")[1:]
	c := imports.Checked{Total: len(ls)}
	ok := 0
	for i, l := range ls {
		if l == "ok" {
			ok++
		} else {
			c.Errors = append(c.Errors, imports.RowError{Row: i + 2, Field: "value", Message: "not ok"})
		}
		progress(i+1, len(ls))
	}
	c.Plan = rows(ok)
	return c, nil
}

func (lines) Apply(_ context.Context, _ *ent.Tx, _ *ent.ImportJob, _ imports.Plan, from, to int) (map[string]int, error) {
	return map[string]int{"created": to - from}, nil
}

func TestImportCommand(t *testing.T) {
	t.Setenv("ORDO_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "import.db"))
	t.Setenv("ORDO_LOG_LEVEL", "error")
	cfg, err := config.FromEnv()
	require.NoError(t, err)
	ctx := context.Background()
	inst, err := instance.Open(ctx, cfg, nil)
	require.NoError(t, err)
	defer inst.Close()
	inst.Imports.Register(lines{})

	file := "value\n" + strings.Repeat("ok\n", 2500)
	var out, bar bytes.Buffer
	require.NoError(t, runImport(ctx, inst.Imports, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: []byte(file), FileName: "p.csv"}, &out, &bar, false))
	require.Contains(t, bar.String(), "[######----] 1,500/2,500 rows · 0 errors\n")
	require.Contains(t, bar.String(), "[##########] 2,500/2,500 rows · 0 errors\n")
	require.LessOrEqual(t, strings.Count(bar.String(), "\n"), 12, "one line per tenth when stderr is not a terminal:\n%s", bar.String())
	require.Regexp(t, `^import imp_\S+ SUCCEEDED: 2,500 rows, 0 errors\n`, out.String())
	require.Contains(t, out.String(), "  created    2,500\n")

	bad := "value\nok\nnope\nok\nnope\n"
	out.Reset()
	bar.Reset()
	err = runImport(ctx, inst.Imports, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: []byte(bad)}, &out, &bar, true)
	require.Equal(t, exitCode(1), err)
	require.Contains(t, out.String(), "FAILED: 4 rows, 2 errors\n")
	require.Contains(t, out.String(), "row 3\tvalue\tnot ok\nrow 5\tvalue\tnot ok\n")
	require.Contains(t, bar.String(), "\r[")

	require.Error(t, runImport(ctx, inst.Imports, imports.StartInput{Kind: importjob.KindSTOCK, Content: []byte(file)}, &out, &bar, false),
		"no stock import in this process: refused before anything runs")

	require.ErrorContains(t, run(ctx, []string{"import", "nothing"}, &out, &bar), "usage: ordo import")
	require.ErrorContains(t, run(ctx, []string{"import", "products"}, &out, &bar), "usage: ordo import")
	require.ErrorContains(t, run(ctx, []string{"import", "products", filepath.Join(t.TempDir(), "missing.csv")}, &out, &bar), "no such file")
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -2500: "-2,500"} {
		require.Equal(t, want, thousands(n))
	}
}
