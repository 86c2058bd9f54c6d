// Package events is Ordo's event log and its live fan-out. A domain change records an Event in its own
// transaction (Append); a Hub per process tails the log in (txid, id) order and hands each committed
// transaction's events to the subscriptions that want them. A subscription can start from a cursor:
// it then gets every event after that cursor once, in order, and carries on live without a gap or a
// duplicate. Every event kind has one Go payload type (payloads.go), shared by writers and readers.
package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"entgo.io/ent/dialect"
	"github.com/ordo-oms/ordo/ent"
)

// Event is what a domain change records, in the same transaction as the change, so that the order
// timeline and the live streams can never disagree with the data. The ids say which subscriptions
// may be interested; the empty string means "not about one". The payload's kind is the event's type.
type Event struct {
	OrderID    string
	CustomerID string
	ChannelID  string
	VariantID  string
	LocationID string
	Payload    Payload
	Actor      string
}

// Append records evs in tx with one bulk insert. It does nothing for zero events. Callers wake their
// process's Hub after the commit (Hub.Wake); other processes learn of it through the database.
func Append(ctx context.Context, tx *ent.Tx, evs ...Event) error {
	if len(evs) == 0 {
		return nil
	}
	rows := make([]*ent.EventCreate, len(evs))
	for i, e := range evs {
		if e.Payload == nil {
			return fmt.Errorf("append event %d: no payload", i)
		}
		data, err := encode(e.Payload)
		if err != nil {
			return fmt.Errorf("append %s event: %w", e.Payload.Kind(), err)
		}
		c := tx.Event.Create().
			SetType(e.Payload.Kind()).
			SetNillableOrderID(nonEmpty(e.OrderID)).
			SetNillableCustomerID(nonEmpty(e.CustomerID)).
			SetNillableChannelID(nonEmpty(e.ChannelID)).
			SetNillableVariantID(nonEmpty(e.VariantID)).
			SetNillableLocationID(nonEmpty(e.LocationID)).
			SetNillableActor(nonEmpty(e.Actor))
		if data != nil {
			c.SetData(data)
		}
		rows[i] = c
	}
	saved, err := tx.Event.CreateBulk(rows...).Save(ctx)
	if err != nil {
		return fmt.Errorf("append %d events: %w", len(evs), err)
	}
	if tx.Dialect() == dialect.SQLite {
		stampOnCommit(tx, saved[0].ID)
	}
	return nil
}

// stampOnCommit gives the transaction's events, on SQLite, one transaction number of their own just
// before it commits, so that readers can tell where one committed change ends and the next begins
// (PostgreSQL stamps txid itself, with the transaction's id; SQLite's column default is 0).
//
// SQLite runs one writing transaction at a time, so the largest number so far plus one is in commit
// order. The first Append of a transaction registers the outermost commit hook, which runs first and
// stamps every row of the transaction from its first id on, in one statement; it tells the hooks of
// later Appends, through the context, that there is nothing left to do. PostgreSQL needs none of
// this (Append registers no hook there). Rows written before this rule (txid 0, ids below the
// transaction's) are left as they were: each of them reads as a change of its own.
func stampOnCommit(tx *ent.Tx, firstID int64) {
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if ctx.Value(stampedKey{}) != nil {
				return next.Commit(ctx, tx)
			}
			_, err := tx.ExecContext(ctx,
				`UPDATE events SET txid = (SELECT COALESCE(MAX(txid), 0) + 1 FROM events) WHERE txid = 0 AND id >= $1`, firstID)
			if err != nil {
				return fmt.Errorf("stamp events: %w", err)
			}
			return next.Commit(context.WithValue(ctx, stampedKey{}, true), tx)
		})
	})
}

type stampedKey struct{}

// encode turns a payload into the JSON object stored in the event's data column; numbers keep their
// exact value. A payload with no fields stores nothing.
func encode(p Payload) (map[string]any, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
