package holds

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockhold"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Convert turns a hold into the order orderID at checkout, inside the order's transaction tx and
// before the order reserves: the hold must be ACTIVE, not past its expiry, and made by the calling
// key (another key's hold is NOT_FOUND). Its units are released (HOLD_RELEASE) and the hold marked
// CONVERTED; the order then reserves in the same transaction, while this transaction's updates
// still lock the levels it released, so no one else can take those units in between. An ended or
// expired hold is a CONFLICT, and the caller rolls the order back.
func (s *Service) Convert(ctx context.Context, tx *ent.Tx, holdID, orderID pulid.ID) error {
	if err := holdID.Validate("hld"); err != nil {
		return fault.New(fault.InvalidArgument, "holdID: %v", err)
	}
	h, err := own(ctx, tx.Client(), holdID)
	if err != nil {
		return err
	}
	if h.Status != stockhold.StatusACTIVE {
		return fault.New(fault.Conflict, "hold %s is %s", h.ID, h.Status).With("status", string(h.Status))
	}
	if !s.now().Before(h.ExpiresAt) {
		return fault.New(fault.Conflict, "hold %s expired at %s", h.ID, h.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"))
	}
	_, err = s.end(ctx, tx, h, stockhold.StatusCONVERTED, &orderID, "converted into order "+string(orderID),
		events.HoldConverted{HoldID: string(h.ID), Cart: h.Cart, OrderID: string(orderID)})
	return err
}
