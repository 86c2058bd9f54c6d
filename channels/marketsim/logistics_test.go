package marketsim_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/shopee"
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
