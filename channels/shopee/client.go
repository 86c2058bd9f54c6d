package shopee

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// The Shop API paths the client calls; each is also the api_path its requests are signed over.
const (
	PathOrderDetail = "/api/v2/order/get_order_detail"
	PathOrderList   = "/api/v2/order/get_order_list"
	PathUpdateStock = "/api/v2/product/update_stock"
	PathShipOrder   = "/api/v2/logistics/ship_order"
	PathCancelOrder = "/api/v2/order/cancel_order"

	PathShippingParameter = "/api/v2/logistics/get_shipping_parameter"
	PathTrackingNumber    = "/api/v2/logistics/get_tracking_number"
	PathCreateDocument    = "/api/v2/logistics/create_shipping_document"
	PathDocumentResult    = "/api/v2/logistics/get_shipping_document_result"
	PathDownloadDocument  = "/api/v2/logistics/download_shipping_document"
)

// Limits of the Shop API, from its docs.
const (
	maxDetail      = 50                  // order_sn_list
	maxListPage    = 100                 // get_order_list page_size
	maxWindow      = 15 * 24 * time.Hour // get_order_list time_to − time_from
	maxStockModels = 50                  // update_stock stock_list
	// pushMaxAge is how old a push may be: Shopee retries failed pushes and keeps three days of them
	// for get_lost_push_message; a replayed push is harmless, since it only names an order to fetch.
	pushMaxAge = 72 * time.Hour
)

// DetailFields is the response_optional_fields of get_order_detail: every optional field the
// normalizer reads (the others, such as order_status, create_time and ship_by_date, come by default).
const DetailFields = "buyer_user_id,buyer_username,recipient_address,item_list,pay_time,package_list," +
	"shipping_carrier,total_amount,estimated_shipping_fee,actual_shipping_fee"

// Client is the connector for one Shopee shop, over Open Platform v2's Shop APIs:
//
//	GET  /api/v2/order/get_order_detail  Orders, ≤50 order_sn a call, with DetailFields
//	GET  /api/v2/order/get_order_list    Updated: time_range_field=update_time, windows of at most
//	                                     15 days, page_size ≤100, cursor; then get_order_detail
//	POST /api/v2/product/update_stock    PushStock: seller_stock, ≤50 models of one item a call
//	POST /api/v2/logistics/ship_order    ConfirmShipment: non_integrated with the tracking number;
//	                                     ArrangeShipment: pickup or dropoff
//	POST /api/v2/order/cancel_order      CancelOrder
//	GET  /api/v2/logistics/get_shipping_parameter        ArrangeShipment: how the package may ship
//	GET  /api/v2/logistics/get_tracking_number           ArrangeShipment: the package's tracking number
//	POST /api/v2/logistics/create_shipping_document      ShippingDocuments, then
//	POST /api/v2/logistics/get_shipping_document_result  until READY, then
//	POST /api/v2/logistics/download_shipping_document    the airway bill itself
//	GET  /api/v2/returns/get_return_list    UpdatedReturns: by update_time, 15-day windows, page_no
//	GET  /api/v2/returns/get_return_detail  ReturnsByID, and before each decision
//	POST /api/v2/returns/confirm, dispute, offer          DecideReturn (returns.go)
//
// Every call carries partner_id, timestamp, access_token, shop_id and sign in the query (a POST's
// parameters are its JSON body), signed with SignRequest over the api path. Shopee answers errors
// in the body: error_rate_limit is throttling (retried by the Caller, then a RateLimitError),
// error_limit the daily quota (a RateLimitError until 00:00 UTC+8), error_server and error_network
// transient errors, and any other code a refusal wrapping channels.ErrRefused.
//
// The account needs BaseURL (https://partner.shopeemobile.com), ShopID (shop_id), AppKey
// (partner_id), AppSecret (partner_key) and AccessToken; pushes are verified against WebhookURL,
// the callback URL as registered with Shopee, which it signs with the body. A StockLevel names its
// model by Attrs "item_id" and "model_id" ("0" or absent for an item without models) or else by a
// ListingID of the form "item_id:model_id" (see ListingID); Attrs "location_id" picks the
// warehouse of a multi-warehouse shop.
type Client struct {
	account           channels.Account
	partnerID, shopID int64
	caller            channels.Caller
	now               func() time.Time
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a shop. An account without a base URL, a numeric shop id
// and partner id, a partner key or an access token is refused.
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	partnerID, perr := strconv.ParseInt(strings.TrimSpace(a.AppKey), 10, 64)
	shopID, serr := strconv.ParseInt(strings.TrimSpace(a.ShopID), 10, 64)
	if a.BaseURL == "" || a.AppSecret == "" || a.AccessToken == "" || perr != nil || serr != nil || partnerID <= 0 || shopID <= 0 {
		return nil, fmt.Errorf("%w: Shopee needs a base URL, a numeric shop id, the numeric partner id (AppKey), the partner key (AppSecret) and an access token", channels.ErrAccount)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{
		account:   a,
		partnerID: partnerID,
		shopID:    shopID,
		caller:    channels.Caller{Client: hc, Throttled: throttled},
		now:       time.Now,
	}, nil
}

// Verify implements channels.Connector: the push's Authorization over the callback URL and the
// raw body, and its timestamp within three days.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return c.webhooks().Verify(h, body, c.account.AppSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return c.webhooks().Parse(h, body)
}

