package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

// fanOutDocument spreads each fragment's next one twice, levels deep: 2^levels fields as written.
func fanOutDocument(levels int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }")
	for i := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	return b.String()
}

// nestedList is nodes(ids:) with its list value nested depth deep.
func nestedList(depth int) string {
	return "{ nodes(ids: " + strings.Repeat("[", depth) + `"x"` + strings.Repeat("]", depth) + ") { id } }"
}

func TestRequestCostIsBoundedBeforeWork(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		anonymous := srv.Client("")
		ctx := context.Background()

		for _, tc := range []struct {
			name, query string
			wantMsg     []string
		}{
			{"fragment fan-out, 40 levels", fanOutDocument(40), []string{"complexity 1099511627776, more than the limit of 25000"}},
			{"list nested 100,000 deep", nestedList(100_000), []string{"nests braces, brackets or parentheses more than 64 deep"}},
			{"too many tokens", "{ " + strings.Repeat("__typename ", 20_000) + "}", []string{"more than 10000 tokens"}},
			{"a page over the max", `{ orders(first: 100000) { totalCount } }`, []string{"orders: first is 100000, more than the largest page of 100"}},
			{"nested connections", `{ orders(first: 100) { edges { node { customer { orders(first: 100) { edges { node { id number lines { sku quantity } } } } } } } } }`,
				[]string{"complexity", "more than the limit of 25000"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := anonymous.DoRaw(ctx, map[string]any{"query": tc.query})
				require.NoError(t, err)
				require.Equal(t, 400, res.Status, "%+v", res.Errors)
				require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%+v", res.Errors)
				require.Contains(t, []string{"", "null"}, string(res.Data), "nothing ran")
				for _, m := range tc.wantMsg {
					require.Contains(t, res.Errors[0].Message, m)
				}
			})
		}
		// The same documents are refused with a key too: cost is not a matter of role.
		res, err := srv.Admin().Do(ctx, fanOutDocument(40), nil)
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())
		// A legitimate query at the largest page passes.
		res, err = srv.Admin().Do(ctx, `{ orders(first: 100) { totalCount edges { node { id number status total { amount currency }
			lines { sku quantity allocatedQuantity } } } } }`, nil)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
	})
}

func TestConnectionsAreCapped(t *testing.T) {
	t.Setenv("ORDO_MAX_PAGE_SIZE", "3")
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		for i := range 5 {
			srv.Location(t, fmt.Sprintf("WH-%d", i), i)
		}
		admin := srv.Admin()
		type page struct {
			Locations struct {
				TotalCount int
				Edges      []struct{ Node struct{ Code string } }
				PageInfo   struct{ HasNextPage, HasPreviousPage bool }
			}
		}
		for _, tc := range []struct {
			args     string
			want     int
			wantNext bool
		}{
			{"", 3, true}, // no first: the default page (the max, as it is below 100)
			{"(first: 2)", 2, true},
			{"(first: 3)", 3, true},
			{"(last: 2)", 2, false},
			{"(first: 0)", 0, true},
		} {
			var p page
			admin.MustDo(t, `{ locations`+tc.args+` { totalCount edges { node { code } } pageInfo { hasNextPage hasPreviousPage } } }`, nil, &p)
			require.Equal(t, 5, p.Locations.TotalCount, tc.args)
			require.Len(t, p.Locations.Edges, tc.want, tc.args)
			require.Equal(t, tc.wantNext, p.Locations.PageInfo.HasNextPage, tc.args)
		}
		for _, tc := range []struct{ args, want string }{
			{"(first: 4)", "locations: first is 4, more than the largest page of 3"},
			{"(last: 100000)", "locations: last is 100000, more than the largest page of 3"},
			{"(first: -1)", "locations: first must not be negative"},
		} {
			res, err := admin.Do(context.Background(), `{ locations`+tc.args+` { totalCount } }`, nil)
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), tc.args)
			require.Contains(t, res.Errors[0].Message, tc.want)
		}
		// A page size from a variable is checked as well as a literal one.
		res, err := admin.Do(context.Background(), `query($n: Int) { locations(first: $n) { totalCount } }`, map[string]any{"n": 50})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())
		require.Contains(t, res.Errors[0].Message, "first is 50, more than the largest page of 3")
	})
}
