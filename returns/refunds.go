package returns

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

// Refunds grants refunds (for a return, a claim, or an order without one), records what the payment
// integration or the marketplace did with them, and makes the replacement orders of exchanges and
// claims. Amounts are decided by Decide (amounts.go); each command changes the refund, the order's
// refunded amount and payment status, and writes its event in one transaction.
type Refunds struct {
	DB *database.DB
	// Returns opens the returns claims are (CreateClaim).
	Returns *Service
	// Orders places the replacement orders of exchanges and claims, and releases their holds.
	Orders *orders.Service
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
}

func (s *Refunds) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

// RefundLineInput is some units of one order line to refund.
type RefundLineInput struct {
	OrderLineID pulid.ID
	Quantity    int64
}

// RefundInput asks for a refund of a return (ReturnID) or of an order without one (OrderID).
type RefundInput struct {
	ReturnID *pulid.ID
	OrderID  *pulid.ID
	// Lines to refund; for a return, empty means its units not yet refunded (those received, once
	// any arrived). An order refund without lines refunds Amount.
	Lines []RefundLineInput
	// FullShipping refunds what is left of the order's shipping; ShippingAmount a part of it.
	FullShipping   bool
	ShippingAmount int64
	RestockingFee  int64
	// Amount is an amount of no line (a goodwill gesture, a price adjustment): order refunds only.
	Amount int64
	Reason string
	// IdempotencyKey makes a replay (per caller) return the first refund and change nothing.
	IdempotencyKey string
}

func (in RefundInput) validate() error {
	switch {
	case in.ReturnID != nil && in.OrderID != nil:
		return fault.New(fault.InvalidArgument, "refund a return or an order, not both")
	case in.ReturnID != nil:
		if err := in.ReturnID.Validate("ret"); err != nil {
			return fault.New(fault.InvalidArgument, "returnID: %v", err)
		}
		if in.Amount != 0 {
			return fault.New(fault.InvalidArgument, "a return's refund is its lines and shipping: refund an amount with refundOrder")
		}
	case in.OrderID != nil:
		if err := in.OrderID.Validate("ord"); err != nil {
			return fault.New(fault.InvalidArgument, "orderID: %v", err)
		}
	default:
		return fault.New(fault.InvalidArgument, "a refund needs the return or the order it refunds")
	}
	if len(in.Lines) > 250 {
		return fault.New(fault.InvalidArgument, "a refund has at most 250 lines")
	}
	for i, l := range in.Lines {
		if err := l.OrderLineID.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "line %d: orderLineID: %v", i+1, err)
		}
		if l.Quantity <= 0 {
			return fault.New(fault.InvalidArgument, "line %d: quantity must be positive, got %d", i+1, l.Quantity)
		}
	}
	if len(in.IdempotencyKey) > 200 || len(in.Reason) > 1000 {
		return fault.New(fault.InvalidArgument, "the idempotency key is at most 200 characters, the reason 1000")
	}
	return nil
}

// marketplaces are the channels that pay their buyers' refunds themselves.
var marketplaces = []channel.Kind{channel.KindSHOPEE, channel.KindLAZADA, channel.KindTIKTOK_SHOP}

// refundableReturn are the statuses in which a return's refund may be granted: approved (a claim,
// or a refund before the goods are back) up to inspected.
var refundableReturn = []orderreturn.Status{
	orderreturn.StatusAPPROVED, orderreturn.StatusIN_TRANSIT, orderreturn.StatusRECEIVED, orderreturn.StatusINSPECTED,
}

// RefundReturn grants a refund of a return's units (by default those not yet refunded), with
// shipping and less a restocking fee. It is PENDING until the payment integration that executes it
// (refund.requested) records the outcome. A marketplace order's refund is the marketplace's to pay:
// CONFLICT. replayed is true when the idempotency key returned an earlier refund.
func (s *Refunds) RefundReturn(ctx context.Context, in RefundInput) (rf *ent.Refund, replayed bool, err error) {
	if in.ReturnID == nil {
		return nil, false, fault.New(fault.InvalidArgument, "refundReturn needs the returnID")
	}
	return s.grant(ctx, in)
}

