package marketsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels/shopify"
)

// shopifyFace speaks the Shopify Admin REST API (orders.json, inventory_levels/set.json,
// fulfillment_orders.json, fulfillments.json, orders/{id}/fulfillments.json and their events.json,
// orders/{id}/cancel.json, and graphql.json for returns: shopify_returns.go) and sends orders/* webhooks with the whole order, signed with the app's
// client secret.
type shopifyFace struct{}

func (shopifyFace) apiRoot() string { return "" }

// Shopify ids exceed 2^53, as the real ones do.
func (shopifyFace) orderID(_ *Shop, n int, _ time.Time) string {
	return strconv.FormatInt(820982911946154508+int64(n), 10)
}

func (f shopifyFace) routes(mux *http.ServeMux, sh *Shop) {
	v := "/admin/api/{version}"
	mux.HandleFunc("GET "+v+"/orders.json", f.auth(sh, f.listOrders))
	mux.HandleFunc("POST "+v+"/inventory_levels/set.json", f.auth(sh, f.setInventory))
	mux.HandleFunc("GET "+v+"/orders/{id}/fulfillment_orders.json", f.auth(sh, f.fulfillmentOrders))
	mux.HandleFunc("POST "+v+"/fulfillments.json", f.auth(sh, f.createFulfillment))
	mux.HandleFunc("POST "+v+"/orders/{id}/cancel.json", f.auth(sh, f.cancel))
	mux.HandleFunc("GET "+v+"/orders/{id}/fulfillments.json", f.auth(sh, f.listFulfillments))
	mux.HandleFunc("POST "+v+"/orders/{id}/fulfillments/{fid}/events.json", f.auth(sh, f.fulfillmentEvent))
	mux.HandleFunc("POST "+v+"/graphql.json", f.auth(sh, f.graphql)) // returns (shopify_returns.go)
	f.catalogRoutes(mux, sh)
}

// auth refuses calls without the store's access token, as Shopify does.
func (shopifyFace) auth(sh *Shop, h func(http.ResponseWriter, *http.Request, *Shop)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Shopify-Access-Token") != sh.cfg.Credentials.AccessToken {
			sh.refuse(w, http.StatusUnauthorized, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
			return
		}
		h(w, r, sh)
	}
}

func (f shopifyFace) listOrders(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 250 {
		limit = 50
	}
	offset := 0
	if pi := q.Get("page_info"); pi != "" {
		// page_info carries the filters of the first page; Shopify allows no others beside it.
		raw, err := url.QueryUnescape(pi)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"errors": "Invalid page_info"})
			return
		}
		parsed, err := url.ParseQuery(raw)
		if err != nil || len(q) > 2 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"errors": "page_info cannot be combined with other filters"})
			return
		}
		offset, _ = strconv.Atoi(parsed.Get("offset"))
		parsed.Del("offset")
		q = parsed
	}
	ids := map[string]bool{}
	for _, id := range split(q.Get("ids")) {
		ids[id] = true
	}
	minT, _ := time.Parse(time.RFC3339, q.Get("updated_at_min"))
	maxT, _ := time.Parse(time.RFC3339, q.Get("updated_at_max"))
	sh.mu.Lock()
	page, next := sh.listPage(func(o *Order) bool {
		switch {
		case len(ids) > 0 && !ids[o.ID]:
			return false
		case !minT.IsZero() && o.UpdatedAt.Before(minT):
			return false
		case !maxT.IsZero() && o.UpdatedAt.After(maxT):
			return false
		}
		return true
	}, offset, limit)
	sh.mu.Unlock()
	orders := make([]json.RawMessage, len(page))
	for i, o := range page {
		orders[i] = f.render(sh, o)
	}
	if next >= 0 {
		filters := url.Values{}
		for k, vs := range q {
			if k != "limit" {
				filters[k] = vs
			}
		}
		filters.Set("offset", strconv.Itoa(next))
		link := fmt.Sprintf("<%s%s?limit=%d&page_info=%s>; rel=\"next\"", "https://"+sh.cfg.ShopID+".myshopify.com", r.URL.Path, limit, url.QueryEscape(filters.Encode()))
		w.Header().Set("Link", link)
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": orders})
}

