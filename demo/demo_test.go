package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
)

func TestSeedMakesAConsistentBusiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		inv := &inventory.Service{DB: db}
		policies := dispatch.Policies{DB: db}
		router := &dispatch.Service{DB: db, Inventory: inv, Policies: policies}
		require.NoError(t, demo.Seed(ctx, demo.Services{Catalog: &catalog.Service{DB: db}, Inventory: inv,
			Orders: &orders.Service{DB: db, Inventory: inv, Router: router}, Policies: policies}))
		for name, count := range map[string]func(context.Context) (int, error){
			"locations": db.Client.Location.Query().Count,
			"channels":  db.Client.Channel.Query().Count,
			"orders":    db.Client.Order.Query().Count,
			"bundles":   db.Client.BundleComponent.Query().Count,
		} {
			n, err := count(ctx)
			require.NoError(t, err)
			require.Positive(t, n, name)
		}
		n, err := db.Client.Channel.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 6, n, "one channel per kind of the mission")
		pos, err := db.Client.RoutingPolicy.Query().Where(routingpolicy.ShipFromStore(true)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, pos, "the POS ships from its store")
		rep, err := inventory.Audit(ctx, db, nil, nil)
		require.NoError(t, err)
		require.True(t, rep.OK(), "%+v", rep.Drift)
	})
}
