package returns

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/orders"
)

// AwaitingReturn is the hold reason of a replacement order that ships once its return arrives.
const AwaitingReturn = "awaiting return"

// ExchangeLineInput is a quantity of one SKU the customer gets in exchange.
type ExchangeLineInput struct {
	SKU      string
	Quantity int64
}

// ExchangeInput asks for a replacement order for a return's goods.
type ExchangeInput struct {
	ReturnID pulid.ID
	Lines    []ExchangeLineInput
	// ShipBeforeReturn ships the replacement at once (a cross-ship); otherwise it is held until the
	// return is received (ReleaseExchange).
	ShipBeforeReturn bool
	Note             string
}

// exchangeable are the statuses of a return an exchange may be made for.
var exchangeable = []orderreturn.Status{
	orderreturn.StatusAPPROVED, orderreturn.StatusIN_TRANSIT, orderreturn.StatusRECEIVED, orderreturn.StatusINSPECTED,
}

// CreateExchange makes the replacement order of a return: linked both ways (the order's
// exchangeForReturn, the return's exchangeOrder, resolution EXCHANGE), its stock reserved now, paid
// by the returned goods' value. An even exchange needs no payment; a dearer one leaves the
// difference as the order's balance due (PENDING_PAYMENT until RecordExchangePayment); a cheaper one
// refunds the difference (a PENDING refund). Unless ShipBeforeReturn, the order is held until the
// return is received.
func (s *Refunds) CreateExchange(ctx context.Context, in ExchangeInput) (*ent.OrderReturn, *ent.Order, error) {
	if err := in.ReturnID.Validate("ret"); err != nil {
		return nil, nil, fault.New(fault.InvalidArgument, "returnID: %v", err)
	}
	if err := validExchangeLines(in.Lines); err != nil {
		return nil, nil, err
	}
	var eo *ent.Order
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		r, err := tx.OrderReturn.Query().Where(orderreturn.ID(in.ReturnID)).WithLines().Only(ctx)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "return %s not found", in.ReturnID)
		}
		if err != nil {
			return fmt.Errorf("load return: %w", err)
		}
		if r.Kind != orderreturn.KindRETURN {
			return fault.New(fault.Conflict, "a claim's replacement is made with the claim (createClaim)")
		}
		hold := !in.ShipBeforeReturn && (r.Status == orderreturn.StatusAPPROVED || r.Status == orderreturn.StatusIN_TRANSIT)
		eo, err = s.exchangeTx(ctx, tx, r, in.Lines, hold, in.Note)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.committed()
	r, err := s.DB.Client.OrderReturn.Get(ctx, in.ReturnID)
	if err != nil {
		return nil, nil, err
	}
	eo, err = s.DB.Client.Order.Get(ctx, eo.ID)
	return r, eo, err
}

func validExchangeLines(lines []ExchangeLineInput) error {
	if len(lines) == 0 {
		return fault.New(fault.InvalidArgument, "an exchange needs at least one line")
	}
	for i, l := range lines {
		if strings.TrimSpace(l.SKU) == "" {
			return fault.New(fault.InvalidArgument, "line %d: SKU is empty", i+1)
		}
		if l.Quantity <= 0 {
			return fault.New(fault.InvalidArgument, "line %d (%s): quantity must be positive, got %d", i+1, l.SKU, l.Quantity)
		}
	}
	return nil
}

