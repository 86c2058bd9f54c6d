package graph

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
)

func money(amount int64, currency string) *model.Money {
	return &model.Money{Amount: amount, Currency: currency}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func placeInput(in model.PlaceOrderInput) orders.PlaceInput {
	lines := make([]orders.Line, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = orders.Line{SKU: l.Sku, Quantity: int64(l.Quantity), UnitPrice: l.UnitPrice}
	}
	out := orders.PlaceInput{
		Lines: lines, ShippingAddress: in.ShippingAddress, Paid: deref(in.Paid), Priority: deref(in.Priority),
		Currency: deref(in.Currency), ShippingAmount: deref(in.ShippingAmount), DiscountAmount: deref(in.DiscountAmount),
		TaxAmount: deref(in.TaxAmount), ShipBy: in.ShipBy, Note: deref(in.Note), ChannelID: in.ChannelID,
		ExternalID: deref(in.ExternalID), IdempotencyKey: deref(in.IdempotencyKey), PaymentMethod: deref(in.PaymentMethod),
	}
	out.Customer.ID = in.CustomerID
	if c := in.Customer; c != nil {
		out.Customer.Email, out.Customer.Name, out.Customer.Phone = deref(c.Email), deref(c.Name), deref(c.Phone)
	}
	return out
}

// apply runs a lifecycle command from a mutation.
func (r *Resolver) apply(ctx context.Context, in model.OrderCommandInput, cmd orders.Command) (*model.OrderPayload, error) {
	o, err := r.Orders.Apply(ctx, orders.ApplyInput{OrderID: in.OrderID, Command: cmd, Reason: deref(in.Reason)})
	if err != nil {
		return nil, err
	}
	return &model.OrderPayload{Order: o}, nil
}

func stockPayload(res inventory.Result, err error) (*model.StockPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.StockPayload{Levels: res.Levels, Replayed: res.Replayed}, nil
}

func viewerOf(rec *ent.APIKey) *model.Viewer {
	return &model.Viewer{KeyID: rec.ID, Name: rec.Name, Role: rec.Role, CustomerID: rec.CustomerID}
}

func drift(d inventory.Drift) *model.InventoryDrift {
	return &model.InventoryDrift{
		Sku: d.SKU, LocationID: d.LocationID, OnHand: d.OnHand, LedgerOnHand: d.LedgerOnHand,
		Reserved: d.Reserved, LedgerReserved: d.LedgerReserved, OpenAllocations: d.OpenAllocations,
	}
}

func idPtr(s string) *pulid.ID {
	if s == "" {
		return nil
	}
	id := pulid.ID(s)
	return &id
}
