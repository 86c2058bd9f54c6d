package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

func TestSees(t *testing.T) {
	id := func(s string) *pulid.ID { p := pulid.ID(s); return &p }
	theirs := &ent.Order{CustomerID: id("cus_B"), PlacedBy: "key_other"}
	own := &ent.Order{CustomerID: id("cus_A"), PlacedBy: "key_other"}
	placed := &ent.Order{CustomerID: id("cus_B"), PlacedBy: "key_S"}
	guest := &ent.Order{PlacedBy: "key_other"}
	bound := auth.Viewer{KeyID: "key_S", Role: auth.Storefront, CustomerID: id("cus_A")}
	unbound := auth.Viewer{KeyID: "key_S", Role: auth.Storefront}
	for _, tc := range []struct {
		name   string
		viewer *auth.Viewer
		order  *ent.Order
		want   bool
	}{
		{"staff see every order", &auth.Viewer{KeyID: "key_X", Role: auth.Support}, theirs, true},
		{"Ordo's own work sees every order", nil, theirs, true},
		{"a bound storefront sees its customer's order", &bound, own, true},
		{"a bound storefront sees an order it placed", &bound, placed, true},
		{"a bound storefront does not see another customer's order", &bound, theirs, false},
		{"a bound storefront does not see a guest order of another key", &bound, guest, false},
		{"an unbound storefront sees an order it placed", &unbound, placed, true},
		{"an unbound storefront does not see another key's order", &unbound, own, false},
		{"a partner is refused: its rule needs the order's allocations", &auth.Viewer{KeyID: "key_P", Role: auth.Partner, LocationIDs: []pulid.ID{"loc_A"}}, own, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.viewer != nil {
				ctx = auth.NewContext(ctx, *tc.viewer)
			}
			require.Equal(t, tc.want, auth.Sees(ctx, tc.order))
		})
	}
}
