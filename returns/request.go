package returns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// LineInput is a quantity of one order line asked back.
type LineInput struct {
	OrderLineID      pulid.ID
	Quantity         int64
	ReasonCode, Note string
}

// RequestInput asks for units of an order back (a return), or reports a problem with them (a
// claim: missing, wrong or damaged items, nothing sent back).
type RequestInput struct {
	OrderID    pulid.ID
	Kind       orderreturn.Kind       // empty: RETURN
	Origin     orderreturn.Origin     // empty: AGENT
	Resolution orderreturn.Resolution // empty: REFUND
	ReasonCode string
	Note       string
	// LocationID is where the goods are expected back; nil: where they shipped from.
	LocationID *pulid.ID
	Lines      []LineInput
	// Approve opens the return APPROVED (an agent's return, a cancellation after hand-over).
	Approve bool
	// ChannelID and ExternalID name a channel's return (converged by them); empty for others.
	ChannelID  *pulid.ID
	ExternalID *string
}

// ReasonCancelledAfterHandover is the reason code of a return made of a cancellation that came after
// the parcel was handed to the carrier.
const ReasonCancelledAfterHandover = "CANCELLED_AFTER_HANDOVER"

// Request records a return in its own transaction.
func (s *Service) Request(ctx context.Context, in RequestInput) (*ent.OrderReturn, error) {
	var id pulid.ID
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		r, err := s.RequestTx(ctx, tx, in)
		if err == nil {
			id = r.ID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return s.DB.Client.OrderReturn.Get(ctx, id)
}

// ReturnAfterHandover turns a cancellation of units already handed to the carrier into an approved
// return (origin AGENT) in the caller's transaction: the units come back and are dispositioned like
// any return.
func (s *Service) ReturnAfterHandover(ctx context.Context, tx *ent.Tx, orderID pulid.ID, lines []LineInput, reason string) (*ent.OrderReturn, error) {
	return s.RequestTx(ctx, tx, RequestInput{OrderID: orderID, Kind: orderreturn.KindRETURN, Origin: orderreturn.OriginAGENT,
		Resolution: orderreturn.ResolutionREFUND, ReasonCode: ReasonCancelledAfterHandover, Note: reason, Lines: lines, Approve: true})
}

// RequestTx records a return in the caller's transaction (a channel's return, a carrier's returned
// parcel, a cancellation after hand-over); the caller wakes the hub after its commit. Each line must
// be a line of the order, and ask at most for the units shipped that no other active return asks
// for: more is a CONFLICT that changes nothing. A customer's return (origin CUSTOMER) must come
// within the channel's return window after delivery, for returnable items only, and a storefront
// key may ask only for its own customer's orders.
func (s *Service) RequestTx(ctx context.Context, tx *ent.Tx, in RequestInput) (*ent.OrderReturn, error) {
	in = defaults(in)
	if err := validate(in); err != nil {
		return nil, err
	}
	o, err := tx.Order.Get(ctx, in.OrderID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "order %s not found", in.OrderID)
	}
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	if v, ok := auth.FromContext(ctx); ok && v.Role == auth.Storefront {
		if in.Origin != orderreturn.OriginCUSTOMER {
			return nil, fault.New(fault.Forbidden, "a storefront key starts customer returns only")
		}
		if v.CustomerID == nil || o.CustomerID == nil || *o.CustomerID != *v.CustomerID {
			return nil, fault.New(fault.Forbidden, "order %s is not this customer's", o.ID)
		}
	}
	// Lock the order's row first: two requests for the same order then take turns, and the second
	// sees the first's lines when it counts what is left to return.
	if err := tx.Order.UpdateOneID(o.ID).SetUpdatedAt(s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("lock order: %w", err)
	}
	if err := s.checkLocation(ctx, tx, in.LocationID); err != nil {
		return nil, err
	}
	all := unscoped(ctx) // the order is the viewer's: what it counts is the whole order's
	ids := make([]pulid.ID, len(in.Lines))
	for i, l := range in.Lines {
		ids[i] = l.OrderLineID
	}
	ols, err := tx.OrderLine.Query().Where(orderline.IDIn(ids...), orderline.OrderID(o.ID)).WithVariant().All(all)
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	byID := make(map[pulid.ID]*ent.OrderLine, len(ols))
	for _, l := range ols {
		byID[l.ID] = l
	}
	shipped, err := shippedUnits(all, tx, o.ID)
	if err != nil {
		return nil, err
	}
	asked, err := tx.ReturnLine.Query().Where(returnline.OrderLineIDIn(ids...),
		returnline.HasReturnWith(orderreturn.StatusNotIn(orderreturn.StatusDECLINED, orderreturn.StatusCANCELLED))).All(all)
	if err != nil {
		return nil, fmt.Errorf("load return lines: %w", err)
	}
	already := map[pulid.ID]int64{}
	for _, l := range asked {
		already[l.OrderLineID] += l.Quantity
	}
	var units int64
	for _, l := range in.Lines {
		ol := byID[l.OrderLineID]
		if ol == nil {
			return nil, fault.New(fault.InvalidArgument, "%s is not a line of order %s", l.OrderLineID, o.ID).With("orderLineID", string(l.OrderLineID))
		}
		if left := shipped[ol.ID] - already[ol.ID]; l.Quantity > left {
			return nil, fault.New(fault.Conflict, "cannot return %d of %s: %d shipped, %d already on returns", l.Quantity, ol.Sku, shipped[ol.ID], already[ol.ID]).
				With("sku", ol.Sku).With("returnable", max(0, left))
		}
		if in.Origin == orderreturn.OriginCUSTOMER && ol.Edges.Variant != nil && !ol.Edges.Variant.Returnable {
			return nil, fault.New(fault.Conflict, "%s is final sale: it cannot be returned", ol.Sku).With("skus", []string{ol.Sku})
		}
		units += l.Quantity
	}
	if in.Origin == orderreturn.OriginCUSTOMER {
		if err := s.checkWindow(all, tx, o); err != nil {
			return nil, err
		}
	}
	loc := in.LocationID
	if loc == nil {
		if loc, err = shippedFrom(all, tx, o.ID); err != nil {
			return nil, err
		}
	}
	n, err := tx.OrderReturn.Query().Where(orderreturn.OrderID(o.ID)).Count(all)
	if err != nil {
		return nil, fmt.Errorf("count returns: %w", err)
	}
	status := orderreturn.StatusREQUESTED
	c := tx.OrderReturn.Create().SetOrderID(o.ID).SetNumber(fmt.Sprintf("RMA-%s-%d", o.Number, n+1)).
		SetKind(in.Kind).SetOrigin(in.Origin).SetResolution(in.Resolution).SetReasonCode(in.ReasonCode).SetNote(in.Note).
		SetNillableLocationID(loc).SetCreatedBy(auth.Actor(ctx)).SetRequestedAt(s.now()).
		SetNillableExternalID(in.ExternalID)
	switch {
	case in.ChannelID != nil:
		c.SetChannelID(*in.ChannelID)
	case o.ChannelID != nil:
		c.SetChannelID(*o.ChannelID)
	}
	if in.Approve {
		status = orderreturn.StatusAPPROVED
		c.SetApprovedAt(s.now())
	}
	r, err := c.SetStatus(status).Save(ctx)
	if err != nil {
		if in.ExternalID != nil && database.IsUniqueViolation(err) {
			return nil, fault.New(fault.Conflict, "the channel's return %s is already recorded", *in.ExternalID)
		}
		return nil, fmt.Errorf("create return: %w", err)
	}
	rows := make([]*ent.ReturnLineCreate, len(in.Lines))
	for i, l := range in.Lines {
		ol := byID[l.OrderLineID]
		rows[i] = tx.ReturnLine.Create().SetReturnID(r.ID).SetOrderLineID(ol.ID).SetNillableVariantID(ol.VariantID).
			SetSku(ol.Sku).SetQuantity(l.Quantity).SetReasonCode(l.ReasonCode).SetNote(l.Note).
			SetRefundAmount(ol.UnitPriceAmount * l.Quantity)
	}
	if err := tx.ReturnLine.CreateBulk(rows...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create return lines: %w", err)
	}
	p := &op{tx: tx, r: r, o: o}
	p.event(ctx, nil, events.ReturnRequested{ReturnID: string(r.ID), Number: r.Number, ReturnKind: string(r.Kind),
		Origin: string(r.Origin), Resolution: string(r.Resolution), Status: string(r.Status), Units: units,
		Lines: len(in.Lines), ReasonCode: r.ReasonCode})
	if err := s.syncOrder(ctx, tx, o); err != nil {
		return nil, err
	}
	if err := events.Append(ctx, tx, p.evs...); err != nil {
		return nil, err
	}
	return r, nil
}

