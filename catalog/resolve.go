package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
)

// Resolved is what a set of SKUs refers to: each variant, and the components (with their variants)
// of those that are bundles.
type Resolved struct {
	BySKU      map[string]*ent.Variant
	Components map[pulid.ID][]*ent.BundleComponent // by bundle variant id
}

// Resolve looks SKUs up in two queries. An unknown SKU is INVALID_ARGUMENT naming every one.
func Resolve(ctx context.Context, c *ent.Client, skus []string) (Resolved, error) {
	skus = slices.Compact(slices.Sorted(slices.Values(skus)))
	vs, err := c.Variant.Query().Where(variant.SkuIn(skus...)).All(ctx)
	if err != nil {
		return Resolved{}, fmt.Errorf("look up SKUs: %w", err)
	}
	r := Resolved{BySKU: make(map[string]*ent.Variant, len(vs)), Components: map[pulid.ID][]*ent.BundleComponent{}}
	ids := make([]pulid.ID, len(vs))
	for i, v := range vs {
		r.BySKU[v.Sku], ids[i] = v, v.ID
	}
	var unknown []string
	for _, sku := range skus {
		if r.BySKU[sku] == nil {
			unknown = append(unknown, sku)
		}
	}
	if len(unknown) > 0 {
		return Resolved{}, fault.New(fault.InvalidArgument, "unknown SKU %s", strings.Join(unknown, ", ")).With("skus", unknown)
	}
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(ids...)).WithComponent().All(ctx)
	if err != nil {
		return Resolved{}, fmt.Errorf("look up bundles: %w", err)
	}
	for _, bc := range comps {
		r.Components[bc.BundleID] = append(r.Components[bc.BundleID], bc)
	}
	return r, nil
}
