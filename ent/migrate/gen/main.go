// Command gen writes Ordo's versioned migrations from the ent schema, for every dialect, and checks
// that the committed ones agree with it. It replays the existing files of each dialect on a scratch
// database (SQLite in memory; a temporary PostgreSQL database on ORDO_TEST_DATABASE_URL, by default
// the local server), compares the result with the ent schema through Atlas and writes the
// difference as the next file, updating atlas.sum.
//
//	go run ./ent/migrate/gen NAME     write the next migration, named NAME, for both dialects
//	go run ./ent/migrate/gen -check   exit 1 when the ent schema and the files disagree, or atlas.sum is stale
//	go run ./ent/migrate/gen -hash    rewrite atlas.sum after a file was edited by hand
//
// `make migration NAME=…`, `make check-migrations` and `make migration-hash` run it.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the scratch PostgreSQL database
	_ "modernc.org/sqlite"             // the "sqlite" driver for the scratch SQLite database

	"github.com/ordo-oms/ordo/ent/migrate"
)

// defaultPostgresURL is the server the scratch PostgreSQL database is created on when
// ORDO_TEST_DATABASE_URL is unset.
const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// dialects are the migration directories: the subdirectory of each ent dialect.
var dialects = []struct{ name, sub string }{{dialect.SQLite, "sqlite"}, {dialect.Postgres, "postgres"}}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "migrations:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	dir := fs.String("dir", "ent/migrate/migrations", "the migrations directory (one subdirectory per dialect)")
	check := fs.Bool("check", false, "fail when the ent schema and the migration files disagree")
	hash := fs.Bool("hash", false, "rewrite atlas.sum of every dialect")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, dl := range dialects {
		d := dl.name
		local, err := atlas.NewLocalDir(filepath.Join(*dir, dl.sub))
		if err != nil {
			return err
		}
		switch {
		case *hash:
			sum, err := local.Checksum()
			if err != nil {
				return err
			}
			if err := atlas.WriteSumFile(local, sum); err != nil {
				return err
			}
			fmt.Fprintf(out, "%s: atlas.sum updated\n", dl.sub)
		case *check:
			if err := Check(ctx, d, local); err != nil {
				return fmt.Errorf("%s: %w", dl.sub, err)
			}
			fmt.Fprintf(out, "%s: migrations match the ent schema\n", dl.sub)
		default:
			if fs.NArg() != 1 || !validName.MatchString(fs.Arg(0)) {
				return errors.New("usage: gen NAME (letters, digits and underscores), gen -check or gen -hash")
			}
			wrote, err := Write(ctx, d, local, fs.Arg(0))
			if err != nil {
				return fmt.Errorf("%s: %w", dl.sub, err)
			}
			if !wrote {
				fmt.Fprintf(out, "%s: no changes; nothing written\n", dl.sub)
				continue
			}
			fmt.Fprintf(out, "%s: wrote the next migration and atlas.sum in %s\n", dl.sub, local.Path())
		}
	}
	return nil
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Write adds the migration that takes dir's schema to the ent schema, named name; it reports
// false when there is nothing to add.
func Write(ctx context.Context, d string, dir atlas.Dir, name string) (bool, error) {
	err := diff(ctx, d, dir, name)
	if errors.Is(err, atlas.ErrNoPlan) {
		return false, nil
	}
	return err == nil, err
}

// Check fails when dir's atlas.sum does not match its files, or when replaying dir does not give
// the ent schema; the error shows the missing migration.
func Check(ctx context.Context, d string, dir atlas.Dir) error {
	if err := atlas.Validate(dir); err != nil {
		return fmt.Errorf("%w (after editing a file by hand, run `make migration-hash`)", err)
	}
	files, err := dir.Files()
	if err != nil {
		return err
	}
	mem := &atlas.MemDir{}
	if err := mem.CopyFiles(files); err != nil {
		return err
	}
	sum, err := mem.Checksum()
	if err != nil {
		return err
	}
	if err := atlas.WriteSumFile(mem, sum); err != nil {
		return err
	}
	err = diff(ctx, d, mem, "drift")
	if errors.Is(err, atlas.ErrNoPlan) {
		return nil
	}
	if err != nil {
		return err
	}
	after, err := mem.Files()
	if err != nil {
		return err
	}
	var missing strings.Builder
	for _, f := range after[len(files):] {
		missing.Write(f.Bytes())
	}
	return fmt.Errorf("the ent schema and the migration files disagree: run `make migration NAME=describe_the_change` and commit it; the missing migration is:\n%s", missing.String())
}

// diff replays dir on a scratch database of dialect d and writes the difference to the ent schema
// as a new file of dir; atlas.ErrNoPlan says there is none.
func diff(ctx context.Context, d string, dir atlas.Dir, name string) error {
	db, done, err := scratch(ctx, d)
	if err != nil {
		return err
	}
	defer done()
	return migrate.NewSchema(entsql.OpenDB(d, db)).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithForeignKeys(true),
		schema.WithDropIndex(true),
		schema.WithDropColumn(true),
		schema.WithErrNoPlan(true),
	)
}

// scratch opens an empty database of dialect d and returns what removes it.
func scratch(ctx context.Context, d string) (*sql.DB, func(), error) {
	if d == dialect.SQLite {
		db, err := sql.Open("sqlite", "file:"+randomName()+"?mode=memory&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1) // an in-memory database lives in its one connection
		return db, func() { _ = db.Close() }, nil
	}
	admin := os.Getenv("ORDO_TEST_DATABASE_URL")
	if admin == "" {
		admin = defaultPostgresURL
	}
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		return nil, nil, err
	}
	name := randomName()
	if _, err := adb.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = adb.Close()
		return nil, nil, fmt.Errorf("create a scratch database on %s (set ORDO_TEST_DATABASE_URL): %w", admin, err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_, _ = adb.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = adb.Close()
	}
	u, err := url.Parse(admin)
	if err != nil {
		drop()
		return nil, nil, err
	}
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	db.SetMaxOpenConns(2)
	return db, func() { _ = db.Close(); drop() }, nil
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "ordo_migrate_dev_" + hex.EncodeToString(b)
}
