package events

// The kinds of stock-hold events. Each carries the hold's id and its cart; the event's channel is
// the hold's channel, and a converted hold's event names the order it became. The stock.changed
// events of the held and released units come from the ledger writes beside them.
const (
	KindHoldCreated   = "hold.created"
	KindHoldReleased  = "hold.released"
	KindHoldExpired   = "hold.expired"
	KindHoldConverted = "hold.converted"
)

// HoldCreated records units held for a cart until ExpiresAt.
type HoldCreated struct {
	HoldID    string `json:"holdID"`
	Cart      string `json:"cart"`
	Units     int64  `json:"units"`
	ExpiresAt string `json:"expiresAt"`
}

// HoldReleased records a hold given up before its time: released by its key, or replaced by a new
// hold of the same cart.
type HoldReleased struct {
	HoldID string `json:"holdID"`
	Cart   string `json:"cart"`
	Reason string `json:"reason"`
}

// HoldExpired records a hold that reached its expiry: its units are available again.
type HoldExpired struct {
	HoldID    string `json:"holdID"`
	Cart      string `json:"cart"`
	ExpiresAt string `json:"expiresAt"`
}

// HoldConverted records a hold that became an order at checkout: its units were released and the
// order reserved in the same transaction.
type HoldConverted struct {
	HoldID  string `json:"holdID"`
	Cart    string `json:"cart"`
	OrderID string `json:"orderID"`
}

// Kind implements Payload.
func (HoldCreated) Kind() string { return KindHoldCreated }

// Kind implements Payload.
func (HoldReleased) Kind() string { return KindHoldReleased }

// Kind implements Payload.
func (HoldExpired) Kind() string { return KindHoldExpired }

// Kind implements Payload.
func (HoldConverted) Kind() string { return KindHoldConverted }