// RefundOrder grants a refund of an order without a return: a cancelled paid order, a goodwill
// gesture or a price adjustment (Amount), some lines, shipping.
func (s *Refunds) RefundOrder(ctx context.Context, in RefundInput) (rf *ent.Refund, replayed bool, err error) {
	if in.OrderID == nil || in.ReturnID != nil {
		return nil, false, fault.New(fault.InvalidArgument, "refundOrder needs the orderID (a return's refund: refundReturn)")
	}
	return s.grant(ctx, in)
}

func (s *Refunds) grant(ctx context.Context, in RefundInput) (*ent.Refund, bool, error) {
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	if in.IdempotencyKey != "" {
		in.IdempotencyKey = auth.Actor(ctx) + ":" + in.IdempotencyKey // keys are per caller
		if rf, err := s.byKey(ctx, in.IdempotencyKey); rf != nil || err != nil {
			return rf, rf != nil, err
		}
	}
	var rf *ent.Refund
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var r *ent.OrderReturn
		orderID := in.OrderID
		if in.ReturnID != nil {
			got, err := tx.OrderReturn.Query().Where(orderreturn.ID(*in.ReturnID)).WithLines().Only(ctx)
			if ent.IsNotFound(err) {
				return fault.New(fault.NotFound, "return %s not found", *in.ReturnID)
			}
			if err != nil {
				return fmt.Errorf("load return: %w", err)
			}
			r, orderID = got, &got.OrderID
		}
		o, err := loadOrder(ctx, tx, *orderID)
		if err != nil {
			return err
		}
		if marketplace(o) {
			return fault.New(fault.Conflict, "the marketplace refunds the buyer; decide the return instead").With("orderID", string(o.ID))
		}
		ask := Ask{FullShipping: in.FullShipping, ShippingAmount: in.ShippingAmount, RestockingFee: in.RestockingFee, Extra: in.Amount}
		for _, l := range in.Lines {
			ask.Lines = append(ask.Lines, AskLine{OrderLineID: string(l.OrderLineID), Quantity: l.Quantity})
		}
		if r != nil {
			if ask.Lines, err = returnAsk(ctx, tx, r, ask.Lines); err != nil {
				return err
			}
		}
		rf, err = s.grantTx(ctx, tx, o, r, ask, in.Reason, in.IdempotencyKey)
		return err
	})
	if database.IsUniqueViolation(err) && in.IdempotencyKey != "" {
		// A concurrent request with the same key committed first.
		if rf, err := s.byKey(ctx, in.IdempotencyKey); rf != nil || err != nil {
			return rf, rf != nil, err
		}
	}
	if err != nil {
		return nil, false, err
	}
	s.committed()
	return rf.Unwrap(), false, nil
}

// grantTx decides and records a refund of o (for return r, when there is one) in tx: the refund,
// the order's refunded amount and payment status, the event for the payment integration.
func (s *Refunds) grantTx(ctx context.Context, tx *ent.Tx, o *ent.Order, r *ent.OrderReturn, ask Ask, reason, key string) (*ent.Refund, error) {
	b, err := basis(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	amounts, err := Decide(b, ask)
	if err != nil {
		return nil, err
	}
	create := tx.Refund.Create().SetOrderID(o.ID).SetCurrency(o.Currency).SetAmount(amounts.Total).
		SetShippingAmount(amounts.Shipping).SetRestockingFee(amounts.RestockingFee).SetReason(reason).
		SetStatus(refund.StatusPENDING).SetCreatedBy(auth.Actor(ctx))
	if len(amounts.Lines) > 0 {
		create.SetLines(amounts.Lines)
	}
	if r != nil {
		create.SetReturnID(r.ID)
	}
	if key != "" {
		create.SetIdempotencyKey(key)
	}
	rf, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create refund: %w", err)
	}
	refunded, pay, err := s.refunded(ctx, tx, o, amounts.Total)
	if err != nil {
		return nil, err
	}
	lines := make([]events.RefundLine, len(amounts.Lines))
	for i, l := range amounts.Lines {
		lines[i] = events.RefundLine(l)
	}
	return rf, events.Append(ctx, tx, refundEvent(ctx, o, events.RefundRequested{
		RefundID: string(rf.ID), ReturnID: returnIDOf(r), Status: string(rf.Status), Amount: rf.Amount, Currency: rf.Currency,
		Shipping: rf.ShippingAmount, RestockingFee: rf.RestockingFee, Lines: lines, PaymentMethod: string(o.PaymentMethod),
		Reason: reason, Refunded: refunded, PaymentStatus: string(pay),
	}))
}

