package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/routing"
)

// boardRead is what the orderBoard being resolved asks for beyond the orders: its totalCount, and
// the edges of each order a board row shows (loaded for the page at once, not order by order).
func boardRead(ctx context.Context) orders.BoardRead {
	var r orders.BoardRead
	if !graphql.HasOperationContext(ctx) {
		return r
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "totalCount":
			r.Total = true
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name != "node" {
					continue
				}
				for _, n := range graphql.CollectFields(op, e.Selections, nil) {
					switch n.Name {
					case "channel":
						r.Channel = true
					case "customer":
						r.Customer = true
					case "shipments":
						r.Shipments = true
					}
				}
			}
		}
	}
	return r
}

// explain says a routing decision in words, naming its locations.
func explain(ctx context.Context, c *ent.Client, d *ent.RoutingDecision) ([]string, error) {
	var dec routing.Decision // the stored trace is the whole decision (dispatch records it so)
	if len(d.Trace) > 0 {
		if err := json.Unmarshal(d.Trace, &dec); err != nil {
			return nil, fmt.Errorf("decode routing trace: %w", err)
		}
	}
	t := dec.Trace
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
