package e2e_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// Issue 8 §4: an order refused because the locations that have its stock are at their daily
// capacity says CAPACITY, not INSUFFICIENT_STOCK, and changes nothing; a real shortage still says
// INSUFFICIENT_STOCK.
func TestCapacityRefusal(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "CAP-A", 1)
		srv.SKU(t, "CAP-1", map[pulid.ID]int64{loc.ID: 50})
		admin := srv.Admin()
		admin.MustDo(t, `mutation($id: ID!) { updateLocation(id: $id, input: {dailyCapacity: 1}) { id } }`, map[string]any{"id": loc.ID}, nil)
		const place = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id status } } }`
		order := func(sku string, qty int, backorder bool) map[string]any {
			return map[string]any{"in": map[string]any{"paid": true, "allowBackorder": backorder,
				"lines": []any{map[string]any{"sku": sku, "quantity": qty}}}}
		}
		admin.MustDo(t, place, order("CAP-1", 1, false), nil) // the day's one order: the location is now full

		before := inputFingerprint(t, srv)
		r := inputPost(t, srv, srv.AdminKey, mustJSON(t, map[string]any{"query": place, "variables": order("CAP-1", 1, false)}))
		require.Equal(t, "CAPACITY", r.resp.Code(), r.body)
		require.Contains(t, r.resp.Errors[0].Message, "CAP-1")
		require.Contains(t, r.resp.Errors[0].Message, "capacity")
		require.Equal(t, []any{"CAP-1"}, r.resp.Errors[0].Extensions["details"].(map[string]any)["skus"])
		require.Equal(t, before, inputFingerprint(t, srv), "a refused order changed the store")

		// More than the location holds is a shortage, whatever its capacity.
		r = inputPost(t, srv, srv.AdminKey, mustJSON(t, map[string]any{"query": place, "variables": order("CAP-1", 500, false)}))
		require.Equal(t, "INSUFFICIENT_STOCK", r.resp.Code(), r.body)

		// Accepting a backorder, the order is taken and waits.
		var out struct {
			PlaceOrder struct{ Order struct{ Status string } }
		}
		admin.MustDo(t, place, order("CAP-1", 1, true), &out)
		require.Equal(t, "BACKORDERED", out.PlaceOrder.Order.Status)
		srv.Audit(t)
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
