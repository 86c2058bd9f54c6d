package imports_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/jobs"
)

// rowApplied is what the fake handler writes for each row it applies: one event, so that a test
// counts how often each row was applied.
type rowApplied struct {
	Row int `json:"row"`
}

func (rowApplied) Kind() string { return "test.row_applied" }

// fakeHandler imports a file of lines (after a header): "ok" rows are applied, anything else is
// refused. panicAt, when set, crashes the process (a panic) when a batch starting there is applied.
type fakeHandler struct {
	kind    importjob.Kind
	mu      sync.Mutex
	panicAt int
	crashes int
	checks  int
	// failAt and failErr make Apply fail with failErr for the batch starting at failAt.
	failAt  int
	failErr error
}

type fakePlan []int // the rows' numbers in the file

func (p fakePlan) Len() int { return len(p) }

func (h *fakeHandler) Kind() importjob.Kind { return h.kind }

func (h *fakeHandler) Check(_ context.Context, _ *ent.Client, job *ent.ImportJob, progress func(done, total int)) (imports.Checked, error) {
	h.mu.Lock()
	h.checks++
	h.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(job.Content)), "\n")[1:]
	var c imports.Checked
	var plan fakePlan
	var rejects bytes.Buffer
	for i, l := range lines {
		row := i + 2
		if l == "ok" {
			plan = append(plan, row)
		} else {
			c.Errors = append(c.Errors, imports.RowError{Row: row, Field: "value", Message: "not ok: " + l})
			fmt.Fprintf(&rejects, "%s,not ok\n", l)
		}
		progress(i+1, len(lines))
	}
	c.Plan, c.Total = plan, len(lines)
	if rejects.Len() > 0 {
		c.Rejects = append([]byte("value,error\n"), rejects.Bytes()...)
	}
	return c, nil
}

func (h *fakeHandler) Apply(ctx context.Context, tx *ent.Tx, _ *ent.ImportJob, plan imports.Plan, from, to int) (map[string]int, error) {
	h.mu.Lock()
	crash := h.panicAt > 0 && from == h.panicAt
	if crash {
		h.panicAt = 0 // the process that comes back runs normally
		h.crashes++
	}
	fail := h.failErr != nil && from == h.failAt
	h.mu.Unlock()
	if fail {
		return nil, h.failErr
	}
	rows := plan.(fakePlan)[from:to]
	evs := make([]events.Event, len(rows))
	for i, r := range rows {
		evs[i] = events.Event{Payload: rowApplied{Row: r}}
	}
	if err := events.Append(ctx, tx, evs...); err != nil {
		return nil, err
	}
	if crash {
		panic("the process dies")
	}
	return map[string]int{"created": len(rows)}, nil
}

