package graph_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph"
)

var update = flag.Bool("update", false, "rewrite testdata/input_policy.txt from the policy")

var allRoles = []auth.Role{auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner}

// inputPath is one input field a mutation can be sent, with the arguments that set it and nothing else.
type inputPath struct {
	mutation, path, field string
	args                  map[string]any
}

// inputPaths walks every argument of every mutation of s down to each input field, building the
// arguments that set exactly that field (its parents as objects, lists as one element).
func inputPaths(s *ast.Schema) []inputPath {
	var out []inputPath
	var walk func(mutation, path string, typ *ast.Type, wrap func(any) map[string]any, seen []string)
	walk = func(mutation, path string, typ *ast.Type, wrap func(any) map[string]any, seen []string) {
		def := s.Types[typ.Name()]
		if def == nil || def.Kind != ast.InputObject || slices.Contains(seen, def.Name) {
			return
		}
		for _, f := range def.Fields {
			inner := func(v any) map[string]any {
				obj := map[string]any{f.Name: v}
				if typ.Elem != nil {
					return wrap([]any{obj})
				}
				return wrap(obj)
			}
			p := path + "." + f.Name
			out = append(out, inputPath{mutation: mutation, path: p, field: def.Name + "." + f.Name, args: inner(sample(s, f.Type))})
			walk(mutation, p, f.Type, inner, append(seen, def.Name))
		}
	}
	for _, m := range s.Mutation.Fields {
		for _, a := range m.Arguments {
			walk(m.Name, a.Name, a.Type, func(v any) map[string]any { return map[string]any{a.Name: v} }, nil)
		}
	}
	return out
}

// sample is a value of typ that is not null.
func sample(s *ast.Schema, typ *ast.Type) any {
	var v any = "x"
	if def := s.Types[typ.Name()]; def != nil && def.Kind == ast.InputObject {
		v = map[string]any{}
	}
	if typ.Elem != nil {
		return []any{v}
	}
	return v
}

// allowedLetters is one letter per role of allRoles (AOSFP: ADMIN, OPERATOR, SUPPORT, STOREFRONT,
// PARTNER) when the role may set the field (RootPolicy of the mutation and InputPolicy of the
// field), '-' otherwise. The partner serves the location the sample names.
func allowedLetters(t *testing.T, s *ast.Schema, p inputPath) string {
	var b strings.Builder
	for i, r := range allRoles {
		def := s.Mutation.Fields.ForName(p.mutation)
		err := graph.MaySet(s, auth.Viewer{Role: r, LocationIDs: []pulid.ID{"x"}}, def.Arguments, p.args)
		switch {
		case err == nil && slices.Contains(graph.RootPolicy["Mutation."+p.mutation], r):
			b.WriteByte("AOSFP"[i])
		case err == nil || fault.Is(err, fault.Forbidden):
			if err != nil {
				require.Contains(t, err.Error(), p.field, "the refusal names the field")
			}
			b.WriteByte('-')
		default:
			t.Fatalf("%s %s as %s: %v", p.mutation, p.path, r, err)
		}
	}
	return b.String()
}

// TestInputPolicyMatrix is the role × input field table of every mutation, generated from the
// schema and compared with testdata/input_policy.txt, which is reviewed like code: a new input
// field (with its rule) changes the table and fails this test until the file is updated with
// -update. Columns: ADMIN, OPERATOR, SUPPORT, STOREFRONT, PARTNER.
func TestInputPolicyMatrix(t *testing.T) {
	s := graph.NewSchema(&graph.Resolver{}).Schema()
	var lines []string
	for _, p := range inputPaths(s) {
		lines = append(lines, fmt.Sprintf("%-26s %-48s %s", p.mutation, p.path, allowedLetters(t, s, p)))
	}
	sort.Strings(lines)
	got := "# mutation, input field, who may set it (A ADMIN, O OPERATOR, S SUPPORT, F STOREFRONT, P PARTNER)\n" + strings.Join(lines, "\n") + "\n"
	const golden = "testdata/input_policy.txt"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), got, "the input policy changed: review it and run go test ./graph -run TestInputPolicyMatrix -update")
}

