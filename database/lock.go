package database

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/ordo-oms/ordo/ent"
)

// Lock takes a lock on name for the rest of tx: another transaction locking the same name waits
// until tx ends. It serializes work that no row guards yet (the first row of a kind, made by two
// requests at once). On PostgreSQL it is an advisory transaction lock on a 64-bit hash of name;
// SQLite runs one writing transaction at a time, so there is nothing to take.
func Lock(ctx context.Context, tx *ent.Tx, name string) error {
	if tx.Dialect() != dialect.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", name); err != nil {
		return fmt.Errorf("lock %q: %w", name, err)
	}
	return nil
}
