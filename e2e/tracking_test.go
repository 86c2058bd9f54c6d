package e2e_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/trackingevent"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/shipping/easypost"
)

// simConfig are the credentials of the simulated carrier accounts.
var simConfig = carriersim.Config{
	EasyPostAPIKey: "EZTK_sim", EasyPostWebhookSecret: "ep-webhook-secret",
	NinjaVanClientID: "nv-client", NinjaVanClientSecret: "nv-secret",
	AfterShipAPIKey: "asat_sim", AfterShipWebhookSecret: "as-webhook-secret",
	JNTAPIAccount: "jnt-account", JNTPrivateKey: "jnt-private-key",
}

// carrierSim is the carrier simulator, served, with an Ordo carrier account connected to each of
// its carriers.
type carrierSim struct {
	*carriersim.Sim
	url string
	// hooks are the accounts' webhook URLs by kind; accounts their ids.
	hooks    map[shipping.CarrierKind]string
	accounts map[shipping.CarrierKind]pulid.ID
}

func newCarrierSim(t *testing.T, f *shipFixture) *carrierSim {
	sim := carriersim.New(simConfig)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	sim.SetBase(ts.URL)
	c := &carrierSim{Sim: sim, url: ts.URL, hooks: map[shipping.CarrierKind]string{}, accounts: map[shipping.CarrierKind]pulid.ID{}}
	for _, a := range []struct {
		kind    shipping.CarrierKind
		base    string
		secrets map[string]any
	}{
		{shipping.EasyPost, sim.EasyPostURL(), map[string]any{"apiKey": simConfig.EasyPostAPIKey, "webhookSecret": simConfig.EasyPostWebhookSecret}},
		{shipping.NinjaVan, sim.NinjaVanURL(), map[string]any{"clientID": simConfig.NinjaVanClientID, "clientSecret": simConfig.NinjaVanClientSecret, "countryCode": "sg"}},
		{shipping.AfterShip, sim.AfterShipURL(), map[string]any{"apiKey": simConfig.AfterShipAPIKey, "webhookSecret": simConfig.AfterShipWebhookSecret}},
		{shipping.JNT, "", map[string]any{"webhookSecret": simConfig.JNTPrivateKey}},
	} {
		var out struct {
			ConnectCarrier struct {
				CarrierAccount struct{ ID, WebhookURL string }
			}
		}
		f.admin.MustDo(t, `mutation($in: ConnectCarrierInput!) { connectCarrier(input: $in) { carrierAccount { id webhookURL } } }`,
			map[string]any{"in": map[string]any{"kind": string(a.kind), "name": string(a.kind) + " sim", "baseURL": a.base, "secrets": a.secrets}}, &out)
		require.Equal(t, f.srv.URL+"/webhooks/carriers/"+out.ConnectCarrier.CarrierAccount.ID, out.ConnectCarrier.CarrierAccount.WebhookURL)
		c.hooks[a.kind] = out.ConnectCarrier.CarrierAccount.WebhookURL
		c.accounts[a.kind] = pulid.ID(out.ConnectCarrier.CarrierAccount.ID)
	}
	return c
}

// easyPostTracker opens an EasyPost tracker for a tracking number, as buying a label would.
func (c *carrierSim) easyPostTracker(t *testing.T, tn string) {
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.EasyPostURL()+"/v2/trackers",
		bytes.NewReader([]byte(`{"tracker":{"tracking_code":"`+tn+`"}}`)))
	require.NoError(t, err)
	req.SetBasicAuth(simConfig.EasyPostAPIKey, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusCreated, resp.StatusCode)
}

// step moves a parcel and returns its webhook.
func (c *carrierSim) step(t *testing.T, tn string, st carriersim.Step) carriersim.Delivery {
	d, err := c.Advance(tn, st)
	require.NoError(t, err)
	return d
}

// send delivers a webhook n times and requires each answer to be want.
func (c *carrierSim) send(t *testing.T, kind shipping.CarrierKind, d carriersim.Delivery, n, want int) {
	for range n {
		status, err := c.Send(t.Context(), c.hooks[kind], d)
		require.NoError(t, err)
		require.Equal(t, want, status)
	}
}

// splitOrder places an order of a SKU split between the fixture's warehouses and plans it.
func splitOrder(t *testing.T, f *shipFixture, sku string) (orderID string, shipments []shipmentResult) {
	f.stock(t, sku, map[string]int{"BKK": 1, "JKT": 1})
	var out struct {
		PlaceOrder struct{ Order routedOrderResult }
	}
	f.admin.MustDo(t, routedOrder, map[string]any{"sku": sku, "q": 2}, &out)
	shipments = f.plan(t, out.PlaceOrder.Order.ID)
	require.Len(t, shipments, 2)
	return out.PlaceOrder.Order.ID, shipments
}

