// Package events is Ordo's event log. (Placeholder for the merge of the events branch.)
package events

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
)

// Event is what a domain change records (in the same transaction as the change).
type Event struct {
	Type                                                  string
	OrderID, CustomerID, ChannelID, VariantID, LocationID string
	Data                                                  map[string]any
	Actor                                                 string
}

// Append writes events in tx.
func Append(ctx context.Context, tx *ent.Tx, evs ...Event) error {
	if len(evs) == 0 {
		return nil
	}
	b := make([]*ent.EventCreate, len(evs))
	for i, e := range evs {
		b[i] = tx.Event.Create().SetType(e.Type).SetOrderID(e.OrderID).SetCustomerID(e.CustomerID).
			SetChannelID(e.ChannelID).SetVariantID(e.VariantID).SetLocationID(e.LocationID).SetData(e.Data).SetActor(e.Actor)
	}
	if err := tx.Event.CreateBulk(b...).Exec(ctx); err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	return nil
}

// Hub placeholder until the events branch lands.
type Hub struct{}

// Position placeholder.
type Position struct{ TxID, ID int64 }

// PositionOf placeholder.
func PositionOf(e *ent.Event) Position { return Position{e.Txid, e.ID} }

// Cursor placeholder.
func (p Position) Cursor() string { return fmt.Sprint(p.TxID, p.ID) }
