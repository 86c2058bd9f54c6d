package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/instance"
)

const importUsage = "usage: ordo import products FILE [--dry-run] [--partial], or ordo import stock FILE [--location loc_…] [--dry-run] [--partial]"

// importFile imports a products or stock CSV: it creates the import job and runs it in this
// process, drawing its progress on stderr, then prints the summary and the refused rows. The job is
// durable: if this process stops, a server resumes it. It exits 1 when the import failed.
func importFile(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(importUsage)
	}
	kinds := map[string]importjob.Kind{"products": importjob.KindPRODUCTS, "stock": importjob.KindSTOCK}
	kind, ok := kinds[args[0]]
	if !ok {
		return errors.New(importUsage)
	}
	fs := flags("import " + args[0])
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	partial := fs.Bool("partial", false, "import the good rows, report the others")
	loc := fs.String("location", "", "stock: the counted location, when the file names none")
	var files, opts []string
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case (a == "--location" || a == "-location") && i+1 < len(args):
			opts = append(opts, a, args[i+1])
			i++
		case strings.HasPrefix(a, "-"):
			opts = append(opts, a)
		default:
			files = append(files, a)
		}
	}
	if err := fs.Parse(opts); err != nil || len(files) != 1 || *loc != "" && kind != importjob.KindSTOCK {
		return errors.New(importUsage)
	}
	if fi, err := os.Stat(files[0]); err != nil {
		return fmt.Errorf("import: %w", err)
	} else if fi.Size() > imports.MaxContent {
		return fmt.Errorf("import: %s is larger than %d MB", files[0], imports.MaxContent>>20)
	}
	content, err := os.ReadFile(files[0])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	in := imports.StartInput{Kind: kind, Content: content, FileName: files[0], DryRun: *dryRun, Partial: *partial,
		LocationID: pulid.ID(*loc), Actor: "cli"}
	return runImport(ctx, inst.Imports, in, stdout, stderr, isTerminal(stderr))
}

// runImport starts in and runs it here, then reports it.
func runImport(ctx context.Context, s *imports.Service, in imports.StartInput, stdout, stderr io.Writer, tty bool) error {
	ctx = auth.NewContext(ctx, auth.System)
	in.Local = true
	job, err := s.Start(ctx, in)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	bar := &progressBar{w: stderr, tty: tty}
	if err := s.Run(ctx, job.ID, bar.draw); err != nil {
		bar.end()
		if ctx.Err() != nil {
			return fmt.Errorf("import %s interrupted: a server resumes it from where it stopped", job.ID)
		}
		return fmt.Errorf("import %s: %w", job.ID, err)
	}
	bar.end()
	got, err := s.Get(context.WithoutCancel(ctx), job.ID)
	if err != nil {
		return err
	}
	report(stdout, got)
	if got.Status == importjob.StatusFAILED {
		return exitCode(1)
	}
	return nil
}

// report prints what an ended import did: its status, its counts, its refused rows.
func report(w io.Writer, j *ent.ImportJob) {
	what := "import"
	if j.DryRun {
		what = "dry run"
	}
	fmt.Fprintf(w, "%s %s %s: %s rows, %s errors\n", what, j.ID, j.Status, thousands(j.Total), thousands(j.ErrorCount))
	outcomes := make([]string, 0, len(j.Summary))
	for k := range j.Summary {
		outcomes = append(outcomes, k)
	}
	sort.Strings(outcomes)
	for _, k := range outcomes {
		fmt.Fprintf(w, "  %-10s %s\n", k, thousands(j.Summary[k]))
	}
	for _, e := range j.Errors {
		field := e.Field
		if field == "" {
			field = "-"
		}
		fmt.Fprintf(w, "row %d\t%s\t%s\n", e.Row, field, e.Message)
	}
	if n := j.ErrorCount - len(j.Errors); n > 0 {
		fmt.Fprintf(w, "… and %s more errors\n", thousands(n))
	}
	if imports.HasRejects(j) {
		fmt.Fprintf(w, "refused rows: GET /imports/%s/rejects.csv\n", j.ID)
	}
}

// progressBar draws an import's progress: redrawn in place on a terminal, one line per tenth
// otherwise (a log keeps every line).
type progressBar struct {
	w      io.Writer
	tty    bool
	tenths int // the last tenth printed (not a terminal)
	drawn  bool
}

func (b *progressBar) draw(j *ent.ImportJob) {
	done, verb := j.Done, "rows"
	if j.Cursor == "" && j.Status == importjob.StatusRUNNING && j.Done == 0 {
		done, verb = j.Summary["checked"], "rows checked"
	}
	line := bar(done, j.Total, verb, j.ErrorCount)
	if b.tty {
		fmt.Fprintf(b.w, "\r%s", line)
		b.drawn = true
		return
	}
	if j.Total == 0 {
		return
	}
	switch tenths := done * 10 / j.Total; {
	case verb == "rows" && tenths > b.tenths:
		b.tenths = tenths
	case verb == "rows" || b.drawn:
		return // the check is reported once
	}
	b.drawn = true
	fmt.Fprintln(b.w, line)
}

// end finishes the terminal's line.
func (b *progressBar) end() {
	if b.tty && b.drawn {
		fmt.Fprintln(b.w)
	}
}

// bar is one drawing: [#####-----] 2,500/5,000 rows · 0 errors.
func bar(done, total int, verb string, errs int) string {
	const width = 10
	filled := 0
	if total > 0 {
		filled = min(width, done*width/total)
	}
	return fmt.Sprintf("[%s%s] %s/%s %s · %s errors", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
		thousands(done), thousands(total), verb, thousands(errs))
}

// thousands writes n with a comma every three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// isTerminal says whether w is a terminal (a character device), where the bar is redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
