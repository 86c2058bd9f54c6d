package events_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
)

// Rows written before payloads were typed (maps, read back with JSON numbers as float64) read as
// the typed payloads of their kinds.
func TestOldRowsDecodeAsTypedPayloads(t *testing.T) {
	row := func(typ string, data map[string]any) *ent.Event { return &ent.Event{ID: 1, Type: typ, Data: data} }
	t.Run("stock.changed", func(t *testing.T) {
		p, err := events.Decode[events.StockChanged](row("stock.changed", map[string]any{
			"sku": "TEE", "levelID": "lvl_1", "kind": "RESERVATION", "onHand": 8.0, "reserved": 1.0, "safetyStock": 0.0,
			"available": 7.0, "onHandDelta": 0.0, "reservedDelta": 1.0, "reference": "ord_1",
		}))
		require.NoError(t, err)
		require.Equal(t, events.StockChanged{SKU: "TEE", LevelID: "lvl_1", Movement: "RESERVATION", OnHand: 8, Reserved: 1,
			Available: 7, ReservedDelta: 1, Reference: "ord_1"}, p)
	})
	t.Run("order.status_changed from a channel", func(t *testing.T) {
		p, err := events.Decode[events.StatusChanged](row("order.status_changed", map[string]any{
			"command": "SHIP", "from": "READY_TO_SHIP", "to": "SHIPPED", "reason": "channel: shipped", "carrier": "Kerry",
			"trackingNumber": "KE1", "channelStatus": "SHIPPED", "normalized": "SHIPPED",
		}))
		require.NoError(t, err)
		require.Equal(t, events.StatusChanged{Command: "SHIP", From: "READY_TO_SHIP", To: "SHIPPED", Reason: "channel: shipped",
			Carrier: "Kerry", TrackingNumber: "KE1", ChannelStatus: "SHIPPED", Normalized: "SHIPPED"}, p)
	})
	t.Run("order.placed", func(t *testing.T) {
		p, err := events.Decode[events.OrderPlaced](row("order.placed", map[string]any{
			"status": "PENDING_PAYMENT", "number": "SO-1", "total": 2000.0, "currency": "USD", "lines": 2.0,
		}))
		require.NoError(t, err)
		require.Equal(t, events.OrderPlaced{Status: "PENDING_PAYMENT", Number: "SO-1", Total: 2000, Currency: "USD", Lines: 2}, p)
	})
	t.Run("a payload with no data", func(t *testing.T) {
		_, err := events.Decode[events.ListingsChanged](row("channel.listings_changed", nil))
		require.NoError(t, err)
	})
	t.Run("the wrong kind is an error", func(t *testing.T) {
		_, err := events.Decode[events.StockChanged](row("order.placed", map[string]any{"status": "x"}))
		require.ErrorContains(t, err, "is order.placed, not stock.changed")
	})
}

// What a writer appends reads back as the same payload, with the same keys as before.
func TestAppendedPayloadsReadBack(t *testing.T) {
	db := dbtest.SQLite(t)
	want := events.StockChanged{SKU: "TEE", LevelID: "lvl_1", Movement: "RECEIPT", OnHand: 1 << 40, Available: 1 << 40, OnHandDelta: 3, Reference: "po-1"}
	commit(t, db, nil, events.Event{Payload: want, VariantID: "var_1"})
	e, err := db.Client.Event.Query().Only(t.Context())
	require.NoError(t, err)
	require.Equal(t, "stock.changed", e.Type)
	require.Contains(t, e.Data, "kind")
	require.Contains(t, e.Data, "onHand")
	got, err := events.Decode[events.StockChanged](e)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

// Return and refund events name their return: the live stream filters on it.
func TestReturnOf(t *testing.T) {
	db := dbtest.SQLite(t)
	commit(t, db, nil,
		events.Event{OrderID: "ord_1", Payload: events.ReturnStatusChanged{ReturnID: "ret_1", Command: "APPROVE", From: "REQUESTED", To: "APPROVED"}},
		events.Event{OrderID: "ord_1", Payload: events.StatusChanged{Command: "SHIP", From: "ALLOCATED", To: "SHIPPED"}})
	evs, err := db.Client.Event.Query().Order(ent.Asc("id")).All(t.Context())
	require.NoError(t, err)
	require.True(t, events.IsReturn(evs[0].Type))
	require.Equal(t, "ret_1", events.ReturnOf(evs[0]))
	require.False(t, events.IsReturn(evs[1].Type))
	require.Empty(t, events.ReturnOf(evs[1]))
	require.True(t, events.IsReturn("refund.succeeded"))
	p, err := events.Decode[events.ReturnStatusChanged](evs[0])
	require.NoError(t, err)
	require.Equal(t, "APPROVED", p.To)
}
