package events

import (
	"encoding/base64"
	"encoding/binary"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/fault"
)

// Position is a place in the event log. Events are ordered by (TxID, ID); the zero Position is before
// every event. Clients hold it as an opaque cursor to resume a subscription.
type Position struct{ TxID, ID int64 }

// PositionOf returns the position of e, for resuming after it.
func PositionOf(e *ent.Event) Position { return Position{TxID: e.Txid, ID: e.ID} }

// Less reports whether p comes before q in the log.
func (p Position) Less(q Position) bool {
	return p.TxID < q.TxID || p.TxID == q.TxID && p.ID < q.ID
}

// cursorVersion leads every cursor so that the encoding can change without misreading old ones.
const cursorVersion = 1

// Cursor encodes p for clients: opaque and URL-safe.
func (p Position) Cursor() string {
	var b [17]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(p.TxID))
	binary.BigEndian.PutUint64(b[9:], uint64(p.ID))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ParseCursor decodes a cursor made by Position.Cursor. Anything else is an INVALID_ARGUMENT fault.
func ParseCursor(s string) (Position, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 17 || b[0] != cursorVersion {
		return Position{}, fault.New(fault.InvalidArgument, "malformed event cursor")
	}
	p := Position{TxID: int64(binary.BigEndian.Uint64(b[1:9])), ID: int64(binary.BigEndian.Uint64(b[9:]))}
	if p.TxID < 0 || p.ID < 0 {
		return Position{}, fault.New(fault.InvalidArgument, "malformed event cursor")
	}
	return p, nil
}
