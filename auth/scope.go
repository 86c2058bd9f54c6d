package auth

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/disposition"
	"github.com/ordo-oms/ordo/ent/intercept"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentline"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
)

// Scope installs row filters on c so that storefront and partner keys read only their own rows,
// however a query reaches them (a connection, node(id:), an edge, a subscription, a command that
// loads its order):
//   - a storefront key bound to a customer sees that customer's orders; any storefront key sees the
//     orders it placed, and the customers of those orders;
//   - a partner key sees the orders with an allocation at one of its locations (their lines and
//     allocations with them), the shipments leaving its locations, and the stock levels and
//     movements of its locations (except inside a command: see Command);
//   - a storefront key sees the shipments of the orders it sees;
//   - returns, their lines and dispositions, and refunds: see scopeReturns.
//
// Other roles are not narrowed. Filters (where:) are narrowed with the rows they filter; a relation
// predicate is a subquery these filters do not reach, which is why graph.FilterPolicy keeps
// scoped roles from filtering through relations into scoped rows.
func Scope(c *ent.Client) {
	c.Order.Intercept(intercept.TraverseOrder(func(ctx context.Context, q *ent.OrderQuery) error {
		if p := ownOrders(ctx); p != nil {
			q.Where(p)
		}
		return nil
	}))
	c.OrderLine.Intercept(intercept.TraverseOrderLine(func(ctx context.Context, q *ent.OrderLineQuery) error {
		if p := ownOrders(ctx); p != nil {
			q.Where(orderline.HasOrderWith(p))
		}
		return nil
	}))
	c.Allocation.Intercept(intercept.TraverseAllocation(func(ctx context.Context, q *ent.AllocationQuery) error {
		if p := ownOrders(ctx); p != nil {
			q.Where(allocation.HasOrderWith(p))
		}
		return nil
	}))
	c.Shipment.Intercept(intercept.TraverseShipment(func(ctx context.Context, q *ent.ShipmentQuery) error {
		if p := ownShipments(ctx); p != nil {
			q.Where(p)
		}
		return nil
	}))
	c.ShipmentLine.Intercept(intercept.TraverseShipmentLine(func(ctx context.Context, q *ent.ShipmentLineQuery) error {
		if p := ownShipments(ctx); p != nil {
			q.Where(shipmentline.HasShipmentWith(p))
		}
		return nil
	}))
	c.ShipmentPackage.Intercept(intercept.TraverseShipmentPackage(func(ctx context.Context, q *ent.ShipmentPackageQuery) error {
		if p := ownShipments(ctx); p != nil {
			q.Where(shipmentpackage.HasShipmentWith(p))
		}
		return nil
	}))
	c.Customer.Intercept(intercept.TraverseCustomer(func(ctx context.Context, q *ent.CustomerQuery) error {
		v, ok := FromContext(ctx)
		switch {
		case !ok || (v.Role != Storefront && v.Role != Partner):
		case v.Role == Storefront && v.CustomerID != nil:
			q.Where(customer.ID(*v.CustomerID))
		default:
			q.Where(customer.HasOrdersWith(ownOrders(ctx)))
		}
		return nil
	}))
	c.InventoryLevel.Intercept(intercept.TraverseInventoryLevel(func(ctx context.Context, q *ent.InventoryLevelQuery) error {
		if locs, ok := partnerLocations(ctx); ok {
			q.Where(inventorylevel.LocationIDIn(locs...))
		}
		return nil
	}))
	c.InventoryMovement.Intercept(intercept.TraverseInventoryMovement(func(ctx context.Context, q *ent.InventoryMovementQuery) error {
		if locs, ok := partnerLocations(ctx); ok {
			q.Where(inventorymovement.LocationIDIn(locs...))
		}
		return nil
	}))
	scopeReturns(c)
}