func defaults(in RequestInput) RequestInput {
	if in.Kind == "" {
		in.Kind = orderreturn.KindRETURN
	}
	if in.Origin == "" {
		in.Origin = orderreturn.OriginAGENT
	}
	if in.Resolution == "" {
		in.Resolution = orderreturn.ResolutionREFUND
	}
	in.ReasonCode, in.Note = strings.TrimSpace(in.ReasonCode), strings.TrimSpace(in.Note)
	return in
}

// validate checks a request's shape: it is pure.
func validate(in RequestInput) error {
	if err := in.OrderID.Validate("ord"); err != nil {
		return fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	if err := orderreturn.KindValidator(in.Kind); err != nil {
		return fault.New(fault.InvalidArgument, "kind: %v", err)
	}
	if err := orderreturn.OriginValidator(in.Origin); err != nil {
		return fault.New(fault.InvalidArgument, "origin: %v", err)
	}
	if err := orderreturn.ResolutionValidator(in.Resolution); err != nil {
		return fault.New(fault.InvalidArgument, "resolution: %v", err)
	}
	if len(in.Lines) == 0 {
		return fault.New(fault.InvalidArgument, "a return needs at least one line")
	}
	seen := map[pulid.ID]bool{}
	for i, l := range in.Lines {
		if err := l.OrderLineID.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "lines[%d].orderLineID: %v", i, err)
		}
		if l.Quantity <= 0 {
			return fault.New(fault.InvalidArgument, "lines[%d].quantity must be positive, got %d", i, l.Quantity)
		}
		if seen[l.OrderLineID] {
			return fault.New(fault.InvalidArgument, "order line %s is named twice", l.OrderLineID)
		}
		seen[l.OrderLineID] = true
	}
	return nil
}

