package graph

import (
	"context"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/quality"
)

// dataFlags are an order's stored flags as the API shows them.
func dataFlags(flags []string) []*quality.Flag {
	out := make([]*quality.Flag, len(flags))
	for i, f := range flags {
		p := quality.ParseFlag(f)
		out[i] = &p
	}
	return out
}

// variantIssues is what is wrong with v's data (two queries: the rule, its bundle components).
func variantIssues(ctx context.Context, c *ent.Client, v *ent.Variant) ([]*quality.Issue, error) {
	by, err := catalog.VariantIssues(ctx, c, []*ent.Variant{v})
	if err != nil {
		return nil, err
	}
	out := make([]*quality.Issue, len(by[v.ID]))
	for i := range by[v.ID] {
		out[i] = &by[v.ID][i]
	}
	return out, nil
}
