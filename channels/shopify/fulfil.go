package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ordo-oms/ordo/channels"
)

// fulfillmentOrder is what ConfirmShipment reads of a FulfillmentOrder.
type fulfillmentOrder struct {
	ID                 json.Number `json:"id"`
	Status             string      `json:"status"`
	AssignedLocationID json.Number `json:"assigned_location_id"`
	LineItems          []struct {
		ID                  json.Number `json:"id"`
		LineItemID          json.Number `json:"line_item_id"`
		FulfillableQuantity int64       `json:"fulfillable_quantity"`
	} `json:"line_items"`
}

// parseFulfillmentOrders reads GET orders/{id}/fulfillment_orders.json.
func parseFulfillmentOrders(body []byte) ([]fulfillmentOrder, error) {
	var fos struct {
		FulfillmentOrders []fulfillmentOrder `json:"fulfillment_orders"`
	}
	if err := decode(body, &fos); err != nil {
		return nil, fmt.Errorf("shopify: fulfillment_orders.json: %w", err)
	}
	return fos.FulfillmentOrders, nil
}

// foLineItem is one fulfillment order line item and how many of it to fulfil.
type foLineItem struct {
	ID       json.Number `json:"id"`
	Quantity int64       `json:"quantity"`
}

// byFO is one entry of a fulfillment's line_items_by_fulfillment_order; no line items: all of the
// fulfillment order's.
type byFO struct {
	ID        json.Number  `json:"fulfillment_order_id"`
	LineItems []foLineItem `json:"fulfillment_order_line_items,omitempty"`
}

// fulfillable reports whether a fulfillment order can still be fulfilled.
func fulfillable(status string) bool {
	return status == "open" || status == "in_progress" || status == "scheduled"
}

// allocate decides what one fulfillment takes: the fulfillable fulfillment orders assigned to
// location (any location when empty) and, of them, lines' quantities (by line_item_id), each line
// taken from the fulfillment orders in their order; every fulfillable line item of them when lines
// are empty. A line that is not there, or not with enough left to fulfil, is a refusal: a shipment
// concerns exactly its lines.
func allocate(fos []fulfillmentOrder, location string, lines []channels.ShipmentLine) ([]byFO, error) {
	var here []fulfillmentOrder
	for _, fo := range fos {
		if fulfillable(fo.Status) && (location == "" || fo.AssignedLocationID.String() == location) {
			here = append(here, fo)
		}
	}
	if len(here) == 0 {
		return nil, channels.Refused("no open fulfillment order at location %q", location)
	}
	if len(lines) == 0 {
		out := make([]byFO, len(here))
		for i, fo := range here {
			out[i] = byFO{ID: fo.ID}
		}
		return out, nil
	}
	taken := map[string]int64{} // by fulfillment order line item id
	var out []byFO
	add := func(fo json.Number, item json.Number, q int64) {
		for i := range out {
			if out[i].ID == fo {
				for j := range out[i].LineItems {
					if out[i].LineItems[j].ID == item {
						out[i].LineItems[j].Quantity += q
						return
					}
				}
				out[i].LineItems = append(out[i].LineItems, foLineItem{ID: item, Quantity: q})
				return
			}
		}
		out = append(out, byFO{ID: fo, LineItems: []foLineItem{{ID: item, Quantity: q}}})
	}
	for _, l := range lines {
		if l.Quantity <= 0 {
			return nil, channels.Refused("line %s has no quantity", l.LineID)
		}
		want := l.Quantity
		for _, fo := range here {
			for _, it := range fo.LineItems {
				if want == 0 || it.LineItemID.String() != l.LineID {
					continue
				}
				q := min(want, it.FulfillableQuantity-taken[it.ID.String()])
				if q <= 0 {
					continue
				}
				taken[it.ID.String()] += q
				want -= q
				add(fo.ID, it.ID, q)
			}
		}
		if want > 0 {
			return nil, channels.Refused("line %s: %d of %d left to fulfil at location %q", l.LineID, l.Quantity-want, l.Quantity, location)
		}
	}
	return out, nil
}

// ConfirmShipment implements channels.Connector: one fulfillment, through fulfillment orders, of
// the shipment's lines and quantities from its location (s.LocationRef, else the account's
// Extra["location_id"] where the order has lines assigned to it, else any), with its tracking number, carrier and URL. Lines of one order at two
// locations are two shipments, hence two fulfillments. A shipment without lines fulfils everything
// open at its location.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	resp, err := c.call(ctx, http.MethodGet, "/orders/"+url.PathEscape(s.OrderID)+"/fulfillment_orders.json", nil)
	if err != nil {
		return err
	}
	fos, err := parseFulfillmentOrders(resp.Body)
	if err != nil {
		return err
	}
	location := s.LocationRef
	if l := c.account.Extra["location_id"]; location == "" && assigned(fos, l) {
		location = l // else the store ships the order from elsewhere: any location
	}
	by, err := allocate(fos, location, s.Lines)
	if err != nil {
		return fmt.Errorf("shopify: order %s: %w", s.OrderID, err)
	}
	tracking := map[string]string{"number": s.TrackingNumber, "company": s.Carrier}
	if s.TrackingURL != "" {
		tracking["url"] = s.TrackingURL
	}
	body, err := json.Marshal(map[string]any{"fulfillment": map[string]any{
		"line_items_by_fulfillment_order": by,
		"tracking_info":                   tracking,
		"notify_customer":                 true,
	}})
	if err != nil {
		return err
	}
	_, err = c.call(ctx, http.MethodPost, "/fulfillments.json", body)
	return err
}

// assigned reports whether any fulfillable fulfillment order is at location.
func assigned(fos []fulfillmentOrder, location string) bool {
	for _, fo := range fos {
		if fulfillable(fo.Status) && fo.AssignedLocationID.String() == location {
			return true
		}
	}
	return false
}
