package orders

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func TestValidateLineKinds(t *testing.T) {
	price := int64(200)
	release := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ch := pulid.New("chn")
	for _, tc := range []struct {
		name string
		line Line
		ok   bool
	}{
		{"a stock line needs its SKU", Line{Quantity: 1}, false},
		{"a stock line by kind needs its SKU too", Line{Quantity: 1, Kind: orderline.KindSTOCK}, false},
		{"a stock line", Line{SKU: "TEE-M", Quantity: 1}, true},
		{"a tip without SKU", Line{Name: "Tip", Quantity: 1, UnitPrice: &price, Kind: orderline.KindNON_STOCK}, true},
		{"an unmapped item", Line{SKU: "CAP-OLD", Quantity: 1, UnitPrice: &price, Kind: orderline.KindUNMAPPED}, true},
		{"a line without stock needs its price", Line{Name: "Tip", Quantity: 1, Kind: orderline.KindNON_STOCK}, false},
		{"a line without stock is no pre-order", Line{Name: "Tip", Quantity: 1, UnitPrice: &price, ReleaseAt: &release, Kind: orderline.KindNON_STOCK}, false},
		{"an unknown kind", Line{SKU: "X", Quantity: 1, UnitPrice: &price, Kind: "SERVICE"}, false},
		{"a line without stock still has a quantity", Line{Name: "Tip", Quantity: 0, UnitPrice: &price, Kind: orderline.KindNON_STOCK}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := PlaceInput{Lines: []Line{tc.line}, ChannelID: &ch, ExternalID: "1"}.Validate()
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		})
	}
}

// Only channel orders carry lines without stock: an order placed directly (a storefront, a
// console) names catalogue SKUs, so that nobody sells a custom amount past the catalogue's prices.
func TestStockOnly(t *testing.T) {
	price := int64(100)
	require.NoError(t, PlaceInput{Lines: []Line{{SKU: "TEE-M", Quantity: 1}}}.stockOnly())
	err := PlaceInput{Lines: []Line{{SKU: "TEE-M", Quantity: 1}, {Name: "Tip", Quantity: 1, UnitPrice: &price, Kind: orderline.KindNON_STOCK}}}.stockOnly()
	require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
	require.ErrorContains(t, err, "line 2 (Tip)")
	require.Equal(t, []string{"A", "C"}, stockSKUs([]Line{{SKU: "A"}, {SKU: "B", Kind: orderline.KindUNMAPPED}, {SKU: "C", Kind: orderline.KindSTOCK}}))
}
