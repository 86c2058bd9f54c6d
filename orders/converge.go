package orders

import (
	"slices"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent/order"
)

// channelCommands are the commands a channel's word may give an order. Picking, packing and
// marking ready to ship are Ordo's own (its warehouses'), never a channel's; Allocate stands for
// the routing that follows a confirmation, which the planner may assume but never gives.
var channelCommands = []Command{
	Confirm, Allocate, Hold, ReleaseHold, RequestCancellation, RejectCancellation, Cancel,
	Ship, MarkDelivered, Complete, RequestReturn, MarkReturned, MarkRefunded, ReportException, ResolveException,
}

// progress ranks the forward states; side states rank with the forward state they come after.
var progress = map[order.Status]int{
	order.StatusPENDING_PAYMENT: 0,
	order.StatusCONFIRMED:       1, order.StatusALLOCATED: 2, order.StatusBACKORDERED: 2,
	order.StatusPICKING: 3, order.StatusPACKED: 4, order.StatusREADY_TO_SHIP: 5,
	order.StatusSHIPPED: 6, order.StatusEXCEPTION: 6, order.StatusDELIVERED: 7, order.StatusCOMPLETED: 8,
	order.StatusRETURN_REQUESTED: 9, order.StatusRETURNED: 10, order.StatusREFUNDED: 11,
}

// reached says whether an order in status s (held by its channel or not) already is where a channel
// reporting target puts it, or past it: channel statuses only move orders forward, except into
// cancellation, return and exception states.
func reached(target channels.Status, s order.Status, channelHold bool) bool {
	after := func(min order.Status) bool {
		r, ok := progress[s]
		return ok && r >= progress[min]
	}
	switch target {
	case channels.PendingPayment, channels.Unknown:
		return true
	case channels.OnHold:
		return !slices.Contains(preShipment, s)
	case channels.Confirmed, channels.ReadyToShip:
		// An operator's hold stands; Ordo's own cancellation is on its way to the channel.
		return (s == order.StatusON_HOLD && !channelHold) || s == order.StatusCANCELLED || after(order.StatusCONFIRMED)
	case channels.Shipped:
		return after(order.StatusSHIPPED)
	case channels.Delivered:
		return after(order.StatusDELIVERED)
	case channels.Completed:
		return after(order.StatusCOMPLETED)
	case channels.CancelRequested:
		return s == order.StatusCANCEL_REQUESTED || s == order.StatusCANCELLED || s == order.StatusREFUNDED
	case channels.Cancelled:
		return s == order.StatusCANCELLED || s == order.StatusREFUNDED
	case channels.ReturnRequested:
		return after(order.StatusRETURN_REQUESTED)
	case channels.Returned:
		return after(order.StatusRETURNED)
	case channels.Refunded:
		return s == order.StatusREFUNDED
	case channels.Exception:
		return s == order.StatusEXCEPTION || s == order.StatusCANCELLED || after(order.StatusDELIVERED)
	}
	return true
}

// goals is the one status a channel status other than a confirmation moves an order to.
var goals = map[channels.Status]order.Status{
	channels.OnHold:          order.StatusON_HOLD,
	channels.Shipped:         order.StatusSHIPPED,
	channels.Delivered:       order.StatusDELIVERED,
	channels.Completed:       order.StatusCOMPLETED,
	channels.CancelRequested: order.StatusCANCEL_REQUESTED,
	channels.Cancelled:       order.StatusCANCELLED,
	channels.ReturnRequested: order.StatusRETURN_REQUESTED,
	channels.Returned:        order.StatusRETURNED,
	channels.Refunded:        order.StatusREFUNDED,
	channels.Exception:       order.StatusEXCEPTION,
}

// goal says whether s is where a channel reporting target wants an order moved: its one status in
// goals, or, for a confirmation, any forward state up to Ordo's own ready-to-ship.
func goal(target channels.Status, s order.Status) bool {
	if target == channels.Confirmed || target == channels.ReadyToShip {
		r, ok := progress[s]
		return ok && r >= progress[order.StatusCONFIRMED] && r <= progress[order.StatusREADY_TO_SHIP]
	}
	g, ok := goals[target]
	return ok && s == g
}

// maxChannelSteps bounds a path: the longest useful one (pending payment to refunded) has six.
const maxChannelSteps = 7

// NextChannelCommand decides the first lifecycle command that moves an order in status cur towards
// the status its channel reports. done is true when the order is already there (or past it); ok is
// false when no sequence of commands gets there (a cancelled order the channel says shipped, a
// backordered one it says delivered): the caller keeps the order as it is and raises an alert.
// It is pure: the caller applies the command, reads the order again and asks for the next one, so
// that routing and stock effects happen between steps exactly as they do for any other command.
func NextChannelCommand(cur order.Status, remembered *order.Status, pay order.PaymentStatus, method order.PaymentMethod,
	channelHold bool, target channels.Status,
) (cmd Command, done, ok bool) {
	if reached(target, cur, channelHold) {
		return "", true, true
	}
	type node struct {
		status     order.Status
		remembered *order.Status
		pay        order.PaymentStatus
		first      Command
	}
	type key struct {
		status order.Status
		pay    order.PaymentStatus
	}
	seen := map[key]bool{{cur, pay}: true}
	frontier := []node{{status: cur, remembered: remembered, pay: pay}}
	for range maxChannelSteps {
		var next []node
		for _, n := range frontier {
			for _, c := range channelCommands {
				if c == ReleaseHold && n.status == order.StatusON_HOLD && !channelHold && target != channels.Shipped &&
					target != channels.Delivered && target != channels.Completed {
					continue // an operator's hold is released by a person, unless the goods have left
				}
				t, err := Next(n.status, n.remembered, n.pay, method, c, "channel")
				if err != nil {
					continue
				}
				m := node{status: t.To, remembered: n.remembered, pay: n.pay, first: n.first}
				if m.first == "" {
					m.first = c
				}
				if t.Remember {
					from := t.From
					m.remembered = &from
				}
				if t.Restore {
					m.remembered = nil
				}
				if t.Payment != nil {
					m.pay = *t.Payment
				}
				if goal(target, m.status) {
					return m.first, false, m.first != Allocate
				}
				if k := (key{m.status, m.pay}); !seen[k] {
					seen[k] = true
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return "", false, false
}
