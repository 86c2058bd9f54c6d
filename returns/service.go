package returns

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/disposition"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/jobs"
)

// Service runs return commands.
type Service struct {
	DB *database.DB
	// Inventory moves dispositioned units in the return's transaction.
	Inventory *inventory.Service
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
	// Now is the time returns are stamped with (and return windows measured at); nil: time.Now.
	Now func() time.Time
	// Queue takes, in a receipt's transaction, the job that releases an exchange held for the return
	// (ReleaseExchangeArgs, worked by Refunds); nil: held exchanges wait for ReleaseExchange.
	Queue *jobs.Queue
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

// op is one command on one return inside its transaction: the return and its order as read, the
// events to append and the variants made more available, both handled by run.
type op struct {
	tx        *ent.Tx
	r         *ent.OrderReturn
	o         *ent.Order
	evs       []events.Event
	restocked []pulid.ID
	// sync asks for the order's return status to be worked out again.
	sync bool
}

// event adds an event of the return to op, at location loc (nil: the return's expected location).
func (p *op) event(ctx context.Context, loc *pulid.ID, payload events.Payload) {
	e := events.Event{OrderID: string(p.r.OrderID), Payload: payload, Actor: auth.Actor(ctx)}
	if p.o.CustomerID != nil {
		e.CustomerID = string(*p.o.CustomerID)
	}
	if p.o.ChannelID != nil {
		e.ChannelID = string(*p.o.ChannelID)
	}
	if loc == nil {
		loc = p.r.LocationID
	}
	if loc != nil {
		e.LocationID = string(*loc)
	}
	p.evs = append(p.evs, e)
}

// Update runs fn inside a transaction on return id, for the package's other files and callers that
// change a return in ways the commands here do not (refunds, channel sync). fn sees the return as
// read; it appends its own events.
func (s *Service) Update(ctx context.Context, id pulid.ID, fn func(tx *ent.Tx, r *ent.OrderReturn) error) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error { return fn(p.tx, p.r) })
}

// run runs fn on return id in a transaction of its own (runTx), commits, wakes the hub, tells the
// backorder releaser of units back on sale, and answers the return as it is then.
func (s *Service) run(ctx context.Context, id pulid.ID, fn func(context.Context, *op) error) (*ent.OrderReturn, error) {
	if err := id.Validate("ret"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "returnID: %v", err)
	}
	var restocked []pulid.ID
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var err error
		restocked, err = s.runTx(ctx, tx, id, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	if s.Inventory != nil {
		s.Inventory.Replenish(restocked)
	}
	return s.DB.Client.OrderReturn.Get(ctx, id)
}

// runTx loads return id and its order in tx, runs fn, brings the order's return status up to date
// if asked, and appends fn's events. It returns the variants fn put back on sale.
func (s *Service) runTx(ctx context.Context, tx *ent.Tx, id pulid.ID, fn func(context.Context, *op) error) ([]pulid.ID, error) {
	r, err := tx.OrderReturn.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "return %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load return: %w", err)
	}
	// The viewer sees the return: its order is read whatever the viewer's row filters say (a
	// partner receives at its location the return of an order shipped from elsewhere).
	o, err := tx.Order.Get(unscoped(ctx), r.OrderID)
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	p := &op{tx: tx, r: r, o: o}
	if err := fn(ctx, p); err != nil {
		return nil, err
	}
	if p.sync {
		if err := s.syncOrder(ctx, tx, o); err != nil {
			return nil, err
		}
	}
	return p.restocked, events.Append(ctx, tx, p.evs...)
}

