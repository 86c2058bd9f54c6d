package returns

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// The reasons of a claim's lines.
const (
	ClaimMissingItem = "MISSING_ITEM"
	ClaimWrongItem   = "WRONG_ITEM"
	ClaimDamaged     = "DAMAGED"
)

// ClaimLineInput is some units of one order line the customer reports missing, wrong or damaged.
type ClaimLineInput struct {
	OrderLineID pulid.ID
	Quantity    int64
	Reason      string
}

// ClaimInput reports a problem with an order's delivered goods and how to settle it: REPLACE ships
// the same items again, REFUND pays them back. Nothing is sent back.
type ClaimInput struct {
	OrderID    pulid.ID
	Lines      []ClaimLineInput
	Resolution orderreturn.Resolution
	Note       string
}

// Claim is a claim made: the approved return of kind CLAIM, and its replacement order or refund.
type Claim struct {
	Return      *ent.OrderReturn
	Replacement *ent.Order
	Refund      *ent.Refund
}

func (in ClaimInput) validate() error {
	if err := in.OrderID.Validate("ord"); err != nil {
		return fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	if in.Resolution != orderreturn.ResolutionREPLACE && in.Resolution != orderreturn.ResolutionREFUND {
		return fault.New(fault.InvalidArgument, "a claim is settled by REPLACE or REFUND, not %q", in.Resolution)
	}
	if len(in.Lines) == 0 {
		return fault.New(fault.InvalidArgument, "a claim needs at least one line")
	}
	for i, l := range in.Lines {
		switch l.Reason {
		case ClaimMissingItem, ClaimWrongItem, ClaimDamaged:
		default:
			return fault.New(fault.InvalidArgument, "line %d: a claim's reason is MISSING_ITEM, WRONG_ITEM or DAMAGED, not %q", i+1, l.Reason)
		}
	}
	return nil
}

// CreateClaim records a claim (a return of kind CLAIM, approved, with no goods to come back) and
// settles it in the same transaction: a replacement order of the same items (reserved and shipped
// like any order, never held: nothing is coming back) or a PENDING refund of the claimed units.
// A marketplace order's claim is the marketplace's: CONFLICT.
func (s *Refunds) CreateClaim(ctx context.Context, in ClaimInput) (Claim, error) {
	if err := in.validate(); err != nil {
		return Claim{}, err
	}
	var out Claim
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := loadOrder(ctx, tx, in.OrderID)
		if err != nil {
			return err
		}
		if marketplace(o) {
			return fault.New(fault.Conflict, "the marketplace settles its buyer's claims; decide the return instead").With("orderID", string(o.ID))
		}
		req := RequestInput{OrderID: in.OrderID, Kind: orderreturn.KindCLAIM, Origin: orderreturn.OriginAGENT,
			Resolution: in.Resolution, ReasonCode: in.Lines[0].Reason, Note: in.Note, Approve: true}
		for _, l := range in.Lines {
			req.Lines = append(req.Lines, LineInput{OrderLineID: l.OrderLineID, Quantity: l.Quantity, ReasonCode: l.Reason})
		}
		r, err := s.Returns.RequestTx(ctx, tx, req)
		if err != nil {
			return err
		}
		if r, err = tx.OrderReturn.Query().Where(orderreturn.ID(r.ID)).WithLines().Only(ctx); err != nil {
			return fmt.Errorf("load claim: %w", err)
		}
		out.Return = r
		if in.Resolution == orderreturn.ResolutionREFUND {
			ask, err := returnAsk(ctx, tx, r, nil)
			if err != nil {
				return err
			}
			out.Refund, err = s.grantTx(ctx, tx, o, r, Ask{Lines: ask}, "claim: "+in.Lines[0].Reason, "")
			return err
		}
		lines, err := replacementLines(ctx, tx, r)
		if err != nil {
			return err
		}
		out.Replacement, err = s.exchangeTx(ctx, tx, r, lines, false, in.Note)
		return err
	})
	if err != nil {
		return Claim{}, err
	}
	s.committed()
	if out.Return, err = s.DB.Client.OrderReturn.Get(ctx, out.Return.ID); err != nil {
		return Claim{}, err
	}
	if out.Replacement != nil {
		if out.Replacement, err = s.DB.Client.Order.Get(ctx, out.Replacement.ID); err != nil {
			return Claim{}, err
		}
	}
	if out.Refund != nil {
		out.Refund = out.Refund.Unwrap()
	}
	return out, nil
}

// replacementLines are the items a replacing claim ships again: the claimed order lines' SKUs.
func replacementLines(ctx context.Context, tx *ent.Tx, r *ent.OrderReturn) ([]ExchangeLineInput, error) {
	var out []ExchangeLineInput
	for _, l := range r.Edges.Lines {
		ol, err := tx.OrderLine.Query().Where(orderline.ID(l.OrderLineID)).Only(ctx)
		if err != nil {
			return nil, fmt.Errorf("load order line: %w", err)
		}
		if ol.Kind != orderline.KindSTOCK {
			return nil, fault.New(fault.Conflict, "line %s sells nothing from stock: refund it instead", ol.ID)
		}
		out = append(out, ExchangeLineInput{SKU: ol.Sku, Quantity: l.Quantity})
	}
	return out, nil
}
