package database

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/ordo-oms/ordo/ent/migrate"
)

// migrationLock is the PostgreSQL advisory lock key that keeps replicas starting together from
// migrating at the same time.
const migrationLock = 7_312_001

// Migrate brings the schema up to date, River's job tables included. It is safe to run from several
// processes at once.
func (d *DB) Migrate(ctx context.Context) error {
	if !d.IsPostgres() {
		if err := d.Client.Schema.Create(ctx, migrate.WithForeignKeys(true)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return d.migrateJobs(ctx)
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck
	if err := d.Client.Schema.Create(ctx, migrate.WithForeignKeys(true), schema.WithDropIndex(true)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, stmt := range postgresExtras {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return d.migrateJobs(ctx)
}

// postgresExtras are schema objects ent does not model: the trigger that wakes other replicas'
// event readers when events commit (NOTIFY is delivered at commit and deduplicated per transaction).
var postgresExtras = []string{
	`CREATE OR REPLACE FUNCTION ordo_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('` + EventsChannel + `', '');
  RETURN NULL;
END $$`,
	`DROP TRIGGER IF EXISTS ordo_events_notify ON events`,
	`CREATE TRIGGER ordo_events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION ordo_events_notify()`,
}

// EventsChannel is the PostgreSQL LISTEN/NOTIFY channel on which event commits are announced.
const EventsChannel = "ordo_events"
