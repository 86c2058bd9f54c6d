package fulfilment

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentline"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Replan is the command name on the event of a shipment packed again after units of it were
// cancelled.
const Replan Command = "REPLAN"

// Replan packs again, in tx, open shipments of o whose allocations changed (units of their lines
// cancelled, units an edit added at their origin): their lines and packages are written anew from
// the open allocations they carry, the order's unplanned ones at the same origin joining them, and
// one left with none is cancelled. Then the order follows its shipments. Only shipments
// nobody started picking are replanned; any other is a CONFLICT. It implements orders.Replanner.
func (s *Service) Replan(ctx context.Context, tx *ent.Tx, o *ent.Order, shipments []pulid.ID) error {
	if len(shipments) == 0 {
		return nil
	}
	boxes, err := dispatch.Boxes(ctx, tx.Client())
	if err != nil {
		return err
	}
	now := s.now()
	for _, id := range shipments {
		sh, err := tx.Shipment.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("load shipment: %w", err)
		}
		if sh.Status != shipment.StatusOPEN {
			return fault.New(fault.Conflict, "picking started: shipment %s is %s", sh.Number, sh.Status).With("reason", "PICKING_STARTED")
		}
		// Units an edit reserved at the shipment's origin travel with it.
		err = tx.Allocation.Update().Where(allocation.OrderID(o.ID), allocation.LocationID(sh.LocationID), allocation.StatusEQ(allocation.StatusOPEN),
			allocation.ShipmentIDIsNil()).SetShipmentID(sh.ID).SetUpdatedAt(now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("claim allocations: %w", err)
		}
		allocs, err := tx.Allocation.Query().Where(allocation.ShipmentID(sh.ID), allocation.StatusEQ(allocation.StatusOPEN)).
			WithVariant().Order(allocation.ByID()).All(ctx)
		if err != nil {
			return fmt.Errorf("load allocations: %w", err)
		}
		if _, err := tx.ShipmentLine.Delete().Where(shipmentline.ShipmentID(sh.ID)).Exec(ctx); err != nil {
			return fmt.Errorf("delete shipment lines: %w", err)
		}
		if _, err := tx.ShipmentPackage.Delete().Where(shipmentpackage.ShipmentID(sh.ID)).Exec(ctx); err != nil {
			return fmt.Errorf("delete packages: %w", err)
		}
		ev := events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(Replan), From: string(sh.Status), To: string(sh.Status)}
		upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusEQ(shipment.StatusOPEN)).SetUpdatedAt(now)
		if len(allocs) == 0 {
			ev.Command, ev.To, ev.Reason = string(Cancel), string(shipment.StatusCANCELLED), "every unit of it was cancelled"
			upd.SetStatus(shipment.StatusCANCELLED).SetCancelledAt(now).SetCancelReason(ev.Reason)
		} else {
			units, _, err := fill(ctx, tx, sh.ID, allocs, boxes)
			if err != nil {
				return err
			}
			ev.Reason = fmt.Sprintf("units cancelled; %d stay", units)
		}
		if n, err := upd.Save(ctx); err != nil {
			return fmt.Errorf("update shipment: %w", err)
		} else if n != 1 {
			return fault.New(fault.Conflict, "shipment %s changed while it was packed again; retry", sh.ID)
		}
		sh.Status = shipment.Status(ev.To)
		if err := events.Append(ctx, tx, s.event(ctx, o, sh, ev)); err != nil {
			return err
		}
	}
	return s.follow(ctx, tx, o)
}