// TestStorefrontInputs: what a storefront may and may not say when it places an order, written out
// from the issue rather than read from the policy.
func TestStorefrontInputs(t *testing.T) {
	s := graph.NewSchema(&graph.Resolver{}).Schema()
	place := s.Mutation.Fields.ForName("placeOrder").Arguments
	line := map[string]any{"sku": "TEE", "quantity": 1}
	tests := []struct {
		name  string
		input map[string]any
		field string // refused field, or "" when allowed
	}{
		{"catalogue price", map[string]any{"lines": []any{line}, "customer": map[string]any{"email": "a@b.c"}, "note": "gift"}, ""},
		{"null is no value", map[string]any{"lines": []any{line}, "paid": nil, "unitPrice": nil}, ""},
		{"unit price", map[string]any{"lines": []any{line, map[string]any{"sku": "TEE", "quantity": 1, "unitPrice": 1}}}, "PlaceOrderLineInput.unitPrice"},
		{"paid", map[string]any{"lines": []any{line}, "paid": true}, "PlaceOrderInput.paid"},
		{"paid false", map[string]any{"lines": []any{line}, "paid": false}, "PlaceOrderInput.paid"},
		{"priority", map[string]any{"lines": []any{line}, "priority": 1000}, "PlaceOrderInput.priority"},
		{"ship by", map[string]any{"lines": []any{line}, "shipBy": "2026-12-24T00:00:00Z"}, "PlaceOrderInput.shipBy"},
		{"shipping amount", map[string]any{"lines": []any{line}, "shippingAmount": 0}, "PlaceOrderInput.shippingAmount"},
		{"discount amount", map[string]any{"lines": []any{line}, "discountAmount": 999}, "PlaceOrderInput.discountAmount"},
		{"tax amount", map[string]any{"lines": []any{line}, "taxAmount": 1}, "PlaceOrderInput.taxAmount"},
		{"channel id", map[string]any{"lines": []any{line}, "channelID": "chn_1"}, "PlaceOrderInput.channelID"},
		{"external id", map[string]any{"lines": []any{line}, "externalID": "1"}, "PlaceOrderInput.externalID"},
		{"backorder", map[string]any{"lines": []any{line}, "allowBackorder": true}, "PlaceOrderInput.allowBackorder"},
		{"customer id", map[string]any{"lines": []any{line}, "customerID": "cus_1"}, "PlaceOrderInput.customerID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := graph.MaySet(s, auth.Viewer{Role: auth.Storefront}, place, map[string]any{"input": tc.input})
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.True(t, fault.Is(err, fault.Forbidden), "%v", err)
			require.Contains(t, err.Error(), tc.field)
			require.NoError(t, graph.MaySet(s, auth.Viewer{Role: auth.Operator}, place, map[string]any{"input": tc.input}),
				"an operator may set %s", tc.field)
		})
	}
}

func TestPartnerActsAtItsLocationsOnly(t *testing.T) {
	s := graph.NewSchema(&graph.Resolver{}).Schema()
	receive := s.Mutation.Fields.ForName("receiveStock").Arguments
	partner := auth.Viewer{Role: auth.Partner, LocationIDs: []pulid.ID{"loc_A", "loc_B"}}
	in := func(loc string) map[string]any {
		return map[string]any{"input": map[string]any{"sku": "TEE", "locationID": loc, "quantity": 1}}
	}
	require.NoError(t, graph.MaySet(s, partner, receive, in("loc_B")))
	err := graph.MaySet(s, partner, receive, in("loc_C"))
	require.True(t, fault.Is(err, fault.Forbidden), "%v", err)
	require.NoError(t, graph.MaySet(s, auth.Viewer{Role: auth.Operator}, receive, in("loc_C")), "staff act anywhere")
	require.Error(t, graph.MaySet(s, auth.Viewer{Role: auth.Partner}, receive, in("loc_A")), "an unbound partner acts nowhere")
}

