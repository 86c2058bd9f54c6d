package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ordo-oms/ordo/ent"
)

const maxAttempts = 8

// Tx runs fn in a transaction and commits it, retrying the whole function when the database reports a
// transient conflict (PostgreSQL serialization failure or deadlock, SQLite busy). fn must not keep
// anything from a failed attempt. Any other error rolls back and is returned as it is.
func (d *DB) Tx(ctx context.Context, fn func(tx *ent.Tx) error) (err error) {
	ctx, span := tracer.Start(ctx, "db.tx", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("db.system.name", d.system())))
	defer func() {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	backoff := 2 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := d.txOnce(ctx, fn)
		d.health.observe(err)
		if err == nil || !isTransient(err) {
			span.SetAttributes(attribute.Int("db.tx.attempts", attempt))
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("%w: %w", errRetriesExhausted, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

// tracer makes the transactions' spans; it does nothing unless tracing is set up.
var tracer = otel.Tracer("github.com/ordo-oms/ordo/database")

// system names the store as OpenTelemetry's db.system.name does.
func (d *DB) system() string {
	if d.IsPostgres() {
		return "postgresql"
	}
	return "sqlite"
}

func (d *DB) txOnce(ctx context.Context, fn func(tx *ent.Tx) error) (err error) {
	tx, err := d.Client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isTransient reports whether retrying the transaction may succeed.
func isTransient(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint violation, on either database.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsNoRows reports whether err says a statement returned no row, as an upsert that did nothing does.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Savepoint runs fn inside a savepoint of tx: if fn fails, everything it did is undone and tx
// carries on as before it. Both SQLite and PostgreSQL support savepoints with the same syntax.
func Savepoint(ctx context.Context, tx *ent.Tx, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return fmt.Errorf("rollback to savepoint: %w (after %w)", rerr, err)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}
