package e2e_test

// Issue 9, must-show 1, through the marketplace simulator: an order split across two locations
// ships as two shipments, each confirmed to its channel on its own (Shopify fulfillments per
// location); a marketplace carries its own parcels (TikTok Shop's every package, Shopee's airway
// bill fetched); the ledger audits clean.

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/ordotest"
)

// Shopify's ids of the two locations lines are assigned to (the first is the demo shop's own).
const (
	shopifyLocA = "655441491"
	shopifyLocB = "655441492"
)

// logisticsShop is an Ordo with two Bangkok warehouses, A holding TEE-M and MUG and B holding CAP,
// routing allowed to split an order in two, connected to Shopify, TikTok Shop, Shopee and Lazada.
type logisticsShop struct {
	srv   *ordotest.Server
	m     *ordotest.Market
	admin *ordotest.Client
	a, b  pulid.ID
}

func newLogisticsShop(t *testing.T, url string) *logisticsShop {
	t.Helper()
	srv := ordotest.Start(t, url)
	l := &logisticsShop{srv: srv, admin: srv.Admin()}
	l.a, l.b = logisticsWarehouse(t, srv, "BKK-A"), logisticsWarehouse(t, srv, "BKK-B")
	srv.SKU(t, "TEE-M", map[pulid.ID]int64{l.a: 20})
	srv.SKU(t, "CAP", map[pulid.ID]int64{l.b: 20})
	srv.SKU(t, "MUG", map[pulid.ID]int64{l.a: 20})
	l.admin.MustDo(t, `mutation { setRoutingPolicy(input: {criteria: [{name: "DISTANCE", weight: 4}], maxShipments: 2, backorder: PARTIAL}) { version } }`, nil, nil)
	l.m = srv.ConnectMarket(t, ordotest.MarketOptions{MarketOptions: demo.MarketOptions{
		Kinds:    []channels.Kind{channels.Shopify, channels.TikTokShop, channels.Shopee, channels.Lazada},
		Products: []marketsim.Product{{SKU: "TEE-M", Name: "Tee M", Price: 2900}, {SKU: "CAP", Name: "Cap", Price: 1500}, {SKU: "MUG", Name: "Mug", Price: 900}},
	}})
	return l
}

func logisticsWarehouse(t *testing.T, srv *ordotest.Server, code string) pulid.ID {
	t.Helper()
	lat, lng := 13.75, 100.5
	l, err := srv.Inst.Catalog.CreateLocation(auth.NewContext(context.Background(), auth.System), ent.CreateLocationInput{
		Code: code, Name: code, Kind: location.KindWAREHOUSE, ShipsTo: []string{"TH"},
		Address: &schema.Address{City: "Bangkok", CountryCode: "TH", Latitude: &lat, Longitude: &lng},
	})
	require.NoError(t, err)
	return l.ID
}

