package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	atlasschema "ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/ordo-oms/ordo/ent/migrate/migrations"
)

// migrationLock is the PostgreSQL advisory lock key that keeps replicas starting together from
// migrating at the same time.
const migrationLock = 7_312_001

// Migrate brings the schema up to date: Ordo's versioned migrations (ent/migrate/migrations), run by
// Atlas's executor and recorded in the atlas_schema_revisions table, then River's job tables.
//
// It is safe to run from several processes at once. On PostgreSQL one process holds an advisory
// lock while it migrates and the others wait for it; on SQLite the migrations run in one immediate
// transaction, so SQLite's single writer makes the others wait. Either way the one that comes second
// finds nothing left to do. A failed migration changes nothing: all pending files run in one
// transaction.
//
// A store made by a release before versioned migrations (auto-migrated: Ordo's tables but no
// revisions) is adopted: when its schema matches the baseline migration, the baseline is recorded
// as applied and the newer migrations run; when it does not, Migrate refuses and names the
// differences.
func (d *DB) Migrate(ctx context.Context) error {
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if d.IsPostgres() {
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck
	}
	err = d.migrateSchema(ctx, conn)
	if !d.IsPostgres() {
		_ = conn.Close() // SQLite's pool has one connection: River needs it back
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return d.migrateJobs(ctx)
}

// migrationsDialect names the store's directory in ent/migrate/migrations.
func (d *DB) migrationsDialect() string {
	if d.IsPostgres() {
		return "postgres"
	}
	return "sqlite"
}

// foreignTables are tables in Ordo's schema that its migrations do not own: River's (its own
// migrations) and the revisions table.
var foreignTables = []string{"river_*", revisionsTable}

// migrateSchema runs the pending versioned migrations on conn in one transaction.
func (d *DB) migrateSchema(ctx context.Context, conn *sql.Conn) (err error) {
	dir, err := migrations.Dir(d.migrationsDialect())
	if err != nil {
		return err
	}
	files, err := dir.Files()
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no migration files for %s (%v)", d.Dialect, err)
	}
	if !d.IsPostgres() {
		// SQLite's way of changing a schema: foreign keys off outside the transaction (migrations that
		// rebuild a table must not cascade), then checked before commit.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return err
		}
		defer func() {
			if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on"); ferr != nil && err == nil {
				err = ferr
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE on SQLite: the write lock from the start
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var drv migrate.Driver
	if d.IsPostgres() {
		drv, err = postgres.Open(tx)
	} else {
		drv, err = sqlite.Open(tx)
	}
	if err != nil {
		return err
	}
	rev := &revisions{tx: tx, postgres: d.IsPostgres()}
	if err := rev.create(ctx); err != nil {
		return err
	}
	applied, err := rev.ReadRevisions(ctx)
	if err != nil {
		return err
	}
	var opts []migrate.ExecutorOption
	if len(applied) == 0 {
		have, err := drv.InspectSchema(ctx, "", &atlasschema.InspectOptions{Exclude: foreignTables})
		if err != nil {
			return fmt.Errorf("inspect: %w", err)
		}
		if len(have.Tables) == 0 {
			// Nothing of Ordo's yet (River's tables and other schemas are not ours to judge).
			opts = append(opts, migrate.WithAllowDirty(true))
		} else {
			if err := d.matchesBaseline(ctx, tx, drv, have, files[0]); err != nil {
				return err
			}
			opts = append(opts, migrate.WithBaselineVersion(files[0].Version()))
		}
	}
	ex, err := migrate.NewExecutor(drv, dir, rev, opts...)
	if err != nil {
		return err
	}
	if err := ex.ExecuteN(ctx, 0); err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
		return err
	}
	if !d.IsPostgres() {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// matchesBaseline fails unless have, the schema of a store that predates versioned migrations, is
// what the baseline migration creates. The baseline is replayed where it changes nothing: a
// throw-away schema rolled back to a savepoint on PostgreSQL, an in-memory database on SQLite.
func (d *DB) matchesBaseline(ctx context.Context, tx *sql.Tx, drv migrate.Driver, have *atlasschema.Schema, baseline migrate.File) error {
	stmts, err := migrate.FileStmts(drv, baseline)
	if err != nil {
		return err
	}
	var want *atlasschema.Schema
	if d.IsPostgres() {
		const scratch = "ordo_baseline_check"
		if _, err := tx.ExecContext(ctx, "SAVEPOINT "+scratch); err != nil {
			return err
		}
		defer tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+scratch) //nolint:errcheck
		for _, s := range []string{"CREATE SCHEMA " + scratch, "SET LOCAL search_path TO " + scratch} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		if err := execAll(ctx, tx, stmts); err != nil {
			return fmt.Errorf("replay the baseline: %w", err)
		}
		if want, err = drv.InspectSchema(ctx, scratch, nil); err != nil {
			return err
		}
	} else {
		mem, err := sql.Open("sqlite", "file:ordo_baseline_check?mode=memory")
		if err != nil {
			return err
		}
		defer mem.Close()
		mem.SetMaxOpenConns(1)
		if err := execAll(ctx, mem, stmts); err != nil {
			return fmt.Errorf("replay the baseline: %w", err)
		}
		memDrv, err := sqlite.Open(mem)
		if err != nil {
			return err
		}
		if want, err = memDrv.InspectSchema(ctx, "", nil); err != nil {
			return err
		}
	}
	want.Name = have.Name
	changes, err := drv.SchemaDiff(have, want)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	plan, err := drv.PlanChanges(ctx, "adopt", changes)
	if err != nil {
		return fmt.Errorf("the store has Ordo's tables but no migration history, and its schema differs from the baseline migration %s in %d ways", baseline.Name(), len(changes))
	}
	var b strings.Builder
	for _, c := range plan.Changes {
		b.WriteString("\n  " + c.Cmd)
	}
	return fmt.Errorf("the store has Ordo's tables but no migration history, and its schema differs from the baseline migration %s; bring it to the baseline by hand, then migrate again. It would take:%s", baseline.Name(), b.String())
}

type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

func execAll(ctx context.Context, db execer, stmts []string) error {
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w: %s", err, s)
		}
	}
	return nil
}

// foreignKeyCheck fails when the migrations left a row whose foreign key points nowhere (SQLite
// checks none while they run).
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("after migrating, table %s row %d references a missing row of %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// EventsChannel is the PostgreSQL LISTEN/NOTIFY channel on which event commits are announced (the
// trigger that announces them is in the baseline migration).
const EventsChannel = "ordo_events"

// SchemaVersion is the version of the last migration applied to the store ("" before any).
func (d *DB) SchemaVersion(ctx context.Context) (string, error) {
	var v sql.NullString
	if err := d.SQL.QueryRowContext(ctx, "SELECT max(version) FROM "+revisionsTable).Scan(&v); err != nil {
		return "", fmt.Errorf("schema version: %w", err)
	}
	return v.String, nil
}