// ApplyTx runs a command that needs no more than a reason (Approve, Decline, MarkInTransit,
// Complete, Close, Cancel, Reopen) on return id in the caller's transaction, for channel sync: the
// caller wakes the hub after its commit. Receipts and dispositions have their own calls.
func (s *Service) ApplyTx(ctx context.Context, tx *ent.Tx, id pulid.ID, cmd Command, reason string) (*ent.OrderReturn, error) {
	switch cmd {
	case Receive, Dispose, Inspect:
		return nil, fault.New(fault.InvalidArgument, "%s is not applied by itself", cmd)
	}
	if _, err := s.runTx(ctx, tx, id, func(ctx context.Context, p *op) error {
		p.sync = cmd == Decline || cmd == Cancel
		return s.move(ctx, p, cmd, reason, nil)
	}); err != nil {
		return nil, err
	}
	return tx.OrderReturn.Get(ctx, id)
}

// Event is an event of return r of order o for callers that append their own (refunds, channel
// sync): it carries the order, its customer and channel, the actor in ctx, and loc (nil: the
// return's location).
func Event(ctx context.Context, r *ent.OrderReturn, o *ent.Order, loc *pulid.ID, payload events.Payload) events.Event {
	p := &op{r: r, o: o}
	p.event(ctx, loc, payload)
	return p.evs[0]
}

// move applies cmd to the return of p: a guarded update (the return must still be the version read,
// so two racing commands cannot both apply), the timestamps of the new status, set's extra changes,
// and a status event when the status changes.
func (s *Service) move(ctx context.Context, p *op, cmd Command, reason string, set func(*ent.OrderReturnUpdate)) error {
	to, err := NextFor(p.r.Kind, p.r.Status, cmd)
	if err != nil {
		return err
	}
	if NeedsReason(cmd) && reason == "" {
		return fault.New(fault.InvalidArgument, "%s needs a reason", verb(cmd))
	}
	from := p.r.Status
	now := s.now()
	upd := p.tx.OrderReturn.Update().Where(orderReturnIs(p.r)).SetStatus(to).AddVersion(1)
	if from != to {
		switch to {
		case orderreturn.StatusAPPROVED:
			upd.SetApprovedAt(now).ClearClosedAt().ClearCompletedAt()
		case orderreturn.StatusDECLINED:
			upd.SetDeclineReason(reason)
		case orderreturn.StatusRECEIVED:
			if p.r.ReceivedAt == nil {
				upd.SetReceivedAt(now)
			}
		case orderreturn.StatusINSPECTED:
			upd.SetInspectedAt(now)
		case orderreturn.StatusCOMPLETED:
			upd.SetCompletedAt(now)
		case orderreturn.StatusCLOSED:
			upd.SetClosedAt(now)
		case orderreturn.StatusCANCELLED:
			upd.SetCancelledAt(now)
		}
	}
	if set != nil {
		set(upd)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("update return: %w", err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "return %s changed while this command ran; retry", p.r.ID)
	}
	p.r.Status = to
	p.r.Version++
	if from != to {
		p.event(ctx, nil, events.ReturnStatusChanged{ReturnID: string(p.r.ID), Command: string(cmd), From: string(from), To: string(to), Reason: reason})
	}
	return nil
}

// Approve accepts a requested return; locationID, if given, is where the goods are expected.
func (s *Service) Approve(ctx context.Context, id pulid.ID, locationID *pulid.ID) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error {
		if err := s.checkLocation(ctx, p.tx, locationID); err != nil {
			return err
		}
		if locationID == nil {
			return s.move(ctx, p, Approve, "", nil)
		}
		p.r.LocationID = locationID
		return s.move(ctx, p, Approve, "", func(u *ent.OrderReturnUpdate) { u.SetLocationID(*locationID) })
	})
}

// Decline refuses a requested return, with a reason; its units count as returnable again.
func (s *Service) Decline(ctx context.Context, id pulid.ID, reason string) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error {
		p.sync = true
		return s.move(ctx, p, Decline, reason, nil)
	})
}

// MarkInTransit records that the goods of an approved return are on their way back.
func (s *Service) MarkInTransit(ctx context.Context, id pulid.ID) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error { return s.move(ctx, p, MarkInTransit, "", nil) })
}