func file(ok int, bad ...int) []byte {
	var b strings.Builder
	b.WriteString("value\n")
	for i := range ok + len(bad) {
		row := i + 2
		if contains(bad, row) {
			b.WriteString("bad" + strconv.Itoa(row) + "\n")
		} else {
			b.WriteString("ok\n")
		}
	}
	return []byte(b.String())
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// clock is a test's settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// setup returns a service over db whose queue inserts jobs but runs none (the tests run imports
// with Service.Run, as the CLI does), with the fake handler registered.
func setup(t *testing.T, db *database.DB) (*imports.Service, *fakeHandler, *clock) {
	t.Helper()
	clk := &clock{now: time.Now().UTC()}
	q, err := jobs.New(db, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	s := &imports.Service{DB: db, Queue: q, Clock: clk.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := &fakeHandler{kind: importjob.KindPRODUCTS}
	s.Register(h)
	return s, h, clk
}

func applied(t *testing.T, db *database.DB) map[int]int {
	t.Helper()
	evs, err := db.Client.Event.Query().Where(event.Type("test.row_applied")).All(t.Context())
	require.NoError(t, err)
	out := map[int]int{}
	for _, e := range evs {
		row, _ := e.Data["row"].(interface{ String() string })
		var n int
		if row != nil {
			n, _ = strconv.Atoi(row.String())
		} else {
			n = int(e.Data["row"].(float64))
		}
		out[n]++
	}
	return out
}

func load(t *testing.T, db *database.DB, id any) *ent.ImportJob {
	t.Helper()
	j, err := db.Client.ImportJob.Query().Where(importjob.IDEQ(id.(*ent.ImportJob).ID)).Only(t.Context())
	require.NoError(t, err)
	return j
}

func finished(t *testing.T, db *database.DB, j *ent.ImportJob) []events.ImportFinished {
	t.Helper()
	evs, err := db.Client.Event.Query().Where(event.Type(events.KindImportFinished)).All(t.Context())
	require.NoError(t, err)
	var out []events.ImportFinished
	for _, e := range evs {
		if events.ImportOf(e) == string(j.ID) {
			p, err := events.Decode[events.ImportFinished](e)
			require.NoError(t, err)
			out = append(out, p)
		}
	}
	return out
}

func TestRunner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()

		t.Run("a file with bad rows fails whole and writes nothing", func(t *testing.T) {
			s, _, _ := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1200, 5, 700, 1203), FileName: "p.csv", Actor: "tester"})
			require.NoError(t, err)
			require.Equal(t, importjob.StatusQUEUED, j.Status)
			require.NoError(t, s.Run(ctx, j.ID, nil))
			got := load(t, db, j)
			require.Equal(t, importjob.StatusFAILED, got.Status)
			require.Equal(t, 3, got.ErrorCount)
			require.Equal(t, []imports.RowError{{Row: 5, Field: "value", Message: "not ok: bad5"},
				{Row: 700, Field: "value", Message: "not ok: bad700"}, {Row: 1203, Field: "value", Message: "not ok: bad1203"}}, got.Errors)
			require.Empty(t, applied(t, db), "nothing written")
			require.Nil(t, got.Content, "the file is dropped once the import ends")
			require.NotNil(t, got.FinishedAt)
			fin := finished(t, db, got)
			require.Len(t, fin, 1)
			require.Equal(t, "FAILED", fin[0].Status)
			require.Len(t, fin[0].Errors, 3)
		})

		t.Run("a partial import applies the good rows and keeps the rest", func(t *testing.T) {
			clean(t, db)
			s, _, _ := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1100, 3, 4), Partial: true})
			require.NoError(t, err)
			require.NoError(t, s.Run(ctx, j.ID, nil))
			got := load(t, db, j)
			require.Equal(t, importjob.StatusSUCCEEDED, got.Status)
			require.Equal(t, 2, got.ErrorCount)
			require.Equal(t, 1102, got.Total)
			require.Equal(t, 1102, got.Done)
			require.Equal(t, 1100, got.Summary["created"])
			require.True(t, imports.HasRejects(got))
			rows := applied(t, db)
			require.Len(t, rows, 1100)
			require.NotContains(t, rows, 3)
			rej, err := s.Rejects(ctx, j.ID)
			require.NoError(t, err)
			require.Equal(t, "value,error\nbad3,not ok\nbad4,not ok\n", string(rej))
		})

		t.Run("a dry run reports and writes nothing", func(t *testing.T) {
			clean(t, db)
			s, _, _ := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1234), DryRun: true})
			require.NoError(t, err)
			var seen []int
			require.NoError(t, s.Run(ctx, j.ID, func(j *ent.ImportJob) { seen = append(seen, j.Done) }))
			got := load(t, db, j)
			require.Equal(t, importjob.StatusSUCCEEDED, got.Status)
			require.Equal(t, 1234, got.Summary["created"], "the dry run counts what the real run would do")
			require.Empty(t, applied(t, db))
			require.Subset(t, seen, []int{500, 1000, 1234})
		})

		t.Run("a crashed import resumes at its cursor and applies each row once", func(t *testing.T) {
			clean(t, db)
			s, h, clk := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1700)})
			require.NoError(t, err)
			h.panicAt = 1000
			require.Panics(t, func() { _ = s.Run(ctx, j.ID, nil) })
			require.Equal(t, 1, h.crashes)
			mid := load(t, db, j)
			require.Equal(t, importjob.StatusRUNNING, mid.Status)
			require.Equal(t, "1000", mid.Cursor)
			require.Len(t, applied(t, db), 1000, "two batches committed before the crash")
			require.ErrorIs(t, s.Run(ctx, j.ID, nil), imports.ErrBusy, "the claim holds for the lease")
			clk.Add(imports.Lease + time.Second)
			require.NoError(t, s.Run(ctx, j.ID, nil))
			got := load(t, db, j)
			require.Equal(t, importjob.StatusSUCCEEDED, got.Status)
			require.Equal(t, 1700, got.Summary["created"])
			rows := applied(t, db)
			require.Len(t, rows, 1700)
			for row, n := range rows {
				require.Equal(t, 1, n, "row %d applied once", row)
			}
			require.Equal(t, 2, h.checks, "the check runs again on resume")
		})

		t.Run("a cancelled import stops between batches and keeps what it applied", func(t *testing.T) {
			clean(t, db)
			s, _, _ := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(2000)})
			require.NoError(t, err)
			require.NoError(t, s.Run(ctx, j.ID, func(got *ent.ImportJob) {
				if got.Done == 500 {
					_, err := s.Cancel(ctx, j.ID)
					require.NoError(t, err)
				}
			}))
			got := load(t, db, j)
			require.Equal(t, importjob.StatusCANCELLED, got.Status)
			require.Len(t, applied(t, db), 500)
			require.Nil(t, got.Content)
			evs, err := db.Client.Event.Query().Where(event.Type(events.KindImportProgress)).All(ctx)
			require.NoError(t, err)
			told := 0
			for _, e := range evs {
				if p, err := events.Decode[events.ImportProgress](e); err == nil && p.JobID == string(j.ID) && p.CancelRequestedAt != nil {
					told++
				}
			}
			require.Equal(t, 1, told, "followers hear of the request at once")

			queued, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(10)})
			require.NoError(t, err)
			_, err = s.Cancel(ctx, queued.ID)
			require.NoError(t, err)
			require.NoError(t, s.Run(ctx, queued.ID, nil))
			got = load(t, db, queued)
			require.Equal(t, importjob.StatusCANCELLED, got.Status)
			require.Nil(t, got.StartedAt, "a queued import cancelled never runs")
			require.Len(t, applied(t, db), 500)
		})

		t.Run("a handler's permanent error fails the import; a passing one lets it be retried", func(t *testing.T) {
			clean(t, db)
			s, h, _ := setup(t, db)
			j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1200)})
			require.NoError(t, err)
			h.failAt, h.failErr = 500, errors.New("connection reset")
			require.ErrorContains(t, s.Run(ctx, j.ID, nil), "connection reset", "retried by the queue")
			require.Equal(t, importjob.StatusRUNNING, load(t, db, j).Status)
			h.failErr = fault.New(fault.InvalidArgument, "SKU X: the store refuses it")
			require.NoError(t, s.Run(ctx, j.ID, nil), "released: the retry resumes at once, and ends the import")
			got := load(t, db, j)
			require.Equal(t, importjob.StatusFAILED, got.Status)
			require.Equal(t, []imports.RowError{{Message: "SKU X: the store refuses it"}}, got.Errors)
			require.Equal(t, "500", got.Cursor)
			require.Len(t, applied(t, db), 500, "the first batch stays applied")
		})

		t.Run("bad input is refused and writes nothing", func(t *testing.T) {
			clean(t, db)
			s, _, _ := setup(t, db)
			before, err := db.Client.ImportJob.Query().Count(ctx)
			require.NoError(t, err)
			for name, in := range map[string]imports.StartInput{
				"empty file":         {Kind: importjob.KindPRODUCTS},
				"no handler":         {Kind: importjob.KindSTOCK, Content: file(1)},
				"unknown kind":       {Kind: "NOPE", Content: file(1)},
				"location on a file": {Kind: importjob.KindPRODUCTS, Content: file(1), LocationID: "loc_x"},
				"too large":          {Kind: importjob.KindPRODUCTS, Content: make([]byte, imports.MaxContent+1)},
			} {
				_, err := s.Start(ctx, in)
				require.True(t, fault.Is(err, fault.InvalidArgument), "%s: %v", name, err)
			}
			after, err := db.Client.ImportJob.Query().Count(ctx)
			require.NoError(t, err)
			require.Equal(t, before, after)
		})
	})
}