// plan plans an order's shipments and returns them by origin code.
func (l *logisticsShop) plan(t *testing.T, orderID pulid.ID) map[string]shipmentResult {
	t.Helper()
	var out struct {
		PlanShipments struct{ Shipments []shipmentResult }
	}
	l.admin.MustDo(t, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { `+shipmentFields+` } } }`, map[string]any{"id": orderID}, &out)
	by := map[string]shipmentResult{}
	for _, s := range out.PlanShipments.Shipments {
		by[s.Location.Code] = s
	}
	return by
}

// shipment waits until a shipment satisfies ok and returns it with its packages.
func (l *logisticsShop) shipment(t *testing.T, id string, what string, ok func(*ent.Shipment) bool) *ent.Shipment {
	t.Helper()
	var sh *ent.Shipment
	require.Eventually(t, func() bool {
		var err error
		sh, err = l.srv.Inst.DB.Client.Shipment.Query().Where(shipment.ID(pulid.ID(id))).
			WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).Only(context.Background())
		return err == nil && ok(sh)
	}, channelWait, 20*time.Millisecond, "shipment %s never %s (last: %+v)", id, what, sh)
	return sh
}

func (l *logisticsShop) documents(t *testing.T, shipmentID string) []*ent.Document {
	t.Helper()
	docs, err := l.srv.Inst.DB.Client.Document.Query().Where(document.ShipmentID(pulid.ID(shipmentID))).Order(document.ByID()).All(context.Background())
	require.NoError(t, err)
	return docs
}

func (l *logisticsShop) events(t *testing.T, orderID pulid.ID, typ string) int {
	t.Helper()
	n, err := l.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(string(orderID)), event.Type(typ)).Count(context.Background())
	require.NoError(t, err)
	return n
}

func (l *logisticsShop) arrange(t *testing.T, shipmentID string, handover any) {
	t.Helper()
	l.admin.MustDo(t, `mutation($id: ID!, $h: Handover) { arrangeShipment(input: {shipmentID: $id, handover: $h}) { shipment { id } } }`,
		map[string]any{"id": shipmentID, "h": handover}, nil)
}

// A Shopify order whose two lines Shopify assigned to two locations, stocked in the two Ordo
// warehouses mapped to them, ships as two shipments, each confirmed as its own fulfillment from
// its own location with its own lines and tracking number.
func TestLogisticsShopifyFulfillmentPerLocation(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		l := newLogisticsShop(t, url)
		sh, chID := l.m.Shops[channels.Shopify], l.m.Channels[channels.Shopify]
		for loc, ref := range map[pulid.ID]string{l.a: shopifyLocA, l.b: shopifyLocB} {
			var out struct {
				SetLocationChannelRef struct {
					Location struct {
						ChannelRefs []struct{ ChannelID, Ref string }
					}
				}
			}
			l.admin.MustDo(t, `mutation($l: ID!, $c: ID!, $r: String) { setLocationChannelRef(input: {locationID: $l, channelID: $c, ref: $r}) { location { channelRefs { channelID ref } } } }`,
				map[string]any{"l": loc, "c": chID, "r": ref}, &out)
			require.Equal(t, []struct{ ChannelID, Ref string }{{string(chID), ref}}, out.SetLocationChannelRef.Location.ChannelRefs)
		}

		so, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{
			{ListingID: listingOf(t, sh, "TEE-M"), Quantity: 2, Location: shopifyLocA},
			{ListingID: listingOf(t, sh, "CAP"), Quantity: 1, Location: shopifyLocB},
		}})
		require.NoError(t, err)
		o := channelOrder(t, l.srv, chID, so.ID, order.StatusALLOCATED)
		shipments := l.plan(t, o.ID)
		require.Len(t, shipments, 2, "one shipment per location")
		require.Equal(t, "MANUAL", shipments["BKK-A"].Method)

		// A shipment Shopify does not carry cannot be arranged with a marketplace.
		resp, err := l.admin.Do(t.Context(), `mutation($id: ID!) { arrangeShipment(input: {shipmentID: $id}) { shipment { id } } }`, map[string]any{"id": shipments["BKK-A"].ID})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp.Code())

		for code, tracking := range map[string]string{"BKK-A": "KER-A1", "BKK-B": "KER-B2"} {
			l.admin.MustDo(t, `mutation($id: ID!, $t: String!) { shipShipment(input: {shipmentID: $id, carrier: "Kerry", trackingNumbers: [$t]}) { shipment { status } } }`,
				map[string]any{"id": shipments[code].ID, "t": tracking}, nil)
		}
		require.Eventually(t, func() bool { return len(sh.Fulfillments(so.ID)) == 2 }, channelWait, 20*time.Millisecond,
			"Shopify never got two fulfillments: %+v", sh.Fulfillments(so.ID))
		byLoc := map[string]marketsim.Fulfillment{}
		for _, f := range sh.Fulfillments(so.ID) {
			byLoc[f.LocationID] = f
		}
		require.Equal(t, map[string]int64{so.Lines[0].ID: 2}, byLoc[shopifyLocA].Lines, "BKK-A ships the tees from Shopify's location A")
		require.Equal(t, "KER-A1", byLoc[shopifyLocA].Tracking)
		require.Equal(t, map[string]int64{so.Lines[1].ID: 1}, byLoc[shopifyLocB].Lines, "BKK-B ships the cap from Shopify's location B")
		require.Equal(t, "KER-B2", byLoc[shopifyLocB].Tracking)
		require.Equal(t, "Kerry", byLoc[shopifyLocB].Carrier)

		requireEvent(t, l.srv, o.ID, "order.channel_confirmed", 2)
		require.Zero(t, l.events(t, o.ID, "order.channel_refused"))
		require.Eventually(t, func() bool {
			so, _ := sh.Order(so.ID)
			return so.Status == marketsim.Shipped
		}, channelWait, 20*time.Millisecond, "Shopify's order never shipped whole")
		time.Sleep(300 * time.Millisecond) // any second confirmation would have gone by now
		require.Len(t, sh.Fulfillments(so.ID), 2, "each shipment is confirmed once")
		requireEvent(t, l.srv, o.ID, "order.channel_confirmed", 2)
		l.srv.Audit(t)
	})
}

// A TikTok Shop order TikTok split into two packages ships from one Ordo warehouse as one
// shipment: arranging it ships every package with TikTok's tracking number, Ordo's packages follow
// TikTok's, each airway bill is kept, and Ordo does not confirm the shipment again.
func TestLogisticsTikTokMultiPackage(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		l := newLogisticsShop(t, url)
		tt, chID := l.m.Shops[channels.TikTokShop], l.m.Channels[channels.TikTokShop]
		so, err := tt.CreateOrder(marketsim.OrderSpec{Packages: 2, Lines: []marketsim.SpecLine{
			{ListingID: listingOf(t, tt, "TEE-M"), Quantity: 1}, {ListingID: listingOf(t, tt, "MUG"), Quantity: 1},
		}})
		require.NoError(t, err)
		o := channelOrder(t, l.srv, chID, so.ID, order.StatusALLOCATED)
		shipments := l.plan(t, o.ID)
		require.Len(t, shipments, 1)
		s := shipments["BKK-A"]
		require.Equal(t, "MARKETPLACE", s.Method)

		l.arrange(t, s.ID, "DROP_OFF")
		sh := l.shipment(t, s.ID, "was arranged and shipped", func(sh *ent.Shipment) bool {
			return sh.ArrangedAt != nil && sh.Status == shipment.StatusSHIPPED
		})
		pkgs := tt.Shipped(so.ID)
		require.Len(t, pkgs, 2, "every package shipped")
		require.Len(t, sh.Edges.Packages, 2, "Ordo's packages follow TikTok's")
		var numbers []string
		for i, p := range pkgs {
			require.NotEmpty(t, p.Tracking)
			require.Equal(t, "DROP_OFF", p.Handover)
			require.Equal(t, p.ID, sh.Edges.Packages[i].ChannelRef)
			require.Equal(t, p.Tracking, sh.Edges.Packages[i].TrackingNumber)
			numbers = append(numbers, p.Tracking)
		}
		require.NotEqual(t, numbers[0], numbers[1])
		require.Equal(t, numbers, sh.TrackingNumbers)
		require.Eventually(t, func() bool { return len(l.documents(t, s.ID)) == 2 }, channelWait, 20*time.Millisecond, "airway bills never stored")
		for _, d := range l.documents(t, s.ID) {
			require.Equal(t, document.KindAIRWAY_BILL, d.Kind)
			require.True(t, bytes.HasPrefix(d.Body, []byte("%PDF")))
		}
		require.Equal(t, 2, tt.DocumentsFetched(so.ID))
		require.Equal(t, 1, l.events(t, o.ID, "shipment.arranged"))
		require.Equal(t, 2, l.events(t, o.ID, "shipment.document_created"))
		requireEvent(t, l.srv, o.ID, "order.channel_confirmed", 1) // the arrangement

		// Arranging again changes nothing; arranging was the shipment, so no confirmation follows.
		l.arrange(t, s.ID, nil)
		time.Sleep(300 * time.Millisecond)
		require.Equal(t, 2, tt.DocumentsFetched(so.ID))
		require.Len(t, l.documents(t, s.ID), 2)
		require.Equal(t, 1, l.events(t, o.ID, "order.channel_confirmed"))
		require.Zero(t, l.events(t, o.ID, "order.channel_refused"))
		require.Len(t, tt.Fulfillments(so.ID), 2, "one per package, from the arrangement only")
		l.srv.Audit(t)
	})
}

// A Shopee order's shipment is arranged with Shopee's logistics: its tracking number is stored and
// its airway bill fetched and kept as a PDF.
func TestLogisticsShopeeAirwayBill(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		l := newLogisticsShop(t, url)
		sp, chID := l.m.Shops[channels.Shopee], l.m.Channels[channels.Shopee]
		so, err := sp.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, sp, "MUG"), Quantity: 1}}})
		require.NoError(t, err)
		o := channelOrder(t, l.srv, chID, so.ID, order.StatusALLOCATED)
		shipments := l.plan(t, o.ID)
		require.Len(t, shipments, 1)
		s := shipments["BKK-A"]
		require.Equal(t, "MARKETPLACE", s.Method)

		l.arrange(t, s.ID, nil)
		sh := l.shipment(t, s.ID, "was arranged", func(sh *ent.Shipment) bool { return sh.ArrangedAt != nil })
		pkgs := sp.Shipped(so.ID)
		require.Len(t, pkgs, 1)
		require.NotEmpty(t, pkgs[0].Tracking)
		require.Equal(t, []string{pkgs[0].Tracking}, sh.TrackingNumbers)
		require.Equal(t, pkgs[0].ID, sh.Edges.Packages[0].ChannelRef)
		require.Eventually(t, func() bool { return len(l.documents(t, s.ID)) == 1 }, channelWait, 20*time.Millisecond, "airway bill never stored")
		require.GreaterOrEqual(t, sp.DocumentsFetched(so.ID), 1)
		d := l.documents(t, s.ID)[0]
		require.Equal(t, document.KindAIRWAY_BILL, d.Kind)
		require.Equal(t, document.FormatPDF, d.Format)
		require.Equal(t, len(d.Body), d.Size)
		require.True(t, bytes.HasPrefix(d.Body, []byte("%PDF")), "a PDF: %q", d.Body[:min(len(d.Body), 16)])
		require.Contains(t, string(d.Body), pkgs[0].Tracking, "the airway bill of this package")

		// Shopee's order shipped: Ordo's shipment follows, its stock leaves through the ledger.
		l.shipment(t, s.ID, "shipped", func(sh *ent.Shipment) bool { return sh.Status == shipment.StatusSHIPPED })
		channelOrder(t, l.srv, chID, so.ID, order.StatusSHIPPED)
		require.Zero(t, l.events(t, o.ID, "order.channel_refused"))
		l.srv.Audit(t)
	})
}

// Lazada packs an arranged shipment and gives its tracking number, but wants to hear of the
// handover: shipping it in Ordo marks the package ready to ship, once.
func TestLogisticsLazadaReadyToShipOnHandover(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		l := newLogisticsShop(t, url)
		lz, chID := l.m.Shops[channels.Lazada], l.m.Channels[channels.Lazada]
		so, err := lz.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: listingOf(t, lz, "MUG"), Quantity: 1}}})
		require.NoError(t, err)
		o := channelOrder(t, l.srv, chID, so.ID, order.StatusALLOCATED)
		s := l.plan(t, o.ID)["BKK-A"]
		require.Equal(t, "MARKETPLACE", s.Method)

		l.arrange(t, s.ID, nil)
		sh := l.shipment(t, s.ID, "was arranged", func(sh *ent.Shipment) bool { return sh.ArrangedAt != nil })
		require.True(t, sh.ConfirmOnHandover)
		pkgs := lz.Packages(so.ID)
		require.Len(t, pkgs, 1)
		require.False(t, pkgs[0].Shipped, "packed, not yet ready to ship")
		require.Equal(t, []string{pkgs[0].Tracking}, sh.TrackingNumbers)
		require.Eventually(t, func() bool { return len(l.documents(t, s.ID)) == 1 }, channelWait, 20*time.Millisecond, "airway bill never stored")

		l.admin.MustDo(t, `mutation($id: ID!) { shipShipment(input: {shipmentID: $id}) { shipment { status } } }`, map[string]any{"id": s.ID}, nil)
		require.Eventually(t, func() bool { return len(lz.Shipped(so.ID)) == 1 }, channelWait, 20*time.Millisecond, "Lazada never heard of the handover")
		requireEvent(t, l.srv, o.ID, "order.channel_confirmed", 2) // arranged, then ready to ship
		require.Zero(t, l.events(t, o.ID, "order.channel_refused"))
		l.srv.Audit(t)
	})
}