func TestFilterPolicy(t *testing.T) {
	s := graph.NewSchema(&graph.Resolver{}).Schema()
	args := func(typ, field string) ast.ArgumentDefinitionList {
		return s.Types[typ].Fields.ForName(field).Arguments
	}
	variants, orders, customers := args("Query", "variants"), args("Query", "orders"), args("Query", "customers")
	levels := args("Query", "inventoryLevels")
	tests := []struct {
		name  string
		role  auth.Role
		defs  ast.ArgumentDefinitionList
		where map[string]any
		field string // refused filter, or "" when allowed
	}{
		{"storefront filters its orders by status", auth.Storefront, orders, map[string]any{"statusIn": []any{"CONFIRMED"}, "numberHasPrefix": "A"}, ""},
		{"storefront filters variants by price", auth.Storefront, variants, map[string]any{"priceAmountLT": 100, "hasProductWith": []any{map[string]any{"brand": "x"}}}, ""},
		{"storefront probes stock per location", auth.Storefront, variants,
			map[string]any{"hasInventoryLevelsWith": []any{map[string]any{"locationID": "loc_A", "onHandGT": 0}}}, "VariantWhereInput.hasInventoryLevelsWith"},
		{"storefront probes stock behind not and or", auth.Storefront, variants,
			map[string]any{"or": []any{map[string]any{"not": map[string]any{"hasInventoryLevels": true}}}}, "VariantWhereInput.hasInventoryLevels"},
		{"storefront probes a customer's other orders", auth.Storefront, customers,
			map[string]any{"hasOrdersWith": []any{map[string]any{"totalGT": 0}}}, "CustomerWhereInput.hasOrdersWith"},
		{"storefront probes customers from its orders", auth.Storefront, orders,
			map[string]any{"hasCustomerWith": []any{map[string]any{"emailContains": "@"}}}, "OrderWhereInput.hasCustomerWith"},
		{"storefront reaches stock through locations", auth.Storefront, args("Query", "locations"),
			map[string]any{"hasInventoryLevelsWith": []any{map[string]any{"reservedGT": 0}}}, "LocationWhereInput.hasInventoryLevelsWith"},
		{"storefront filters stock levels", auth.Storefront, levels, map[string]any{"onHandGT": 0}, "InventoryLevel"},
		{"partner filters its stock by location", auth.Partner, levels, map[string]any{"locationIDIn": []any{"loc_A"}}, ""},
		{"partner probes orders through allocations", auth.Partner, orders,
			map[string]any{"hasAllocationsWith": []any{map[string]any{"locationID": "loc_X"}}}, "OrderWhereInput.hasAllocationsWith"},
		{"support filters through any relation", auth.Support, customers,
			map[string]any{"hasOrdersWith": []any{map[string]any{"hasAllocationsWith": []any{map[string]any{"locationID": "loc_X"}}}}}, ""},
		{"support may not filter movements", auth.Support, args("Query", "inventoryMovements"), map[string]any{"reason": "x"}, "InventoryMovement"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := graph.MayFilter(s, tc.role, tc.defs, map[string]any{"where": tc.where})
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.True(t, fault.Is(err, fault.Forbidden), "%v", err)
			require.Contains(t, err.Error(), tc.field)
		})
	}
}

// withField is the schema with one more field on an input type, as a change that forgot its rule.
type withField struct {
	graphql.ExecutableSchema
	s *ast.Schema
}

func (w withField) Schema() *ast.Schema { return w.s }

func addField(t *testing.T, typ, field string) graphql.ExecutableSchema {
	es := graph.NewSchema(&graph.Resolver{})
	orig := es.Schema()
	s := *orig
	s.Types = map[string]*ast.Definition{}
	for k, v := range orig.Types {
		s.Types[k] = v
	}
	def := *s.Types[typ]
	require.NotNil(t, s.Types[typ])
	def.Fields = append(slices.Clone(def.Fields), &ast.FieldDefinition{Name: field, Type: ast.NamedType("Int", nil)})
	s.Types[typ] = &def
	return withField{es, &s}
}

func TestAFieldWithoutARuleStopsTheServer(t *testing.T) {
	require.NoError(t, graph.Authorizer{}.Validate(graph.NewSchema(&graph.Resolver{})))
	for _, tc := range []struct{ typ, field, want string }{
		{"PlaceOrderLineInput", "discountPercent", "no rule for PlaceOrderLineInput.discountPercent"},
		{"AddressInput", "gate", "no rule for AddressInput.gate"},
		{"OrderWhereInput", "totalAmountGT", "no rule for OrderWhereInput.totalAmountGT"},
	} {
		err := graph.Authorizer{}.Validate(addField(t, tc.typ, tc.field))
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.want)
	}
}