func (shopifyFace) setInventory(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		LocationID      json.Number `json:"location_id"`
		InventoryItemID json.Number `json:"inventory_item_id"`
		Available       *int64      `json:"available"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Available == nil || in.InventoryItemID == "" || in.LocationID == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": map[string][]string{"inventory_item_id": {"is required"}}})
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, id := range sh.listingOrder {
		if l := sh.listings[id]; l.Attrs["inventory_item_id"] == string(in.InventoryItemID) {
			sh.recordPush(id, *in.Available)
			writeJSON(w, http.StatusOK, map[string]any{"inventory_level": map[string]any{
				"inventory_item_id": in.InventoryItemID, "location_id": in.LocationID, "available": *in.Available,
				"updated_at": sh.sim.now().In(zone).Format(time.RFC3339),
			}})
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"errors": "Not Found"})
}

// shopifyFO is one fulfillment order of an order: its lines assigned to one location.
type shopifyFO struct {
	ID       string
	Location string
	Lines    []Line
}

// shopifyFOs groups an order's lines by their assigned location, in the order the locations first
// appear; the first fulfillment order keeps the id an order had when it had only one.
func shopifyFOs(o *Order) []shopifyFO {
	var out []shopifyFO
	at := map[string]int{}
	for _, l := range o.Lines {
		k, ok := at[l.Location]
		if !ok {
			k = len(out)
			at[l.Location] = k
			id := string(foID(o.ID))
			if k > 0 {
				id += strconv.Itoa(k)
			}
			out = append(out, shopifyFO{ID: id, Location: l.Location})
		}
		out[k].Lines = append(out[k].Lines, l)
	}
	return out
}

// foLineItemID is the fulfillment order line item id of an order line.
func foLineItemID(lineID string) string { return "46" + lineID }

func (shopifyFace) fulfillmentOrders(w http.ResponseWriter, r *http.Request, sh *Shop) {
	sh.mu.Lock()
	o := sh.orders[r.PathValue("id")]
	var fos []map[string]any
	if o != nil {
		left := sh.remaining(o)
		for _, fo := range shopifyFOs(o) {
			status, open := "closed", int64(0)
			items := make([]map[string]any, len(fo.Lines))
			for i, l := range fo.Lines {
				open += left[l.ID]
				items[i] = map[string]any{
					"id": json.Number(foLineItemID(l.ID)), "fulfillment_order_id": json.Number(fo.ID), "line_item_id": json.Number(l.ID),
					"inventory_item_id": json.Number(orDefault(l.Listing.Attrs["inventory_item_id"], "0")), "variant_id": json.Number(orDefault(digits(l.Listing.ID), "0")),
					"quantity": l.Quantity, "fulfillable_quantity": left[l.ID],
				}
			}
			switch {
			case o.Status == Cancelled:
				status = "cancelled"
			case o.Status == ToShip && open > 0:
				status = "open"
			}
			fos = append(fos, map[string]any{
				"id": json.Number(fo.ID), "order_id": json.Number(o.ID), "assigned_location_id": json.Number(orDefault(digits(fo.Location), "0")),
				"status": status, "request_status": "unsubmitted", "line_items": items,
			})
		}
	}
	sh.mu.Unlock()
	if o == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"errors": "Not Found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"fulfillment_orders": fos})
}

// foID is the id of an order's first fulfillment order.
func foID(orderID string) json.Number { return json.Number("7" + orderID[1:]) }

// shopifyFulfillmentIn is the body of POST fulfillments.json.
type shopifyFulfillmentIn struct {
	Fulfillment struct {
		ByFO []struct {
			ID    json.Number `json:"fulfillment_order_id"`
			Items []struct {
				ID       json.Number `json:"id"`
				Quantity int64       `json:"quantity"`
			} `json:"fulfillment_order_line_items"`
		} `json:"line_items_by_fulfillment_order"`
		Tracking struct {
			Number  string `json:"number"`
			Company string `json:"company"`
			URL     string `json:"url"`
		} `json:"tracking_info"`
	} `json:"fulfillment"`
}

// createFulfillment serves POST fulfillments.json: the given fulfillment order line items (all of
// a fulfillment order's when it names none), of one order and one location.
func (shopifyFace) createFulfillment(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopifyFulfillmentIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.Fulfillment.ByFO) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"errors": "line_items_by_fulfillment_order is required"})
		return
	}
	orderID, location, lines, msg := sh.shopifyResolve(in)
	if msg != "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": []string{msg}})
		return
	}
	t := in.Fulfillment.Tracking
	f, err := sh.fulfil(orderID, Fulfillment{LocationID: location, Lines: lines, Carrier: t.Company, Tracking: t.Number, TrackingURL: t.URL})
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": []string{err.Error()}})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"fulfillment": shopifyFulfillment(f)})
}

// shopifyResolve finds the order, location and line quantities a fulfillment names; msg says why
// it cannot.
func (sh *Shop) shopifyResolve(in shopifyFulfillmentIn) (orderID, location string, lines map[string]int64, msg string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	lines = map[string]int64{}
	for _, req := range in.Fulfillment.ByFO {
		var fo *shopifyFO
		var owner *Order
		for _, id := range sh.orderSeq {
			for _, f := range shopifyFOs(sh.orders[id]) {
				if f.ID == string(req.ID) {
					f := f
					fo, owner = &f, sh.orders[id]
				}
			}
		}
		switch {
		case fo == nil:
			return "", "", nil, "Fulfillment order " + string(req.ID) + " not found"
		case orderID != "" && owner.ID != orderID:
			return "", "", nil, "All fulfillment orders must belong to the same order"
		case orderID != "" && fo.Location != location:
			return "", "", nil, "All fulfillment orders must be assigned to the same location"
		}
		orderID, location = owner.ID, fo.Location
		left := sh.remaining(owner)
		if len(req.Items) == 0 {
			for _, l := range fo.Lines {
				if left[l.ID] > 0 {
					lines[l.ID] += left[l.ID]
				}
			}
			continue
		}
		for _, it := range req.Items {
			found := false
			for _, l := range fo.Lines {
				if foLineItemID(l.ID) == string(it.ID) {
					found = true
					lines[l.ID] += it.Quantity
				}
			}
			if !found {
				return "", "", nil, "Fulfillment order line item " + string(it.ID) + " not found in fulfillment order " + string(req.ID)
			}
		}
	}
	return orderID, location, lines, ""
}

// shopifyFulfillment renders a fulfillment as the Fulfillment resource.
func shopifyFulfillment(f Fulfillment) map[string]any {
	items := []map[string]any{}
	ids := make([]string, 0, len(f.Lines))
	for id := range f.Lines {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		items = append(items, map[string]any{"id": json.Number(id), "quantity": f.Lines[id]})
	}
	return map[string]any{
		"id": json.Number(f.ID), "order_id": json.Number(f.OrderID), "status": "success",
		"location_id": json.Number(orDefault(digits(f.LocationID), "0")), "tracking_company": f.Carrier,
		"tracking_number": f.Tracking, "tracking_numbers": []string{f.Tracking}, "tracking_url": f.TrackingURL,
		"tracking_urls": []string{f.TrackingURL}, "line_items": items, "created_at": f.At.In(zone).Format(time.RFC3339),
	}
}

func (shopifyFace) cancel(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		Reason string `json:"reason"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	if _, err := sh.confirm(r.PathValue("id"), Confirmation{Reason: in.Reason}); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notice": "Order has been cancelled"})
}

