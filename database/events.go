package database

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"

	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/predicate"
)

// SettledEvents restricts an events query to rows that no later commit can precede in (txid, id)
// order, so that a reader which stops at the last row it read never skips a row that commits later.
//
// On PostgreSQL those are the rows written by transactions older than the oldest one still running
// (pg_snapshot_xmin of the statement's snapshot): every such transaction has committed (its rows are
// visible) or aborted (it has none), and any transaction that writes from now on gets a larger txid.
// On SQLite there is one writer at a time and a reader runs between writers, so every visible row is
// settled (txid is stamped at commit, in commit order).
func (d *DB) SettledEvents() predicate.Event {
	return func(s *entsql.Selector) {
		if d.IsPostgres() {
			s.Where(entsql.ExprP(s.C(event.FieldTxid) + " < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
		}
	}
}

// ListenEvents holds a dedicated PostgreSQL connection that LISTENs on EventsChannel. It calls
// notify once it is listening (so the caller can read what it missed while it was not) and after
// every notification. It returns nil when ctx ends and the error when the connection fails; the
// caller reconnects. On SQLite it returns nil at once: there, one process is the only writer and
// wakes its readers itself.
func (d *DB) ListenEvents(ctx context.Context, notify func()) error {
	if !d.IsPostgres() {
		return nil
	}
	conn, err := pgx.Connect(ctx, d.URL)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("listen: connect to %s: %w", d.Redacted(), err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{EventsChannel}.Sanitize()); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("listen: %w", err)
	}
	notify()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("listen: wait for notification: %w", err)
		}
		notify()
	}
}
