package marketsim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// facebookFace speaks Meta's Graph API for Commerce Platform orders: commerce_orders (state,
// updated_after/updated_before, limit and after cursors, field selection), single and multi-id
// reads, acknowledge_orders, items_batch, and an order's shipments and cancellations, answering
// refusals in Graph's error envelope. Meta sends no order webhooks.
//
// The simulator's states read as Meta's: Unpaid is FB_PROCESSING (Meta's fraud and remorse window),
// ToShip is CREATED until acknowledged and IN_PROGRESS after, Shipped is IN_PROGRESS with a
// shipment of every item, Delivered and Completed are COMPLETED with that shipment (Meta reports
// no delivery), and Cancelled is COMPLETED with a cancellation of every item and, as Meta does,
// without the buyer's details and address. A shipment or cancellation always covers the whole
// order (the simulator has no partial ones), and one sent again (the same tracking number, or an
// order already cancelled) answers as the first did, as Meta does for a repeated idempotency key.
type facebookFace struct{}

func (facebookFace) apiRoot() string { return "" }

// Meta's order ids are long digit strings; these exceed 2^53.
func (facebookFace) orderID(_ *Shop, n int, _ time.Time) string {
	return strconv.FormatInt(10100677592885259+int64(n), 10)
}

func (f facebookFace) routes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET /{version}/{$}", f.auth(sh, f.readMany))
	mux.HandleFunc("GET /{version}/{node}", f.auth(sh, f.readOne))
	mux.HandleFunc("GET /{version}/{node}/commerce_orders", f.auth(sh, f.listOrders))
	mux.HandleFunc("POST /{version}/{node}/acknowledge_orders", f.auth(sh, f.acknowledge))
	mux.HandleFunc("POST /{version}/{node}/items_batch", f.auth(sh, f.itemsBatch))
	mux.HandleFunc("POST /{version}/{node}/shipments", f.auth(sh, f.ship))
	mux.HandleFunc("POST /{version}/{node}/cancellations", f.auth(sh, f.cancel))
	mux.HandleFunc("GET /{version}/{node}/products", f.auth(sh, f.products)) // facebook_catalog.go
}

func (facebookFace) webhook(*Shop, *Order, bool) (http.Header, []byte, bool) { return nil, nil, false }

// fbError is Graph's error envelope.
func fbError(code, subcode int, typ, msg string) map[string]any {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AsimFbTrace0Ordo"}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	return map[string]any{"error": e}
}

// auth checks the access token (a Bearer header or the access_token parameter) and, when sent,
// appsecret_proof, as Graph does.
func (facebookFace) auth(sh *Shop, h func(http.ResponseWriter, *http.Request, *Shop)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			token = r.URL.Query().Get("access_token")
		}
		creds := sh.cfg.Credentials
		if token == "" || token != creds.AccessToken {
			body, _ := json.Marshal(fbError(190, 0, "OAuthException", "Invalid OAuth access token."))
			sh.refuse(w, http.StatusBadRequest, string(body))
			return
		}
		if p := r.URL.Query().Get("appsecret_proof"); p != "" && p != channels.HMACHex(creds.AppSecret, token) {
			body, _ := json.Marshal(fbError(100, 0, "GraphMethodException", "Invalid appsecret_proof provided in the API argument"))
			sh.refuse(w, http.StatusBadRequest, string(body))
			return
		}
		h(w, r, sh)
	}
}

