package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ordo-oms/ordo/fault"
)

// The store's failures that callers are told about, instead of an INTERNAL error: the store is
// out of reach or refuses writes (UNAVAILABLE: the same request may succeed later), or it refused
// a value no retry will make storable (INVALID_ARGUMENT). The messages never name the store, its
// address or its own error text.
var (
	errUnreachable   = fault.New(fault.Unavailable, "the store is unavailable; retry shortly")
	errWritesRefused = fault.New(fault.Unavailable, "the store refuses writes (full or read-only); retry later")
	errBusy          = fault.New(fault.Unavailable, "the store is busy; retry shortly")
	errBadText       = fault.New(fault.InvalidArgument, "text must be valid UTF-8 without NUL bytes (\\u0000)")
)

// Fault returns what a caller may learn of a store failure: an UNAVAILABLE fault when the store
// cannot be reached, refuses writes (disk full, read-only, shutting down, out of connections) or
// stays busy, an INVALID_ARGUMENT fault when it refused text it cannot hold (PostgreSQL and NUL
// bytes), and nil for any other error (a bug: INTERNAL). The fault says nothing of err: callers
// log err themselves.
func Fault(err error) *fault.Error {
	switch {
	case err == nil:
		return nil
	case writesRefused(err):
		return errWritesRefused
	case unreachable(err):
		return errUnreachable
	case errors.Is(err, errRetriesExhausted):
		return errBusy
	case badText(err):
		return errBadText
	}
	return nil
}

// IsUnavailable reports whether err is a store failure that a later retry of the same work may
// get past: the store out of reach, refusing writes or busy.
func IsUnavailable(err error) bool {
	f := Fault(err)
	return f != nil && f.Code == fault.Unavailable
}

// unreachable reports whether err says the connection to the store failed or was lost.
func unreachable(err error) bool {
	var (
		pgErr   *pgconn.PgError
		connErr *pgconn.ConnectError
		netErr  net.Error
		sqErr   *sqlite.Error
	)
	switch {
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code[:2] == "08", // connection exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutdown, crash, starting up
			pgErr.Code == "53300": // too many connections
			return true
		}
		return false
	case errors.As(err, &sqErr):
		switch sqErr.Code() & 0xff {
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB:
			return true
		}
		return false
	case errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	}
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.Timeout(err)
}

// writesRefused reports whether err says the store cannot take writes: its disk is full, it is
// read-only (a standby, default_transaction_read_only, a read-only file) or its storage failed.
func writesRefused(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "53100", // disk_full
			"25006", // read_only_sql_transaction
			"58030": // io_error
			return true
		}
		return false
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR:
			return true
		}
	}
	return false
}

// badText reports PostgreSQL's refusal of a string it cannot store in text (a NUL byte, invalid
// UTF-8).
func badText(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05")
}

// refusalHold is how long a write refused by the store (disk full, read-only) keeps PostgreSQL
// not ready unless a transaction commits meanwhile. Past it the store is given traffic again, so
// that an operator who freed the disk does not also have to restart Ordo.
const refusalHold = 30 * time.Second

// health remembers the last write the store refused, for Ready.
type health struct {
	mu sync.Mutex
	// commitsClear says whether any commit shows the store takes writes again. On SQLite it does
	// not: a full file still takes the writes that fit its free pages, so Ready asks the file to grow.
	commitsClear bool
	refused      error
	at           time.Time
}

// observe records the outcome of a transaction.
func (h *health) observe(err error) {
	switch {
	case err == nil:
		if h.commitsClear {
			h.clear()
		}
	case writesRefused(err):
		h.mu.Lock()
		h.refused, h.at = err, time.Now()
		h.mu.Unlock()
	}
}

func (h *health) clear() {
	h.mu.Lock()
	h.refused = nil
	h.mu.Unlock()
}

// lastRefusal is the write the store refused and has not shown it takes since: within refusalHold
// with no commit since on PostgreSQL; until a growth probe succeeds on SQLite.
func (h *health) lastRefusal() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.refused == nil || (h.commitsClear && time.Since(h.at) > refusalHold) {
		return nil
	}
	return h.refused
}

// probeGrowth asks SQLite to grow its file by a few pages, in a transaction it rolls back: it
// fails as a real write would while the disk (or max_page_count) is full or the store read-only.
func (d *DB) probeGrowth(ctx context.Context) error {
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE ordo_ready_probe (b BLOB)"); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO ordo_ready_probe VALUES (zeroblob(65536))")
	return err
}

// ErrNotReady is wrapped by every error of Ready.
var ErrNotReady = errors.New("store not ready")

// Ready reports whether the store can serve requests: it answers, it takes writes (it is not
// read-only; on PostgreSQL it has not refused a write for lack of space or as read-only in the
// last refusalHold without a commit since; on SQLite, after such a refusal, its file can grow
// again). Its errors are for the logs, not for callers: they may name
// the store.
func (d *DB) Ready(ctx context.Context) error {
	if err := d.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: unreachable: %w", ErrNotReady, err)
	}
	if err := d.health.lastRefusal(); err != nil {
		if d.IsPostgres() {
			return fmt.Errorf("%w: it refused a write: %w", ErrNotReady, err)
		}
		if perr := d.probeGrowth(ctx); perr != nil {
			return fmt.Errorf("%w: it refused a write (%w) and cannot grow: %w", ErrNotReady, err, perr)
		}
		d.health.clear()
	}
	if d.IsPostgres() {
		var readOnly string
		var recovery bool
		err := d.SQL.QueryRowContext(ctx, "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()").Scan(&readOnly, &recovery)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotReady, err)
		}
		if readOnly == "on" || recovery {
			return fmt.Errorf("%w: the database is read-only", ErrNotReady)
		}
	}
	return nil
}
