package orders

import (
	"context"
	"strings"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// MaxNote is the longest note, in characters.
const MaxNote = 2000

// AddNote writes a person's note on the order's timeline (an order.note_added event whose actor is
// the viewer) and returns the event. An empty note, one longer than MaxNote or an unknown order is
// refused and changes nothing.
func (s *Service) AddNote(ctx context.Context, orderID pulid.ID, note string) (*ent.Event, error) {
	if err := orderID.Validate("ord"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, fault.New(fault.InvalidArgument, "note: must not be empty")
	}
	if !utf8.ValidString(note) || utf8.RuneCountInString(note) > MaxNote {
		return nil, fault.New(fault.InvalidArgument, "note: at most %d characters of valid text", MaxNote)
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := tx.Order.Get(ctx, orderID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "order %s not found", orderID)
		}
		if err != nil {
			return err
		}
		if err := events.Append(ctx, tx, orderEvent(ctx, o, events.NoteAdded{Note: note})); err != nil {
			return err
		}
		id, err = tx.Event.Query().Where(event.OrderID(string(o.ID)), event.Type(events.KindNoteAdded)).
			Order(event.ByID(sql.OrderDesc())).FirstID(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	// Read after the commit: on SQLite the event's transaction number (its cursor) is stamped then.
	return s.DB.Client.Event.Get(ctx, id)
}
