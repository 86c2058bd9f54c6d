package graph

import (
	"context"
	"slices"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/returns"
)

// requestInput turns requestReturn's input into a return request: a storefront's is its
// customer's (origin CUSTOMER), anyone else's an agent's.
func requestInput(ctx context.Context, in model.RequestReturnInput) returns.RequestInput {
	out := returns.RequestInput{OrderID: in.OrderID, Origin: orderreturn.OriginAGENT, ReasonCode: deref(in.ReasonCode),
		Note: deref(in.Note), LocationID: in.LocationID, Kind: deref(in.Kind), Resolution: deref(in.Resolution)}
	if v, ok := auth.FromContext(ctx); ok && v.Role == auth.Storefront {
		out.Origin = orderreturn.OriginCUSTOMER
	}
	for _, l := range in.Lines {
		out.Lines = append(out.Lines, returns.LineInput{OrderLineID: l.OrderLineID, Quantity: int64(l.Quantity),
			ReasonCode: deref(l.ReasonCode), Note: deref(l.Note)})
	}
	return out
}

func returnPayload(r *ent.OrderReturn, err error) (*model.ReturnPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.ReturnPayload{Return: r}, nil
}

// returnFilter is the predicate of a returns(filter:) argument.
func returnFilter(f *model.ReturnFilter) []predicate.OrderReturn {
	if f == nil {
		return nil
	}
	var ps []predicate.OrderReturn
	if len(f.Status) > 0 {
		ps = append(ps, orderreturn.StatusIn(f.Status...))
	}
	if f.OrderID != nil {
		ps = append(ps, orderreturn.OrderID(*f.OrderID))
	}
	if f.LocationID != nil {
		ps = append(ps, orderreturn.LocationID(*f.LocationID))
	}
	if len(f.Origin) > 0 {
		ps = append(ps, orderreturn.OriginIn(f.Origin...))
	}
	return ps
}

// returnTimeline is a return's events (its refunds' included), oldest first: the return and refund
// events of its order that name it.
func returnTimeline(ctx context.Context, c *ent.Client, r *ent.OrderReturn) ([]*ent.Event, error) {
	evs, err := c.Event.Query().Where(event.OrderID(string(r.OrderID)),
		event.Or(event.TypeHasPrefix("return."), event.TypeHasPrefix("refund."))).
		Order(event.ByTxid(), event.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(evs, func(e *ent.Event) bool { return events.ReturnOf(e) != string(r.ID) }), nil
}

// returnMatch accepts the events of a return (and its refunds) the filter wants.
func returnMatch(f *model.ReturnUpdatedFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		id := events.ReturnOf(e)
		if id == "" {
			return false
		}
		return f == nil ||
			(f.ReturnID == nil || string(*f.ReturnID) == id) &&
				(f.OrderID == nil || string(*f.OrderID) == e.OrderID)
	}
}

// returnUpdates turns each transaction's return events into one delivery per return: the return as
// it is now, read through the subscriber's row scoping (a storefront reads its own orders'
// returns, a partner those at its locations).
func (r *Resolver) returnUpdates(ctx context.Context, cs []events.Commit) ([]delivery[*ent.OrderReturn], error) {
	return latest(cs, events.ReturnOf, func(ids []pulid.ID) ([]*ent.OrderReturn, error) {
		return r.DB.Client.OrderReturn.Query().Where(orderreturn.IDIn(ids...)).All(auth.Command(ctx, false))
	}, func(ret *ent.OrderReturn) pulid.ID { return ret.ID })
}