func (c *Client) webhooks() Webhooks {
	return Webhooks{CallbackURL: c.account.WebhookURL, MaxAge: pushMaxAge}
}

// Orders implements channels.Connector: get_order_detail, 50 order_sn at a time, in the order of
// ids. Shopee answers error_not_found when it knows none of a call's orders; that is no order.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for start := 0; start < len(ids); start += maxDetail {
		page, err := c.detail(ctx, ids[start:min(start+maxDetail, len(ids))])
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	return out, nil
}

func (c *Client) detail(ctx context.Context, sns []string) ([]channels.Order, error) {
	q := neturl.Values{
		"order_sn_list":                {strings.Join(sns, ",")},
		"response_optional_fields":     {DetailFields},
		"request_order_status_pending": {"true"},
	}
	raw, err := c.call(ctx, http.MethodGet, PathOrderDetail, q, nil)
	var ae *apiError
	if errors.As(err, &ae) && ae.code == "error_not_found" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var resp struct {
		OrderList []order `json:"order_list"`
	}
	if err := decode(raw, &resp); err != nil {
		return nil, fmt.Errorf("shopee: get_order_detail: %w", err)
	}
	byID := make(map[string]channels.Order, len(resp.OrderList))
	for _, o := range resp.OrderList {
		n, err := o.normalize()
		if err != nil {
			return nil, err
		}
		n.ShopID = c.account.ShopID
		byID[n.ExternalID] = n
	}
	out := make([]channels.Order, 0, len(byID))
	for _, sn := range sns {
		if o, ok := byID[sn]; ok {
			out = append(out, o)
			delete(byID, sn)
		}
	}
	return out, nil
}

// pullWindow reads a pull by update time: the cursor (the window's start and Shopee's own part),
// the end of the window walked now (at most maxWindow after its start, never after Until), whether
// a later window follows it, and the page size (at most max). done is set when nothing is left
// before Until.
func (c *Client) pullWindow(pq channels.PullQuery, max int) (cur Cursor, to time.Time, later bool, size int, done bool, err error) {
	until := pq.Until
	if until.IsZero() {
		until = c.now()
	}
	cur = Cursor{From: pq.Since}
	if pq.Cursor != "" {
		if cur, err = ParseCursor(pq.Cursor); err != nil {
			return cur, to, false, 0, false, err
		}
	}
	if !cur.From.Before(until) {
		return cur, to, false, 0, true, nil
	}
	to = until
	if end := cur.From.Add(maxWindow); end.Before(to) {
		to = end
	}
	size = pq.PageSize
	if size <= 0 || size > max {
		size = max
	}
	return cur, to, to.Before(until), size, false, nil
}