// refunded adds delta (negative: a failed refund given back) to o's refunded amount with a guarded
// update (the amount must still be what was read), and sets the payment status it makes: PAID,
// PARTIALLY_REFUNDED or REFUNDED. It returns the new amount and status.
func (s *Refunds) refunded(ctx context.Context, tx *ent.Tx, o *ent.Order, delta int64) (int64, order.PaymentStatus, error) {
	now := max(o.RefundedAmount+delta, 0)
	pay := paymentStatus(o, now)
	n, err := tx.Order.Update().Where(order.ID(o.ID), order.RefundedAmount(o.RefundedAmount)).
		SetRefundedAmount(now).SetPaymentStatus(pay).Save(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("update order: %w", err)
	}
	if n == 0 {
		return 0, "", fault.New(fault.Conflict, "order %s was refunded while this command ran; retry", o.ID)
	}
	o.RefundedAmount, o.PaymentStatus = now, pay
	return now, pay, nil
}

// paid reports what the buyer paid for o: its total (less what an exchange's buyer still owes)
// once paid, nothing before.
func paid(o *ent.Order) int64 {
	switch o.PaymentStatus {
	case order.PaymentStatusPAID, order.PaymentStatusPARTIALLY_REFUNDED, order.PaymentStatusREFUNDED:
		return max(o.TotalAmount-o.BalanceDueAmount, 0)
	}
	return 0
}

// paymentStatus is what refunding refunded in all makes of o's payment status; an unpaid order's
// stays as it is.
func paymentStatus(o *ent.Order, refunded int64) order.PaymentStatus {
	p := paid(o)
	switch {
	case p == 0 && o.PaymentStatus != order.PaymentStatusREFUNDED:
		return o.PaymentStatus
	case refunded <= 0:
		return order.PaymentStatusPAID
	case refunded >= p:
		return order.PaymentStatusREFUNDED
	}
	return order.PaymentStatusPARTIALLY_REFUNDED
}

// returnAsk is the lines a return's refund asks for: those given, which must be the return's and
// within its units not yet refunded; none given, every unit not yet refunded (of those received,
// once any arrived). CONFLICT when nothing is left.
func returnAsk(ctx context.Context, tx *ent.Tx, r *ent.OrderReturn, given []AskLine) ([]AskLine, error) {
	if !slices.Contains(refundableReturn, r.Status) {
		return nil, fault.New(fault.Conflict, "cannot refund a return that is %s", r.Status).With("status", string(r.Status))
	}
	if r.ExchangeOrderID != nil {
		return nil, fault.New(fault.Conflict, "return %s is settled by exchange order %s", r.ID, *r.ExchangeOrderID)
	}
	done, err := refundedUnits(ctx, tx, r.ID)
	if err != nil {
		return nil, err
	}
	received := false
	for _, l := range r.Edges.Lines {
		received = received || l.ReceivedQuantity > 0
	}
	left := map[string]int64{}
	var seq []string
	for _, l := range r.Edges.Lines {
		units := l.Quantity
		if received {
			units = l.ReceivedQuantity
		}
		id := string(l.OrderLineID)
		if _, seen := left[id]; !seen {
			seq = append(seq, id)
		}
		left[id] += units
	}
	for id := range left {
		left[id] -= done[id]
	}
	if len(given) > 0 {
		for _, l := range given {
			have, ok := left[l.OrderLineID]
			if !ok {
				return nil, fault.New(fault.InvalidArgument, "line %s is not a line of return %s", l.OrderLineID, r.ID)
			}
			if l.Quantity > have {
				return nil, fault.New(fault.Conflict, "line %s: %d units asked, %d of the return's left to refund", l.OrderLineID, l.Quantity, max(have, 0)).
					With("orderLineID", l.OrderLineID).With("left", max(have, 0))
			}
		}
		return given, nil
	}
	var out []AskLine
	for _, id := range seq {
		if q := left[id]; q > 0 {
			out = append(out, AskLine{OrderLineID: id, Quantity: q})
		}
	}
	if len(out) == 0 {
		return nil, fault.New(fault.Conflict, "return %s has nothing left to refund", r.ID)
	}
	return out, nil
}

