package inventory

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// AvailableUnits sums what can be promised of a variant over all active locations.
func AvailableUnits(ctx context.Context, c *ent.Client, variantID pulid.ID) (int64, error) {
	ls, err := c.InventoryLevel.Query().
		Where(inventorylevel.VariantID(variantID), inventorylevel.HasLocationWith(location.Active(true))).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load stock levels: %w", err)
	}
	var sum int64
	for _, l := range ls {
		sum += Available(l)
	}
	return sum, nil
}

// AllocatedUnits is how many units of an order line are reserved or shipped. For a bundle line it
// counts whole bundles: the smallest share of any component.
func AllocatedUnits(ctx context.Context, c *ent.Client, line *ent.OrderLine) (int64, error) {
	as, err := c.Allocation.Query().
		Where(allocation.LineID(line.ID), allocation.StatusIn(allocation.StatusOPEN, allocation.StatusSHIPPED)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load allocations: %w", err)
	}
	perVariant := map[pulid.ID]int64{}
	for _, a := range as {
		perVariant[a.VariantID] += a.Quantity
	}
	if q, ok := perVariant[line.VariantID]; ok || len(perVariant) == 0 {
		return q, nil
	}
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleID(line.VariantID)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load bundle: %w", err)
	}
	units := int64(-1)
	for _, comp := range comps {
		n := perVariant[comp.ComponentID] / int64(comp.Quantity)
		if units < 0 || n < units {
			units = n
		}
	}
	return max(units, 0), nil
}