// fbNoObject answers a node the caller may not see, as Graph does.
func fbNoObject(w http.ResponseWriter, id string) {
	writeJSON(w, http.StatusBadRequest, fbError(100, 33, "GraphMethodException", fmt.Sprintf(
		"Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id)))
}

func fbBadParam(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusBadRequest, fbError(100, 0, "OAuthException", "(#100) "+msg))
}

// fbOrderFields are CommerceOrder's fields and edges (fb_codegen_spec_CommerceOrder.json); Graph
// refuses any other.
var fbOrderFields = map[string]bool{
	"buyer_details": true, "channel": true, "contains_bopis_items": true, "created": true,
	"estimated_payment_details": true, "id": true, "is_group_buy": true, "is_test_order": true,
	"last_updated": true, "merchant_order_id": true, "order_status": true, "pre_order_details": true,
	"selected_shipping_option": true, "ship_by_date": true, "shipping_address": true,
	"cancellations": true, "items": true, "payments": true, "promotion_details": true, "promotions": true,
	"refunds": true, "returns": true, "shipments": true,
}

// fbFields reads the top level of a fields parameter ("a,b{c,d}" is a and b); Graph's defaults for
// a CommerceOrder when there is none. It returns the first field CommerceOrder does not have.
func fbFields(param string) ([]string, string) {
	if strings.TrimSpace(param) == "" {
		return []string{"id", "order_status", "created", "last_updated"}, ""
	}
	var out []string
	depth, start := 0, 0
	for i, r := range param + "," {
		switch {
		case r == '{':
			depth++
		case r == '}':
			depth--
		case r == ',' && depth == 0:
			name, _, _ := strings.Cut(param[start:i], "{")
			name, _, _ = strings.Cut(strings.TrimSpace(name), ".")
			if !fbOrderFields[name] {
				return nil, name
			}
			out = append(out, name)
			start = i + 1
		}
	}
	return out, ""
}

// fbSelectFields reads the fields parameter, answering an unknown field as Graph does.
func fbSelectFields(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	fs, bad := fbFields(r.URL.Query().Get("fields"))
	if bad != "" {
		fbBadParam(w, fmt.Sprintf("Tried accessing nonexisting field (%s) on node type (CommerceOrder)", bad))
		return nil, false
	}
	return fs, true
}

func (f facebookFace) readOne(w http.ResponseWriter, r *http.Request, sh *Shop) {
	fs, ok := fbSelectFields(w, r)
	if !ok {
		return
	}
	o, found := sh.Order(r.PathValue("node"))
	if !found {
		fbNoObject(w, r.PathValue("node"))
		return
	}
	writeJSON(w, http.StatusOK, f.render(o, fs, sh.Fulfillments(o.ID)))
}

// readMany is Graph's multi-id read: every id must exist.
func (f facebookFace) readMany(w http.ResponseWriter, r *http.Request, sh *Shop) {
	ids := split(r.URL.Query().Get("ids"))
	if len(ids) == 0 {
		fbBadParam(w, "Param ids is required")
		return
	}
	fs, ok := fbSelectFields(w, r)
	if !ok {
		return
	}
	out := map[string]any{}
	for _, id := range ids {
		o, found := sh.Order(id)
		if !found {
			writeJSON(w, http.StatusNotFound, fbError(803, 0, "OAuthException", "(#803) Some of the aliases you requested do not exist: "+id))
			return
		}
		out[id] = f.render(o, fs, sh.Fulfillments(o.ID))
	}
	writeJSON(w, http.StatusOK, out)
}

// The order states of commerce_orders' state parameter.
var fbStates = map[string]bool{"FB_PROCESSING": true, "CREATED": true, "IN_PROGRESS": true, "COMPLETED": true}

func (f facebookFace) listOrders(w http.ResponseWriter, r *http.Request, sh *Shop) {
	if r.PathValue("node") != sh.cfg.ShopID {
		fbNoObject(w, r.PathValue("node"))
		return
	}
	q := r.URL.Query()
	fs, ok := fbSelectFields(w, r)
	if !ok {
		return
	}
	want := map[string]bool{"CREATED": true}
	if s := strings.Trim(q.Get("state"), "[]"); s != "" {
		want = map[string]bool{}
		for _, st := range split(strings.ReplaceAll(s, `"`, "")) {
			if !fbStates[st] {
				fbBadParam(w, "Param state["+st+"] must be one of {FB_PROCESSING, CREATED, IN_PROGRESS, COMPLETED}")
				return
			}
			want[st] = true
		}
	}
	after, errA := fbUnix(q.Get("updated_after"))
	before, errB := fbUnix(q.Get("updated_before"))
	offset, errC := fbOffset(q.Get("after"))
	if errA != nil || errB != nil || errC != nil {
		fbBadParam(w, "Invalid parameter")
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 25
	}
	sh.mu.Lock()
	page, next := sh.listPage(func(o *Order) bool {
		u := o.UpdatedAt.Unix()
		return want[f.state(o)] && (after < 0 || u > after) && (before < 0 || u < before)
	}, offset, min(limit, 100))
	sh.mu.Unlock()
	data := make([]map[string]any, len(page))
	for i, o := range page {
		data[i] = f.render(o, fs, sh.Fulfillments(o.ID))
	}
	out := map[string]any{"data": data}
	if len(page) > 0 {
		paging := map[string]any{"cursors": map[string]string{"before": fbCursor(offset), "after": fbCursor(offset + len(page))}}
		if next >= 0 {
			nq := url.Values{"fields": {q.Get("fields")}, "limit": {strconv.Itoa(limit)}, "after": {fbCursor(next)}}
			for _, k := range []string{"state", "updated_after", "updated_before"} {
				if q.Has(k) {
					nq.Set(k, q.Get(k))
				}
			}
			paging["next"] = "https://graph.facebook.com" + r.URL.Path + "?" + nq.Encode()
		}
		out["paging"] = paging
	}
	writeJSON(w, http.StatusOK, out)
}

// fbUnix reads a datetime parameter as unix seconds, -1 when absent.
func fbUnix(s string) (int64, error) {
	if s == "" {
		return -1, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// Cursors are opaque base64, as Graph's are; these carry an offset.
func fbCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func fbOffset(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, err
	}
	n, ok := strings.CutPrefix(string(raw), "offset:")
	if !ok {
		return 0, fmt.Errorf("not a cursor")
	}
	return strconv.Atoi(n)
}

// state is the order's order_status.state.
func (facebookFace) state(o *Order) string {
	switch o.Status {
	case Unpaid:
		return "FB_PROCESSING"
	case ToShip:
		if o.Acknowledged {
			return "IN_PROGRESS"
		}
		return "CREATED"
	case Shipped:
		return "IN_PROGRESS"
	}
	return "COMPLETED"
}

// fbTime is how Graph writes times.
func fbTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }

// render writes the requested fields of an order, shipped in shipments, as a CommerceOrder; id is
// always there.
func (f facebookFace) render(o *Order, fs []string, shipments []Fulfillment) map[string]any {
	all := f.order(o, shipments)
	out := map[string]any{"id": o.ID}
	for _, name := range fs {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out
}

func (f facebookFace) order(o *Order, shipments []Fulfillment) map[string]any {
	cur := o.Currency
	money := func(v int64) map[string]string { return map[string]string{"amount": decimal(v, cur), "currency": cur} }
	items := make([]map[string]any, len(o.Lines))
	units := make([]map[string]any, len(o.Lines))
	for i, l := range o.Lines {
		items[i] = map[string]any{
			"id": fbItemID(l), "product_id": orDefault(l.Listing.Attrs["product_id"], "3051000000000"+l.ID), "retailer_id": l.Listing.ID,
			"quantity": l.Quantity, "price_per_unit": money(l.UnitPrice),
			"tax_details": map[string]any{"estimated_tax": money(0)},
		}
		units[i] = map[string]any{"id": fbItemID(l), "retailer_id": l.Listing.ID, "quantity": l.Quantity}
	}
	out := map[string]any{
		"id": o.ID, "order_status": map[string]string{"state": f.state(o)}, "channel": "facebook",
		"created": fbTime(o.CreatedAt), "last_updated": fbTime(o.UpdatedAt), "ship_by_date": o.ShipBy.UTC().Format(time.DateOnly),
		"is_test_order": false, "contains_bopis_items": false,
		"estimated_payment_details": map[string]any{
			"subtotal": map[string]any{"items": money(o.Subtotal()), "shipping": money(o.Shipping)},
			"tax":      money(0), "total_amount": money(o.Total()), "tax_remitted": true,
		},
		"selected_shipping_option": map[string]any{
			"name": "Standard", "price": money(o.Shipping), "calculated_tax": money(0),
			"estimated_shipping_time": map[string]int{"min_days": 2, "max_days": 5},
		},
		"items":         map[string]any{"data": items},
		"shipments":     map[string]any{"data": []any{}},
		"cancellations": map[string]any{"data": []any{}},
	}
	if len(shipments) > 0 {
		out["shipments"] = map[string]any{"data": fbShipments(o, shipments)}
	}
	switch o.Status {
	case Shipped, Delivered, Completed:
		if len(shipments) > 0 {
			break
		}
		out["shipments"] = map[string]any{"data": []any{map[string]any{
			"id": "7" + o.ID[1:], "items": map[string]any{"data": units},
			"tracking_info": map[string]string{"tracking_number": o.Tracking, "carrier": o.Carrier},
		}}}
	case Cancelled:
		out["cancellations"] = map[string]any{"data": []any{map[string]any{
			"id": "8" + o.ID[1:], "cancel_reason": fbCancelReason(o.CancelReason), "items": map[string]any{"data": units},
		}}}
		return out // Meta strips the buyer and the address of cancelled orders
	}
	a := o.Address
	out["buyer_details"] = map[string]any{"name": o.Buyer.Name, "email": o.Buyer.Email, "email_remarketing_option": false}
	out["shipping_address"] = map[string]string{
		"name": a.Name, "street1": a.Line1, "street2": a.Line2, "city": a.City, "state": a.Region,
		"postal_code": a.PostalCode, "country": a.CountryCode,
	}
	return out
}

// fbItemID is the id of an order item: a long digit string, as Meta's are.
func fbItemID(l Line) string { return "2082596341" + l.ID }

// fbShipments renders the shipments Ordo sent as the shipments edge, their items by line.
func fbShipments(o *Order, shipments []Fulfillment) []any {
	out := make([]any, len(shipments))
	for k, f := range shipments {
		var units []map[string]any
		for _, l := range o.Lines {
			if q := f.Lines[l.ID]; q > 0 {
				units = append(units, map[string]any{"id": fbItemID(l), "retailer_id": l.Listing.ID, "quantity": q})
			}
		}
		out[k] = map[string]any{
			"id": fmt.Sprintf("7%s%d", o.ID[1:], k), "external_shipment_id": f.ID, "items": map[string]any{"data": units},
			"tracking_info": map[string]string{"tracking_number": f.Tracking, "carrier": f.Carrier},
		}
	}
	return out
}

// fbCancelReasons are the reason codes of the cancellations edge.
var fbCancelReasons = map[string]bool{
	"CUSTOMER_REQUESTED": true, "OUT_OF_STOCK": true, "INVALID_ADDRESS": true, "SUSPICIOUS_ORDER": true, "CANCEL_REASON_OTHER": true,
}

// fbCancelReason renders a cancel reason kept as a code or as a free description.
func fbCancelReason(reason string) map[string]string {
	if fbCancelReasons[reason] {
		return map[string]string{"reason_code": reason}
	}
	return map[string]string{"reason_code": "CANCEL_REASON_OTHER", "reason_description": reason}
}

// fbDecode reads a JSON body into v; keyed bodies must carry an idempotency_key. It answers
// Graph's refusal when the body will not do.
func fbDecode(w http.ResponseWriter, r *http.Request, v any, keyed bool) bool {
	raw, err := io.ReadAll(r.Body)
	var key struct {
		Key string `json:"idempotency_key"`
	}
	switch {
	case err != nil || json.Unmarshal(raw, &key) != nil:
		fbBadParam(w, "Invalid JSON body")
	case keyed && key.Key == "":
		fbBadParam(w, "The parameter idempotency_key is required")
	case json.Unmarshal(raw, v) != nil:
		fbBadParam(w, "Invalid parameter")
	default:
		return true
	}
	return false
}

func (f facebookFace) acknowledge(w http.ResponseWriter, r *http.Request, sh *Shop) {
	if r.PathValue("node") != sh.cfg.ShopID {
		fbNoObject(w, r.PathValue("node"))
		return
	}
	var in struct {
		Orders []struct {
			ID string `json:"id"`
		} `json:"orders"`
	}
	if !fbDecode(w, r, &in, true) {
		return
	}
	if len(in.Orders) == 0 || len(in.Orders) > 100 {
		fbBadParam(w, "Param orders must have between 1 and 100 orders")
		return
	}
	out := make([]map[string]any, len(in.Orders))
	sh.mu.Lock()
	for i, ack := range in.Orders {
		o := sh.orders[ack.ID]
		switch {
		case o == nil:
			out[i] = map[string]any{"id": ack.ID, "error": map[string]any{"error_code": 2361003, "error_message": "Invalid Order ID"}}
		case f.state(o) != "CREATED":
			// The simulator's stand-in: Meta's code for an order past CREATED is not documented.
			out[i] = map[string]any{"id": ack.ID, "error": map[string]any{"error_code": 100, "error_message": "Order is " + f.state(o) + ", not CREATED"}}
		default:
			o.Acknowledged = true
			sh.touch(o, o.Status)
			out[i] = map[string]any{"id": ack.ID, "state": f.state(o)}
		}
	}
	sh.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"orders": out})
}

func (facebookFace) itemsBatch(w http.ResponseWriter, r *http.Request, sh *Shop) {
	if r.PathValue("node") != sh.cfg.Credentials.Extra["catalog_id"] {
		fbNoObject(w, r.PathValue("node"))
		return
	}
	var in struct {
		ItemType string `json:"item_type"`
		Requests []struct {
			Method string `json:"method"`
			Data   struct {
				ID       string          `json:"id"`
				Quantity json.RawMessage `json:"quantity_to_sell_on_facebook"`
			} `json:"data"`
		} `json:"requests"`
	}
	if !fbDecode(w, r, &in, false) {
		return
	}
	if in.ItemType != "PRODUCT_ITEM" || len(in.Requests) == 0 || len(in.Requests) > 5000 {
		fbBadParam(w, "Param item_type must be PRODUCT_ITEM and requests must hold 1 to 5000 records")
		return
	}
	status := []map[string]any{}
	sh.mu.Lock()
	for _, req := range in.Requests {
		q, err := strconv.ParseInt(string(req.Data.Quantity), 10, 64)
		var problem string
		switch _, listed := sh.listings[req.Data.ID]; {
		case req.Method != "UPDATE":
			problem = "Only UPDATE is simulated"
		case !listed:
			problem = "Item with retailer_id " + req.Data.ID + " does not exist in the catalog"
		case err != nil || q < 0:
			problem = "quantity_to_sell_on_facebook must be a non-negative integer"
		default:
			sh.recordPush(req.Data.ID, q)
			continue
		}
		status = append(status, map[string]any{"retailer_id": req.Data.ID, "errors": []map[string]string{{"message": problem}}, "warnings": []any{}})
	}
	sh.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"handles": []string{"AczSimBatchHandle" + strconv.Itoa(sh.nextDeliverySeq())}, "validation_status": status})
}

