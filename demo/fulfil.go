package demo

import (
	"context"
	"fmt"
)

// shipAllocated plays the demo business's warehouses: every order allocated in full gets its
// shipments planned (one per warehouse it was routed to), and each is picked, packed, made ready and
// shipped with a tracking number through the API, as a warehouse team would, so that the demo's
// reservations and the locations' workload (their daily capacity counts open orders) do not grow
// for ever. It ships at most one page of orders per call; Replenish calls it every round.
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
		var planned struct {
			PlanShipments struct {
				Shipments []struct{ ID, Number string }
			}
		}
		if err := api.Query(ctx, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id number } } }`,
			map[string]any{"id": e.Node.ID}, &planned); err != nil {
			return fmt.Errorf("plan %s: %w", e.Node.Number, err)
		}
		for _, s := range planned.PlanShipments.Shipments {
			for _, m := range []string{"pickShipment", "packShipment", "markShipmentReady"} {
				q := `mutation($id: ID!) { ` + m + `(input: {shipmentID: $id}) { shipment { id } } }`
				if err := api.Query(ctx, q, map[string]any{"id": s.ID}, nil); err != nil {
					return fmt.Errorf("%s %s: %w", m, s.Number, err)
				}
			}
			ship := map[string]any{"shipmentID": s.ID, "carrier": "DEMO", "trackingNumbers": []string{"DEMO-" + s.Number}}
			if err := api.Query(ctx, `mutation($in: ShipShipmentInput!) { shipShipment(input: $in) { shipment { id } } }`, map[string]any{"in": ship}, nil); err != nil {
				return fmt.Errorf("ship %s: %w", s.Number, err)
			}
		}
	}
	return nil
}