// refundedUnits is, per order line, the units the live (not failed) refunds of return id gave back.
func refundedUnits(ctx context.Context, tx *ent.Tx, id pulid.ID) (map[string]int64, error) {
	rfs, err := tx.Refund.Query().Where(refund.ReturnID(id), refund.StatusNEQ(refund.StatusFAILED)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load refunds: %w", err)
	}
	out := map[string]int64{}
	for _, rf := range rfs {
		for _, l := range rf.Lines {
			out[l.OrderLineID] += l.Quantity
		}
	}
	return out, nil
}

// basis reads what o's refunds are decided from: its lines, what its live refunds gave back, and
// what its exchanges took as credit.
func basis(ctx context.Context, tx *ent.Tx, o *ent.Order) (Basis, error) {
	lines, err := o.QueryLines().Order(ent.Asc("id")).All(ctx)
	if err != nil {
		return Basis{}, fmt.Errorf("load lines: %w", err)
	}
	b := Basis{Discount: o.DiscountAmount, Tax: o.TaxAmount, Shipping: o.ShippingAmount, Paid: paid(o), Refunded: o.RefundedAmount}
	at := map[string]int{}
	for i, l := range lines {
		at[string(l.ID)] = i
		b.Lines = append(b.Lines, BasisLine{ID: string(l.ID), UnitPrice: l.UnitPriceAmount, Quantity: l.Quantity})
	}
	settle := func(id string, q, amount int64) {
		if i, ok := at[id]; ok {
			b.Lines[i].Settled += q
			b.Lines[i].SettledAmount += amount
		}
	}
	rfs, err := tx.Refund.Query().Where(refund.OrderID(o.ID), refund.StatusNEQ(refund.StatusFAILED)).All(ctx)
	if err != nil {
		return Basis{}, fmt.Errorf("load refunds: %w", err)
	}
	for _, rf := range rfs {
		b.ShippingRefunded += rf.ShippingAmount
		for _, l := range rf.Lines {
			settle(l.OrderLineID, l.Quantity, l.Amount)
		}
	}
	exchanged, err := tx.OrderReturn.Query().Where(orderreturn.OrderID(o.ID), orderreturn.ExchangeOrderIDNotNil(),
		orderreturn.StatusNEQ(orderreturn.StatusCANCELLED)).WithLines().WithExchangeOrder().All(ctx)
	if err != nil {
		return Basis{}, fmt.Errorf("load exchanges: %w", err)
	}
	for _, r := range exchanged {
		var worth int64
		for _, l := range r.Edges.Lines {
			settle(string(l.OrderLineID), l.Quantity, l.RefundAmount)
			worth += l.RefundAmount
		}
		if eo := r.Edges.ExchangeOrder; eo != nil && eo.Status != order.StatusCANCELLED {
			b.Credited += min(worth, eo.TotalAmount)
		}
	}
	return b, nil
}

