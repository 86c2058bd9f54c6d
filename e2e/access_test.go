package e2e_test

// Design §5.7: everyone sees only what they may. TestRoleMatrix sends every root operation of the
// schema as every role (and with no key) through the real server; the expectations are written out
// here by hand, from what an order management system should allow, not read from graph.RootPolicy,
// so that a wrong policy fails this test. The row-level tests check that a storefront key reads its
// own orders only, however it asks, and the websocket tests the close codes of a refused stream.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/inventorymovement"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/server"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/staff"
	"github.com/ordo-oms/ordo/webhooks"
)

// accessRoles is the column order of accessRow.allow.
var accessRoles = []auth.Role{auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner}

// accessOp builds the operation one role sends: a query and its variables.
type accessOp func(role auth.Role) (string, map[string]any)

// accessRow is one root field of the schema and who may use it.
type accessRow struct {
	field string
	// allow has one letter per role of accessRoles (ADMIN, OPERATOR, SUPPORT, STOREFRONT, PARTNER):
	// 'y' allowed, '-' refused. A request with no key is always refused.
	allow string
	// prepare makes the row's fixtures (e.g. an order in the state its command starts from) and
	// returns the operation. Denied roles run first, so a refused command meets the state in which
	// it would have succeeded, and the store is compared around it.
	prepare func(t *testing.T, f *accessFixture) accessOp
	// trigger, for subscriptions, makes a change the operation reports.
	trigger func(f *accessFixture, t *testing.T)
}

func (r accessRow) allows(role auth.Role) bool {
	return r.allow[slices.Index(accessRoles, role)] == 'y'
}

// accessFixture is the store the matrix runs against.
type accessFixture struct {
	srv       *ordotest.Server
	admin     *ordotest.Client
	keys      map[auth.Role]string // the storefront key is bound to customerA
	loc, loc2 pulid.ID
	sku       string
	productID pulid.ID
	variantID pulid.ID
	channelID pulid.ID
	// importID is the import the importProgress row follows.
	importID pulid.ID
	// connected is a channel with credentials (its API is not reachable: pulls only queue).
	connected  pulid.ID
	customerA  pulid.ID
	watched    pulid.ID // an order of customerA that subscription triggers change
	watchedOn  bool     // whether watched is on hold
	movementID pulid.ID
}

func newAccessFixture(t *testing.T, url string) *accessFixture {
	t.Helper()
	// Customers are sent their notifications (resendNotification needs a mail server to resend through).
	mail := ordotest.StartMailServer(t)
	srv := ordotest.StartWith(t, url, func(c *config.Config) { c.SMTPURL = mail.URL })
	f := &accessFixture{srv: srv, admin: srv.Admin(), sku: "ACC-1"}
	f.loc = srv.Location(t, "ACC-A", 1).ID
	f.loc2 = srv.Location(t, "ACC-B", 2).ID
	v := srv.SKU(t, f.sku, map[pulid.ID]int64{f.loc: 10_000})
	f.productID, f.variantID = v.ProductID, v.ID
	srv.SKU(t, "ACC-BUNDLE", nil)
	var ch struct{ CreateChannel struct{ ID pulid.ID } }
	f.admin.MustDo(t, `mutation { createChannel(input: {kind: SHOPIFY, name: "acc shop"}) { id } }`, nil, &ch)
	f.channelID = ch.CreateChannel.ID
	var conn struct {
		ConnectChannel struct{ Channel struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, `mutation { connectChannel(input: {kind: SHOPIFY, name: "acc connected", shopID: "acc-connected",
		baseURL: "http://127.0.0.1:9", credentials: {accessToken: "t", appSecret: "s"}, pullIntervalSeconds: 0}) { channel { id } } }`, nil, &conn)
	f.connected = conn.ConnectChannel.Channel.ID

	var placed struct {
		PlaceOrder struct {
			Order struct{ ID, CustomerID pulid.ID }
		}
	}
	f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
		"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": true,
		"customer": map[string]any{"email": "a@example.com", "name": "Customer A"}}}, &placed)
	f.customerA, f.watched = placed.PlaceOrder.Order.CustomerID, placed.PlaceOrder.Order.ID

	f.keys = map[auth.Role]string{}
	for _, r := range accessRoles {
		var cus *pulid.ID
		if r == auth.Storefront {
			cus = &f.customerA
		}
		f.keys[r] = srv.Key(t, r, cus)
	}
	// The partner is the 3PL that runs both warehouses.
	_, partner, err := srv.Inst.Keys.CreateBound(context.Background(), "partner test key", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{f.loc, f.loc2}})
	require.NoError(t, err)
	f.keys[auth.Partner] = partner
	mov, err := srv.Inst.DB.Client.InventoryMovement.Query().Where(inventorymovement.KindEQ(inventorymovement.KindRECEIPT)).First(context.Background())
	require.NoError(t, err)
	f.movementID = mov.ID
	return f
}

