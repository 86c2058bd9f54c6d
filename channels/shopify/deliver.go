package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

var _ channels.DeliveryConfirmer = (*Client)(nil)

// fulfillment is what ConfirmDelivery reads of a Fulfillment.
type fulfillment struct {
	ID              json.Number `json:"id"`
	Status          string      `json:"status"`
	TrackingNumber  string      `json:"tracking_number"`
	TrackingNumbers []string    `json:"tracking_numbers"`
}

// parseFulfillments reads GET orders/{id}/fulfillments.json.
func parseFulfillments(body []byte) ([]fulfillment, error) {
	var fs struct {
		Fulfillments []fulfillment `json:"fulfillments"`
	}
	if err := decode(body, &fs); err != nil {
		return nil, fmt.Errorf("shopify: fulfillments.json: %w", err)
	}
	return fs.Fulfillments, nil
}

// carrying returns the id of the fulfillment (not cancelled, latest first) that carries one of
// the tracking numbers, or "" when none does. It is pure.
func carrying(fs []fulfillment, tracking []string) string {
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		if f.Status == "cancelled" || f.Status == "error" || f.Status == "failure" {
			continue
		}
		for _, tn := range tracking {
			if tn != "" && (f.TrackingNumber == tn || slices.Contains(f.TrackingNumbers, tn)) {
				return f.ID.String()
			}
		}
	}
	return ""
}

// trackingNumbers are a delivery's tracking numbers: the shipment's, then its packages'.
func trackingNumbers(d channels.Delivery) []string {
	out := []string{}
	if d.TrackingNumber != "" {
		out = append(out, d.TrackingNumber)
	}
	for _, p := range d.Packages {
		if p.TrackingNumber != "" && !slices.Contains(out, p.TrackingNumber) {
			out = append(out, p.TrackingNumber)
		}
	}
	return out
}

// ConfirmDelivery implements channels.DeliveryConfirmer: a "delivered" FulfillmentEvent on the
// order's fulfillment carrying the shipment's tracking number (POST
// orders/{order_id}/fulfillments/{fulfillment_id}/events.json). A delivery no fulfillment of the
// order carries is refused with channels.ErrUnknownShipment.
func (c *Client) ConfirmDelivery(ctx context.Context, d channels.Delivery) error {
	tracking := trackingNumbers(d)
	if len(tracking) == 0 {
		return channels.Refused("shopify: order %s: shipment %s has no tracking number to find its fulfillment by", d.OrderID, d.ShipmentID)
	}
	order := url.PathEscape(d.OrderID)
	resp, err := c.call(ctx, http.MethodGet, "/orders/"+order+"/fulfillments.json", nil)
	if err != nil {
		return err
	}
	fs, err := parseFulfillments(resp.Body)
	if err != nil {
		return err
	}
	id := carrying(fs, tracking)
	if id == "" {
		return fmt.Errorf("shopify: order %s: tracking number %v: %w", d.OrderID, tracking, channels.ErrUnknownShipment)
	}
	at := d.DeliveredAt
	if at.IsZero() {
		at = time.Now()
	}
	body, err := json.Marshal(map[string]any{"event": map[string]any{
		"status": "delivered", "happened_at": at.UTC().Format(time.RFC3339),
	}})
	if err != nil {
		return err
	}
	_, err = c.call(ctx, http.MethodPost, "/orders/"+order+"/fulfillments/"+url.PathEscape(id)+"/events.json", body)
	return err
}
