package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/ent"
)

// Repromise moves an order's promised delivery to t in tx, when a late shipment is promised anew
// (package fulfilment records the shipment.delayed event that says why, on the order's timeline).
// The original promise (promised_delivery_to) is kept; repromised_delivery_to is the one the
// order is now held to.
func (s *Service) Repromise(ctx context.Context, tx *ent.Tx, o *ent.Order, t time.Time) error {
	t = t.UTC()
	if err := tx.Order.UpdateOneID(o.ID).SetRepromisedDeliveryTo(t).SetUpdatedAt(now()).Exec(ctx); err != nil {
		return fmt.Errorf("re-promise order %s: %w", o.ID, err)
	}
	o.RepromisedDeliveryTo = &t
	return nil
}
