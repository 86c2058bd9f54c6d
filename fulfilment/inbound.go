package fulfilment

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
)

// ReturnShipmentInput is the parcel a return comes back in.
type ReturnShipmentInput struct {
	ReturnID pulid.ID
	// Number is the shipment's number, and its tracking reference until a carrier's label gives
	// one: the return's RMA number.
	Number string
	// LocationID is where the parcel goes back to.
	LocationID pulid.ID
	// Contents, WeightGrams and the dimensions describe its one package (an estimate: the carrier
	// weighs it).
	Contents                    []schema.PackageItem
	WeightGrams                 int
	LengthMM, WidthMM, HeightMM int
}

// CreateReturnShipment makes the RETURN shipment of a return of o in the caller's transaction: it
// travels from the customer to in.LocationID, carries no allocations (no stock moves when it
// ships; receiving the return does that), starts OPEN with the RMA number as its tracking
// reference, and is tracked like any shipment (a label bought for it, carriers' scans).
func (s *Service) CreateReturnShipment(ctx context.Context, tx *ent.Tx, o *ent.Order, in ReturnShipmentInput) (*ent.Shipment, error) {
	sh, err := tx.Shipment.Create().SetOrderID(o.ID).SetLocationID(in.LocationID).SetNumber(in.Number).
		SetDirection(shipment.DirectionRETURN).SetReturnID(in.ReturnID).SetMethod(shipment.MethodMANUAL).
		SetTrackingNumbers([]string{in.Number}).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create return shipment: %w", err)
	}
	var units int64
	for _, it := range in.Contents {
		units += it.Quantity
	}
	err = tx.ShipmentPackage.Create().SetShipmentID(sh.ID).SetIndex(1).SetWeightGrams(in.WeightGrams).
		SetLengthMm(in.LengthMM).SetWidthMm(in.WidthMM).SetHeightMm(in.HeightMM).SetContents(in.Contents).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("create return package: %w", err)
	}
	return sh, events.Append(ctx, tx, s.event(ctx, o, sh, events.ShipmentCreated{
		ShipmentID: string(sh.ID), Number: sh.Number, Method: string(sh.Method), Units: units, Packages: 1,
	}))
}
