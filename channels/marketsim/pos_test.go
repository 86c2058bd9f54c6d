package marketsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/channels/pos"
)

const posLocation = "D7AVYMEAPJ3A3"

func posShop(t *testing.T, sim *marketsim.Sim, webhookURL string) *marketsim.Shop {
	t.Helper()
	sh, err := sim.AddShop(marketsim.ShopConfig{
		Kind: channels.POS, ShopID: posLocation, Currency: "USD", WebhookURL: webhookURL,
		Credentials: channels.Credentials{AccessToken: "EAAAl-test-token", WebhookSecret: "Ibxx_5AKakO-3qeNVR61Dw"},
		Listings: []marketsim.Listing{
			{ID: "W62UWFY35CWMYGVWK6TWJDNI", SKU: "SHIRT-M", Name: "Linen Shirt", Price: 2900},
			{ID: "BEMYCSMIJL46OCDV4KYIKXIB", SKU: "BAG", Name: "Tote Bag", Price: 4550},
		},
	})
	require.NoError(t, err)
	return sh
}

// requirePOSRoundTrip checks what the connector read back against the simulated order. Square
// differs from the common check: no SKU on a line (the listing id is there instead), never COD.
func requirePOSRoundTrip(t *testing.T, want *marketsim.Order, got channels.Order, status channels.Status, paid bool) {
	t.Helper()
	require.Equal(t, want.ID, got.ExternalID)
	require.Equal(t, channels.POS, got.Kind)
	require.Equal(t, posLocation, got.ShopID)
	require.Equal(t, want.Number, got.Number, "reference_id")
	require.Equal(t, status, got.Status, "raw %q", got.ChannelStatus)
	require.Equal(t, paid, got.Paid, "tenders")
	require.False(t, got.COD)
	require.Equal(t, want.Currency, got.Currency)
	require.Equal(t, want.Subtotal(), got.Subtotal)
	require.Equal(t, want.Shipping, got.Shipping, "service charge")
	require.Equal(t, want.Total(), got.Total)
	require.Equal(t, want.Address, got.ShippingAddress)
	require.Equal(t, channels.Buyer{ExternalID: want.Buyer.ID, Name: want.Address.Name, Email: want.Buyer.Email, Phone: want.Address.Phone}, got.Buyer)
	require.WithinDuration(t, want.CreatedAt, got.PlacedAt, time.Millisecond)
	require.NotNil(t, got.ShipBy)
	require.True(t, want.ShipBy.Equal(*got.ShipBy), "ship-by %v, want %v", got.ShipBy, want.ShipBy)
	require.Len(t, got.Lines, len(want.Lines))
	var discount int64
	for i, l := range want.Lines {
		require.Equal(t, channels.Line{ListingID: l.Listing.ID, LineID: l.ID, Name: l.Listing.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Discount: l.Discount}, got.Lines[i])
		discount += l.Discount
	}
	require.Equal(t, discount, got.Discount)
	require.NotEmpty(t, got.Refs[pos.RefFulfillment])
	require.Equal(t, posLocation, got.Refs[pos.RefLocation])
}