// fbShipment is the body of POST /{order_id}/shipments.
type fbShipment struct {
	Key      string `json:"idempotency_key"`
	External string `json:"external_shipment_id"`
	Items    []struct {
		RetailerID string `json:"retailer_id"`
		ItemID     string `json:"item_id"`
		Quantity   int64  `json:"quantity"`
	} `json:"items"`
	Tracking struct {
		Number  string `json:"tracking_number"`
		Carrier string `json:"carrier"`
	} `json:"tracking_info"`
	Fulfillment struct {
		LocationID string `json:"fulfillment_location_id"`
	} `json:"fulfillment"`
}

// ship serves POST /{order_id}/shipments: the items given (every unshipped one when none), once
// per idempotency key; a tracking number used by another shipment is refused, as Meta does.
func (facebookFace) ship(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in fbShipment
	if !fbDecode(w, r, &in, true) {
		return
	}
	id := r.PathValue("node")
	o, found := sh.Order(id)
	if !found {
		fbNoObject(w, id)
		return
	}
	lines := map[string]int64{}
	for _, it := range in.Items {
		var line string
		for _, l := range o.Lines {
			if it.RetailerID != "" && (l.Listing.ID == it.RetailerID || l.Listing.ChannelSKU() == it.RetailerID) || it.ItemID != "" && fbItemID(l) == it.ItemID {
				line = l.ID
			}
		}
		if line == "" || it.Quantity <= 0 {
			fbBadParam(w, "Invalid item in items")
			return
		}
		lines[line] += it.Quantity
	}
	for _, f := range sh.Fulfillments(id) {
		switch {
		case f.Key == in.Key:
			writeJSON(w, http.StatusOK, map[string]bool{"success": true}) // the same call again
			return
		case in.Tracking.Number != "" && f.Tracking == in.Tracking.Number:
			fbBadParam(w, "Tracking number "+in.Tracking.Number+" has already been used by another shipment")
			return
		}
	}
	f := Fulfillment{Key: in.Key, ID: in.External, LocationID: in.Fulfillment.LocationID, Lines: lines, Carrier: in.Tracking.Carrier, Tracking: in.Tracking.Number}
	if _, err := sh.fulfil(id, f); err != nil {
		fbBadParam(w, "Cannot add a shipment: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

func (facebookFace) cancel(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		Reason struct {
			Code        string `json:"reason_code"`
			Description string `json:"reason_description"`
		} `json:"cancel_reason"`
	}
	if !fbDecode(w, r, &in, true) {
		return
	}
	if !fbCancelReasons[in.Reason.Code] {
		fbBadParam(w, "Param cancel_reason[reason_code] must be one of {CUSTOMER_REQUESTED, OUT_OF_STOCK, INVALID_ADDRESS, SUSPICIOUS_ORDER, CANCEL_REASON_OTHER}")
		return
	}
	id := r.PathValue("node")
	o, found := sh.Order(id)
	switch {
	case !found:
		fbNoObject(w, id)
		return
	case o.Status == Cancelled:
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
		return
	}
	reason := in.Reason.Code
	if in.Reason.Description != "" {
		reason = in.Reason.Description
	}
	if _, err := sh.confirm(id, Confirmation{Reason: reason}); err != nil {
		fbBadParam(w, "Cannot cancel: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}
