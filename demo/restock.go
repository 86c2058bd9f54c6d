package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"
)

// DefaultRestockEvery is how often the demo's suppliers deliver: often enough that the simulated
// channels (an order every five seconds per shop, about a dozen orders between deliveries) never
// sell a location out of what the README's examples order.
const DefaultRestockEvery = 10 * time.Second

// Level is one stock level as the restocker reads it through the API.
type Level struct {
	SKU, LocationID, LocationCode string
	OnHand, Reserved, SafetyStock int64
}

// Delivery is one supplier receipt: Quantity units of SKU at a location.
type Delivery struct {
	SKU, LocationID string
	Quantity        int64
}

// Restock decides the supplier deliveries the demo business needs: wherever a location's available
// stock (on hand − reserved − safety) fell below its opening stock (target, by SKU and location
// code), a delivery that brings it to twice the opening stock, a batch that lasts several rounds
// (what is reserved for orders not yet shipped counts as gone). Levels the seed did not stock get none. Deliveries
// come out in a stable order (SKU, then location).
func Restock(levels []Level, target func(sku, locationCode string) int64) []Delivery {
	var out []Delivery
	for _, l := range levels {
		want := target(l.SKU, l.LocationCode)
		if want <= 0 {
			continue
		}
		available := l.OnHand - l.Reserved - l.SafetyStock
		if available >= want {
			continue
		}
		out = append(out, Delivery{SKU: l.SKU, LocationID: l.LocationID, Quantity: 2*want - available})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SKU != out[j].SKU {
			return out[i].SKU < out[j].SKU
		}
		return out[i].LocationID < out[j].LocationID
	})
	return out
}

// openingStock is the seed's stock of sku at the location with the given code (0: none).
func openingStock(sku, code string) int64 {
	for _, it := range items {
		if it.sku != sku {
			continue
		}
		for i, st := range sites {
			if st.code == code {
				return it.stock[i]
			}
		}
	}
	return 0
}

// Replenish plays the demo business's warehouses and suppliers until ctx ends: every interval it
// ships the orders allocated in full (shipAllocated), takes one return back (returnOne), then reads the stock levels through the API
// and receives what Restock decides with the receiveStock mutation, as a supplier's delivery would
// be booked, so that the demo keeps selling for hours. Errors are written to out and the next round
// tries again.
func Replenish(ctx context.Context, api API, every time.Duration, out io.Writer) {
	if every <= 0 {
		every = DefaultRestockEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := shipAllocated(ctx, api); err != nil && ctx.Err() == nil && out != nil {
			fmt.Fprintf(out, "demo warehouse: %v\n", err)
		}
		if err := returnOne(ctx, api); err != nil && ctx.Err() == nil && out != nil {
			fmt.Fprintf(out, "demo returns desk: %v\n", err)
		}
		if err := restockOnce(ctx, api); err != nil && ctx.Err() == nil && out != nil {
			fmt.Fprintf(out, "demo supplier: %v\n", err)
		}
	}
}

const levelsQuery = `query($after: Cursor) { inventoryLevels(first: 50, after: $after) {
  edges { node { onHand reserved safetyStock variant { sku } location { id code } } }
  pageInfo { hasNextPage endCursor } } }`

func restockOnce(ctx context.Context, api API) error {
	var levels []Level
	var after any
	for {
		var page struct {
			InventoryLevels struct {
				Edges []struct {
					Node struct {
						OnHand, Reserved, SafetyStock int64
						Variant                       struct{ SKU string }
						Location                      struct{ ID, Code string }
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		if err := api.Query(ctx, levelsQuery, map[string]any{"after": after}, &page); err != nil {
			return fmt.Errorf("read stock: %w", err)
		}
		for _, e := range page.InventoryLevels.Edges {
			n := e.Node
			levels = append(levels, Level{SKU: n.Variant.SKU, LocationID: n.Location.ID, LocationCode: n.Location.Code,
				OnHand: n.OnHand, Reserved: n.Reserved, SafetyStock: n.SafetyStock})
		}
		if !page.InventoryLevels.PageInfo.HasNextPage {
			break
		}
		after = page.InventoryLevels.PageInfo.EndCursor
	}
	for _, d := range Restock(levels, openingStock) {
		err := api.Query(ctx, `mutation($in: ReceiveStockInput!) { receiveStock(input: $in) { replayed } }`,
			map[string]any{"in": map[string]any{"sku": d.SKU, "locationID": d.LocationID, "quantity": d.Quantity, "reference": "demo supplier delivery"}}, nil)
		if err != nil {
			return fmt.Errorf("receive %d %s at %s: %w", d.Quantity, d.SKU, d.LocationID, err)
		}
	}
	return nil
}
