package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

const customerView = `query($id: ID!) { node(id: $id) { ... on Customer { id
  mergedInto { id }
  identities { kind value verified }
  merges { id survivorID mergedID orderIDs identityCount reason actor actorName undoneAt undoneBy }
  orders(first: 50) { totalCount }
} } }`

type customerPage struct {
	Node struct {
		ID         pulid.ID
		MergedInto *struct{ ID pulid.ID }
		Identities []struct {
			Kind, Value string
			Verified    bool
		}
		Merges []struct {
			ID, SurvivorID, MergedID pulid.ID
			OrderIDs                 []pulid.ID
			IdentityCount            int
			Reason, Actor            string
			ActorName                *string
			UndoneAt                 *string
			UndoneBy                 string
		}
		Orders struct{ TotalCount int }
	}
}

// Support agents merge two customers over GraphQL and see one history; the merge's record names
// them; the unmerge puts it back; storefronts read neither identities nor merges.
func TestCustomerMergeOverGraphQL(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		loc := srv.Location(t, "CUS-WH", 1)
		srv.SKU(t, "CUS-SKU", map[pulid.ID]int64{loc.ID: 20})
		place := func(c map[string]any) pulid.ID {
			var out struct {
				PlaceOrder struct{ Order struct{ ID pulid.ID } }
			}
			admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`,
				map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": "CUS-SKU", "quantity": 1}}, "paid": true,
					"customer": c}}, &out)
			return out.PlaceOrder.Order.ID
		}
		customerOf := func(order pulid.ID) pulid.ID {
			o, err := srv.Inst.DB.Client.Order.Get(ctx, order)
			require.NoError(t, err)
			require.NotNil(t, o.CustomerID)
			return *o.CustomerID
		}
		// The same phone written twice otherwise is one customer; another email and phone another.
		o1 := place(map[string]any{"email": "nok@example.com", "phone": "+66 81 234 5678"})
		o2 := place(map[string]any{"phone": "0066-81-234-5678"})
		o3 := place(map[string]any{"email": "nok.work@example.com", "phone": "+66899999999"})
		survivor, merged := customerOf(o1), customerOf(o3)
		require.Equal(t, survivor, customerOf(o2))
		require.NotEqual(t, survivor, merged)

		support := srv.Client(srv.Key(t, auth.Support, nil))
		var m struct{ MergeCustomers struct{ ID pulid.ID } }
		support.MustDo(t, `mutation($s: ID!, $m: ID!) { mergeCustomers(input: {survivorID: $s, mergedID: $m, reason: "same person, two emails"}) { id } }`,
			map[string]any{"s": survivor, "m": merged}, &m)

		// One history: the merged customer says where it went, the survivor has all three orders,
		// both identities' sets, and the merge's record with its actor.
		var p customerPage
		support.MustDo(t, customerView, map[string]any{"id": merged}, &p)
		require.NotNil(t, p.Node.MergedInto)
		require.Equal(t, survivor, p.Node.MergedInto.ID)
		require.Empty(t, p.Node.Identities)
		require.Zero(t, p.Node.Orders.TotalCount)
		support.MustDo(t, customerView, map[string]any{"id": survivor}, &p)
		require.Nil(t, p.Node.MergedInto)
		require.Equal(t, 3, p.Node.Orders.TotalCount)
		require.Len(t, p.Node.Identities, 4)
		require.Len(t, p.Node.Merges, 1)
		rec := p.Node.Merges[0]
		require.Equal(t, []pulid.ID{o3}, rec.OrderIDs)
		require.Equal(t, 2, rec.IdentityCount)
		require.Equal(t, "same person, two emails", rec.Reason)
		require.NotEmpty(t, rec.Actor)
		require.Nil(t, rec.UndoneAt)

		// A repeat, a self-merge and a chain are refused.
		for _, c := range []struct {
			s, m pulid.ID
			code string
		}{{survivor, merged, "CONFLICT"}, {survivor, survivor, "INVALID_ARGUMENT"}, {merged, survivor, "CONFLICT"}} {
			res, err := support.Do(ctx, `mutation($s: ID!, $m: ID!) { mergeCustomers(input: {survivorID: $s, mergedID: $m}) { id } }`,
				map[string]any{"s": c.s, "m": c.m})
			require.NoError(t, err)
			require.Equal(t, c.code, res.Code())
		}

		// A storefront bound to the merged customer reads its customer, but not how it is
		// recognised, nor its merges, nor the survivor; it may not merge.
		sf := srv.Client(srv.Key(t, auth.Storefront, &merged))
		res, err := sf.Do(ctx, `query($id: ID!) { node(id: $id) { ... on Customer { id identities { value } } } }`, map[string]any{"id": merged})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code(), "%s", res.Data)
		var own struct {
			Node struct{ MergedInto *struct{ ID pulid.ID } }
		}
		sf.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Customer { mergedInto { id } } } }`, map[string]any{"id": merged}, &own)
		require.Nil(t, own.Node.MergedInto, "the survivor is not the storefront's to read")
		res, err = sf.Do(ctx, `mutation($id: ID!) { unmergeCustomers(input: {mergeID: $id}) { id } }`, map[string]any{"id": m.MergeCustomers.ID})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code())

		// The unmerge puts the order and the identities back, once.
		support.MustDo(t, `mutation($id: ID!) { unmergeCustomers(input: {mergeID: $id}) { id undoneAt } }`, map[string]any{"id": m.MergeCustomers.ID}, nil)
		require.Equal(t, merged, customerOf(o3))
		support.MustDo(t, customerView, map[string]any{"id": merged}, &p)
		require.Nil(t, p.Node.MergedInto)
		require.Len(t, p.Node.Identities, 2)
		require.Len(t, p.Node.Merges, 1)
		require.NotNil(t, p.Node.Merges[0].UndoneAt)
		res, err = support.Do(ctx, `mutation($id: ID!) { unmergeCustomers(input: {mergeID: $id}) { id } }`, map[string]any{"id": m.MergeCustomers.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", res.Code())
		srv.Audit(t)
	})
}
