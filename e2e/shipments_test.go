package e2e_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

// shipmentFields is what the shipment tests read of a shipment.
const shipmentFields = `id number status method carrier trackingNumbers location { code }
  lines { sku quantity } packages { index box weightGrams contents { sku quantity } }`

type shipmentResult struct {
	ID, Number, Status, Method, Carrier string
	TrackingNumbers                     []string
	Location                            struct{ Code string }
	Lines                               []struct {
		SKU      string
		Quantity int
	}
	Packages []struct {
		Index, WeightGrams int
		Box                string
		Contents           []struct {
			SKU      string
			Quantity int
		}
	}
}

// shipFixture is two warehouses (Bangkok, Jakarta) with a SKU split between them, and a routing
// policy that allows two shipments.
type shipFixture struct {
	srv   *ordotest.Server
	admin *ordotest.Client
	locs  map[string]string
}

func newShipFixture(t *testing.T, url string) *shipFixture {
	srv := ordotest.Start(t, url)
	f := &shipFixture{srv: srv, admin: srv.Admin(), locs: map[string]string{}}
	for _, l := range []struct {
		code, country, city string
		lat, lng            float64
		shipsTo             []string
	}{
		{"BKK", "TH", "Bangkok", 13.7563, 100.5018, nil},
		{"JKT", "ID", "Jakarta", -6.2088, 106.8456, []string{"ID", "TH"}},
	} {
		var out struct{ CreateLocation struct{ ID string } }
		f.admin.MustDo(t, routingLocation, map[string]any{"code": l.code, "lat": l.lat, "lng": l.lng, "country": l.country, "city": l.city, "shipsTo": l.shipsTo}, &out)
		f.locs[l.code] = out.CreateLocation.ID
	}
	f.admin.MustDo(t, `mutation { setRoutingPolicy(input: {criteria: [{name: "DISTANCE", weight: 4}], maxShipments: 2, backorder: PARTIAL}) { version } }`, nil, nil)
	return f
}

func (f *shipFixture) stock(t *testing.T, sku string, at map[string]int) {
	var p struct{ CreateProduct struct{ ID string } }
	f.admin.MustDo(t, `mutation($n: String!) { createProduct(input: {name: $n}) { id } }`, map[string]any{"n": sku}, &p)
	f.admin.MustDo(t, `mutation($s: String!, $p: ID!) { createVariant(input: {sku: $s, name: $s, productID: $p, priceAmount: 1000, weightGrams: 300, lengthMm: 200, widthMm: 150, heightMm: 50}) { id } }`,
		map[string]any{"s": sku, "p": p.CreateProduct.ID}, nil)
	for code, q := range at {
		f.admin.MustDo(t, receive, map[string]any{"sku": sku, "loc": f.locs[code], "q": q}, nil)
	}
}

func (f *shipFixture) plan(t *testing.T, orderID string) []shipmentResult {
	var out struct {
		PlanShipments struct{ Shipments []shipmentResult }
	}
	f.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { `+shipmentFields+` } } }`, map[string]any{"id": orderID}, &out)
	return out.PlanShipments.Shipments
}

func (f *shipFixture) ship(t *testing.T, id, carrier, tracking string) shipmentResult {
	var out struct {
		ShipShipment struct{ Shipment shipmentResult }
	}
	f.admin.MustDo(t, `mutation($id: ID!, $c: String!, $t: String!) { shipShipment(input: {shipmentID: $id, carrier: $c, trackingNumbers: [$t]}) { shipment { `+shipmentFields+` } } }`,
		map[string]any{"id": id, "c": carrier, "t": tracking}, &out)
	return out.ShipShipment.Shipment
}

func (f *shipFixture) order(t *testing.T, id string) (status, fulfilment string) {
	var out struct {
		Node struct{ Status, FulfillmentStatus string }
	}
	f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status fulfillmentStatus } } }`, map[string]any{"id": id}, &out)
	return out.Node.Status, out.Node.FulfillmentStatus
}

