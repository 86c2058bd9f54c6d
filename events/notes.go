package events

// KindNoteAdded is an agent's note on an order's timeline.
const KindNoteAdded = "order.note_added"

// NoteAdded records a note a person wrote on an order's timeline; the event's actor wrote it.
type NoteAdded struct {
	Note string `json:"note"`
}

// Kind implements Payload.
func (NoteAdded) Kind() string { return KindNoteAdded }
