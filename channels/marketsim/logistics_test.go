package marketsim_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/facebook"
	"github.com/ordo-oms/ordo/channels/lazada"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopee"
	"github.com/ordo-oms/ordo/channels/shopify"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// requirePDF checks that a document is a whole PDF.
func requirePDF(t *testing.T, d channels.Document) {
	t.Helper()
	require.Equal(t, "application/pdf", d.ContentType)
	require.True(t, bytes.HasPrefix(d.Body, []byte("%PDF-")), "a PDF")
	require.True(t, bytes.HasSuffix(bytes.TrimSpace(d.Body), []byte("%%EOF")), "a whole PDF")
}

func TestShopeeArrangeShipment(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopeeShop(t, sim, "")
	c, err := shopee.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)

	t.Run("unsplit order: pickup, tracking number, airway bill", func(t *testing.T) {
		o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 2}}})
		require.NoError(t, err)
		a, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID})
		require.NoError(t, err)
		shipped := sh.Shipped(o.ID)
		require.Len(t, shipped, 1)
		require.Equal(t, channels.HandoverPickup, shipped[0].Handover)
		require.Len(t, a.Packages, 1)
		require.Equal(t, shipped[0].ID, a.Packages[0].Ref)
		require.Equal(t, shipped[0].Tracking, a.Packages[0].TrackingNumber)
		require.NotEmpty(t, a.Packages[0].TrackingNumber)
		got, _ := sh.Order(o.ID)
		require.Equal(t, marketsim.Shipped, got.Status)

		again, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID})
		require.NoError(t, err, "arranging again is not an error")
		require.Equal(t, a.Packages, again.Packages)

		docs, err := c.ShippingDocuments(ctx, a)
		require.NoError(t, err)
		require.Len(t, docs, 1)
		require.Equal(t, a.Packages[0].Ref, docs[0].PackageRef)
		requirePDF(t, docs[0])
		require.Contains(t, string(docs[0].Body), a.Packages[0].TrackingNumber)
		require.Equal(t, 1, sh.DocumentsFetched(o.ID))
	})

	t.Run("split order: each package of the lines asked for", func(t *testing.T) {
		o, err := sh.CreateOrder(marketsim.OrderSpec{Packages: 2, Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 1}, {ListingID: bag, Quantity: 1}}})
		require.NoError(t, err)
		pkgs := sh.Packages(o.ID)
		require.Len(t, pkgs, 2)
		a, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Lines: []channels.ShipmentLine{{ListingID: bag, Quantity: 1}}})
		require.NoError(t, err)
		require.Len(t, a.Packages, 1)
		require.Equal(t, pkgs[1].ID, a.Packages[0].Ref)
		require.Len(t, sh.Shipped(o.ID), 1)
		got, _ := sh.Order(o.ID)
		require.Equal(t, marketsim.ToShip, got.Status, "half of the order is still to ship")

		a, err = c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID})
		require.NoError(t, err)
		require.Len(t, a.Packages, 2)
		require.NotEqual(t, a.Packages[0].TrackingNumber, a.Packages[1].TrackingNumber)
		got, _ = sh.Order(o.ID)
		require.Equal(t, marketsim.Shipped, got.Status)
		docs, err := c.ShippingDocuments(ctx, a)
		require.NoError(t, err)
		require.Len(t, docs, 2)
		require.Equal(t, 2, sh.DocumentsFetched(o.ID))
	})

	t.Run("drop-off where only pickup is offered is refused", func(t *testing.T) {
		o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: bag, Quantity: 1}}})
		require.NoError(t, err)
		_, err = c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Handover: channels.HandoverDropOff})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.Empty(t, sh.Shipped(o.ID))
	})

	t.Run("documents of a package not arranged are refused", func(t *testing.T) {
		o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: bag, Quantity: 1}}})
		require.NoError(t, err)
		_, err = c.ShippingDocuments(ctx, channels.Arranged{OrderID: o.ID, Packages: []channels.ArrangedPackage{{Ref: sh.Packages(o.ID)[0].ID}}})
		require.ErrorIs(t, err, channels.ErrRefused)
		require.Zero(t, sh.DocumentsFetched(o.ID))
	})
}

