package ingestion

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func TestPlacement(t *testing.T) {
	ch := pulid.ID("chn_1")
	placed := time.Date(2026, 11, 11, 0, 0, 1, 0, time.UTC)
	shipBy := placed.Add(48 * time.Hour)
	co := channels.Order{
		ExternalID: "2404098R48U37H", Currency: "thb", Status: channels.Confirmed, ChannelStatus: "READY_TO_SHIP",
		Paid: true, COD: true, Subtotal: 8700, Shipping: 3000, Discount: 500, PlatformDiscount: 200, Tax: -1, Total: 11000,
		PlacedAt: placed, ShipBy: &shipBy, Buyer: channels.Buyer{Name: "Somchai", Email: " Somchai@Example.com "},
		ShippingAddress: channels.Address{City: "Bangkok", CountryCode: "th"},
		Lines: []channels.Line{
			{SKU: "SHIRT-M", ListingID: "1:2", LineID: "L1", Quantity: 3, UnitPrice: 2900, UnitIDs: []string{"u1", "u2", "u3"}},
			{SKU: "GONE", ListingID: "1:3", Quantity: 0, UnitPrice: 100}, // edited away
		},
		Refs: map[string]string{"package_id": "P1"},
	}
	in, st, err := Placement(ch, co, []string{"TEE-M", "GONE"})
	require.NoError(t, err)
	require.Equal(t, ch, *in.ChannelID)
	require.Equal(t, "2404098R48U37H", in.ExternalID)
	require.Equal(t, "THB", in.Currency)
	require.Equal(t, order.PaymentMethodCOD, in.PaymentMethod)
	require.True(t, in.Paid)
	require.Equal(t, int64(11000), *in.Total, "the channel's total, not Ordo's sum")
	require.Equal(t, int64(3000), in.ShippingAmount)
	require.Equal(t, int64(700), in.DiscountAmount, "seller and platform discounts")
	require.Equal(t, int64(0), in.TaxAmount, "never negative")
	require.Equal(t, placed, *in.PlacedAt)
	require.Equal(t, shipBy, *in.ShipBy)
	require.Equal(t, "somchai@example.com", in.Customer.Email)
	require.Equal(t, "TH", in.ShippingAddress.CountryCode)
	require.Len(t, in.Lines, 1, "a line with nothing left to ship is left out")
	l := in.Lines[0]
	require.Equal(t, "TEE-M", l.SKU, "the mapped Ordo SKU, not the channel's")
	require.Equal(t, int64(3), l.Quantity)
	require.Equal(t, int64(2900), *l.UnitPrice)
	require.Equal(t, "1:2", l.ListingID)
	require.Equal(t, "L1", l.ChannelLineID)
	require.Equal(t, []string{"u1", "u2", "u3"}, l.UnitIDs)
	require.Equal(t, channels.Confirmed, st.Status)
	require.Equal(t, "READY_TO_SHIP", st.Raw)
	require.Equal(t, placed, st.UpdatedAt, "no update time: the placement time")
	require.Equal(t, "P1", st.Refs["package_id"])

	co.COD = false
	in, _, err = Placement(ch, co, []string{"TEE-M", "GONE"})
	require.NoError(t, err)
	require.Equal(t, order.PaymentMethodPREPAID, in.PaymentMethod)

	for name, bad := range map[string]channels.Order{
		"no id":           {Lines: co.Lines},
		"nothing to ship": {ExternalID: "X", Lines: []channels.Line{{SKU: "A", Quantity: 0}}},
	} {
		_, _, err := Placement(ch, bad, make([]string, len(bad.Lines)))
		require.True(t, fault.Is(err, fault.InvalidArgument), "%s: %v", name, err)
	}
}

// Lines Ordo cannot take stock for are kept, not refused: a line the channel flags as non-stock or
// that names nothing to map is NON_STOCK; one that names a listing or SKU nobody mapped is
// UNMAPPED. Both keep the channel's SKU text, name and price.
func TestPlacementLinesWithoutStock(t *testing.T) {
	co := channels.Order{
		ExternalID: "Cq3WJ7", Currency: "THB", Status: channels.Confirmed,
		Lines: []channels.Line{
			{ListingID: "W62", LineID: "a", Name: "Tee", Quantity: 2, UnitPrice: 2900},
			{LineID: "b", Name: "Alterations", Quantity: 1, UnitPrice: 1500, NonStock: true},
			{LineID: "c", Name: "Tip", Quantity: 1, UnitPrice: 200},
			{SKU: "CAP-RETIRED", ListingID: "440999", LineID: "d", Name: "Cap", Quantity: 1, UnitPrice: 1500},
			{SKU: "CAP", LineID: "e", Name: "Engraving", Quantity: 1, UnitPrice: 300, NonStock: true},
		},
	}
	in, _, err := Placement(pulid.New("chn"), co, []string{"TEE-M", "", "", "", ""})
	require.NoError(t, err)
	require.Len(t, in.Lines, 5)
	want := []struct {
		sku  string
		kind orderline.Kind
	}{
		{"TEE-M", orderline.KindSTOCK}, {"", orderline.KindNON_STOCK}, {"", orderline.KindNON_STOCK},
		{"CAP-RETIRED", orderline.KindUNMAPPED}, {"CAP", orderline.KindNON_STOCK},
	}
	for i, w := range want {
		l := in.Lines[i]
		require.Equal(t, w.sku, l.SKU, co.Lines[i].Name)
		require.Equal(t, w.kind, l.Kind, co.Lines[i].Name)
		require.Equal(t, co.Lines[i].Name, l.Name)
		require.Equal(t, co.Lines[i].UnitPrice, *l.UnitPrice)
	}
	require.NoError(t, in.Validate(), "a channel order may carry lines without stock")

	// An order of nothing but a tip is still an order: nothing to reserve, nothing refused.
	tipOnly := channels.Order{ExternalID: "T", Currency: "THB", Lines: []channels.Line{{Name: "Tip", Quantity: 1, UnitPrice: 100, NonStock: true}}}
	in, _, err = Placement(pulid.ID("chn_1"), tipOnly, []string{""})
	require.NoError(t, err)
	require.Equal(t, orderline.KindNON_STOCK, in.Lines[0].Kind)
}
