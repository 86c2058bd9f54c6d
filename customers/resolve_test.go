package customers_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func resolve(t *testing.T, db *database.DB, b customers.Buyer) *pulid.ID {
	t.Helper()
	var id *pulid.ID
	require.NoError(t, db.Tx(context.Background(), func(tx *ent.Tx) error {
		var err error
		id, err = customers.Resolve(context.Background(), tx, b)
		return err
	}))
	return id
}

func TestResolveKnowsCustomersMadeBeforeIdentities(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		old, err := db.Client.Customer.Create().SetEmail("old@example.com").Save(ctx)
		require.NoError(t, err)

		// A verified email finds the customer by its email column, and becomes its identity.
		got := resolve(t, db, customers.Buyer{Email: "OLD@example.com", EmailVerified: true})
		require.Equal(t, &old.ID, got)
		require.Equal(t, 1, db.Client.CustomerIdentity.Query().Where(customeridentity.CustomerID(old.ID), customeridentity.Value("old@example.com")).CountX(ctx))

		// An unverified email finds nothing (a stranger typing it reaches no one): the phone makes
		// a customer of its own, without the email.
		got = resolve(t, db, customers.Buyer{Email: "old@example.com", Phone: "+66812345678"})
		require.NotNil(t, got)
		require.NotEqual(t, old.ID, *got)
		require.Nil(t, db.Client.Customer.GetX(ctx, *got).Email)

		// A merged customer's email column leads to its survivor.
		legacy, err := db.Client.Customer.Create().SetEmail("legacy@example.com").Save(ctx)
		require.NoError(t, err)
		_, err = (&customers.Service{DB: db}).Merge(ctx, old.ID, legacy.ID, "", "test")
		require.NoError(t, err)
		require.Equal(t, &old.ID, resolve(t, db, customers.Buyer{Email: "legacy@example.com", EmailVerified: true}))

		// Masked contacts and no buyer id: a customer of its own each time when named, none when not.
		masked := customers.Buyer{Email: "****@gmail.com", EmailVerified: true, Phone: "66*****89", Country: "TH", Name: "A***"}
		a, b := resolve(t, db, masked), resolve(t, db, masked)
		require.NotNil(t, a)
		require.NotEqual(t, *a, *b)
		require.Nil(t, resolve(t, db, customers.Buyer{Email: "****@gmail.com", EmailVerified: true}))
	})
}

// Two agents merging two customers into each other at once: one merge wins, the other is refused,
// and no customer ends merged into one that is merged itself.
func TestCrossedMergesMakeNoChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := &customers.Service{DB: db}
		for range 5 {
			a := db.Client.Customer.Create().SaveX(ctx)
			b := db.Client.Customer.Create().SaveX(ctx)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range [][2]pulid.ID{{a.ID, b.ID}, {b.ID, a.ID}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = svc.Merge(ctx, pair[0], pair[1], "", "agent")
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else {
					require.Equal(t, fault.Conflict, fault.CodeOf(err), "%v", err)
				}
			}
			require.Equal(t, 1, ok)
			a, b = db.Client.Customer.GetX(ctx, a.ID), db.Client.Customer.GetX(ctx, b.ID)
			require.True(t, (a.MergedIntoID == nil) != (b.MergedIntoID == nil), "exactly one is merged")
		}
	})
}
