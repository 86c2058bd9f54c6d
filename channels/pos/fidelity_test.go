package pos

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// A till sale with a catalogue item, a custom amount keyed in and a tip, its numbers sent as
// strings and as numbers alike: every line is kept, the custom amount and the tip as non-stock
// lines, and the lines add up to what the buyer paid.
func TestNormalizeOrderCustomAmountAndTip(t *testing.T) {
	o, err := NormalizeOrder(fixture(t, "ours_RetrieveOrderResponse_custom_amount_tip.json"))
	require.NoError(t, err)
	require.Equal(t, "THB", o.Currency)
	require.Equal(t, []channels.Line{
		{ListingID: "W62UWFY35CWMYGVW00000000", LineID: "ZTqW1cK8s2Lm3Np4Qr5St6", Name: "Tee", Quantity: 2, UnitPrice: 2900},
		{LineID: "Ab12Cd34Ef56Gh78Ij90Kl", Name: "Alterations", Quantity: 1, UnitPrice: 1500, NonStock: true},
		{LineID: "tip", Name: "Tip", Quantity: 1, UnitPrice: 200, NonStock: true},
	}, o.Lines)
	require.Equal(t, int64(7500), o.Total)
	require.Equal(t, o.Total, o.Subtotal, "items, custom amount and tip make the total")
	require.True(t, o.Paid)
	require.Equal(t, "3", o.Refs[RefVersion], "a version sent as a string")
	require.Equal(t, "Bangkok", o.ShippingAddress.City)
}

func TestLineItemKinds(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		nonStock   bool
	}{
		{"catalogue item", `{"quantity":"1","catalog_object_id":"W62","item_type":"ITEM"}`, false},
		{"catalogue item, no type", `{"quantity":"1","catalog_object_id":"W62"}`, false},
		{"custom amount", `{"quantity":"1","item_type":"CUSTOM_AMOUNT"}`, true},
		{"custom amount with a catalogue id", `{"quantity":"1","catalog_object_id":"W62","item_type":"custom_amount"}`, true},
		{"gift card", `{"quantity":1,"catalog_object_id":"GC1","item_type":"GIFT_CARD"}`, true},
		{"no catalogue id", `{"quantity":1}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := NormalizeOrder([]byte(`{"id":"o","line_items":[` + tc.body + `]}`))
			require.NoError(t, err)
			require.Len(t, o.Lines, 1)
			require.Equal(t, tc.nonStock, o.Lines[0].NonStock)
			require.Equal(t, !tc.nonStock, o.Lines[0].Stocked())
		})
	}
}