func loadShipment(t *testing.T, f *shipFixture, id string) *ent.Shipment {
	sh, err := f.srv.Inst.DB.Client.Shipment.Get(context.Background(), pulid.ID(id))
	require.NoError(t, err)
	return sh
}

func trackingEvents(t *testing.T, f *shipFixture, shipmentID string) int {
	q := f.srv.Inst.DB.Client.TrackingEvent.Query()
	if shipmentID != "" {
		q.Where(trackingevent.ShipmentID(pulid.ID(shipmentID)))
	}
	n, err := q.Count(context.Background())
	require.NoError(t, err)
	return n
}

// shipmentEvents are the events of a kind recorded about a shipment.
func shipmentEvents(t *testing.T, f *shipFixture, kind, shipmentID string) []*ent.Event {
	all, err := f.srv.Inst.DB.Client.Event.Query().Where(event.Type(kind)).Order(event.ByID()).All(context.Background())
	require.NoError(t, err)
	var out []*ent.Event
	for _, e := range all {
		if e.Data["shipmentID"] == shipmentID {
			out = append(out, e)
		}
	}
	return out
}

// moves counts a shipment's status changes to a status.
func moves(t *testing.T, f *shipFixture, shipmentID, to string) int {
	n := 0
	for _, e := range shipmentEvents(t, f, "shipment.status_changed", shipmentID) {
		if e.Data["to"] == to {
			n++
		}
	}
	return n
}

