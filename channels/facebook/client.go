package facebook

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Client is the connector for one Meta commerce account, over the Graph API (BaseURL
// https://graph.facebook.com, paths under /v25.0):
//
//	GET  /{cms_id}/commerce_orders   Updated: state=CREATED,IN_PROGRESS,COMPLETED, updated_after,
//	                                 updated_before (unix seconds), fields, limit, after (cursor)
//	GET  /?ids=…&fields=…            Orders (Graph's multi-id read); GET /{order_id} one by one when
//	                                 Meta does not know one of them
//	POST /{cms_id}/acknowledge_orders Accept, ≤100 orders a call, per-order results
//	POST /{catalog_id}/items_batch   PushStock: UPDATE quantity_to_sell_on_facebook by retailer_id
//	GET  /{catalog_id}/products      Catalog: the catalog's items (catalog.go)
//	POST /{order_id}/shipments       ConfirmShipment
//	POST /{order_id}/cancellations   CancelOrder
//
// It needs Account.BaseURL, Account.ShopID (the commerce account, CMS, or page id the orders belong
// to), AccessToken (a page or system-user token, sent as a Bearer token) and Extra["catalog_id"]
// (the catalog stock is set in); AppSecret, when set, signs every call with appsecret_proof and
// checks webhooks. Listings are catalog retailer_ids (Line.ListingID, StockLevel.ListingID); no
// StockLevel.Attrs are read. Order.Refs[RefShippingMethod] is sent back as the shipment's
// shipping_method_name. Shipments, cancellations and acknowledgements carry idempotency keys derived
// from what they say, so a retried job does not ship or cancel twice.
type Client struct {
	account channels.Account
	catalog string
	proof   string
	caller  channels.Caller
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a commerce account; see Client for what the account needs.
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	catalog := strings.TrimSpace(a.Extra["catalog_id"])
	if a.BaseURL == "" || a.ShopID == "" || a.AccessToken == "" || catalog == "" {
		return nil, fmt.Errorf("%w: Meta needs a base URL, the commerce account id, an access token and Extra[\"catalog_id\"]", channels.ErrAccount)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	c := &Client{account: a, catalog: catalog, caller: channels.Caller{Client: hc, Throttled: throttled}}
	if a.AppSecret != "" {
		c.proof = channels.HMACHex(a.AppSecret, a.AccessToken)
	}
	return c, nil
}

// Verify implements channels.Connector for Graph webhooks, which Meta does not send for orders.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return Webhooks{}.Verify(h, body, c.account.AppSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return Webhooks{}.Parse(h, body)
}

// orderFields is every field and edge NormalizeOrder reads; Graph returns only id, order_status,
// created and last_updated unless asked.
const orderFields = "id,order_status,created,last_updated,ship_by_date,buyer_details,shipping_address," +
	"estimated_payment_details,selected_shipping_option,items{id,retailer_id,quantity,price_per_unit}," +
	"shipments{items{id,retailer_id,quantity},tracking_info},cancellations{items{id,retailer_id,quantity}}"

// pullStates leaves out FB_PROCESSING: nothing may be done with those orders, and they come back
// as CREATED (or never).
const pullStates = StateCreated + "," + StateInProgress + "," + StateCompleted

// Page and batch sizes.
const (
	maxPage  = 100  // commerce_orders per page (Meta's default is 25)
	maxIDs   = 50   // ids per multi-id read, Graph's limit
	maxAck   = 100  // orders per acknowledge_orders, documented
	maxItems = 2500 // items_batch requests per call: up to 5000, under 3000 recommended
)

// Updated implements channels.Connector: commerce_orders updated in the window, cursor-paged. The
// cursor continues the same query, so q.Since and q.Until must stay as they were. updated_after is
// a second before q.Since so that an order updated at its very second is not lost, whether Meta's
// bound is inclusive or not.
func (c *Client) Updated(ctx context.Context, pq channels.PullQuery) (channels.OrderPage, error) {
	limit := pq.PageSize
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	q := url.Values{"state": {pullStates}, "fields": {orderFields}, "limit": {strconv.Itoa(limit)}}
	if !pq.Since.IsZero() {
		q.Set("updated_after", strconv.FormatInt(pq.Since.Unix()-1, 10))
	}
	if !pq.Until.IsZero() {
		q.Set("updated_before", strconv.FormatInt(pq.Until.Unix(), 10))
	}
	if pq.Cursor != "" {
		q.Set("after", pq.Cursor)
	}
	resp, err := c.call(ctx, http.MethodGet, "/"+url.PathEscape(c.account.ShopID)+"/commerce_orders", q, nil)
	if err != nil {
		return channels.OrderPage{}, err
	}
	orders, next, err := NormalizeOrders(resp.Body)
	if err != nil {
		return channels.OrderPage{}, err
	}
	return channels.OrderPage{Orders: c.own(orders), Next: next}, nil
}

// Orders implements channels.Connector with Graph's multi-id read, 50 ids a call. Graph refuses
// the whole read when one id does not exist, so such a chunk is read again one order at a time,
// leaving out the unknown ones.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for start := 0; start < len(ids); start += maxIDs {
		chunk := ids[start:min(start+maxIDs, len(ids))]
		got, err := c.byIDs(ctx, chunk)
		if missing(err) {
			got, err = c.oneByOne(ctx, chunk)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return c.own(out), nil
}

func (c *Client) byIDs(ctx context.Context, ids []string) ([]channels.Order, error) {
	resp, err := c.call(ctx, http.MethodGet, "/", url.Values{"ids": {strings.Join(ids, ",")}, "fields": {orderFields}}, nil)
	if err != nil {
		return nil, err
	}
	var byID map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &byID); err != nil {
		return nil, fmt.Errorf("facebook: ?ids=: %w", err)
	}
	var out []channels.Order
	for _, id := range ids {
		raw, ok := byID[id]
		if !ok {
			continue
		}
		delete(byID, id) // an id asked for twice is answered once
		o, err := NormalizeOrder(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (c *Client) oneByOne(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for _, id := range ids {
		resp, err := c.call(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {orderFields}}, nil)
		if missing(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		o, err := NormalizeOrder(resp.Body)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// own stamps orders with the account's shop.
func (c *Client) own(orders []channels.Order) []channels.Order {
	for i := range orders {
		orders[i].ShopID = c.account.ShopID
	}
	return orders
}

// Accept implements channels.Connector: acknowledge_orders, moving the orders from CREATED to
// IN_PROGRESS. An order Meta answers with an error is read back, and one already IN_PROGRESS or
// COMPLETED (acknowledged before) is fine; the others are refused together.
func (c *Client) Accept(ctx context.Context, orders []channels.Order) error {
	var ids []string
	for _, o := range orders {
		if o.ChannelStatus == "CREATED" { // FB_PROCESSING cannot be acknowledged; later states already are
			ids = append(ids, o.ExternalID)
		}
	}
	slices.Sort(ids) // the same orders make the same batches and keys, in any order
	ids = slices.Compact(ids)
	var refused []string
	for start := 0; start < len(ids); start += maxAck {
		failures, err := c.acknowledge(ctx, ids[start:min(start+maxAck, len(ids))])
		if err != nil {
			return err
		}
		for _, f := range failures {
			ok, err := c.acknowledged(ctx, f.id)
			if err != nil && !errors.Is(err, channels.ErrRefused) {
				return err
			}
			if !ok {
				refused = append(refused, f.id+": "+f.reason)
			}
		}
	}
	if len(refused) > 0 {
		return channels.Refused("facebook: acknowledge_orders: %s", strings.Join(refused, "; "))
	}
	return nil
}

type ackFailure struct{ id, reason string }

// acknowledge sends one batch and returns the orders it did not acknowledge.
func (c *Client) acknowledge(ctx context.Context, ids []string) ([]ackFailure, error) {
	orders := make([]map[string]string, len(ids))
	for i, id := range ids {
		orders[i] = map[string]string{"id": id}
	}
	path := "/" + url.PathEscape(c.account.ShopID) + "/acknowledge_orders"
	body, err := withKey(path, map[string]any{"orders": orders})
	if err != nil {
		return nil, err
	}
	resp, err := c.call(ctx, http.MethodPost, path, nil, body)
	if err != nil {
		return nil, err
	}
	var res struct {
		Orders []struct {
			ID    text `json:"id"`
			Error *struct {
				Code    text `json:"error_code"`
				Message text `json:"error_message"`
			} `json:"error"`
		} `json:"orders"`
	}
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		return nil, fmt.Errorf("facebook: acknowledge_orders: %w", err)
	}
	reasons := make(map[string]string, len(ids))
	for _, id := range ids {
		reasons[id] = "not in Meta's answer"
	}
	for _, o := range res.Orders {
		if o.Error == nil {
			delete(reasons, string(o.ID))
		} else if _, asked := reasons[string(o.ID)]; asked {
			reasons[string(o.ID)] = fmt.Sprintf("error %s: %s", o.Error.Code, o.Error.Message)
		}
	}
	var out []ackFailure
	for _, id := range ids {
		if r, ok := reasons[id]; ok {
			out = append(out, ackFailure{id: id, reason: r})
		}
	}
	return out, nil
}

// acknowledged reads an order's state: IN_PROGRESS or COMPLETED orders have been acknowledged.
func (c *Client) acknowledged(ctx context.Context, id string) (bool, error) {
	resp, err := c.call(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {"order_status"}}, nil)
	if err != nil {
		return false, err
	}
	var o struct {
		OrderStatus struct {
			State text `json:"state"`
		} `json:"order_status"`
	}
	if err := json.Unmarshal(resp.Body, &o); err != nil {
		return false, fmt.Errorf("facebook: order %s: %w", id, err)
	}
	s := normState(string(o.OrderStatus.State))
	return s == StateInProgress || s == StateCompleted, nil
}

// PushStock implements channels.Connector: items_batch UPDATEs of quantity_to_sell_on_facebook by
// retailer_id, without upsert (an unknown retailer_id must not create a catalog item). A negative
// quantity is sent as 0. The per-item validation errors of Meta's answer go into the results;
// Meta applies the batch asynchronously, and what fails later shows only in
// check_batch_request_status, which the client does not poll. Levels go 2500 a call; when a later
// call fails outright the error is returned although earlier ones were applied, which a retry
// repeats harmlessly (the quantities are absolute).
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	var send []int
	for i, l := range levels {
		out[i].ListingID = l.ListingID
		if strings.TrimSpace(l.ListingID) == "" {
			out[i].Err = channels.Refused("facebook: listing for SKU %q has no retailer_id", l.SKU)
			continue
		}
		send = append(send, i)
	}
	for start := 0; start < len(send); start += maxItems {
		chunk := send[start:min(start+maxItems, len(send))]
		invalid, err := c.itemsBatch(ctx, levels, chunk)
		for _, i := range chunk {
			switch {
			case errors.Is(err, channels.ErrRefused):
				out[i].Err = err
			case err != nil:
				return nil, err
			case invalid[levels[i].ListingID] != "":
				out[i].Err = channels.Refused("facebook: items_batch: %s: %s", levels[i].ListingID, invalid[levels[i].ListingID])
			}
		}
	}
	return out, nil
}

// itemsBatch sends the levels at idx and returns Meta's validation errors by retailer_id.
func (c *Client) itemsBatch(ctx context.Context, levels []channels.StockLevel, idx []int) (map[string]string, error) {
	type update struct {
		ID       string `json:"id"`
		Quantity int64  `json:"quantity_to_sell_on_facebook"`
	}
	type request struct {
		Method string `json:"method"`
		Data   update `json:"data"`
	}
	reqs := make([]request, len(idx))
	for j, i := range idx {
		reqs[j] = request{Method: "UPDATE", Data: update{ID: levels[i].ListingID, Quantity: max(levels[i].Quantity, 0)}}
	}
	body, err := json.Marshal(map[string]any{"item_type": "PRODUCT_ITEM", "allow_upsert": false, "requests": reqs})
	if err != nil {
		return nil, fmt.Errorf("facebook: items_batch: %w", err)
	}
	resp, err := c.call(ctx, http.MethodPost, "/"+url.PathEscape(c.catalog)+"/items_batch", nil, body)
	if err != nil {
		return nil, err
	}
	var res struct {
		ValidationStatus []struct {
			RetailerID text `json:"retailer_id"`
			Errors     []struct {
				Message text `json:"message"`
			} `json:"errors"`
		} `json:"validation_status"`
	}
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		return nil, fmt.Errorf("facebook: items_batch: %w", err)
	}
	invalid := map[string]string{}
	for _, v := range res.ValidationStatus {
		for _, e := range v.Errors {
			invalid[string(v.RetailerID)] = strings.TrimPrefix(invalid[string(v.RetailerID)]+"; "+string(e.Message), "; ")
		}
	}
	return invalid, nil
}

// ConfirmShipment implements channels.Connector: one shipment of s.Lines (every unfulfilled item
// when there are none) with its tracking number; Meta takes one tracking number per shipment, and
// never the same one twice. s.ShipmentID is the idempotency_key and external_shipment_id (without
// one, the key is derived from the call's content); s.LocationRef, else the account's
// Extra["location_id"], is the fulfillment_location_id. s.Carrier must be one of Meta's carrier
// codes.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	fields := map[string]any{}
	if s.TrackingNumber != "" {
		tracking := map[string]string{"tracking_number": s.TrackingNumber, "carrier": s.Carrier}
		if m := s.Refs[RefShippingMethod]; m != "" {
			tracking["shipping_method_name"] = m
		}
		fields["tracking_info"] = tracking
	}
	if loc := cmp.Or(s.LocationRef, c.account.Extra["location_id"]); loc != "" {
		fields["fulfillment"] = map[string]string{"fulfillment_location_id": loc}
	}
	if s.ShipmentID != "" {
		fields["idempotency_key"] = s.ShipmentID
		fields["external_shipment_id"] = s.ShipmentID
	}
	return c.post(ctx, s.OrderID, "shipments", s.Lines, fields)
}

