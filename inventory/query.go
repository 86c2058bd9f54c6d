package inventory

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
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
