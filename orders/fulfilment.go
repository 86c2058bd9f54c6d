package orders

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/events"
)

// Shipper ships what is left of an order when the order itself is told it shipped (shipOrder, or a
// channel saying the order left): package fulfilment plans shipments for the open allocations and
// ships them, with their ledger movements, in tx.
type Shipper interface {
	ShipAll(ctx context.Context, tx *ent.Tx, o *ent.Order, carrier, trackingNumber string) error
}

// Fulfilment is what an order's shipments add up to, as package fulfilment decides it.
type Fulfilment struct {
	Status order.FulfillmentStatus
	// Step is the pre-shipment status every open shipment has reached (PICKING, PACKED or
	// READY_TO_SHIP); empty when none.
	Step order.Status
	// Shipped is true when every unit has left; Delivered when, besides, every shipment arrived.
	Shipped, Delivered bool
	// Exception names a shipment's trouble (an exception, a return to sender); empty when none.
	Exception string
	// Carrier and TrackingNumber go on the order's SHIP event.
	Carrier, TrackingNumber string
}

// steps are the commands that move an order through its pre-shipment states, in order.
var steps = []struct {
	to  order.Status
	cmd Command
}{{order.StatusPICKING, StartPicking}, {order.StatusPACKED, Pack}, {order.StatusREADY_TO_SHIP, MarkReadyToShip}}

// Follow moves an order to what its shipments add up to, in tx: its fulfilment status, then the
// lifecycle transitions they call for (picking, packed, ready, shipped, delivered, exception).
// A transition the order's state does not allow (it is on hold, say) is left for later: the
// shipments are the truth, and the next change catches the order up.
func (s *Service) Follow(ctx context.Context, tx *ent.Tx, o *ent.Order, f Fulfilment) error {
	if f.Status != "" && f.Status != o.FulfillmentStatus {
		if err := tx.Order.UpdateOneID(o.ID).SetFulfillmentStatus(f.Status).SetUpdatedAt(now()).Exec(ctx); err != nil {
			return fmt.Errorf("update fulfilment status: %w", err)
		}
		o.FulfillmentStatus = f.Status
	}
	try := func(cmd Command, reason string, data events.StatusChanged) error {
		t, err := Next(o.Status, (*order.Status)(o.StatusBeforeHold), o.PaymentStatus, o.PaymentMethod, cmd, reason)
		if err != nil {
			return nil // not now (see above)
		}
		data.Command, data.Reason = string(cmd), reason
		if err := s.move(ctx, tx, o, t, reason, data); err != nil {
			return err
		}
		if t.Fulfillment != nil && f.Status != "" && *t.Fulfillment != f.Status {
			// The rule's own idea of fulfilment (SHIP: fulfilled) yields to the shipments'.
			if err := tx.Order.UpdateOneID(o.ID).SetFulfillmentStatus(f.Status).Exec(ctx); err != nil {
				return fmt.Errorf("update fulfilment status: %w", err)
			}
			o.FulfillmentStatus = f.Status
		}
		return nil
	}
	if !f.Shipped && f.Step != "" {
		for _, st := range steps {
			if o.Status == order.StatusALLOCATED || o.Status == order.StatusPICKING || o.Status == order.StatusPACKED {
				if rank(o.Status) < rank(st.to) && rank(st.to) <= rank(f.Step) {
					if err := try(st.cmd, "", events.StatusChanged{}); err != nil {
						return err
					}
				}
			}
		}
	}
	if f.Shipped {
		if err := try(Ship, "", events.StatusChanged{Carrier: f.Carrier, TrackingNumber: f.TrackingNumber}); err != nil {
			return err
		}
	}
	if f.Exception != "" && o.Status == order.StatusSHIPPED {
		return try(ReportException, f.Exception, events.StatusChanged{})
	}
	if f.Delivered {
		if o.Status == order.StatusEXCEPTION {
			if err := try(ResolveException, "", events.StatusChanged{}); err != nil {
				return err
			}
		}
		return try(MarkDelivered, "", events.StatusChanged{})
	}
	return nil
}

func rank(s order.Status) int {
	switch s {
	case order.StatusALLOCATED:
		return 1
	case order.StatusPICKING:
		return 2
	case order.StatusPACKED:
		return 3
	case order.StatusREADY_TO_SHIP:
		return 4
	}
	return 0
}
