package marketsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels/pos"
)

// posFace speaks Square's Orders API v2, as a shop that sells at the counter and online:
// BatchRetrieveOrders, SearchOrders, UpdateOrder (checking the order's version) and
// BatchChangeInventory, authenticated by the seller's Bearer token, with Square's error envelope.
// Orders ship by one SHIPMENT fulfillment, money is integer minor units, quantities are strings,
// times RFC 3339 with milliseconds in UTC, and a line's catalog_object_id is the listing's id.
//
// It sends thin order.updated webhooks signed over the shop's webhook URL and the body. Square sends
// order.created only for orders created through its API, never for sales rung up in the POS app, so
// a new order is announced as order.updated, as a POS sale is.
type posFace struct{}

func (posFace) apiRoot() string { return "" }

// Square order ids are 27 characters of base62.
func (posFace) orderID(sh *Shop, n int, _ time.Time) string {
	return squareID(fmt.Sprintf("%s/order/%d", sh.cfg.ShopID, n), 27)
}

const base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// squareID derives a Square-style id of n (at most 32) base62 characters from seed.
func squareID(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = base62[int(sum[i])%len(base62)]
	}
	return string(b)
}

// squareUUID derives a UUID-shaped id (Square's event ids) from seed.
func squareUUID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// posFulfillmentUID is the uid of an order's one fulfillment.
func posFulfillmentUID(orderID string) string { return squareID(orderID+"/fulfillment", 22) }

// posStates renders a simulated status as Square's order state and the state of its SHIPMENT
// fulfillment. Square reports no delivery of a shipment, so a delivered order still reads as shipped.
var posStates = map[Status][2]string{
	Unpaid:    {"DRAFT", "PROPOSED"},
	ToShip:    {"OPEN", "PROPOSED"},
	Shipped:   {"OPEN", "COMPLETED"},
	Delivered: {"OPEN", "COMPLETED"},
	Completed: {"COMPLETED", "COMPLETED"},
	Cancelled: {"CANCELED", "CANCELED"},
}

func (f posFace) routes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("POST /v2/orders/batch-retrieve", f.auth(sh, f.batchRetrieve))
	mux.HandleFunc("POST /v2/orders/search", f.auth(sh, f.search))
	mux.HandleFunc("PUT /v2/orders/{order_id}", f.auth(sh, f.update))
	mux.HandleFunc("POST /v2/inventory/changes/batch-create", f.auth(sh, f.changeInventory))
	mux.HandleFunc("POST "+pos.PathObtainToken, f.obtainToken(sh))
	f.catalogRoutes(mux, sh)
}

// auth refuses calls without a good access token of the seller's, as Square does.
func (posFace) auth(sh *Shop, h func(http.ResponseWriter, *http.Request, *Shop)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !bearer {
			token = ""
		}
		switch sh.checkToken(token) {
		case tokenUnknown:
			sh.refuse(w, http.StatusUnauthorized, `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}`)
			return
		case tokenExpired:
			sh.refuse(w, http.StatusUnauthorized, `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"ACCESS_TOKEN_EXPIRED","detail":"The access token has expired."}]}`)
			return
		}
		h(w, r, sh)
	}
}

// obtainToken is OAuth's ObtainToken with grant_type refresh_token: the application's id and
// secret and the refresh token in a JSON body. The code flow's refresh token stays the same.
func (posFace) obtainToken(sh *Shop) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
			GrantType    string `json:"grant_type"`
			RefreshToken string `json:"refresh_token"`
		}
		if !readBody(w, r, &in) {
			return
		}
		cred := sh.cfg.Credentials
		if in.ClientID != cred.AppKey || !hmac.Equal([]byte(in.ClientSecret), []byte(cred.AppSecret)) {
			sh.refuse(w, http.StatusUnauthorized, `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"Not Authorized"}]}`)
			return
		}
		if in.GrantType != "refresh_token" {
			squareError(w, http.StatusBadRequest, "INVALID_VALUE", "grant_type", "grant_type must be refresh_token")
			return
		}
		t, err := sh.rotate(in.RefreshToken)
		if err != nil {
			sh.refuse(w, http.StatusUnauthorized, `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"Invalid refresh token"}]}`)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": t.AccessToken, "token_type": "bearer",
			"expires_at":  sh.sim.now().Add(sh.lifetime()).Format(time.RFC3339),
			"merchant_id": "MLQW2Q4ZYDQF1", "refresh_token": t.RefreshToken, "short_lived": false,
		})
	}
}

