package routing

import (
	"encoding/json"
	"testing"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/stretchr/testify/require"
)

// Issue 3, "Must show" 3, expressed purely.
func TestBangkokOrderServedFromBangkokNotFullerJakarta(t *testing.T) {
	locs := []Location{jktWH(), bkkWH()}
	o := bangkokOrder(plainLine("1", "TEE", 2), plainLine("2", "CAP", 1))
	st := stock("TEE", "BKK", 5, "CAP", "BKK", 3, "TEE", "JKT", 500, "CAP", "JKT", 400)

	d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: DefaultPolicy(), Now: now})

	require.Equal(t, OutcomeAllocate, d.Outcome)
	require.Equal(t, []pulid.ID{locID("BKK")}, locations(d))
	require.Equal(t, shipping.SameCity, d.Shipments[0].Zone)
	require.Equal(t, locID("BKK"), d.Trace.Ranking[0].LocationID, "Bangkok ranks first although Jakarta has more stock")
	// Jakarta wins on stock after allocation, loses on distance and cost.
	jkt := d.Trace.Ranking[1]
	for _, c := range jkt.Criteria {
		switch c.Name {
		case CriterionStockAfter:
			require.Equal(t, 1.0, c.Normalised)
		case CriterionDistance, CriterionCost:
			require.Equal(t, 0.0, c.Normalised)
		}
	}
	_, err := json.Marshal(d)
	require.NoError(t, err)
}

func TestStockSplitAcrossTwoLocations(t *testing.T) {
	locs := []Location{bkkWH(), cnxWH()}
	o := bangkokOrder(plainLine("1", "TEE", 2), plainLine("2", "CAP", 1))
	st := stock("TEE", "BKK", 2, "CAP", "CNX", 1)

	t.Run("max shipments 1: backordered", func(t *testing.T) {
		p := DefaultPolicy()
		p.MaxShipments = 1
		p.Backorder = BackorderWhole
		d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		require.Equal(t, OutcomeBackorder, d.Outcome)
		require.Empty(t, d.Shipments)
		require.Equal(t, []Shortfall{
			{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 2, Reason: ShortWhole},
			{LineID: lineID("2"), VariantID: varID("CAP"), Quantity: 1, Reason: ShortWhole},
		}, d.Backordered)
	})
	t.Run("max shipments 2: ships from both", func(t *testing.T) {
		p := DefaultPolicy()
		p.MaxShipments = 2
		d := Route(Input{Order: o, Locations: locs, Stock: st, Policy: p, Now: now})
		require.Equal(t, OutcomeAllocate, d.Outcome)
		require.Equal(t, []pulid.ID{locID("BKK"), locID("CNX")}, locations(d))
		require.Empty(t, d.Backordered)
		require.Equal(t, []Item{{LineID: lineID("1"), VariantID: varID("TEE"), Quantity: 2}}, d.Shipments[0].Items)
		require.Equal(t, []Item{{LineID: lineID("2"), VariantID: varID("CAP"), Quantity: 1}}, d.Shipments[1].Items)
		require.Equal(t, d.Shipments[0].Cost+d.Shipments[1].Cost, d.Cost)
		require.True(t, d.Trace.Plan.Complete)
		require.Equal(t, 2, d.Trace.Plan.Shipments)
	})
}