func (f shopifyFace) webhook(sh *Shop, o *Order, created bool) (http.Header, []byte, bool) {
	topic := "orders/updated"
	switch {
	case created:
		topic = "orders/create"
	case o.Status == Cancelled:
		topic = "orders/cancelled"
	case o.Status == Shipped:
		topic = "orders/fulfilled"
	}
	body := f.render(sh, o)
	if e := o.Edit; e != nil && e.At.Equal(o.UpdatedAt) {
		topic, body = "orders/edited", shopifyOrderEdit(o, e)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(shopify.HeaderTopic, topic)
	h.Set(shopify.HeaderShopDomain, sh.cfg.ShopID)
	h.Set(shopify.HeaderAPIVersion, shopify.APIVersion)
	h.Set(shopify.HeaderWebhookID, fmt.Sprintf("b54557e4-bdd9-4b37-8a5f-%012d", sh.nextDeliverySeq()))
	h.Set("X-Shopify-Triggered-At", o.UpdatedAt.Format(time.RFC3339Nano))
	h.Set(shopify.HeaderHMAC, shopify.Sign(sh.cfg.Credentials.AppSecret, body))
	return h, body, true
}

// render writes an order as Shopify's Order JSON.
func (shopifyFace) render(sh *Shop, o *Order) json.RawMessage {
	cur := o.Currency
	money := func(v int64) string { return decimal(v, cur) }
	set := func(v int64) map[string]any {
		m := map[string]string{"amount": money(v), "currency_code": cur}
		return map[string]any{"shop_money": m, "presentment_money": m}
	}
	ts := func(t time.Time) string { return t.In(zone).Format(time.RFC3339) }
	id, _ := strconv.ParseInt(o.ID, 10, 64)
	financial, fulfillment := "paid", any(nil)
	gateways := []string{"shopify_payments"}
	if o.COD {
		gateways = []string{"Cash on Delivery (COD)"}
	}
	switch {
	case o.Status == Unpaid:
		financial = "pending"
	case o.COD && o.Status != Delivered && o.Status != Completed:
		financial = "pending"
	case o.Status == Cancelled:
		financial = "voided"
	}
	var cancelledAt, closedAt, cancelReason any
	fulfillments := []map[string]any{}
	recorded := sh.Fulfillments(o.ID)
	for _, f := range recorded {
		fulfillments = append(fulfillments, shopifyFulfillment(f))
	}
	if len(recorded) > 0 {
		fulfillment = "partial"
	}
	switch o.Status {
	case Shipped, Delivered, Completed:
		fulfillment = "fulfilled"
		if len(recorded) == 0 { // shipped by the channel itself (SetStatus)
			fulfillments = append(fulfillments, map[string]any{"status": "success", "tracking_company": o.Carrier, "tracking_number": o.Tracking})
		}
	case Cancelled:
		cancelledAt, cancelReason = ts(o.UpdatedAt), "customer"
	}
	if o.Status == Completed {
		closedAt = ts(o.UpdatedAt)
	}
	var discounts int64
	lines := make([]map[string]any, len(o.Lines))
	for i, l := range o.Lines {
		discounts += l.Discount
		lineID, _ := strconv.ParseInt(l.ID, 10, 64)
		variant, _ := strconv.ParseInt(l.Listing.ID, 10, 64)
		lines[i] = map[string]any{
			"id": lineID, "admin_graphql_api_id": "gid://shopify/LineItem/" + l.ID, "variant_id": variant,
			"product_id": json.Number(orDefault(l.Listing.Attrs["product_id"], "0")), "sku": l.Listing.ChannelSKU(),
			"name": l.Listing.Name, "title": l.Listing.Name, "quantity": l.Quantity, "current_quantity": l.Quantity - l.Removed, "price": money(l.UnitPrice),
			"price_set": set(l.UnitPrice), "total_discount": money(l.Discount), "fulfillment_status": fulfillment,
			"discount_allocations": []map[string]any{}, "requires_shipping": true,
		}
		if l.Discount > 0 {
			lines[i]["discount_allocations"] = []map[string]any{{"amount": money(l.Discount), "amount_set": set(l.Discount)}}
		}
	}
	first, last, _ := strings.Cut(o.Buyer.Name, " ")
	a := o.Address
	body, _ := json.Marshal(map[string]any{
		"id": id, "admin_graphql_api_id": "gid://shopify/Order/" + o.ID, "name": "#" + o.Number,
		"order_number": json.Number(o.Number), "email": o.Buyer.Email, "contact_email": o.Buyer.Email, "phone": nil,
		"created_at": ts(o.CreatedAt), "processed_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt),
		"cancelled_at": cancelledAt, "cancel_reason": cancelReason, "closed_at": closedAt,
		"currency": cur, "presentment_currency": cur, "financial_status": financial, "fulfillment_status": fulfillment,
		"payment_gateway_names": gateways, "source_name": "web",
		"subtotal_price": money(o.Subtotal()), "subtotal_price_set": set(o.Subtotal()),
		"total_line_items_price": money(o.Subtotal() + discounts),
		"total_price":            money(o.Total()), "total_price_set": set(o.Total()),
		"total_discounts": money(discounts), "total_tax": money(0), "taxes_included": false,
		"total_shipping_price_set": set(o.Shipping),
		"shipping_lines":           []map[string]any{{"title": "Standard", "price": money(o.Shipping), "code": "STANDARD"}},
		"customer": map[string]any{
			"id": json.Number(orDefault(digits(o.Buyer.ID), "1")), "first_name": first, "last_name": last, "email": o.Buyer.Email, "phone": o.Buyer.Phone,
		},
		"shipping_address": map[string]any{
			"name": a.Name, "first_name": first, "last_name": last, "phone": a.Phone, "address1": a.Line1, "address2": a.Line2,
			"city": a.City, "province": a.Region, "zip": a.PostalCode, "country_code": a.CountryCode,
			"latitude": a.Latitude, "longitude": a.Longitude,
		},
		"line_items":   lines,
		"fulfillments": fulfillments,
	})
	return body
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// digits keeps the digits of s (buyer ids in the simulator are "b12").
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
