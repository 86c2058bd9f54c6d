// Package orders places orders and moves them through their lifecycle. It is the only writer of
// orders, order lines and customers; stock effects go through package inventory in the same
// transaction, and every change writes its event there too.
package orders

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/routing"
)

// Event types written by this package.
const (
	EventPlaced        = events.KindOrderPlaced
	EventStatusChanged = events.KindStatusChanged
)

// Service runs order commands.
type Service struct {
	DB *database.DB
	// Inventory releases and ships stock inside the order's transactions.
	Inventory *inventory.Service
	// Router decides where orders ship from and reserves their stock.
	Router *dispatch.Service
	// Clock is the time routing decides at; nil means the wall clock.
	Clock func() time.Time
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
	// Shipper ships an order's shipments when the order is told it shipped; nil: the order's open
	// allocations are shipped as they are, without shipment records.
	Shipper Shipper
	// Holds turns a cart's stock hold into the order placed with it (PlaceInput.HoldID); nil: orders
	// cannot name a hold.
	Holds HoldConverter
	// Replanner packs again the open shipments that lose cancelled units; nil: they keep their lines
	// until planned again.
	Replanner Replanner
	// Returner turns units cancelled after hand-over into a return; nil: such a cancellation is a
	// CONFLICT.
	Returner Returner
}

// ApplyInput is a lifecycle command for one order.
type ApplyInput struct {
	OrderID pulid.ID
	Command Command
	Reason  string
	// Carrier and TrackingNumber go with Ship.
	Carrier, TrackingNumber string
}

// Apply runs a lifecycle command through the transition table. An invalid transition is a CONFLICT
// and changes nothing.
func (s *Service) Apply(ctx context.Context, in ApplyInput) (*ent.Order, error) {
	if err := in.OrderID.Validate("ord"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	if in.Command == Ship && (strings.TrimSpace(in.Carrier) == "" || strings.TrimSpace(in.TrackingNumber) == "") {
		return nil, fault.New(fault.InvalidArgument, "shipping needs a carrier and a tracking number")
	}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := tx.Order.Get(ctx, in.OrderID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "order %s not found", in.OrderID)
		}
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		return s.command(ctx, tx, o, in, nil)
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	if rules[in.Command].stock == ReleaseStock {
		s.replenished(ctx, in.OrderID)
	}
	return s.DB.Client.Order.Get(ctx, in.OrderID)
}

// command runs one lifecycle command on o in tx: the guarded transition, its event (with extra
// data), its stock effect, and the routing of a just-confirmed order.
func (s *Service) command(ctx context.Context, tx *ent.Tx, o *ent.Order, in ApplyInput, channel *events.ChannelUpdated) error {
	t, err := Next(o.Status, (*order.Status)(o.StatusBeforeHold), o.PaymentStatus, o.PaymentMethod, in.Command, in.Reason)
	if err != nil {
		return err
	}
	data := events.StatusChanged{Command: string(in.Command), Reason: in.Reason}
	if in.Command == Ship {
		data.Carrier, data.TrackingNumber = in.Carrier, in.TrackingNumber
	}
	if channel != nil {
		data.ChannelStatus, data.Normalized = channel.ChannelStatus, channel.Normalized
	}
	if err := s.move(ctx, tx, o, t, in.Reason, data); err != nil {
		return err
	}
	switch t.Stock {
	case ReleaseStock:
		err = s.Inventory.Release(ctx, tx, o.ID, nil, "order cancelled: "+in.Reason)
	case ShipStock:
		if s.Shipper != nil {
			err = s.Shipper.ShipAll(ctx, tx, o, in.Carrier, in.TrackingNumber)
		} else {
			err = s.Inventory.Ship(ctx, tx, o.ID, in.Carrier+" "+in.TrackingNumber)
		}
	}
	if err != nil {
		return err
	}
	if t.To != order.StatusCONFIRMED {
		return nil
	}
	unplaced, err := dispatch.Unplaced(ctx, tx.Client(), o)
	if err != nil {
		return err
	}
	return s.advance(ctx, tx, o, unplaced == 0)
}

