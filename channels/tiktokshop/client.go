package tiktokshop

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// The keys a TikTok Shop account, its listings and shipments carry beside the standard fields, and
// the header of the access token.
const (
	// ExtraShopCipher is the Credentials.Extra key of the shop's shop_cipher (from Get Authorized
	// Shops), a query parameter of every shop call.
	ExtraShopCipher = "shop_cipher"
	// ExtraWarehouseID is the Credentials.Extra key of the warehouse stock is set in when a listing
	// names none.
	ExtraWarehouseID = "warehouse_id"
	// AttrProductID is the StockLevel.Attrs key of the listing's product_id: Update Inventory is
	// called per product.
	AttrProductID = "product_id"
	// AttrWarehouseID is the StockLevel.Attrs key of the listing's warehouse_id.
	AttrWarehouseID = "warehouse_id"
	// RefShippingProviderID is the Shipment.Refs key of TikTok's shipping_provider_id for a
	// seller-shipped package; without it Shipment.Carrier must be that id.
	RefShippingProviderID = "shipping_provider_id"
	// HeaderAccessToken carries the shop's access token on every call; it is not signed.
	HeaderAccessToken = "x-tts-access-token"
)

// The API paths the client calls (version 202309); Update Inventory and Ship Package add an id.
const (
	pathOrders = "/order/202309/orders"
	pathSearch = "/order/202309/orders/search"
	pathCancel = "/return_refund/202309/cancellations"
)

func inventoryPath(productID string) string {
	return "/product/202309/products/" + url.PathEscape(productID) + "/inventory/update"
}

func shipPath(packageID string) string {
	return "/fulfillment/202309/packages/" + url.PathEscape(packageID) + "/ship"
}

// CodeRateLimited is the code TikTok Shop answers a call over its rate with ("Too many requests",
// 36009002 [U]: community copies of the common-errors page; not in the saved doc records).
const CodeRateLimited = 36009002

// Limits of the API: ids per Get Order Detail, orders per Get Order List page, and the stock
// quantity Update Inventory takes ([1, 99999] in the docs; whether 0 is accepted is [U]).
const (
	maxIDs      = 50
	maxPage     = 100
	maxQuantity = 99999
)

// DefaultCancelReason is the cancel_reason sent when Ordo's reason is not one of TikTok's
// seller_cancel_* keys [U: the reason list ("Return API Overview") is not in the saved docs; this
// key is the one community integrations send for paid orders].
const DefaultCancelReason = "seller_cancel_reason_out_of_stock"

// Client is the connector for one TikTok Shop shop, over the Partner API 202309:
//
//	GET  /order/202309/orders?ids=…                              Orders (Get Order Detail, 50 ids a call)
//	POST /order/202309/orders/search                             Updated (Get Order List by update_time, page_token paging)
//	POST /product/202309/products/{product_id}/inventory/update  PushStock (Update Inventory, one call per product)
//	POST /fulfillment/202309/packages/{package_id}/ship          ConfirmShipment, ArrangeShipment (Ship Package)
//	GET  /fulfillment/202309/packages/{package_id}               ArrangeShipment (Get Package Detail: tracking number)
//	GET  /fulfillment/202309/packages/{package_id}/shipping_documents  ShippingDocuments (doc_url, then the label)
//	POST /return_refund/202309/cancellations                     CancelOrder (Cancel Order)
//	POST /return_refund/202309/returns/search                    UpdatedReturns, ReturnsByID (Search Returns)
//	POST /return_refund/202309/returns/{return_id}/approve       DecideReturn (Approve Return)
//	POST /return_refund/202309/returns/{return_id}/reject        DecideReturn (Reject Return)
//
// Every call carries app_key, timestamp, shop_cipher and sign (SignBase over the API path, the
// query and the body) in the query and the access token in x-tts-access-token. The account needs
// BaseURL (https://open-api.tiktokglobalshop.com), AppKey, AppSecret, AccessToken and
// Extra["shop_cipher"]; Extra["warehouse_id"] is the default warehouse for stock. A listing's stock
// needs Attrs["product_id"] (and Attrs["warehouse_id"] for a shop with several warehouses); its
// ListingID is the sku_id. Shipments read the package id from Refs["package_id"] (NormalizeOrder
// sets it; without it the order is fetched). Webhooks are checked with the app key and secret.
// An answer with a code other than 0 is a refusal, CodeRateLimited is throttling.
type Client struct {
	account channels.Account
	caller  channels.Caller
	hooks   Webhooks
	// now stamps the calls.
	now func() time.Time
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a shop; see Client for what the account needs.
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	if a.BaseURL == "" || a.AppKey == "" || a.AppSecret == "" || a.AccessToken == "" || a.Extra[ExtraShopCipher] == "" {
		return nil, fmt.Errorf("%w: TikTok Shop needs a base URL, the app key and secret, an access token and Extra[%q]", channels.ErrAccount, ExtraShopCipher)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{
		account: a,
		caller:  channels.Caller{Client: hc, Throttled: throttled},
		hooks:   Webhooks{AppKey: a.AppKey},
		now:     time.Now,
	}, nil
}

// Verify implements channels.Connector.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return c.hooks.Verify(h, body, c.account.AppSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return c.hooks.Parse(h, body)
}

