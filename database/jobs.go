package database

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// JobDriver returns River's driver for the store, over the same connections as ent so that a job
// inserted in an ent transaction (ent.Tx.SQLTx) commits with it: River's SQLite driver, or its
// database/sql driver on PostgreSQL. Neither listens for notifications; River polls for new jobs.
func (d *DB) JobDriver() riverdriver.Driver[*sql.Tx] {
	if d.IsPostgres() {
		return riverdatabasesql.New(d.SQL)
	}
	return riversqlite.New(d.SQL)
}

// migrateJobs brings River's tables up to date.
func (d *DB) migrateJobs(ctx context.Context) error {
	m, err := rivermigrate.New(d.JobDriver(), nil)
	if err != nil {
		return fmt.Errorf("migrate jobs: %w", err)
	}
	if d.IsPostgres() { // under the advisory lock Migrate holds
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("migrate jobs: %w", err)
		}
		return nil
	}
	// On SQLite, in one immediate transaction: a second process starting at once waits for the
	// write lock, then finds nothing left to do.
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate jobs: %w", err)
	}
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("migrate jobs: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate jobs: %w", err)
	}
	return nil
}

// Exclusive runs fn while this process holds the lock named key, so that work which must not run
// in two replicas at once (the outbound relay) runs in one. On PostgreSQL the lock is a session
// advisory lock on a connection of its own: while another process holds it, Exclusive tries again
// every retry; if the connection is lost, fn's context is cancelled. On SQLite, where one process
// owns the store, fn runs at once. Exclusive returns fn's error, or nil when ctx ends first.
func (d *DB) Exclusive(ctx context.Context, key int64, retry time.Duration, fn func(context.Context) error) error {
	if !d.IsPostgres() {
		return fn(ctx)
	}
	for {
		conn, err := d.SQL.Conn(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("exclusive %d: %w", key, err)
		}
		var got bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
			_ = conn.Close()
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("exclusive %d: %w", key, err)
		}
		if !got {
			_ = conn.Close()
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(retry):
			}
			continue
		}
		err = holding(ctx, conn, retry, fn)
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		_ = conn.Close()
		return err
	}
}

// Singleton runs fn in whichever replica holds the lock named key (Exclusive), for as long as ctx
// lasts: when fn returns, or the lock's connection is lost, it is run again, after a backoff that
// grows while fn fails (logged as what's); fn should return only on failure or when ctx ends.
func (d *DB) Singleton(ctx context.Context, key int64, what string, log *slog.Logger, fn func(context.Context) error) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := d.Exclusive(ctx, key, 2*time.Second, fn)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.WarnContext(ctx, what+" stopped; resuming", "err", err, "in", backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// holding runs fn while checking, every interval, that the connection holding the lock is alive.
func holding(ctx context.Context, conn *sql.Conn, interval time.Duration, fn func(context.Context) error) error {
	fnCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := conn.PingContext(fnCtx); err != nil {
					cancel()
					return
				}
			}
		}
	}()
	err := fn(fnCtx)
	if ctx.Err() != nil {
		return nil
	}
	return err
}
