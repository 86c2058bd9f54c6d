package fulfilment

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func TestShipsPartial(t *testing.T) {
	require.False(t, shipsPartial(nil), "no channel: the default, WAIT_COMPLETE")
	require.False(t, shipsPartial(&ent.Channel{PartialShipments: channel.PartialShipmentsWAIT_COMPLETE}))
	require.True(t, shipsPartial(&ent.Channel{PartialShipments: channel.PartialShipmentsSHIP_PARTIAL}))
}

func TestChannelFulfilmentValidate(t *testing.T) {
	p := func(v channel.PartialShipments) *channel.PartialShipments { return &v }
	h := func(v int) *int { return &v }
	id := pulid.New("chn")
	for _, in := range []ChannelFulfilment{
		{ChannelID: id},
		{ChannelID: id, PartialShipments: p(channel.PartialShipmentsSHIP_PARTIAL), ShipByAlertHours: h(0)},
		{ChannelID: id, ShipByAlertHours: h(MaxShipByAlertHours)},
	} {
		require.NoError(t, in.Validate())
	}
	for name, in := range map[string]ChannelFulfilment{
		"no channel":       {},
		"not a channel id": {ChannelID: pulid.New("loc")},
		"unknown policy":   {ChannelID: id, PartialShipments: p("SOMETIMES")},
		"negative hours":   {ChannelID: id, ShipByAlertHours: h(-1)},
		"too many hours":   {ChannelID: id, ShipByAlertHours: h(MaxShipByAlertHours + 1)},
	} {
		err := in.Validate()
		require.Error(t, err, name)
		require.True(t, fault.Is(err, fault.InvalidArgument), name)
	}
}
