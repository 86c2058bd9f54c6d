package shopify

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Two fulfillment orders: lines 11 (3 units, one fulfilled already) and 12 at location 1, line 13
// at location 2; a closed one at location 1 holds line 11's fulfilled unit.
const fulfillmentOrders = `{"fulfillment_orders":[
	{"id":101,"status":"open","assigned_location_id":1,"line_items":[
		{"id":1011,"line_item_id":11,"quantity":3,"fulfillable_quantity":2},
		{"id":1012,"line_item_id":12,"quantity":1,"fulfillable_quantity":1}]},
	{"id":102,"status":"in_progress","assigned_location_id":2,"line_items":[
		{"id":1021,"line_item_id":13,"quantity":4,"fulfillable_quantity":4}]},
	{"id":103,"status":"closed","assigned_location_id":1,"line_items":[
		{"id":1031,"line_item_id":11,"quantity":1,"fulfillable_quantity":0}]}]}`

func TestAllocate(t *testing.T) {
	fos, err := parseFulfillmentOrders([]byte(fulfillmentOrders))
	require.NoError(t, err)
	require.Len(t, fos, 3)
	line := func(id string, q int64) channels.ShipmentLine { return channels.ShipmentLine{LineID: id, Quantity: q} }
	for _, tc := range []struct {
		name     string
		location string
		lines    []channels.ShipmentLine
		want     string // JSON of line_items_by_fulfillment_order
		refused  bool
	}{
		{name: "whole location", location: "1", want: `[{"fulfillment_order_id":101}]`},
		{name: "any location, whole", want: `[{"fulfillment_order_id":101},{"fulfillment_order_id":102}]`},
		{name: "some units", location: "1", lines: []channels.ShipmentLine{line("11", 1)}, want: `[{"fulfillment_order_id":101,"fulfillment_order_line_items":[{"id":1011,"quantity":1}]}]`},
		{name: "two lines", location: "1", lines: []channels.ShipmentLine{line("11", 2), line("12", 1)}, want: `[{"fulfillment_order_id":101,"fulfillment_order_line_items":[{"id":1011,"quantity":2},{"id":1012,"quantity":1}]}]`},
		{name: "the other location", location: "2", lines: []channels.ShipmentLine{line("13", 4)}, want: `[{"fulfillment_order_id":102,"fulfillment_order_line_items":[{"id":1021,"quantity":4}]}]`},
		{name: "more than is left", location: "1", lines: []channels.ShipmentLine{line("11", 3)}, refused: true},
		{name: "a line at another location", location: "1", lines: []channels.ShipmentLine{line("13", 1)}, refused: true},
		{name: "a line twice beyond what is left", location: "1", lines: []channels.ShipmentLine{line("11", 2), line("11", 1)}, refused: true},
		{name: "no quantity", location: "1", lines: []channels.ShipmentLine{line("11", 0)}, refused: true},
		{name: "no such location", location: "9", refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := allocate(fos, tc.location, tc.lines)
			if tc.refused {
				require.ErrorIs(t, err, channels.ErrRefused)
				return
			}
			require.NoError(t, err)
			b, err := json.Marshal(got)
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(b))
		})
	}
}

func FuzzFulfillmentOrders(f *testing.F) {
	f.Add([]byte(fulfillmentOrders))
	f.Add([]byte(`{"fulfillment_orders":[null,{"id":"x","line_items":[null]}]}`))
	lines := []channels.ShipmentLine{{LineID: "11", Quantity: 2}, {LineID: "13", Quantity: 1}}
	f.Fuzz(func(t *testing.T, body []byte) {
		fos, err := parseFulfillmentOrders(body)
		if err != nil {
			return
		}
		for _, loc := range []string{"", "1"} {
			by, err := allocate(fos, loc, lines)
			if err != nil {
				continue
			}
			var total int64
			for _, b := range by {
				for _, it := range b.LineItems {
					if it.Quantity <= 0 {
						t.Fatalf("a line item of quantity %d", it.Quantity)
					}
					total += it.Quantity
				}
			}
			if total != 3 {
				t.Fatalf("allocated %d units of 3", total)
			}
		}
	})
}
