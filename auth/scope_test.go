package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// TestPartnerScope: a partner reads the orders allocated at its locations and the stock there;
// inside a command it reads stock everywhere (re-routing needs it) but still only its orders.
func TestPartnerScope(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		mine, other := srv.Location(t, "SC-MINE", 1).ID, srv.Location(t, "SC-OTHER", 2).ID
		srv.SKU(t, "SC-MINE", map[pulid.ID]int64{mine: 5})
		srv.SKU(t, "SC-OTHER", map[pulid.ID]int64{other: 5})
		for _, sku := range []string{"SC-MINE", "SC-OTHER"} {
			srv.Admin().MustDo(t, `mutation($sku: String!) { placeOrder(input: {lines: [{sku: $sku, quantity: 1}], paid: true}) { order { id } } }`,
				map[string]any{"sku": sku}, nil)
		}
		c := srv.Inst.DB.Client
		locations := func(ctx context.Context) []pulid.ID {
			levels, err := c.InventoryLevel.Query().All(ctx)
			require.NoError(t, err)
			var out []pulid.ID
			for _, l := range levels {
				out = append(out, l.LocationID)
			}
			return out
		}
		orders := func(ctx context.Context) int {
			n, err := c.Order.Query().Count(ctx)
			require.NoError(t, err)
			return n
		}
		partner := auth.NewContext(context.Background(), auth.Viewer{KeyID: "key_p", Role: auth.Partner, LocationIDs: []pulid.ID{mine}})
		require.Equal(t, []pulid.ID{mine}, locations(partner))
		require.Equal(t, 1, orders(partner))
		n, err := c.Allocation.Query().Count(partner)
		require.NoError(t, err)
		require.Equal(t, 1, n, "the allocations of its orders")

		cmd := auth.Command(partner, true)
		require.ElementsMatch(t, []pulid.ID{mine, other}, locations(cmd), "a command reads stock everywhere")
		require.Equal(t, 1, orders(cmd), "a command still loads only the partner's orders")
		require.Equal(t, []pulid.ID{mine}, locations(auth.Command(cmd, false)), "what a command returns is read in scope")

		nowhere := auth.NewContext(context.Background(), auth.Viewer{KeyID: "key_q", Role: auth.Partner})
		require.Empty(t, locations(nowhere), "a partner bound to no location sees no stock")
		require.Zero(t, orders(nowhere))
		require.Len(t, locations(auth.NewContext(context.Background(), auth.Viewer{Role: auth.Support})), 2)
	})
}
