package outbound

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
)

// A TikTok-like order: a line of three units each with its own id, a line without unit ids, and a
// tip Ordo does not ship.
var testOrderLines = []*ent.OrderLine{
	{ID: "oln_tee", Kind: orderline.KindSTOCK, ExternalLineID: "L1", ListingID: "SKU-1", Sku: "TEE", Quantity: 3, ExternalUnitIds: []string{"U1", "U2", "U3"}},
	{ID: "oln_cap", Kind: orderline.KindSTOCK, ExternalLineID: "L2", ListingID: "SKU-2", Sku: "CAP", Quantity: 1},
	{ID: "oln_tip", Kind: orderline.KindNON_STOCK, ExternalLineID: "L3", Quantity: 1},
}

func TestShipmentLines(t *testing.T) {
	line := func(ol pulid.ID, q int64) *ent.ShipmentLine { return &ent.ShipmentLine{OrderLineID: ol, Quantity: q} }
	for _, tt := range []struct {
		name  string
		lines []*ent.ShipmentLine
		taken map[pulid.ID]int64
		want  []channels.ShipmentLine
	}{
		{
			name:  "a first shipment takes the first units",
			lines: []*ent.ShipmentLine{line("oln_tee", 2), line("oln_cap", 1), line("oln_tip", 1)},
			want: []channels.ShipmentLine{
				{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", UnitIDs: []string{"U1", "U2"}, Quantity: 2},
				{LineID: "L2", ListingID: "SKU-2", SKU: "CAP", Quantity: 1},
			},
		},
		{
			name:  "a later one the units its line's earlier shipments left",
			lines: []*ent.ShipmentLine{line("oln_tee", 1)},
			taken: map[pulid.ID]int64{"oln_tee": 2},
			want:  []channels.ShipmentLine{{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", UnitIDs: []string{"U3"}, Quantity: 1}},
		},
		{
			name:  "two allocations of one line are one line",
			lines: []*ent.ShipmentLine{line("oln_tee", 1), line("oln_tee", 2)},
			want:  []channels.ShipmentLine{{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", UnitIDs: []string{"U1", "U2", "U3"}, Quantity: 3}},
		},
		{
			name:  "a line Ordo does not know is left out",
			lines: []*ent.ShipmentLine{line("oln_gone", 1)},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ShipmentLines(tt.lines, testOrderLines, tt.taken, nil))
		})
	}
}

// A bundle line ships as components; the channel sold, and is told of, bundles.
func TestShipmentLinesCountBundles(t *testing.T) {
	box := pulid.ID("var_box")
	lines := []*ent.OrderLine{{ID: "oln_box", VariantID: &box, Kind: orderline.KindSTOCK, ExternalLineID: "L9", ListingID: "BOX-1", Sku: "BOX", Quantity: 3,
		ExternalUnitIds: []string{"B1", "B2", "B3"}}}
	bundles := Bundles{box: {"TEA": 2, "CUP": 1}}
	comp := func(sku string, q int64) *ent.ShipmentLine {
		return &ent.ShipmentLine{OrderLineID: "oln_box", Sku: sku, Quantity: q}
	}
	got := ShipmentLines([]*ent.ShipmentLine{comp("TEA", 4), comp("CUP", 2)}, lines, nil, bundles)
	require.Equal(t, []channels.ShipmentLine{{LineID: "L9", ListingID: "BOX-1", SKU: "BOX", UnitIDs: []string{"B1", "B2"}, Quantity: 2}}, got)
	got = ShipmentLines([]*ent.ShipmentLine{comp("TEA", 2), comp("CUP", 1)}, lines, map[pulid.ID]int64{"oln_box": 2}, bundles)
	require.Equal(t, []channels.ShipmentLine{{LineID: "L9", ListingID: "BOX-1", SKU: "BOX", UnitIDs: []string{"B3"}, Quantity: 1}}, got)
	// Without the bundle's composition the components would be counted as bundles: 6 of 3.
	require.Equal(t, int64(6), ShipmentLines([]*ent.ShipmentLine{comp("TEA", 4), comp("CUP", 2)}, lines, nil, nil)[0].Quantity)
}

func TestUnits(t *testing.T) {
	all := []string{"U1", "U2", "U3"}
	require.Equal(t, []string{"U1", "U2"}, units(all, 0, 2))
	require.Equal(t, []string{"U3"}, units(all, 2, 5), "never past the last")
	require.Nil(t, units(all, 3, 1), "all taken")
	require.Nil(t, units(nil, 0, 2), "a line without unit ids")
	require.Nil(t, units(all, -1, 0))
}

func TestLeft(t *testing.T) {
	for _, tt := range []struct {
		from, to shipment.Status
		want     bool
	}{
		{shipment.StatusREADY, shipment.StatusSHIPPED, true},
		{shipment.StatusOPEN, shipment.StatusSHIPPED, true},
		{shipment.StatusREADY_FOR_PICKUP, shipment.StatusCOLLECTED, true},
		{shipment.StatusPACKED, shipment.StatusIN_TRANSIT, true}, // a carrier's first scan
		{shipment.StatusSHIPPED, shipment.StatusIN_TRANSIT, false},
		{shipment.StatusIN_TRANSIT, shipment.StatusDELIVERED, false},
		{shipment.StatusOPEN, shipment.StatusPICKING, false},
		{shipment.StatusREADY, shipment.StatusCANCELLED, false},
	} {
		require.Equal(t, tt.want, Left(tt.from, tt.to), "%s → %s", tt.from, tt.to)
	}
}

func TestChannelPackages(t *testing.T) {
	ps := []*ent.ShipmentPackage{
		{Index: 1, ChannelRef: "PKG1", TrackingNumber: "TT1", Contents: []schema.PackageItem{{LineID: "oln_tee", Quantity: 2}}},
		{Index: 2, Contents: []schema.PackageItem{{LineID: "oln_cap", Quantity: 1}, {LineID: "oln_gone", Quantity: 1}}},
		{Index: 3},
	}
	require.Equal(t, []channels.Package{
		{Ref: "PKG1", TrackingNumber: "TT1", Lines: []channels.ShipmentLine{{LineID: "L1", ListingID: "SKU-1", SKU: "TEE", Quantity: 2}}},
		{TrackingNumber: "KER-2", Lines: []channels.ShipmentLine{{LineID: "L2", ListingID: "SKU-2", SKU: "CAP", Quantity: 1}}},
		{},
	}, channelPackages(ps, []string{"KER-1", "KER-2"}, testOrderLines), "a package's own tracking number, else the shipment's of its rank")
}

func TestCarrierName(t *testing.T) {
	require.Equal(t, "Shopee", carrierName(&ent.Channel{Kind: channel.KindSHOPEE}))
	require.Equal(t, "Tiktok Shop", carrierName(&ent.Channel{Kind: channel.KindTIKTOK_SHOP}))
}