// Updated implements channels.Connector: get_order_list by update_time, then the detail of the
// page's orders. Shopee lists at most 15 days at a time, so a longer [Since, Until) is walked
// window by window; the cursor (see Cursor) holds the window's start and Shopee's own cursor, and
// a window with no orders may make an empty page that is not the last.
func (c *Client) Updated(ctx context.Context, pq channels.PullQuery) (channels.OrderPage, error) {
	cur, to, later, size, done, err := c.pullWindow(pq, maxListPage)
	if err != nil || done {
		return channels.OrderPage{}, err
	}
	raw, err := c.call(ctx, http.MethodGet, PathOrderList, neturl.Values{
		"time_range_field": {"update_time"},
		"time_from":        {strconv.FormatInt(cur.From.Unix(), 10)},
		"time_to":          {strconv.FormatInt(to.Unix(), 10)},
		"page_size":        {strconv.Itoa(size)},
		"cursor":           {cur.Shopee},
	}, nil)
	if err != nil {
		return channels.OrderPage{}, err
	}
	sns, next, err := parseOrderList(raw)
	if err != nil {
		return channels.OrderPage{}, err
	}
	orders, err := c.Orders(ctx, sns)
	if err != nil {
		return channels.OrderPage{}, err
	}
	page := channels.OrderPage{Orders: orders}
	switch {
	case next != "":
		page.Next = Cursor{From: cur.From, Shopee: next}.String()
	case later:
		page.Next = Cursor{From: to}.String()
	}
	return page, nil
}

// parseOrderList reads get_order_list's response: the order_sn of the page and Shopee's
// next_cursor, empty when the window has no more pages.
func parseOrderList(raw json.RawMessage) (sns []string, next string, err error) {
	var resp struct {
		More       flag `json:"more"`
		NextCursor text `json:"next_cursor"`
		OrderList  []struct {
			OrderSN text `json:"order_sn"`
		} `json:"order_list"`
	}
	if err := decode(raw, &resp); err != nil {
		return nil, "", fmt.Errorf("shopee: get_order_list: %w", err)
	}
	for _, o := range resp.OrderList {
		if o.OrderSN != "" {
			sns = append(sns, string(o.OrderSN))
		}
	}
	if resp.More {
		next = string(resp.NextCursor)
	}
	return sns, next, nil
}

// Cursor is where an Updated pull stands: the start of the current window of get_order_list and
// Shopee's cursor inside it ("" at the window's first page). Its string form is
// "<unix seconds>:<Shopee's cursor>".
type Cursor struct {
	From   time.Time
	Shopee string
}

// String encodes the cursor as PullQuery.Cursor carries it.
func (c Cursor) String() string {
	return strconv.FormatInt(c.From.Unix(), 10) + ":" + c.Shopee
}

// ParseCursor reads a cursor that String wrote.
func ParseCursor(s string) (Cursor, error) {
	from, shopee, ok := strings.Cut(s, ":")
	sec, err := strconv.ParseInt(from, 10, 64)
	if !ok || err != nil || sec < 0 || sec > 1<<40 {
		return Cursor{}, fmt.Errorf("shopee: cursor %q is not one of ours", s)
	}
	return Cursor{From: time.Unix(sec, 0).UTC(), Shopee: shopee}, nil
}

// Accept implements channels.Connector; Shopee has no acknowledgement step.
func (c *Client) Accept(context.Context, []channels.Order) error { return nil }

// stockBatch is one update_stock call: up to 50 models of one item, as indexes into the levels.
type stockBatch struct {
	item string
	at   []int
}

