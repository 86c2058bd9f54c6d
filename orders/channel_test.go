package orders_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/orders"
)

func (w *world) channel(t *testing.T) pulid.ID {
	ch, err := w.db.Client.Channel.Create().SetKind(channel.KindSHOPEE).SetName("shopee").SetShopID("1").Save(context.Background())
	require.NoError(t, err)
	return ch.ID
}

func channelInput(ch pulid.ID, ext string) orders.PlaceInput {
	return orders.PlaceInput{
		ChannelID: &ch, ExternalID: ext, Currency: "THB", Paid: true,
		Lines: []orders.Line{{SKU: "TEE", Quantity: 2, UnitPrice: ptr[int64](2900), ListingID: "item:1", UnitIDs: []string{"u1", "u2"}}},
		Total: ptr[int64](5500),
	}
}

func (w *world) events(t *testing.T, o *ent.Order) []string {
	es, err := w.db.Client.Event.Query().Where(event.OrderID(string(o.ID))).Order(event.ByID()).All(context.Background())
	require.NoError(t, err)
	var out []string
	for _, e := range es {
		out = append(out, e.Type)
	}
	return out
}

func (w *world) movements(t *testing.T, o *ent.Order, kind inventorymovement.Kind) int {
	n, err := w.db.Client.InventoryMovement.Query().Where(inventorymovement.Reference(string(o.ID)), inventorymovement.KindEQ(kind)).Count(context.Background())
	require.NoError(t, err)
	return n
}

func TestSyncChannelOrderConverges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "TEE", 10)
		ch := w.channel(t)
		t0 := time.Date(2026, 11, 11, 0, 0, 5, 0, time.UTC)
		at := func(d time.Duration, st channels.Status, raw string) orders.ChannelState {
			return orders.ChannelState{Status: st, Raw: raw, UpdatedAt: t0.Add(d)}
		}

		// Created with its reservation, at the channel's price and total.
		s, err := w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), at(0, channels.Confirmed, "READY_TO_SHIP"))
		require.NoError(t, err)
		require.True(t, s.Created)
		o := s.Order
		require.Equal(t, order.StatusALLOCATED, o.Status)
		require.Equal(t, int64(5500), o.TotalAmount)
		require.Equal(t, "READY_TO_SHIP", o.ChannelStatus)
		require.Equal(t, 1, w.movements(t, o, inventorymovement.KindRESERVATION))
		line, err := o.QueryLines().Only(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"u1", "u2"}, line.ExternalUnitIds)
		require.Equal(t, "item:1", line.ListingID)
		before := w.events(t, o)

		// Replays of the same snapshot change nothing and write nothing.
		for range 3 {
			s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), at(0, channels.Confirmed, "READY_TO_SHIP"))
			require.NoError(t, err)
			require.False(t, s.Created)
			require.Empty(t, s.Commands)
		}
		require.Equal(t, before, w.events(t, o))

		// A newer raw status that moves nothing is recorded once.
		s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), at(time.Second, channels.ReadyToShip, "PROCESSED"))
		require.NoError(t, err)
		require.Equal(t, order.StatusALLOCATED, s.Order.Status)
		require.Equal(t, append(before, orders.EventChannelUpdated), w.events(t, o))

		// The channel ships it; an older snapshot arriving later is ignored.
		ship := at(time.Hour, channels.Shipped, "SHIPPED")
		ship.Carrier, ship.TrackingNumber = "Flash", "TH123"
		s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), ship)
		require.NoError(t, err)
		require.Equal(t, []orders.Command{orders.Ship}, s.Commands)
		require.Equal(t, order.StatusSHIPPED, s.Order.Status)
		require.Equal(t, 1, w.movements(t, o, inventorymovement.KindSHIPMENT))
		s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), at(2*time.Second, channels.Cancelled, "CANCELLED"))
		require.NoError(t, err)
		require.True(t, s.Stale)
		o, err = db.Client.Order.Get(ctx, o.ID)
		require.NoError(t, err)
		require.Equal(t, order.StatusSHIPPED, o.Status)

		// A status nobody mapped is an alert, once; the order stays as it is.
		n := len(w.events(t, o))
		for range 2 {
			s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "A"), at(2*time.Hour, channels.Unknown, "TELEPORTED"))
			require.NoError(t, err)
			require.Contains(t, s.Alert, "TELEPORTED")
		}
		evs := w.events(t, o)
		require.Len(t, evs, n+1)
		require.Equal(t, orders.EventChannelAlert, evs[n])

		// An order the channel says is shipped but that Ordo has cancelled cannot follow: alert.
		s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "B"), at(0, channels.Cancelled, "CANCELLED"))
		require.NoError(t, err)
		require.True(t, s.Created)
		require.Equal(t, order.StatusCANCELLED, s.Order.Status)
		require.Equal(t, 1, w.movements(t, s.Order, inventorymovement.KindRESERVATION))
		require.Equal(t, 1, w.movements(t, s.Order, inventorymovement.KindRELEASE))
		s, err = w.ord.SyncChannelOrder(ctx, channelInput(ch, "B"), at(time.Minute, channels.Shipped, "SHIPPED"))
		require.NoError(t, err)
		require.NotEmpty(t, s.Alert)
		require.Equal(t, order.StatusCANCELLED, s.Order.Status)
		w.audit(t)
	})
}

// Concurrent deliveries of a new order make one order and one reservation, whether they look for it
// first or, having just seen none, try creating it first.
func TestSyncChannelOrderConcurrentCreate(t *testing.T) {
	for _, unseen := range []bool{false, true} {
		t.Run(fmt.Sprintf("unseen=%v", unseen), func(t *testing.T) { concurrentCreate(t, unseen) })
	}
}

func concurrentCreate(t *testing.T, unseen bool) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "TEE", 10)
		ch := w.channel(t)
		st := orders.ChannelState{Status: channels.Confirmed, Raw: "READY_TO_SHIP", UpdatedAt: time.Now(), Unseen: unseen}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := w.ord.SyncChannelOrder(ctx, channelInput(ch, "C"), st)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		all, err := db.Client.Order.Query().Where(order.ExternalID("C")).All(ctx)
		require.NoError(t, err)
		require.Len(t, all, 1)
		require.Equal(t, 1, w.movements(t, all[0], inventorymovement.KindRESERVATION))
		require.Equal(t, []string{orders.EventPlaced, "stock.changed", "order.routed", orders.EventStatusChanged}, w.events(t, all[0]), "one of each")
		w.audit(t)
	})
}
