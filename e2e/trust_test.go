package e2e_test

// Design §5.7, the other half: everyone says only what they may. A storefront places orders at the
// catalogue's prices and never reaches a customer it is not bound to; no role filters its way to
// rows or fields it may not read; a partner sees and acts at its own locations only; a revoked key's
// open websockets are closed on every replica.

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/server"
)

const trustPlace = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
	order { id status paymentStatus priority shipBy contactEmail customer { id name phone email } total { amount } lines { unitPrice { amount } } } } }`

type trustPlaced struct {
	PlaceOrder struct {
		Order struct {
			ID            pulid.ID
			Status        string
			PaymentStatus string
			Priority      int
			ShipBy        *string
			ContactEmail  string
			Customer      *struct{ ID, Name, Phone, Email string }
			Total         struct{ Amount int64 }
			Lines         []struct{ UnitPrice struct{ Amount int64 } }
		}
	}
}

func trustDo(t *testing.T, c *ordotest.Client, q string, vars map[string]any) *ordotest.Response {
	t.Helper()
	res, err := c.Do(context.Background(), q, vars)
	require.NoError(t, err)
	return res
}

// TestStorefrontCannotSetPricesPaymentOrPriority sends every field a storefront may not set, in
// variables and inline, as a bound and an unbound storefront key: each is FORBIDDEN, names the field,
// and the store does not change. What it may send places an order at the catalogue's price, unpaid,
// at normal priority.
func TestStorefrontCannotSetPricesPaymentOrPriority(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "TR-A", 1)
		srv.SKU(t, "TR-1", map[pulid.ID]int64{loc.ID: 10}) // 1000 minor units each
		var ch struct{ CreateChannel struct{ ID pulid.ID } }
		srv.Admin().MustDo(t, `mutation { createChannel(input: {kind: SHOPIFY, name: "tr shop"}) { id } }`, nil, &ch)
		var first trustPlaced
		srv.Admin().MustDo(t, trustPlace, map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": "TR-1", "quantity": 1}}, "customer": map[string]any{"email": "known@example.com"}}}, &first)
		cus := pulid.ID(first.PlaceOrder.Order.Customer.ID)
		keys := map[string]*ordotest.Client{
			"unbound": srv.Client(srv.Key(t, auth.Storefront, nil)),
			"bound":   srv.Client(srv.Key(t, auth.Storefront, &cus)),
		}
		line := map[string]any{"sku": "TR-1", "quantity": 1}
		refused := []struct {
			field  string
			set    map[string]any // merged into the input
			inline string         // the same, written in the document
		}{
			{"PlaceOrderLineInput.unitPrice", map[string]any{"lines": []any{map[string]any{"sku": "TR-1", "quantity": 1, "unitPrice": 0}}}, `lines: [{sku: "TR-1", quantity: 1, unitPrice: 0}]`},
			{"PlaceOrderInput.paid", map[string]any{"paid": true}, `paid: true`},
			{"PlaceOrderInput.priority", map[string]any{"priority": 1000}, `priority: 1000`},
			{"PlaceOrderInput.shipBy", map[string]any{"shipBy": "2026-12-24T00:00:00Z"}, `shipBy: "2026-12-24T00:00:00Z"`},
			{"PlaceOrderInput.shippingAmount", map[string]any{"shippingAmount": 0}, `shippingAmount: 0`},
			{"PlaceOrderInput.discountAmount", map[string]any{"discountAmount": 1000}, `discountAmount: 1000`},
			{"PlaceOrderInput.taxAmount", map[string]any{"taxAmount": 0}, `taxAmount: 0`},
			{"PlaceOrderInput.channelID", map[string]any{"channelID": ch.CreateChannel.ID}, `channelID: "` + string(ch.CreateChannel.ID) + `"`},
			{"PlaceOrderInput.externalID", map[string]any{"channelID": nil, "externalID": "X-1"}, `externalID: "X-1"`},
			{"PlaceOrderInput.allowBackorder", map[string]any{"allowBackorder": true}, `allowBackorder: true`},
			{"PlaceOrderInput.customerID", map[string]any{"customerID": cus}, `customerID: "` + string(cus) + `"`},
		}
		before := inputFingerprint(t, srv)
		for name, c := range keys {
			for _, r := range refused {
				in := map[string]any{"lines": []any{line}}
				for k, v := range r.set {
					in[k] = v
				}
				res := trustDo(t, c, trustPlace, map[string]any{"in": in})
				require.Equal(t, "FORBIDDEN", res.Code(), "%s key setting %s: %+v", name, r.field, res.Errors)
				require.Contains(t, res.Errors[0].Message, r.field)
				doc := `mutation { placeOrder(input: {` + r.inline + `}) { order { id } } }`
				if r.field != "PlaceOrderLineInput.unitPrice" {
					doc = `mutation { placeOrder(input: {lines: [{sku: "TR-1", quantity: 1}], ` + r.inline + `}) { order { id } } }`
				}
				res = trustDo(t, c, doc, nil)
				require.Equal(t, "FORBIDDEN", res.Code(), "%s key setting %s inline: %+v", name, r.field, res.Errors)
				require.Contains(t, res.Errors[0].Message, r.field)
			}
		}
		require.Equal(t, before, inputFingerprint(t, srv), "a refused order changed the store")

		for name, c := range keys {
			var p trustPlaced
			c.MustDo(t, trustPlace, map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": "TR-1", "quantity": 2}}, "note": name}}, &p)
			o := p.PlaceOrder.Order
			require.Equal(t, int64(2000), o.Total.Amount, "the catalogue's price")
			require.Equal(t, int64(1000), o.Lines[0].UnitPrice.Amount)
			require.Equal(t, "PENDING_PAYMENT", o.Status)
			require.Equal(t, "PENDING", o.PaymentStatus)
			require.Zero(t, o.Priority)
			require.Nil(t, o.ShipBy)
		}
		srv.Audit(t)
	})
}

// victimState is everything stored about a customer and their orders.
type victimState struct {
	Customer *ent.Customer
	Orders   []*ent.Order
}

func victimFingerprint(t *testing.T, srv *ordotest.Server, id pulid.ID) string {
	t.Helper()
	ctx := context.Background()
	c := srv.Inst.DB.Client
	cu, err := c.Customer.Query().Where(customer.ID(id)).Only(ctx)
	require.NoError(t, err)
	os, err := c.Order.Query().Where(order.CustomerID(id)).Order(ent.Asc(order.FieldID)).WithLines().WithAllocations().All(ctx)
	require.NoError(t, err)
	raw, err := json.Marshal(victimState{cu, os})
	require.NoError(t, err)
	return string(raw)
}

// TestGuestOrderLearnsNothingAboutACustomer: an unbound storefront key that names an existing
// customer's email places a guest order that is not theirs; it reads nothing of theirs (name, phone,
// orders), cannot probe them through filters, and the customer and their orders are unchanged.
func TestGuestOrderLearnsNothingAboutACustomer(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "GU-A", 1)
		srv.SKU(t, "GU-1", map[pulid.ID]int64{loc.ID: 10})
		admin := srv.Admin()
		var v trustPlaced
		admin.MustDo(t, trustPlace, map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": "GU-1", "quantity": 1}}, "paid": true,
			"customer": map[string]any{"email": "victim@example.com", "name": "Vic Secret", "phone": "+84 90 111 2222"}}}, &v)
		victim := pulid.ID(v.PlaceOrder.Order.Customer.ID)
		before := victimFingerprint(t, srv, victim)

		sf := srv.Client(srv.Key(t, auth.Storefront, nil))
		var p trustPlaced
		sf.MustDo(t, trustPlace, map[string]any{"in": map[string]any{
			"lines":    []any{map[string]any{"sku": "GU-1", "quantity": 1}},
			"customer": map[string]any{"email": " Victim@Example.com ", "name": "Mallory", "phone": "+1 555"}}}, &p)
		o := p.PlaceOrder.Order
		require.Nil(t, o.Customer, "a guest order attaches to no customer")
		require.Equal(t, "victim@example.com", o.ContactEmail, "the email is kept on the order")

		secrets := []string{string(victim), "Vic Secret", "+84 90", string(v.PlaceOrder.Order.ID)}
		probes := []struct {
			query string
			code  string // "" when the query is answered (with nothing of the victim's)
		}{
			{`{ customers { edges { node { id name phone email } } } }`, ""},
			{`{ orders { edges { node { id customer { id name phone } } } } }`, ""},
			{`query($id: ID!) { node(id: $id) { id ... on Customer { name phone } } }`, ""},
			{`{ customers(where: {hasOrdersWith: {statusNEQ: CANCELLED}}) { totalCount } }`, "FORBIDDEN"},
			{`query($w: CustomerWhereInput) { customers(where: $w) { totalCount } }`, "FORBIDDEN"},
			{`{ orders(where: {hasCustomerWith: {email: "victim@example.com"}}) { totalCount } }`, "FORBIDDEN"},
			{`{ customers(where: {emailContains: "victim"}) { edges { node { id } } } }`, ""},
			// Per-location stock, which storefronts may not read, through a filter.
			{`{ variants(where: {hasInventoryLevelsWith: {onHandGT: 0}}) { totalCount } }`, "FORBIDDEN"},
			{`{ locations(where: {hasInventoryLevelsWith: {reservedGT: 0}}) { totalCount } }`, "FORBIDDEN"},
		}
		for _, pr := range probes {
			res := trustDo(t, sf, pr.query, map[string]any{"id": victim,
				"w": map[string]any{"or": []any{map[string]any{"hasOrdersWith": []any{map[string]any{"paymentStatus": "PAID"}}}}}})
			raw, _ := json.Marshal(res)
			for _, s := range secrets {
				if pr.code == "" || s != string(victim) {
					require.NotContains(t, string(raw), s, "%s revealed the customer", pr.query)
				}
			}
			if pr.code != "" {
				require.Equal(t, pr.code, res.Code(), "%s", pr.query)
			}
		}
		var mine struct{ Orders struct{ TotalCount int } }
		sf.MustDo(t, `{ orders { totalCount } }`, nil, &mine)
		require.Equal(t, 1, mine.Orders.TotalCount, "the key sees its own guest order only")
		require.Equal(t, before, victimFingerprint(t, srv, victim), "the customer or their orders changed")
	})
}

// TestPartnerSeesAndActsAtItsLocationsOnly: a partner key bound to one location (through
// createAPIKey) sees the orders allocated there and the stock there, and acts there only.
func TestPartnerSeesAndActsAtItsLocationsOnly(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		mine, other := srv.Location(t, "3PL-MINE", 1), srv.Location(t, "3PL-OTHER", 2)
		srv.SKU(t, "PA-MINE", map[pulid.ID]int64{mine.ID: 10})
		srv.SKU(t, "PA-OTHER", map[pulid.ID]int64{other.ID: 10})
		place := func(sku string) pulid.ID {
			var p trustPlaced
			admin.MustDo(t, trustPlace, map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": sku, "quantity": 1}}, "paid": true}}, &p)
			return p.PlaceOrder.Order.ID
		}
		atMine, atOther := place("PA-MINE"), place("PA-OTHER")

		const create = `mutation($in: CreateAPIKeyInput!) { createAPIKey(input: $in) { key viewer { role locationIDs } } }`
		res := trustDo(t, admin, create, map[string]any{"in": map[string]any{"name": "3pl", "role": "PARTNER"}})
		require.Equal(t, "INVALID_ARGUMENT", res.Code(), "a partner key needs its locations")
		res = trustDo(t, admin, create, map[string]any{"in": map[string]any{"name": "shop", "role": "STOREFRONT", "locationIDs": []any{mine.ID}}})
		require.Equal(t, "INVALID_ARGUMENT", res.Code(), "only partners are bound to locations")
		var k struct {
			CreateAPIKey struct {
				Key    string
				Viewer struct{ LocationIDs []pulid.ID }
			}
		}
		admin.MustDo(t, create, map[string]any{"in": map[string]any{"name": "3pl", "role": "PARTNER", "locationIDs": []any{mine.ID}}}, &k)
		require.Equal(t, []pulid.ID{mine.ID}, k.CreateAPIKey.Viewer.LocationIDs)
		partner := srv.Client(k.CreateAPIKey.Key)

		res = persisted(t, partner, "PartnerOrdersToFulfil", nil)
		require.Empty(t, res.Errors)
		var list struct {
			Orders struct {
				Edges []struct{ Node struct{ ID pulid.ID } }
			}
		}
		require.NoError(t, res.Decode(&list))
		require.Len(t, list.Orders.Edges, 1)
		require.Equal(t, atMine, list.Orders.Edges[0].Node.ID)

		res = persisted(t, partner, "PartnerStockLevels", map[string]any{"locationIDs": []any{mine.ID, other.ID}})
		require.Empty(t, res.Errors)
		var levels struct {
			InventoryLevels struct {
				Edges []struct {
					Node struct{ Location struct{ ID pulid.ID } }
				}
			}
		}
		require.NoError(t, res.Decode(&levels))
		require.NotEmpty(t, levels.InventoryLevels.Edges)
		for _, e := range levels.InventoryLevels.Edges {
			require.Equal(t, mine.ID, e.Node.Location.ID, "a partner saw stock elsewhere")
		}

		before := inputFingerprint(t, srv)
		res = persisted(t, partner, "PartnerStartPicking", map[string]any{"orderID": atOther})
		require.Equal(t, "NOT_FOUND", res.Code(), "%+v", res.Errors)
		res = persisted(t, partner, "PartnerReceiveStock", map[string]any{"sku": "PA-OTHER", "locationID": other.ID, "quantity": 5})
		require.Equal(t, "FORBIDDEN", res.Code(), "%+v", res.Errors)
		require.Equal(t, before, inputFingerprint(t, srv), "a refused partner command changed the store")

		res = persisted(t, partner, "PartnerStartPicking", map[string]any{"orderID": atMine})
		require.Empty(t, res.Errors)
		res = persisted(t, partner, "PartnerReceiveStock", map[string]any{"sku": "PA-MINE", "locationID": mine.ID, "quantity": 5})
		require.Empty(t, res.Errors)
		srv.Audit(t)
	})
}

// TestRevokedKeyClosesSocketsOnEveryReplica opens live streams with one key on two Ordo servers
// sharing one store, revokes the key through one of them, and waits for both sockets to be closed
// with 4401 and a reason, within 5 s. Another key's stream stays open.
func TestRevokedKeyClosesSocketsOnEveryReplica(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		a, b := ordotest.Start(t, url), (*ordotest.Server)(nil)
		if strings.HasPrefix(url, "postgres") {
			b = ordotest.Start(t, url) // a second replica on the same store
		} else {
			b = a // one SQLite file, one process
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		rec, secret, err := a.Inst.Keys.Create(ctx, "console", auth.Support, nil)
		require.NoError(t, err)
		const q = `subscription { orderEvents { cursor } }`
		var subs []*ordotest.Subscription
		for _, srv := range []*ordotest.Server{a, b, a, b} {
			sub, err := srv.Subscribe(ctx, secret, q, nil)
			require.NoError(t, err)
			defer sub.Close()
			subs = append(subs, sub)
		}
		other, err := b.Subscribe(ctx, b.Key(t, auth.Support, nil), q, nil)
		require.NoError(t, err)
		defer other.Close()

		var ok struct{ RevokeAPIKey bool }
		b.Admin().MustDo(t, `mutation($id: ID!) { revokeAPIKey(id: $id) }`, map[string]any{"id": rec.ID}, &ok)
		require.True(t, ok.RevokeAPIKey)
		revoked := time.Now()
		within, cancelWithin := context.WithTimeout(ctx, 5*time.Second)
		defer cancelWithin()
		deadline, _ := within.Deadline()
		for i, sub := range subs {
			var ce *websocket.CloseError
			for {
				m, err := sub.Next(within)
				if err == nil && m.Done {
					// The server completed the subscription; its reader stopped there, so read on
					// from the socket itself: the close frame follows.
					_ = sub.Conn().SetReadDeadline(deadline)
					for err == nil {
						_, _, err = sub.Conn().NextReader()
					}
				}
				if err == nil {
					continue // an event published before the revocation
				}
				require.True(t, errors.As(err, &ce), "socket %d: not closed within 5 s of the revocation: %v", i, err)
				break
			}
			require.Equal(t, server.CloseUnauthorized, ce.Code, ce.Text)
			require.Equal(t, auth.ErrRevoked.Error(), ce.Text)
		}
		t.Logf("every socket closed %v after the revocation", time.Since(revoked).Round(time.Millisecond))

		// The other key's stream still works: it hears the next order's events.
		loc := a.Location(t, "REV-A", 1)
		a.SKU(t, "REV-1", map[pulid.ID]int64{loc.ID: 1})
		a.Admin().MustDo(t, trustPlace, map[string]any{"in": map[string]any{"lines": []any{map[string]any{"sku": "REV-1", "quantity": 1}}}}, nil)
		m, err := other.Next(ctx)
		require.NoError(t, err, "another key's stream was closed")
		require.Empty(t, m.Errors)
	})
}