// exchangeTx makes r's replacement order in tx: the credit is what r's units are worth back (each
// return line keeps its share as its refund amount), the order is placed through orders with that
// credit, and a cheaper replacement refunds the difference.
func (s *Refunds) exchangeTx(ctx context.Context, tx *ent.Tx, r *ent.OrderReturn, lines []ExchangeLineInput, hold bool, note string) (*ent.Order, error) {
	if !slices.Contains(exchangeable, r.Status) {
		return nil, fault.New(fault.Conflict, "cannot exchange the goods of a return that is %s", r.Status).With("status", string(r.Status))
	}
	if r.ExchangeOrderID != nil {
		return nil, fault.New(fault.Conflict, "return %s already has exchange order %s", r.ID, *r.ExchangeOrderID).
			With("exchangeOrderID", string(*r.ExchangeOrderID))
	}
	refunds, err := tx.Refund.Query().Where(refund.ReturnID(r.ID), refund.StatusNEQ(refund.StatusFAILED)).Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("load refunds: %w", err)
	}
	if refunds {
		return nil, fault.New(fault.Conflict, "return %s is refunded already: it cannot be exchanged too", r.ID)
	}
	o, err := loadOrder(ctx, tx, r.OrderID)
	if err != nil {
		return nil, err
	}
	if marketplace(o) {
		return nil, fault.New(fault.Conflict, "the marketplace settles its buyer's return; decide the return instead").With("orderID", string(o.ID))
	}
	b, err := basis(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	ask := Ask{}
	for _, l := range r.Edges.Lines {
		ask.Lines = append(ask.Lines, AskLine{OrderLineID: string(l.OrderLineID), Quantity: l.Quantity})
	}
	ask.Lines = merged(ask.Lines)
	worth, err := Decide(b, ask)
	if err != nil {
		return nil, err
	}
	in := orders.PlaceInput{
		Currency: o.Currency, PaymentMethod: o.PaymentMethod, Note: note,
		ExchangeFor: &r.ID, ExchangeCredit: worth.Goods,
	}
	if hold {
		in.HoldReason = AwaitingReturn
	}
	if o.CustomerID != nil {
		in.Customer = orders.Customer{ID: o.CustomerID, Email: o.ContactEmail}
	}
	if o.ShippingAddress.Line1 != "" || o.ShippingAddress.CountryCode != "" {
		addr := o.ShippingAddress
		in.ShippingAddress = &addr
	}
	for _, l := range lines {
		in.Lines = append(in.Lines, orders.Line{SKU: l.SKU, Quantity: l.Quantity})
	}
	eo, err := s.Orders.PlaceTx(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	// Each return line keeps what its units were credited (its order line's share, split by units).
	for _, l := range r.Edges.Lines {
		if err := tx.ReturnLine.UpdateOne(l).SetRefundAmount(lineShare(worth, l)).Exec(ctx); err != nil {
			return nil, fmt.Errorf("update return line: %w", err)
		}
	}
	resolution := orderreturn.ResolutionEXCHANGE
	if r.Kind == orderreturn.KindCLAIM {
		resolution = orderreturn.ResolutionREPLACE
	}
	n, err := tx.OrderReturn.Update().Where(orderreturn.ID(r.ID), orderreturn.Version(r.Version), orderreturn.ExchangeOrderIDIsNil()).
		SetExchangeOrderID(eo.ID).SetResolution(resolution).AddVersion(1).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update return: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "return %s changed while this command ran; retry", r.ID)
	}
	created := events.ExchangeCreated{
		ReturnID: string(r.ID), ExchangeOrderID: string(eo.ID), OriginalOrderID: string(o.ID), Credit: worth.Goods,
		BalanceDue: eo.BalanceDueAmount, Currency: o.Currency, Held: hold,
	}
	if diff := worth.Goods - eo.TotalAmount; diff > 0 {
		rf, err := tx.Refund.Create().SetOrderID(o.ID).SetReturnID(r.ID).SetCurrency(o.Currency).SetAmount(diff).
			SetReason("exchange for less: the difference").SetStatus(refund.StatusPENDING).SetCreatedBy(auth.Actor(ctx)).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create refund: %w", err)
		}
		refunded, pay, err := s.refunded(ctx, tx, o, diff)
		if err != nil {
			return nil, err
		}
		created.RefundID = string(rf.ID)
		if err := events.Append(ctx, tx, refundEvent(ctx, o, events.RefundRequested{
			RefundID: string(rf.ID), ReturnID: string(r.ID), Status: string(rf.Status), Amount: diff, Currency: o.Currency,
			PaymentMethod: string(o.PaymentMethod), Reason: rf.Reason, Refunded: refunded, PaymentStatus: string(pay),
		})); err != nil {
			return nil, err
		}
	}
	return eo, events.Append(ctx, tx, refundEvent(ctx, o, created), refundEvent(ctx, eo, created))
}

// merged adds up the units of lines naming the same order line.
func merged(lines []AskLine) []AskLine {
	var out []AskLine
	at := map[string]int{}
	for _, l := range lines {
		if i, ok := at[l.OrderLineID]; ok {
			out[i].Quantity += l.Quantity
			continue
		}
		at[l.OrderLineID] = len(out)
		out = append(out, l)
	}
	return out
}

// lineShare is the part of a decided amount that return line l's units take: its order line's
// amount, split by units.
func lineShare(a Amounts, l *ent.ReturnLine) int64 {
	for _, al := range a.Lines {
		if al.OrderLineID == string(l.OrderLineID) {
			return prorate(al.Amount, l.Quantity, al.Quantity)
		}
	}
	return 0
}

