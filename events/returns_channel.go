package events

// Event kinds of marketplace returns: the channel's side of a return (what it said, what Ordo could
// not follow), the seller's decision and whether the channel heard it, and the channel's deadline.
// Each payload names its return (ReturnID) when there is one, like every return event.
const (
	// KindReturnChannelUpdated records a new raw channel status of a return that moved nothing in Ordo.
	KindReturnChannelUpdated = "return.channel_updated"
	// KindReturnChannelAlert records something of a channel's return Ordo cannot follow (its order
	// is unknown, a line maps to no order line, a status it cannot reach): someone should look.
	KindReturnChannelAlert = "return.channel_alert"
	// KindReturnDecided records the seller's decision on a marketplace return, to be sent.
	KindReturnDecided = "return.decided"
	// KindReturnDecisionSynced records how the channel took the seller's decision: SENT, or FAILED
	// (refused for good: the alert).
	KindReturnDecisionSynced = "return.decision_synced"
	// KindReturnDeadlineAlert records that a return still waiting for the seller's decision nears
	// (WARNED) or passed (MISSED) the channel's deadline, after which the channel decides by itself.
	KindReturnDeadlineAlert = "return.deadline_alert"
)

// ReturnChannelUpdated records a new raw channel status of a return that moved nothing in Ordo.
type ReturnChannelUpdated struct {
	ReturnID      string `json:"returnID"`
	ChannelStatus string `json:"channelStatus"`
	Normalized    string `json:"normalized"`
}

// ReturnChannelAlert records something of a channel's return Ordo cannot follow. ReturnID is empty
// when Ordo holds no return yet (its order is unknown).
type ReturnChannelAlert struct {
	ReturnID      string `json:"returnID,omitempty"`
	ExternalID    string `json:"externalID"`
	OrderID       string `json:"channelOrderID,omitempty"`
	ChannelStatus string `json:"channelStatus,omitempty"`
	Normalized    string `json:"normalized,omitempty"`
	Alert         string `json:"alert"`
}

// ReturnDecided records the seller's decision on a marketplace return (APPROVE, REFUSE, OFFER, or
// RECEIVE when Ordo received the goods), at the return's version, queued for the channel.
type ReturnDecided struct {
	ReturnID    string   `json:"returnID"`
	Action      string   `json:"action"`
	Reason      string   `json:"reason,omitempty"`
	Comment     string   `json:"comment,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	OfferAmount int64    `json:"offerAmount,omitempty"`
	Version     int      `json:"version"`
}

// ReturnDecisionSynced records how the channel took the seller's decision: Sync is SENT or FAILED
// (with the channel's Error).
type ReturnDecisionSynced struct {
	ReturnID string `json:"returnID"`
	Action   string `json:"action"`
	Sync     string `json:"sync"`
	Error    string `json:"error,omitempty"`
}

// ReturnDeadlineAlert records that a return waiting for the seller nears (WARNED) or passed
// (MISSED) the channel's deadline (RFC 3339).
type ReturnDeadlineAlert struct {
	ReturnID string `json:"returnID"`
	Level    string `json:"level"`
	Deadline string `json:"deadline"`
}

// Kind implements Payload.
func (ReturnChannelUpdated) Kind() string { return KindReturnChannelUpdated }

// Kind implements Payload.
func (ReturnChannelAlert) Kind() string { return KindReturnChannelAlert }

// Kind implements Payload.
func (ReturnDecided) Kind() string { return KindReturnDecided }

// Kind implements Payload.
func (ReturnDecisionSynced) Kind() string { return KindReturnDecisionSynced }

// Kind implements Payload.
func (ReturnDeadlineAlert) Kind() string { return KindReturnDeadlineAlert }