// Orders implements channels.Connector: Get Order Detail, 50 ids a call.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for start := 0; start < len(ids); start += maxIDs {
		chunk := ids[start:min(start+maxIDs, len(ids))]
		data, err := c.call(ctx, http.MethodGet, pathOrders, url.Values{"ids": {strings.Join(chunk, ",")}}, nil)
		if err != nil {
			return nil, err
		}
		orders, _, err := c.orderList(pathOrders, data)
		if err != nil {
			return nil, err
		}
		out = append(out, orders...)
	}
	return out, nil
}

// Updated implements channels.Connector: Get Order List by update_time, oldest first; the cursor is
// next_page_token. The same window is sent with every page, as the token requires.
func (c *Client) Updated(ctx context.Context, pq channels.PullQuery) (channels.OrderPage, error) {
	size := pq.PageSize
	if size <= 0 || size > maxPage {
		size = maxPage
	}
	q := url.Values{"page_size": {strconv.Itoa(size)}, "sort_field": {"update_time"}, "sort_order": {"ASC"}}
	if pq.Cursor != "" {
		q.Set("page_token", pq.Cursor)
	}
	data, err := c.call(ctx, http.MethodPost, pathSearch, q, window(pq))
	if err != nil {
		return channels.OrderPage{}, err
	}
	orders, next, err := c.orderList(pathSearch, data)
	if err != nil {
		return channels.OrderPage{}, err
	}
	if len(orders) == 0 {
		next = "" // an empty page ends the pull, whatever token came with it
	}
	return channels.OrderPage{Orders: orders, Next: next}, nil
}

// searchWindow is the body of Get Order List: an update_time window in unix seconds.
type searchWindow struct {
	UpdateTimeGE int64 `json:"update_time_ge,omitempty"`
	UpdateTimeLT int64 `json:"update_time_lt,omitempty"`
}

// window is the update_time window of a pull. Until is rounded up to the second, so that an order
// updated in its last (partial) second is not lost; Since is rounded down.
func window(pq channels.PullQuery) searchWindow {
	var w searchWindow
	if !pq.Since.IsZero() {
		w.UpdateTimeGE = max(0, pq.Since.Unix())
	}
	if !pq.Until.IsZero() {
		w.UpdateTimeLT = pq.Until.Unix()
		if pq.Until.After(time.Unix(w.UpdateTimeLT, 0)) {
			w.UpdateTimeLT++
		}
	}
	return w
}

// orderList is the data of Get Order Detail and Get Order List.
type orderList struct {
	Orders        []json.RawMessage `json:"orders"`
	NextPageToken scalar            `json:"next_page_token"`
}

// orderList normalizes the orders of an answer's data and returns them with next_page_token.
func (c *Client) orderList(path string, data json.RawMessage) ([]channels.Order, string, error) {
	var l orderList
	if err := decodeData(data, &l); err != nil {
		return nil, "", fmt.Errorf("tiktokshop: %s: %w", path, err)
	}
	out := make([]channels.Order, 0, len(l.Orders))
	for _, raw := range l.Orders {
		o, err := NormalizeOrder(raw)
		if err != nil {
			return nil, "", err
		}
		o.ShopID = c.account.ShopID
		out = append(out, o)
	}
	return out, l.NextPageToken.String(), nil
}