// checkWindow refuses a customer's return after the order's channel's return window: counted
// from the last delivery of the order's shipments, else their last hand-over.
func (s *Service) checkWindow(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	days := 30
	if o.ChannelID != nil {
		ch, err := tx.Channel.Get(ctx, *o.ChannelID)
		if err != nil {
			return fmt.Errorf("load channel: %w", err)
		}
		days = ch.ReturnWindowDays
	}
	shs, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.DirectionEQ(shipment.DirectionOUTBOUND)).All(ctx)
	if err != nil {
		return fmt.Errorf("load shipments: %w", err)
	}
	var delivered, shipped time.Time
	for _, sh := range shs {
		if sh.DeliveredAt != nil && sh.DeliveredAt.After(delivered) {
			delivered = *sh.DeliveredAt
		}
		if sh.ShippedAt != nil && sh.ShippedAt.After(shipped) {
			shipped = *sh.ShippedAt
		}
	}
	if !WithinWindow(s.now(), delivered, shipped, o.UpdatedAt, days) {
		return fault.New(fault.Conflict, "the return window of %d days after delivery has closed", days).With("returnWindowDays", days)
	}
	return nil
}

// WithinWindow reports whether at is within days of the delivery (else the hand-over, else the
// order's last change, for orders shipped without shipment records). It is pure.
func WithinWindow(at, delivered, shipped, changed time.Time, days int) bool {
	from := delivered
	if from.IsZero() {
		from = shipped
	}
	if from.IsZero() {
		from = changed
	}
	return !at.After(from.AddDate(0, 0, days))
}

// shippedUnits counts, per order line, the units that left (allocations SHIPPED), in whole bundles
// for a bundle line.
func shippedUnits(ctx context.Context, tx *ent.Tx, orderID pulid.ID) (map[pulid.ID]int64, error) {
	as, err := tx.Allocation.Query().Where(allocation.OrderID(orderID), allocation.StatusEQ(allocation.StatusSHIPPED)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	perVariant := map[[2]pulid.ID]int64{}
	for _, a := range as {
		perVariant[[2]pulid.ID{a.LineID, a.VariantID}] += a.Quantity
	}
	lines, err := tx.OrderLine.Query().Where(orderline.OrderID(orderID), orderline.VariantIDNotNil()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	out := map[pulid.ID]int64{}
	for _, l := range lines {
		comps, err := tx.BundleComponent.Query().Where(bundlecomponent.BundleID(*l.VariantID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load bundle components: %w", err)
		}
		out[l.ID] = BundlesOf(perVariant[[2]pulid.ID{l.ID, *l.VariantID}], comps, func(v pulid.ID) int64 { return perVariant[[2]pulid.ID{l.ID, v}] })
	}
	return out, nil
}

// BundlesOf is how many units of a line its shipped units make: own units for a plain line, whole
// bundles (the scarcest component) for a bundle line. It is pure.
func BundlesOf(own int64, comps []*ent.BundleComponent, units func(component pulid.ID) int64) int64 {
	if len(comps) == 0 {
		return own
	}
	done := int64(-1)
	for _, bc := range comps {
		n := units(bc.ComponentID) / int64(bc.Quantity)
		if done < 0 || n < done {
			done = n
		}
	}
	return done
}

// shippedFrom is the location most of an order's shipped units left from (where its returns are
// expected by default), or nil when none shipped.
func shippedFrom(ctx context.Context, tx *ent.Tx, orderID pulid.ID) (*pulid.ID, error) {
	as, err := tx.Allocation.Query().Where(allocation.OrderID(orderID), allocation.StatusEQ(allocation.StatusSHIPPED)).
		Order(allocation.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	units := map[pulid.ID]int64{}
	var best *pulid.ID
	for _, a := range as {
		units[a.LocationID] += a.Quantity
		if best == nil || units[a.LocationID] > units[*best] {
			loc := a.LocationID
			best = &loc
		}
	}
	return best, nil
}

// MaxReturnWindowDays bounds a channel's return window.
const MaxReturnWindowDays = 365

// SetReturnWindow sets how many days after delivery a channel's customers may ask for a return
// (0 closes customer returns; staff and the channel still may start them).
func (s *Service) SetReturnWindow(ctx context.Context, channelID pulid.ID, days int) (*ent.Channel, error) {
	if days < 0 || days > MaxReturnWindowDays {
		return nil, fault.New(fault.InvalidArgument, "days: want 0 to %d, got %d", MaxReturnWindowDays, days)
	}
	ch, err := s.DB.Client.Channel.UpdateOneID(channelID).SetReturnWindowDays(days).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	if err != nil {
		return nil, fmt.Errorf("update channel: %w", err)
	}
	s.committed()
	return ch, nil
}