func TestTikTokShopArrangeShipment(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	c, err := tiktokshop.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)

	o, err := sh.CreateOrder(marketsim.OrderSpec{Packages: 3, Lines: []marketsim.SpecLine{
		{ListingID: ttsShirt, Quantity: 2}, {ListingID: ttsBag, Quantity: 1}, {ListingID: ttsShirt, Quantity: 1},
	}})
	require.NoError(t, err)
	pkgs := sh.Packages(o.ID)
	require.Len(t, pkgs, 3)
	got, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Len(t, got, 1)

	// The bag's line is in the second package: its units ship it alone.
	var bagUnits []string
	for _, l := range got[0].Lines {
		if l.ListingID == ttsBag {
			bagUnits = l.UnitIDs
		}
	}
	require.NotEmpty(t, bagUnits)
	a, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Lines: []channels.ShipmentLine{{ListingID: ttsBag, UnitIDs: bagUnits, Quantity: 1}}})
	require.NoError(t, err)
	require.Len(t, a.Packages, 1)
	require.Equal(t, pkgs[1].ID, a.Packages[0].Ref)
	require.Len(t, sh.Shipped(o.ID), 1)

	// Every package of the order: each its own tracking number; the one shipped is not shipped again.
	a, err = c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID})
	require.NoError(t, err)
	shipped := sh.Shipped(o.ID)
	require.Len(t, shipped, 3)
	require.Len(t, a.Packages, 3)
	seen := map[string]bool{}
	for i, p := range a.Packages {
		require.Equal(t, pkgs[i].ID, p.Ref)
		require.Equal(t, shipped[i].Tracking, p.TrackingNumber)
		require.NotEmpty(t, p.TrackingNumber)
		require.NotEmpty(t, p.Carrier)
		require.Equal(t, channels.HandoverDropOff, shipped[i].Handover)
		require.False(t, seen[p.TrackingNumber], "tracking numbers differ")
		seen[p.TrackingNumber] = true
	}
	require.Len(t, sh.Fulfillments(o.ID), 3, "each package shipped once")
	after, _ := sh.Order(o.ID)
	require.Equal(t, marketsim.Shipped, after.Status)

	docs, err := c.ShippingDocuments(ctx, a)
	require.NoError(t, err)
	require.Len(t, docs, 3)
	for i, d := range docs {
		require.Equal(t, a.Packages[i].Ref, d.PackageRef)
		requirePDF(t, d)
		require.Contains(t, string(d.Body), a.Packages[i].TrackingNumber)
	}
	require.Equal(t, 3, sh.DocumentsFetched(o.ID))

	_, err = c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Handover: "COURIER"})
	require.ErrorIs(t, err, channels.ErrRefused)
}

func TestTikTokShopConfirmShipmentPerPackage(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	c, err := tiktokshop.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Packages: 2, Lines: []marketsim.SpecLine{{ListingID: ttsShirt, Quantity: 1}, {ListingID: ttsBag, Quantity: 1}}})
	require.NoError(t, err)
	pkgs := sh.Packages(o.ID)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, Carrier: "6617675021119438849",
		Packages: []channels.Package{{Ref: pkgs[1].ID, TrackingNumber: "OWN-2"}}}))
	shipped := sh.Shipped(o.ID)
	require.Len(t, shipped, 1)
	require.Equal(t, pkgs[1].ID, shipped[0].ID)
	require.Equal(t, "OWN-2", shipped[0].Tracking)
	after, _ := sh.Order(o.ID)
	require.Equal(t, marketsim.ToShip, after.Status)
}

func TestShopifyFulfillmentsPerLocation(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopifyShop(t, sim, "")
	c, err := shopify.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)
	const warehouse, store = "655441491", "655441492"
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{
		{ListingID: "39072856", Quantity: 3, Location: warehouse}, {ListingID: "39072857", Quantity: 1, Location: store},
	}})
	require.NoError(t, err)
	first, second := o.Lines[0].ID, o.Lines[1].ID

	// Two of the first line from the warehouse, then the rest of it; the second from the store.
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, ShipmentID: "s1", LocationRef: warehouse,
		Carrier: "Kerry", TrackingNumber: "KER1", TrackingURL: "https://th.kerryexpress.com/track/?track=KER1",
		Lines: []channels.ShipmentLine{{LineID: first, Quantity: 2}}}))
	got, _ := sh.Order(o.ID)
	require.Equal(t, marketsim.ToShip, got.Status, "partly fulfilled")
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, ShipmentID: "s2", LocationRef: store,
		Carrier: "Flash", TrackingNumber: "TH99", Lines: []channels.ShipmentLine{{LineID: second, Quantity: 1}}}))
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, LocationRef: store,
		Carrier: "Flash", TrackingNumber: "TH98", Lines: []channels.ShipmentLine{{LineID: first, Quantity: 1}}}), channels.ErrRefused,
		"the first line is not at the store")
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, ShipmentID: "s3", LocationRef: warehouse,
		Carrier: "Kerry", TrackingNumber: "KER2", Lines: []channels.ShipmentLine{{LineID: first, Quantity: 1}}}))

	fs := sh.Fulfillments(o.ID)
	require.Len(t, fs, 3)
	want := []struct {
		location, tracking, url string
		lines                   map[string]int64
	}{
		{warehouse, "KER1", "https://th.kerryexpress.com/track/?track=KER1", map[string]int64{first: 2}},
		{store, "TH99", "", map[string]int64{second: 1}},
		{warehouse, "KER2", "", map[string]int64{first: 1}},
	}
	for i, w := range want {
		require.Equal(t, w.location, fs[i].LocationID, "fulfillment %d", i)
		require.Equal(t, w.tracking, fs[i].Tracking, "fulfillment %d", i)
		require.Equal(t, w.url, fs[i].TrackingURL, "fulfillment %d", i)
		require.Equal(t, w.lines, fs[i].Lines, "fulfillment %d", i)
	}
	got, _ = sh.Order(o.ID)
	require.Equal(t, marketsim.Shipped, got.Status)
	read, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, read[0].Status)

	// A shipment without location or lines: everything open at the account's location.
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "39072856", Quantity: 1}, {ListingID: "39072857", Quantity: 2, Location: store}}})
	require.NoError(t, err)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o2.ID, Carrier: "Kerry", TrackingNumber: "KER3"}))
	fs = sh.Fulfillments(o2.ID)
	require.Len(t, fs, 1)
	require.Equal(t, warehouse, fs[0].LocationID)
	require.Equal(t, map[string]int64{o2.Lines[0].ID: 1}, fs[0].Lines)
}

