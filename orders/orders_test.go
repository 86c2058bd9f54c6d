package orders_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
)

type world struct {
	db   *database.DB
	cat  *catalog.Service
	inv  *inventory.Service
	ord  *orders.Service
	locs []*ent.Location
}

func newWorld(t *testing.T, db *database.DB) *world {
	ctx := context.Background()
	inv := &inventory.Service{DB: db}
	router := &dispatch.Service{DB: db, Inventory: inv, Policies: dispatch.Policies{DB: db}}
	w := &world{db: db, cat: &catalog.Service{DB: db}, inv: inv, ord: &orders.Service{DB: db, Inventory: inv, Router: router}}
	for i, code := range []string{"BKK", "JKT"} {
		l, err := w.cat.CreateLocation(ctx, ent.CreateLocationInput{Code: code, Name: code, Kind: location.KindWAREHOUSE, Priority: ptr(10 * (i + 1))})
		require.NoError(t, err)
		w.locs = append(w.locs, l)
	}
	return w
}

func (w *world) sku(t *testing.T, sku string, stock ...int64) {
	ctx := context.Background()
	p, err := w.cat.CreateProduct(ctx, ent.CreateProductInput{Name: sku})
	require.NoError(t, err)
	// Complete data under the default catalogue rule: routing flags none of these orders.
	_, err = w.cat.CreateVariant(ctx, ent.CreateVariantInput{Sku: sku, Name: sku, ProductID: p.ID, PriceAmount: ptr[int64](1000), Currency: ptr("THB"),
		WeightGrams: ptr(500), LengthMm: ptr(200), WidthMm: ptr(150), HeightMm: ptr(100)})
	require.NoError(t, err)
	for i, q := range stock {
		if q > 0 {
			_, err := w.inv.Receive(ctx, inventory.Receive{SKU: sku, LocationID: w.locs[i].ID, Quantity: q})
			require.NoError(t, err)
		}
	}
}

func (w *world) audit(t *testing.T) {
	rep, err := inventory.Audit(context.Background(), w.db, nil, nil)
	require.NoError(t, err)
	require.True(t, rep.OK(), "drift: %+v", rep.Drift)
}

func ptr[T any](v T) *T { return &v }

func TestPlaceReservesFirstFitAndCancelReleases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "TEE-S", 1, 5)
		w.sku(t, "MUG", 3, 0)
		o, replayed, err := w.ord.Place(ctx, orders.PlaceInput{
			Lines:    []orders.Line{{SKU: "TEE-S", Quantity: 2}, {SKU: "MUG", Quantity: 1}},
			Customer: orders.Customer{Email: "Ann@Example.com", Name: "Ann"}, Paid: true,
		})
		require.NoError(t, err)
		require.False(t, replayed)
		require.Equal(t, order.StatusALLOCATED, o.Status)
		require.EqualValues(t, 3000, o.TotalAmount)
		allocs, err := db.Client.Allocation.Query().Where(allocation.OrderID(o.ID)).WithLocation().All(ctx)
		require.NoError(t, err)
		require.Len(t, allocs, 2)
		for _, a := range allocs {
			// TEE-S: BKK has 1 < 2, so JKT; MUG: BKK first by priority.
			if a.Quantity == 2 {
				require.Equal(t, "JKT", a.Edges.Location.Code)
			} else {
				require.Equal(t, "BKK", a.Edges.Location.Code)
			}
		}
		w.audit(t)

		o, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Cancel, Reason: "customer changed mind"})
		require.NoError(t, err)
		require.Equal(t, order.StatusCANCELLED, o.Status)
		open, err := db.Client.Allocation.Query().Where(allocation.StatusEQ(allocation.StatusOPEN)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, open)
		w.audit(t)

		_, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Ship, Carrier: "JNE", TrackingNumber: "X1"})
		require.True(t, fault.Is(err, fault.Conflict), "got %v", err)
	})
}

func TestPlaceIsAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "A", 5)
		w.sku(t, "B", 1)
		_, _, err := w.ord.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "A", Quantity: 2}, {SKU: "B", Quantity: 2}}, Customer: orders.Customer{Email: "x@y.z"}})
		require.True(t, fault.Is(err, fault.InsufficientStock), "got %v", err)
		var fe *fault.Error
		require.ErrorAs(t, err, &fe)
		require.Equal(t, []string{"B"}, fe.Details["skus"])
		n, err := db.Client.Order.Query().Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		c, err := db.Client.Customer.Query().Count(ctx)
		require.NoError(t, err)
		require.Zero(t, c, "a failed order creates no customer")
		w.audit(t)
	})
}

func TestPlaceIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "A", 10)
		ch, err := w.cat.CreateChannel(ctx, ent.CreateChannelInput{Kind: "SHOPEE", Name: "Shopee TH", ShopID: ptr("123")})
		require.NoError(t, err)
		in := orders.PlaceInput{Lines: []orders.Line{{SKU: "A", Quantity: 1}}, ChannelID: &ch.ID, ExternalID: "220810QSK8S7BX", Paid: true}
		var wg sync.WaitGroup
		ids := make([]pulid.ID, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o, _, err := w.ord.Place(ctx, in)
				require.NoError(t, err)
				ids[i] = o.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			require.Equal(t, ids[0], id)
		}
		n, err := db.Client.Allocation.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		ev, err := db.Client.Event.Query().Where(event.Type(orders.EventPlaced)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, ev)
		w.audit(t)
	})
}

func TestLifecycleToDeliveryShipsStock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "A", 4)
		o, _, err := w.ord.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "A", Quantity: 3}}, PaymentMethod: order.PaymentMethodCOD})
		require.NoError(t, err)
		require.Equal(t, order.StatusALLOCATED, o.Status)
		for _, c := range []orders.Command{orders.StartPicking, orders.Pack, orders.MarkReadyToShip} {
			o, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: c})
			require.NoError(t, err, c)
		}
		o, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Ship, Carrier: "Kerry", TrackingNumber: "KE1"})
		require.NoError(t, err)
		o, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.MarkDelivered})
		require.NoError(t, err)
		require.Equal(t, order.PaymentStatusPAID, o.PaymentStatus, "COD is collected on delivery")
		l, err := db.Client.InventoryLevel.Query().Only(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 1, l.OnHand)
		require.EqualValues(t, 0, l.Reserved)
		w.audit(t)
	})
}

func TestConcurrentPlaceNeverOversells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "HOT", 6, 4)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, short := 0, 0
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := w.ord.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "HOT", Quantity: 1}}, Customer: orders.Customer{Email: fmt.Sprintf("c%d@x.y", i%3)}})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
				} else {
					require.True(t, fault.Is(err, fault.InsufficientStock), "got %v", err)
					short++
				}
			}()
		}
		wg.Wait()
		require.Equal(t, 10, ok)
		require.Equal(t, 30, short)
		w.audit(t)
	})
}

func TestPreOrderIsHeldUntilItsDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "VINYL", 10)
		now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
		w.ord.Clock = func() time.Time { return now }
		release := now.Add(48 * time.Hour)
		o, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, Lines: []orders.Line{{SKU: "VINYL", Quantity: 2, ReleaseAt: &release}}})
		require.NoError(t, err, "a pre-order is accepted without allowBackorder: it is not short of stock")
		require.Equal(t, order.StatusBACKORDERED, o.Status)
		n, err := db.Client.Allocation.Query().Where(allocation.OrderID(o.ID)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "nothing is reserved before the release date")

		moved, err := w.ord.ReleaseBackorders(ctx, nil)
		require.NoError(t, err)
		require.Zero(t, moved, "the sweep leaves it before its date")

		now = release.Add(time.Hour)
		moved, err = w.ord.ReleaseBackorders(ctx, nil)
		require.NoError(t, err)
		require.Equal(t, 1, moved)
		o, err = db.Client.Order.Get(ctx, o.ID)
		require.NoError(t, err)
		require.Equal(t, order.StatusALLOCATED, o.Status)
		w.audit(t)
	})
}

