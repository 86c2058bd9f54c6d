package outbound

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

func TestSellable(t *testing.T) {
	for _, tt := range []struct {
		available int64
		kind      channel.StockBufferKind
		buffer    int
		want      int64
	}{
		{40, channel.StockBufferKindNONE, 5, 40},
		{40, channel.StockBufferKindFIXED, 5, 35},
		{3, channel.StockBufferKindFIXED, 5, 0},
		{40, channel.StockBufferKindPERCENT, 10, 36},
		{34, channel.StockBufferKindPERCENT, 10, 30}, // 3.4 held back rounds up to 4
		{1, channel.StockBufferKindPERCENT, 10, 0},   // never rounds the buffer away
		{0, channel.StockBufferKindPERCENT, 10, 0},
		{7, channel.StockBufferKindPERCENT, 100, 0},
	} {
		require.Equal(t, tt.want, Sellable(tt.available, tt.kind, tt.buffer), "%d less %s %d", tt.available, tt.kind, tt.buffer)
	}
}

func TestMakeable(t *testing.T) {
	tee, hat, a, b := pulid.ID("sku_tee"), pulid.ID("sku_cap"), pulid.ID("loc_a"), pulid.ID("loc_b")
	level := func(v, l pulid.ID, onHand, reserved, safety int64) *ent.InventoryLevel {
		return &ent.InventoryLevel{VariantID: v, LocationID: l, OnHand: onHand, Reserved: reserved, SafetyStock: safety}
	}
	levels := []*ent.InventoryLevel{
		level(tee, a, 10, 2, 1), // 7 available
		level(hat, a, 3, 0, 0),  // 3
		level(tee, b, 5, 0, 0),  // 5, and no caps at b
		level(hat, b, 0, 1, 0),  // over-reserved: 0, not −1
	}
	require.Equal(t, int64(12), makeable(map[pulid.ID]int64{tee: 1}, levels), "a plain SKU: its available, summed")
	require.Equal(t, int64(3), makeable(map[pulid.ID]int64{hat: 1}, levels))
	// Two tees and a cap a set: 3 at a (7/2 = 3, 3/1 = 3), none at b; sets do not span locations.
	require.Equal(t, int64(3), makeable(map[pulid.ID]int64{tee: 2, hat: 1}, levels))
	require.Equal(t, int64(0), makeable(map[pulid.ID]int64{tee: 1}, nil))
}
