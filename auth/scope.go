package auth

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/intercept"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/predicate"
)

// Scope installs row filters on c so that a storefront key reads only its own rows, however a query
// reaches them (a connection, node(id:), an edge, a subscription): a key bound to a customer sees
// that customer's orders; any storefront key sees the orders it placed. Other roles are not narrowed.
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
	c.Customer.Intercept(intercept.TraverseCustomer(func(ctx context.Context, q *ent.CustomerQuery) error {
		v, ok := FromContext(ctx)
		switch {
		case !ok || v.Role != Storefront:
		case v.CustomerID != nil:
			q.Where(customer.ID(*v.CustomerID))
		default:
			q.Where(customer.HasOrdersWith(order.PlacedBy(string(v.KeyID))))
		}
		return nil
	}))
}

func ownOrders(ctx context.Context) predicate.Order {
	v, ok := FromContext(ctx)
	if !ok || v.Role != Storefront {
		return nil
	}
	placed := order.PlacedBy(string(v.KeyID))
	if v.CustomerID == nil {
		return placed
	}
	return order.Or(placed, order.CustomerID(*v.CustomerID))
}

// Sees reports whether the viewer in ctx may read o, by the rule of the row filters above (keep the
// two in step): for a reader holding an order that was read once without them, as the live streams
// do so that one read serves every subscriber of a change.
func Sees(ctx context.Context, o *ent.Order) bool {
	v, ok := FromContext(ctx)
	if !ok || v.Role != Storefront {
		return true
	}
	if o.PlacedBy == string(v.KeyID) {
		return true
	}
	return v.CustomerID != nil && o.CustomerID != nil && *o.CustomerID == *v.CustomerID
}