// Accept implements channels.Connector; TikTok Shop has no acknowledgement step.
func (c *Client) Accept(context.Context, []channels.Order) error { return nil }

// PushStock implements channels.Connector: one Update Inventory per product, each SKU with the
// quantity per warehouse (the listing's, else the account's; none for a one-warehouse shop).
// Quantities are clamped to [0, 99999]. TikTok's per-SKU errors, which come with code 0, are the
// listings' results.
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	byProduct := map[string][]int{}
	var products []string
	for i, l := range levels {
		out[i].ListingID = l.ListingID
		p := l.Attrs[AttrProductID]
		if p == "" || l.ListingID == "" {
			out[i].Err = channels.Refused("tiktokshop: listing %q has no sku_id or product_id", l.ListingID)
			continue
		}
		if _, seen := byProduct[p]; !seen {
			products = append(products, p)
		}
		byProduct[p] = append(byProduct[p], i)
	}
	for _, p := range products {
		idx := byProduct[p]
		errs, err := c.updateInventory(ctx, p, c.inventoryUpdate(levels, idx))
		if err != nil && !errors.Is(err, channels.ErrRefused) {
			return nil, err
		}
		for _, i := range idx {
			switch {
			case err != nil:
				out[i].Err = err
			case errs[levels[i].ListingID] != nil:
				out[i].Err = errs[levels[i].ListingID]
			default:
				out[i].Err = errs[""]
			}
		}
	}
	return out, nil
}

// inventoryUpdate is the body of Update Inventory.
type inventoryUpdate struct {
	SKUs []skuInventory `json:"skus"`
}

type skuInventory struct {
	ID        string         `json:"id"`
	Inventory []warehouseQty `json:"inventory"`
}

type warehouseQty struct {
	WarehouseID string `json:"warehouse_id,omitempty"`
	Quantity    int64  `json:"quantity"`
}

// inventoryUpdate builds the body for the levels at idx (one product): one entry per SKU, one
// quantity per warehouse, the last level winning for a repeated SKU and warehouse.
func (c *Client) inventoryUpdate(levels []channels.StockLevel, idx []int) inventoryUpdate {
	var body inventoryUpdate
	at := map[string]int{}
	for _, i := range idx {
		l := levels[i]
		wh := l.Attrs[AttrWarehouseID]
		if wh == "" {
			wh = c.account.Extra[ExtraWarehouseID]
		}
		qty := warehouseQty{WarehouseID: wh, Quantity: min(max(l.Quantity, 0), maxQuantity)}
		s, ok := at[l.ListingID]
		if !ok {
			s = len(body.SKUs)
			at[l.ListingID] = s
			body.SKUs = append(body.SKUs, skuInventory{ID: l.ListingID})
		}
		sku := &body.SKUs[s]
		replaced := false
		for w := range sku.Inventory {
			if sku.Inventory[w].WarehouseID == wh {
				sku.Inventory[w], replaced = qty, true
			}
		}
		if !replaced {
			sku.Inventory = append(sku.Inventory, qty)
		}
	}
	return body
}

// updateInventory calls Update Inventory for a product and returns its per-SKU errors.
func (c *Client) updateInventory(ctx context.Context, productID string, body inventoryUpdate) (map[string]error, error) {
	path := inventoryPath(productID)
	data, err := c.call(ctx, http.MethodPost, path, nil, body)
	if err != nil {
		return nil, err
	}
	errs, err := skuErrors(productID, data)
	if err != nil {
		return nil, fmt.Errorf("tiktokshop: %s: %w", path, err)
	}
	return errs, nil
}

// inventoryErrors is the data of Update Inventory: what failed, per SKU and warehouse.
type inventoryErrors struct {
	Errors []struct {
		Code    scalar `json:"code"`
		Message scalar `json:"message"`
		Detail  struct {
			SKUID       scalar `json:"sku_id"`
			ExtraErrors []struct {
				WarehouseID scalar `json:"warehouse_id"`
				Code        scalar `json:"code"`
				Message     scalar `json:"message"`
			} `json:"extra_errors"`
		} `json:"detail"`
	} `json:"errors"`
}