// squareError answers with Square's error envelope.
func squareError(w http.ResponseWriter, status int, code, field, detail string) {
	e := map[string]string{"category": "INVALID_REQUEST_ERROR", "code": code, "detail": detail}
	if field != "" {
		e["field"] = field
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]string{e}})
}

// readBody decodes a request body, answering a malformed one.
func readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		squareError(w, http.StatusBadRequest, "BAD_REQUEST", "", "Invalid JSON: "+err.Error())
		return false
	}
	return true
}

func (f posFace) batchRetrieve(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		LocationID string   `json:"location_id"`
		OrderIDs   []string `json:"order_ids"`
	}
	switch {
	case !readBody(w, r, &in):
		return
	case len(in.OrderIDs) == 0:
		squareError(w, http.StatusBadRequest, "MISSING_REQUIRED_PARAMETER", "order_ids", "Field must be set")
		return
	case len(in.OrderIDs) > 100:
		squareError(w, http.StatusBadRequest, "ARRAY_LENGTH_TOO_LONG", "order_ids", "Array must contain at most 100 elements")
		return
	case in.LocationID != "" && in.LocationID != sh.cfg.ShopID:
		squareError(w, http.StatusNotFound, "NOT_FOUND", "location_id", fmt.Sprintf("Location `%s` not found.", in.LocationID))
		return
	}
	var orders []json.RawMessage
	for _, id := range in.OrderIDs {
		if o, ok := sh.Order(id); ok { // unknown ids are ignored, as Square does
			orders = append(orders, f.render(sh, o))
		}
	}
	writeJSON(w, http.StatusOK, ordersAnswer("orders", orders, ""))
}

// ordersAnswer is a list answer; Square leaves out empty lists and the cursor of the last page.
func ordersAnswer(key string, list any, cursor string) map[string]any {
	out := map[string]any{}
	if v, ok := list.([]json.RawMessage); !ok || len(v) > 0 {
		out[key] = list
	}
	if cursor != "" {
		out["cursor"] = cursor
	}
	return out
}

// searchCursor writes a page offset as an opaque cursor.
func searchCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("marketsim:" + strconv.Itoa(offset)))
}

func readSearchCursor(c string) (int, bool) {
	if c == "" {
		return 0, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	rest, ok := strings.CutPrefix(string(raw), "marketsim:")
	n, convErr := strconv.Atoi(rest)
	return n, err == nil && ok && convErr == nil && n >= 0
}

func (f posFace) search(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		LocationIDs []string `json:"location_ids"`
		Query       struct {
			Filter struct {
				DateTimeFilter struct {
					UpdatedAt struct {
						StartAt string `json:"start_at"`
						EndAt   string `json:"end_at"`
					} `json:"updated_at"`
				} `json:"date_time_filter"`
			} `json:"filter"`
			Sort struct {
				SortField string `json:"sort_field"`
			} `json:"sort"`
		} `json:"query"`
		Limit         int    `json:"limit"`
		Cursor        string `json:"cursor"`
		ReturnEntries bool   `json:"return_entries"`
	}
	if !readBody(w, r, &in) {
		return
	}
	span := in.Query.Filter.DateTimeFilter.UpdatedAt
	start, errStart := parseSquareTime(span.StartAt)
	end, errEnd := parseSquareTime(span.EndAt)
	offset, cursorOK := readSearchCursor(in.Cursor)
	switch {
	case len(in.LocationIDs) > 10:
		squareError(w, http.StatusBadRequest, "ARRAY_LENGTH_TOO_LONG", "location_ids", "Cannot provide more than 10 location_ids.")
		return
	case len(in.LocationIDs) > 0 && !contains(in.LocationIDs, sh.cfg.ShopID):
		squareError(w, http.StatusNotFound, "NOT_FOUND", "location_ids", "Location not found.")
		return
	case in.Query.Sort.SortField != "" && in.Query.Sort.SortField != "UPDATED_AT":
		squareError(w, http.StatusBadRequest, "BAD_REQUEST", "query.sort.sort_field", "marketsim: only UPDATED_AT sorting is simulated")
		return
	case errStart != nil || errEnd != nil:
		squareError(w, http.StatusBadRequest, "INVALID_VALUE", "query.filter.date_time_filter.updated_at", "Invalid RFC 3339 timestamp")
		return
	case !cursorOK:
		squareError(w, http.StatusBadRequest, "INVALID_CURSOR", "cursor", "Invalid cursor")
		return
	}
	limit := in.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	sh.mu.Lock()
	page, next := sh.listPage(func(o *Order) bool {
		return (start.IsZero() || !o.UpdatedAt.Before(start)) && (end.IsZero() || o.UpdatedAt.Before(end))
	}, offset, limit)
	sh.mu.Unlock()
	cursor := ""
	if next >= 0 {
		cursor = searchCursor(next)
	}
	if in.ReturnEntries {
		entries := make([]map[string]any, len(page))
		for i, o := range page {
			entries[i] = map[string]any{"order_id": o.ID, "location_id": sh.cfg.ShopID, "version": o.Version}
		}
		writeJSON(w, http.StatusOK, ordersAnswer("order_entries", entries, cursor))
		return
	}
	orders := make([]json.RawMessage, len(page))
	for i, o := range page {
		orders[i] = f.render(sh, o)
	}
	writeJSON(w, http.StatusOK, ordersAnswer("orders", orders, cursor))
}

func parseSquareTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (f posFace) update(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		Order struct {
			LocationID   string `json:"location_id"`
			Version      *int   `json:"version"`
			State        string `json:"state"`
			Fulfillments []struct {
				UID      string `json:"uid"`
				State    string `json:"state"`
				Shipment struct {
					Carrier        string `json:"carrier"`
					TrackingNumber string `json:"tracking_number"`
				} `json:"shipment_details"`
			} `json:"fulfillments"`
		} `json:"order"`
	}
	if !readBody(w, r, &in) {
		return
	}
	id, u := r.PathValue("order_id"), in.Order
	o, ok := sh.Order(id)
	switch {
	case !ok:
		squareError(w, http.StatusNotFound, "NOT_FOUND", "", fmt.Sprintf("Order `%s` not found.", id))
		return
	case u.LocationID != sh.cfg.ShopID:
		squareError(w, http.StatusBadRequest, "INVALID_VALUE", "order.location_id", "The order's location cannot be changed.")
		return
	case u.Version == nil:
		squareError(w, http.StatusBadRequest, "MISSING_REQUIRED_PARAMETER", "order.version", "Field must be set")
		return
	case *u.Version != o.Version:
		squareError(w, http.StatusBadRequest, "VERSION_MISMATCH", "order.version", fmt.Sprintf("Version %d does not match the order's version %d.", *u.Version, o.Version))
		return
	}
	var c Confirmation // a cancellation, unless the update completes the shipment
	switch {
	case u.State == "CANCELED" && len(u.Fulfillments) == 0:
	case u.State == "" && len(u.Fulfillments) == 1 && u.Fulfillments[0].State == "COMPLETED":
		if u.Fulfillments[0].UID != posFulfillmentUID(id) {
			squareError(w, http.StatusBadRequest, "INVALID_VALUE", "order.fulfillments[0].uid", "No fulfillment with this uid.")
			return
		}
		s := u.Fulfillments[0].Shipment
		c = Confirmation{Shipped: true, Carrier: s.Carrier, Tracking: s.TrackingNumber}
	default:
		squareError(w, http.StatusBadRequest, "BAD_REQUEST", "order", "marketsim: only completing the shipment or cancelling the order is simulated")
		return
	}
	updated, err := sh.confirm(id, c)
	if err != nil {
		squareError(w, http.StatusBadRequest, "BAD_REQUEST", "order", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": f.render(sh, updated)})
}

func (posFace) changeInventory(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		IdempotencyKey string `json:"idempotency_key"`
		Changes        []struct {
			Type  string `json:"type"`
			Count *struct {
				CatalogObjectID string `json:"catalog_object_id"`
				LocationID      string `json:"location_id"`
				Quantity        string `json:"quantity"`
				State           string `json:"state"`
			} `json:"physical_count"`
		} `json:"changes"`
	}
	switch {
	case !readBody(w, r, &in):
		return
	case in.IdempotencyKey == "":
		squareError(w, http.StatusBadRequest, "MISSING_REQUIRED_PARAMETER", "idempotency_key", "Field must be set")
		return
	case len(in.Changes) == 0 || len(in.Changes) > 100:
		squareError(w, http.StatusBadRequest, "ARRAY_LENGTH_TOO_LONG", "changes", "Between 1 and 100 changes are allowed.")
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	qty := make([]int64, len(in.Changes))
	// Square applies a batch whole or not at all: check every change first.
	for i, ch := range in.Changes {
		field := fmt.Sprintf("changes[%d].physical_count", i)
		c := ch.Count
		var err error
		switch {
		case ch.Type != "PHYSICAL_COUNT" || c == nil:
			squareError(w, http.StatusBadRequest, "BAD_REQUEST", fmt.Sprintf("changes[%d].type", i), "marketsim: only PHYSICAL_COUNT changes are simulated")
			return
		case sh.listings[c.CatalogObjectID].ID == "":
			squareError(w, http.StatusBadRequest, "INVALID_VALUE", field+".catalog_object_id", fmt.Sprintf("Invalid object ID `%s`.", c.CatalogObjectID))
			return
		case c.LocationID != sh.cfg.ShopID:
			squareError(w, http.StatusBadRequest, "INVALID_VALUE", field+".location_id", fmt.Sprintf("Invalid location ID `%s`.", c.LocationID))
			return
		case c.State != "IN_STOCK":
			squareError(w, http.StatusBadRequest, "BAD_REQUEST", field+".state", "marketsim: only IN_STOCK counts are simulated")
			return
		}
		if qty[i], err = strconv.ParseInt(c.Quantity, 10, 64); err != nil || qty[i] < 0 {
			squareError(w, http.StatusBadRequest, "INVALID_VALUE", field+".quantity", fmt.Sprintf("Invalid quantity `%s`.", c.Quantity))
			return
		}
	}
	at := sh.sim.now().Format(squareTime)
	counts := make([]map[string]any, len(in.Changes))
	for i, ch := range in.Changes {
		sh.recordPush(ch.Count.CatalogObjectID, qty[i])
		counts[i] = map[string]any{
			"catalog_object_id": ch.Count.CatalogObjectID, "catalog_object_type": "ITEM_VARIATION", "state": "IN_STOCK",
			"location_id": sh.cfg.ShopID, "quantity": strconv.FormatInt(qty[i], 10), "calculated_at": at,
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts, "errors": []any{}})
}

// squareTime is how Square writes times.
const squareTime = "2006-01-02T15:04:05.000Z07:00"

func (posFace) webhook(sh *Shop, o *Order, _ bool) (http.Header, []byte, bool) {
	sh.mu.Lock()
	url, key := sh.cfg.WebhookURL, sh.cfg.Credentials.WebhookSecret
	sh.mu.Unlock()
	seq := sh.nextDeliverySeq()
	body, _ := json.Marshal(map[string]any{
		"merchant_id": strings.ToUpper(squareID(sh.cfg.ShopID+"/merchant", 13)),
		"type":        "order.updated",
		"event_id":    squareUUID(fmt.Sprintf("%s/event/%d", sh.cfg.ShopID, seq)),
		"created_at":  sh.sim.now().Format(squareTime),
		"data": map[string]any{"type": "order_updated", "id": o.ID, "object": map[string]any{"order_updated": map[string]any{
			"order_id": o.ID, "location_id": sh.cfg.ShopID, "state": posStates[o.Status][0], "version": o.Version,
			"created_at": o.CreatedAt.UTC().Format(squareTime), "updated_at": o.UpdatedAt.UTC().Format(squareTime),
		}}},
	})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(pos.HeaderSignature, pos.Sign(key, url, body))
	return h, body, true
}

// posTender is how a simulated order was paid: by card once placed; a cash-on-delivery order (which
// Square does not know) in cash once delivered; nothing while unpaid or once cancelled.
func posTender(o *Order) string {
	switch {
	case o.Status == Unpaid || o.Status == Cancelled:
		return ""
	case !o.COD:
		return "CARD"
	case o.Status == Delivered || o.Status == Completed:
		return "CASH"
	}
	return ""
}

// render writes an order as Square's Order.
func (posFace) render(sh *Shop, o *Order) json.RawMessage {
	if raw, ok := sh.raw(o.ID, RawOrder); ok {
		return raw
	}
	money := func(v int64) map[string]any { return map[string]any{"amount": v, "currency": o.Currency} }
	ts := func(t time.Time) string { return t.UTC().Format(squareTime) }
	st := posStates[o.Status]
	var discount int64
	var discounts []map[string]any
	lines := make([]map[string]any, len(o.Lines))
	for i, l := range o.Lines {
		gross := l.UnitPrice * l.Quantity
		lines[i] = map[string]any{
			"uid": l.ID, "name": l.Listing.Name, "quantity": strconv.FormatInt(l.Quantity, 10),
			"catalog_object_id": l.Listing.ID, "item_type": "ITEM",
			"base_price_money": money(l.UnitPrice), "variation_total_price_money": money(gross),
			"gross_sales_money": money(gross), "total_discount_money": money(l.Discount),
			"total_tax_money": money(0), "total_money": money(gross - l.Discount),
		}
		if l.Discount > 0 {
			discount += l.Discount
			uid := "discount-" + l.ID
			discounts = append(discounts, map[string]any{
				"uid": uid, "name": "Sale", "type": "FIXED_AMOUNT", "scope": "LINE_ITEM",
				"amount_money": money(l.Discount), "applied_money": money(l.Discount),
			})
			lines[i]["applied_discounts"] = []map[string]any{{"uid": uid + "-applied", "discount_uid": uid, "applied_money": money(l.Discount)}}
		}
	}
	a := o.Address
	details := map[string]any{
		"recipient": map[string]any{
			"display_name": a.Name, "email_address": o.Buyer.Email, "phone_number": a.Phone,
			"address": map[string]any{
				"address_line_1": a.Line1, "address_line_2": a.Line2, "locality": a.City,
				"administrative_district_level_1": a.Region, "postal_code": a.PostalCode, "country": a.CountryCode,
			},
		},
		"placed_at": ts(o.CreatedAt), "expected_shipped_at": ts(o.ShipBy),
	}
	if o.Tracking != "" {
		details["carrier"], details["tracking_number"] = o.Carrier, o.Tracking
	}
	switch o.Status {
	case Shipped:
		details["shipped_at"] = ts(o.UpdatedAt)
	case Cancelled:
		details["canceled_at"] = ts(o.UpdatedAt)
	}
	total, due := o.Total(), o.Total()
	fulfillment := map[string]any{"uid": posFulfillmentUID(o.ID), "type": "SHIPMENT", "state": st[1], "shipment_details": details}
	body := map[string]any{
		"id": o.ID, "location_id": sh.cfg.ShopID, "reference_id": o.Number, "customer_id": o.Buyer.ID,
		"source": map[string]any{"name": "Square Online"}, "line_items": lines, "fulfillments": []map[string]any{fulfillment},
		"total_money": money(total), "total_tax_money": money(0), "total_discount_money": money(discount),
		"total_tip_money": money(0), "total_service_charge_money": money(o.Shipping),
		"net_amounts": map[string]any{
			"total_money": money(total), "tax_money": money(0), "discount_money": money(discount),
			"tip_money": money(0), "service_charge_money": money(o.Shipping),
		},
		"created_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt), "state": st[0], "version": o.Version,
	}
	if len(discounts) > 0 {
		body["discounts"] = discounts
	}
	if o.Shipping > 0 {
		body["service_charges"] = []map[string]any{{
			"uid": "shipping", "name": "Shipping", "type": "CUSTOM", "calculation_phase": "TOTAL_PHASE", "taxable": false,
			"amount_money": money(o.Shipping), "applied_money": money(o.Shipping), "total_money": money(o.Shipping),
			"total_tax_money": money(0),
		}}
	}
	if tender := posTender(o); tender != "" {
		due = 0
		body["tenders"] = []map[string]any{{
			"id": squareID(o.ID+"/tender", 27), "location_id": sh.cfg.ShopID, "transaction_id": o.ID,
			"created_at": ts(o.CreatedAt), "amount_money": money(total), "type": tender,
		}}
	}
	body["net_amount_due_money"] = money(due)
	if st[0] == "COMPLETED" || st[0] == "CANCELED" {
		body["closed_at"] = ts(o.UpdatedAt)
	}
	raw, _ := json.Marshal(body)
	return raw
}
