package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/routing"
)

// wantsTotal says whether the connection being resolved was asked for its totalCount.
func wantsTotal(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "totalCount" {
			return true
		}
	}
	return false
}

// explain says a routing decision in words, naming its locations.
func explain(ctx context.Context, c *ent.Client, d *ent.RoutingDecision) ([]string, error) {
	var t routing.Trace
	if len(d.Trace) > 0 {
		if err := json.Unmarshal(d.Trace, &t); err != nil {
			return nil, fmt.Errorf("decode routing trace: %w", err)
		}
	}
	var ids []pulid.ID
	for _, r := range t.Rejected {
		ids = append(ids, r.LocationID)
	}
	for _, r := range t.Ranking {
		ids = append(ids, r.LocationID)
	}
	ids = append(ids, t.Plan.Locations...)
	names := map[pulid.ID]string{}
	if len(ids) > 0 {
		locs, err := c.Location.Query().Where(location.IDIn(ids...)).Select(location.FieldID, location.FieldName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("read locations: %w", err)
		}
		for _, l := range locs {
			names[l.ID] = l.Name
		}
	}
	return routing.Explain(t, names), nil
}