// PushStock implements channels.Connector: update_stock per item, up to 50 of its models a call,
// setting seller_stock (a negative quantity is sent as 0). Models in the answer's failure_list, and
// every model of a call Shopee refuses, fail alone. If a call fails for throttling or an outage,
// the error is returned when nothing was updated yet; otherwise it fails that call's listings and
// the rest, and what went through stays.
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	var batches []stockBatch
	open := map[string]int{} // item id → its batch being filled
	for i, l := range levels {
		out[i].ListingID = l.ListingID
		item, _, ok := stockKeys(l)
		if !ok {
			out[i].Err = channels.Refused("shopee: listing %q has no numeric item_id and model_id", l.ListingID)
			continue
		}
		b, found := open[item]
		if !found || len(batches[b].at) == maxStockModels {
			batches = append(batches, stockBatch{item: item})
			b = len(batches) - 1
			open[item] = b
		}
		batches[b].at = append(batches[b].at, i)
	}
	sent := false
	for n, b := range batches {
		err := c.updateStock(ctx, b, levels, out)
		switch {
		case err == nil:
			sent = true
		case errors.Is(err, channels.ErrRefused):
			fail(out, err, b)
		case !sent:
			return nil, err
		default:
			fail(out, err, batches[n:]...)
			return out, nil
		}
	}
	return out, nil
}

func fail(out []channels.StockResult, err error, batches ...stockBatch) {
	for _, b := range batches {
		for _, i := range b.at {
			out[i].Err = err
		}
	}
}

// stockKeys reads a level's item and model ids: Attrs item_id and model_id, else its ListingID.
func stockKeys(l channels.StockLevel) (item, model string, ok bool) {
	item, model = strings.TrimSpace(l.Attrs["item_id"]), strings.TrimSpace(l.Attrs["model_id"])
	if item == "" {
		return ParseListingID(l.ListingID)
	}
	if model == "" {
		model = "0"
	}
	return item, model, isDecimal(item) && isDecimal(model)
}

type sellerStock struct {
	LocationID string `json:"location_id,omitempty"`
	Stock      int64  `json:"stock"`
}

type stockModel struct {
	ModelID     json.Number   `json:"model_id"`
	SellerStock []sellerStock `json:"seller_stock"`
}

// updateStock sends one batch and records each level's outcome in out.
func (c *Client) updateStock(ctx context.Context, b stockBatch, levels []channels.StockLevel, out []channels.StockResult) error {
	models := make([]string, len(b.at))
	body := struct {
		ItemID    json.Number  `json:"item_id"`
		StockList []stockModel `json:"stock_list"`
	}{ItemID: json.Number(b.item)}
	for k, i := range b.at {
		_, models[k], _ = stockKeys(levels[i])
		body.StockList = append(body.StockList, stockModel{
			ModelID:     json.Number(models[k]),
			SellerStock: []sellerStock{{LocationID: levels[i].Attrs["location_id"], Stock: max(0, levels[i].Quantity)}},
		})
	}
	raw, err := c.call(ctx, http.MethodPost, PathUpdateStock, nil, body)
	if err != nil {
		return err
	}
	took, refused, err := stockOutcome(raw)
	if err != nil {
		return err
	}
	for k, i := range b.at {
		if reason, no := refused[models[k]]; no {
			out[i].Err = channels.Refused("shopee: update_stock: item %s model %s: %s", b.item, models[k], reason)
		} else if !took[models[k]] {
			out[i].Err = fmt.Errorf("shopee: update_stock: item %s model %s: not in the answer", b.item, models[k])
		}
	}
	return nil
}

// stockOutcome reads update_stock's response: the models in success_list, and the failed_reason of
// those in failure_list.
func stockOutcome(raw json.RawMessage) (took map[string]bool, refused map[string]string, err error) {
	var resp struct {
		SuccessList []struct {
			ModelID text `json:"model_id"`
		} `json:"success_list"`
		FailureList []struct {
			ModelID      text `json:"model_id"`
			FailedReason text `json:"failed_reason"`
		} `json:"failure_list"`
	}
	if err := decode(raw, &resp); err != nil {
		return nil, nil, fmt.Errorf("shopee: update_stock: %w", err)
	}
	took, refused = map[string]bool{}, map[string]string{}
	for _, s := range resp.SuccessList {
		took[string(s.ModelID)] = true
	}
	for _, f := range resp.FailureList {
		refused[string(f.ModelID)] = string(f.FailedReason)
	}
	return took, refused, nil
}

