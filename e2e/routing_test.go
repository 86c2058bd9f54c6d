package e2e_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

const routingLocation = `mutation($code: String!, $lat: Float!, $lng: Float!, $country: String!, $city: String!, $shipsTo: [String!]) {
  createLocation(input: {code: $code, name: $code, kind: WAREHOUSE, shipsTo: $shipsTo,
    address: {city: $city, countryCode: $country, latitude: $lat, longitude: $lng}}) { id } }`

const routedOrder = `mutation($sku: String!, $q: Int!) {
  placeOrder(input: {lines: [{sku: $sku, quantity: $q}], paid: true, allowBackorder: true,
    shippingAddress: {city: "Bangkok", countryCode: "TH", latitude: 13.7367, longitude: 100.5231}}) {
    order { id status promisedShipBy promisedDeliveryFrom promisedDeliveryTo allocations { id quantity status location { code } } routingDecision { outcome trace } }
  }
}`

type routedOrderResult struct {
	ID                                                       string
	Status                                                   string
	PromisedShipBy, PromisedDeliveryFrom, PromisedDeliveryTo *time.Time
	Allocations                                              []struct {
		ID       string
		Quantity int
		Status   string
		Location struct{ Code string }
	}
	RoutingDecision struct {
		Outcome string
		Trace   map[string]any
	}
}

func openAllocationsAt(o routedOrderResult) []string {
	var codes []string
	for _, a := range o.Allocations {
		if a.Status == "OPEN" {
			codes = append(codes, a.Location.Code)
		}
	}
	slices.Sort(codes)
	return codes
}

