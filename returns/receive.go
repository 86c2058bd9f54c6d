package returns

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/disposition"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

// ReceiveLine is a quantity of one return line that arrived. It is an alias, so that a literal of
// the anonymous struct type is a ReceiveLine too.
type ReceiveLine = struct {
	ReturnLineID pulid.ID
	Quantity     int64
}

// ReceiveInput records units of a return arriving at a location (one parcel, or part of one).
type ReceiveInput struct {
	ReturnID, LocationID pulid.ID
	Lines                []ReceiveLine
}

// DispositionInput decides what became of received units of a return.
type DispositionInput struct {
	ReturnID pulid.ID
	Lines    []DispositionLine
}

// DispositionLine dispositions a quantity of one return line's received units. LocationID is where
// they are (nil: where the return was last received); MISSING units are nowhere.
type DispositionLine struct {
	ReturnLineID pulid.ID
	Kind         disposition.Kind
	Quantity     int64
	LocationID   *pulid.ID
	Note         string
}

// Receive records units that arrived, per line and in parts, at any location (which becomes the
// return's location: its units are dispositioned there by default). A line receives at most the
// units asked back. Receiving moves no stock: the units wait for their disposition.
func (s *Service) Receive(ctx context.Context, in ReceiveInput) (*ent.OrderReturn, error) {
	if len(in.Lines) == 0 {
		return nil, fault.New(fault.InvalidArgument, "a receipt needs at least one line")
	}
	return s.run(ctx, in.ReturnID, func(ctx context.Context, p *op) error {
		if err := s.checkLocation(ctx, p.tx, &in.LocationID); err != nil {
			return err
		}
		p.r.LocationID = &in.LocationID
		if err := s.move(ctx, p, Receive, "", func(u *ent.OrderReturnUpdate) { u.SetLocationID(in.LocationID) }); err != nil {
			return err
		}
		lines, err := linesOf(ctx, p.tx, p.r.ID)
		if err != nil {
			return err
		}
		ev := events.ReturnReceived{ReturnID: string(p.r.ID), LocationID: string(in.LocationID)}
		for i, rl := range in.Lines {
			l := lines[rl.ReturnLineID]
			switch {
			case l == nil:
				return fault.New(fault.InvalidArgument, "lines[%d]: %s is not a line of return %s", i, rl.ReturnLineID, p.r.ID)
			case rl.Quantity <= 0:
				return fault.New(fault.InvalidArgument, "lines[%d].quantity must be positive, got %d", i, rl.Quantity)
			case l.ReceivedQuantity+rl.Quantity > l.Quantity:
				return fault.New(fault.Conflict, "cannot receive %d more of %s: %d asked back, %d received", rl.Quantity, l.Sku, l.Quantity, l.ReceivedQuantity).
					With("sku", l.Sku)
			}
			if err := p.tx.ReturnLine.UpdateOne(l).AddReceivedQuantity(rl.Quantity).Exec(ctx); err != nil {
				return fmt.Errorf("receive return line: %w", err)
			}
			l.ReceivedQuantity += rl.Quantity
			ev.Units += rl.Quantity
			ev.Lines = append(ev.Lines, events.ReturnLineAmount{ReturnLineID: string(l.ID), SKU: l.Sku, Quantity: rl.Quantity})
		}
		p.event(ctx, &in.LocationID, ev)
		p.sync = true
		if p.r.ExchangeOrderID != nil && s.Queue != nil {
			// The replacement held for these goods may go: asked in this transaction, so that a
			// committed receipt never leaves it held.
			return s.Queue.InsertTx(ctx, p.tx, river.InsertManyParams{Args: ReleaseExchangeArgs{ReturnID: p.r.ID}})
		}
		return nil
	})
}

