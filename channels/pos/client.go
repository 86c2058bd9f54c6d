package pos

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// APIVersion is the Square-Version the client sends, pinning the shapes of requests and answers.
const APIVersion = "2025-10-16"

const (
	// maxBatch bounds the order ids of one BatchRetrieveOrders and the changes of one
	// BatchChangeInventory.
	maxBatch = 100
	// maxSearch is the largest SearchOrders page Square serves (its default).
	maxSearch = 500
)

// Client is the connector for one Square location (Account.ShopID is the location id), at
// Account.BaseURL (https://connect.squareup.com, or the sandbox's), with the seller's
// Credentials.AccessToken as a Bearer token and Square-Version APIVersion. It calls:
//
//	POST /v2/orders/batch-retrieve           Orders, and the read before every update
//	POST /v2/orders/search                   Updated: by updated_at, oldest first, cursor paging
//	POST /v2/inventory/changes/batch-create  PushStock: PHYSICAL_COUNT of IN_STOCK per listing
//	PUT  /v2/orders/{order_id}               ConfirmShipment (fulfillment COMPLETED), CancelOrder
//
// A listing is a catalog item variation: StockLevel.ListingID is its catalog_object_id and
// StockLevel.Attrs["location_id"] overrides the account's location. Webhooks are checked with
// Credentials.WebhookSecret (the subscription's signature key) over Account.WebhookURL; without
// both, every webhook is refused. Answers with Square errors are refusals (channels.ErrRefused);
// RATE_LIMITED is throttling; VERSION_MISMATCH on an update re-reads the order and tries once more.
type Client struct {
	account channels.Account
	caller  channels.Caller
}

var _ channels.Connector = (*Client)(nil)

// NewClient returns the connector for a location. The account needs BaseURL, AccessToken and
// ShopID (the location id).
func NewClient(a channels.Account, hc *http.Client) (*Client, error) {
	if a.BaseURL == "" || a.AccessToken == "" || a.ShopID == "" {
		return nil, fmt.Errorf("%w: Square needs a base URL, an access token and the location id as shop id", channels.ErrAccount)
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc, Throttled: throttled}}, nil
}

// Verify implements channels.Connector.
func (c *Client) Verify(h http.Header, body []byte, now time.Time) error {
	return Webhooks{URL: c.account.WebhookURL}.Verify(h, body, c.account.WebhookSecret, now)
}

// Parse implements channels.Connector.
func (c *Client) Parse(h http.Header, body []byte) (channels.Notification, error) {
	return Webhooks{URL: c.account.WebhookURL}.Parse(h, body)
}

type batchRetrieve struct {
	LocationID string   `json:"location_id"`
	OrderIDs   []string `json:"order_ids"`
}

// Orders implements channels.Connector: BatchRetrieveOrders in chunks of 100; Square leaves out the
// ids it does not know.
func (c *Client) Orders(ctx context.Context, ids []string) ([]channels.Order, error) {
	var out []channels.Order
	for start := 0; start < len(ids); start += maxBatch {
		req := batchRetrieve{LocationID: c.account.ShopID, OrderIDs: ids[start:min(start+maxBatch, len(ids))]}
		body, err := c.call(ctx, http.MethodPost, "/v2/orders/batch-retrieve", req)
		if err != nil {
			return nil, err
		}
		orders, _, err := NormalizeOrders(body)
		if err != nil {
			return nil, err
		}
		out = append(out, orders...)
	}
	return out, nil
}

type timeRange struct {
	StartAt string `json:"start_at,omitempty"`
	EndAt   string `json:"end_at,omitempty"`
}

type searchQuery struct {
	Filter struct {
		DateTimeFilter struct {
			UpdatedAt timeRange `json:"updated_at"`
		} `json:"date_time_filter"`
	} `json:"filter"`
	Sort struct {
		SortField string `json:"sort_field"`
		SortOrder string `json:"sort_order"`
	} `json:"sort"`
}

type searchRequest struct {
	LocationIDs   []string    `json:"location_ids"`
	Query         searchQuery `json:"query"`
	Limit         int         `json:"limit"`
	Cursor        string      `json:"cursor,omitempty"`
	ReturnEntries bool        `json:"return_entries"`
}

// searchFor is the SearchOrders request of a pull. Square wants the same query with every cursor,
// so the window is sent again on later pages.
func (c *Client) searchFor(pq channels.PullQuery) searchRequest {
	r := searchRequest{LocationIDs: []string{c.account.ShopID}, Limit: pq.PageSize, Cursor: pq.Cursor}
	if r.Limit <= 0 || r.Limit > maxSearch {
		r.Limit = maxSearch
	}
	r.Query.Filter.DateTimeFilter.UpdatedAt = timeRange{StartAt: stamp(pq.Since), EndAt: stamp(pq.Until)}
	r.Query.Sort.SortField, r.Query.Sort.SortOrder = "UPDATED_AT", "ASC"
	return r
}

