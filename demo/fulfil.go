package demo

import (
	"context"
	"fmt"
)

// shipAllocated plays the demo business's warehouses: every order allocated in full is picked,
// packed and shipped through the API, as a warehouse team would, so that the demo's reservations
// and the locations' workload (their daily capacity counts open orders) do not grow for ever.
// It ships at most one page of orders per call; Replenish calls it every round.
func shipAllocated(ctx context.Context, api API) error {
	var page struct {
		Orders struct {
			Edges []struct {
				Node struct {
					ID     string
					Number string
				}
			}
		}
	}
	if err := api.Query(ctx, `{ orders(first: 50, where: {status: ALLOCATED}) { edges { node { id number } } } }`, nil, &page); err != nil {
		return fmt.Errorf("read allocated orders: %w", err)
	}
	for _, e := range page.Orders.Edges {
		in := map[string]any{"orderID": e.Node.ID}
		for _, m := range []string{"startPicking", "packOrder", "markReadyToShip"} {
			q := `mutation($in: OrderCommandInput!) { ` + m + `(input: $in) { order { id } } }`
			if err := api.Query(ctx, q, map[string]any{"in": in}, nil); err != nil {
				return fmt.Errorf("%s %s: %w", m, e.Node.Number, err)
			}
		}
		ship := map[string]any{"orderID": e.Node.ID, "carrier": "DEMO", "trackingNumber": "DEMO-" + e.Node.Number}
		if err := api.Query(ctx, `mutation($in: ShipOrderInput!) { shipOrder(input: $in) { order { id } } }`, map[string]any{"in": ship}, nil); err != nil {
			return fmt.Errorf("ship %s: %w", e.Node.Number, err)
		}
	}
	return nil
}
