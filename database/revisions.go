package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
)

// revisionsTable records which migration files have run (Atlas's history table, by its usual name).
const revisionsTable = "atlas_schema_revisions"

// revisions is Atlas's migrate.RevisionReadWriter over the revisions table, inside the migration's
// transaction.
type revisions struct {
	tx       *sql.Tx
	postgres bool
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

// create makes the table when it does not exist yet.
func (r *revisions) create(ctx context.Context) error {
	ts := "datetime"
	if r.postgres {
		ts = "timestamptz"
	}
	_, err := r.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+revisionsTable+` (
  version varchar(255) NOT NULL PRIMARY KEY,
  description varchar(255) NOT NULL,
  type bigint NOT NULL DEFAULT 2,
  applied bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL DEFAULT 0,
  executed_at `+ts+` NOT NULL,
  execution_time bigint NOT NULL,
  error text NULL,
  error_stmt text NULL,
  hash varchar(255) NOT NULL,
  partial_hashes text NULL,
  operator_version varchar(255) NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("create %s: %w", revisionsTable, err)
	}
	return nil
}

// Ident implements migrate.RevisionReadWriter.
func (r *revisions) Ident() *migrate.TableIdent {
	id := &migrate.TableIdent{Name: revisionsTable}
	if r.postgres {
		id.Schema = r.currentSchema()
	}
	return id
}

func (r *revisions) currentSchema() string {
	var s string
	if err := r.tx.QueryRow("SELECT current_schema()").Scan(&s); err != nil {
		return "public"
	}
	return s
}

const revisionColumns = `version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version`

// ReadRevisions implements migrate.RevisionReadWriter: every revision, by version.
func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	rows, err := r.tx.QueryContext(ctx, `SELECT `+revisionColumns+` FROM `+revisionsTable+` ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, rows.Err()
}

// ReadRevision implements migrate.RevisionReadWriter.
func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	rev, err := scanRevision(r.tx.QueryRowContext(ctx, r.bind(`SELECT `+revisionColumns+` FROM `+revisionsTable+` WHERE version = ?`), version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, migrate.ErrRevisionNotExist
	}
	return rev, err
}

// WriteRevision implements migrate.RevisionReadWriter: insert or replace.
func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	partial, err := json.Marshal(rev.PartialHashes)
	if err != nil {
		return err
	}
	_, err = r.tx.ExecContext(ctx, r.bind(`INSERT INTO `+revisionsTable+` (`+revisionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (version) DO UPDATE SET description = excluded.description, type = excluded.type, applied = excluded.applied,
  total = excluded.total, executed_at = excluded.executed_at, execution_time = excluded.execution_time, error = excluded.error,
  error_stmt = excluded.error_stmt, hash = excluded.hash, partial_hashes = excluded.partial_hashes, operator_version = excluded.operator_version`),
		rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total, rev.ExecutedAt.UTC(), int64(rev.ExecutionTime),
		rev.Error, rev.ErrorStmt, rev.Hash, string(partial), rev.OperatorVersion)
	return err
}

// DeleteRevision implements migrate.RevisionReadWriter.
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	_, err := r.tx.ExecContext(ctx, r.bind(`DELETE FROM `+revisionsTable+` WHERE version = ?`), version)
	return err
}

// bind numbers the placeholders for PostgreSQL.
func (r *revisions) bind(q string) string {
	if !r.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

type scanner interface{ Scan(...any) error }

func scanRevision(s scanner) (*migrate.Revision, error) {
	var (
		rev              migrate.Revision
		typ, dur         int64
		errText, errStmt sql.NullString
		partial          sql.NullString
		executedAt       time.Time
	)
	if err := s.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &executedAt, &dur,
		&errText, &errStmt, &rev.Hash, &partial, &rev.OperatorVersion); err != nil {
		return nil, err
	}
	rev.Type, rev.ExecutionTime, rev.ExecutedAt = migrate.RevisionType(typ), time.Duration(dur), executedAt
	rev.Error, rev.ErrorStmt = errText.String, errStmt.String
	if partial.Valid && partial.String != "" && partial.String != "null" {
		if err := json.Unmarshal([]byte(partial.String), &rev.PartialHashes); err != nil {
			return nil, fmt.Errorf("revision %s: partial hashes: %w", rev.Version, err)
		}
	}
	return &rev, nil
}