// cancelReasons are the reason codes of the cancellations edge.
var cancelReasons = map[string]bool{
	"CUSTOMER_REQUESTED": true, "OUT_OF_STOCK": true, "INVALID_ADDRESS": true, "SUSPICIOUS_ORDER": true, "CANCEL_REASON_OTHER": true,
}

// CancelOrder implements channels.Connector: a cancellation of the lines, or of the whole order
// when there are none. A reason that is one of Meta's codes is sent as the code; any other is the
// description of CANCEL_REASON_OTHER. Ordo owns the stock, so Meta is not asked to restock; the next
// stock push sets it.
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	reason := map[string]string{"reason_code": "CANCEL_REASON_OTHER"}
	switch code := strings.ToUpper(strings.TrimSpace(x.Reason)); {
	case cancelReasons[code]:
		reason["reason_code"] = code
	case strings.TrimSpace(x.Reason) != "":
		reason["reason_description"] = strings.TrimSpace(x.Reason)
	}
	return c.post(ctx, x.OrderID, "cancellations", x.Lines, map[string]any{"cancel_reason": reason, "restock_items": false})
}

// post sends a shipment or cancellation of lines (all of the order when none) with its
// idempotency key.
func (c *Client) post(ctx context.Context, orderID, edge string, lines []channels.ShipmentLine, fields map[string]any) error {
	if strings.TrimSpace(orderID) == "" {
		return channels.Refused("facebook: %s without an order id", edge)
	}
	if len(lines) > 0 {
		items, err := orderItems(lines)
		if err != nil {
			return fmt.Errorf("facebook: order %s: %s: %w", orderID, edge, err)
		}
		fields["items"] = items
	}
	path := "/" + url.PathEscape(orderID) + "/" + edge
	body, err := withKey(path, fields)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, http.MethodPost, path, nil, body)
	return err
}

// orderItems names lines as Meta's shipments and cancellations take them: by retailer_id (the
// listing, else the SKU), else by item_id.
func orderItems(lines []channels.ShipmentLine) ([]map[string]any, error) {
	out := make([]map[string]any, len(lines))
	for i, l := range lines {
		if l.Quantity <= 0 {
			return nil, channels.Refused("line %d has no quantity", i+1)
		}
		switch {
		case l.ListingID != "":
			out[i] = map[string]any{"retailer_id": l.ListingID, "quantity": l.Quantity}
		case l.SKU != "":
			out[i] = map[string]any{"retailer_id": l.SKU, "quantity": l.Quantity}
		case l.LineID != "":
			out[i] = map[string]any{"item_id": l.LineID, "quantity": l.Quantity}
		default:
			return nil, channels.Refused("line %d names no retailer_id or item", i+1)
		}
	}
	return out, nil
}