// scopeReturns installs the row filters of returns, their lines and dispositions, and refunds: a
// storefront sees those of the orders it sees; a partner the returns expected (or last received)
// at its locations and those of the orders it sees, and no refund.
func scopeReturns(c *ent.Client) {
	c.OrderReturn.Intercept(intercept.TraverseOrderReturn(func(ctx context.Context, q *ent.OrderReturnQuery) error {
		if p := ownReturns(ctx); p != nil {
			q.Where(p)
		}
		return nil
	}))
	c.ReturnLine.Intercept(intercept.TraverseReturnLine(func(ctx context.Context, q *ent.ReturnLineQuery) error {
		if p := ownReturns(ctx); p != nil {
			q.Where(returnline.HasReturnWith(p))
		}
		return nil
	}))
	c.Disposition.Intercept(intercept.TraverseDisposition(func(ctx context.Context, q *ent.DispositionQuery) error {
		if p := ownReturns(ctx); p != nil {
			q.Where(disposition.HasReturnLineWith(returnline.HasReturnWith(p)))
		}
		return nil
	}))
	c.Refund.Intercept(intercept.TraverseRefund(func(ctx context.Context, q *ent.RefundQuery) error {
		v, ok := FromContext(ctx)
		switch {
		case !ok:
		case v.Role == Storefront:
			q.Where(refund.HasOrderWith(ownOrders(ctx)))
		case v.Role == Partner:
			q.Where(refund.IDIn())
		}
		return nil
	}))
}

// ownReturns is the predicate of the returns the viewer in ctx may see, or nil for all of them.
func ownReturns(ctx context.Context) predicate.OrderReturn {
	v, ok := FromContext(ctx)
	if !ok {
		return nil
	}
	switch v.Role {
	case Storefront:
		return orderreturn.HasOrderWith(ownOrders(ctx))
	case Partner:
		return orderreturn.Or(orderreturn.LocationIDIn(v.LocationIDs...), orderreturn.HasOrderWith(ownOrders(ctx)))
	}
	return nil
}

// ownOrders is the predicate of the orders the viewer in ctx may see, or nil for all of them.
func ownOrders(ctx context.Context) predicate.Order {
	v, ok := FromContext(ctx)
	if !ok {
		return nil
	}
	switch v.Role {
	case Storefront:
		placed := order.PlacedBy(string(v.KeyID))
		if v.CustomerID == nil {
			return placed
		}
		return order.Or(placed, order.CustomerID(*v.CustomerID))
	case Partner:
		return order.HasAllocationsWith(allocation.LocationIDIn(v.LocationIDs...))
	}
	return nil
}

// ownShipments is the predicate of the shipments the viewer in ctx may see, or nil for all: a
// partner (a 3PL, a drop-ship supplier) sees the shipments that leave its locations, and no other
// shipment of the same order; a storefront the shipments of its orders.
func ownShipments(ctx context.Context) predicate.Shipment {
	v, ok := FromContext(ctx)
	if !ok {
		return nil
	}
	switch v.Role {
	case Partner:
		return shipment.LocationIDIn(v.LocationIDs...)
	case Storefront:
		return shipment.HasOrderWith(ownOrders(ctx))
	}
	return nil
}

// partnerLocations are the locations whose stock a partner viewer in ctx reads; ok is false for
// other viewers, and inside a command.
func partnerLocations(ctx context.Context) (_ []pulid.ID, ok bool) {
	v, ok := FromContext(ctx)
	if running, _ := ctx.Value(commandKey{}).(bool); !ok || v.Role != Partner || running {
		return nil, false
	}
	return v.LocationIDs, true
}

type commandKey struct{}

// Command marks ctx as running a command (a mutation's domain call) for its viewer, or, with on
// false, as reading for the viewer again (what the command returns). A command reads the stock it
// needs wherever it is (re-routing an order looks at every location): what it may change was
// decided before it ran (the role, the input policy, the locations it names), and the orders it
// loads stay narrowed to the viewer's.
func Command(ctx context.Context, on bool) context.Context {
	if running, _ := ctx.Value(commandKey{}).(bool); running == on {
		return ctx
	}
	return context.WithValue(ctx, commandKey{}, on)
}

// Sees reports whether the viewer in ctx may read o, by the rule of the row filters above (keep the
// two in step): for a reader holding an order that was read once without them, as the live streams
// do so that one read serves every subscriber of a change.
//
// A partner's rule needs the order's allocations, which the row does not carry: Sees refuses
// partners rather than guess (no live stream is open to them today).
func Sees(ctx context.Context, o *ent.Order) bool {
	v, ok := FromContext(ctx)
	if !ok {
		return true
	}
	switch v.Role {
	case Partner:
		return false
	case Storefront:
	default:
		return true
	}
	if o.PlacedBy == string(v.KeyID) {
		return true
	}
	return v.CustomerID != nil && o.CustomerID != nil && *o.CustomerID == *v.CustomerID
}
