package orders

import (
	"slices"

	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/fault"
)

// Command is a lifecycle command an operator, a partner or a channel gives an order.
type Command string

// The lifecycle commands; each maps to one GraphQL mutation.
const (
	Confirm             Command = "CONFIRM"
	Hold                Command = "HOLD"
	ReleaseHold         Command = "RELEASE_HOLD"
	StartPicking        Command = "START_PICKING"
	Pack                Command = "PACK"
	MarkReadyToShip     Command = "MARK_READY_TO_SHIP"
	Ship                Command = "SHIP"
	MarkDelivered       Command = "MARK_DELIVERED"
	Complete            Command = "COMPLETE"
	RequestCancellation Command = "REQUEST_CANCELLATION"
	RejectCancellation  Command = "REJECT_CANCELLATION"
	Cancel              Command = "CANCEL"
	RequestReturn       Command = "REQUEST_RETURN"
	MarkReturned        Command = "MARK_RETURNED"
	MarkRefunded        Command = "MARK_REFUNDED"
	ReportException     Command = "REPORT_EXCEPTION"
	ResolveException    Command = "RESOLVE_EXCEPTION"
	// Allocate and Backorder are given by routing: every unit is reserved, or some wait for stock.
	Allocate  Command = "ALLOCATE"
	Backorder Command = "BACKORDER"
)

// Stock is what a transition does to the order's reservations.
type Stock int

// Stock effects.
const (
	KeepStock    Stock = iota
	ReleaseStock       // give reserved units back (cancellation)
	ShipStock          // reserved units leave the building (shipment)
)

// Transition is the pure outcome of a command on an order: the new status and its side effects.
type Transition struct {
	From, To order.Status
	// Remember is true when To is a temporary state (hold, cancel request) that must later return
	// to From; Restore is true when To came from that memory.
	Remember, Restore bool
	Stock             Stock
	Payment           *order.PaymentStatus
	Fulfillment       *order.FulfillmentStatus
}

// preShipment are the states in which nothing has left a location yet.
var preShipment = []order.Status{
	order.StatusPENDING_PAYMENT, order.StatusCONFIRMED, order.StatusALLOCATED, order.StatusPICKING,
	order.StatusPACKED, order.StatusREADY_TO_SHIP, order.StatusBACKORDERED,
}

type rule struct {
	from         []order.Status
	to           order.Status // empty: return to the remembered status
	remember     bool
	stock        Stock
	needsReason  bool
	payment      func(order.PaymentStatus, order.PaymentMethod) *order.PaymentStatus
	fulfillment  *order.FulfillmentStatus
	requiresPaid bool
}

// rules is the lifecycle of design §4 as a table: the states a command may start from and where it
// leads. Anything not in it is an invalid transition.
var rules = map[Command]rule{
	Confirm:             {from: []order.Status{order.StatusPENDING_PAYMENT}, to: order.StatusCONFIRMED, payment: markPaid},
	Hold:                {from: preShipment, to: order.StatusON_HOLD, remember: true, needsReason: true},
	ReleaseHold:         {from: []order.Status{order.StatusON_HOLD}},
	StartPicking:        {from: []order.Status{order.StatusALLOCATED}, to: order.StatusPICKING},
	Pack:                {from: []order.Status{order.StatusPICKING}, to: order.StatusPACKED},
	MarkReadyToShip:     {from: []order.Status{order.StatusPACKED}, to: order.StatusREADY_TO_SHIP},
	Ship:                {from: []order.Status{order.StatusALLOCATED, order.StatusPICKING, order.StatusPACKED, order.StatusREADY_TO_SHIP}, to: order.StatusSHIPPED, stock: ShipStock, fulfillment: ptr(order.FulfillmentStatusFULFILLED)},
	MarkDelivered:       {from: []order.Status{order.StatusSHIPPED, order.StatusEXCEPTION}, to: order.StatusDELIVERED, payment: collectCOD},
	Complete:            {from: []order.Status{order.StatusDELIVERED}, to: order.StatusCOMPLETED},
	RequestCancellation: {from: append(slices.Clone(preShipment), order.StatusON_HOLD), to: order.StatusCANCEL_REQUESTED, remember: true, needsReason: true},
	RejectCancellation:  {from: []order.Status{order.StatusCANCEL_REQUESTED}},
	Cancel: {from: append(slices.Clone(preShipment), order.StatusON_HOLD, order.StatusCANCEL_REQUESTED, order.StatusUNKNOWN),
		to: order.StatusCANCELLED, stock: ReleaseStock, needsReason: true, payment: voidUnpaid},
	RequestReturn:    {from: []order.Status{order.StatusSHIPPED, order.StatusDELIVERED, order.StatusCOMPLETED}, to: order.StatusRETURN_REQUESTED, needsReason: true},
	MarkReturned:     {from: []order.Status{order.StatusRETURN_REQUESTED, order.StatusEXCEPTION}, to: order.StatusRETURNED},
	MarkRefunded:     {from: []order.Status{order.StatusRETURNED, order.StatusCANCELLED}, to: order.StatusREFUNDED, requiresPaid: true, payment: markRefunded},
	ReportException:  {from: []order.Status{order.StatusSHIPPED}, to: order.StatusEXCEPTION, needsReason: true},
	ResolveException: {from: []order.Status{order.StatusEXCEPTION}, to: order.StatusSHIPPED},
	Allocate:         {from: []order.Status{order.StatusCONFIRMED, order.StatusBACKORDERED}, to: order.StatusALLOCATED},
	Backorder:        {from: []order.Status{order.StatusCONFIRMED, order.StatusALLOCATED}, to: order.StatusBACKORDERED},
}