const accessPlace = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id customerID status } } }`

// order places a paid order of customerA (so it starts ALLOCATED) and runs the admin commands of
// path on it, leaving it in the state a row's command starts from.
func (f *accessFixture) order(t *testing.T, path ...string) pulid.ID {
	t.Helper()
	var placed struct {
		PlaceOrder struct{ Order struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
		"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": true, "customerID": f.customerA}}, &placed)
	id := placed.PlaceOrder.Order.ID
	for _, cmd := range path {
		f.admin.MustDo(t, accessCommand(cmd), map[string]any{"id": id}, nil)
	}
	return id
}

// shipment plans the shipment of a new order and runs the admin shipment commands of path on it.
func (f *accessFixture) shipment(t *testing.T, path ...string) pulid.ID {
	t.Helper()
	var planned struct {
		PlanShipments struct{ Shipments []struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": f.order(t)}, &planned)
	require.Len(t, planned.PlanShipments.Shipments, 1)
	id := planned.PlanShipments.Shipments[0].ID
	for _, cmd := range path {
		f.admin.MustDo(t, shipmentCommand(cmd), map[string]any{"id": id}, nil)
	}
	return id
}

// shipmentCommand is the mutation of a shipment command, with whatever input it needs.
func shipmentCommand(field string) string {
	switch field {
	case "shipShipment":
		return `mutation($id: ID!) { shipShipment(input: {shipmentID: $id, carrier: "DHL", trackingNumbers: ["T-1"]}) { shipment { status } } }`
	case "cancelShipment":
		return `mutation($id: ID!) { cancelShipment(input: {shipmentID: $id, reason: "access test"}) { shipment { status } } }`
	}
	return `mutation($id: ID!) { ` + field + `(input: {shipmentID: $id}) { shipment { status } } }`
}

// shipmentRow is a row for a shipment command, run on a shipment brought to the state it starts from.
func shipmentRow(field, allow string, path ...string) accessRow {
	return accessRow{field: "Mutation." + field, allow: allow, prepare: func(t *testing.T, f *accessFixture) accessOp {
		return func(auth.Role) (string, map[string]any) {
			return shipmentCommand(field), map[string]any{"id": f.shipment(t, path...)}
		}
	}}
}

// pickupRow is a row for a pickup shipment's command (the shipment is made a pickup directly in
// the store: how pickup orders are placed is e2e/pickup_test.go's business).
func pickupRow(field, allow string, path ...string) accessRow {
	return accessRow{field: "Mutation." + field, allow: allow, prepare: func(t *testing.T, f *accessFixture) accessOp {
		return func(auth.Role) (string, map[string]any) {
			id := f.shipment(t)
			require.NoError(t, f.srv.Inst.DB.Client.Shipment.UpdateOneID(id).SetMethod(shipment.MethodPICKUP).Exec(context.Background()))
			for _, cmd := range path {
				f.admin.MustDo(t, shipmentCommand(cmd), map[string]any{"id": id}, nil)
			}
			return shipmentCommand(field), map[string]any{"id": id}
		}
	}}
}

// labelAccount connects an EasyPost account on a carrier simulator, and gives the fixture's first
// warehouse the street address labels are printed from.
func (f *accessFixture) labelAccount(t *testing.T) pulid.ID {
	sim := carriersim.New(carriersim.Config{EasyPostAPIKey: "ep_acc", EasyPostWebhookSecret: "ep_acc_whsec"})
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	sim.SetBase(ts.URL)
	require.NoError(t, f.srv.Inst.DB.Client.Location.UpdateOneID(f.loc).
		SetAddress(schema.Address{Line1: "1 Rama IV Road", City: "Bangkok", PostalCode: "10500", CountryCode: "TH"}).Exec(context.Background()))
	var out struct {
		ConnectCarrier struct{ CarrierAccount struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, `mutation($url: String!) { connectCarrier(input: {kind: EASYPOST, name: "EasyPost access", baseURL: $url,
		secrets: {apiKey: "ep_acc", webhookSecret: "ep_acc_whsec"}}) { carrierAccount { id } } }`, map[string]any{"url": sim.EasyPostURL()}, &out)
	return out.ConnectCarrier.CarrierAccount.ID
}

// addressedShipment plans the shipment of a new order with a street address to ship to.
func (f *accessFixture) addressedShipment(t *testing.T) pulid.ID {
	var placed struct {
		PlaceOrder struct{ Order struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
		"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": true, "customerID": f.customerA,
		"shippingAddress": map[string]any{"name": "Customer A", "line1": "99 Sukhumvit Road", "city": "Bangkok", "postalCode": "10110", "countryCode": "TH"}}}, &placed)
	var planned struct {
		PlanShipments struct{ Shipments []struct{ ID pulid.ID } }
	}
	f.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": placed.PlaceOrder.Order.ID}, &planned)
	return planned.PlanShipments.Shipments[0].ID
}

// planShipment plans the shipments of a new order (a change shipmentUpdated reports).
func (f *accessFixture) planShipment(t *testing.T) { f.shipment(t) }

const accessHold = `mutation($cart: String!, $sku: String!) {
	holdStock(input: {cart: $cart, lines: [{sku: $sku, quantity: 1}]}) { hold { id status } } }`

// hold makes a hold with the key of role (an admin's for a caller that may not hold, or has no
// key), for a row that uses or reads it as that role.
func (f *accessFixture) hold(t *testing.T, role auth.Role) pulid.ID {
	t.Helper()
	key := f.keys[role]
	if role == auth.Partner || key == "" {
		key = f.srv.AdminKey
	}
	var out struct {
		HoldStock struct{ Hold struct{ ID pulid.ID } }
	}
	f.srv.Client(key).MustDo(t, accessHold, map[string]any{"cart": "acc-row-" + string(role) + "-" + string(pulid.New("x")), "sku": f.sku}, &out)
	return out.HoldStock.Hold.ID
}

// accessCommand is the mutation of an order command, with whatever input it needs.
func accessCommand(field string) string {
	switch field {
	case "shipOrder":
		return `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "T-1"}) { order { status } } }`
	}
	return `mutation($id: ID!) { ` + field + `(input: {orderID: $id, reason: "access test"}) { order { status } } }`
}

// orderRow is a row for an order command, run on an order brought to the state it starts from.
func orderRow(field, allow string, path ...string) accessRow {
	return accessRow{field: "Mutation." + field, allow: allow, prepare: func(t *testing.T, f *accessFixture) accessOp {
		// An order per caller, so that every allowed caller's command really succeeds.
		return func(auth.Role) (string, map[string]any) {
			return accessCommand(field), map[string]any{"id": f.order(t, path...)}
		}
	}}
}

// fixed is a row whose operation is the same for every role.
func fixed(query string, vars func(f *accessFixture) map[string]any) func(*testing.T, *accessFixture) accessOp {
	return func(_ *testing.T, f *accessFixture) accessOp {
		return func(auth.Role) (string, map[string]any) {
			if vars == nil {
				return query, nil
			}
			return query, vars(f)
		}
	}
}

// accessMatrix is the policy an OMS should have, written out. Columns: ADMIN, OPERATOR, SUPPORT,
// STOREFRONT (a shop or a signed-in customer), PARTNER (a 3PL warehouse). In short: staff read
// everything but stock movements and audits (managers); storefronts read the catalog and their own
// orders and customers, place orders and ask to cancel or return them; partners do warehouse work
// (pick, pack, ship, receive, returns) and read what it needs; money, reference data and stock
// policy belong to managers; channels and keys to admins; no partner holds a live stream.
func accessMatrix() []accessRow {
	stock := func(query string, vars func(f *accessFixture, role auth.Role) map[string]any) func(*testing.T, *accessFixture) accessOp {
		return func(_ *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) { return query, vars(f, role) }
		}
	}
	skuLoc := func(f *accessFixture, _ auth.Role) map[string]any { return map[string]any{"sku": f.sku, "loc": f.loc} }
	return []accessRow{
		//                                       AOSFP
		{field: "Query.node", allow: "yyyyy", prepare: fixed(`query($id: ID!) { node(id: $id) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.loc} })},
		{field: "Query.nodes", allow: "yyyyy", prepare: fixed(`query($id: ID!) { nodes(ids: [$id]) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.loc} })},
		{field: "Query.viewer", allow: "yyyyy", prepare: fixed(`{ viewer { role } }`, nil)},
		{field: "Query.orders", allow: "yyyyy", prepare: fixed(`{ orders { totalCount } }`, nil)},
		{field: "Query.customers", allow: "yyyy-", prepare: fixed(`{ customers { totalCount } }`, nil)},
		{field: "Query.channels", allow: "yyy--", prepare: fixed(`{ channels { totalCount } }`, nil)},
		{field: "Query.locations", allow: "yyyyy", prepare: fixed(`{ locations { totalCount } }`, nil)},
		{field: "Query.products", allow: "yyyyy", prepare: fixed(`{ products { totalCount } }`, nil)},
		{field: "Query.variants", allow: "yyyyy", prepare: fixed(`{ variants { totalCount } }`, nil)},
		{field: "Query.variantBySku", allow: "yyyyy", prepare: fixed(`query($sku: String!) { variantBySku(sku: $sku) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"sku": f.sku} })},
		{field: "Query.inventoryLevels", allow: "yyy-y", prepare: fixed(`{ inventoryLevels { totalCount } }`, nil)},
		{field: "Query.inventoryMovements", allow: "yy---", prepare: fixed(`{ inventoryMovements { totalCount } }`, nil)},
		{field: "Query.inventoryAudit", allow: "yy---", prepare: fixed(`{ inventoryAudit { ok } }`, nil)},
		// Routing internals are staff business; the box catalogue also matters to a 3PL that packs.
		{field: "Query.routingPolicy", allow: "yyy--", prepare: fixed(`{ routingPolicy { id } }`, nil)},
		{field: "Query.routingPolicies", allow: "yyy--", prepare: fixed(`{ routingPolicies { id version } }`, nil)},
		{field: "Query.boxes", allow: "yyy-y", prepare: fixed(`{ boxes { code } }`, nil)},
		{field: "Query.channelListings", allow: "yyy--", prepare: fixed(`query($id: ID!) { channelListings(channelID: $id) { id sku } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.connected} })},
		// A checkout asks for delivery options; previews and replays of routing are staff tools.
		{field: "Query.deliveryPromise", allow: "yyyyy", prepare: fixed(`query($sku: String!) {
			deliveryPromise(input: {lines: [{sku: $sku, quantity: 1}], address: {countryCode: "TH", city: "Bangkok"}}) { service } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"sku": f.sku} })},
		{field: "Query.previewRouting", allow: "yyy--", prepare: fixed(`query($sku: String!) {
			previewRouting(input: {lines: [{sku: $sku, quantity: 1}]}) { outcome } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"sku": f.sku} })},
		{field: "Query.simulateRouting", allow: "yy---", prepare: fixed(`{
			simulateRouting(input: {policy: {criteria: [{name: "COST", weight: 1}], maxShipments: 1, backorder: PARTIAL}, last: 10}) { orders } }`, nil)},
		{field: "Mutation.setRoutingPolicy", allow: "yy---", prepare: fixed(`mutation {
			setRoutingPolicy(input: {criteria: [{name: "DISTANCE", weight: 2}], maxShipments: 2, backorder: PARTIAL}) { id version } }`, nil)},
		{field: "Mutation.createBox", allow: "yy---", prepare: func(_ *testing.T, _ *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				return `mutation($code: String!) { createBox(input: {code: $code, lengthMm: 300, widthMm: 200, heightMm: 100, maxWeightGrams: 5000}) { id } }`,
					map[string]any{"code": "BOX-" + string(role)}
			}
		}},
		{field: "Mutation.updateBox", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			var b struct{ CreateBox struct{ ID string } }
			f.admin.MustDo(t, `mutation { createBox(input: {code: "BOX-UPD", lengthMm: 300, widthMm: 200, heightMm: 100, maxWeightGrams: 5000}) { id } }`, nil, &b)
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { updateBox(id: $id, input: {tareGrams: 40}) { id } }`, map[string]any{"id": b.CreateBox.ID}
			}
		}},

		// Each role says only what InputPolicy lets it (storefronts: no payment state, no customer
		// id; support: no payment state): see trust_test.go and graph/testdata/input_policy.txt.
		{field: "Mutation.placeOrder", allow: "yyyy-", prepare: stock(accessPlace, func(f *accessFixture, role auth.Role) map[string]any {
			in := map[string]any{"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}}
			if role != auth.Storefront {
				in["customerID"] = f.customerA
			}
			if role == auth.Admin || role == auth.Operator {
				in["paid"] = true // payment state is the managers'
			}
			return map[string]any{"in": in}
		})},
		{field: "Mutation.confirmOrder", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				var placed struct {
					PlaceOrder struct{ Order struct{ ID pulid.ID } }
				}
				f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
					"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "customerID": f.customerA}}, &placed)
				return `mutation($id: ID!) { confirmOrder(input: {orderID: $id}) { order { status } } }`,
					map[string]any{"id": placed.PlaceOrder.Order.ID}
			}
		}},
		orderRow("holdOrder", "yyy--"),
		orderRow("releaseOrderHold", "yyy--", "holdOrder"),
		orderRow("startPicking", "yy--y"),
		// A warehouse or 3PL that cannot fulfil says so; the order is routed elsewhere.
		{field: "Mutation.rejectAllocation", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				a, err := f.srv.Inst.DB.Client.Allocation.Query().Where(allocation.OrderID(f.order(t))).First(context.Background())
				require.NoError(t, err)
				return `mutation($id: ID!) { rejectAllocation(input: {allocationID: $id, reason: "access test"}) { order { status } } }`,
					map[string]any{"id": a.ID}
			}
		}},
		orderRow("packOrder", "yy--y", "startPicking"),
		orderRow("markReadyToShip", "yy--y", "startPicking", "packOrder"),
		orderRow("shipOrder", "yy--y"),
		orderRow("markOrderDelivered", "yy--y", "shipOrder"),
		orderRow("completeOrder", "yy---", "shipOrder", "markOrderDelivered"),
		orderRow("requestOrderCancellation", "yyyy-"),
		orderRow("rejectOrderCancellation", "yyy--", "requestOrderCancellation"),
		orderRow("cancelOrder", "yyy--"),
		// Changes after placement: staff cancel units of any order, a storefront of its own unpaid
		// ones (orders.CancelLines); only staff edit.
		{field: "Mutation.cancelOrderLines", allow: "yyyy-", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				var placed struct {
					PlaceOrder struct {
						Order struct {
							ID    pulid.ID
							Lines []struct{ ID pulid.ID }
						}
					}
				}
				f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id lines { id } } } }`, map[string]any{"in": map[string]any{
					"lines": []any{map[string]any{"sku": f.sku, "quantity": 2}}, "customerID": f.customerA}}, &placed)
				return `mutation($id: ID!, $l: ID!) { cancelOrderLines(input: {orderID: $id, lines: [{lineID: $l, quantity: 1}], reason: "access test"}) { order { status } } }`,
					map[string]any{"id": placed.PlaceOrder.Order.ID, "l": placed.PlaceOrder.Order.Lines[0].ID}
			}
		}},
		{field: "Mutation.editOrder", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { editOrder(input: {orderID: $id, shippingMethod: "EXPRESS"}) { order { shippingMethod } } }`,
					map[string]any{"id": f.order(t)}
			}
		}},
		orderRow("reportOrderException", "yy--y", "shipOrder"),
		orderRow("resolveOrderException", "yy--y", "shipOrder", "reportOrderException"),

		{field: "Mutation.receiveStock", allow: "yy--y", prepare: stock(
			`mutation($sku: String!, $loc: ID!) { receiveStock(input: {sku: $sku, locationID: $loc, quantity: 1}) { replayed } }`, skuLoc)},
		// Adjustments write stock off or on without a counterpart: an inventory-control decision for managers.
		{field: "Mutation.adjustStock", allow: "yy---",
			prepare: stock(`mutation($sku: String!, $loc: ID!) {
				adjustStock(input: {sku: $sku, locationID: $loc, delta: -1, reason: "cycle count"}) { replayed } }`, skuLoc)},
		{field: "Mutation.transferStock", allow: "yy---", prepare: stock(`mutation($sku: String!, $from: ID!, $to: ID!) {
			transferStock(input: {sku: $sku, fromLocationID: $from, toLocationID: $to, quantity: 1}) { replayed } }`,
			func(f *accessFixture, _ auth.Role) map[string]any {
				return map[string]any{"sku": f.sku, "from": f.loc, "to": f.loc2}
			})},
		{field: "Mutation.setSafetyStock", allow: "yy---", prepare: stock(`mutation($sku: String!, $loc: ID!) {
			setSafetyStock(input: {sku: $sku, locationID: $loc, safetyStock: 3}) { replayed } }`, skuLoc)},

		{field: "Mutation.createLocation", allow: "yy---", prepare: stock(`mutation($code: String!) {
			createLocation(input: {code: $code, name: $code, kind: WAREHOUSE}) { id } }`,
			func(_ *accessFixture, role auth.Role) map[string]any {
				return map[string]any{"code": "NEW-" + string(role)}
			})},
		{field: "Mutation.updateLocation", allow: "yy---", prepare: stock(`mutation($id: ID!) {
			updateLocation(id: $id, input: {name: "renamed"}) { id } }`,
			func(f *accessFixture, _ auth.Role) map[string]any { return map[string]any{"id": f.loc2} })},
		{field: "Mutation.createChannel", allow: "y----", prepare: fixed(`mutation {
			createChannel(input: {kind: LAZADA, name: "new shop"}) { id } }`, nil)},
		{field: "Mutation.updateChannel", allow: "y----", prepare: fixed(`mutation($id: ID!) {
			updateChannel(id: $id, input: {name: "renamed"}) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.channelID} })},
		{field: "Mutation.connectChannel", allow: "y----", prepare: stock(`mutation($shop: String!) {
			connectChannel(input: {kind: SHOPIFY, name: $shop, shopID: $shop, baseURL: "http://127.0.0.1:9",
				credentials: {accessToken: "t", appSecret: "s"}, pullIntervalSeconds: 0}) { channel { id } } }`,
			func(_ *accessFixture, role auth.Role) map[string]any {
				return map[string]any{"shop": "acc-" + string(role)}
			})},
		{field: "Mutation.updateChannelConnection", allow: "y----", prepare: fixed(`mutation($id: ID!) {
			updateChannelConnection(input: {channelID: $id, stockBuffer: {kind: FIXED, value: 2}}) { channel { id } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.connected} })},
		{field: "Mutation.setChannelEnabled", allow: "y----", prepare: fixed(`mutation($id: ID!) {
			setChannelEnabled(input: {channelID: $id, enabled: true}) { channel { id active } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.connected} })},
		// Listings are catalogue work: managers map what the channels sell.
		{field: "Mutation.setChannelListings", allow: "yy---", prepare: stock(`mutation($id: ID!, $ext: String!, $sku: String!) {
			setChannelListings(input: {channelID: $id, listings: [{externalID: $ext, sku: $sku}]}) { listings { id } } }`,
			func(f *accessFixture, role auth.Role) map[string]any {
				return map[string]any{"id": f.connected, "ext": "L-" + string(role), "sku": f.sku}
			})},
		{field: "Mutation.pullChannelOrders", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			pullChannelOrders(input: {channelID: $id}) { queued } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.connected} })},
		{field: "Mutation.createProduct", allow: "yy---", prepare: fixed(`mutation { createProduct(input: {name: "new"}) { id } }`, nil)},
		{field: "Mutation.updateProduct", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			updateProduct(id: $id, input: {name: "renamed"}) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.productID} })},
		{field: "Mutation.createVariant", allow: "yy---", prepare: stock(`mutation($sku: String!, $p: ID!) {
			createVariant(input: {sku: $sku, name: $sku, productID: $p}) { id } }`,
			func(f *accessFixture, role auth.Role) map[string]any {
				return map[string]any{"sku": "NEW-" + string(role), "p": f.productID}
			})},
		{field: "Mutation.updateVariant", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			updateVariant(id: $id, input: {name: "renamed"}) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.variantID} })},
		{field: "Mutation.setBundleComponents", allow: "yy---", prepare: fixed(`mutation($sku: String!) {
			setBundleComponents(input: {bundleSku: "ACC-BUNDLE", components: [{sku: $sku, quantity: 2}]}) { id } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"sku": f.sku} })},
		{field: "Mutation.createAPIKey", allow: "y----", prepare: fixed(`mutation {
			createAPIKey(input: {name: "new", role: ADMIN}) { key } }`, nil)},
		{field: "Mutation.revokeAPIKey", allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
			rec, _, err := f.srv.Inst.Keys.Create(context.Background(), "victim", auth.Admin, nil)
			require.NoError(t, err)
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { revokeAPIKey(id: $id) }`, map[string]any{"id": rec.ID}
			}
		}},

		// Shipments: storefronts read their orders' shipments, partners those leaving their
		// locations (auth.Scope); warehouse work is the warehouse's, carriers are the admins'.
		{field: "Query.shipments", allow: "yyyyy", prepare: fixed(`{ shipments { totalCount } }`, nil)},
		{field: "Query.carrierAccounts", allow: "yy---", prepare: fixed(`{ carrierAccounts { id kind webhookURL } }`, nil)},
		{field: "Mutation.planShipments", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": f.order(t)}
			}
		}},
		shipmentRow("pickShipment", "yy--y"),
		shipmentRow("packShipment", "yy--y", "pickShipment"),
		shipmentRow("markShipmentReady", "yy--y", "pickShipment", "packShipment"),
		shipmentRow("shipShipment", "yy--y"),
		shipmentRow("cancelShipment", "yy--y"),
		{field: "Mutation.splitShipment", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				var placed struct {
					PlaceOrder struct{ Order struct{ ID pulid.ID } }
				}
				f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
					"lines": []any{map[string]any{"sku": f.sku, "quantity": 2}}, "paid": true, "customerID": f.customerA}}, &placed)
				var planned struct {
					PlanShipments struct {
						Shipments []struct {
							ID    pulid.ID
							Lines []struct{ OrderLineID pulid.ID }
						}
					}
				}
				f.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id lines { orderLineID } } } }`,
					map[string]any{"id": placed.PlaceOrder.Order.ID}, &planned)
				sh := planned.PlanShipments.Shipments[0]
				return `mutation($id: ID!, $line: ID!) { splitShipment(input: {shipmentID: $id, lines: [{orderLineID: $line, quantity: 1}]}) { newShipment { id } } }`,
					map[string]any{"id": sh.ID, "line": sh.Lines[0].OrderLineID}
			}
		}},
		// A marketplace's logistics carry the parcel: the warehouse asks it to arrange the pickup.
		{field: "Mutation.arrangeShipment", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			// A marketplace whose API cannot be reached: the queued arrangements wait and retry,
			// writing nothing while the other rows compare the store around their refusals.
			var shop struct {
				ConnectChannel struct{ Channel struct{ ID pulid.ID } }
			}
			f.admin.MustDo(t, `mutation { connectChannel(input: {kind: SHOPEE, name: "acc shopee", shopID: "7277", baseURL: "http://127.0.0.1:9",
				credentials: {appKey: "2001", appSecret: "s", accessToken: "t"}, pullIntervalSeconds: 0}) { channel { id } } }`, nil, &shop)
			return func(role auth.Role) (string, map[string]any) {
				var placed struct {
					PlaceOrder struct{ Order struct{ ID pulid.ID } }
				}
				f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
					"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": true, "customerID": f.customerA,
					"channelID": shop.ConnectChannel.Channel.ID, "externalID": "ARR-" + string(role) + "-" + accessItoa(int(time.Now().UnixNano()%1e9))}}, &placed)
				var planned struct {
					PlanShipments struct{ Shipments []struct{ ID pulid.ID } }
				}
				f.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`,
					map[string]any{"id": placed.PlaceOrder.Order.ID}, &planned)
				id := planned.PlanShipments.Shipments[0].ID
				return `mutation($id: ID!) { arrangeShipment(input: {shipmentID: $id}) { shipment { id } } }`, map[string]any{"id": id}
			}
		}},
		// Marketplace returns: staff take the seller's decision (queued for the channel, whose API
		// cannot be reached here: the job waits and retries), managers pull a channel's returns.
		{field: "Mutation.decideReturn", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			var shop struct {
				ConnectChannel struct{ Channel struct{ ID pulid.ID } }
			}
			f.admin.MustDo(t, `mutation { connectChannel(input: {kind: SHOPEE, name: "acc shopee returns", shopID: "7278", baseURL: "http://127.0.0.1:9",
				credentials: {appKey: "2001", appSecret: "s", accessToken: "t"}, pullIntervalSeconds: 0}) { channel { id } } }`, nil, &shop)
			ch := shop.ConnectChannel.Channel.ID
			return func(role auth.Role) (string, map[string]any) {
				ext := "RMA-" + string(role) + "-" + accessItoa(int(time.Now().UnixNano()%1e9))
				var placed struct {
					PlaceOrder struct{ Order struct{ ID pulid.ID } }
				}
				f.admin.MustDo(t, accessPlace, map[string]any{"in": map[string]any{
					"lines": []any{map[string]any{"sku": f.sku, "quantity": 1}}, "paid": true, "customerID": f.customerA,
					"channelID": ch, "externalID": ext}}, &placed)
				f.admin.MustDo(t, accessCommand("shipOrder"), map[string]any{"id": placed.PlaceOrder.Order.ID}, nil)
				out, err := f.srv.Inst.Ingestion.Returns.SyncChannelReturn(auth.NewContext(context.Background(), auth.System), ch, channels.Return{
					ExternalID: ext, OrderID: ext, Status: channels.RMARequested, ChannelStatus: "REQUESTED",
					Lines: []channels.ReturnLine{{SKU: f.sku, Quantity: 1}},
				})
				require.NoError(t, err)
				return `mutation($id: ID!) { decideReturn(input: {returnID: $id, action: APPROVE}) { return { id decisionSync } } }`,
					map[string]any{"id": out.Return.ID}
			}
		}},
		{field: "Mutation.pullChannelReturns", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			pullChannelReturns(input: {channelID: $id}) { queued } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.connected} })},
		{field: "Mutation.setLocationChannelRef", allow: "yy---", prepare: fixed(`mutation($loc: ID!, $ch: ID!) {
			setLocationChannelRef(input: {locationID: $loc, channelID: $ch, ref: "655441491"}) { location { id } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"loc": f.loc, "ch": f.connected} })},
		{field: "Mutation.setChannelFulfilment", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			setChannelFulfilment(input: {channelID: $id, partialShipments: SHIP_PARTIAL, shipByAlertHours: 4}) { channel { id } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.channelID} })},
		{field: "Mutation.setChannelReturnWindow", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			setChannelReturnWindow(input: {channelID: $id, days: 14}) { channel { returnWindowDays } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.channelID} })},
		{field: "Query.lateRiskShipments", allow: "yyy-y", prepare: fixed(`{ lateRiskShipments(first: 5) { id } }`, nil)},
		// Rate cards are what shipping costs the business: managers set and read them.
		{field: "Query.rateCards", allow: "yy---", prepare: fixed(`{ rateCards { id carrier } }`, nil)},
		{field: "Mutation.setRateCard", allow: "yy---", prepare: fixed(`mutation {
			setRateCard(input: {carrier: "KERRY", service: "STANDARD", currency: "THB", bands: [{zone: "SAME_CITY", maxGrams: 1000, amount: 4000}]}) { rateCard { id } } }`, nil)},
		// Labels and printed documents are warehouse work.
		{field: "Mutation.buyShippingLabel", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			account := f.labelAccount(t)
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!, $acc: ID!) { buyShippingLabel(input: {shipmentID: $id, carrierAccountID: $acc, format: PDF_4X6}) { shipment { trackingNumbers } } }`,
					map[string]any{"id": f.addressedShipment(t), "acc": account}
			}
		}},
		{field: "Mutation.cancelShippingLabel", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			account := f.labelAccount(t)
			return func(auth.Role) (string, map[string]any) {
				id := f.addressedShipment(t)
				f.admin.MustDo(t, `mutation($id: ID!, $acc: ID!) { buyShippingLabel(input: {shipmentID: $id, carrierAccountID: $acc, format: PDF_4X6}) { shipment { id } } }`,
					map[string]any{"id": id, "acc": account}, nil)
				return `mutation($id: ID!) { cancelShippingLabel(input: {shipmentID: $id}) { shipment { id } } }`, map[string]any{"id": id}
			}
		}},
		{field: "Mutation.printPackingSlip", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { printPackingSlip(input: {shipmentID: $id}) { document { url } } }`, map[string]any{"id": f.shipment(t)}
			}
		}},
		{field: "Mutation.printPickList", allow: "yy--y", prepare: func(t *testing.T, f *accessFixture) accessOp {
			f.shipment(t) // something to pick
			return func(auth.Role) (string, map[string]any) {
				return `mutation($loc: ID!) { printPickList(input: {locationID: $loc}) { document { url } } }`, map[string]any{"loc": f.loc}
			}
		}},
		pickupRow("markReadyForPickup", "yy--y"),
		pickupRow("markShipmentCollected", "yy--y", "markReadyForPickup"),
		{field: "Mutation.connectCarrier", allow: "y----", prepare: stock(`mutation($name: String!) {
			connectCarrier(input: {kind: AFTERSHIP, name: $name, baseURL: "http://127.0.0.1:9", secrets: {apiKey: "k", webhookSecret: "s"}}) { carrierAccount { id } } }`,
			func(_ *accessFixture, role auth.Role) map[string]any {
				return map[string]any{"name": "carrier-" + string(role)}
			})},
		// Stock holds: a storefront holds for its carts (staff may too), each key its own holds only;
		// how long unpaid orders keep stock is the managers'.
		{field: "Mutation.holdStock", allow: "yyyy-", prepare: stock(accessHold, func(f *accessFixture, role auth.Role) map[string]any {
			return map[string]any{"cart": "acc-cart-" + string(role), "sku": f.sku}
		})},
		{field: "Mutation.releaseHold", allow: "yyyy-", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				return `mutation($id: ID!) { releaseHold(input: {holdID: $id}) { hold { status } } }`, map[string]any{"id": f.hold(t, role)}
			}
		}},
		{field: "Query.stockHold", allow: "yyyy-", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				return `query($id: ID!) { stockHold(id: $id) { status lines { quantity } } }`, map[string]any{"id": f.hold(t, role)}
			}
		}},
		{field: "Mutation.setChannelUnpaidExpiry", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			setChannelUnpaidExpiry(input: {channelID: $id, rules: [{paymentMethod: "*", minutes: 60}]}) { channel { unpaidExpiry { minutes } } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.channelID} })},
		{field: "Subscription.shipmentUpdated", allow: "yyy-y", trigger: (*accessFixture).planShipment,
			prepare: fixed(`subscription { shipmentUpdated { id status } }`, nil)},

		{field: "Subscription.orderUpdated", allow: "yyyy-", trigger: (*accessFixture).toggleHold,
			prepare: fixed(`subscription($id: ID!) { orderUpdated(filter: {orderID: $id}) { id status } }`,
				func(f *accessFixture) map[string]any { return map[string]any{"id": f.watched} })},
		{field: "Subscription.stockLevelChanged", allow: "yyy--", trigger: (*accessFixture).receiveOne,
			prepare: fixed(`subscription($sku: String!) { stockLevelChanged(filter: {skus: [$sku]}) { sku onHand } }`,
				func(f *accessFixture) map[string]any { return map[string]any{"sku": f.sku} })},
		{field: "Subscription.orderEvents", allow: "yyy--", trigger: (*accessFixture).toggleHold,
			prepare: fixed(`subscription($id: ID!) { orderEvents(filter: {orderID: $id}) { type } }`,
				func(f *accessFixture) map[string]any { return map[string]any{"id": f.watched} })},

		// Returns: a storefront asks for its own orders' units back and reads its returns; the
		// warehouse (a 3PL too) receives and dispositions; staff decide and settle.
		{field: "Query.returns", allow: "yyyyy", prepare: fixed(`{ returns { totalCount } }`, nil)},
		{field: "Query.return", allow: "yyyyy", prepare: func(t *testing.T, f *accessFixture) accessOp {
			ret, _, _ := f.returned(t)
			return func(auth.Role) (string, map[string]any) {
				return `query($id: ID!) { return(id: $id) { id status } }`, map[string]any{"id": ret}
			}
		}},
		{field: "Mutation.requestReturn", allow: "yyyy-", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(auth.Role) (string, map[string]any) {
				id, line := f.shippedOrder(t)
				return `mutation($id: ID!, $line: ID!) { requestReturn(input: {orderID: $id, lines: [{orderLineID: $line, quantity: 1}]}) { return { status } } }`,
					map[string]any{"id": id, "line": line}
			}
		}},
		returnRow("approveReturn", "yyy--"),
		returnRow("declineReturn", "yyy--"),
		returnRow("markReturnInTransit", "yyy-y", "approveReturn"),
		returnRow("receiveReturn", "yyy-y", "approveReturn"),
		returnRow("dispositionReturn", "yyy-y", "approveReturn", "receiveReturn"),
		returnRow("redisposition", "yyy-y", "approveReturn", "receiveReturn", "dispositionReturn"),
		returnRow("completeReturn", "yyy--", "approveReturn", "receiveReturn", "dispositionReturn"),
		returnRow("closeReturn", "yyy--", "approveReturn", "receiveReturn", "dispositionReturn", "completeReturn"),
		returnRow("cancelReturn", "yyy--"),
		returnRow("reopenReturn", "yyy--", "approveReturn", "receiveReturn", "dispositionReturn", "completeReturn", "closeReturn"),
		{field: "Subscription.returnUpdated", allow: "yyyyy", trigger: func(f *accessFixture, t *testing.T) { f.returned(t) },
			prepare: fixed(`subscription { returnUpdated { id status } }`, nil)},

		// The reason catalogue: everyone reads it, managers set it. Return labels: staff, and a
		// storefront for its own approved return.
		// Listing auto-mapping: staff read the review queue, operators decide.
		{field: "Query.listingCandidates", allow: "yyy--", prepare: fixed(`{ listingCandidates(filter: {status: REVIEW}, first: 10) {
			nodes { id externalID status reason variant { sku } suggestions { sku reason score variant { id } } } hasNextPage } }`, nil)},
		{field: "Query.listingCandidateCounts", allow: "yyy--", prepare: fixed(`{ listingCandidateCounts { status count } }`, nil)},
		{field: "Mutation.confirmListings", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			ids := accessCandidates(t, f, "confirm")
			return func(role auth.Role) (string, map[string]any) {
				return `mutation($c: ID!, $v: ID!) { confirmListings(input: {decisions: [{candidateID: $c, variantID: $v}]}) { candidates { id status } } }`,
					map[string]any{"c": ids[role], "v": f.variantID}
			}
		}},
		{field: "Mutation.ignoreListings", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			ids := accessCandidates(t, f, "ignore")
			return func(role auth.Role) (string, map[string]any) {
				return `mutation($c: ID!) { ignoreListings(input: {ids: [$c]}) { candidates { id status } } }`, map[string]any{"c": ids[role]}
			}
		}},
		{field: "Query.returnReasons", allow: "yyyyy", prepare: fixed(`{ returnReasons { code label channelCodes { channel codes } } }`, nil)},
		{field: "Mutation.setReturnReason", allow: "yy---", prepare: fixed(`mutation { setReturnReason(input: {code: "GIFT", label: "Unwanted gift",
			parentCode: "NOT_WANTED", channelCodes: [{channel: LAZADA, codes: ["10023"]}]}) { reason { code } } }`, nil)},
		{field: "Mutation.createReturnLabel", allow: "yyyy-", prepare: func(t *testing.T, f *accessFixture) accessOp {
			var loc struct{ CreateLocation struct{ ID pulid.ID } }
			f.admin.MustDo(t, `mutation { createLocation(input: {code: "ACC-RET", name: "Returns", kind: WAREHOUSE,
				address: {line1: "1 Return Road", city: "Bangkok", countryCode: "TH"}}) { id } }`, nil, &loc)
			return func(auth.Role) (string, map[string]any) {
				ret, _, _ := f.returned(t)
				f.admin.MustDo(t, `mutation($id: ID!, $loc: ID!) { approveReturn(input: {returnID: $id, locationID: $loc}) { return { id } } }`,
					map[string]any{"id": ret, "loc": loc.CreateLocation.ID}, nil)
				return `mutation($id: ID!) { createReturnLabel(input: {returnID: $id}) { document { kind } } }`, map[string]any{"id": ret}
			}
		}},
		// Refunds, exchanges and claims are customer service's (staff); a payment's result and an
		// exchange's balance paid are money matters for managers.
		refundRow("refundReturn", "yyy--", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			ret, _, _ := f.returned(t, "approveReturn")
			return `mutation($id: ID!) { refundReturn(input: {returnID: $id}) { refund { status } } }`, map[string]any{"id": ret}
		}),
		refundRow("refundOrder", "yyy--", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			return `mutation($id: ID!) { refundOrder(input: {orderID: $id, amount: 100, reason: "cancelled"}) { refund { status } } }`,
				map[string]any{"id": f.order(t, "cancelOrder")}
		}),
		refundRow("recordRefundResult", "yy---", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			var out struct {
				RefundOrder struct{ Refund struct{ ID pulid.ID } }
			}
			f.admin.MustDo(t, `mutation($id: ID!) { refundOrder(input: {orderID: $id, amount: 100}) { refund { id } } }`,
				map[string]any{"id": f.order(t, "cancelOrder")}, &out)
			return `mutation($id: ID!) { recordRefundResult(input: {refundID: $id, status: SUCCEEDED, externalID: "re_acc"}) { refund { status } } }`,
				map[string]any{"id": out.RefundOrder.Refund.ID}
		}),
		refundRow("createExchange", "yyy--", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			ret, _, _ := f.returned(t, "approveReturn")
			return `mutation($id: ID!, $sku: String!) { createExchange(input: {returnID: $id, lines: [{sku: $sku, quantity: 1}], shipBeforeReturn: true}) {
				order { status } } }`, map[string]any{"id": ret, "sku": f.sku}
		}),
		refundRow("recordExchangePayment", "yy---", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			// One unit back for two: 1000 due.
			ret, _, _ := f.returned(t, "approveReturn")
			var out struct {
				CreateExchange struct{ Order struct{ ID pulid.ID } }
			}
			f.admin.MustDo(t, `mutation($id: ID!, $sku: String!) { createExchange(input: {returnID: $id, lines: [{sku: $sku, quantity: 2}], shipBeforeReturn: true}) {
				order { id } } }`, map[string]any{"id": ret, "sku": f.sku}, &out)
			return `mutation($id: ID!) { recordExchangePayment(input: {orderID: $id, amount: 1000}) { order { status } } }`,
				map[string]any{"id": out.CreateExchange.Order.ID}
		}),
		refundRow("createClaim", "yyy--", func(t *testing.T, f *accessFixture) (string, map[string]any) {
			id, line := f.shippedOrder(t)
			return `mutation($id: ID!, $line: ID!) { createClaim(input: {orderID: $id, resolution: REFUND,
				lines: [{orderLineID: $line, quantity: 1, reason: MISSING_ITEM}]}) { refund { status } } }`, map[string]any{"id": id, "line": line}
		}),

		// Partner webhooks: where Ordo sends its events, signed with which secrets, is the admins'.
		{field: "Query.webhookEndpoints", allow: "y----", prepare: fixed(`{ webhookEndpoints { totalCount } }`, nil)},
		{field: "Query.webhookEventTypes", allow: "y----", prepare: fixed(`{ webhookEventTypes }`, nil)},
		{field: "Mutation.createWebhookEndpoint", allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
			f.srv.Inst.Webhooks.AllowPrivate = true // see webhook
			return func(auth.Role) (string, map[string]any) {
				return `mutation { createWebhookEndpoint(input: {url: "http://127.0.0.1:9/ordo", eventTypes: ["order.placed"]}) { secret endpoint { id } } }`, nil
			}
		}},
		webhookRow("updateWebhookEndpoint", `updateWebhookEndpoint(input: {id: $id, description: "renamed"}) { endpoint { description } }`),
		webhookRow("enableWebhookEndpoint", `enableWebhookEndpoint(input: {id: $id}) { endpoint { status } }`, "disable"),
		webhookRow("disableWebhookEndpoint", `disableWebhookEndpoint(input: {id: $id, reason: "access test"}) { endpoint { status } }`),
		webhookRow("deleteWebhookEndpoint", `deleteWebhookEndpoint(input: {id: $id}) { deletedID }`),
		webhookRow("rotateWebhookSecret", `rotateWebhookSecret(input: {id: $id}) { secret endpoint { id } }`),
		{field: "Mutation.redeliverWebhook", allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
			placed, err := f.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(f.watched)), event.Type(events.KindOrderPlaced)).Only(context.Background())
			require.NoError(t, err)
			id := f.webhook(t, false)
			return func(auth.Role) (string, map[string]any) {
				return `mutation($id: ID!, $ev: Int64!) { redeliverWebhook(input: {endpointID: $id, eventID: $ev}) { queued } }`,
					map[string]any{"id": id, "ev": placed.ID}
			}
		}},
		// Imports: managers start and cancel them, support follows them.
		{field: "Query.importJob", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			id := f.importJob(t)
			return func(auth.Role) (string, map[string]any) {
				return `query($id: ID!) { importJob(id: $id) { id kind status total done errorCount errors { row field message } summary { outcome count } hasRejects } }`,
					map[string]any{"id": id}
			}
		}},
		{field: "Query.importJobs", allow: "yyy--", prepare: fixed(`{ importJobs(first: 5) { jobs { id status } next } }`, nil)},
		{field: "Mutation.startChannelCatalogImport", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			f.srv.Inst.Imports.Register(emptyCatalog{})
			return func(auth.Role) (string, map[string]any) {
				return `mutation($ch: ID!) { startChannelCatalogImport(input: {channelID: $ch, dryRun: true}) { id kind status } }`,
					map[string]any{"ch": f.channelID}
			}
		}},
		{field: "Mutation.cancelImport", allow: "yy---", prepare: func(t *testing.T, f *accessFixture) accessOp {
			// One import for each allowed role, written before any caller runs: the refused callers
			// (first) ask for the admin's, so a refusal's store reading sees nothing new. The
			// catalogue imports the row before started end first, for the same reason.
			f.catalogImportsDone(t)
			jobs := map[auth.Role]pulid.ID{auth.Admin: f.importJob(t), auth.Operator: f.importJob(t)}
			return func(role auth.Role) (string, map[string]any) {
				id, ok := jobs[role]
				if !ok {
					id = jobs[auth.Admin]
				}
				return `mutation($id: ID!) { cancelImport(id: $id) { id cancelRequestedAt } }`, map[string]any{"id": id}
			}
		}},
		{field: "Subscription.importProgress", allow: "yyy--", trigger: func(f *accessFixture, t *testing.T) { f.importProgressed(t) },
			prepare: func(t *testing.T, f *accessFixture) accessOp {
				f.importID = f.importJob(t)
				return func(auth.Role) (string, map[string]any) {
					return `subscription($id: ID!) { importProgress(id: $id) { id status done } }`, map[string]any{"id": f.importID}
				}
			}},
		// Staff users: who works in the console, with which role, is the admins'.
		{field: "Query.staffUsers", allow: "y----", prepare: fixed(`{ staffUsers { id email role disabled } }`, nil)},
		{field: "Mutation.createStaffUser", allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
			f.srv.Inst.Staff.Params = staff.Params{Memory: 64, Time: 1, Threads: 1}
			return func(role auth.Role) (string, map[string]any) {
				return `mutation($email: String!) { createStaffUser(input: {email: $email, role: SUPPORT, password: "correct horse battery"}) { id email } }`,
					map[string]any{"email": "access-" + strings.ToLower(string(role)) + "@example.com"}
			}
		}},
		{field: "Mutation.setStaffUserDisabled", allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
			f.srv.Inst.Staff.Params = staff.Params{Memory: 64, Time: 1, Threads: 1}
			return func(role auth.Role) (string, map[string]any) {
				u, err := f.srv.Inst.Staff.Create(auth.NewContext(context.Background(), auth.System),
					"disable-"+strings.ToLower(string(role))+"@example.com", "", "OPERATOR", "correct horse battery")
				require.NoError(t, err)
				return `mutation($id: ID!) { setStaffUserDisabled(input: {id: $id, disabled: true}) { id disabled } }`, map[string]any{"id": u.ID}
			}
		}},
		// Notifications: customer service previews and resends what customers are sent; a customer
		// (its storefront) sets its own preferences; how a brand's messages look is the managers'.
		{field: "Query.previewNotification", allow: "yyy--", prepare: fixed(`query($id: ID!) {
			previewNotification(orderID: $id, kind: ORDER_CONFIRMED, locale: "th") { subject text locale } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.watched} })},
		{field: "Mutation.setNotificationPreferences", allow: "yyyy-", prepare: fixed(`mutation($id: ID!) {
			setNotificationPreferences(input: {customerID: $id, locale: "vi", timeZone: "Asia/Ho_Chi_Minh", muted: [DELIVERED]}) {
				customer { locale timeZone mutedNotifications } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.customerA} })},
		{field: "Mutation.resendNotification", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				// A notification whose sending failed for good.
				n, err := f.srv.Inst.DB.Client.Notification.Create().SetOrderID(f.watched).SetCustomerID(f.customerA).
					SetKind(notification.KindORDER_CONFIRMED).SetVersion("access-" + string(role)).SetProvider("email").
					SetStatus(notification.StatusFAILED).SetLastError("550 mailbox unavailable").Save(context.Background())
				require.NoError(t, err)
				return `mutation($id: ID!) { resendNotification(input: {notificationID: $id}) { notification { kind version status } } }`,
					map[string]any{"id": n.ID}
			}
		}},
		{field: "Mutation.setChannelBranding", allow: "yy---", prepare: fixed(`mutation($id: ID!) {
			setChannelBranding(input: {channelID: $id, brandName: "Acc Shop", fromEmail: "shop@acc.example", color: "#112233", locale: "th"}) {
				channel { branding { brandName fromEmail color locale } } } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.channelID} })},
		// The console's reads (graph/board.graphqls) are staff's; board views belong to a signed-in
		// staff user, so every API key is refused them (orders.Service.Views).
		{field: "Query.orderBoard", allow: "yyy--", prepare: fixed(`{ orderBoard(first: 5, filter: {search: "acc@example.com"}) {
			edges { cursor node { number } } pageInfo { hasNextPage } } }`, nil)},
		{field: "Query.orderCounts", allow: "yyy--", prepare: fixed(`{ orderCounts { status count } }`, nil)},
		{field: "Query.savedViews", allow: "-----", prepare: fixed(`{ savedViews { name filter } }`, nil)},
		{field: "Mutation.saveView", allow: "-----", prepare: fixed(`mutation { saveView(input: {name: "late", filter: {lateRisk: true}}) { name } }`, nil)},
		{field: "Mutation.deleteView", allow: "-----", prepare: fixed(`mutation { deleteView(name: "late") { name } }`, nil)},
		{field: "Query.alerts", allow: "yyy--", prepare: fixed(`{ alerts(first: 5) { edges { cursor node { type } } pageInfo { hasNextPage } } }`, nil)},
		{field: "Query.failedNotifications", allow: "yyy--", prepare: fixed(`{ failedNotifications(first: 5) { edges { node { kind } } } }`, nil)},
		{field: "Query.operationsPulse", allow: "yyy--", prepare: fixed(`{ operationsPulse(minutes: 5) { minutes queues { queue } } }`, nil)},
		// One customer across channels: customer service merges and unmerges; storefronts never.
		{field: "Mutation.mergeCustomers", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				a, b := accessCustomer(t, f, "survivor-"+string(role)), accessCustomer(t, f, "merged-"+string(role))
				return `mutation($s: ID!, $m: ID!) { mergeCustomers(input: {survivorID: $s, mergedID: $m, reason: "same buyer"}) { id } }`,
					map[string]any{"s": a, "m": b}
			}
		}},
		{field: "Mutation.unmergeCustomers", allow: "yyy--", prepare: func(t *testing.T, f *accessFixture) accessOp {
			return func(role auth.Role) (string, map[string]any) {
				a, b := accessCustomer(t, f, "usurvivor-"+string(role)), accessCustomer(t, f, "umerged-"+string(role))
				m, err := f.srv.Inst.Customers.Merge(context.Background(), a, b, "", "system")
				require.NoError(t, err)
				return `mutation($id: ID!) { unmergeCustomers(input: {mergeID: $id}) { id undoneAt } }`, map[string]any{"id": m.ID}
			}
		}},
		{field: "Mutation.addOrderNote", allow: "yyy--", prepare: fixed(`mutation($id: ID!) {
			addOrderNote(input: {orderID: $id, note: "called the customer"}) { type } }`,
			func(f *accessFixture) map[string]any { return map[string]any{"id": f.watched} })},
		// Product-data quality (graph/quality.graphqls): the catalogue team's reads are staff's;
		// what every SKU must carry is the admins' decision.
		{field: "Query.catalogRule", allow: "yyy--", prepare: fixed(`{ catalogRule { required crossBorderRequired updatedAt } }`, nil)},
		{field: "Query.catalogCompleteness", allow: "yyy--", prepare: fixed(`{ catalogCompleteness(first: 5, kind: MISSING) {
			items { variant { sku } issues { attribute kind message } } hasNextPage checked totals { attribute share } } }`, nil)},
		{field: "Mutation.setCatalogRule", allow: "y----", prepare: fixed(`mutation {
			setCatalogRule(input: {required: [WEIGHT, DIMENSIONS, BARCODE], crossBorderRequired: [HS_CODE]}) { required } }`, nil)},
	}
}

// accessCustomer makes a customer of its own for one role's merge.
func accessCustomer(t *testing.T, f *accessFixture, name string) pulid.ID {
	t.Helper()
	c, err := f.srv.Inst.DB.Client.Customer.Create().SetName(name).Save(context.Background())
	require.NoError(t, err)
	return c.ID
}

// webhook registers a partner endpoint for order.placed, disabled if asked. It is on loopback,
// which registration is let name here; the delivery client, which learnt at start-up whether it may
// connect there, either is refused or finds nothing listening: nothing leaves the machine, and the
// retries wait on the spec's schedule (seconds to hours) writing only their attempts.
func (f *accessFixture) webhook(t *testing.T, disabled bool) pulid.ID {
	t.Helper()
	hooks := f.srv.Inst.Webhooks
	hooks.AllowPrivate = true
	ctx := auth.NewContext(context.Background(), auth.System)
	ep, _, err := hooks.Create(ctx, webhooks.EndpointInput{URL: "http://127.0.0.1:9/ordo", EventTypes: []string{events.KindOrderPlaced}})
	require.NoError(t, err)
	if disabled {
		_, err = hooks.Disable(ctx, ep.ID, "access test")
		require.NoError(t, err)
	}
	return ep.ID
}

// webhookRow is a row for a command on an endpoint (`$id`), made for each caller ("disable": disabled).
func webhookRow(field, selection string, state ...string) accessRow {
	return accessRow{field: "Mutation." + field, allow: "y----", prepare: func(t *testing.T, f *accessFixture) accessOp {
		return func(auth.Role) (string, map[string]any) {
			return `mutation($id: ID!) { ` + selection + ` }`, map[string]any{"id": f.webhook(t, slices.Contains(state, "disable"))}
		}
	}}
}

// shippedOrder places and ships an order of customerA for one unit, and returns it and its line.
func (f *accessFixture) shippedOrder(t *testing.T) (order, line pulid.ID) {
	t.Helper()
	id := f.order(t, "shipOrder")
	l, err := f.srv.Inst.DB.Client.OrderLine.Query().Where(orderline.OrderID(id)).Only(context.Background())
	require.NoError(t, err)
	return id, l.ID
}

// returned asks for the unit of a new shipped order back and runs the admin return commands of
// path on it; it returns the return, its line and its last disposition (if any).
func (f *accessFixture) returned(t *testing.T, path ...string) (ret, line, disposition pulid.ID) {
	t.Helper()
	id, ol := f.shippedOrder(t)
	var out struct {
		RequestReturn struct {
			Return struct {
				ID    pulid.ID
				Lines []struct{ ID pulid.ID }
			}
		}
	}
	// A return taken as far as its disposition is settled by store credit, so that completing it needs
	// no refund first (returns.Settled); the others are refunds, as by default.
	resolution := "REFUND"
	if slices.Contains(path, "dispositionReturn") {
		resolution = "STORE_CREDIT"
	}
	f.admin.MustDo(t, `mutation($id: ID!, $line: ID!, $res: ReturnResolution!) {
		requestReturn(input: {orderID: $id, lines: [{orderLineID: $line, quantity: 1}], resolution: $res}) {
		return { id lines { id } } } }`, map[string]any{"id": id, "line": ol, "res": resolution}, &out)
	ret, line = out.RequestReturn.Return.ID, out.RequestReturn.Return.Lines[0].ID
	for _, cmd := range path {
		q, vars := f.returnCommand(cmd, ret, line, "")
		var res map[string]struct {
			Return struct {
				Lines []struct{ Dispositions []struct{ ID pulid.ID } }
			}
		}
		f.admin.MustDo(t, q, vars, &res)
		if ds := res[cmd].Return.Lines[0].Dispositions; len(ds) > 0 {
			disposition = ds[len(ds)-1].ID
		}
	}
	return ret, line, disposition
}

// returnCommand is the mutation of a return command on ret (its line; a disposition to redo).
func (f *accessFixture) returnCommand(field string, ret, line, disposition pulid.ID) (string, map[string]any) {
	const answer = ` { return { status lines { dispositions { id } } } } }`
	id := map[string]any{"id": ret}
	switch field {
	case "declineReturn", "cancelReturn":
		return `mutation($id: ID!) { ` + field + `(input: {returnID: $id, reason: "access test"})` + answer, id
	case "receiveReturn":
		return `mutation($id: ID!, $line: ID!, $loc: ID!) { receiveReturn(input: {returnID: $id, locationID: $loc,
			lines: [{returnLineID: $line, quantity: 1}]})` + answer, map[string]any{"id": ret, "line": line, "loc": f.loc}
	case "dispositionReturn":
		return `mutation($id: ID!, $line: ID!) { dispositionReturn(input: {returnID: $id,
			lines: [{returnLineID: $line, kind: QUARANTINE, quantity: 1}]})` + answer, map[string]any{"id": ret, "line": line}
	case "redisposition":
		return `mutation($d: ID!) { redisposition(input: {dispositionID: $d, kind: SELLABLE, quantity: 1})` + answer,
			map[string]any{"d": disposition}
	}
	return `mutation($id: ID!) { ` + field + `(input: {returnID: $id})` + answer, id
}

// returnRow is a row for a return command, run on a return brought to the state it starts from.
func returnRow(field, allow string, path ...string) accessRow {
	return accessRow{field: "Mutation." + field, allow: allow, prepare: func(t *testing.T, f *accessFixture) accessOp {
		// A return per caller, so that every allowed caller's command really succeeds.
		return func(auth.Role) (string, map[string]any) {
			ret, line, d := f.returned(t, path...)
			return f.returnCommand(field, ret, line, d)
		}
	}}
}

// toggleHold changes the watched order (holds it, or releases its hold).
func (f *accessFixture) toggleHold(t *testing.T) {
	cmd := "holdOrder"
	if f.watchedOn {
		cmd = "releaseOrderHold"
	}
	f.admin.MustDo(t, accessCommand(cmd), map[string]any{"id": f.watched}, nil)
	f.watchedOn = !f.watchedOn
}

// receiveOne receives a unit of the fixture's SKU.
func (f *accessFixture) receiveOne(t *testing.T) {
	f.admin.MustDo(t, `mutation($sku: String!, $loc: ID!) { receiveStock(input: {sku: $sku, locationID: $loc, quantity: 1}) { replayed } }`,
		map[string]any{"sku": f.sku, "loc": f.loc}, nil)
}

// accessRootFields lists every root field of the served schema as Type.field.
func accessRootFields() []string {
	s := graph.NewSchema(&graph.Resolver{}).Schema()
	var out []string
	for _, typ := range []string{"Query", "Mutation", "Subscription"} {
		def := s.Types[typ]
		if def == nil {
			continue
		}
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				out = append(out, typ+"."+f.Name)
			}
		}
	}
	return out
}

func TestRoleMatrix(t *testing.T) {
	rows := accessMatrix()
	byField := map[string]accessRow{}
	for _, r := range rows {
		require.Len(t, r.allow, len(accessRoles), r.field)
		require.NotContains(t, byField, r.field, "two rows for %s", r.field)
		byField[r.field] = r
	}
	// Every root field has a row: a new field cannot ship untested.
	fields := accessRootFields()
	for _, f := range fields {
		require.Contains(t, byField, f, "root field %s has no row in accessMatrix: write down who may use it", f)
	}
	for f := range byField {
		require.Contains(t, fields, f, "accessMatrix has a row for %s, which the schema does not have", f)
	}
	// Where this table and graph.RootPolicy differ, say so (the requests below decide pass or fail).
	for _, r := range rows {
		for _, role := range accessRoles {
			if want, got := r.allows(role), slices.Contains(graph.RootPolicy[r.field], role); want != got {
				t.Logf("policy differs: %s for %s: this test says allowed=%v, graph.RootPolicy says %v", r.field, role, want, got)
			}
		}
	}

	// The full matrix on SQLite; on PostgreSQL a sample of each kind (the policy does not depend on
	// the store, the plumbing that refuses before any write does).
	pgSample := []string{"Query.orders", "Query.inventoryMovements", "Mutation.placeOrder", "Mutation.cancelOrder",
		"Mutation.receiveStock", "Mutation.createAPIKey", "Subscription.orderUpdated"}
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newAccessFixture(t, url)
		for _, r := range rows {
			if strings.HasSuffix(t.Name(), "postgres") && !slices.Contains(pgSample, r.field) {
				continue
			}
			t.Run(r.field, func(t *testing.T) { accessRunRow(t, f, r) })
		}
		f.srv.Audit(t)
	})
}

// accessRunRow runs one row: the refused callers first (no key, then denied roles), then the allowed.
func accessRunRow(t *testing.T, f *accessFixture, r accessRow) {
	op := r.prepare(t, f)
	type caller struct {
		name  string
		role  auth.Role
		key   string
		allow bool
	}
	callers := []caller{{name: "no key"}}
	for _, role := range accessRoles {
		// A partner's raw documents are refused whatever they ask: partners run persisted operations
		// only (TestPartnerRunsPersistedOperationsOnly runs the ones its column allows).
		callers = append(callers, caller{name: string(role), role: role, key: f.keys[role], allow: r.allows(role) && role != auth.Partner})
	}
	sort.SliceStable(callers, func(i, j int) bool { return !callers[i].allow && callers[j].allow })
	var base refusalBaseline
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			query, vars := op(c.role)
			var problem string
			if strings.HasPrefix(r.field, "Subscription.") {
				problem = accessCheckSubscription(t, f, r, c.key, c.role, c.allow, query, vars)
			} else {
				problem = accessCheckHTTP(t, f, r, &base, c.key, c.role, c.allow, query, vars)
			}
			switch {
			case problem == "":
			default:
				t.Error(problem)
			}
		})
	}
}

// refusalBaseline carries, from one refused caller of a row to the next (refusals run first, one
// after another), the store's state after the last refusal. The store counts as settled when two
// fingerprints taken apart agree; that carried state and one new reading are such a pair, so a
// refusal usually costs two fingerprints (before and after) instead of three: the fingerprint reads
// whole tables, and the matrix's store grows row by row.
type refusalBaseline struct{ state *inputStoreState }

// settled returns the store's state once what earlier rows set going in the background (jobs,
// relays) has finished: a reading that agrees with the one before it.
func (b *refusalBaseline) settled(t *testing.T, f *accessFixture) inputStoreState {
	before := inputFingerprint(t, f.srv)
	if b.state != nil && accessSameState(*b.state, before) {
		return before
	}
	for range 100 {
		time.Sleep(20 * time.Millisecond)
		again := inputFingerprint(t, f.srv)
		if accessSameState(before, again) {
			break
		}
		before = again
	}
	return before
}

// accessCheckHTTP sends one query or mutation and returns what is wrong with the answer, or "".
// Only a refusal must leave the store as it was: the store settled before it is the state it must
// be in after.
func accessCheckHTTP(t *testing.T, f *accessFixture, r accessRow, base *refusalBaseline, key string, role auth.Role, allow bool, query string, vars map[string]any) string {
	if allow {
		base.state = nil
		return accessCheckCall(t, f, r, key, role, allow, query, vars, nil)
	}
	before := base.settled(t, f)
	base.state = nil
	problem := accessCheckCall(t, f, r, key, role, allow, query, vars, &before)
	if problem == "" {
		base.state = &before // unchanged by the refusal: the state after it
	}
	return problem
}

// accessCheckCall sends the request and checks the answer; for a refusal, the store must still be
// in state *before.
func accessCheckCall(t *testing.T, f *accessFixture, r accessRow, key string, role auth.Role, allow bool, query string, vars map[string]any, before *inputStoreState) string {
	resp, err := f.srv.Client(key).Do(context.Background(), query, vars)
	require.NoError(t, err)
	codes := make([]string, len(resp.Errors))
	for i, e := range resp.Errors {
		codes[i] = e.Code()
	}
	if allow {
		if slices.Contains(codes, "FORBIDDEN") || slices.Contains(codes, "UNAUTHENTICATED") || slices.Contains(codes, "INTERNAL") {
			return "refused or failed, want allowed: " + accessErrors(resp.Errors)
		}
		if len(resp.Errors) > 0 {
			// Every operation of the table is built to succeed for a caller who may run it.
			return "allowed, but failed: " + accessErrors(resp.Errors)
		}
		return ""
	}
	want := "FORBIDDEN"
	if key == "" {
		want = "UNAUTHENTICATED"
	}
	field := r.field[strings.Index(r.field, ".")+1:]
	switch {
	case resp.Code() != want:
		return "answered " + accessErrors(resp.Errors) + " data " + string(resp.Data) + ", want " + want
	case role == auth.Partner && !strings.Contains(resp.Errors[0].Message, "persisted operations only"):
		return "a partner's raw document was refused for another reason: " + resp.Errors[0].Message
	case want == "FORBIDDEN" && role != auth.Partner && !strings.Contains(resp.Errors[0].Message, field):
		return "the refusal does not name the field: " + resp.Errors[0].Message
	case strings.Contains(string(resp.Data), `"id"`) || strings.Contains(string(resp.Data), "totalCount"):
		return "refused, but data leaked: " + string(resp.Data)
	}
	if !accessSameState(*before, inputFingerprint(t, f.srv)) {
		return "refused, but the store changed"
	}
	return ""
}

func accessSameState(a, b inputStoreState) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func accessErrors(errs []ordotest.Error) string {
	b, _ := json.Marshal(errs)
	return string(b)
}

// accessCheckSubscription opens one subscription and returns what is wrong with how it went, or "".
// An allowed one must deliver the change its row's trigger makes; a refused one must end with
// FORBIDDEN, or for partners and missing keys never get past connection_init (4403, 4401).
func accessCheckSubscription(t *testing.T, f *accessFixture, r accessRow, key string, role auth.Role, allow bool, query string, vars map[string]any) string {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	sub, err := f.srv.Subscribe(ctx, key, query, vars)
	if key == "" || role == auth.Partner {
		want := server.CloseForbidden
		if key == "" {
			want = server.CloseUnauthorized
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != want {
			if sub != nil {
				sub.Close()
			}
			return "subscribing gave " + accessErrString(err) + ", want close code " + accessItoa(want)
		}
		if allow {
			return "allowed by the table, but no partner may hold a stream (server refuses with 4403)"
		}
		return ""
	}
	if err != nil {
		return "subscribe: " + err.Error()
	}
	defer sub.Close()
	msgs := make(chan ordotest.Message, 16)
	go func() {
		defer close(msgs)
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				return
			}
			msgs <- m
			if m.Done {
				return
			}
		}
	}()
	if !allow {
		m, ok := <-msgs
		if !ok || len(m.Errors) == 0 || m.Errors[0].Code() != "FORBIDDEN" {
			return "want one FORBIDDEN error, got " + accessErrors(m.Errors) + " data " + string(m.Data)
		}
		if len(m.Data) > 0 && string(m.Data) != "null" {
			return "refused, but data sent: " + string(m.Data)
		}
		return ""
	}
	// The subscription is registered some time after subscribe is sent, so change the store until
	// the subscriber hears about it.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	r.trigger(f, t)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return "the stream ended before delivering a change"
			}
			if len(m.Errors) > 0 || len(m.Data) == 0 || string(m.Data) == "null" {
				return "got " + accessErrors(m.Errors) + " data " + string(m.Data) + ", want a change"
			}
			return ""
		case <-tick.C:
			r.trigger(f, t)
		case <-ctx.Done():
			return "no change delivered before the deadline"
		}
	}
}

func accessErrString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

func accessItoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// accessIDs decodes the ids of a connection's edges at data[field].
func accessIDs(t *testing.T, resp *ordotest.Response, field string) []pulid.ID {
	t.Helper()
	require.Empty(t, resp.Errors)
	var data map[string]struct {
		Edges []struct{ Node struct{ ID pulid.ID } }
	}
	require.NoError(t, resp.Decode(&data))
	var ids []pulid.ID
	for _, e := range data[field].Edges {
		ids = append(ids, e.Node.ID)
	}
	slices.Sort(ids)
	return ids
}

func accessSorted(ids ...pulid.ID) []pulid.ID { slices.Sort(ids); return ids }

func TestStorefrontRowLevel(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := context.Background()
		loc := srv.Location(t, "ROW-A", 1).ID
		srv.SKU(t, "ROW-1", map[pulid.ID]int64{loc: 100})
		admin := srv.Admin()
		type placed struct {
			PlaceOrder struct {
				Order struct {
					ID, CustomerID pulid.ID
					Number         string
					Lines          []struct{ ID pulid.ID }
					Allocations    []struct{ ID pulid.ID }
				}
			}
		}
		const place = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
			order { id customerID number lines { id } allocations { id } } } }`
		order := func(c *ordotest.Client, customer map[string]any) placed {
			var p placed
			in := map[string]any{"lines": []any{map[string]any{"sku": "ROW-1", "quantity": 1}}, "customer": customer}
			if c == admin {
				in["paid"] = true // storefronts may not say so
			}
			c.MustDo(t, place, map[string]any{"in": in}, &p)
			return p
		}
		a1 := order(admin, map[string]any{"email": "a@example.com"})
		b1 := order(admin, map[string]any{"email": "b@example.com", "name": "Bea Secret", "phone": "+66 81 000 0000"})
		cusA, cusB := a1.PlaceOrder.Order.CustomerID, b1.PlaceOrder.Order.CustomerID
		sfA := srv.Client(srv.Key(t, auth.Storefront, &cusA))
		// A customer's key orders for that customer whatever it asks for.
		a2 := order(sfA, map[string]any{"email": "b@example.com"})
		require.Equal(t, cusA, a2.PlaceOrder.Order.CustomerID, "a customer's key placed an order for another customer")
		sfFree := srv.Client(srv.Key(t, auth.Storefront, nil))
		free := order(sfFree, map[string]any{"email": "guest@example.com"})
		idA1, idA2, idB1 := a1.PlaceOrder.Order.ID, a2.PlaceOrder.Order.ID, b1.PlaceOrder.Order.ID

		do := func(c *ordotest.Client, q string, vars map[string]any) *ordotest.Response {
			t.Helper()
			resp, err := c.Do(ctx, q, vars)
			require.NoError(t, err)
			return resp
		}
		// noLeak fails when anything of B's shows in a response.
		noLeak := func(t *testing.T, resp *ordotest.Response, asked ...pulid.ID) {
			t.Helper()
			raw, _ := json.Marshal(resp)
			for _, secret := range []string{string(idB1), b1.PlaceOrder.Order.Number, string(cusB), "b@example.com", "Bea Secret", "+66 81"} {
				if slices.Contains(asked, pulid.ID(secret)) {
					continue // an error may repeat the id the caller sent
				}
				require.NotContains(t, string(raw), secret, "customer B's data leaked")
			}
		}
		const orders = `{ orders { edges { node { id } } } }`

		t.Run("orders", func(t *testing.T) {
			resp := do(sfA, orders, nil)
			require.Equal(t, accessSorted(idA1, idA2), accessIDs(t, resp, "orders"))
			resp = do(sfA, `query($c: ID!) { orders(where: {customerID: $c}) { edges { node { id } } } }`, map[string]any{"c": cusB})
			require.Empty(t, accessIDs(t, resp, "orders"))
			resp = do(sfFree, orders, nil)
			require.Equal(t, []pulid.ID{free.PlaceOrder.Order.ID}, accessIDs(t, resp, "orders"), "an unbound key sees the orders it placed, only")
			resp = do(admin, orders, nil)
			require.Len(t, accessIDs(t, resp, "orders"), 4)
		})
		t.Run("node and nodes", func(t *testing.T) {
			for _, id := range []pulid.ID{idB1, cusB, b1.PlaceOrder.Order.Lines[0].ID, b1.PlaceOrder.Order.Allocations[0].ID} {
				resp := do(sfA, `query($id: ID!) { node(id: $id) { id ... on Order { number } ... on Customer { email } } }`, map[string]any{"id": id})
				noLeak(t, resp, id)
				require.JSONEq(t, `{"node": null}`, string(resp.Data), "node(%s)", id)
				if len(resp.Errors) > 0 {
					require.Equal(t, "NOT_FOUND", resp.Code())
				}
			}
			resp := do(sfA, `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { number } } }`, map[string]any{"ids": []pulid.ID{idA1, idB1}})
			noLeak(t, resp, idB1)
			require.JSONEq(t, `{"nodes": [{"id": "`+string(idA1)+`", "number": "`+a1.PlaceOrder.Order.Number+`"}, null]}`, string(resp.Data))
			resp = do(sfA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": idA1})
			require.Empty(t, resp.Errors)
			require.Contains(t, string(resp.Data), string(idA1))
			resp = do(sfFree, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": idA1})
			noLeak(t, resp)
			require.JSONEq(t, `{"node": null}`, string(resp.Data))
		})
		t.Run("customers", func(t *testing.T) {
			resp := do(sfA, `{ customers { edges { node { id email orders { edges { node { id } } } } } } }`, nil)
			noLeak(t, resp)
			require.Equal(t, []pulid.ID{cusA}, accessIDs(t, resp, "customers"))
			resp = do(sfFree, `{ customers { edges { node { id } } } }`, nil)
			noLeak(t, resp)
			require.Empty(t, free.PlaceOrder.Order.CustomerID, "an unbound key's order is a guest order")
			require.Empty(t, accessIDs(t, resp, "customers"))
		})
		t.Run("commands on another customer's order", func(t *testing.T) {
			before := inputFingerprint(t, srv)
			resp := do(sfA, `mutation($id: ID!) { requestOrderCancellation(input: {orderID: $id, reason: "mine now"}) { order { id } } }`,
				map[string]any{"id": idB1})
			require.Equal(t, "NOT_FOUND", resp.Code(), "%+v", resp.Errors)
			noLeak(t, resp, idB1)
			require.Equal(t, before, inputFingerprint(t, srv))
		})
		t.Run("orderUpdated", func(t *testing.T) {
			sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			keyA := srv.Key(t, auth.Storefront, &cusA)
			all, err := srv.Subscribe(sctx, keyA, `subscription { orderUpdated { id status } }`, nil)
			require.NoError(t, err)
			defer all.Close()
			onlyB, err := srv.Subscribe(sctx, keyA, `subscription($id: ID!) { orderUpdated(filter: {orderID: $id}) { id status } }`, map[string]any{"id": idB1})
			require.NoError(t, err)
			defer onlyB.Close()
			got := make(chan ordotest.Message, 64)
			go func() {
				for {
					m, err := all.Next(sctx)
					if err != nil {
						close(got)
						return
					}
					got <- m
				}
			}()
			// Change B's order, then A's, until A's change arrives: B's, committed first each time,
			// would have arrived before it.
			held := false
			toggle := func(id pulid.ID) {
				cmd := "holdOrder"
				if held {
					cmd = "releaseOrderHold"
				}
				admin.MustDo(t, accessCommand(cmd), map[string]any{"id": id}, nil)
			}
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
		wait:
			for {
				toggle(idB1)
				toggle(idA1)
				held = !held
				select {
				case m, ok := <-got:
					require.True(t, ok, "the stream ended")
					require.Empty(t, m.Errors)
					var d struct{ OrderUpdated struct{ ID pulid.ID } }
					require.NoError(t, json.Unmarshal(m.Data, &d))
					require.Equal(t, idA1, d.OrderUpdated.ID, "the first change a storefront hears of must be its own order's")
					break wait
				case <-tick.C:
				case <-sctx.Done():
					t.Fatal("A's change never arrived")
				}
			}
			// The subscription filtered on B's order hears nothing, though B's order changed at least
			// as often as A's. (Absence can only be waited for: give it a moment.)
			short, cancelShort := context.WithTimeout(ctx, 500*time.Millisecond)
			defer cancelShort()
			m, err := onlyB.Next(short)
			require.Error(t, err, "a storefront heard of another customer's order: %s %+v", m.Data, m.Errors)
		})
		srv.Audit(t)
	})
}

func TestAccessTypePolicy(t *testing.T) {
	srv := ordotest.Start(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	loc := srv.Location(t, "TYP-A", 1).ID
	srv.SKU(t, "TYP-1", map[pulid.ID]int64{loc: 5})
	mov, err := srv.Inst.DB.Client.InventoryMovement.Query().First(ctx)
	require.NoError(t, err)
	var ch struct{ CreateChannel struct{ ID pulid.ID } }
	srv.Admin().MustDo(t, `mutation { createChannel(input: {kind: POS, name: "till"}) { id } }`, nil, &ch)
	var placed struct {
		PlaceOrder struct{ Order struct{ ID pulid.ID } }
	}
	srv.Admin().MustDo(t, accessPlace, map[string]any{"in": map[string]any{
		"lines": []any{map[string]any{"sku": "TYP-1", "quantity": 1}}, "paid": true,
		"customer": map[string]any{"email": "typ@example.com"}}}, &placed)

	const nodeQ = `query($id: ID!) { node(id: $id) { id ... on InventoryMovement { onHandDelta } ... on Channel { name } } }`
	tests := []struct {
		name  string
		role  auth.Role
		query string
		id    pulid.ID
		want  string // "" allowed, else the first error's code
	}{
		{name: "support reads a movement by node", role: auth.Support, query: nodeQ, id: mov.ID, want: "FORBIDDEN"},
		{name: "storefront reads a movement by node", role: auth.Storefront, query: nodeQ, id: mov.ID, want: "FORBIDDEN"},
		{name: "operator reads a movement by node", role: auth.Operator, query: nodeQ, id: mov.ID},
		{name: "storefront reads a channel by node", role: auth.Storefront, query: nodeQ, id: ch.CreateChannel.ID, want: "FORBIDDEN"},
		{name: "storefront reads stock levels through a variant", role: auth.Storefront, id: loc,
			query: `query($id: ID!) { node(id: $id) { id } variants(first: 10) { edges { node { inventoryLevels { totalCount edges { node { onHand reserved } } } } } } }`,
			want:  "FORBIDDEN"},
		{name: "support reads an order's customer", role: auth.Support, id: placed.PlaceOrder.Order.ID,
			query: `query($id: ID!) { node(id: $id) { ... on Order { customer { email } } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := srv.Client(srv.Key(t, tc.role, nil)).Do(ctx, tc.query, map[string]any{"id": tc.id})
			require.NoError(t, err)
			if tc.want == "" {
				require.Empty(t, resp.Errors)
				return
			}
			require.Equal(t, tc.want, resp.Code(), "%+v", resp.Errors)
			require.NotContains(t, string(resp.Data), "onHandDelta")
			require.NotContains(t, string(resp.Data), "typ@example.com")
			require.NotContains(t, string(resp.Data), "till")
		})
	}
}

func TestAccessWebsocketAuth(t *testing.T) {
	srv := ordotest.Start(t, dbtest.SQLiteURL(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec, revoked, err := srv.Inst.Keys.Create(ctx, "old", auth.Operator, nil)
	require.NoError(t, err)
	require.NoError(t, srv.Inst.Keys.Revoke(ctx, rec.ID))
	const q = `subscription { orderUpdated { id } }`
	tests := []struct {
		name string
		key  string
		code int
	}{
		{name: "no key", key: "", code: server.CloseUnauthorized},
		{name: "bad key", key: "ordo_notakey", code: server.CloseUnauthorized},
		{name: "not an ordo key", key: "hunter2", code: server.CloseUnauthorized},
		{name: "revoked key", key: revoked, code: server.CloseUnauthorized},
		{name: "partner", key: srv.Key(t, auth.Partner, nil), code: server.CloseForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := srv.Subscribe(ctx, tc.key, q, nil)
			if sub != nil {
				sub.Close()
			}
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce, "the socket must be closed with a code")
			require.Equal(t, tc.code, ce.Code, ce.Text)
		})
	}
	t.Run("operator is accepted", func(t *testing.T) {
		sub, err := srv.Subscribe(ctx, srv.Key(t, auth.Operator, nil), q, nil)
		require.NoError(t, err)
		sub.Close()
	})
}

// refundRow is a row for a refund, exchange or claim command: op brings a new order or return to
// the state the command starts from, for each caller.
func refundRow(field, allow string, op func(t *testing.T, f *accessFixture) (string, map[string]any)) accessRow {
	return accessRow{field: "Mutation." + field, allow: allow, prepare: func(t *testing.T, f *accessFixture) accessOp {
		return func(auth.Role) (string, map[string]any) { return op(t, f) }
	}}
}

// accessCandidates records one listing in review per role (and one for a caller with no key) on
// the fixture's channel, for a role's decision on it.
func accessCandidates(t *testing.T, f *accessFixture, what string) map[auth.Role]pulid.ID {
	out := map[auth.Role]pulid.ID{}
	for _, role := range append([]auth.Role{""}, accessRoles...) {
		c, err := f.srv.Inst.DB.Client.ListingCandidate.Create().SetChannelID(f.connected).
			SetExternalID(what + "-" + string(role)).SetSellerSku("UNKNOWN-" + string(role)).
			SetStatus(listingcandidate.StatusREVIEW).SetReason(listingcandidate.ReasonNONE).Save(context.Background())
		require.NoError(t, err)
		out[role] = c.ID
	}
	return out
}
