package orders_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

func TestBuyerOf(t *testing.T) {
	cusA, cusB := pulid.ID("cus_A"), pulid.ID("cus_B")
	bound := auth.Viewer{KeyID: "key_1", Role: auth.Storefront, CustomerID: &cusA}
	unbound := auth.Viewer{KeyID: "key_2", Role: auth.Storefront}
	operator := auth.Viewer{KeyID: "key_3", Role: auth.Operator}
	victim := orders.Customer{Email: " Victim@Example.com ", Name: "Mallory", Phone: "+1"}
	tests := []struct {
		name   string
		caller auth.Viewer
		known  bool
		in     orders.Customer
		want   orders.Buyer
		code   fault.Code // the refusal, or "" when decided
	}{
		{name: "staff find a customer by email", caller: operator, known: true, in: victim,
			want: orders.Buyer{Find: orders.Customer{Email: "victim@example.com", Name: "Mallory", Phone: "+1"}, ContactEmail: "victim@example.com"}},
		{name: "staff name a customer", caller: operator, known: true, in: orders.Customer{ID: &cusB},
			want: orders.Buyer{ID: &cusB}},
		{name: "Ordo's own work (channels) finds by email", in: orders.Customer{Email: "a@b.c"},
			want: orders.Buyer{Find: orders.Customer{Email: "a@b.c"}, ContactEmail: "a@b.c"}},
		{name: "no customer at all", caller: operator, known: true},
		{name: "an unbound storefront naming an existing email places a guest order", caller: unbound, known: true, in: victim,
			want: orders.Buyer{Guest: true, ContactEmail: "victim@example.com"}},
		{name: "an unbound storefront with no email", caller: unbound, known: true, in: orders.Customer{Name: "N"},
			want: orders.Buyer{Guest: true}},
		{name: "an unbound storefront naming a customer", caller: unbound, known: true, in: orders.Customer{ID: &cusB}, code: fault.Forbidden},
		{name: "a bound storefront orders for its customer whatever email it gives", caller: bound, known: true, in: victim,
			want: orders.Buyer{ID: &cusA, ContactEmail: "victim@example.com"}},
		{name: "a bound storefront naming its own customer", caller: bound, known: true, in: orders.Customer{ID: &cusA},
			want: orders.Buyer{ID: &cusA}},
		{name: "a bound storefront naming another customer", caller: bound, known: true, in: orders.Customer{ID: &cusB}, code: fault.Forbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := orders.BuyerOf(tc.caller, tc.known, tc.in)
			if tc.code != "" {
				require.Equal(t, tc.code, fault.CodeOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
