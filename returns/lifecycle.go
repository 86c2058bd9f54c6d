package returns

import (
	"slices"

	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/fault"
)

// Command is what a person, a partner, a channel or a carrier asks of a return.
type Command string

// The return commands; each maps to one GraphQL mutation (Inspect is given by the last disposition).
const (
	Approve       Command = "APPROVE"
	Decline       Command = "DECLINE"
	MarkInTransit Command = "MARK_IN_TRANSIT"
	Receive       Command = "RECEIVE"
	// Dispose records dispositions of received units; the return stays RECEIVED until every
	// received unit has one, and then Inspect moves it on.
	Dispose  Command = "DISPOSITION"
	Inspect  Command = "INSPECT"
	Complete Command = "COMPLETE"
	Close    Command = "CLOSE"
	Cancel   Command = "CANCEL"
	Reopen   Command = "REOPEN"
)

type rule struct {
	from   []orderreturn.Status
	to     orderreturn.Status
	reason bool
}

// rules is the return lifecycle as a table: the states a command may start from and where it leads.
// Receipts come in parts and parcels: receiving keeps a return RECEIVED, and a unit arriving after
// every earlier one was inspected opens it again. DECLINED and CANCELLED are terminal; CLOSED opens
// again (approved) with Reopen.
var rules = map[Command]rule{
	Approve:       {from: []orderreturn.Status{orderreturn.StatusREQUESTED}, to: orderreturn.StatusAPPROVED},
	Decline:       {from: []orderreturn.Status{orderreturn.StatusREQUESTED}, to: orderreturn.StatusDECLINED, reason: true},
	MarkInTransit: {from: []orderreturn.Status{orderreturn.StatusAPPROVED}, to: orderreturn.StatusIN_TRANSIT},
	Receive: {from: []orderreturn.Status{orderreturn.StatusAPPROVED, orderreturn.StatusIN_TRANSIT, orderreturn.StatusRECEIVED,
		orderreturn.StatusINSPECTED}, to: orderreturn.StatusRECEIVED},
	Dispose:  {from: []orderreturn.Status{orderreturn.StatusRECEIVED}, to: orderreturn.StatusRECEIVED},
	Inspect:  {from: []orderreturn.Status{orderreturn.StatusRECEIVED}, to: orderreturn.StatusINSPECTED},
	Complete: {from: []orderreturn.Status{orderreturn.StatusINSPECTED}, to: orderreturn.StatusCOMPLETED},
	Close:    {from: []orderreturn.Status{orderreturn.StatusCOMPLETED}, to: orderreturn.StatusCLOSED},
	Cancel: {from: []orderreturn.Status{orderreturn.StatusREQUESTED, orderreturn.StatusAPPROVED, orderreturn.StatusIN_TRANSIT},
		to: orderreturn.StatusCANCELLED},
	Reopen: {from: []orderreturn.Status{orderreturn.StatusCLOSED}, to: orderreturn.StatusAPPROVED},
}

// Next decides what cmd does to a return (kind RETURN) in status cur. An invalid transition is a
// CONFLICT. It is pure.
func Next(cur orderreturn.Status, cmd Command) (orderreturn.Status, error) {
	return NextFor(orderreturn.KindRETURN, cur, cmd)
}

// NextFor is Next for a return of kind k: a claim (missing, wrong or damaged items, nothing sent
// back) may also complete straight from APPROVED. It is pure.
func NextFor(k orderreturn.Kind, cur orderreturn.Status, cmd Command) (orderreturn.Status, error) {
	r, ok := rules[cmd]
	if !ok {
		return "", fault.New(fault.InvalidArgument, "unknown return command %q", cmd)
	}
	from := r.from
	if k == orderreturn.KindCLAIM && cmd == Complete {
		from = append(slices.Clone(from), orderreturn.StatusAPPROVED)
	}
	if !slices.Contains(from, cur) {
		return "", fault.New(fault.Conflict, "cannot %s a return that is %s", verb(cmd), cur).
			With("status", string(cur)).With("allowedFrom", from)
	}
	return r.to, nil
}

// NeedsReason reports whether cmd must be given a reason (a decline).
func NeedsReason(cmd Command) bool { return rules[cmd].reason }

// Active reports whether a return in status s still counts against what its order may return: it
// was neither declined nor cancelled.
func Active(s orderreturn.Status) bool {
	return s != orderreturn.StatusDECLINED && s != orderreturn.StatusCANCELLED
}

// OrderStatus is an order's return status given how many active returns it has and how many of its
// shipped units came back. It is pure.
func OrderStatus(active int, received, shipped int64) order.ReturnStatus {
	switch {
	case active == 0:
		return order.ReturnStatusNONE
	case received == 0:
		return order.ReturnStatusREQUESTED
	case received < shipped:
		return order.ReturnStatusPARTIALLY_RETURNED
	}
	return order.ReturnStatusRETURNED
}

func verb(c Command) string {
	return map[Command]string{
		Approve: "approve", Decline: "decline", MarkInTransit: "mark in transit", Receive: "receive units of",
		Dispose: "disposition units of", Inspect: "inspect", Complete: "complete", Close: "close", Cancel: "cancel",
		Reopen: "reopen",
	}[c]
}
