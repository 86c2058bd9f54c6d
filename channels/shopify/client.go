package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// APIVersion is the Admin REST API version the client calls.
const APIVersion = "2025-07"

// Client is the connector for one Shopify store, over the Admin REST API: orders by id and by
// update time (cursor paging through the Link header), inventory levels, fulfillments through
// fulfillment orders, their deliveries (fulfillment events), cancellations, and the catalogue
// (products.json: catalog.go); returns, which REST
// does not have, through the Admin GraphQL API (returns.go). Calls carry the store's access token in
// X-Shopify-Access-Token; webhooks are checked with the app's client secret.
type Client struct {
	account channels.Account
	caller  channels.Caller
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a store. The account needs BaseURL (https://{shop}.myshopify.com),
// AccessToken and AppSecret; Extra["location_id"] is the Shopify location stock is set at unless a
// listing names its own.
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	if a.BaseURL == "" || a.AccessToken == "" || a.AppSecret == "" {
		return nil, fmt.Errorf("%w: Shopify needs a base URL, an access token and the app's client secret", channels.ErrAccount)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc}}, nil
}

// Verify implements channels.Connector.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return Webhooks{}.Verify(h, body, c.account.AppSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return Webhooks{}.Parse(h, body)
}

// maxPage is the largest page the REST API serves.
const maxPage = 250

// Orders implements channels.Connector: GET orders.json?ids=… in chunks of 250.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for start := 0; start < len(ids); start += maxPage {
		chunk := ids[start:min(start+maxPage, len(ids))]
		q := url.Values{"ids": {strings.Join(chunk, ",")}, "status": {"any"}, "limit": {fmt.Sprint(maxPage)}}
		for {
			page, next, err := c.list(ctx, q)
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
			if next == "" {
				break
			}
			q = url.Values{"limit": {fmt.Sprint(maxPage)}, "page_info": {next}}
		}
	}
	return out, nil
}

// Updated implements channels.Connector: GET orders.json by updated_at, oldest first; the cursor is
// the next page_info of the Link header (with which Shopify allows no other filter).
func (c *Client) Updated(ctx context.Context, pq channels.PullQuery) (channels.OrderPage, error) {
	limit := pq.PageSize
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	q := url.Values{"limit": {fmt.Sprint(limit)}}
	if pq.Cursor != "" {
		q.Set("page_info", pq.Cursor)
	} else {
		q.Set("status", "any")
		q.Set("order", "updated_at asc")
		q.Set("updated_at_min", pq.Since.UTC().Format(time.RFC3339))
		if !pq.Until.IsZero() {
			q.Set("updated_at_max", pq.Until.UTC().Format(time.RFC3339))
		}
	}
	orders, next, err := c.list(ctx, q)
	if err != nil {
		return channels.OrderPage{}, err
	}
	return channels.OrderPage{Orders: orders, Next: next}, nil
}

// list calls orders.json and returns the normalized orders and the next page_info.
func (c *Client) list(ctx context.Context, q url.Values) ([]channels.Order, string, error) {
	resp, err := c.call(ctx, http.MethodGet, "/orders.json?"+q.Encode(), nil)
	if err != nil {
		return nil, "", err
	}
	var page struct {
		Orders []json.RawMessage `json:"orders"`
	}
	if err := json.Unmarshal(resp.Body, &page); err != nil {
		return nil, "", fmt.Errorf("shopify: orders.json: %w", err)
	}
	out := make([]channels.Order, 0, len(page.Orders))
	for _, raw := range page.Orders {
		o, err := NormalizeOrder(raw)
		if err != nil {
			return nil, "", err
		}
		o.ShopID = c.account.ShopID
		out = append(out, o)
	}
	return out, nextPageInfo(resp.Header.Get("Link")), nil
}

var linkNext = regexp.MustCompile(`<([^>]+)>;\s*rel="?next"?`)

// nextPageInfo reads the page_info of the rel="next" link, or "".
func nextPageInfo(link string) string {
	m := linkNext.FindStringSubmatch(link)
	if m == nil {
		return ""
	}
	u, err := url.Parse(m[1])
	if err != nil {
		return ""
	}
	return u.Query().Get("page_info")
}

// Accept implements channels.Connector; Shopify has no acknowledgement step.
func (c *Client) Accept(context.Context, []channels.Order) error { return nil }

// PushStock implements channels.Connector: one inventory_levels/set.json per listing, keyed by
// the listing's inventory_item_id and location_id (or the account's location).
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	for i, l := range levels {
		out[i].ListingID = l.ListingID
		item, loc := l.Attrs["inventory_item_id"], l.Attrs["location_id"]
		if loc == "" {
			loc = c.account.Extra["location_id"]
		}
		if item == "" || loc == "" {
			out[i].Err = channels.Refused("listing %s has no inventory_item_id or location_id", l.ListingID)
			continue
		}
		body := fmt.Sprintf(`{"location_id":%s,"inventory_item_id":%s,"available":%d}`, jsonID(loc), jsonID(item), l.Quantity)
		if _, err := c.call(ctx, http.MethodPost, "/inventory_levels/set.json", []byte(body)); err != nil {
			if !errors.Is(err, channels.ErrRefused) {
				return nil, err
			}
			out[i].Err = err
		}
	}
	return out, nil
}

// jsonID writes a numeric Shopify id as a JSON number, any other id as a string.
func jsonID(id string) string {
	if id != "" && strings.Trim(id, "0123456789") == "" {
		return id
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// CancelOrder implements channels.Connector: orders/{id}/cancel.json. Ordo owns the stock, so
// Shopify is not asked to restock; the next stock push sets it.
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	_, err := c.call(ctx, http.MethodPost, "/orders/"+url.PathEscape(x.OrderID)+"/cancel.json", []byte(`{"reason":"other","email":false}`))
	return err
}

// call sends one Admin API call and returns a 2xx answer; 4xx answers are refusals.
func (c *Client) call(ctx context.Context, method, path string, body []byte) (*channels.Response, error) {
	full := c.account.BaseURL + "/admin/api/" + APIVersion + path
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Shopify-Access-Token", c.account.AccessToken)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("shopify: %s %s: %w", method, path, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, channels.Refused("shopify: %s %s: HTTP %d: %s", method, path, resp.Status, bytes.TrimSpace(resp.Body))
	}
	return resp, nil
}
