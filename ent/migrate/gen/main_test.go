package main

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"
)

func TestCommittedMigrationsMatchTheEntSchema(t *testing.T) {
	ctx := context.Background()
	for _, dl := range dialects {
		t.Run(dl.sub, func(t *testing.T) {
			if dl.name == dialect.Postgres {
				requirePostgres(t)
			}
			dir, err := atlas.NewLocalDir("../migrations/" + dl.sub)
			require.NoError(t, err)
			require.NoError(t, Check(ctx, dl.name, dir))
		})
	}
}

// withoutLastTable is the SQLite migrations with the baseline's last table left out, as if a
// schema change had no migration.
func withoutLastTable(t *testing.T) (*atlas.MemDir, string) {
	t.Helper()
	local, err := atlas.NewLocalDir("../migrations/sqlite")
	require.NoError(t, err)
	files, err := local.Files()
	require.NoError(t, err)
	mem := &atlas.MemDir{}
	for _, f := range files {
		b := string(f.Bytes())
		if f == files[0] {
			i := strings.LastIndex(b, "-- Create ")
			require.Positive(t, i)
			b = b[:i]
		}
		require.NoError(t, mem.WriteFile(f.Name(), []byte(b)))
	}
	sum, err := mem.Checksum()
	require.NoError(t, err)
	require.NoError(t, atlas.WriteSumFile(mem, sum))
	last := string(files[0].Bytes())
	table := last[strings.LastIndex(last, "-- Create "):]
	return mem, table
}

func TestCheckFailsWhenTheEntSchemaHasNoMigration(t *testing.T) {
	mem, missing := withoutLastTable(t)
	err := Check(context.Background(), dialect.SQLite, mem)
	require.ErrorContains(t, err, "disagree")
	require.ErrorContains(t, err, strings.SplitN(missing, "\n", 2)[0], "the error shows the missing migration")
}

func TestCheckFailsWhenAtlasSumIsStale(t *testing.T) {
	mem, _ := withoutLastTable(t)
	files, err := mem.Files()
	require.NoError(t, err)
	require.NoError(t, mem.WriteFile(files[0].Name(), append(files[0].Bytes(), []byte("-- edited by hand\n")...)))
	require.ErrorIs(t, Check(context.Background(), dialect.SQLite, mem), atlas.ErrChecksumMismatch)
}

func TestWriteAddsTheNextMigration(t *testing.T) {
	ctx := context.Background()
	mem, missing := withoutLastTable(t)
	before, err := mem.Files()
	require.NoError(t, err)
	wrote, err := Write(ctx, dialect.SQLite, mem, "add_the_table")
	require.NoError(t, err)
	require.True(t, wrote)
	files, err := mem.Files()
	require.NoError(t, err)
	require.Len(t, files, len(before)+1)
	added := files[len(before)]
	require.True(t, strings.HasSuffix(added.Name(), "_add_the_table.sql"), added.Name())
	require.Contains(t, string(added.Bytes()), strings.SplitN(missing, "\n", 2)[1])
	require.NoError(t, Check(ctx, dialect.SQLite, mem), "the sum was updated and nothing is missing any more")
	wrote, err = Write(ctx, dialect.SQLite, mem, "again")
	require.NoError(t, err)
	require.False(t, wrote, "nothing more to write")
}

// requirePostgres skips unless the test server is reachable, or fails when
// ORDO_TEST_REQUIRE_POSTGRES=1, as database/dbtest does.
func requirePostgres(t *testing.T) {
	t.Helper()
	admin := os.Getenv("ORDO_TEST_DATABASE_URL")
	if admin == "" {
		admin = defaultPostgresURL
	}
	db, err := sql.Open("pgx", admin)
	if err == nil {
		defer db.Close()
		err = db.Ping()
	}
	if err == nil {
		return
	}
	if os.Getenv("ORDO_TEST_REQUIRE_POSTGRES") == "1" {
		t.Fatalf("PostgreSQL at %s is required but unreachable: %v", admin, err)
	}
	t.Skipf("PostgreSQL at %s unreachable: %v", admin, err)
}