// RecordExchangePayment records that the customer paid the balance due of a dearer exchange's
// order (amount must be that balance): the order is paid, and confirmed (reserved stock allocated)
// unless it waits on hold for its return, in which case ReleaseExchange confirms it. Recording it
// again changes nothing.
func (s *Refunds) RecordExchangePayment(ctx context.Context, orderID pulid.ID, amount int64) (*ent.Order, error) {
	if err := orderID.Validate("ord"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := loadOrder(ctx, tx, orderID)
		if err != nil {
			return err
		}
		if o.ExchangeForReturnID == nil {
			return fault.New(fault.Conflict, "order %s is not an exchange", o.ID)
		}
		if o.BalanceDueAmount == 0 {
			return nil // paid already
		}
		if amount != o.BalanceDueAmount {
			return fault.New(fault.InvalidArgument, "the balance due is %d, not %d", o.BalanceDueAmount, amount).With("balanceDue", o.BalanceDueAmount)
		}
		n, err := tx.Order.Update().Where(order.ID(o.ID), order.BalanceDueAmount(o.BalanceDueAmount)).SetBalanceDueAmount(0).Save(ctx)
		if err != nil {
			return fmt.Errorf("update order: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "order %s changed while this command ran; retry", o.ID)
		}
		return events.Append(ctx, tx, refundEvent(ctx, o, events.BalancePaid{ReturnID: string(*o.ExchangeForReturnID), Amount: amount, Currency: o.Currency}))
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return s.confirmPaid(ctx, orderID)
}

// confirmPaid confirms an exchange's order waiting for payment once nothing is due.
func (s *Refunds) confirmPaid(ctx context.Context, orderID pulid.ID) (*ent.Order, error) {
	o, err := s.DB.Client.Order.Get(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if o.Status != order.StatusPENDING_PAYMENT || o.BalanceDueAmount > 0 {
		return o, nil
	}
	return s.Orders.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Confirm, Reason: "exchange balance paid"})
}

// ReleaseExchangeArgs is the job a receipt queues in its transaction (Service.Receive): release the
// exchange held for the return. ReleaseExchange is idempotent, so a retried job does no harm.
type ReleaseExchangeArgs struct {
	ReturnID pulid.ID `json:"returnID"`
}

// Kind implements river.JobArgs.
func (ReleaseExchangeArgs) Kind() string { return "return_release_exchange" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReleaseExchangeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// Register adds the worker that releases exchanges held for their returns.
func (s *Refunds) Register(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[ReleaseExchangeArgs]) error {
		return s.ReleaseExchange(auth.NewContext(ctx, auth.System), job.Args.ReturnID)
	}))
}

// ReleaseExchange lets a replacement order held for its return (AwaitingReturn) go once the return
// was received, and confirms it if it was only waiting for that and its balance is paid. It does
// nothing for a return without such an order, or one not received yet, so it can be called after
// every receipt (returns' Receive, or a listener on return.received).
func (s *Refunds) ReleaseExchange(ctx context.Context, returnID pulid.ID) error {
	r, err := s.DB.Client.OrderReturn.Get(ctx, returnID)
	if err != nil {
		return err
	}
	if r.ExchangeOrderID == nil || r.ReceivedAt == nil {
		return nil
	}
	o, err := s.DB.Client.Order.Get(ctx, *r.ExchangeOrderID)
	if err != nil {
		return err
	}
	if o.Status != order.StatusON_HOLD {
		return nil
	}
	held, err := heldForReturn(ctx, s.DB.Client, o.ID)
	if err != nil || !held {
		return err
	}
	if _, err := s.Orders.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.ReleaseHold, Reason: "return received"}); err != nil {
		return err
	}
	if err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		return events.Append(ctx, tx, refundEvent(ctx, o, events.ExchangeReleased{ReturnID: string(r.ID), ExchangeOrderID: string(o.ID)}))
	}); err != nil {
		return err
	}
	s.committed()
	_, err = s.confirmPaid(ctx, o.ID)
	return err
}

// heldForReturn reports whether an order's latest status change was the hold of AwaitingReturn
// (not a person's hold since, which a receipt must not lift).
func heldForReturn(ctx context.Context, c *ent.Client, orderID pulid.ID) (bool, error) {
	last, err := c.Event.Query().Where(event.OrderID(string(orderID)), event.Type(events.KindStatusChanged)).
		Order(ent.Desc(event.FieldTxid), ent.Desc(event.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load order events: %w", err)
	}
	p, err := events.Decode[events.StatusChanged](last)
	if err != nil {
		return false, err
	}
	return p.Command == string(orders.Hold) && p.Reason == AwaitingReturn, nil
}
