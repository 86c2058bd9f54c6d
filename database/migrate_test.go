package database_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/riverqueue/river/rivermigrate"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/location"
)

// eachEmpty runs fn on an empty SQLite store and an empty PostgreSQL store, as subtests.
func eachEmpty(t *testing.T, fn func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, dbtest.EmptySQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, dbtest.EmptyPostgresURL(t)) })
}

func open(t *testing.T, url string) *database.DB {
	t.Helper()
	db, err := database.OpenWith(context.Background(), url, database.Options{MaxConns: dbtest.MaxConns})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// revision is one row of the migration history.
type revision struct {
	version string
	typ     int
	applied int
	total   int
}

func history(t *testing.T, db *database.DB) []revision {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), "SELECT version, type, applied, total FROM atlas_schema_revisions ORDER BY version")
	require.NoError(t, err)
	defer rows.Close()
	var out []revision
	for rows.Next() {
		var r revision
		require.NoError(t, rows.Scan(&r.version, &r.typ, &r.applied, &r.total))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

// Atlas's revision types.
const (
	revisionBaseline = 1
	revisionExecute  = 2
)

func usable(t *testing.T, db *database.DB) {
	t.Helper()
	ctx := context.Background()
	_, err := db.Client.Location.Create().SetCode("BKK").SetName("Bangkok").SetKind(location.KindWAREHOUSE).Save(ctx)
	require.NoError(t, err)
	n, err := db.Client.Location.Query().Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

func TestMigrateFromEmpty(t *testing.T) {
	eachEmpty(t, func(t *testing.T, url string) {
		db := open(t, url)
		ctx := context.Background()
		require.NoError(t, db.Migrate(ctx))
		h := history(t, db)
		require.NotEmpty(t, h)
		for _, r := range h {
			require.Equal(t, revisionExecute, r.typ, "%s ran", r.version)
			require.Positive(t, r.total, r.version)
			require.Equal(t, r.total, r.applied, "%s ran whole", r.version)
		}
		usable(t, db)
		var jobs int
		require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM river_job").Scan(&jobs), "River's tables are migrated too")

		require.NoError(t, db.Migrate(ctx), "a second run finds nothing to do")
		require.Equal(t, h, history(t, db))
		n, err := db.Client.Location.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "and keeps the data")
	})
}

// previousRelease loads the schema the release before versioned migrations auto-migrated into
// (ent's tables, the events trigger, River's tables) and one location, as such a store has.
func previousRelease(t *testing.T, db *database.DB) {
	t.Helper()
	ctx := context.Background()
	file := "testdata/previous-release/sqlite.sql"
	if db.IsPostgres() {
		file = "testdata/previous-release/postgres.sql"
	}
	ddl, err := os.ReadFile(file)
	require.NoError(t, err)
	_, err = db.SQL.ExecContext(ctx, string(ddl))
	require.NoError(t, err)
	m, err := rivermigrate.New(db.JobDriver(), nil)
	require.NoError(t, err)
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	require.NoError(t, err)
	// The release's own data, written as that release wrote it (today's client knows columns it
	// did not have).
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO locations (id, created_at, updated_at, code, name, kind)
		VALUES ('loc_01JPREVIOUSRELEASE00000000', '2026-12-01 00:00:00', '2026-12-01 00:00:00', 'BKK', 'Bangkok', 'WAREHOUSE')`)
	require.NoError(t, err)
}

func TestMigrateAdoptsThePreviousRelease(t *testing.T) {
	eachEmpty(t, func(t *testing.T, url string) {
		db := open(t, url)
		ctx := context.Background()
		previousRelease(t, db)
		require.NoError(t, db.Migrate(ctx))
		h := history(t, db)
		require.NotEmpty(t, h)
		require.Equal(t, revisionBaseline, h[0].typ, "the baseline is marked applied, not run: %+v", h[0])
		for _, r := range h[1:] {
			require.Equal(t, revisionExecute, r.typ, "newer migrations run: %+v", r)
			require.Equal(t, r.total, r.applied, r.version)
		}
		n, err := db.Client.Location.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "the store's data is kept")
		_, err = db.Client.Location.Create().SetCode("CGK").SetName("Jakarta").SetKind(location.KindWAREHOUSE).Save(ctx)
		require.NoError(t, err)
		require.NoError(t, db.Migrate(ctx))
		require.Equal(t, h, history(t, db))
	})
}

func TestMigrateRefusesAStoreThatDiffersFromTheBaseline(t *testing.T) {
	eachEmpty(t, func(t *testing.T, url string) {
		db := open(t, url)
		ctx := context.Background()
		previousRelease(t, db)
		_, err := db.SQL.ExecContext(ctx, "DROP INDEX variants_sku_key")
		require.NoError(t, err)
		err = db.Migrate(ctx)
		require.ErrorContains(t, err, "differs from the baseline")
		require.ErrorContains(t, err, "variants_sku_key")
		require.ErrorContains(t, db.Migrate(ctx), "differs from the baseline", "nothing was recorded as applied")
	})
}

func TestMigrateFromSeveralProcessesAtOnce(t *testing.T) {
	eachEmpty(t, func(t *testing.T, url string) {
		const replicas = 4
		dbs := make([]*database.DB, replicas)
		for i := range dbs {
			dbs[i] = open(t, url) // a pool of its own, as another process would have
		}
		start := make(chan struct{})
		errs := make([]error, replicas)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				errs[i] = db.Migrate(context.Background())
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "replica %d", i)
		}
		h := history(t, dbs[0])
		for _, r := range h {
			require.Equal(t, revisionExecute, r.typ)
			require.Equal(t, r.total, r.applied)
		}
		usable(t, dbs[1])
	})
}
