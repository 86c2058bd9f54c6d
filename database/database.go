// Package database opens Ordo's store (SQLite by default, PostgreSQL when configured), migrates its
// schema and runs transactions with retries. It is the one place that knows which dialect is in use:
// everything dialect-specific in Ordo lives in this package.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver

	"github.com/ordo-oms/ordo/ent"
)

// DefaultURL is used when ORDO_DATABASE_URL is empty: a SQLite file in the working directory.
const DefaultURL = "sqlite://ordo.db"

// DB is an open store: the ent client plus what only this package should know about it.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	URL     string

	health *health
}

// DefaultMaxConns bounds a PostgreSQL pool when Options.MaxConns is 0 (ORDO_DB_MAX_CONNS's default).
const DefaultMaxConns = 32

// Options tune how a store is opened.
type Options struct {
	// MaxConns bounds the PostgreSQL connections the pool opens (ORDO_DB_MAX_CONNS): every query,
	// transaction, River job and the relay's lock take theirs from it; ListenEvents opens one more
	// of its own. 0 means DefaultMaxConns. SQLite always uses one connection.
	MaxConns int
}

// Open connects to the store named by rawURL with the default options.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	return OpenWith(ctx, rawURL, Options{})
}

// OpenWith connects to the store named by rawURL: sqlite://relative.db, sqlite:///abs/path.db, or
// postgres://… (postgresql:// too). It does not migrate.
func OpenWith(ctx context.Context, rawURL string, opt Options) (*DB, error) {
	if opt.MaxConns <= 0 {
		opt.MaxConns = DefaultMaxConns
	}
	if rawURL == "" {
		rawURL = DefaultURL
	}
	var (
		db  *sql.DB
		dia string
		err error
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dia = dialect.Postgres
		db, err = sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(opt.MaxConns)
		db.SetMaxIdleConns(opt.MaxConns)
		db.SetConnMaxIdleTime(5 * time.Minute)
	case strings.HasPrefix(rawURL, "sqlite:"):
		dia = dialect.SQLite
		path, err := sqlitePath(rawURL)
		if err != nil {
			return nil, err
		}
		db, err = sql.Open("sqlite", sqliteDSN(path))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// SQLite has one writer at a time. One connection queues writers in Go instead of making
		// them spin on SQLITE_BUSY, and makes autoincrement order equal commit order (events rely on it).
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
	default:
		return nil, fmt.Errorf("ORDO_DATABASE_URL %q: want sqlite://path or postgres://…", redact(rawURL))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(rawURL), err)
	}
	drv := entsql.OpenDB(dia, db)
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: db, Dialect: dia, URL: rawURL, health: &health{commitsClear: dia == dialect.Postgres}}, nil
}

// Close releases the connections.
func (d *DB) Close() error { return d.Client.Close() }

// IsPostgres reports whether the store is PostgreSQL.
func (d *DB) IsPostgres() bool { return d.Dialect == dialect.Postgres }

func sqlitePath(raw string) (string, error) {
	rest := strings.TrimPrefix(raw, "sqlite:")
	rest = strings.TrimPrefix(rest, "//")
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return "", fmt.Errorf("ORDO_DATABASE_URL %q: no file path", raw)
	}
	return rest, nil
}

func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// redact hides a password in a connection URL so that it can be logged.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Redacted returns the store's URL with any password hidden.
func (d *DB) Redacted() string { return redact(d.URL) }

var errRetriesExhausted = errors.New("transaction kept conflicting; gave up")