// Updated implements channels.Connector: SearchOrders of the location by updated_at, oldest first,
// whole orders (return_entries false); the cursor is Square's.
func (c *Client) Updated(ctx context.Context, pq channels.PullQuery) (channels.OrderPage, error) {
	body, err := c.call(ctx, http.MethodPost, "/v2/orders/search", c.searchFor(pq))
	if err != nil {
		return channels.OrderPage{}, err
	}
	orders, next, err := NormalizeOrders(body)
	if err != nil {
		return channels.OrderPage{}, err
	}
	return channels.OrderPage{Orders: orders, Next: next}, nil
}

// Accept implements channels.Connector; Square has no acknowledgement step.
func (c *Client) Accept(context.Context, []channels.Order) error { return nil }

type physicalCount struct {
	CatalogObjectID string `json:"catalog_object_id"`
	LocationID      string `json:"location_id"`
	Quantity        string `json:"quantity"`
	State           string `json:"state"`
	OccurredAt      string `json:"occurred_at"`
}

type inventoryChange struct {
	Type          string        `json:"type"`
	PhysicalCount physicalCount `json:"physical_count"`
}

type changeRequest struct {
	IdempotencyKey        string            `json:"idempotency_key"`
	Changes               []inventoryChange `json:"changes"`
	IgnoreUnchangedCounts bool              `json:"ignore_unchanged_counts"`
}

// PushStock implements channels.Connector: BatchChangeInventory with one PHYSICAL_COUNT (an
// absolute IN_STOCK count) per listing, 100 to a call. Square takes a batch whole or refuses it
// whole, so a refused batch fails each of its listings.
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	at := stamp(time.Now())
	for start := 0; start < len(levels); start += maxBatch {
		end := min(start+maxBatch, len(levels))
		req, sent := c.stockChanges(levels[start:end], out[start:end], at)
		if len(sent) == 0 {
			continue
		}
		if _, err := c.call(ctx, http.MethodPost, "/v2/inventory/changes/batch-create", req); err != nil {
			if !errors.Is(err, channels.ErrRefused) {
				return nil, err
			}
			for _, i := range sent {
				out[start+i].Err = err
			}
		}
	}
	return out, nil
}

// stockChanges builds the BatchChangeInventory request of a batch of levels, stamped at, filling
// in res (the batch's results) and refusing the levels Square could not take; sent indexes the
// levels in the request. Its idempotency key is derived from its content, the time included: a
// retried request is recognized, a later push of the same quantities is not mistaken for one.
func (c *Client) stockChanges(levels []channels.StockLevel, res []channels.StockResult, at string) (changeRequest, []int) {
	req := changeRequest{IgnoreUnchangedCounts: true}
	var sent []int
	for i, l := range levels {
		res[i].ListingID = l.ListingID
		if l.ListingID == "" || l.Quantity < 0 {
			res[i].Err = channels.Refused("pos: listing %q: a catalog object id and a quantity of 0 or more are needed", l.ListingID)
			continue
		}
		req.Changes = append(req.Changes, inventoryChange{Type: "PHYSICAL_COUNT", PhysicalCount: physicalCount{
			CatalogObjectID: l.ListingID,
			LocationID:      cmp.Or(l.Attrs["location_id"], c.account.ShopID),
			Quantity:        strconv.FormatInt(l.Quantity, 10),
			State:           "IN_STOCK",
			OccurredAt:      at,
		}})
		sent = append(sent, i)
	}
	req.IdempotencyKey = idempotencyKey(req.Changes)
	return req, sent
}

type shipmentUpdate struct {
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	ShippedAt      string `json:"shipped_at"`
}

type fulfillmentUpdate struct {
	UID      string          `json:"uid"`
	State    string          `json:"state"`
	Shipment *shipmentUpdate `json:"shipment_details,omitempty"`
}

// orderUpdate is the sparse order of an UpdateOrder: the fields it changes, with the version it
// was read at.
type orderUpdate struct {
	LocationID   string              `json:"location_id"`
	Version      json.Number         `json:"version"`
	State        string              `json:"state,omitempty"`
	Fulfillments []fulfillmentUpdate `json:"fulfillments,omitempty"`
}

// ConfirmShipment implements channels.Connector: UpdateOrder completing the order's shipment
// fulfillment (the one in Refs["fulfillment_uid"], read afresh) with the carrier, tracking number and
// shipping time. Square completes a fulfillment whole: Shipment.Lines are not sent.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	shipped := cmp.Or(stamp(s.ShippedAt), stamp(time.Now()))
	return c.update(ctx, s.OrderID, func(o channels.Order) (orderUpdate, error) {
		uid := o.Refs[RefFulfillment]
		if uid == "" {
			return orderUpdate{}, channels.Refused("pos: order %s has no fulfillment to complete", o.ExternalID)
		}
		return orderUpdate{Fulfillments: []fulfillmentUpdate{{UID: uid, State: "COMPLETED", Shipment: &shipmentUpdate{
			Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, ShippedAt: shipped,
		}}}}, nil
	})
}