// Complete records that what the return asked for (refund, exchange, replacement) is settled.
func (s *Service) Complete(ctx context.Context, id pulid.ID) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error {
		if err := Settled(ctx, p.tx, p.r); err != nil {
			return err
		}
		return s.move(ctx, p, Complete, "", nil)
	})
}

// Close closes a completed return.
func (s *Service) Close(ctx context.Context, id pulid.ID) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error { return s.move(ctx, p, Close, "", nil) })
}

// Cancel withdraws a return before anything of it arrived; its units count as returnable again.
func (s *Service) Cancel(ctx context.Context, id pulid.ID, reason string) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error {
		p.sync = true
		return s.move(ctx, p, Cancel, reason, nil)
	})
}

// Reopen opens a closed return again, approved (more units to receive, a late refund).
func (s *Service) Reopen(ctx context.Context, id pulid.ID) (*ent.OrderReturn, error) {
	return s.run(ctx, id, func(ctx context.Context, p *op) error { return s.move(ctx, p, Reopen, "", nil) })
}

// checkLocation refuses a location that does not exist, or that a partner viewer does not serve.
func (s *Service) checkLocation(ctx context.Context, tx *ent.Tx, id *pulid.ID) error {
	if id == nil {
		return nil
	}
	if err := id.Validate("loc"); err != nil {
		return fault.New(fault.InvalidArgument, "locationID: %v", err)
	}
	ok, err := tx.Location.Get(ctx, *id)
	if ent.IsNotFound(err) {
		return fault.New(fault.NotFound, "location %s not found", *id)
	}
	if err != nil {
		return fmt.Errorf("load location: %w", err)
	}
	if v, has := auth.FromContext(ctx); has && !v.Serves(ok.ID) {
		return fault.New(fault.Forbidden, "this key does not serve location %s", *id)
	}
	return nil
}

// unscoped is ctx for the reads a command makes once the viewer was found to see its return or
// order: what it counts (shipped units, other returns of the order) must not depend on the viewer's
// row filters. Writes keep ctx, and so the viewer as their actor.
func unscoped(ctx context.Context) context.Context { return auth.NewContext(ctx, auth.System) }

// syncOrder gives o the return status its active returns and shipped units call for.
func (s *Service) syncOrder(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	ctx = unscoped(ctx)
	shipped, err := shippedUnits(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	var total int64
	for _, q := range shipped {
		total += q
	}
	active, err := tx.OrderReturn.Query().Where(orderreturn.OrderID(o.ID), orderreturn.StatusNotIn(orderreturn.StatusDECLINED, orderreturn.StatusCANCELLED)).Count(ctx)
	if err != nil {
		return fmt.Errorf("count returns: %w", err)
	}
	lines, err := tx.ReturnLine.Query().Where(returnline.HasReturnWith(orderreturn.OrderID(o.ID),
		orderreturn.StatusNotIn(orderreturn.StatusDECLINED, orderreturn.StatusCANCELLED))).All(ctx)
	if err != nil {
		return fmt.Errorf("load return lines: %w", err)
	}
	var received int64
	for _, l := range lines {
		received += l.ReceivedQuantity
	}
	st := OrderStatus(active, received, total)
	if st == o.ReturnStatus {
		return nil
	}
	if err := tx.Order.UpdateOneID(o.ID).SetReturnStatus(st).Exec(ctx); err != nil {
		return fmt.Errorf("update order return status: %w", err)
	}
	o.ReturnStatus = st
	return nil
}

// dispositionOf loads a disposition (through its return, so a viewer's row filters apply).
func dispositionOf(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Disposition, error) {
	if err := id.Validate("dsp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "dispositionID: %v", err)
	}
	d, err := c.Disposition.Query().Where(disposition.ID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "disposition %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load disposition: %w", err)
	}
	return d, nil
}

// orderReturnIs guards an update of r: it must still be the version read.
func orderReturnIs(r *ent.OrderReturn) predicate.OrderReturn {
	return orderreturn.And(orderreturn.ID(r.ID), orderreturn.Version(r.Version))
}
