package fulfilment

import (
	"slices"
	"time"

	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
)

// Command is what a person, a partner or a carrier's scan asks of a shipment.
type Command string

// The shipment commands; each maps to one GraphQL mutation, or to a tracking event.
const (
	Pick           Command = "PICK"
	Pack           Command = "PACK"
	MarkReady      Command = "MARK_READY"
	Ship           Command = "SHIP"
	ReadyForPickup Command = "READY_FOR_PICKUP"
	Collect        Command = "COLLECT"
	Cancel         Command = "CANCEL"
	// Track is a carrier's scan; its target status comes from the scan's tag (Tracked).
	Track Command = "TRACK"
)

// atOrigin are the states in which a shipment is still at its origin location.
var atOrigin = []shipment.Status{shipment.StatusOPEN, shipment.StatusPICKING, shipment.StatusPACKED, shipment.StatusREADY}

type rule struct {
	from   []shipment.Status
	to     shipment.Status
	method func(shipment.Method) bool
	reason bool
}

func notPickup(m shipment.Method) bool { return m != shipment.MethodPICKUP }
func pickup(m shipment.Method) bool    { return m == shipment.MethodPICKUP }

// rules is the shipment lifecycle as a table: the states a command may start from, where it leads,
// and which shipments it is for. Anything else is an invalid transition.
var rules = map[Command]rule{
	Pick:           {from: []shipment.Status{shipment.StatusOPEN}, to: shipment.StatusPICKING},
	Pack:           {from: []shipment.Status{shipment.StatusOPEN, shipment.StatusPICKING}, to: shipment.StatusPACKED},
	MarkReady:      {from: []shipment.Status{shipment.StatusPACKED}, to: shipment.StatusREADY, method: notPickup},
	Ship:           {from: atOrigin, to: shipment.StatusSHIPPED, method: notPickup},
	ReadyForPickup: {from: []shipment.Status{shipment.StatusOPEN, shipment.StatusPICKING, shipment.StatusPACKED}, to: shipment.StatusREADY_FOR_PICKUP, method: pickup},
	Collect:        {from: []shipment.Status{shipment.StatusREADY_FOR_PICKUP}, to: shipment.StatusCOLLECTED, method: pickup},
	Cancel:         {from: append(slices.Clone(atOrigin), shipment.StatusREADY_FOR_PICKUP), to: shipment.StatusCANCELLED, reason: true},
}

// Next decides what cmd does to a shipment in status cur carried by method m. It is pure.
func Next(cur shipment.Status, m shipment.Method, cmd Command, reason string) (shipment.Status, error) {
	r, ok := rules[cmd]
	if !ok {
		return "", fault.New(fault.InvalidArgument, "unknown shipment command %q", cmd)
	}
	if r.method != nil && !r.method(m) {
		return "", fault.New(fault.Conflict, "cannot %s a shipment carried by %s", verb(cmd), m).With("method", string(m))
	}
	if !slices.Contains(r.from, cur) {
		return "", fault.New(fault.Conflict, "cannot %s a shipment that is %s", verb(cmd), cur).
			With("status", string(cur)).With("allowedFrom", r.from)
	}
	if r.reason && reason == "" {
		return "", fault.New(fault.InvalidArgument, "%s needs a reason", verb(cmd))
	}
	return r.to, nil
}

func verb(c Command) string {
	switch c {
	case MarkReady:
		return "mark ready"
	case ReadyForPickup:
		return "make ready for pickup"
	}
	return string(c)
}

// Scan is what a tracking event says about a shipment, in Ordo's terms (see package shipping for
// the sources' own).
type Scan struct {
	Tag            string // AfterShip's tag: Pending, InfoReceived, InTransit, OutForDelivery, AttemptFail, Delivered, AvailableForPickup, Exception, Expired
	ReturnToSender bool
	OccurredAt     time.Time
}

// progress orders the carrier's states: a scan moves a shipment forward only.
var progress = map[shipment.Status]int{
	shipment.StatusOPEN: 0, shipment.StatusPICKING: 0, shipment.StatusPACKED: 0, shipment.StatusREADY: 0,
	shipment.StatusSHIPPED: 1, shipment.StatusIN_TRANSIT: 2, shipment.StatusEXCEPTION: 2,
	shipment.StatusOUT_FOR_DELIVERY: 3, shipment.StatusATTEMPT_FAILED: 3,
	shipment.StatusDELIVERED: 5, shipment.StatusRETURNED_TO_SENDER: 5,
}

// Tracked decides where a scan takes a shipment in status cur whose latest scan was at last (zero
// when none). ok is false when the scan moves nothing: a scan older than the latest (webhooks
// arrive out of order), a shipment already delivered, returned, collected or cancelled, a tag
// that says nothing about where the parcel is, or a state behind the current one. Exceptions and
// failed attempts are taken from any carrier state; a later scan moves on from them. It is pure.
func Tracked(cur shipment.Status, last time.Time, s Scan) (next shipment.Status, ok bool) {
	if !last.IsZero() && s.OccurredAt.Before(last) {
		return cur, false
	}
	switch cur {
	case shipment.StatusDELIVERED, shipment.StatusRETURNED_TO_SENDER, shipment.StatusCOLLECTED, shipment.StatusCANCELLED,
		shipment.StatusREADY_FOR_PICKUP:
		return cur, false
	}
	switch {
	case s.ReturnToSender && s.Tag == "Delivered":
		next = shipment.StatusRETURNED_TO_SENDER
	case s.ReturnToSender:
		next = shipment.StatusEXCEPTION
	default:
		switch s.Tag {
		case "InTransit":
			next = shipment.StatusIN_TRANSIT
		case "OutForDelivery", "AvailableForPickup":
			next = shipment.StatusOUT_FOR_DELIVERY
		case "AttemptFail":
			next = shipment.StatusATTEMPT_FAILED
		case "Delivered":
			next = shipment.StatusDELIVERED
		case "Exception":
			next = shipment.StatusEXCEPTION
		default: // Pending, InfoReceived (a label exists), Expired: nothing about the parcel's whereabouts
			return cur, false
		}
	}
	if next == cur {
		return cur, false
	}
	switch next {
	case shipment.StatusEXCEPTION, shipment.StatusATTEMPT_FAILED:
		return next, true
	}
	if cur != shipment.StatusEXCEPTION && cur != shipment.StatusATTEMPT_FAILED && progress[next] < progress[cur] {
		return cur, false
	}
	return next, true
}

// Shipped reports whether a shipment in status s has left its origin (its stock is gone).
func Shipped(s shipment.Status) bool {
	return progress[s] > 0 || s == shipment.StatusCOLLECTED
}

// Done reports whether a shipment in status s reached the customer.
func Done(s shipment.Status) bool {
	return s == shipment.StatusDELIVERED || s == shipment.StatusCOLLECTED
}