func TestSplitOrderShipsAsTwoShipments(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "SPLIT", map[string]int{"BKK": 1, "JKT": 1})
		var out struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "SPLIT", "q": 2}, &out)
		o := out.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status)

		shipments := f.plan(t, o.ID)
		require.Len(t, shipments, 2, "one shipment per origin location")
		require.Empty(t, f.plan(t, o.ID), "planning again makes nothing new")
		codes := map[string]bool{}
		for _, s := range shipments {
			codes[s.Location.Code] = true
			require.Equal(t, "OPEN", s.Status)
			require.Equal(t, "MANUAL", s.Method)
			require.Len(t, s.Lines, 1)
			require.Equal(t, 1, s.Lines[0].Quantity)
			require.Len(t, s.Packages, 1)
			require.NotEmpty(t, s.Packages[0].Box, "packed into a catalogue box")
			require.Greater(t, s.Packages[0].WeightGrams, 300, "the box's tare is counted")
		}
		require.Equal(t, map[string]bool{"BKK": true, "JKT": true}, codes)

		first := f.ship(t, shipments[0].ID, "Kerry", "KER-1")
		require.Equal(t, "SHIPPED", first.Status)
		status, ful := f.order(t, o.ID)
		require.Equal(t, "ALLOCATED", status, "half of it is still in a warehouse")
		require.Equal(t, "PARTIALLY_FULFILLED", ful)

		// A shipment cannot ship twice; bad input changes nothing.
		resp, err := f.admin.Do(t.Context(), `mutation($id: ID!) { shipShipment(input: {shipmentID: $id, carrier: "X", trackingNumbers: ["Y"]}) { shipment { id } } }`, map[string]any{"id": first.ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp.Code())

		second := f.ship(t, shipments[1].ID, "J&T", "JNT-2")
		require.Equal(t, []string{"JNT-2"}, second.TrackingNumbers)
		status, ful = f.order(t, o.ID)
		require.Equal(t, "SHIPPED", status)
		require.Equal(t, "FULFILLED", ful)
		f.srv.Audit(t)
	})
}

func TestShipOrderShipsEveryShipment(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		f.stock(t, "WHOLE", map[string]int{"BKK": 1, "JKT": 1})
		var out struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "WHOLE", "q": 2}, &out)
		id := out.PlaceOrder.Order.ID
		f.admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "Flash", trackingNumber: "TH1"}) { order { status } } }`, map[string]any{"id": id}, nil)
		var got struct {
			Node struct {
				Status    string
				Shipments []shipmentResult
			}
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status shipments { `+shipmentFields+` } } } }`, map[string]any{"id": id}, &got)
		require.Equal(t, "SHIPPED", got.Node.Status)
		require.Len(t, got.Node.Shipments, 2)
		for _, s := range got.Node.Shipments {
			require.Equal(t, "SHIPPED", s.Status)
			require.Equal(t, "Flash", s.Carrier)
		}
		f.srv.Audit(t)
	})
}

func TestShipmentUpdatedStreamsAndResumes(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		ctx := liveCtx(t)
		f.stock(t, "LIVE", map[string]int{"BKK": 1, "JKT": 1})
		var out struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "LIVE", "q": 2}, &out)
		id := out.PlaceOrder.Order.ID

		const q = `subscription($o: ID, $after: String) { shipmentUpdated(after: $after, filter: {orderID: $o}) { id status trackingNumbers } }`
		sub, err := f.srv.Subscribe(ctx, f.srv.AdminKey, q, map[string]any{"o": id})
		require.NoError(t, err)
		defer sub.Close()
		type msg struct {
			ShipmentUpdated struct {
				ID, Status      string
				TrackingNumbers []string
			}
		}
		next := func(s *ordotest.Subscription) (msg, string) {
			m, err := s.Next(ctx)
			require.NoError(t, err)
			require.Empty(t, m.Errors)
			var v msg
			require.NoError(t, json.Unmarshal(m.Data, &v))
			require.NotEmpty(t, m.Cursor)
			return v, m.Cursor
		}
		// Subscriptions start from now: wait until the stream is attached before changing anything.
		require.Eventually(t, func() bool { return f.srv.Inst.Hub.Subscribers() > 0 }, 10*time.Second, 10*time.Millisecond)

		shipments := f.plan(t, id)
		require.Len(t, shipments, 2)
		a, _ := next(sub)
		b, cursor := next(sub)
		require.ElementsMatch(t, []string{shipments[0].ID, shipments[1].ID}, []string{a.ShipmentUpdated.ID, b.ShipmentUpdated.ID})
		require.Equal(t, "OPEN", a.ShipmentUpdated.Status)

		f.ship(t, shipments[0].ID, "Kerry", "KER-LIVE")
		shipped, _ := next(sub)
		require.Equal(t, shipments[0].ID, shipped.ShipmentUpdated.ID)
		require.Equal(t, "SHIPPED", shipped.ShipmentUpdated.Status)
		require.Equal(t, []string{"KER-LIVE"}, shipped.ShipmentUpdated.TrackingNumbers)

		// Resuming after the plan's last message delivers the shipping, once.
		again, err := f.srv.Subscribe(ctx, f.srv.AdminKey, q, map[string]any{"o": id, "after": cursor})
		require.NoError(t, err)
		defer again.Close()
		resumed, _ := next(again)
		require.Equal(t, shipments[0].ID, resumed.ShipmentUpdated.ID)
		require.Equal(t, "SHIPPED", resumed.ShipmentUpdated.Status)
	})
}