func TestFacebookShipmentsWithIdempotencyKey(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := facebookShop(t, sim, "")
	c, err := facebook.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "SHIRT-M", Quantity: 2}, {ListingID: "BAG-01", Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, c.Accept(ctx, []channels.Order{{ExternalID: o.ID, ChannelStatus: "CREATED"}}))

	first := channels.Shipment{OrderID: o.ID, ShipmentID: "01JEXAMPLESHIPMENT0000000A", LocationRef: "FL-BKK", Carrier: "FEDEX", TrackingNumber: "FX1",
		Lines: []channels.ShipmentLine{{ListingID: "SHIRT-M", Quantity: 2}}}
	require.NoError(t, c.ConfirmShipment(ctx, first))
	require.NoError(t, c.ConfirmShipment(ctx, first), "the same shipment again: Meta takes it once")
	got, _ := sh.Order(o.ID)
	require.Equal(t, marketsim.ToShip, got.Status, "the bag is not shipped yet")
	read, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Len(t, read, 1)
	require.NotEqual(t, channels.Shipped, read[0].Status)
	require.Equal(t, channels.Shipped, read[0].Lines[0].Status, "the shirts' line shipped")
	require.NotEqual(t, channels.Shipped, read[0].Lines[1].Status)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, ShipmentID: "01JEXAMPLESHIPMENT0000000B", Carrier: "FEDEX", TrackingNumber: "FX2",
		Lines: []channels.ShipmentLine{{ListingID: "BAG-01", Quantity: 1}}}))

	fs := sh.Fulfillments(o.ID)
	require.Len(t, fs, 2)
	require.Equal(t, first.ShipmentID, fs[0].Key)
	require.Equal(t, first.ShipmentID, fs[0].ID, "external_shipment_id")
	require.Equal(t, "FL-BKK", fs[0].LocationID)
	require.Equal(t, "FX1", fs[0].Tracking)
	require.Equal(t, map[string]int64{o.Lines[0].ID: 2}, fs[0].Lines)
	require.Equal(t, map[string]int64{o.Lines[1].ID: 1}, fs[1].Lines)
	require.Equal(t, "FX2", fs[1].Tracking)
	got, _ = sh.Order(o.ID)
	require.Equal(t, marketsim.Shipped, got.Status)
	read, err = c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, read[0].Status)
}