func TestRoutingScenario(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		ids := map[string]string{}
		for _, l := range []struct {
			code, country, city string
			lat, lng            float64
			shipsTo             []string
		}{
			{"BKK", "TH", "Bangkok", 13.7563, 100.5018, nil},
			{"JKT", "ID", "Jakarta", -6.2088, 106.8456, []string{"ID", "TH"}}, // ships to Thailand too
		} {
			var out struct{ CreateLocation struct{ ID string } }
			admin.MustDo(t, routingLocation, map[string]any{"code": l.code, "lat": l.lat, "lng": l.lng, "country": l.country, "city": l.city, "shipsTo": l.shipsTo}, &out)
			ids[l.code] = out.CreateLocation.ID
		}
		stock := func(sku string, bkk, jkt int) {
			var p struct{ CreateProduct struct{ ID string } }
			admin.MustDo(t, `mutation($n: String!) { createProduct(input: {name: $n}) { id } }`, map[string]any{"n": sku}, &p)
			admin.MustDo(t, `mutation($s: String!, $p: ID!) { createVariant(input: {sku: $s, name: $s, productID: $p, priceAmount: 1000, weightGrams: 300}) { id } }`,
				map[string]any{"s": sku, "p": p.CreateProduct.ID}, nil)
			for code, q := range map[string]int{"BKK": bkk, "JKT": jkt} {
				if q > 0 {
					admin.MustDo(t, receive, map[string]any{"sku": sku, "loc": ids[code], "q": q}, nil)
				}
			}
		}
		place := func(sku string, q int) routedOrderResult {
			var out struct {
				PlaceOrder struct{ Order routedOrderResult }
			}
			admin.MustDo(t, routedOrder, map[string]any{"sku": sku, "q": q}, &out)
			return out.PlaceOrder.Order
		}
		policy := func(max int) {
			admin.MustDo(t, `mutation($max: Int!) { setRoutingPolicy(input: {criteria: [{name: "SHIP_BY", weight: 5}, {name: "DISTANCE", weight: 4}, {name: "COST", weight: 3}], maxShipments: $max, backorder: PARTIAL}) { version } }`,
				map[string]any{"max": max}, nil)
		}
		stock("TEE", 5, 100)
		stock("SPLIT-A", 1, 1)
		stock("SPLIT-B", 1, 1)

		// 1. A Bangkok order ships from Bangkok, not from the fuller Jakarta warehouse.
		tee := place("TEE", 2)
		require.Equal(t, "ALLOCATED", tee.Status)
		require.Equal(t, []string{"BKK"}, openAllocationsAt(tee))
		require.Equal(t, "ALLOCATE", tee.RoutingDecision.Outcome)
		require.NotNil(t, tee.PromisedShipBy, "the order keeps the promise it was given")
		require.NotNil(t, tee.PromisedDeliveryTo)
		require.True(t, tee.PromisedDeliveryFrom.After(*tee.PromisedShipBy) || tee.PromisedDeliveryFrom.Equal(*tee.PromisedShipBy))
		ranking, _ := tee.RoutingDecision.Trace["trace"].(map[string]any)["ranking"].([]any)
		require.Len(t, ranking, 2, "the trace shows both candidates with their scores")
		require.Equal(t, ids["BKK"], ranking[0].(map[string]any)["locationId"])

		// 2. Stock only split across two locations, one shipment allowed: backordered.
		policy(1)
		a := place("SPLIT-A", 2)
		require.Equal(t, "BACKORDERED", a.Status)
		require.Len(t, openAllocationsAt(a), 1, "what one location has is reserved, the rest waits")
		require.Equal(t, "PARTIAL", a.RoutingDecision.Outcome)

		// 3. Two shipments allowed: it ships from both.
		policy(2)
		b := place("SPLIT-B", 2)
		require.Equal(t, "ALLOCATED", b.Status)
		require.Equal(t, []string{"BKK", "JKT"}, openAllocationsAt(b))

		// 4. Bangkok rejects the TEE order: it is routed again, to Jakarta, and the trace says why.
		var rej struct {
			RejectAllocation struct{ Order routedOrderResult }
		}
		admin.MustDo(t, `mutation($id: ID!) { rejectAllocation(input: {allocationID: $id, reason: "damaged stock"}) {
			order { id status allocations { id quantity status location { code } } routingDecision { outcome trace } } } }`,
			map[string]any{"id": tee.Allocations[0].ID}, &rej)
		require.Equal(t, "ALLOCATED", rej.RejectAllocation.Order.Status)
		require.Equal(t, []string{"JKT"}, openAllocationsAt(rej.RejectAllocation.Order))
		rejected, _ := rej.RejectAllocation.Order.RoutingDecision.Trace["trace"].(map[string]any)["rejected"].([]any)
		require.NotEmpty(t, rejected)
		require.Equal(t, "EXCLUDED", rejected[0].(map[string]any)["reason"])

		// 5. A receipt releases the backorder (in the background: wait for it).
		admin.MustDo(t, receive, map[string]any{"sku": "SPLIT-A", "loc": ids["JKT"], "q": 5}, nil)
		require.Eventually(t, func() bool {
			var o struct{ Node struct{ Status string } }
			admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status } } }`, map[string]any{"id": a.ID}, &o)
			return o.Node.Status == "ALLOCATED"
		}, 20*time.Second, 20*time.Millisecond)
		var events struct {
			Node struct{ Events []struct{ Type string } }
		}
		admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { events { type } } } }`, map[string]any{"id": a.ID}, &events)
		var types []string
		for _, e := range events.Node.Events {
			types = append(types, e.Type)
		}
		require.Contains(t, types, "order.backorder_released")
		srv.Audit(t)

		// 6. A checkout's delivery options: Bangkok ships TEE to Bangkok, standard and express.
		var dp struct {
			DeliveryPromise []struct {
				Service             string
				Location            struct{ Code string }
				ShipBy, DeliverFrom time.Time
				DeliverTo           time.Time
				Cost                struct{ Amount int64 }
			}
		}
		admin.MustDo(t, `{ deliveryPromise(input: {lines: [{sku: "TEE", quantity: 1}], address: {city: "Bangkok", countryCode: "TH", latitude: 13.73, longitude: 100.52}}) {
			service location { code } shipBy deliverFrom deliverTo cost { amount } } }`, nil, &dp)
		require.Len(t, dp.DeliveryPromise, 2)
		require.Equal(t, "STANDARD", dp.DeliveryPromise[0].Service)
		require.Equal(t, "EXPRESS", dp.DeliveryPromise[1].Service)
		for _, o := range dp.DeliveryPromise {
			require.Equal(t, "BKK", o.Location.Code)
			require.False(t, o.DeliverTo.Before(o.DeliverFrom))
			require.False(t, o.DeliverFrom.Before(o.ShipBy))
			require.Positive(t, o.Cost.Amount)
		}

		// 7. A preview under a draft policy that ranks by cost alone reserves nothing.
		var pv struct {
			PreviewRouting struct {
				Outcome   string
				Shipments []struct{ Location struct{ Code string } }
			}
		}
		admin.MustDo(t, `{ previewRouting(input: {lines: [{sku: "TEE", quantity: 1}], shippingAddress: {countryCode: "TH", city: "Bangkok"},
			policy: {criteria: [{name: "COST", weight: 1}], maxShipments: 1, backorder: PARTIAL}}) { outcome shipments { location { code } } } }`, nil, &pv)
		require.Equal(t, "ALLOCATE", pv.PreviewRouting.Outcome)
		require.Len(t, pv.PreviewRouting.Shipments, 1)
		srv.Audit(t)

		// 8. Replaying the orders with one shipment allowed: SPLIT-B would change (it shipped from two).
		var sim struct {
			SimulateRouting struct{ Orders, Changed, SplitChanged int }
		}
		admin.MustDo(t, `{ simulateRouting(input: {policy: {criteria: [{name: "DISTANCE", weight: 1}], maxShipments: 1, backorder: PARTIAL}, last: 100}) {
			orders changed splitChanged } }`, nil, &sim)
		require.Equal(t, 3, sim.SimulateRouting.Orders)
		require.GreaterOrEqual(t, sim.SimulateRouting.SplitChanged, 1)

		var hist struct{ RoutingPolicies []struct{ Version int } }
		admin.MustDo(t, `{ routingPolicies { version } }`, nil, &hist)
		require.Len(t, hist.RoutingPolicies, 2)
		require.Equal(t, 2, hist.RoutingPolicies[0].Version)
	})
}
