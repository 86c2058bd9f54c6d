package database_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/fault"
)

// What callers learn of a store failure: UNAVAILABLE for an outage or refused writes,
// INVALID_ARGUMENT for text the store cannot hold, nothing (INTERNAL) for anything else.
func TestFault(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want fault.Code // "" means not a store failure
		msg  string
	}{
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, fault.Unavailable, "unavailable"},
		{"pgx could not connect", fmt.Errorf("begin: %w", &pgconn.ConnectError{}), fault.Unavailable, "unavailable"},
		{"connection lost mid-query", fmt.Errorf("load: %w", io.ErrUnexpectedEOF), fault.Unavailable, "unavailable"},
		{"a bad connection", driver.ErrBadConn, fault.Unavailable, "unavailable"},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, fault.Unavailable, "unavailable"},
		{"too many connections", &pgconn.PgError{Code: "53300"}, fault.Unavailable, "unavailable"},
		{"connection exception class", &pgconn.PgError{Code: "08006"}, fault.Unavailable, "unavailable"},
		{"disk full", &pgconn.PgError{Code: "53100", Message: "could not extend file"}, fault.Unavailable, "refuses writes"},
		{"read-only transaction", &pgconn.PgError{Code: "25006"}, fault.Unavailable, "refuses writes"},
		{"NUL byte in text", &pgconn.PgError{Code: "22021"}, fault.InvalidArgument, "NUL"},
		{"a unique violation is not an outage", &pgconn.PgError{Code: "23505"}, "", ""},
		{"a plain error", errors.New("boom"), "", ""},
		{"no rows", sql.ErrNoRows, "", ""},
		{"nil", nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := database.Fault(tc.err)
			if tc.want == "" {
				require.Nil(t, f)
				require.False(t, database.IsUnavailable(tc.err))
				return
			}
			require.NotNil(t, f)
			require.Equal(t, tc.want, f.Code)
			require.Contains(t, f.Message, tc.msg)
			require.Equal(t, tc.want == fault.Unavailable, database.IsUnavailable(tc.err))
		})
	}
}

// A store that refuses writes is not ready; it is ready again once it takes them, without a new
// connection pool. On SQLite the connection is made read-only (query_only); on PostgreSQL the
// database's default_transaction_read_only is turned on for new sessions.
func TestReadyWhenWritesAreRefused(t *testing.T) {
	ctx := context.Background()
	write := func(db *database.DB) error {
		return db.Tx(ctx, func(tx *ent.Tx) error {
			return tx.Customer.Create().SetEmail("ready@example.com").Exec(ctx)
		})
	}
	t.Run("sqlite", func(t *testing.T) {
		db := dbtest.SQLite(t)
		require.NoError(t, db.Ready(ctx))
		_, err := db.SQL.ExecContext(ctx, "PRAGMA query_only = 1") // one connection: it holds for every query
		require.NoError(t, err)
		err = write(db)
		require.Error(t, err)
		require.Equal(t, fault.Unavailable, database.Fault(err).Code, "%v", err)
		require.ErrorIs(t, db.Ready(ctx), database.ErrNotReady)
		_, err = db.SQL.ExecContext(ctx, "PRAGMA query_only = 0")
		require.NoError(t, err)
		require.NoError(t, write(db))
		require.NoError(t, db.Ready(ctx))
	})
	t.Run("postgres", func(t *testing.T) {
		u := dbtest.PostgresURL(t)
		db, err := database.Open(ctx, u)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		require.NoError(t, db.Ready(ctx))
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		name := parsed.Path[1:]
		admin := os.Getenv("ORDO_TEST_DATABASE_URL")
		if admin == "" {
			admin = dbtest.DefaultPostgresURL
		}
		adb, err := sql.Open("pgx", admin)
		require.NoError(t, err)
		defer adb.Close()
		readOnly := func(on bool) {
			_, err := adb.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s SET default_transaction_read_only = %t", name, on))
			require.NoError(t, err)
			db.SQL.SetMaxIdleConns(0) // new sessions pick the setting up
			db.SQL.SetMaxIdleConns(32)
		}
		readOnly(true)
		err = write(db)
		require.Error(t, err)
		require.Equal(t, fault.Unavailable, database.Fault(err).Code, "%v", err)
		require.ErrorIs(t, db.Ready(ctx), database.ErrNotReady)
		readOnly(false)
		require.NoError(t, write(db))
		require.NoError(t, db.Ready(ctx))
	})
}