// ConfirmShipment implements channels.Connector: ship_order with the tracking number as a
// non-integrated channel's shipment. Shopee has no carrier field there (the order's carrier is the
// one the buyer chose). A shipment whose packages name Shopee's package_number ships each of them
// with its own tracking number (a split order needs the package_number:
// logistics.ship_order_need_pacakge_number, an unsplit one refuses it); one without ships the
// whole order.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	type nonIntegrated struct {
		TrackingNumber string `json:"tracking_number,omitempty"`
	}
	type shipOrder struct {
		OrderSN       string        `json:"order_sn"`
		PackageNumber string        `json:"package_number,omitempty"`
		NonIntegrated nonIntegrated `json:"non_integrated"`
	}
	var calls []shipOrder
	for _, p := range s.Packages {
		if p.Ref != "" {
			calls = append(calls, shipOrder{s.OrderID, p.Ref, nonIntegrated{cmp.Or(p.TrackingNumber, s.TrackingNumber)}})
		}
	}
	if len(calls) == 1 {
		split, err := c.split(ctx, s.OrderID)
		if err != nil {
			return err
		}
		if !split { // Shopee refuses a package_number for an unsplit order
			calls[0].PackageNumber = ""
		}
	}
	if len(calls) == 0 {
		calls = append(calls, shipOrder{OrderSN: s.OrderID, NonIntegrated: nonIntegrated{s.TrackingNumber}})
	}
	for _, call := range calls {
		if _, err := c.call(ctx, http.MethodPost, PathShipOrder, nil, call); err != nil {
			return err
		}
	}
	return nil
}

// cancelReasons are cancel_order's reasons (UNDELIVERABLE_AREA only in TW and MY).
var cancelReasons = map[string]bool{
	"OUT_OF_STOCK": true, "CUSTOMER_REQUEST": true, "UNDELIVERABLE_AREA": true, "COD_NOT_SUPPORTED": true,
}

// CancelReason maps Ordo's reason to cancel_order's: one of Shopee's own reasons, in any case and
// with spaces for underscores ("customer request"), or else OUT_OF_STOCK, Ordo's usual reason.
func CancelReason(reason string) string {
	key := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(reason), " ", "_"))
	if cancelReasons[key] {
		return key
	}
	return "OUT_OF_STOCK"
}

type cancelItem struct {
	ItemID  json.Number `json:"item_id"`
	ModelID json.Number `json:"model_id"`
}

// CancelOrder implements channels.Connector: cancel_order for the whole order. OUT_OF_STOCK needs
// the items out of stock: the cancellation's lines, or every line of the order when it names none
// (read with get_order_detail).
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	body := struct {
		OrderSN      string       `json:"order_sn"`
		CancelReason string       `json:"cancel_reason"`
		ItemList     []cancelItem `json:"item_list,omitempty"`
	}{OrderSN: x.OrderID, CancelReason: CancelReason(x.Reason)}
	if body.CancelReason == "OUT_OF_STOCK" {
		listings, err := c.cancelled(ctx, x)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, id := range listings {
			item, model, ok := ParseListingID(id)
			if !ok {
				return channels.Refused("shopee: cancel %s: line listing %q is not item_id:model_id", x.OrderID, id)
			}
			if !seen[id] {
				seen[id] = true
				body.ItemList = append(body.ItemList, cancelItem{json.Number(item), json.Number(model)})
			}
		}
	}
	_, err := c.call(ctx, http.MethodPost, PathCancelOrder, nil, body)
	return err
}

// cancelled lists the listings of a cancellation: its lines', or all of the order's.
func (c *Client) cancelled(ctx context.Context, x channels.Cancellation) ([]string, error) {
	var ids []string
	for _, l := range x.Lines {
		ids = append(ids, l.ListingID)
	}
	if len(ids) > 0 {
		return ids, nil
	}
	orders, err := c.Orders(ctx, []string{x.OrderID})
	if err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, channels.Refused("shopee: cancel: no order %s", x.OrderID)
	}
	for _, l := range orders[0].Lines {
		ids = append(ids, l.ListingID)
	}
	return ids, nil
}

