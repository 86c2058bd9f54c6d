package lazada

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Client is the connector for one Lazada seller, over the Lazada Open Platform REST API. It calls:
//
//	GET  /order/get                      an order by id (Orders)
//	GET  /orders/get                     orders by update time, oldest first, offset paging (Updated)
//	GET  /orders/items/get               the items (one row per unit) of up to 50 orders (Orders, Updated)
//	GET  /order/items/get                one order's items (ConfirmShipment, CancelOrder)
//	POST /product/stock/sellable/update  absolute sellable quantities, 50 SKUs a call (PushStock)
//	POST /order/fulfill/pack             pack units into packages (ArrangeShipment, ConfirmShipment)
//	GET  /order/package/document/get     a package's airway bill, base64 (ShippingDocuments)
//	POST /order/package/rts              mark packages ready to ship (ConfirmShipment)
//	GET  /order/reverse/cancel/create    cancel units (CancelOrder)
//
// and, for returns (returns.go, channels.Returns), /reverse/getreverseordersforseller,
// /order/reverse/return/update and /order/reverse/onlyrefund/seller/decide.
//
// Every call carries app_key, access_token, timestamp (ms), sign_method=sha256 and sign (Sign over
// the API path and every parameter); GET calls send them in the query, POST calls as a form. Lazada
// answers refusals and throttling with a code in the body: "0" is success, ApiCallLimit and 901 are
// throttling (retried, then a *channels.RateLimitError), anything else wraps channels.ErrRefused.
//
// Account: BaseURL is the venture's API root, ending in /rest (https://api.lazada.co.th/rest);
// AppKey and AppSecret sign the calls and the pushes; AccessToken is the seller's; ShopID, the seller
// id, is stamped on the orders. Extra["cancel_reason_id"] overrides DefaultCancelReasonID.
//
// Stock levels: ListingID is the SKU's SkuId; Attrs "item_id" is its ItemId, "sku_id" and
// "seller_sku" override ListingID and SKU. Orders: each line's ListingID is the units' sku_id, its
// UnitIDs their order_item_ids (Lazada has no line id: LineID stays empty).
type Client struct {
	account channels.Account
	caller  channels.Caller
	// now stamps the calls; tests fix it to reproduce signatures.
	now func() time.Time
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a seller. The account needs BaseURL, AppKey, AppSecret and
// AccessToken.
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	if a.BaseURL == "" || a.AppKey == "" || a.AppSecret == "" || a.AccessToken == "" {
		return nil, fmt.Errorf("%w: Lazada needs a base URL, the app key and secret and an access token", channels.ErrAccount)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc, Throttled: throttled}, now: time.Now}, nil
}

// Verify implements channels.Connector with the push signature over app key and body.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return Webhooks{AppKey: c.account.AppKey}.Verify(h, body, c.account.AppSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return Webhooks{AppKey: c.account.AppKey}.Parse(h, body)
}

// Limits of the order calls.
const (
	maxPage        = 100 // orders per /orders/get page
	maxItemsOrders = 50  // orders per /orders/items/get call
)

// codeInvalidOrderID is /order/get's answer for an order the seller does not have.
const codeInvalidOrderID = "16"

// Orders implements channels.Connector: /order/get for each id, then the items of the orders found
// with /orders/items/get.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var raws []json.RawMessage
	for _, id := range ids {
		body, err := c.call(ctx, http.MethodGet, "/order/get", map[string]string{"order_id": id})
		var refused *apiError
		if errors.As(err, &refused) && refused.code == codeInvalidOrderID {
			continue
		}
		if err != nil {
			return nil, err
		}
		raws = append(raws, body)
	}
	return c.withItems(ctx, raws)
}

// Updated implements channels.Connector: /orders/get by updated_at, oldest first. The cursor is the
// offset of the next page; orders updated while a pull pages through the window shift the offsets,
// so a pull's next window must overlap this one (ingestion is idempotent).
func (c *Client) Updated(ctx context.Context, q channels.PullQuery) (channels.OrderPage, error) {
	limit := q.PageSize
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	offset := 0
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 0 {
			return channels.OrderPage{}, fmt.Errorf("lazada: cursor %q is not an offset", q.Cursor)
		}
		offset = n
	}
	params := map[string]string{
		"update_after": isoTime(q.Since), "sort_by": "updated_at", "sort_direction": "ASC",
		"limit": strconv.Itoa(limit), "offset": strconv.Itoa(offset),
	}
	if !q.Until.IsZero() {
		params["update_before"] = isoTime(q.Until)
	}
	body, err := c.call(ctx, http.MethodGet, "/orders/get", params)
	if err != nil {
		return channels.OrderPage{}, err
	}
	page, err := decodeOrdersPage(body)
	if err != nil {
		return channels.OrderPage{}, err
	}
	orders, err := c.withItems(ctx, page.orders)
	if err != nil {
		return channels.OrderPage{}, err
	}
	return channels.OrderPage{Orders: orders, Next: nextOffset(offset, len(page.orders), limit, page.total)}, nil
}

// isoTime writes a time as /orders/get wants it: ISO 8601 with a numeric offset.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }

// ordersPage is what Ordo reads of a /orders/get answer; total is -1 when it does not say.
type ordersPage struct {
	orders []json.RawMessage
	total  int
}

