package returns

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
)

// ShipmentMoved implements fulfilment.ReturnHook, in the shipment's transaction: a return shipment
// that left the customer moves its return IN_TRANSIT, and one delivered back raises return.arrived;
// an outbound parcel the carrier returned to the sender (a refused COD, an address not found)
// becomes an approved return expected back at its origin, once.
func (s *Service) ShipmentMoved(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, from shipment.Status) error {
	switch {
	case sh.Direction == shipment.DirectionRETURN && sh.ReturnID != nil:
		return s.returnShipmentMoved(ctx, tx, sh)
	case sh.Direction == shipment.DirectionOUTBOUND && sh.Status == shipment.StatusRETURNED_TO_SENDER:
		return s.returnedToSender(ctx, tx, o, sh)
	}
	return nil
}

// ShipmentStep is what a return shipment in status sh means for its return in status r: whether the
// return is now on its way (an approved return whose parcel left the customer), and whether the
// parcel arrived for staff to receive (delivered to the return location, nothing received yet). It
// is pure.
func ShipmentStep(r orderreturn.Status, sh shipment.Status) (inTransit, arrived bool) {
	moving := fulfilment.Shipped(sh) && sh != shipment.StatusRETURNED_TO_SENDER && sh != shipment.StatusCOLLECTED
	waiting := r == orderreturn.StatusAPPROVED || r == orderreturn.StatusIN_TRANSIT
	return moving && r == orderreturn.StatusAPPROVED, sh == shipment.StatusDELIVERED && waiting
}

func (s *Service) returnShipmentMoved(ctx context.Context, tx *ent.Tx, sh *ent.Shipment) error {
	_, err := s.runTx(ctx, tx, *sh.ReturnID, func(ctx context.Context, p *op) error {
		if p.r.ShipmentID == nil || *p.r.ShipmentID != sh.ID {
			return nil // a shipment the return no longer counts on
		}
		inTransit, arrived := ShipmentStep(p.r.Status, sh.Status)
		if inTransit {
			if err := s.move(ctx, p, MarkInTransit, "", nil); err != nil {
				return err
			}
		}
		if arrived {
			p.event(ctx, &sh.LocationID, events.ReturnArrived{ReturnID: string(p.r.ID), ShipmentID: string(sh.ID), Number: p.r.Number,
				LocationID: string(sh.LocationID)})
		}
		return nil
	})
	return err
}

// ReturnedToSenderNote is the note of a return made of a parcel the carrier returned to the sender.
const ReturnedToSenderNote = "the carrier returned the parcel to the sender"

// returnedToSender records the expected return of an outbound parcel the carrier brought back: an
// approved return (origin CARRIER) of the units the shipment carried that no other active return
// asks for already, expected at the shipment's origin, for the reason COD_REFUSED when the order
// was cash on delivery, else OTHER. A shipment returned before (a replayed scan) makes none.
func (s *Service) returnedToSender(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment) error {
	done, err := tx.OrderReturn.Query().Where(orderreturn.ShipmentID(sh.ID)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("look for the shipment's return: %w", err)
	}
	if done {
		return nil
	}
	carried, err := shipmentUnits(ctx, tx, o.ID, sh.ID)
	if err != nil {
		return err
	}
	ids := make([]pulid.ID, 0, len(carried))
	for id := range carried {
		ids = append(ids, id)
	}
	asked, err := tx.ReturnLine.Query().Where(returnline.OrderLineIDIn(ids...),
		returnline.HasReturnWith(orderreturn.StatusNotIn(orderreturn.StatusDECLINED, orderreturn.StatusCANCELLED))).All(ctx)
	if err != nil {
		return fmt.Errorf("load return lines: %w", err)
	}
	shipped, err := shippedUnits(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	already := map[pulid.ID]int64{}
	for _, l := range asked {
		already[l.OrderLineID] += l.Quantity
	}
	lines := RTSLines(carried, shipped, already)
	if len(lines) == 0 {
		return nil // every unit is on another return already
	}
	reason := ReasonOther
	if o.PaymentMethod == order.PaymentMethodCOD {
		reason = ReasonCODRefused
	}
	loc := sh.LocationID
	r, err := s.RequestTx(ctx, tx, RequestInput{OrderID: o.ID, Kind: orderreturn.KindRETURN, Origin: orderreturn.OriginCARRIER,
		Resolution: orderreturn.ResolutionREFUND, ReasonCode: reason, Note: ReturnedToSenderNote + " (shipment " + sh.Number + ")",
		LocationID: &loc, Lines: lines, Approve: true})
	if err != nil {
		return err
	}
	// The parcel coming back is the shipment that went out: the return counts on it.
	return tx.OrderReturn.UpdateOneID(r.ID).SetShipmentID(sh.ID).Exec(ctx)
}

// RTSLines are the lines of the return of a parcel that came back: per order line, the units the
// parcel carried, no more than what shipped and is not on another active return. Lines come in
// order-line id order. It is pure.
func RTSLines(carried, shipped, already map[pulid.ID]int64) []LineInput {
	var out []LineInput
	for id, q := range carried {
		q = min(q, shipped[id]-already[id])
		if q > 0 {
			out = append(out, LineInput{OrderLineID: id, Quantity: q})
		}
	}
	slices.SortFunc(out, func(a, b LineInput) int {
		switch {
		case a.OrderLineID < b.OrderLineID:
			return -1
		case a.OrderLineID > b.OrderLineID:
			return 1
		}
		return 0
	})
	return out
}

// shipmentUnits counts, per order line, the units one shipment carried (its shipped allocations),
// in whole bundles for a bundle line.
func shipmentUnits(ctx context.Context, tx *ent.Tx, orderID, shipmentID pulid.ID) (map[pulid.ID]int64, error) {
	as, err := tx.Allocation.Query().Where(allocation.OrderID(orderID), allocation.ShipmentID(shipmentID),
		allocation.StatusEQ(allocation.StatusSHIPPED)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	perVariant := map[[2]pulid.ID]int64{}
	var lineIDs []pulid.ID
	for _, a := range as {
		perVariant[[2]pulid.ID{a.LineID, a.VariantID}] += a.Quantity
		if !slices.Contains(lineIDs, a.LineID) {
			lineIDs = append(lineIDs, a.LineID)
		}
	}
	lines, err := tx.OrderLine.Query().Where(orderline.IDIn(lineIDs...), orderline.VariantIDNotNil()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	out := map[pulid.ID]int64{}
	for _, l := range lines {
		comps, err := tx.BundleComponent.Query().Where(bundlecomponent.BundleID(*l.VariantID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load bundle components: %w", err)
		}
		if n := BundlesOf(perVariant[[2]pulid.ID{l.ID, *l.VariantID}], comps, func(v pulid.ID) int64 { return perVariant[[2]pulid.ID{l.ID, v}] }); n > 0 {
			out[l.ID] = n
		}
	}
	return out, nil
}
