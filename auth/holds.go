package auth

import (
	"context"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/intercept"
	"github.com/ordo-oms/ordo/ent/stockhold"
	"github.com/ordo-oms/ordo/ent/stockholdline"
)

// scopeHolds narrows stock holds and their lines to those a storefront key made, however a query
// reaches them (node(id:), a payload, a command). Staff see every hold; partners none (the type
// policy keeps them out).
func scopeHolds(c *ent.Client) {
	c.StockHold.Intercept(intercept.TraverseStockHold(func(ctx context.Context, q *ent.StockHoldQuery) error {
		if key, ok := storefrontKey(ctx); ok {
			q.Where(stockhold.KeyID(key))
		}
		return nil
	}))
	c.StockHoldLine.Intercept(intercept.TraverseStockHoldLine(func(ctx context.Context, q *ent.StockHoldLineQuery) error {
		if key, ok := storefrontKey(ctx); ok {
			q.Where(stockholdline.HasHoldWith(stockhold.KeyID(key)))
		}
		return nil
	}))
}

// storefrontKey is the key of a storefront caller in ctx.
func storefrontKey(ctx context.Context) (string, bool) {
	v, ok := FromContext(ctx)
	if !ok || v.Role != Storefront {
		return "", false
	}
	return string(v.KeyID), true
}