// CancelOrder implements channels.Connector: UpdateOrder to state CANCELED.
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	return c.update(ctx, x.OrderID, func(channels.Order) (orderUpdate, error) {
		return orderUpdate{State: "CANCELED"}, nil
	})
}

// errVersion marks an update Square refused with VERSION_MISMATCH: the order changed since it was
// read.
var errVersion = errors.New("pos: the order changed since it was read (VERSION_MISMATCH)")

// update reads an order for its version and location, sends the update change builds from it, and
// when Square answers that the order has moved on meanwhile, does both once more.
func (c *Client) update(ctx context.Context, orderID string, change func(channels.Order) (orderUpdate, error)) error {
	for attempt := 1; ; attempt++ {
		got, err := c.Orders(ctx, []string{orderID})
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return channels.Refused("pos: no order %s at location %s", orderID, c.account.ShopID)
		}
		o := got[0]
		if o.Refs[RefVersion] == "" {
			return channels.Refused("pos: order %s has no version", orderID)
		}
		u, err := change(o)
		if err != nil {
			return err
		}
		u.LocationID = cmp.Or(o.Refs[RefLocation], c.account.ShopID)
		u.Version = json.Number(o.Refs[RefVersion])
		req := struct {
			Order          orderUpdate `json:"order"`
			IdempotencyKey string      `json:"idempotency_key"`
		}{u, idempotencyKey(u)}
		_, err = c.call(ctx, http.MethodPut, "/v2/orders/"+url.PathEscape(orderID), req)
		if attempt == 1 && errors.Is(err, errVersion) {
			continue
		}
		return err
	}
}

// idempotencyKey derives a request's idempotency key from its content: the SHA-256 of its JSON, as
// a UUID-shaped string, short enough for every Square endpoint.
func idempotencyKey(v any) string {
	b, _ := json.Marshal(v) // the request types always marshal
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// stamp writes a time as Square does (RFC 3339, milliseconds, UTC); the zero time is "".
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// apiError is one entry of Square's error envelope {"errors":[…]}.
type apiError struct {
	Category string `json:"category"`
	Code     string `json:"code"`
	Detail   string `json:"detail"`
	Field    string `json:"field"`
}

// readErrors returns the errors an answer carries; an answer that is not Square's JSON has none.
func readErrors(body []byte) []apiError {
	if !bytes.Contains(body, []byte(`"errors"`)) {
		return nil
	}
	var e struct {
		Errors []apiError `json:"errors"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Errors
}

func hasCode(errs []apiError, code string) bool {
	for _, e := range errs {
		if e.Code == code {
			return true
		}
	}
	return false
}

// throttled recognizes Square's RATE_LIMITED error whatever the status it comes with (429 is
// retried by the caller anyway).
func throttled(_ int, body []byte) bool {
	return bytes.Contains(body, []byte("RATE_LIMITED")) && hasCode(readErrors(body), "RATE_LIMITED")
}

// call sends one API call and returns the body of a 2xx answer without errors; any other answer is
// a refusal. A nil in sends no body (a GET).
func (c *Client) call(ctx context.Context, method, path string, in any) ([]byte, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("pos: %s %s: %w", method, path, err)
		}
	}
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, c.account.BaseURL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+c.account.AccessToken)
		req.Header.Set("Square-Version", APIVersion)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("pos: %s %s: %w", method, path, err)
	}
	errs := readErrors(resp.Body)
	if resp.Status >= 200 && resp.Status <= 299 && len(errs) == 0 {
		return resp.Body, nil
	}
	return nil, refusal(method, path, resp.Status, errs, resp.Body)
}

// refusal is the error of an answer with Square errors or a non-2xx status.
func refusal(method, path string, status int, errs []apiError, body []byte) error {
	what := string(bytes.TrimSpace(body))
	if len(what) > 200 {
		what = what[:200] + "…"
	}
	if len(errs) > 0 {
		parts := make([]string, len(errs))
		for i, e := range errs {
			parts[i] = strings.TrimSpace(fmt.Sprintf("%s/%s %s %s", e.Category, e.Code, e.Field, e.Detail))
		}
		what = strings.Join(parts, "; ")
	}
	if hasCode(errs, codeTokenExpired) {
		return channels.TokenExpired("pos: %s %s: HTTP %d: %s", method, path, status, what)
	}
	err := channels.Refused("pos: %s %s: HTTP %d: %s", method, path, status, what)
	if hasCode(errs, "VERSION_MISMATCH") {
		return fmt.Errorf("%w: %w", errVersion, err)
	}
	return err
}