// RecordRefundResult records what the payment integration did with a pending refund: SUCCEEDED
// (with its id of the refund), or FAILED (with why): a failed refund's amount is refundable again.
// Only a PENDING refund takes a result (CONFLICT otherwise); the same result again changes nothing.
func (s *Refunds) RecordRefundResult(ctx context.Context, id pulid.ID, status refund.Status, externalID, failureReason string) (*ent.Refund, error) {
	if err := id.Validate("rfd"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "refundID: %v", err)
	}
	if status != refund.StatusSUCCEEDED && status != refund.StatusFAILED {
		return nil, fault.New(fault.InvalidArgument, "a refund's result is SUCCEEDED or FAILED, not %s", status)
	}
	if len(externalID) > 200 || len(failureReason) > 1000 {
		return nil, fault.New(fault.InvalidArgument, "the external id is at most 200 characters, the failure reason 1000")
	}
	changed := false
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		rf, err := tx.Refund.Get(ctx, id)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "refund %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("load refund: %w", err)
		}
		if rf.Status == status && orZero(rf.ExternalID) == externalID {
			return nil // the same result again
		}
		if rf.Status != refund.StatusPENDING {
			return fault.New(fault.Conflict, "refund %s is %s: only a PENDING refund takes a result", rf.ID, rf.Status).With("status", string(rf.Status))
		}
		upd := tx.Refund.Update().Where(refund.ID(rf.ID), refund.StatusEQ(refund.StatusPENDING)).SetStatus(status)
		if externalID != "" {
			upd.SetExternalID(externalID)
		}
		if status == refund.StatusFAILED {
			upd.SetFailureReason(failureReason)
		}
		if n, err := upd.Save(ctx); err != nil {
			return fmt.Errorf("update refund: %w", err)
		} else if n == 0 {
			return fault.New(fault.Conflict, "refund %s changed while this command ran; retry", rf.ID)
		}
		o, err := loadOrder(ctx, tx, rf.OrderID)
		if err != nil {
			return err
		}
		refunded, pay := o.RefundedAmount, o.PaymentStatus
		if status == refund.StatusFAILED {
			if refunded, pay, err = s.refunded(ctx, tx, o, -rf.Amount); err != nil {
				return err
			}
		}
		changed = true
		return events.Append(ctx, tx, refundEvent(ctx, o, events.RefundSettled{
			RefundID: string(rf.ID), ReturnID: textOf(rf.ReturnID), Status: string(status), Amount: rf.Amount,
			ExternalID: externalID, FailureReason: failureReason, Refunded: refunded, PaymentStatus: string(pay),
		}))
	})
	if err != nil {
		return nil, err
	}
	if changed {
		s.committed()
	}
	return s.DB.Client.Refund.Get(ctx, id)
}

// MirrorChannelRefund records, in the caller's transaction, that a marketplace refunded amount of
// return returnID's order to the buyer (externalID: the channel's refund id, if it gives one). It is
// idempotent: the channel's refunds of the return are CHANNEL_ISSUED refunds adding up to the
// largest amount it reported; a report of no more than that changes nothing. It returns the refund
// made, or the latest one when nothing changed (nil when there is none and amount is not positive).
// The caller wakes the hub after commit.
func (s *Refunds) MirrorChannelRefund(ctx context.Context, tx *ent.Tx, returnID pulid.ID, amount int64, currency, externalID string) (*ent.Refund, error) {
	if amount < 0 {
		return nil, fault.New(fault.InvalidArgument, "a channel's refund is not negative, got %d", amount)
	}
	r, err := tx.OrderReturn.Get(ctx, returnID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "return %s not found", returnID)
	}
	if err != nil {
		return nil, fmt.Errorf("load return: %w", err)
	}
	o, err := loadOrder(ctx, tx, r.OrderID)
	if err != nil {
		return nil, err
	}
	if currency != "" && !strings.EqualFold(currency, o.Currency) {
		return nil, fault.New(fault.InvalidArgument, "the channel refunded in %s, the order is in %s", currency, o.Currency)
	}
	issued, err := tx.Refund.Query().Where(refund.ReturnID(r.ID), refund.StatusEQ(refund.StatusCHANNEL_ISSUED)).
		Order(ent.Asc(refund.FieldCreatedAt), ent.Asc(refund.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load refunds: %w", err)
	}
	var before int64
	for _, rf := range issued {
		before += rf.Amount
	}
	if amount <= before {
		if len(issued) == 0 {
			return nil, nil
		}
		last := issued[len(issued)-1]
		if externalID != "" && orZero(last.ExternalID) != externalID {
			if last, err = last.Update().SetExternalID(externalID).Save(ctx); err != nil {
				return nil, fmt.Errorf("update refund: %w", err)
			}
		}
		return last, nil
	}
	create := tx.Refund.Create().SetOrderID(o.ID).SetReturnID(r.ID).SetCurrency(o.Currency).SetAmount(amount - before).
		SetStatus(refund.StatusCHANNEL_ISSUED).SetReason("refunded by the channel").SetCreatedBy(auth.Actor(ctx))
	if externalID != "" {
		create.SetExternalID(externalID)
	}
	rf, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create refund: %w", err)
	}
	refunded, _, err := s.refunded(ctx, tx, o, rf.Amount)
	if err != nil {
		return nil, err
	}
	return rf, events.Append(ctx, tx, refundEvent(ctx, o, events.RefundMirrored{
		RefundID: string(rf.ID), ReturnID: string(r.ID), Amount: rf.Amount, Currency: rf.Currency, ExternalID: externalID, Refunded: refunded,
	}))
}