// The queue runs an import started on a server, to its end.
func TestQueueRunsImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		s := &imports.Service{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		s.Register(&fakeHandler{kind: importjob.KindPRODUCTS})
		workers := river.NewWorkers()
		s.RegisterWorker(workers)
		q, err := jobs.New(db, jobs.Config{Workers: workers, Logger: s.Log})
		require.NoError(t, err)
		s.Queue = q
		require.NoError(t, q.Start(context.WithoutCancel(ctx)))
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(stopCtx)
		})
		j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(800)})
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			got, err := s.Get(ctx, j.ID)
			return err == nil && got.Status == importjob.StatusSUCCEEDED
		}, 20*time.Second, 20*time.Millisecond)
		require.Len(t, applied(t, db), 800)
	})
}

// clean forgets the rows earlier subtests applied.
func clean(t *testing.T, db *database.DB) {
	t.Helper()
	_, err := db.Client.Event.Delete().Where(event.Type("test.row_applied")).Exec(t.Context())
	require.NoError(t, err)
}

// A worker that dies mid-import (a panic: nothing of the runner's cleans up) leaves its job
// RUNNING at its cursor; River retries it, and once the lease has run out the retry resumes there:
// every row applied once.
func TestQueueResumesACrashedImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		clk := &clock{now: time.Now().UTC()}
		h := &fakeHandler{kind: importjob.KindPRODUCTS, panicAt: 1000}
		s := &imports.Service{DB: db, Clock: clk.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		s.Register(h)
		workers := river.NewWorkers()
		s.RegisterWorker(workers)
		q, err := jobs.New(db, jobs.Config{Workers: workers, Logger: s.Log})
		require.NoError(t, err)
		s.Queue = q
		require.NoError(t, q.Start(context.WithoutCancel(ctx)))
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(stopCtx)
		})
		j, err := s.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS, Content: file(1700)})
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.crashes == 1
		}, 20*time.Second, 10*time.Millisecond)
		mid := load(t, db, j)
		require.Equal(t, importjob.StatusRUNNING, mid.Status)
		require.Equal(t, "1000", mid.Cursor)
		clk.Add(imports.Lease + time.Second) // the dead worker's claim runs out
		require.Eventually(t, func() bool {
			got, err := s.Get(ctx, j.ID)
			return err == nil && got.Status == importjob.StatusSUCCEEDED
		}, 30*time.Second, 20*time.Millisecond)
		rows := applied(t, db)
		require.Len(t, rows, 1700)
		for row, n := range rows {
			require.Equal(t, 1, n, "row %d applied once", row)
		}
		got := load(t, db, j)
		require.Equal(t, 1700, got.Summary["created"])
	})
}
