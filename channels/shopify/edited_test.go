package shopify

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A line an order edit took units off reads as what is left of it (current_quantity); a payload
// without current_quantity keeps quantity.
func TestLineQuantityAfterAnEdit(t *testing.T) {
	o, err := NormalizeOrder([]byte(`{"id":1,"currency":"USD","created_at":"2026-12-07T10:00:00Z","line_items":[
		{"id":11,"sku":"TEE","variant_id":5,"quantity":3,"current_quantity":1,"price":"10.00"},
		{"id":12,"sku":"CAP","variant_id":6,"quantity":2,"current_quantity":0,"price":"5.00"},
		{"id":13,"sku":"MUG","variant_id":7,"quantity":4,"price":"5.00"}]}`))
	require.NoError(t, err)
	require.Len(t, o.Lines, 3)
	require.Equal(t, int64(1), o.Lines[0].Quantity)
	require.Equal(t, int64(0), o.Lines[1].Quantity, "removed whole by the edit")
	require.Equal(t, int64(4), o.Lines[2].Quantity)
}