// Settled refuses (CONFLICT) to complete a return whose refund or exchange is not settled yet:
// a refund still PENDING, a return to refund without a refund that succeeded (or that its channel
// issued), an exchange without its replacement order or with a balance still due. Returns' Complete
// calls it in the return's transaction.
func Settled(ctx context.Context, tx *ent.Tx, r *ent.OrderReturn) error {
	rfs, err := tx.Refund.Query().Where(refund.ReturnID(r.ID)).All(ctx)
	if err != nil {
		return fmt.Errorf("load refunds: %w", err)
	}
	paidBack := false
	for _, rf := range rfs {
		switch rf.Status {
		case refund.StatusPENDING:
			return fault.New(fault.Conflict, "refund %s of return %s is still pending", rf.ID, r.ID).With("refundID", string(rf.ID))
		case refund.StatusSUCCEEDED, refund.StatusCHANNEL_ISSUED:
			paidBack = true
		}
	}
	switch r.Resolution {
	case orderreturn.ResolutionEXCHANGE, orderreturn.ResolutionREPLACE:
		if r.ExchangeOrderID == nil {
			return fault.New(fault.Conflict, "return %s has no replacement order yet", r.ID)
		}
		eo, err := tx.Order.Get(ctx, *r.ExchangeOrderID)
		if err != nil {
			return fmt.Errorf("load exchange order: %w", err)
		}
		if eo.BalanceDueAmount > 0 {
			return fault.New(fault.Conflict, "exchange order %s still has %d due", eo.ID, eo.BalanceDueAmount).With("balanceDue", eo.BalanceDueAmount)
		}
	case orderreturn.ResolutionREFUND:
		o, err := loadOrder(ctx, tx, r.OrderID)
		if err != nil {
			return err
		}
		if !paidBack && !marketplace(o) && paid(o) > 0 {
			return fault.New(fault.Conflict, "return %s has not been refunded yet", r.ID)
		}
	}
	return nil
}

// byKey finds the refund granted earlier with this (caller-prefixed) idempotency key.
func (s *Refunds) byKey(ctx context.Context, key string) (*ent.Refund, error) {
	rf, err := s.DB.Client.Refund.Query().Where(refund.IdempotencyKey(key)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up refund: %w", err)
	}
	return rf, nil
}

// loadOrder reads an order with its channel, NOT_FOUND when there is none.
func loadOrder(ctx context.Context, tx *ent.Tx, id pulid.ID) (*ent.Order, error) {
	o, err := tx.Order.Query().Where(order.ID(id)).WithChannel().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "order %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	return o, nil
}

// marketplace reports whether o came from a marketplace, which pays its buyers' refunds itself.
func marketplace(o *ent.Order) bool {
	return o.Edges.Channel != nil && slices.Contains(marketplaces, o.Edges.Channel.Kind)
}

// refundEvent is an event of o's (its timeline, its customer's and channel's streams).
func refundEvent(ctx context.Context, o *ent.Order, p events.Payload) events.Event {
	e := events.Event{OrderID: string(o.ID), Payload: p, Actor: auth.Actor(ctx)}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	if o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return e
}

func returnIDOf(r *ent.OrderReturn) string {
	if r == nil {
		return ""
	}
	return string(r.ID)
}

func textOf(id *pulid.ID) string {
	if id == nil {
		return ""
	}
	return string(*id)
}

func orZero[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