func TestPOSRoundTrip(t *testing.T) {
	ctx := context.Background()
	sim := start(t, 1)
	hook := newHook(t, http.StatusOK)
	sh := posShop(t, sim, hook.URL)
	c, err := pos.NewClient(sh.Account(), nil)
	require.NoError(t, err)

	o1, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 2, Discount: 300}, {ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", Quantity: 1}}, Shipping: 500})
	require.NoError(t, err)
	// A thin order.updated, even for a new order, signed over the webhook URL and the body.
	w := hook.wait(t, 1)
	o2, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", Quantity: 3}}, COD: true})
	require.NoError(t, err)
	hook.wait(t, 2)

	require.NoError(t, c.Verify(w.Header, w.Body, time.Now()))
	n, err := c.Parse(w.Header, w.Body)
	require.NoError(t, err)
	require.Equal(t, "order.updated", n.Topic)
	require.Equal(t, []string{o1.ID}, n.OrderIDs)
	require.Equal(t, posLocation, n.ShopID)
	require.NotEmpty(t, n.DeliveryID)
	var env struct {
		Data struct {
			Object struct {
				Updated struct {
					State   string `json:"state"`
					Version int    `json:"version"`
				} `json:"order_updated"`
			} `json:"object"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(w.Body, &env))
	require.Equal(t, "OPEN", env.Data.Object.Updated.State)
	require.Equal(t, 1, env.Data.Object.Updated.Version)
	tampered := bytes.Replace(w.Body, []byte(`"version":1`), []byte(`"version":2`), 1)
	require.ErrorIs(t, c.Verify(w.Header, tampered, time.Now()), channels.ErrBadSignature)
	other := sh.Account()
	other.WebhookURL += "/other"
	oc, err := pos.NewClient(other, nil)
	require.NoError(t, err)
	require.ErrorIs(t, oc.Verify(w.Header, w.Body, time.Now()), channels.ErrBadSignature, "signed for another URL")

	got, err := c.Orders(ctx, []string{o2.ID, o1.ID, "nope"})
	require.NoError(t, err)
	require.Len(t, got, 2, "unknown ids are left out")
	byID := map[string]channels.Order{got[0].ExternalID: got[0], got[1].ExternalID: got[1]}
	requirePOSRoundTrip(t, o1, byID[o1.ID], channels.Confirmed, true)
	requirePOSRoundTrip(t, o2, byID[o2.ID], channels.Confirmed, false) // no tender until delivered
	require.Equal(t, "1", byID[o1.ID].Refs[pos.RefVersion])

	// Pages of one, through Square's cursor.
	var pulled []string
	q := channels.PullQuery{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}
	for {
		page, err := c.Updated(ctx, q)
		require.NoError(t, err)
		for _, o := range page.Orders {
			pulled = append(pulled, o.ExternalID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, []string{o1.ID, o2.ID}, pulled)
	page, err := c.Updated(ctx, channels.PullQuery{Since: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	require.Empty(t, page.Orders, "nothing updated since")

	res, err := c.PushStock(ctx, []channels.StockLevel{{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 53}, {ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", Quantity: 0}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.NoError(t, res[1].Err)
	pushes := sh.Pushes()
	require.Len(t, pushes, 2)
	require.Equal(t, marketsim.Push{At: pushes[0].At, ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 53}, pushes[0])
	require.Equal(t, marketsim.Push{At: pushes[1].At, ListingID: "BEMYCSMIJL46OCDV4KYIKXIB", Quantity: 0}, pushes[1])
	res, err = c.PushStock(ctx, []channels.StockLevel{{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 9}, {ListingID: "UNKNOWNVARIATION", Quantity: 1}})
	require.NoError(t, err)
	require.ErrorIs(t, res[0].Err, channels.ErrRefused, "Square refuses a batch whole")
	require.ErrorIs(t, res[1].Err, channels.ErrRefused)
	require.Len(t, sh.Pushes(), 2)

	require.NoError(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, Carrier: "Kerry", TrackingNumber: "KER123"}))
	shipped, _ := sh.Order(o1.ID)
	require.Equal(t, marketsim.Shipped, shipped.Status)
	require.Equal(t, "KER123", shipped.Tracking)
	require.ErrorIs(t, c.ConfirmShipment(ctx, channels.Shipment{OrderID: o1.ID, Carrier: "Kerry", TrackingNumber: "KER123"}), channels.ErrRefused, "shipped twice")
	got, err = c.Orders(ctx, []string{o1.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status)
	require.Equal(t, "OPEN/SHIPMENT:COMPLETED", got[0].ChannelStatus)
	require.Equal(t, "Kerry", got[0].Carrier)
	require.Equal(t, "KER123", got[0].TrackingNumber)
	require.Equal(t, "2", got[0].Refs[pos.RefVersion])

	// An update at a stale version is refused as Square does.
	stale := []byte(`{"idempotency_key":"k1","order":{"location_id":"` + posLocation + `","version":1,"state":"CANCELED"}}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, sh.Account().BaseURL+"/v2/orders/"+o1.ID, bytes.NewReader(stale))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer EAAAl-test-token")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var answer struct {
		Errors []struct{ Category, Code string } `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "VERSION_MISMATCH", answer.Errors[0].Code)

	require.NoError(t, sh.SetStatus(o2.ID, marketsim.Delivered, ""))
	got, err = c.Orders(ctx, []string{o2.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Shipped, got[0].Status, "Square reports no delivery of a shipment")
	require.True(t, got[0].Paid, "cash once delivered")
	require.False(t, got[0].COD)

	o3, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 1}}})
	require.NoError(t, err)
	require.NoError(t, c.CancelOrder(ctx, channels.Cancellation{OrderID: o3.ID, Reason: "out of stock"}))
	cancelled, _ := sh.Order(o3.ID)
	require.Equal(t, marketsim.Cancelled, cancelled.Status)
	hook.wait(t, 6) // deliveries race each other: read the last one sent from the shop's record
	last := sh.Deliveries()[5]
	require.NoError(t, c.Verify(last.Header, last.Body, time.Now()))
	n, err = c.Parse(last.Header, last.Body)
	require.NoError(t, err)
	require.Equal(t, []string{o3.ID}, n.OrderIDs)
	require.Contains(t, string(last.Body), `"state":"CANCELED"`)
	got, err = c.Orders(ctx, []string{o3.ID})
	require.NoError(t, err)
	require.Equal(t, channels.Cancelled, got[0].Status)

	// A wrong token is refused, and counted.
	a := sh.Account()
	a.AccessToken = "wrong"
	bad, err := pos.NewClient(a, nil)
	require.NoError(t, err)
	_, err = bad.Orders(ctx, []string{o1.ID})
	require.True(t, errors.Is(err, channels.ErrRefused), "%v", err)
	require.Contains(t, err.Error(), "UNAUTHORIZED")
	require.Equal(t, 1, sh.Refused())
}

func TestPOSDraftIsPendingPayment(t *testing.T) {
	sim := start(t, 0)
	sh := posShop(t, sim, "")
	c, err := pos.NewClient(sh.Account(), nil)
	require.NoError(t, err)
	o, err := sh.CreateOrder(marketsim.OrderSpec{Lines: []marketsim.SpecLine{{ListingID: "W62UWFY35CWMYGVWK6TWJDNI", Quantity: 1}}, Status: marketsim.Unpaid})
	require.NoError(t, err)
	got, err := c.Orders(context.Background(), []string{o.ID})
	require.NoError(t, err)
	requirePOSRoundTrip(t, o, got[0], channels.PendingPayment, false)
	require.Equal(t, "DRAFT/SHIPMENT:PROPOSED", got[0].ChannelStatus)
}