func TestLazadaPackDocumentReadyToShip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := lazadaShop(t, sim, "")
	c, err := lazada.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "2114389101", Quantity: 2}, {ListingID: "2114389102", Quantity: 1}}})
	require.NoError(t, err)
	read, err := c.Orders(ctx, []string{o.ID})
	require.NoError(t, err)
	require.Len(t, read, 1)
	var tee, cap channels.ShipmentLine
	for _, l := range read[0].Lines {
		line := channels.ShipmentLine{LineID: l.LineID, ListingID: l.ListingID, UnitIDs: l.UnitIDs, Quantity: l.Quantity}
		if l.ListingID == "2114389101" {
			tee = line
		} else {
			cap = line
		}
	}
	require.Len(t, tee.UnitIDs, 2)

	// Pack the tees: one package, its tracking number; nothing ready to ship yet.
	a, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Lines: []channels.ShipmentLine{tee}})
	require.NoError(t, err)
	require.True(t, a.ConfirmOnHandover)
	pkgs := sh.Packages(o.ID)
	require.Len(t, pkgs, 1)
	require.Len(t, a.Packages, 1)
	require.Equal(t, pkgs[0].ID, a.Packages[0].Ref)
	require.Equal(t, pkgs[0].Tracking, a.Packages[0].TrackingNumber)
	require.NotEmpty(t, a.Packages[0].TrackingNumber)
	require.NotEmpty(t, a.Packages[0].Carrier)
	require.Empty(t, sh.Shipped(o.ID))

	again, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Lines: []channels.ShipmentLine{tee}})
	require.NoError(t, err, "packed units keep their package")
	require.Equal(t, a.Packages, again.Packages)
	require.Len(t, sh.Packages(o.ID), 1)

	// The airway bill, decoded from the answer.
	docs, err := c.ShippingDocuments(ctx, a)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	requirePDF(t, docs[0])
	require.Equal(t, a.Packages[0].Ref, docs[0].PackageRef)
	require.Contains(t, string(docs[0].Body), a.Packages[0].TrackingNumber)
	require.Equal(t, 1, sh.DocumentsFetched(o.ID))

	// Handed over: ready to ship, the tees only.
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, Lines: []channels.ShipmentLine{tee},
		Packages: []channels.Package{{Ref: a.Packages[0].Ref, TrackingNumber: a.Packages[0].TrackingNumber}}}))
	shipped := sh.Shipped(o.ID)
	require.Len(t, shipped, 1)
	require.Equal(t, a.Packages[0].Ref, shipped[0].ID)
	fs := sh.Fulfillments(o.ID)
	require.Len(t, fs, 1)
	require.Equal(t, map[string]int64{o.Lines[0].ID: 2}, fs[0].Lines)
	got, _ := sh.Order(o.ID)
	require.Equal(t, marketsim.ToShip, got.Status, "the cap is still to ship")

	// The cap: a second package.
	b, err := c.ArrangeShipment(ctx, channels.ArrangeRequest{OrderID: o.ID, Lines: []channels.ShipmentLine{cap}})
	require.NoError(t, err)
	require.Len(t, b.Packages, 1)
	require.NotEqual(t, a.Packages[0].Ref, b.Packages[0].Ref)
	require.NotEqual(t, a.Packages[0].TrackingNumber, b.Packages[0].TrackingNumber)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o.ID, Lines: []channels.ShipmentLine{cap}}))
	got, _ = sh.Order(o.ID)
	require.Equal(t, marketsim.Shipped, got.Status)
	require.Len(t, sh.Shipped(o.ID), 2)
}

func TestShopeeConfirmShipmentPerPackage(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 0)
	sh := shopeeShop(t, sim, "")
	c, err := shopee.NewClient(sh.Account(), http.DefaultClient)
	require.NoError(t, err)

	split, err := sh.CreateOrder(marketsim.OrderSpec{Packages: 2, Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 1}, {ListingID: bag, Quantity: 1}}})
	require.NoError(t, err)
	pkgs := sh.Packages(split.ID)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: split.ID, Packages: []channels.Package{{Ref: pkgs[1].ID, TrackingNumber: "OWN-1"}}}))
	shipped := sh.Shipped(split.ID)
	require.Len(t, shipped, 1)
	require.Equal(t, pkgs[1].ID, shipped[0].ID)
	require.Equal(t, "OWN-1", shipped[0].Tracking)
	require.Error(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: split.ID, TrackingNumber: "OWN-2"}), "a split order needs its package_number")

	whole, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: shirt, Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: whole.ID, Packages: []channels.Package{{Ref: sh.Packages(whole.ID)[0].ID, TrackingNumber: "OWN-3"}}}))
	got, _ := sh.Order(whole.ID)
	require.Equal(t, marketsim.Shipped, got.Status)
	require.Equal(t, "OWN-3", got.Tracking)
}

func TestStreamSplitsOrdersIntoPackages(t *testing.T) {
	sim := start(t, 0)
	sh := tiktokShop(t, sim, "")
	stats := sim.Stream(context.Background(), []*marketsim.Shop{sh}, marketsim.StreamOptions{Rate: 200, Duration: 300 * time.Millisecond, MaxLines: 3, Packages: 3, Seed: 7})
	require.Positive(t, stats.Created[sh.Config().ShopID])
	most := 0
	for _, o := range sh.Orders() {
		most = max(most, len(sh.Packages(o.ID)))
	}
	require.Greater(t, most, 1, "some order has several packages")
}
