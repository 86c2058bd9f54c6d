package dispatch

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/routing"
)

func TestHoldCandidates(t *testing.T) {
	web, pos := pulid.ID("chn_WEB"), pulid.ID("chn_POS")
	loc := func(id string, kind location.Kind, priority int, active bool, channels ...pulid.ID) *ent.Location {
		l := &ent.Location{ID: pulid.ID(id), Code: id, Kind: kind, Priority: priority, Active: active, Timezone: "UTC", ProcessingHours: 24}
		for _, ch := range channels {
			l.Edges.Channels = append(l.Edges.Channels, &ent.Channel{ID: ch})
		}
		return l
	}
	locs := []*ent.Location{
		loc("loc_C", location.KindWAREHOUSE, 2, true),
		loc("loc_A", location.KindWAREHOUSE, 1, true),
		loc("loc_B", location.KindWAREHOUSE, 2, true),
		loc("loc_OFF", location.KindWAREHOUSE, 0, false),
		loc("loc_POS", location.KindWAREHOUSE, 0, true, pos),
		loc("loc_SHOP", location.KindSTORE, 0, true),
		loc("loc_SUP", location.KindDROP_SHIP_SUPPLIER, 0, true),
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	pol := routing.DefaultPolicy()
	require.Equal(t, []pulid.ID{"loc_A", "loc_B", "loc_C"}, holdCandidates(locs, &web, pol, now),
		"priority, then code; inactive, another channel's, stores (ship-from-store off) and suppliers left out")
	require.Equal(t, []pulid.ID{"loc_POS", "loc_A", "loc_B", "loc_C"}, holdCandidates(locs, &pos, pol, now))
	pol.ShipFromStore = true
	require.Equal(t, []pulid.ID{"loc_POS", "loc_SHOP", "loc_A", "loc_B", "loc_C"}, holdCandidates(locs, nil, pol, now),
		"no channel: every channel's locations")
}
