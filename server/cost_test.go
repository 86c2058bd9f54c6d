package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/paging"
)

// costSDL has what the cost rule tells apart: objects, scalars, plain lists, list arguments and
// Relay connections.
const costSDL = `
type Query {
  item: Item
  items(first: Int, last: Int, after: String): ItemConnection!
  nodes(ids: [ID!]!): [Item]!
  tags: [String!]!
}
type ItemConnection { totalCount: Int! pageInfo: PageInfo! edges: [ItemEdge] nodes: [Item] }
type ItemEdge { cursor: String! node: Item }
type PageInfo { hasNextPage: Boolean! }
type Item { id: ID! name: String! parts: [Item!]! children(first: Int): ItemConnection! }
`

var costSchema = gqlparser.MustLoadSchema(&ast.Source{Input: costSDL})

func costOf(t testing.TB, s *ast.Schema, query string, vars map[string]any, pages paging.Limits) (int, error) {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(s, query)
	require.Nil(t, errs)
	return operationCost(doc, doc.Operations[0], vars, pages)
}

func TestOperationCost(t *testing.T) {
	pages := paging.NewLimits(100)
	tests := []struct {
		name    string
		query   string
		vars    map[string]any
		want    int
		wantErr string
	}{
		{name: "a field", query: `{ item { id } }`, want: 2},
		{name: "scalars count", query: `{ item { id name } }`, want: 3},
		{name: "__typename counts", query: `{ __typename }`, want: 1},
		{name: "introspection counts 1 a field", query: `{ __schema { types { name fields { name } } } }`, want: 1},
		{name: "a plain list: estimated", query: `{ item { parts { id } } }`, want: 1 + 1 + listEstimate},
		{name: "a list of scalars", query: `{ tags }`, want: 1},
		{name: "a list argument longer than the estimate", query: `{ nodes(ids: ["1","2","3","4","5","6","7","8"]) { id } }`, want: 1 + 8},
		{name: "a list variable", query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, vars: map[string]any{"ids": []any{"1", "2", "3", "4", "5", "6", "7"}}, want: 1 + 7},
		{name: "a connection's edges and nodes hold first items", query: `{ items(first: 20) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } nodes { id } } }`,
			want: 1 + 1 + 2 + (1 + 20*(1+2)) + (1 + 20*1)},
		{name: "last", query: `{ items(last: 3) { edges { node { id } } } }`, want: 1 + 1 + 3*2},
		{name: "first from a variable", query: `query($n: Int) { items(first: $n) { nodes { id } } }`, vars: map[string]any{"n": int64(7)}, want: 1 + 1 + 7},
		{name: "no first: the default page", query: `{ items { nodes { id } } }`, want: 1 + 1 + 100},
		{name: "nested connections multiply", query: `{ items(first: 10) { nodes { children(first: 10) { nodes { id } } } } }`,
			want: 1 + 1 + 10*(1+1+10)},
		{name: "a plain list inside a connection's item is estimated", query: `{ items(first: 10) { nodes { parts { id } } } }`,
			want: 1 + 1 + 10*(1+listEstimate)},
		{name: "a fragment costs where it is spread", query: `{ items(first: 4) { ...C } item { children(first: 2) { ...C } } } fragment C on ItemConnection { nodes { id } }`,
			want: (1 + 1 + 4) + (1 + 1 + 1 + 2)},
		{name: "inline fragments add up", query: `{ item { ... on Item { id } ... on Item { name } } }`, want: 3},
		{name: "first over the max", query: `{ items(first: 100000) { totalCount } }`, wantErr: "items: first is 100000, more than the largest page of 100"},
		{name: "a variable over the max", query: `query($n: Int) { item { children(first: $n) { totalCount } } }`, vars: map[string]any{"n": int64(101)},
			wantErr: "children: first is 101, more than the largest page of 100"},
		{name: "negative last", query: `{ items(last: -1) { totalCount } }`, wantErr: "items: last must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := costOf(t, costSchema, tc.query, tc.vars, pages)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.True(t, fault.Is(err, fault.InvalidArgument))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// fanOut is the document whose fragments each spread the next one twice, levels deep: it asks for
// 2^levels __typename fields.
func fanOut(levels int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }")
	for i := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	return b.String()
}

func TestOperationCostOfFragmentFanOut(t *testing.T) {
	// Costing each fragment once makes this instant; walking every spread would take hours (2^40
	// spreads) and this test would time out.
	for _, levels := range []int{10, 40} {
		got, err := costOf(t, costSchema, fanOut(levels), nil, paging.NewLimits(100))
		require.NoError(t, err)
		require.Equal(t, 1<<levels, got, "%d levels", levels)
	}
	got, err := costOf(t, costSchema, fanOut(80), nil, paging.NewLimits(100))
	require.NoError(t, err)
	require.Equal(t, costCeiling, got, "a cost past the ceiling stays at it, not overflowing")
}

// TestPersistedOperationsCostLessThanTheLimit costs every trusted document partners run with each
// page at the largest allowed, and fails when one would be refused by the default limit.
func TestPersistedOperationsCostLessThanTheLimit(t *testing.T) {
	ops, err := graph.PersistedOperations()
	require.NoError(t, err)
	schema := graph.NewSchema(&graph.Resolver{}).Schema()
	pages := paging.NewLimits(paging.DefaultSize)
	largest, largestName := 0, ""
	for _, op := range ops {
		doc, errs := gqlparser.LoadQuery(schema, op.Document)
		require.Nil(t, errs, op.Name)
		vars := map[string]any{}
		for _, v := range doc.Operations[0].VariableDefinitions {
			switch {
			case v.Variable == "first" || v.Variable == "last":
				vars[v.Variable] = int64(pages.Max)
			case v.Type.Elem != nil:
				vars[v.Variable] = []any{"x"}
			}
		}
		cost, err := operationCost(doc, doc.Operations[0], vars, pages)
		require.NoError(t, err, op.Name)
		t.Logf("%s costs %d at pages of %d", op.Name, cost, pages.Max)
		if cost > largest {
			largest, largestName = cost, op.Name
		}
	}
	require.Less(t, largest, DefaultComplexityLimit, "%s costs %d", largestName, largest)
}

// largeQuery is a console's order list at the largest page, with everything an operator looks at.
const largeQuery = `query Orders($after: Cursor) {
  orders(first: 100, after: $after, orderBy: [{field: PLACED_AT, direction: DESC}]) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { ...OrderRow } }
  }
}
fragment OrderRow on Order {
  id number status channelStatus paymentMethod priority shipBy placedAt
  total { amount currency }
  shippingAddress { name phone line1 line2 city region postalCode countryCode }
  channel { id kind name }
  customer { id email name }
  lines { id sku quantity allocatedQuantity allocations { quantity status location { id code } } }
}`

func BenchmarkOperationCost(b *testing.B) {
	schema := graph.NewSchema(&graph.Resolver{}).Schema()
	pages := paging.NewLimits(paging.DefaultSize)
	for _, bc := range []struct{ name, query string }{
		{"large legitimate query", largeQuery},
		{"fragment fan-out 40 levels", fanOut(40)},
	} {
		doc, errs := gqlparser.LoadQuery(schema, bc.query)
		require.Nil(b, errs)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := operationCost(doc, doc.Operations[0], nil, pages); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRefusedRequest is the server time of refusing the two attacks without a key:
// the whole request through the handler (read, lex, parse, validate, limits, answer). Each
// iteration sends a different document (a numbered comment first), so that none comes from the
// query cache.
func BenchmarkRefusedRequest(b *testing.B) {
	h := New(Config{}, graph.NewSchema(&graph.Resolver{}), nil, nil, nil)
	for _, bc := range []struct{ name, query string }{
		{"fragment fan-out 40 levels", fanOut(40)},
		{"list nested 100000 deep", "{ nodes(ids: " + strings.Repeat("[", 100_000) + `"x"` + strings.Repeat("]", 100_000) + ") { id } }"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n++
				body, err := json.Marshal(map[string]string{"query": fmt.Sprintf("# %d\n%s", n, bc.query)})
				require.NoError(b, err)
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				h.ServeHTTP(w, r)
				if !strings.Contains(w.Body.String(), "INVALID_ARGUMENT") {
					b.Fatalf("not refused: %d %s", w.Code, w.Body)
				}
			}
		})
	}
}