// skuErrors reads the errors of an Update Inventory answer as refusals keyed by sku_id; an error
// naming no SKU is keyed "" and applies to every SKU of the call.
func skuErrors(productID string, data json.RawMessage) (map[string]error, error) {
	var ie inventoryErrors
	if err := decodeData(data, &ie); err != nil {
		return nil, err
	}
	errs := map[string]error{}
	for _, e := range ie.Errors {
		var b strings.Builder
		fmt.Fprintf(&b, "code %s: %s", e.Code, e.Message)
		for _, x := range e.Detail.ExtraErrors {
			fmt.Fprintf(&b, "; warehouse %s: code %s: %s", x.WarehouseID, x.Code, x.Message)
		}
		sku := e.Detail.SKUID.String()
		errs[sku] = errors.Join(errs[sku], channels.Refused("tiktokshop: product %s sku %s: %s", productID, sku, b.String()))
	}
	return errs, nil
}

// ConfirmShipment implements channels.Connector: Ship Package for each package of the shipment
// (s.Packages that name TikTok's package_id, each with its own tracking number), else for the
// order's package. With a tracking number the seller shipped it (self_shipment, with TikTok's
// shipping_provider_id); without one the package goes with TikTok's own label, dropped off.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	var pkgs []channels.Package
	for _, p := range s.Packages {
		if p.Ref != "" {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		pkg, err := c.packageOf(ctx, s.OrderID, s.Refs)
		if err != nil {
			return err
		}
		pkgs = []channels.Package{{Ref: pkg}}
	}
	for _, p := range pkgs {
		one := s
		one.TrackingNumber = cmp.Or(p.TrackingNumber, s.TrackingNumber)
		req, err := shipRequestOf(one)
		if err != nil {
			return err
		}
		if _, err := c.call(ctx, http.MethodPost, shipPath(p.Ref), nil, req); err != nil {
			return err
		}
	}
	return nil
}

// shipRequest is the body of Ship Package.
type shipRequest struct {
	HandoverMethod string        `json:"handover_method"`
	SelfShipment   *selfShipment `json:"self_shipment,omitempty"`
}

type selfShipment struct {
	TrackingNumber     string `json:"tracking_number"`
	ShippingProviderID string `json:"shipping_provider_id"`
}

func shipRequestOf(s channels.Shipment) (shipRequest, error) {
	r := shipRequest{HandoverMethod: "DROP_OFF"}
	if s.TrackingNumber == "" {
		return r, nil
	}
	provider := s.Refs[RefShippingProviderID]
	if provider == "" {
		provider = s.Carrier
	}
	if provider == "" {
		return r, channels.Refused("tiktokshop: order %s: a tracking number needs TikTok's shipping_provider_id", s.OrderID)
	}
	r.SelfShipment = &selfShipment{TrackingNumber: s.TrackingNumber, ShippingProviderID: provider}
	return r, nil
}

// packageOf is the package to ship: Refs["package_id"], or else the fetched order's.
func (c *Client) packageOf(ctx context.Context, orderID string, refs map[string]string) (string, error) {
	if p := refs[RefPackageID]; p != "" {
		return p, nil
	}
	orders, err := c.Orders(ctx, []string{orderID})
	if err != nil {
		return "", err
	}
	for _, o := range orders {
		if p := o.Refs[RefPackageID]; o.ExternalID == orderID && p != "" {
			return p, nil
		}
	}
	return "", channels.Refused("tiktokshop: order %s has no package to ship", orderID)
}

// cancelRequest is the body of Cancel Order.
type cancelRequest struct {
	OrderID      string   `json:"order_id"`
	CancelReason string   `json:"cancel_reason"`
	LineItemIDs  []string `json:"order_line_item_ids,omitempty"`
}

// CancelOrder implements channels.Connector: Cancel Order, of the whole order or, when lines are
// given, of their units (order_line_item_ids; TikTok allows that in the US and UK only). Reason is
// sent when it is a seller_cancel_* key, else DefaultCancelReason.
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	r := cancelRequest{OrderID: x.OrderID, CancelReason: x.Reason}
	if !strings.HasPrefix(r.CancelReason, "seller_cancel") {
		r.CancelReason = DefaultCancelReason
	}
	for _, l := range x.Lines {
		if len(l.UnitIDs) == 0 {
			return channels.Refused("tiktokshop: order %s: TikTok cancels lines by their unit ids, and line %q has none", x.OrderID, l.SKU)
		}
		r.LineItemIDs = append(r.LineItemIDs, l.UnitIDs...)
	}
	_, err := c.call(ctx, http.MethodPost, pathCancel, nil, r)
	return err
}