// Disposition decides what became of received units, several kinds per line if need be (3 back on
// sale, 1 damaged): sellable units go back on hand at their location (available at once, and the
// channels hear of it), damaged and quarantined units to non-sellable stock there, missing and
// written-off units nowhere. A line dispositions at most the units it received. Once every received
// unit has a disposition the return is INSPECTED.
func (s *Service) Disposition(ctx context.Context, in DispositionInput) (*ent.OrderReturn, error) {
	if len(in.Lines) == 0 {
		return nil, fault.New(fault.InvalidArgument, "a disposition needs at least one line")
	}
	return s.run(ctx, in.ReturnID, func(ctx context.Context, p *op) error {
		if err := s.move(ctx, p, Dispose, "", nil); err != nil {
			return err
		}
		lines, err := linesOf(ctx, p.tx, p.r.ID)
		if err != nil {
			return err
		}
		for i, dl := range in.Lines {
			l := lines[dl.ReturnLineID]
			switch {
			case l == nil:
				return fault.New(fault.InvalidArgument, "lines[%d]: %s is not a line of return %s", i, dl.ReturnLineID, p.r.ID)
			case dl.Quantity <= 0:
				return fault.New(fault.InvalidArgument, "lines[%d].quantity must be positive, got %d", i, dl.Quantity)
			case disposition.KindValidator(dl.Kind) != nil:
				return fault.New(fault.InvalidArgument, "lines[%d].kind: unknown disposition %q", i, dl.Kind)
			case l.DispositionedQuantity+dl.Quantity > l.ReceivedQuantity:
				return fault.New(fault.Conflict, "cannot disposition %d more of %s: %d received, %d dispositioned", dl.Quantity, l.Sku, l.ReceivedQuantity, l.DispositionedQuantity).
					With("sku", l.Sku)
			}
			loc := dl.LocationID
			if loc == nil {
				loc = p.r.LocationID
			}
			if dl.Kind == disposition.KindMISSING {
				loc = nil
			} else if loc == nil {
				return fault.New(fault.InvalidArgument, "lines[%d]: where are the units? give a locationID", i)
			} else if err := s.checkLocation(ctx, p.tx, loc); err != nil {
				return err
			}
			if err := p.tx.ReturnLine.UpdateOne(l).AddDispositionedQuantity(dl.Quantity).Exec(ctx); err != nil {
				return fmt.Errorf("update return line: %w", err)
			}
			l.DispositionedQuantity += dl.Quantity
			if err := s.dispose(ctx, p, l, dl.Kind, dl.Quantity, loc, nil, dl.Note); err != nil {
				return err
			}
		}
		if !Inspected(lines) {
			return nil
		}
		return s.move(ctx, p, Inspect, "", nil)
	})
}

// Inspected reports whether every received unit of a return's lines has a disposition. It is pure.
func Inspected(lines map[pulid.ID]*ent.ReturnLine) bool {
	for _, l := range lines {
		if l.DispositionedQuantity < l.ReceivedQuantity {
			return false
		}
	}
	return true
}

// Redisposition decides again about q open units of a DAMAGED or QUARANTINE disposition: back on
// sale (they become available), damaged or quarantined (moved between the buckets), or written off
// (removed from stock). It records a new disposition that names the old one.
func (s *Service) Redisposition(ctx context.Context, dispositionID pulid.ID, kind disposition.Kind, quantity int64, note string) (*ent.OrderReturn, error) {
	if quantity <= 0 {
		return nil, fault.New(fault.InvalidArgument, "quantity must be positive, got %d", quantity)
	}
	switch kind {
	case disposition.KindSELLABLE, disposition.KindDAMAGED, disposition.KindQUARANTINE, disposition.KindWRITE_OFF:
	default:
		return nil, fault.New(fault.InvalidArgument, "cannot re-disposition units as %s", kind)
	}
	d, err := dispositionOf(ctx, s.DB.Client, dispositionID)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, d.ReturnID, func(ctx context.Context, p *op) error {
		d, err := p.tx.Disposition.Get(ctx, dispositionID)
		if err != nil {
			return fmt.Errorf("load disposition: %w", err)
		}
		if d.Kind != disposition.KindDAMAGED && d.Kind != disposition.KindQUARANTINE {
			return fault.New(fault.Conflict, "a %s disposition cannot be re-dispositioned", d.Kind)
		}
		if d.Kind == kind {
			return fault.New(fault.InvalidArgument, "the units are %s already", kind)
		}
		if err := s.checkLocation(ctx, p.tx, d.LocationID); err != nil {
			return err
		}
		// A guarded update of the return keeps two re-dispositions of its units from racing.
		if err := s.touch(ctx, p); err != nil {
			return err
		}
		n, err := p.tx.Disposition.Update().Where(disposition.ID(d.ID), disposition.OpenQuantityGTE(quantity)).
			AddOpenQuantity(-quantity).Save(ctx)
		if err != nil {
			return fmt.Errorf("update disposition: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "only %d units of disposition %s are open", d.OpenQuantity, d.ID).With("open", d.OpenQuantity)
		}
		l, err := p.tx.ReturnLine.Get(ctx, d.ReturnLineID)
		if err != nil {
			return fmt.Errorf("load return line: %w", err)
		}
		return s.dispose(ctx, p, l, kind, quantity, d.LocationID, d, note)
	})
}

