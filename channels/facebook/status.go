package facebook

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// The values of order_status.state (fb_codegen_enum_types: FB_PROCESSING, CREATED, IN_PROGRESS,
// COMPLETED).
const (
	StateProcessing = "FB_PROCESSING"
	StateCreated    = "CREATED"
	StateInProgress = "IN_PROGRESS"
	StateCompleted  = "COMPLETED"
)

// states maps order_status.state before the shipments and cancellations edges are looked at
// (channels.md §5, §8). FB_PROCESSING is Meta's fraud and remorse window: nothing may be done with
// the order yet, and it may never reach CREATED. CREATED is final but not yet acknowledged;
// IN_PROGRESS is acknowledged with items still to ship; COMPLETED means every item shipped or was
// cancelled. Meta reports no delivery.
var states = map[string]channels.Status{
	StateProcessing: channels.OnHold,
	StateCreated:    channels.Confirmed,
	StateInProgress: channels.Confirmed,
	StateCompleted:  channels.Completed,
}

// StatusInput is what an order says about its state: order_status.state and what its shipments
// and cancellations edges add up to (both false when the edges were not read).
type StatusInput struct {
	State string
	// AllShipped is set when every item not cancelled has shipped, and at least one has.
	AllShipped bool
	// AllCancelled is set when every item is cancelled, or a cancellation names no items (a cancel
	// of the whole order).
	AllCancelled bool
}

// MapStatus derives Ordo's status. A fully cancelled order is CANCELLED whatever its state (Meta
// completes it); an IN_PROGRESS order whose items all shipped is SHIPPED; otherwise the state table
// decides, and a state it does not know is channels.Unknown, never an error.
func MapStatus(in StatusInput) channels.Status {
	if in.AllCancelled {
		return channels.Cancelled
	}
	state := normState(in.State)
	st, ok := states[state]
	switch {
	case !ok:
		return channels.Unknown
	case state == StateInProgress && in.AllShipped:
		return channels.Shipped
	}
	return st
}

// Paid reports whether the buyer has paid: Meta checks out and captures the payment itself, and
// an order leaves FB_PROCESSING for CREATED only once it is final.
func Paid(state string) bool {
	switch normState(state) {
	case StateCreated, StateInProgress, StateCompleted:
		return true
	}
	return false
}

func normState(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