// call sends one API call with the shop's common parameters and returns the answer's data. An
// HTTP error status or a code other than 0 is a refusal.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body any) (json.RawMessage, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("tiktokshop: %s %s: %w", method, path, err)
		}
	}
	q = withParam(q, ExtraShopCipher, c.account.Extra[ExtraShopCipher])
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		signed := signedQuery(c.account.AppKey, c.account.AppSecret, path, q, raw, c.now())
		var rd io.Reader
		if raw != nil {
			rd = bytes.NewReader(raw)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.account.BaseURL+path+"?"+signed.Encode(), rd)
		if err != nil {
			return nil, err
		}
		req.Header.Set(HeaderAccessToken, c.account.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("tiktokshop: %s %s: %w", method, path, err)
	}
	return answer(method, path, resp)
}

// signedQuery returns q with the common parameters of a call made at time at: app_key, timestamp
// (unix seconds) and sign (Sign over path, the parameters and body).
func signedQuery(appKey, appSecret, path string, q url.Values, body []byte, at time.Time) url.Values {
	out := withParam(q, "app_key", appKey)
	out.Set("timestamp", strconv.FormatInt(at.Unix(), 10))
	flat := make(map[string]string, len(out))
	for k := range out {
		flat[k] = out.Get(k)
	}
	out.Set("sign", Sign(appSecret, path, flat, body))
	return out
}

// withParam returns a copy of q with k set to v.
func withParam(q url.Values, k, v string) url.Values {
	out := make(url.Values, len(q)+1)
	for key, vs := range q {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, v)
	return out
}

// envelope is every TikTok Shop answer: a code (0 is success), a message, the request id and data.
type envelope struct {
	Code      scalar          `json:"code"`
	Message   scalar          `json:"message"`
	RequestID scalar          `json:"request_id"`
	Data      json.RawMessage `json:"data"`
}

// readEnvelope reads an answer; one without a code is an error.
func readEnvelope(body []byte) (envelope, error) {
	var e envelope
	if err := decode(body, &e); err != nil {
		return envelope{}, fmt.Errorf("answer: %w", err)
	}
	if e.Code.String() == "" {
		return envelope{}, errors.New("answer has no code")
	}
	return e, nil
}

// answer returns the data of a successful answer; any other is a refusal, but an unreadable 2xx.
func answer(method, path string, resp *channels.Response) (json.RawMessage, error) {
	e, err := readEnvelope(resp.Body)
	ok := resp.Status >= 200 && resp.Status <= 299
	switch {
	case !ok && err != nil:
		return nil, channels.Refused("tiktokshop: %s %s: HTTP %d: %s", method, path, resp.Status, short(resp.Body))
	case err != nil:
		return nil, fmt.Errorf("tiktokshop: %s %s: %w", method, path, err)
	case tokenRefused(e.Code.String()):
		return nil, channels.TokenExpired("tiktokshop: %s %s: HTTP %d: code %s: %s (request %s)", method, path, resp.Status, e.Code, e.Message, e.RequestID)
	case !ok || e.Code.String() != "0":
		return nil, channels.Refused("tiktokshop: %s %s: HTTP %d: code %s: %s (request %s)", method, path, resp.Status, e.Code, e.Message, e.RequestID)
	}
	return e.Data, nil
}

// throttled recognizes TikTok Shop's rate-limit code in an answer (channels.Caller.Throttled).
func throttled(_ int, body []byte) bool {
	e, err := readEnvelope(body)
	return err == nil && e.Code.String() == strconv.Itoa(CodeRateLimited)
}

// decodeData reads an answer's data into v; absent or null data is empty.
func decodeData(data json.RawMessage, v any) error {
	if t := bytes.TrimSpace(data); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	return decode(data, v)
}

// short is the start of an answer, for error messages.
func short(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
