package orders

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// HoldConverter turns a cart's stock hold into an order at checkout, inside the order's
// transaction and before the order reserves: it checks the hold (active, unexpired, the caller's
// own), releases its units and marks it converted. Package holds implements it.
type HoldConverter interface {
	Convert(ctx context.Context, tx *ent.Tx, holdID, orderID pulid.ID) error
}

// convertHold converts the hold an order is placed with, if it names one. The order then routes
// as any order does, on stock that now counts the hold's units as free: no unit is reserved twice,
// and routing may choose other locations than the hold's (the units it leaves are free again).
func (s *Service) convertHold(ctx context.Context, tx *ent.Tx, in PlaceInput, orderID pulid.ID) error {
	if in.HoldID == nil {
		return nil
	}
	if s.Holds == nil {
		return fmt.Errorf("place with hold %s: no hold service", *in.HoldID)
	}
	return s.Holds.Convert(ctx, tx, *in.HoldID, orderID)
}