// Next decides what cmd does to an order in status cur. remembered is the status saved by the last
// hold or cancellation request. It is pure: no database, no clock.
func Next(cur order.Status, remembered *order.Status, pay order.PaymentStatus, method order.PaymentMethod, cmd Command, reason string) (Transition, error) {
	r, ok := rules[cmd]
	if !ok {
		return Transition{}, fault.New(fault.InvalidArgument, "unknown order command %q", cmd)
	}
	if !slices.Contains(r.from, cur) {
		return Transition{}, fault.New(fault.Conflict, "cannot %s an order that is %s", verb(cmd), cur).
			With("status", string(cur)).With("allowedFrom", r.from)
	}
	if r.needsReason && reason == "" {
		return Transition{}, fault.New(fault.InvalidArgument, "%s needs a reason", verb(cmd))
	}
	if r.requiresPaid && pay != order.PaymentStatusPAID && pay != order.PaymentStatusPARTIALLY_REFUNDED {
		return Transition{}, fault.New(fault.Conflict, "cannot refund an order whose payment is %s", pay)
	}
	t := Transition{From: cur, To: r.to, Remember: r.remember, Stock: r.stock, Fulfillment: r.fulfillment}
	if r.to == "" {
		if remembered == nil {
			return Transition{}, fault.New(fault.Conflict, "order has no status to return to")
		}
		t.To, t.Restore = *remembered, true
	}
	if r.payment != nil {
		t.Payment = r.payment(pay, method)
	}
	return t, nil
}

// AutoAdvance is the command a confirmed order gives itself: allocated when every unit is reserved,
// backordered when some wait for stock.
func AutoAdvance(s order.Status, fullyAllocated bool) (Command, bool) {
	switch {
	case s != order.StatusCONFIRMED:
		return "", false
	case fullyAllocated:
		return Allocate, true
	default:
		return Backorder, true
	}
}

func markPaid(p order.PaymentStatus, m order.PaymentMethod) *order.PaymentStatus {
	if m == order.PaymentMethodCOD {
		return nil // cash is collected on delivery
	}
	return ptr(order.PaymentStatusPAID)
}

func collectCOD(p order.PaymentStatus, m order.PaymentMethod) *order.PaymentStatus {
	if m == order.PaymentMethodCOD && p == order.PaymentStatusPENDING {
		return ptr(order.PaymentStatusPAID)
	}
	return nil
}

func voidUnpaid(p order.PaymentStatus, _ order.PaymentMethod) *order.PaymentStatus {
	if p == order.PaymentStatusPENDING || p == order.PaymentStatusAUTHORIZED {
		return ptr(order.PaymentStatusVOIDED)
	}
	return nil
}

func markRefunded(order.PaymentStatus, order.PaymentMethod) *order.PaymentStatus {
	return ptr(order.PaymentStatusREFUNDED)
}

func verb(c Command) string {
	return map[Command]string{
		Confirm: "confirm", Hold: "hold", ReleaseHold: "release the hold of", StartPicking: "start picking",
		Pack: "pack", MarkReadyToShip: "mark ready to ship", Ship: "ship", MarkDelivered: "mark delivered",
		Complete: "complete", RequestCancellation: "request cancellation of", RejectCancellation: "reject the cancellation of",
		Cancel: "cancel", RequestReturn: "request a return of", MarkReturned: "mark returned", MarkRefunded: "refund",
		ReportException: "report an exception on", ResolveException: "resolve the exception of",
		Allocate: "allocate", Backorder: "backorder",
	}[c]
}

func ptr[T any](v T) *T { return &v }
