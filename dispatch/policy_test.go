package dispatch_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
)

func policy(max int) dispatch.PolicyInput {
	return dispatch.PolicyInput{
		Criteria:     []schema.RoutingCriterion{{Name: "DISTANCE", Weight: 3}, {Name: "PRIORITY", Weight: 1}},
		MaxShipments: max, Backorder: routingpolicy.BackorderPARTIAL,
	}
}

func TestPoliciesAreVersionedPerChannelWithADefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		p := dispatch.Policies{DB: db}
		ch, err := (&catalog.Service{DB: db}).CreateChannel(ctx, ent.CreateChannelInput{Kind: "LAZADA", Name: "Lazada ID"})
		require.NoError(t, err)

		none, err := p.InForce(ctx, db.Client, &ch.ID)
		require.NoError(t, err)
		require.Nil(t, none, "no policy stored: the engine's default applies")

		def, err := p.Set(ctx, policy(1))
		require.NoError(t, err)
		require.Equal(t, 1, def.Version)
		got, err := p.InForce(ctx, db.Client, &ch.ID)
		require.NoError(t, err)
		require.Equal(t, def.ID, got.ID, "a channel without its own policy follows the default")

		in := policy(2)
		in.ChannelID = &ch.ID
		own, err := p.Set(ctx, in)
		require.NoError(t, err)
		require.Equal(t, 1, own.Version)
		in.MaxShipments = 3
		own2, err := p.Set(ctx, in)
		require.NoError(t, err)
		require.Equal(t, 2, own2.Version)
		got, err = p.InForce(ctx, db.Client, &ch.ID)
		require.NoError(t, err)
		require.Equal(t, 3, got.MaxShipments)
		got, err = p.InForce(ctx, db.Client, nil)
		require.NoError(t, err)
		require.Equal(t, def.ID, got.ID)

		// Concurrent edits never make two policies of one version.
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				if _, err := p.Set(ctx, policy(2)); err != nil {
					require.True(t, fault.Is(err, fault.Conflict), "%v", err)
				}
			})
		}
		wg.Wait()
		versions, err := db.Client.RoutingPolicy.Query().Where(routingpolicy.Scope("default")).Select(routingpolicy.FieldVersion).Ints(ctx)
		require.NoError(t, err)
		seen := map[int]bool{}
		for _, v := range versions {
			require.False(t, seen[v], "version %d twice", v)
			seen[v] = true
		}
	})
}

func TestPolicyValidation(t *testing.T) {
	for name, mutate := range map[string]func(*dispatch.PolicyInput){
		"no criteria":        func(p *dispatch.PolicyInput) { p.Criteria = nil },
		"unknown criterion":  func(p *dispatch.PolicyInput) { p.Criteria[0].Name = "VIBES" },
		"duplicate":          func(p *dispatch.PolicyInput) { p.Criteria[1].Name = "DISTANCE" },
		"zero weight":        func(p *dispatch.PolicyInput) { p.Criteria[0].Weight = 0 },
		"no shipments":       func(p *dispatch.PolicyInput) { p.MaxShipments = 0 },
		"bad backorder mode": func(p *dispatch.PolicyInput) { p.Backorder = "SOMETIMES" },
	} {
		t.Run(name, func(t *testing.T) {
			in := policy(1)
			mutate(&in)
			require.True(t, fault.Is(in.Validate(), fault.InvalidArgument))
		})
	}
	require.NoError(t, policy(1).Validate())
}