// touch bumps the return's version under a guard, as move does, without a status change.
func (s *Service) touch(ctx context.Context, p *op) error {
	n, err := p.tx.OrderReturn.Update().Where(orderReturnIs(p.r)).AddVersion(1).Save(ctx)
	if err != nil {
		return fmt.Errorf("update return: %w", err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "return %s changed while this command ran; retry", p.r.ID)
	}
	p.r.Version++
	return nil
}

// dispose records one disposition of q units of line l at loc and moves their stock: into a
// bucket, or (from is set) out of from's bucket into another, or out of stock.
func (s *Service) dispose(ctx context.Context, p *op, l *ent.ReturnLine, kind disposition.Kind, q int64, loc *pulid.ID, from *ent.Disposition, note string) error {
	c := p.tx.Disposition.Create().SetReturnID(p.r.ID).SetReturnLineID(l.ID).SetKind(kind).SetQuantity(q).
		SetNillableLocationID(loc).SetNote(strings.TrimSpace(note)).SetActor(auth.Actor(ctx))
	if kind == disposition.KindDAMAGED || kind == disposition.KindQUARANTINE {
		c.SetOpenQuantity(q)
	}
	if from != nil {
		c.SetFromID(from.ID)
	}
	d, err := c.Save(ctx)
	if err != nil {
		return fmt.Errorf("create disposition: %w", err)
	}
	if l.VariantID != nil && loc != nil {
		if err := s.moveStock(ctx, p, l, d, from); err != nil {
			return err
		}
	}
	ev := events.ReturnDispositioned{ReturnID: string(p.r.ID), DispositionID: string(d.ID), ReturnLineID: string(l.ID),
		SKU: l.Sku, Disposition: string(kind), Quantity: q, Note: d.Note}
	if loc != nil {
		ev.LocationID = string(*loc)
	}
	if from != nil {
		ev.FromID = string(from.ID)
	}
	p.event(ctx, loc, ev)
	return nil
}

// bucketOf is the stock bucket units of a disposition kind sit in; "" for none (missing, written off).
func bucketOf(k disposition.Kind) inventory.Bucket {
	switch k {
	case disposition.KindSELLABLE:
		return inventory.Sellable
	case disposition.KindDAMAGED:
		return inventory.Damaged
	case disposition.KindQUARANTINE:
		return inventory.Quarantined
	}
	return ""
}

// moveStock moves the stock of disposition d of line l (re-dispositioning from, if set). A bundle
// line moves its components' units.
func (s *Service) moveStock(ctx context.Context, p *op, l *ent.ReturnLine, d *ent.Disposition, from *ent.Disposition) error {
	comps, err := p.tx.BundleComponent.Query().Where(bundlecomponent.BundleID(*l.VariantID)).WithComponent().All(ctx)
	if err != nil {
		return fmt.Errorf("load bundle components: %w", err)
	}
	type part struct {
		variant pulid.ID
		sku     string
		units   int64
	}
	parts := []part{{*l.VariantID, l.Sku, d.Quantity}}
	if len(comps) > 0 {
		parts = parts[:0]
		for _, bc := range comps {
			parts = append(parts, part{bc.ComponentID, bc.Edges.Component.Sku, d.Quantity * int64(bc.Quantity)})
		}
	}
	to := bucketOf(d.Kind)
	for _, pt := range parts {
		in := inventory.Returned{VariantID: pt.variant, LocationID: *d.LocationID, SKU: pt.sku, Quantity: pt.units,
			Reference: string(p.r.ID), OrderID: p.r.OrderID, Reason: "return " + p.r.Number + ": " + string(d.Kind)}
		switch {
		case from != nil:
			_, err = s.Inventory.Redisposition(ctx, p.tx, in, bucketOf(from.Kind), to)
		case to != "":
			_, err = s.Inventory.ReturnTo(ctx, p.tx, in, to)
		}
		if err != nil {
			return err
		}
		if to == inventory.Sellable {
			p.restocked = append(p.restocked, pt.variant)
		}
	}
	return nil
}

// linesOf loads a return's lines by id.
func linesOf(ctx context.Context, tx *ent.Tx, id pulid.ID) (map[pulid.ID]*ent.ReturnLine, error) {
	ls, err := tx.ReturnLine.Query().Where(returnline.ReturnID(id)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load return lines: %w", err)
	}
	out := make(map[pulid.ID]*ent.ReturnLine, len(ls))
	for _, l := range ls {
		out[l.ID] = l
	}
	return out, nil
}