func TestFullLocationIsPassedOver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		one := 1
		_, err := w.cat.UpdateLocation(ctx, w.locs[0].ID, ent.UpdateLocationInput{DailyCapacity: &one})
		require.NoError(t, err)
		w.sku(t, "A", 10, 10)
		first, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, Lines: []orders.Line{{SKU: "A", Quantity: 1}}})
		require.NoError(t, err)
		second, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, Lines: []orders.Line{{SKU: "A", Quantity: 1}}})
		require.NoError(t, err)
		at := func(id pulid.ID) string {
			a, err := db.Client.Allocation.Query().Where(allocation.OrderID(id)).WithLocation().Only(ctx)
			require.NoError(t, err)
			return a.Edges.Location.Code
		}
		require.Equal(t, "BKK", at(first.ID), "the first-priority location while it has capacity")
		require.Equal(t, "JKT", at(second.ID), "BKK's one order a day is taken")
		w.audit(t)
	})
}

func TestShortStockGoesToTheHigherPriorityBackorderFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "RARE")
		place := func(priority int) pulid.ID {
			o, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, AllowBackorder: true, Priority: priority,
				Lines: []orders.Line{{SKU: "RARE", Quantity: 1}}})
			require.NoError(t, err)
			require.Equal(t, order.StatusBACKORDERED, o.Status)
			return o.ID
		}
		older, urgent := place(0), place(5) // the urgent one came later
		_, err := w.inv.Receive(ctx, inventory.Receive{SKU: "RARE", LocationID: w.locs[0].ID, Quantity: 1})
		require.NoError(t, err)
		moved, err := w.ord.ReleaseBackorders(ctx, nil)
		require.NoError(t, err)
		require.Equal(t, 1, moved)
		status := func(id pulid.ID) order.Status {
			o, err := db.Client.Order.Get(ctx, id)
			require.NoError(t, err)
			return o.Status
		}
		require.Equal(t, order.StatusALLOCATED, status(urgent))
		require.Equal(t, order.StatusBACKORDERED, status(older))
		w.audit(t)
	})
}

func TestLineAllocatedCountsWholeBundles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "COFFEE", 10)
		w.sku(t, "JAM", 10)
		w.sku(t, "GIFT")
		_, err := w.cat.SetBundleComponents(ctx, "GIFT", []catalog.Component{{SKU: "COFFEE", Quantity: 2}, {SKU: "JAM", Quantity: 1}})
		require.NoError(t, err)
		o, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, Lines: []orders.Line{{SKU: "GIFT", Quantity: 3}, {SKU: "JAM", Quantity: 2}}})
		require.NoError(t, err)
		lines, err := db.Client.OrderLine.Query().Where(orderline.OrderID(o.ID)).All(ctx)
		require.NoError(t, err)
		want := map[string]int64{"GIFT": 3, "JAM": 2}
		for _, l := range lines {
			got, err := dispatch.LineAllocated(ctx, db.Client, l)
			require.NoError(t, err)
			require.Equal(t, want[l.Sku], got, l.Sku)
		}
		_, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Cancel, Reason: "test"})
		require.NoError(t, err)
		for _, l := range lines {
			got, err := dispatch.LineAllocated(ctx, db.Client, l)
			require.NoError(t, err)
			require.Zero(t, got, "released units are not allocated")
		}
		w.audit(t)
	})
}

func TestShortOrderIsParkedForReviewWhenThePolicySaysSo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.sku(t, "A", 1)
		_, err := w.ord.Router.Policies.Set(ctx, dispatch.PolicyInput{
			Criteria: []schema.RoutingCriterion{{Name: "PRIORITY", Weight: 1}}, MaxShipments: 1, Backorder: routingpolicy.BackorderREVIEW})
		require.NoError(t, err)
		_, _, err = w.ord.Place(ctx, orders.PlaceInput{Paid: true, Lines: []orders.Line{{SKU: "A", Quantity: 2}}})
		require.True(t, fault.Is(err, fault.InsufficientStock), "without allowBackorder a shortfall is refused: %v", err)

		o, _, err := w.ord.Place(ctx, orders.PlaceInput{Paid: true, AllowBackorder: true, Lines: []orders.Line{{SKU: "A", Quantity: 2}}})
		require.NoError(t, err)
		require.Equal(t, order.StatusON_HOLD, o.Status)
		n, err := db.Client.Allocation.Query().Where(allocation.OrderID(o.ID)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "nothing is reserved while a person decides")
		held, err := db.Client.Event.Query().Where(event.OrderID(string(o.ID)), event.Type(orders.EventStatusChanged)).All(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, held)
		require.Contains(t, held[len(held)-1].Data["reason"], "routing needs review")
		w.audit(t)
	})
}
