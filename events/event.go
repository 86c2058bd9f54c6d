// Package events is Ordo's event log and its live fan-out. A domain change records an Event in its own
// transaction (Append); a Hub per process tails the log in (txid, id) order and hands each committed
// event to the subscriptions that want it. A subscription can start from a cursor: it then gets every
// event after that cursor once, in order, and carries on live without a gap or a duplicate.
package events

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
)

// Event is what a domain change records, in the same transaction as the change, so that the order
// timeline and the live streams can never disagree with the data. The ids say which subscriptions
// may be interested; the empty string means "not about one".
type Event struct {
	Type       string
	OrderID    string
	CustomerID string
	ChannelID  string
	VariantID  string
	LocationID string
	Data       map[string]any
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
		c := tx.Event.Create().
			SetType(e.Type).
			SetNillableOrderID(nonEmpty(e.OrderID)).
			SetNillableCustomerID(nonEmpty(e.CustomerID)).
			SetNillableChannelID(nonEmpty(e.ChannelID)).
			SetNillableVariantID(nonEmpty(e.VariantID)).
			SetNillableLocationID(nonEmpty(e.LocationID)).
			SetNillableActor(nonEmpty(e.Actor))
		if e.Data != nil {
			c.SetData(e.Data)
		}
		rows[i] = c
	}
	if err := tx.Event.CreateBulk(rows...).Exec(ctx); err != nil {
		return fmt.Errorf("append %d events: %w", len(evs), err)
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