// call sends one Shop API call, signed afresh on every attempt, and returns its response object.
// GET parameters go in the query beside the common ones; a POST's body is v as JSON.
func (c *Client) call(ctx context.Context, method, path string, params neturl.Values, v any) (json.RawMessage, error) {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("shopee: %s: %w", path, err)
		}
	}
	resp, err := c.sendRaw(ctx, method, path, params, body)
	if err != nil {
		return nil, err
	}
	return c.envelope(path, resp)
}

// send is call without reading the answer (download_shipping_document answers with a file).
func (c *Client) send(ctx context.Context, method, path string, params neturl.Values, v any) (*channels.Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("shopee: %s: %w", path, err)
	}
	return c.sendRaw(ctx, method, path, params, body)
}

// sendRaw sends one signed call with body (nil: none) and returns the final answer.
func (c *Client) sendRaw(ctx context.Context, method, path string, params neturl.Values, body []byte) (*channels.Response, error) {
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		full := c.account.BaseURL + path + "?" + c.signed(path, params).Encode()
		req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("shopee: %s %s: %w", method, path, err)
	}
	return resp, nil
}

// signed adds the Shop API's common parameters and sign to a call's own.
func (c *Client) signed(path string, params neturl.Values) neturl.Values {
	ts := c.now().Unix()
	q := neturl.Values{}
	for k, vs := range params {
		q[k] = vs
	}
	q.Set("partner_id", strconv.FormatInt(c.partnerID, 10))
	q.Set("timestamp", strconv.FormatInt(ts, 10))
	q.Set("access_token", c.account.AccessToken)
	q.Set("shop_id", strconv.FormatInt(c.shopID, 10))
	q.Set("sign", SignRequest(c.account.AppSecret, c.partnerID, path, ts, c.account.AccessToken, c.shopID))
	return q
}

// envelope reads Shopee's answer {"error","message","request_id","response"}: the response object
// when error is empty and the status 2xx, else the error.
func (c *Client) envelope(path string, resp *channels.Response) (json.RawMessage, error) {
	var env struct {
		Error     text            `json:"error"`
		Message   text            `json:"message"`
		RequestID text            `json:"request_id"`
		Response  json.RawMessage `json:"response"`
	}
	err := decode(resp.Body, &env)
	ok := resp.Status >= 200 && resp.Status <= 299
	switch {
	case err == nil && env.Error == "error_limit":
		return nil, &channels.RateLimitError{RetryAfter: untilQuotaReset(c.now()), Detail: fmt.Sprintf("shopee: %s: %s", path, env.Message)}
	case err == nil && env.Error != "":
		return nil, &apiError{path: path, code: string(env.Error), message: string(env.Message), requestID: string(env.RequestID)}
	case !ok:
		return nil, channels.Refused("shopee: %s: HTTP %d: %s", path, resp.Status, bytes.TrimSpace(resp.Body))
	case err != nil:
		return nil, fmt.Errorf("shopee: %s: %w", path, err)
	}
	return env.Response, nil
}

// untilQuotaReset is how long until the daily API quota resets, at 00:00 UTC+8.
func untilQuotaReset(now time.Time) time.Duration {
	sg := time.FixedZone("UTC+8", 8*3600)
	t := now.In(sg)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, sg).Sub(now)
}

// throttled recognizes Shopee's rate limit, answered in the body as error_rate_limit.
func throttled(_ int, body []byte) bool {
	if !bytes.Contains(body, []byte("error_rate_limit")) {
		return false
	}
	var env struct {
		Error text `json:"error"`
	}
	return decode(body, &env) == nil && env.Error == "error_rate_limit"
}

// apiError is an error code Shopee answered with. It is a refusal (channels.ErrRefused) but for
// error_server and error_network, which are Shopee's own trouble and worth a retry.
type apiError struct {
	path, code, message, requestID string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("shopee: %s: %s: %s (request_id %s)", e.path, e.code, e.message, e.requestID)
}

// Unwrap makes the error a channels.ErrRefused unless it is transient.
func (e *apiError) Unwrap() error {
	if e.code == "error_server" || e.code == "error_network" {
		return nil
	}
	return channels.ErrRefused
}
