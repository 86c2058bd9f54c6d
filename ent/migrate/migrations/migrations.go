// Package migrations holds Ordo's versioned schema migrations: one directory of Atlas migration files
// per dialect (sqlite/, postgres/), each with its atlas.sum, embedded in the binary. `ordo migrate`
// applies them (database.Migrate); `make migration NAME=…` writes the next one from the ent schema
// (ent/migrate/gen); `make check-migrations` fails when they and the ent schema disagree. Files are
// written by the generator and only edited by hand for what ent cannot model (the events trigger),
// after which `make migration-hash` updates atlas.sum.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"

	"ariga.io/atlas/sql/migrate"
)

//go:embed sqlite/*.sql sqlite/atlas.sum postgres/*.sql postgres/atlas.sum
var files embed.FS

// Dir returns the migration directory of one dialect ("sqlite" or "postgres", as ent names them)
// as an Atlas directory held in memory.
func Dir(dialect string) (migrate.Dir, error) {
	entries, err := fs.ReadDir(files, dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations for %q: %w", dialect, err)
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		b, err := fs.ReadFile(files, dialect+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}