func TestTrackingWebhooksMoveShipmentsOnce(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		sim := newCarrierSim(t, f)
		t0 := time.Now().UTC().Truncate(time.Second).Add(-3 * time.Hour)

		// Order 1: one shipment with EasyPost, one with Ninja Van.
		o1, s1 := splitOrder(t, f, "TRK-1")
		sim.easyPostTracker(t, "EZ1000000001")
		sim.AddParcel(shipping.NinjaVan, "NVSG000000001")
		f.ship(t, s1[0].ID, "USPS", "EZ1000000001")
		f.ship(t, s1[1].ID, "Ninja Van", "NVSG000000001")

		// EasyPost resends the whole tracker: its later Event carries both scans. The later one
		// arrives first, three times, then the earlier one, three times.
		epTransit := sim.step(t, "EZ1000000001", carriersim.Step{Tag: shipping.InTransit, At: t0, City: "Memphis"})
		epDelivered := sim.step(t, "EZ1000000001", carriersim.Step{Tag: shipping.Delivered, At: t0.Add(time.Hour)})
		sim.send(t, shipping.EasyPost, epDelivered, 3, http.StatusOK)
		sim.send(t, shipping.EasyPost, epTransit, 3, http.StatusOK)
		ep := loadShipment(t, f, s1[0].ID)
		require.Equal(t, shipment.StatusDELIVERED, ep.Status)
		require.Equal(t, 1, moves(t, f, string(ep.ID), "DELIVERED"), "delivered once")
		require.Equal(t, 1, moves(t, f, string(ep.ID), "IN_TRANSIT"), "in transit once, on the way")
		require.Equal(t, 2, trackingEvents(t, f, string(ep.ID)), "each scan recorded once")
		require.NotNil(t, ep.DeliveredAt)
		require.True(t, t0.Add(time.Hour).Equal(*ep.DeliveredAt))

		// Ninja Van sends one webhook per event: Delivered first, then the older In Transit.
		nvTransit := sim.step(t, "NVSG000000001", carriersim.Step{Tag: shipping.InTransit, At: t0})
		nvDelivered := sim.step(t, "NVSG000000001", carriersim.Step{Tag: shipping.Delivered, At: t0.Add(2 * time.Hour)})

		// A tampered signature is refused and stores nothing.
		before := trackingEvents(t, f, "")
		tampered := carriersim.Delivery{Header: nvDelivered.Header.Clone(), Body: bytes.Replace(nvDelivered.Body, []byte("Delivered"), []byte("Deliverex"), 1)}
		require.NotEqual(t, nvDelivered.Body, tampered.Body)
		sim.send(t, shipping.NinjaVan, tampered, 1, http.StatusUnauthorized)
		unsigned := carriersim.Delivery{Header: http.Header{"Content-Type": {"application/json"}}, Body: nvDelivered.Body}
		sim.send(t, shipping.NinjaVan, unsigned, 1, http.StatusUnauthorized)
		// The right body, signed for another account, is refused too.
		sim.send(t, shipping.EasyPost, nvDelivered, 1, http.StatusUnauthorized)
		// A signed body that is not the carrier's format is 400.
		garbage := []byte(`{"object":"Nonsense"}`)
		sim.send(t, shipping.EasyPost, carriersim.Delivery{Header: http.Header{easypost.HeaderSignature: {easypost.Sign(simConfig.EasyPostWebhookSecret, garbage)}}, Body: garbage},
			1, http.StatusBadRequest)
		require.Equal(t, before, trackingEvents(t, f, ""))
		require.Equal(t, shipment.StatusSHIPPED, loadShipment(t, f, s1[1].ID).Status)

		sim.send(t, shipping.NinjaVan, nvDelivered, 3, http.StatusOK)
		sim.send(t, shipping.NinjaVan, nvTransit, 3, http.StatusOK)
		nv := loadShipment(t, f, s1[1].ID)
		require.Equal(t, shipment.StatusDELIVERED, nv.Status)
		require.Equal(t, 1, moves(t, f, string(nv.ID), "DELIVERED"))
		require.Zero(t, moves(t, f, string(nv.ID), "IN_TRANSIT"), "an older scan after the delivery moves nothing")
		require.Equal(t, 2, trackingEvents(t, f, string(nv.ID)))
		var tl struct {
			Node struct {
				Status         string
				TrackingEvents []struct{ Source, Tag, TrackingNumber string }
			}
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Shipment { status trackingEvents { source tag trackingNumber } } } }`, map[string]any{"id": nv.ID}, &tl)
		require.Equal(t, "DELIVERED", tl.Node.Status)
		require.Len(t, tl.Node.TrackingEvents, 2)
		require.Equal(t, "InTransit", tl.Node.TrackingEvents[0].Tag, "oldest first")
		require.Equal(t, "Delivered", tl.Node.TrackingEvents[1].Tag)
		require.Equal(t, "ninjavan", tl.Node.TrackingEvents[1].Source)
		require.Equal(t, "NVSG000000001", tl.Node.TrackingEvents[1].TrackingNumber)
		status, ful := f.order(t, o1)
		require.Equal(t, "DELIVERED", status, "both shipments arrived")
		require.Equal(t, "DELIVERED", ful)

		// A tracking number Ordo does not know is taken (so that the carrier stops) and ignored.
		sim.AddParcel(shipping.NinjaVan, "NVSG000000999")
		before = trackingEvents(t, f, "")
		sim.send(t, shipping.NinjaVan, sim.step(t, "NVSG000000999", carriersim.Step{Tag: shipping.InTransit}), 1, http.StatusOK)
		require.Equal(t, before, trackingEvents(t, f, ""))
		// A webhook to no account is 404.
		status404, err := sim.Send(t.Context(), f.srv.URL+"/webhooks/carriers/car_nosuchaccount0000000000", nvTransit)
		require.NoError(t, err)
		require.Equal(t, http.StatusNotFound, status404)

		// Order 2: one shipment tracked through AfterShip, one with Ninja Van that comes back.
		o2, s2 := splitOrder(t, f, "TRK-2")
		sim.AddParcel(shipping.AfterShip, "TH0000000002")
		sim.AddParcel(shipping.NinjaVan, "NVSG000000002")
		f.ship(t, s2[0].ID, "Kerry", "TH0000000002")
		f.ship(t, s2[1].ID, "Ninja Van", "NVSG000000002")
		asTransit := sim.step(t, "TH0000000002", carriersim.Step{Tag: shipping.InTransit, At: t0})
		asDelivered := sim.step(t, "TH0000000002", carriersim.Step{Tag: shipping.Delivered, At: t0.Add(time.Hour)})
		sim.send(t, shipping.AfterShip, asDelivered, 3, http.StatusOK)
		sim.send(t, shipping.AfterShip, asTransit, 3, http.StatusOK)
		as := loadShipment(t, f, s2[0].ID)
		require.Equal(t, shipment.StatusDELIVERED, as.Status)
		require.Equal(t, 1, moves(t, f, string(as.ID), "DELIVERED"))
		require.Equal(t, 2, trackingEvents(t, f, string(as.ID)))

		sim.send(t, shipping.NinjaVan, sim.step(t, "NVSG000000002", carriersim.Step{Tag: shipping.InTransit, At: t0}), 3, http.StatusOK)
		sim.send(t, shipping.NinjaVan, sim.step(t, "NVSG000000002", carriersim.Step{Tag: shipping.Exception, ReturnToSender: true, At: t0.Add(time.Hour)}), 3, http.StatusOK)
		back := loadShipment(t, f, s2[1].ID)
		require.Contains(t, []shipment.Status{shipment.StatusEXCEPTION, shipment.StatusRETURNED_TO_SENDER}, back.Status)
		require.True(t, back.ReturnExpected)
		status, _ = f.order(t, o2)
		require.Equal(t, "EXCEPTION", status)
		o, err := f.srv.Inst.DB.Client.Order.Get(context.Background(), pulid.ID(o2))
		require.NoError(t, err)
		require.Equal(t, order.StatusEXCEPTION, o.Status)
		require.Empty(t, shipmentEvents(t, f, "shipment.delayed", string(back.ID)), "a return is not a delay")
		f.srv.Audit(t)
	})
}

func TestTrackingShipsAndPulls(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		sim := newCarrierSim(t, f)
		ctx := auth.NewContext(context.Background(), auth.System)
		db := f.srv.Inst.DB.Client
		o, s := splitOrder(t, f, "TRK-3")

		// A shipment still at its origin whose parcel the carrier scans in transit ships first: its
		// stock leaves, then it is in transit.
		require.NoError(t, db.Shipment.UpdateOneID(pulid.ID(s[0].ID)).SetTrackingNumbers([]string{"NVSG000000050"}).SetCarrier("Ninja Van").Exec(ctx))
		sim.AddParcel(shipping.NinjaVan, "NVSG000000050")
		sim.send(t, shipping.NinjaVan, sim.step(t, "NVSG000000050", carriersim.Step{Tag: shipping.InTransit}), 2, http.StatusOK)
		first := loadShipment(t, f, s[0].ID)
		require.Equal(t, shipment.StatusIN_TRANSIT, first.Status)
		require.NotNil(t, first.ShippedAt)
		require.Equal(t, 1, moves(t, f, s[0].ID, "SHIPPED"))
		require.Equal(t, 1, moves(t, f, s[0].ID, "IN_TRANSIT"))
		shipped, err := db.Allocation.Query().Where(allocation.ShipmentID(pulid.ID(s[0].ID)), allocation.StatusEQ(allocation.StatusSHIPPED)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, shipped, "the scan shipped the shipment's stock")
		_, ful := f.order(t, o)
		require.Equal(t, "PARTIALLY_FULFILLED", ful)

		// A carrier that is not heard from is pulled from: EasyPost's trackers.
		sim.easyPostTracker(t, "EZ1000000003")
		f.ship(t, s[1].ID, "USPS", "EZ1000000003")
		require.NoError(t, db.Shipment.UpdateOneID(pulid.ID(s[1].ID)).SetCarrierAccountID(sim.accounts[shipping.EasyPost]).Exec(ctx))
		now := time.Now().UTC().Truncate(time.Second)
		sim.step(t, "EZ1000000003", carriersim.Step{Tag: shipping.InTransit, At: now.Add(-2 * time.Hour)})
		delivered := sim.step(t, "EZ1000000003", carriersim.Step{Tag: shipping.Delivered, At: now.Add(-time.Hour)})
		n, err := f.srv.Inst.Tracking.Pull(ctx, now)
		require.NoError(t, err)
		require.Zero(t, n, "shipped just now: not stale yet")
		n, err = f.srv.Inst.Tracking.Pull(ctx, now.Add(7*time.Hour))
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, shipment.StatusDELIVERED, loadShipment(t, f, s[1].ID).Status)
		// The same scans pushed later are the same events.
		sim.send(t, shipping.EasyPost, delivered, 1, http.StatusOK)
		require.Equal(t, 2, trackingEvents(t, f, s[1].ID))
		require.Equal(t, 1, moves(t, f, s[1].ID, "DELIVERED"))
		f.srv.Audit(t)
	})
}

func TestTrackedDeliveryCollectsCOD(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		sim := newCarrierSim(t, f)
		f.stock(t, "COD-1", map[string]int{"BKK": 1})
		var out struct {
			PlaceOrder struct {
				Order struct{ ID, Status, PaymentStatus string }
			}
		}
		f.admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "COD-1", quantity: 1}], paymentMethod: COD,
			shippingAddress: {city: "Bangkok", countryCode: "TH", latitude: 13.7367, longitude: 100.5231}}) { order { id status paymentStatus } } }`, nil, &out)
		o := out.PlaceOrder.Order
		require.Equal(t, "PENDING", o.PaymentStatus)
		s := f.plan(t, o.ID)
		require.Len(t, s, 1)
		sim.AddParcel(shipping.AfterShip, "TH0000000077")
		f.ship(t, s[0].ID, "Kerry", "TH0000000077")
		sim.send(t, shipping.AfterShip, sim.step(t, "TH0000000077", carriersim.Step{Tag: shipping.Delivered, Subtag: shipping.CODCollectedSubtag}), 2, http.StatusOK)
		require.Equal(t, shipment.StatusDELIVERED, loadShipment(t, f, s[0].ID).Status)
		var got struct {
			Node struct{ Status, PaymentStatus string }
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { status paymentStatus } } }`, map[string]any{"id": o.ID}, &got)
		require.Equal(t, "DELIVERED", got.Node.Status)
		require.Equal(t, "PAID", got.Node.PaymentStatus, "the cash was collected on delivery")
		f.srv.Audit(t)
	})
}