// replenished tells the inventory's listeners that the stock an order held is free again.
func (s *Service) replenished(ctx context.Context, orderID pulid.ID) {
	if s.Inventory == nil || s.Inventory.Replenished == nil {
		return
	}
	variants, err := s.DB.Client.Allocation.Query().Where(allocation.OrderID(orderID)).
		Unique(true).Select(allocation.FieldVariantID).Strings(ctx)
	if err != nil {
		return // the periodic sweep will find the backorders
	}
	ids := make([]pulid.ID, len(variants))
	for i, v := range variants {
		ids[i] = pulid.ID(v)
	}
	s.Inventory.Replenished(ids)
}

// move applies one transition: a guarded status update (the status must still be what was read,
// so two racing commands cannot both apply) and its event.
func (s *Service) move(ctx context.Context, tx *ent.Tx, o *ent.Order, t Transition, reason string, data events.StatusChanged) error {
	upd := tx.Order.Update().Where(order.ID(o.ID), order.StatusEQ(t.From)).SetStatus(t.To).SetUpdatedAt(now())
	switch {
	case t.Remember:
		upd.SetStatusBeforeHold(order.StatusBeforeHold(t.From))
	case t.Restore:
		upd.ClearStatusBeforeHold()
	}
	if t.Payment != nil {
		upd.SetPaymentStatus(*t.Payment)
	}
	if t.Fulfillment != nil {
		upd.SetFulfillmentStatus(*t.Fulfillment)
	}
	if paidOff(t) {
		upd.ClearExpiresAt()
	}
	if t.To == order.StatusCANCELLED {
		upd.SetCancelReason(reason)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("update order: %w", err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "order %s changed while this command ran; retry", o.ID)
	}
	o.Status = t.To // keep the caller's copy true, so that a following transition starts from here
	switch {
	case t.Remember:
		from := order.StatusBeforeHold(t.From)
		o.StatusBeforeHold = &from
	case t.Restore:
		o.StatusBeforeHold = nil
	}
	if t.Payment != nil {
		o.PaymentStatus = *t.Payment
	}
	if t.Fulfillment != nil {
		o.FulfillmentStatus = *t.Fulfillment
	}
	data.From, data.To = string(t.From), string(t.To)
	return events.Append(ctx, tx, orderEvent(ctx, o, data))
}

// advance gives a confirmed order the status its reservations call for: allocated, or backordered.
func (s *Service) advance(ctx context.Context, tx *ent.Tx, o *ent.Order, fullyAllocated bool) error {
	cmd, ok := AutoAdvance(o.Status, fullyAllocated)
	if !ok {
		return nil
	}
	t, err := Next(o.Status, nil, o.PaymentStatus, o.PaymentMethod, cmd, "")
	if err != nil {
		return err
	}
	return s.move(ctx, tx, o, t, "", events.StatusChanged{Command: string(cmd)})
}

// settle moves a just-routed order on: allocated, backordered, or held for a person's review.
func (s *Service) settle(ctx context.Context, tx *ent.Tx, o *ent.Order, r dispatch.Routed) error {
	if r.Decision.Outcome != routing.OutcomeReview || o.Status != order.StatusCONFIRMED {
		return s.advance(ctx, tx, o, r.FullyPlaced())
	}
	reason := "routing needs review: " + r.Decision.ReviewReason
	t, err := Next(o.Status, nil, o.PaymentStatus, o.PaymentMethod, Hold, reason)
	if err != nil {
		return err
	}
	return s.move(ctx, tx, o, t, reason, events.StatusChanged{Command: string(Hold), Reason: reason})
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func orderEvent(ctx context.Context, o *ent.Order, data events.Payload) events.Event {
	e := events.Event{OrderID: string(o.ID), Payload: data, Actor: auth.Actor(ctx)}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	if o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return e
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

func now() time.Time { return time.Now().UTC() }

// newNumber makes a short human-facing order number, e.g. SO-7KX2M9QD.
func newNumber() string {
	u := ulid.MustNew(ulid.Now(), rand.Reader).String()
	return "SO-" + u[len(u)-8:]
}
