// Package jobs runs Ordo's durable background work on River (riverqueue/river): channel webhooks
// and pulls into orders, stock levels out to channels, shipment and cancellation confirmations.
// Jobs live in the store's own tables and are inserted in the transaction of the change that asks
// for them, so that an acknowledged change never loses its follow-up work, and a job survives a
// restart; any replica may run any job.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/tracing"
)

// The queues Ordo's work runs on, so that a backlog of one kind never holds up another.
const (
	QueueIngest  = "ingest"  // channel webhooks and pulls into orders
	QueueStock   = "stock"   // stock levels out to channels
	QueueChannel = "channel" // shipment and cancellation confirmations
	// QueueAuth refreshes channel tokens, apart from the work that waits for them.
	QueueAuth = "auth"
	// QueueImports runs catalogue and stock imports: long, heavy jobs, at most importWorkers at a
	// time per process so that they never starve the rest.
	QueueImports = "imports"
)

// importWorkers is how many imports a process runs at once.
const importWorkers = 2

// Queues are all of Ordo's queues.
var Queues = []string{QueueIngest, QueueStock, QueueChannel, QueueAuth, QueueImports}

// Config shapes a Queue.
type Config struct {
	// Workers are the job kinds this process runs; nil makes an insert-only queue.
	Workers *river.Workers
	// Periodic are jobs River inserts on a schedule (on one replica at a time).
	Periodic []*river.PeriodicJob
	// Concurrency is how many jobs of each queue run at once in this process (default 8; SQLite
	// runs at most 4, having one connection).
	Concurrency int
	// PollInterval is how often an idle queue looks for new jobs (default 50ms; 200ms on SQLite):
	// the store's drivers do not listen for notifications, so this bounds the latency of a new job.
	PollInterval time.Duration
	Logger       *slog.Logger
	// Tracing carries the trace context into jobs and makes each job's work a span.
	Tracing bool
}

// Queue inserts and runs jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	ui     *ui
}

// New returns a queue over db. It runs nothing until Start.
func New(db *database.DB, cfg Config) (*Queue, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if !db.IsPostgres() {
		cfg.Concurrency = min(cfg.Concurrency, 4)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 50 * time.Millisecond
		if !db.IsPostgres() {
			cfg.PollInterval = 200 * time.Millisecond // one connection, shared with every request
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	rc := &river.Config{
		Logger:                      slog.New(quiet{cfg.Logger.Handler()}).With("component", "jobs"),
		FetchCooldown:               5 * time.Millisecond,
		FetchPollInterval:           cfg.PollInterval,
		JobTimeout:                  2 * time.Minute,
		MaxAttempts:                 25,
		RetryPolicy:                 backoff{},
		CompletedJobRetentionPeriod: time.Hour,
		PollOnly:                    true,
		Middleware:                  []rivertype.Middleware{&soon{}, &settle{db: db, log: cfg.Logger}},
	}
	if cfg.Tracing {
		rc.Middleware = append([]rivertype.Middleware{tracing.JobMiddleware()}, rc.Middleware...)
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.PeriodicJobs = cfg.Periodic
		rc.Queues = map[string]river.QueueConfig{}
		for _, q := range Queues {
			rc.Queues[q] = river.QueueConfig{MaxWorkers: cfg.Concurrency}
		}
		rc.Queues[QueueImports] = river.QueueConfig{MaxWorkers: min(cfg.Concurrency, importWorkers)}
	}
	c, err := river.NewClient(db.JobDriver(), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q := &Queue{client: c}
	if q.ui, err = newUI(q, cfg.Logger); err != nil {
		return nil, err
	}
	return q, nil
}

// Start runs the queue's workers until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	if err := q.ui.start(ctx); err != nil {
		return err
	}
	return nil
}

// Stop lets running jobs finish (until ctx ends) and stops fetching new ones.
func (q *Queue) Stop(ctx context.Context) error {
	q.ui.halt()
	err := q.client.Stop(ctx)
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// InsertTx inserts jobs in tx: they exist if and only if tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *ent.Tx, params ...river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	sqlTx := tx.SQLTx()
	if sqlTx == nil {
		return errors.New("jobs: the transaction does not run on database/sql")
	}
	if _, err := q.client.InsertManyTx(ctx, sqlTx, params); err != nil {
		return fmt.Errorf("jobs: insert: %w", err)
	}
	return nil
}

// Insert inserts one job on its own; unique jobs that already wait are not inserted again, which
// Insert reports with duplicate.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (duplicate bool, err error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return false, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.UniqueSkippedAsDuplicate, nil
}

// backoff retries failed jobs after 1s, 2s, 4s… up to 10 minutes, with jitter, so that a channel
// that was briefly down is caught up within seconds and one that is down for long is not hammered.
type backoff struct{}

func (backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := time.Second << min(job.Attempt-1, 10)
	d = min(d, 10*time.Minute)
	d += time.Duration(rand.Int64N(int64(d/4) + 1))
	return time.Now().Add(d)
}

// WaitingStates are the states in which a unique job blocks the insert of another like it: every
// state but completed (and cancelled and discarded), so that a change arriving after a job ended
// gets a job of its own. River requires available, pending, running and scheduled.
func WaitingStates() []rivertype.JobState {
	return []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}
}

// quiet passes on River's warnings and errors only: its info lines (producer counts every few
// seconds) would drown Ordo's own.
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && q.Handler.Enabled(ctx, l)
}

func (q quiet) WithAttrs(attrs []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(attrs)} }

func (q quiet) WithGroup(name string) slog.Handler { return quiet{q.Handler.WithGroup(name)} }
