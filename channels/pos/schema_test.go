package pos

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// schemaExcerpt is the part of api.json (testdata/README.md) the wire types are checked against.
type schemaExcerpt map[string]struct {
	Enum       []string                   `json:"enum"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// jsonFields lists the JSON names of a struct's fields, embedded structs' included.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func field(t reflect.Type, name string) reflect.Type {
	f, ok := t.FieldByName(name)
	if !ok {
		panic(name)
	}
	return elem(f.Type)
}

// TestWireNamesInSchema checks every field the package reads or sends against Square's schema, so
// that a misspelt name (which JSON would silently leave empty) fails here. Address and service
// charges are not in the excerpt.
func TestWireNamesInSchema(t *testing.T) {
	var s schemaExcerpt
	require.NoError(t, json.Unmarshal(fixture(t, "apijson_schema_excerpt_orders_inventory.json"), &s))
	ful := reflect.TypeFor[fulfillment]()
	types := []struct {
		schema string
		typ    reflect.Type
	}{
		{"Order", reflect.TypeFor[order]()},
		{"Order", reflect.TypeFor[orderUpdate]()},
		{"OrderLineItem", reflect.TypeFor[lineItem]()},
		{"Fulfillment", ful},
		{"Fulfillment", reflect.TypeFor[fulfillmentUpdate]()},
		{"FulfillmentShipmentDetails", field(ful, "Shipment")},
		{"FulfillmentShipmentDetails", reflect.TypeFor[shipmentUpdate]()},
		{"FulfillmentPickupDetails", field(ful, "Pickup")},
		{"FulfillmentRecipient", reflect.TypeFor[recipient]()},
		{"Tender", field(reflect.TypeFor[order](), "Tenders")},
		{"Money", reflect.TypeFor[money]()},
		{"InventoryChange", reflect.TypeFor[inventoryChange]()},
		{"InventoryPhysicalCount", reflect.TypeFor[physicalCount]()},
	}
	for _, tt := range types {
		props := s[tt.schema].Properties
		require.NotEmpty(t, props, tt.schema)
		for _, name := range jsonFields(tt.typ) {
			_, ok := props[name]
			require.True(t, ok, "%s has no field %q (%s)", tt.schema, name, tt.typ)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestStatusTablesCoverEnums checks that the status tables know every value Square documents.
func TestStatusTablesCoverEnums(t *testing.T) {
	var s schemaExcerpt
	require.NoError(t, json.Unmarshal(fixture(t, "apijson_schema_excerpt_orders_inventory.json"), &s))
	for _, tt := range []struct {
		schema string
		got    []string
	}{
		{"OrderState", keys(orderStates)},
		{"FulfillmentState", keys(fulfillmentStates)},
		{"FulfillmentType", keys(handover)},
	} {
		want := append([]string(nil), s[tt.schema].Enum...)
		sort.Strings(want)
		require.Equal(t, want, tt.got, tt.schema)
	}
}