// decodeOrdersPage reads a /orders/get answer.
func decodeOrdersPage(body []byte) (ordersPage, error) {
	var a struct {
		Data struct {
			CountTotal scalar            `json:"countTotal"`
			Orders     []json.RawMessage `json:"orders"`
		} `json:"data"`
	}
	if err := decode(body, &a); err != nil {
		return ordersPage{}, fmt.Errorf("lazada: /orders/get: %w", err)
	}
	total, err := strconv.Atoi(a.Data.CountTotal.String())
	if err != nil {
		total = -1
	}
	return ordersPage{orders: a.Data.Orders, total: total}, nil
}

// nextOffset is the cursor after a page of n orders read at offset: the next offset while the
// total (or, when Lazada gives none, a full page) says more follow, else "".
func nextOffset(offset, n, limit, total int) string {
	switch {
	case n == 0:
		return ""
	case total >= 0 && offset+n >= total:
		return ""
	case total < 0 && n < limit:
		return ""
	}
	return strconv.Itoa(offset + n)
}

// withItems fetches the items of orders (raw /order/get answers or /orders/get order objects) and
// normalizes each order with its own.
func (c *Client) withItems(ctx context.Context, raws []json.RawMessage) ([]channels.Order, error) {
	out := make([]channels.Order, 0, len(raws))
	for start := 0; start < len(raws); start += maxItemsOrders {
		chunk := raws[start:min(start+maxItemsOrders, len(raws))]
		ids := make([]string, len(chunk))
		for i, raw := range chunk {
			o, err := decodeOrder(raw)
			if err != nil {
				return nil, err
			}
			ids[i] = o.OrderID.String()
		}
		items, err := c.call(ctx, http.MethodGet, "/orders/items/get", map[string]string{"order_ids": idList(ids)})
		if err != nil {
			return nil, err
		}
		for _, raw := range chunk {
			o, err := NormalizeOrder(raw, items)
			if err != nil {
				return nil, err
			}
			o.ShopID = c.account.ShopID
			out = append(out, o)
		}
	}
	return out, nil
}

// idList writes ids as the JSON array Lazada's list parameters take ("[42922,32793]"): numbers
// where the ids are digits, as its ids are, strings otherwise.
func idList(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		if id != "" && strings.Trim(id, "0123456789") == "" {
			parts[i] = id
			continue
		}
		b, _ := json.Marshal(id)
		parts[i] = string(b)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// Accept implements channels.Connector; Lazada has no acknowledgement step.
func (c *Client) Accept(context.Context, []channels.Order) error { return nil }

// throttleCodes are the codes with which Lazada says a call came too fast: 901 in the API docs'
// error tables, ApiCallLimit from its gateway (seen in integrations; not in the docs records).
var throttleCodes = map[string]bool{"901": true, "ApiCallLimit": true}

// throttled is the Caller's hook: Lazada throttles with a code in a 200 answer.
func throttled(_ int, body []byte) bool {
	var a struct {
		Code scalar `json:"code"`
	}
	if json.Unmarshal(body, &a) != nil {
		return false
	}
	return throttleCodes[a.Code.String()]
}

// apiError is a call Lazada refused with a code in its answer; it wraps channels.ErrRefused.
type apiError struct {
	path, code, kind, message string
	// detail is the answer's detail, where Lazada names the SKUs a stock update failed for.
	detail json.RawMessage
}

func (e *apiError) Error() string {
	code := e.code
	if e.kind != "" {
		code = e.kind + " " + code
	}
	return fmt.Sprintf("lazada: %s: %s: %s", e.path, code, e.message)
}

func (e *apiError) Unwrap() error { return channels.ErrRefused }

// call sends one signed API call and returns the body of an answer with code "0". A 4xx answer is
// a refusal; any other code is an *apiError.
func (c *Client) call(ctx context.Context, method, apiPath string, params map[string]string) ([]byte, error) {
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return c.request(ctx, method, apiPath, params)
	})
	if err != nil {
		return nil, fmt.Errorf("lazada: %s %s: %w", method, apiPath, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, channels.Refused("lazada: %s %s: HTTP %d: %s", method, apiPath, resp.Status, bytes.TrimSpace(resp.Body))
	}
	var a struct {
		Code    scalar          `json:"code"`
		Type    scalar          `json:"type"`
		Message scalar          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if err := decode(resp.Body, &a); err != nil {
		return nil, fmt.Errorf("lazada: %s %s: %w", method, apiPath, err)
	}
	if a.Code.String() != "0" {
		return nil, &apiError{path: apiPath, code: a.Code.String(), kind: a.Type.String(), message: a.Message.String(), detail: a.Detail}
	}
	return resp.Body, nil
}

// request builds one attempt of a call, stamped and signed now.
func (c *Client) request(ctx context.Context, method, apiPath string, params map[string]string) (*http.Request, error) {
	all := maps.Clone(params)
	if all == nil {
		all = map[string]string{}
	}
	all["app_key"] = c.account.AppKey
	all["access_token"] = c.account.AccessToken
	all["timestamp"] = strconv.FormatInt(c.now().UnixMilli(), 10)
	all["sign_method"] = "sha256"
	all["sign"] = Sign(c.account.AppSecret, apiPath, all, nil)
	form := url.Values{}
	for k, v := range all {
		form.Set(k, v)
	}
	full := c.account.BaseURL + apiPath
	if method == http.MethodGet {
		return http.NewRequestWithContext(ctx, method, full+"?"+form.Encode(), nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, full, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	return req, nil
}
