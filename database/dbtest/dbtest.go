// Package dbtest gives tests a fresh, migrated Ordo store on SQLite and on PostgreSQL, so that the same
// test runs on both. PostgreSQL comes from ORDO_TEST_DATABASE_URL (default: the local server); when it
// cannot be reached the PostgreSQL half is skipped with a loud message, unless
// ORDO_TEST_REQUIRE_POSTGRES=1, in which case it fails. Stores are migrated through the same
// versioned migrations as `ordo migrate`, once per migration version: a migrated template (a SQLite
// file in the temporary directory, a PostgreSQL database named ordo_template_<hash>) is copied for
// each test. Every pool a test opens here is bounded (MaxConns) so that the suite fits on a
// PostgreSQL whose connections are shared with other clients.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/database"
)

// DefaultPostgresURL is the server tests use when ORDO_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// MaxConns bounds every PostgreSQL pool dbtest opens; ordotest's servers use it too.
const MaxConns = 6

// Each runs fn once on a fresh SQLite store and once on a fresh PostgreSQL store, as subtests.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachURL is Each for tests that open the store themselves (another process, a server): it passes a
// migrated, empty store's URL.
func EachURL(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// SQLite opens a migrated store on a new file in the test's temporary directory.
func SQLite(t testing.TB) *database.DB {
	t.Helper()
	return open(t, SQLiteURL(t))
}

// SQLiteURL returns the URL of a migrated SQLite store in a new file.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	u := EmptySQLiteURL(t)
	if err := copySQLiteTemplate(strings.TrimPrefix(u, "sqlite://")); err != nil {
		t.Fatalf("migrated SQLite store: %v", err)
	}
	return u
}

// EmptySQLiteURL returns the URL of a new SQLite file that has not been migrated. The file is not in
// t.TempDir(): that directory is named after the test, and a subtest's name may hold '#' or '?',
// which would cut the URL short and open another file.
func EmptySQLiteURL(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ordo-sqlite-")
	if err != nil {
		t.Fatalf("SQLite store directory: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return "sqlite://" + filepath.Join(dir, "ordo.db")
}

// Postgres opens a migrated store on a new PostgreSQL database, dropped when the test ends.
func Postgres(t testing.TB) *database.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates a new, migrated PostgreSQL database and returns its URL; it is dropped when the
// test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgres(t, true)
}

// EmptyPostgresURL creates a new PostgreSQL database that has not been migrated and returns its
// URL; it is dropped when the test ends.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgres(t, false)
}

// newPostgres creates a database, a copy of the migrated template when migrated is set.
func newPostgres(t testing.TB, migrated bool) string {
	t.Helper()
	admin := os.Getenv("ORDO_TEST_DATABASE_URL")
	if admin == "" {
		admin = DefaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	adb, err := sql.Open("pgx", admin)
	if err == nil {
		err = adb.PingContext(ctx)
	}
	if err != nil {
		if os.Getenv("ORDO_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s is required (ORDO_TEST_REQUIRE_POSTGRES=1) but unreachable: %v", admin, err)
		}
		t.Skipf("\n*** SKIPPING PostgreSQL half: %s unreachable (%v).\n*** Set ORDO_TEST_DATABASE_URL, or ORDO_TEST_REQUIRE_POSTGRES=1 to fail instead. ***", admin, err)
	}
	defer adb.Close()
	adb.SetMaxOpenConns(1)
	name := "ordo_test_" + randomHex(6)
	if migrated {
		if err := createFromTemplate(ctx, adb, admin, name); err != nil {
			t.Fatalf("create test database: %v", err)
		}
	} else if _, err := adb.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		adb, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer adb.Close()
		if _, err := adb.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("ORDO_TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// migrate runs the versioned migrations (and River's) on u and closes its connections at once, so
// that they do not count against the server's limit.
func migrate(ctx context.Context, u string) error {
	db, err := database.OpenWith(ctx, u, database.Options{MaxConns: MaxConns})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", db.Redacted(), err)
	}
	return nil
}

func open(t testing.TB, u string) *database.DB {
	t.Helper()
	db, err := database.OpenWith(context.Background(), u, database.Options{MaxConns: MaxConns})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}
