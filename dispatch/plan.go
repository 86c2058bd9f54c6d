package dispatch

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/box"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/packing"
)

// Shipment is what one location sends for an order: its open allocations packed into parcels.
type Shipment struct {
	LocationID pulid.ID
	Plan       packing.Plan
}

// ShipmentPlan packs each location's open allocations of an order into as few parcels as the box
// catalogue allows (packing's default boxes while the catalogue is empty). Item refs are order line ids.
func ShipmentPlan(ctx context.Context, c *ent.Client, orderID pulid.ID) ([]Shipment, error) {
	allocs, err := c.Allocation.Query().
		Where(allocation.OrderID(orderID), allocation.StatusEQ(allocation.StatusOPEN)).
		WithVariant().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	boxes, err := Boxes(ctx, c)
	if err != nil {
		return nil, err
	}
	byLocation := map[pulid.ID][]*ent.Allocation{}
	for _, a := range allocs {
		byLocation[a.LocationID] = append(byLocation[a.LocationID], a)
	}
	out := make([]Shipment, 0, len(byLocation))
	for loc, at := range byLocation {
		out = append(out, Shipment{LocationID: loc, Plan: packing.Pack(PackingItems(at), boxes)})
	}
	slices.SortFunc(out, func(a, b Shipment) int { return cmp.Compare(a.LocationID, b.LocationID) })
	return out, nil
}

// PackingItems are the units of allocations (loaded with their variants) as package packing takes
// them: one item per order line (its allocations summed), in the order the lines first appear,
// with the weight and dimensions of its SKU. Item refs are order line ids.
func PackingItems(allocs []*ent.Allocation) []packing.Item {
	at := map[pulid.ID]int{}
	var items []packing.Item
	for _, a := range allocs {
		i, ok := at[a.LineID]
		if !ok {
			v := a.Edges.Variant
			i = len(items)
			at[a.LineID] = i
			items = append(items, packing.Item{Ref: string(a.LineID), SKU: v.Sku, WeightGrams: v.WeightGrams,
				LengthMM: v.LengthMm, WidthMM: v.WidthMm, HeightMM: v.HeightMm})
		}
		items[i].Quantity += int(a.Quantity)
	}
	return items
}

// Boxes is the active box catalogue, or packing's defaults when none is stored.
func Boxes(ctx context.Context, c *ent.Client) ([]packing.Box, error) {
	stored, err := c.Box.Query().Where(box.Active(true)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load boxes: %w", err)
	}
	if len(stored) == 0 {
		return packing.DefaultBoxes(), nil
	}
	out := make([]packing.Box, len(stored))
	for i, b := range stored {
		out[i] = packing.Box{Code: b.Code, LengthMM: b.LengthMm, WidthMM: b.WidthMm, HeightMM: b.HeightMm, MaxWeightGrams: b.MaxWeightGrams, TareGrams: b.TareGrams}
	}
	return out, nil
}
