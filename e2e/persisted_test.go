package e2e_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/ordotest"
)

// persisted sends the operation named name by its hash alone, as a partner's integration would.
func persisted(t *testing.T, c *ordotest.Client, name string, vars map[string]any) *ordotest.Response {
	t.Helper()
	ops, err := graph.PersistedOperations()
	require.NoError(t, err)
	for _, op := range ops {
		if op.Name == name {
			return doPersisted(t, c, op.SHA256, "", vars)
		}
	}
	t.Fatalf("no persisted operation %s", name)
	return nil
}

func doPersisted(t *testing.T, c *ordotest.Client, hash, query string, vars map[string]any) *ordotest.Response {
	t.Helper()
	res, err := c.DoRaw(context.Background(), map[string]any{
		"query": query, "variables": vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}},
	})
	require.NoError(t, err)
	return res
}

func TestPartnerRunsPersistedOperationsOnly(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "3PL-BKK", 10)
		srv.SKU(t, "TEE", map[pulid.ID]int64{loc.ID: 5})
		var o placed
		srv.Admin().MustDo(t, placeOne, map[string]any{"sku": "TEE"}, &o)
		id := o.PlaceOrder.Order.ID
		_, partnerKey, err := srv.Inst.Keys.CreateBound(context.Background(), "3pl", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{loc.ID}})
		require.NoError(t, err)
		partner := srv.Client(partnerKey) // a 3PL serving loc

		// A raw document is refused, even one that is on the list.
		res, err := partner.Do(context.Background(), `{ orders { totalCount } }`, nil)
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code())
		require.Contains(t, res.Errors[0].Message, "persisted operations only")

		// The partner's day: see what to fulfil, pick, pack, ship, deliver, and book a receipt.
		res = persisted(t, partner, "PartnerOrdersToFulfil", nil)
		require.Empty(t, res.Errors)
		var list struct {
			Orders struct {
				Edges []struct{ Node struct{ ID, Status string } }
			}
		}
		require.NoError(t, res.Decode(&list))
		require.Len(t, list.Orders.Edges, 1)
		require.Equal(t, id, list.Orders.Edges[0].Node.ID)

		for _, step := range []struct{ op, want string }{
			{"PartnerStartPicking", "PICKING"}, {"PartnerPackOrder", "PACKED"}, {"PartnerMarkReadyToShip", "READY_TO_SHIP"},
		} {
			res = persisted(t, partner, step.op, map[string]any{"orderID": id})
			require.Empty(t, res.Errors, step.op)
			require.Contains(t, string(res.Data), step.want)
		}
		res = persisted(t, partner, "PartnerShipOrder", map[string]any{"orderID": id, "carrier": "Kerry", "trackingNumber": "KE1"})
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), `"SHIPPED"`)
		res = persisted(t, partner, "PartnerMarkDelivered", map[string]any{"orderID": id})
		require.Empty(t, res.Errors)
		res = persisted(t, partner, "PartnerReceiveStock", map[string]any{"sku": "TEE", "locationID": loc.ID, "quantity": 10, "idempotencyKey": "grn-1"})
		require.Empty(t, res.Errors)
		res = persisted(t, partner, "PartnerStockLevels", map[string]any{"locationIDs": []string{string(loc.ID)}})
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), `"onHand":14`)
		srv.Audit(t)

		// An unknown id, and a document that does not match its id, are refused.
		res = doPersisted(t, partner, "0000000000000000000000000000000000000000000000000000000000000000", "", nil)
		require.Equal(t, "NOT_FOUND", res.Code())
		ops, err := graph.PersistedOperations()
		require.NoError(t, err)
		res = doPersisted(t, partner, ops[0].SHA256, `{ orders { totalCount } }`, nil)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())

		// Persisted operations keep the role policy: a storefront may not run a partner's.
		res = persisted(t, srv.Client(srv.Key(t, auth.Storefront, nil)), "PartnerStartPicking", map[string]any{"orderID": id})
		require.Equal(t, "FORBIDDEN", res.Code())
	})
}
