package marketsim

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/lazada"
)

// lazadaFace speaks the Lazada Open Platform API under /rest (/order/get, /orders/get,
// /order/items/get, /orders/items/get, /product/stock/sellable/update, /order/fulfill/pack,
// /order/package/rts, /order/reverse/cancel/create, and the reverse-order calls of
// lazada_returns.go), checking every call's signature, timestamp
// and access token, and sends thin trade-order pushes (msg_type 0) signed over app key and body.
// It renders one item row per unit, statuses in Lazada's item vocabulary and money as decimal
// strings.
//
// Where the simulator is simpler than Lazada: /orders/get sorts by updated_at ascending only; a
// pack does not change the order (packed units still read "pending") and ready-to-ship ships it
// (the simulator has no ready_to_ship state); shipping or cancelling some units moves the whole
// order; one push is sent per change, naming the order's first unit, where Lazada sends one per
// order line.
type lazadaFace struct{}

// lazadaHandler answers one API call whose parameters were verified.
type lazadaHandler func(w http.ResponseWriter, p map[string]string, sh *Shop)

// Lazada's carrier in the simulator, which it allocates itself at packing.
const lazadaCarrier = "LEX TH"

// maxClockSkew is how far a call's timestamp may be from Lazada's clock.
const maxClockSkew = 7200 * time.Second

func (lazadaFace) apiRoot() string { return "/rest" }

// Lazada order ids are 15 digits, as the real ones are.
func (lazadaFace) orderID(_ *Shop, n int, _ time.Time) string {
	return strconv.FormatInt(260422900198000+int64(n), 10)
}

func (f lazadaFace) routes(mux *http.ServeMux, sh *Shop) {
	for pattern, h := range map[string]lazadaHandler{
		"GET /rest/order/get":                      f.getOrder,
		"GET /rest/orders/get":                     f.getOrders,
		"GET /rest/order/items/get":                f.getItems,
		"GET /rest/orders/items/get":               f.getMultipleItems,
		"POST /rest/product/stock/sellable/update": f.updateStock,
		"POST /rest/order/fulfill/pack":            f.pack,
		"POST /rest/order/package/rts":             f.readyToShip,
		"GET /rest/order/package/document/get":     f.document,
		"GET /rest/order/reverse/cancel/create":    f.cancel,
		"GET /rest" + lazada.PathProducts:          f.products, // the catalogue (lazada_catalog.go)
		// Reverse orders (lazada_returns.go).
		"GET /rest" + lazada.PathReverseOrders:    f.getReverseOrders,
		"POST /rest" + lazada.PathReverseOrders:   f.getReverseOrders,
		"GET /rest" + lazada.PathReturnUpdate:     f.decideReturn,
		"GET /rest" + lazada.PathOnlyRefundDecide: f.decideOnlyRefund,
	} {
		mux.HandleFunc(pattern, f.auth(sh, h))
	}
	mux.HandleFunc("GET /rest"+lazada.PathRefreshToken, f.refreshToken(sh))
	mux.HandleFunc("POST /rest"+lazada.PathRefreshToken, f.refreshToken(sh))
}

// auth checks a call as Lazada's gateway does: the signature over the API path and parameters, the
// app key and a timestamp within 7200 s (IncompleteSignature), then the access token
// (IllegalAccessToken [U: the code is not in the docs records]).
func (f lazadaFace) auth(sh *Shop, h lazadaHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			f.refuse(w, sh, "MissingParameter", "The input parameter is missing or malformed")
			return
		}
		p := map[string]string{}
		for k, vs := range r.Form {
			p[k] = vs[0]
		}
		switch {
		case !f.signed(sh, r, p):
			f.refuse(w, sh, "IncompleteSignature", "The request signature does not conform to platform standards")
		case sh.checkToken(p["access_token"]) != tokenGood:
			f.refuse(w, sh, "IllegalAccessToken", "The specified access token is invalid or expired")
		default:
			h(w, p, sh)
		}
	}
}

// signed checks a call's app key, sign method, timestamp and sign over the API path and parameters.
func (f lazadaFace) signed(sh *Shop, r *http.Request, p map[string]string) bool {
	cred := sh.cfg.Credentials
	want := lazada.Sign(cred.AppSecret, strings.TrimPrefix(r.URL.Path, "/rest"), p, nil)
	return p["app_key"] == cred.AppKey && p["sign_method"] == "sha256" && f.fresh(sh, p["timestamp"]) &&
		subtle.ConstantTimeCompare([]byte(p["sign"]), []byte(want)) == 1
}

// refreshToken is /auth/token/refresh on the auth host: signed as every call, without an access
// token, with refresh_token. It answers the new access_token and refresh_token with expires_in and
// refresh_expires_in (seconds) and code "0"; the refresh token sent is spent.
func (f lazadaFace) refreshToken(sh *Shop) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			f.refuse(w, sh, "MissingParameter", "The input parameter is missing or malformed")
			return
		}
		p := map[string]string{}
		for k, vs := range r.Form {
			p[k] = vs[0]
		}
		if !f.signed(sh, r, p) {
			f.refuse(w, sh, "IncompleteSignature", "The request signature does not conform to platform standards")
			return
		}
		t, err := sh.rotate(p["refresh_token"])
		if err != nil {
			f.refuse(w, sh, "IllegalRefreshToken", "The specified refresh token is invalid or expired")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": t.AccessToken, "refresh_token": t.RefreshToken,
			"expires_in": int64(sh.lifetime() / time.Second), "refresh_expires_in": int64(refreshLifetime / time.Second),
			"account_platform": "seller_center", "country": "th", "code": "0", "request_id": requestID(sh),
		})
	}
}

// fresh reports whether a call's timestamp (ms) is within the gateway's window of now.
func (lazadaFace) fresh(sh *Shop, ms string) bool {
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return false
	}
	d := sh.sim.now().Sub(time.UnixMilli(n))
	return d <= maxClockSkew && d >= -maxClockSkew
}

// refuse answers a call the gateway rejects, as Lazada does: HTTP 200 with the error in the body.
func (lazadaFace) refuse(w http.ResponseWriter, sh *Shop, code, message string) {
	body, _ := json.Marshal(map[string]string{"type": "ISV", "code": code, "message": message, "request_id": requestID(sh)})
	sh.refuse(w, http.StatusOK, string(body))
}

// ok answers a successful call.
func (lazadaFace) ok(w http.ResponseWriter, sh *Shop, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"code": "0", "data": data, "request_id": requestID(sh)})
}

// fail answers a call the API refuses with one of its own codes.
func (lazadaFace) fail(w http.ResponseWriter, sh *Shop, code, message string) {
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "message": message, "request_id": requestID(sh)})
}

// requestID makes a request id shaped like Lazada's.
func requestID(sh *Shop) string { return fmt.Sprintf("0ba28873%017d", sh.sim.now().UnixNano()%1e17) }

func (f lazadaFace) getOrder(w http.ResponseWriter, p map[string]string, sh *Shop) {
	o, ok := sh.Order(p["order_id"])
	if !ok {
		f.fail(w, sh, "16", fmt.Sprintf("E016: %q Invalid Order ID", p["order_id"]))
		return
	}
	if raw, ok := sh.raw(o.ID, RawOrder); ok {
		f.ok(w, sh, raw)
		return
	}
	f.ok(w, sh, f.renderOrder(o, "2006-01-02 15:04:05 -0700", "addressDistrict"))
}

func (f lazadaFace) getOrders(w http.ResponseWriter, p map[string]string, sh *Shop) {
	after, errAfter := time.Parse(time.RFC3339, p["update_after"])
	var before time.Time
	var errBefore error
	if v := p["update_before"]; v != "" {
		before, errBefore = time.Parse(time.RFC3339, v)
	}
	limit, errLimit := strconv.Atoi(orDefault(p["limit"], "100"))
	offset, errOffset := strconv.Atoi(orDefault(p["offset"], "0"))
	switch {
	case errAfter != nil || errBefore != nil:
		f.fail(w, sh, "17", "E017: Invalid Date Format")
	case errLimit != nil || limit < 1 || limit > 100:
		f.fail(w, sh, "19", fmt.Sprintf("E019: %q Invalid Limit", p["limit"]))
	case errOffset != nil || offset < 0:
		f.fail(w, sh, "14", fmt.Sprintf("E014: %q Invalid Offset", p["offset"]))
	case orDefault(p["sort_by"], "updated_at") != "updated_at":
		f.fail(w, sh, "75", "E075: Invalid sort filter.")
	case orDefault(p["sort_direction"], "ASC") != "ASC":
		f.fail(w, sh, "74", "E074: Invalid sort direction.")
	default:
		keep := func(o *Order) bool {
			return !o.UpdatedAt.Before(after) && (before.IsZero() || !o.UpdatedAt.After(before))
		}
		sh.mu.Lock()
		page, _ := sh.listPage(keep, offset, limit)
		total := 0
		for _, o := range sh.orders {
			if keep(o) {
				total++
			}
		}
		sh.mu.Unlock()
		orders := make([]map[string]any, len(page))
		for i, o := range page {
			orders[i] = f.renderOrder(o, time.RFC3339, "addressDsitrict")
		}
		f.ok(w, sh, map[string]any{"count": strconv.Itoa(len(orders)), "countTotal": strconv.Itoa(total), "orders": orders})
	}
}

func (f lazadaFace) getItems(w http.ResponseWriter, p map[string]string, sh *Shop) {
	o, ok := sh.Order(p["order_id"])
	if !ok {
		f.fail(w, sh, "16", fmt.Sprintf("E016: %q Invalid Order ID", p["order_id"]))
		return
	}
	f.ok(w, sh, f.renderItems(o, sh.Packages(o.ID), func(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04:05 -0700") }))
}

func (f lazadaFace) getMultipleItems(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var ids []channels.Scalar
	if err := json.Unmarshal([]byte(p["order_ids"]), &ids); err != nil || len(ids) == 0 {
		f.fail(w, sh, "56", "E056: Invalid OrdersIdList format. Must use array format [1,2]")
		return
	}
	if len(ids) > 50 {
		f.fail(w, sh, "38", "E038: Too many orders were requested")
		return
	}
	epochMS := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		o, ok := sh.Order(id.String())
		if !ok {
			f.fail(w, sh, "37", "E037: One or more order id in the list are incorrect")
			return
		}
		var items any = f.renderItems(o, sh.Packages(o.ID), epochMS)
		if raw, ok := sh.raw(o.ID, RawItems); ok {
			items = raw
		}
		out = append(out, map[string]any{"order_number": o.Number, "order_id": o.ID, "order_items": items})
	}
	f.ok(w, sh, out)
}

// lazadaSKU is one SKU of a stock update's payload, as the docs' sample writes it.
type lazadaSKU struct {
	ItemID           string `xml:"ItemId"`
	SkuID            string `xml:"SkuId"`
	SellerSKU        string `xml:"SellerSku"`
	SellableQuantity *int64 `xml:"SellableQuantity"`
}

// updateStock sets the sellable quantity of each SKU it finds; the others fail the call with the
// summary code 501 and a detail entry each [U: the entries' fields].
func (f lazadaFace) updateStock(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var req struct {
		SKUs []lazadaSKU `xml:"Product>Skus>Sku"`
	}
	if err := xml.Unmarshal([]byte(p["payload"]), &req); err != nil || len(req.SKUs) == 0 {
		f.fail(w, sh, "5", "E005: Invalid Request Format")
		return
	}
	if len(req.SKUs) > 50 {
		f.fail(w, sh, "204", "E204: Too many SKU in one request")
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var detail []map[string]string
	for _, s := range req.SKUs {
		id, ok := f.listing(sh, s)
		if !ok || s.SellableQuantity == nil || *s.SellableQuantity < 0 {
			detail = append(detail, map[string]string{"field": "SkuId", "message": "SKU not found or quantity invalid", "seller_sku": s.SellerSKU, "sku_id": s.SkuID})
			continue
		}
		sh.recordPush(id, *s.SellableQuantity)
	}
	if len(detail) > 0 {
		writeJSON(w, http.StatusOK, map[string]any{"code": "501", "type": "ISV", "message": "E501: Update product failed", "detail": detail, "request_id": requestID(sh)})
		return
	}
	f.ok(w, sh, map[string]any{})
}

// listing finds the listing a payload SKU names: by SkuId (and ItemId when given), else by
// SellerSku. The caller holds sh.mu.
func (lazadaFace) listing(sh *Shop, s lazadaSKU) (string, bool) {
	for _, id := range sh.listingOrder {
		l := sh.listings[id]
		if s.ItemID != "" && l.Attrs["item_id"] != s.ItemID {
			continue
		}
		if (s.SkuID != "" && l.ID == s.SkuID) || (s.SkuID == "" && s.SellerSKU != "" && l.ChannelSKU() == s.SellerSKU) {
			return id, true
		}
	}
	return "", false
}

// tracking is the tracking number Lazada's carrier gives a package.
func (lazadaFace) tracking(packageID string) string {
	return "LZTH" + strings.TrimPrefix(packageID, "FP")
}

// pack answers /order/fulfill/pack: the units of each order are packed together into a new
// package, with Lazada's carrier and a tracking number; units packed before are refused.
func (f lazadaFace) pack(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var req struct {
		PackOrderList []struct {
			OrderID       channels.Scalar   `json:"order_id"`
			OrderItemList []channels.Scalar `json:"order_item_list"`
		} `json:"pack_order_list"`
		DeliveryType         string `json:"delivery_type"`
		ShippingAllocateType string `json:"shipping_allocate_type"`
	}
	err := json.Unmarshal([]byte(p["packReq"]), &req)
	switch {
	case err != nil || len(req.PackOrderList) == 0 || req.DeliveryType != "dropship" || req.ShippingAllocateType == "":
		f.batchFailed(w, sh, "700004", "param illegal")
		return
	case len(req.PackOrderList) > 20:
		f.batchFailed(w, sh, "700022", "batch size out of limit")
		return
	}
	var orders []map[string]any
	for _, po := range req.PackOrderList {
		sh.mu.Lock()
		o := sh.orders[po.OrderID.String()]
		units, packed := map[string]Line{}, map[string]bool{}
		if o != nil {
			for _, u := range f.units(o) {
				units[u.id] = u.line
			}
			for _, pk := range sh.orderPackages(o) {
				for _, u := range pk.units {
					packed[u] = true
				}
			}
		}
		var items []map[string]any
		var ok []string
		lines := map[string]int64{}
		for _, id := range po.OrderItemList {
			r := map[string]any{"order_item_id": id.String(), "item_err_code": "0", "msg": "success", "retry": false}
			switch {
			case o == nil:
				r["item_err_code"], r["msg"] = "700021", "order not found"
			case units[id.String()].ID == "":
				r["item_err_code"], r["msg"] = "700025", "order item not found"
			case o.Status != ToShip || packed[id.String()]:
				r["item_err_code"], r["msg"] = "700026", "item current status not allow to pack"
			default:
				ok = append(ok, id.String())
				lines[units[id.String()].ID]++
				packed[id.String()] = true
			}
			items = append(items, r)
		}
		if len(ok) > 0 {
			pk := sh.addPackage(o, ok, lines, func(string) string { return lazadaCarrier }, f.tracking)
			for _, r := range items {
				if r["item_err_code"] == "0" {
					r["package_id"], r["tracking_number"], r["shipment_provider"] = pk.ID, pk.Tracking, pk.Carrier
				}
			}
		}
		sh.mu.Unlock()
		orders = append(orders, map[string]any{"order_id": po.OrderID.String(), "order_item_list": items})
	}
	f.batchDone(w, sh, map[string]any{"pack_order_list": orders})
}

// readyToShip answers /order/package/rts: each package ships with Lazada's carrier; the order has
// shipped once all its units have.
func (f lazadaFace) readyToShip(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var req struct {
		Packages []struct {
			PackageID string `json:"package_id"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(p["readyToShipReq"]), &req); err != nil || len(req.Packages) == 0 {
		f.batchFailed(w, sh, "700004", "param illegal")
		return
	}
	if len(req.Packages) > 20 {
		f.batchFailed(w, sh, "700022", "batch size out of limit")
		return
	}
	var out []map[string]any
	for _, pkg := range req.Packages {
		r := map[string]any{"package_id": pkg.PackageID, "item_err_code": "0", "msg": "success", "retry": false}
		sh.mu.Lock()
		o, pk := sh.findPackage(pkg.PackageID)
		var status Status
		var carrier, tracking string
		if o != nil {
			status, carrier, tracking = o.Status, pk.Carrier, pk.Tracking
		}
		sh.mu.Unlock()
		switch {
		case o == nil:
			r["item_err_code"], r["msg"] = "11", "package not found"
		case status == Cancelled:
			r["item_err_code"], r["msg"] = "600002", "package already cancelled"
		default:
			if _, err := sh.shipPackage(pkg.PackageID, "", carrier, tracking); err != nil {
				r["item_err_code"], r["msg"] = "700000", "current package status not allow to operation"
			}
		}
		out = append(out, r)
	}
	f.batchDone(w, sh, map[string]any{"packages": out})
}

// document answers /order/package/document/get: the airway bill of packed packages, as a
// base64 PDF in the answer.
func (f lazadaFace) document(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var req struct {
		DocType  string `json:"doc_type"`
		Packages []struct {
			PackageID string `json:"package_id"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(p["getDocumentReq"]), &req); err != nil || len(req.Packages) != 1 || req.DocType != "PDF" && req.DocType != "HTML" {
		f.batchFailed(w, sh, "700004", "param illegal")
		return
	}
	pdf, ok := sh.fetchDocument(req.Packages[0].PackageID)
	if !ok {
		f.batchFailed(w, sh, "700010", "package not found or not packed")
		return
	}
	f.batchDone(w, sh, map[string]any{"doc_type": "PDF", "file": base64.StdEncoding.EncodeToString(pdf)})
}

// batchDone and batchFailed answer the fulfilment calls, whose result wraps a success flag and the
// per-entry outcomes.
func (lazadaFace) batchDone(w http.ResponseWriter, sh *Shop, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"result": map[string]any{"data": data, "success": true}, "code": "0", "request_id": requestID(sh)})
}

func (lazadaFace) batchFailed(w http.ResponseWriter, sh *Shop, code, msg string) {
	writeJSON(w, http.StatusOK, map[string]any{
		"result": map[string]any{"success": false, "error_code": code, "error_msg": msg}, "code": "0", "request_id": requestID(sh),
	})
}

// cancel answers /order/reverse/cancel/create: the order is cancelled with the reason id.
func (f lazadaFace) cancel(w http.ResponseWriter, p map[string]string, sh *Shop) {
	var ids []channels.Scalar
	if err := json.Unmarshal([]byte(p["order_item_id_list"]), &ids); err != nil || len(ids) == 0 {
		f.fail(w, sh, "102", "E0102: trade order line id is empty or invalid")
		return
	}
	if p["reason_id"] == "" {
		f.fail(w, sh, "104", "E0104: reason is empty or invalid")
		return
	}
	o, ok := sh.Order(p["order_id"])
	if !ok {
		f.fail(w, sh, "122", "E0122: invalid trade order")
		return
	}
	units := map[string]bool{}
	for _, u := range f.units(o) {
		units[u.id] = true
	}
	for _, id := range ids {
		if !units[id.String()] {
			f.fail(w, sh, "123", fmt.Sprintf("E0123: invalid trade order lines %s", id))
			return
		}
	}
	if names := idStrings(ids); len(names) < len(units)-len(o.CancelledUnits) {
		if err := sh.cancelUnits(o.ID, names, p["reason_id"], true); err != nil {
			f.fail(w, sh, "122", "E0122: invalid trade order")
			return
		}
		f.ok(w, sh, map[string]any{})
		return
	}
	if _, err := sh.confirm(o.ID, Confirmation{Reason: p["reason_id"]}); err != nil {
		f.fail(w, sh, "122", "E0122: invalid trade order")
		return
	}
	f.ok(w, sh, map[string]any{})
}

// lazadaStatuses is Lazada's item status for each simulated state.
var lazadaStatuses = map[Status]string{
	Unpaid: "unpaid", ToShip: "pending", Shipped: "shipped", Delivered: "delivered", Completed: "confirmed", Cancelled: "canceled",
}

// lazadaCountries names countries as Lazada's addresses do.
var lazadaCountries = map[string]string{
	"TH": "Thailand", "VN": "Vietnam", "SG": "Singapore", "MY": "Malaysia", "PH": "Philippines", "ID": "Indonesia",
}

// lazadaUnit is one unit of an order line: Lazada's order item.
type lazadaUnit struct {
	id       string
	line     Line
	discount int64 // the unit's share of the line's discount
}

// units splits an order's lines into units; a line's discount is shared out, the remainder to the
// first units.
func (lazadaFace) units(o *Order) []lazadaUnit {
	var out []lazadaUnit
	for _, l := range o.Lines {
		for k := range l.Quantity {
			d := l.Discount / l.Quantity
			if k < l.Discount%l.Quantity {
				d++
			}
			out = append(out, lazadaUnit{id: fmt.Sprintf("%s%03d", l.ID, k+1), line: l, discount: d})
		}
	}
	return out
}

// renderOrder writes an order as /order/get (layout "2006-01-02 15:04:05 -0700", addressDistrict)
// or /orders/get (RFC 3339, addressDsitrict) write it.
func (f lazadaFace) renderOrder(o *Order, layout, districtKey string) map[string]any {
	money := func(v int64) string { return decimal(v, o.Currency) }
	ts := func(t time.Time) string { return t.In(zone).Format(layout) }
	var price, discount int64
	for _, l := range o.Lines {
		price += l.UnitPrice * l.Quantity
		discount += l.Discount
	}
	first, last, _ := strings.Cut(o.Buyer.Name, " ")
	a := o.Address
	payment := "MIXEDCARD"
	if o.COD {
		payment = "COD"
	}
	return map[string]any{
		"order_id": o.ID, "order_number": o.Number, "created_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt),
		"price": money(price), "shipping_fee": money(o.Shipping), "shipping_fee_original": money(o.Shipping),
		"voucher": money(discount), "voucher_seller": money(discount), "voucher_platform": money(0),
		"payment_method": payment, "items_count": strconv.Itoa(len(f.units(o))), "statuses": []string{lazadaStatuses[o.Status]},
		"promised_shipping_times": o.ShipBy.In(zone).Format("2006-01-02 15:04:05"),
		"customer_first_name":     first, "customer_last_name": last, "warehouse_code": "dropshipping",
		"gift_option": "false", "need_cancel_confirm": "false", "is_cancel_pending": "false",
		"address_shipping": map[string]string{
			"first_name": first, "last_name": last, "phone": a.Phone, "address1": a.Line1, "address2": a.Line2,
			"city": a.City, "post_code": a.PostalCode, "country": orDefault(lazadaCountries[a.CountryCode], a.CountryCode), districtKey: a.Region,
		},
	}
}

// renderItems writes an order's units as /order/items/get and /orders/items/get do; ts writes
// their created_at and updated_at (a time with offset in the one, epoch ms in the other).
func (f lazadaFace) renderItems(o *Order, pkgs []Package, ts func(time.Time) string) []map[string]any {
	money := func(v int64) string { return decimal(v, o.Currency) }
	status := lazadaStatuses[o.Status]
	var payment, pkg, initiator string
	if o.Status != Unpaid {
		payment = strconv.FormatInt(o.CreatedAt.UnixMilli(), 10)
	}
	inPackage := map[string]Package{}
	for _, pk := range pkgs {
		for _, u := range pk.units {
			inPackage[u] = pk
		}
	}
	if o.Status == Cancelled {
		initiator = "cancellation-seller"
	}
	var out []map[string]any
	for _, u := range f.units(o) {
		l := u.line.Listing
		status, pkg, tracking, carrier := status, pkg, o.Tracking, o.Carrier
		if slices.Contains(o.CancelledUnits, u.id) {
			status = lazadaStatuses[Cancelled]
		}
		if pk, ok := inPackage[u.id]; ok {
			pkg, tracking, carrier = pk.ID, pk.Tracking, pk.Carrier
			if o.Status == ToShip {
				status = "packed"
				if pk.Shipped {
					status = "ready_to_ship"
				}
			}
		}
		out = append(out, map[string]any{
			"order_item_id": u.id, "order_id": o.ID, "name": l.Name, "sku": l.ChannelSKU(), "sku_id": l.ID,
			"product_id": l.Attrs["item_id"], "shop_sku": l.Attrs["item_id"] + "_TH-" + l.ID, "variation": "",
			"currency": o.Currency, "item_price": money(u.line.UnitPrice), "paid_price": money(u.line.UnitPrice - u.discount),
			"voucher_seller": money(u.discount), "voucher_platform": money(0), "voucher_amount": money(u.discount),
			"tax_amount": money(0), "shipping_amount": money(0), "status": status,
			"created_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt), "payment_time": payment,
			"sla_time_stamp": o.ShipBy.In(zone).Format(time.RFC3339), "promised_shipping_time": ts(o.ShipBy),
			"shipping_type": "Dropshipping", "warehouse_code": "dropshipping", "buyer_id": digits(o.Buyer.ID),
			"package_id": pkg, "tracking_code": tracking, "shipment_provider": carrier,
			"is_cancel_pending": "false", "need_cancel_confirm": "false", "reason": o.CancelReason, "cancel_return_initiator": initiator,
		})
	}
	return out
}

// lazadaPush is a trade-order push (msg_type 0), its fields in the docs sample's order.
type lazadaPush struct {
	SellerID    string `json:"seller_id"`
	MessageType int    `json:"message_type"`
	Data        struct {
		OrderStatus      string `json:"order_status"`
		TradeOrderID     string `json:"trade_order_id"`
		TradeOrderLineID string `json:"trade_order_line_id"`
		StatusUpdateTime int64  `json:"status_update_time"`
	} `json:"data"`
	Timestamp int64  `json:"timestamp"`
	Site      string `json:"site"`
}

// webhook sends the thin push of a change, naming the order's first unit: status_update_time in
// seconds, timestamp in milliseconds, Authorization the signature over app key and body.
func (f lazadaFace) webhook(sh *Shop, o *Order, _ bool) (http.Header, []byte, bool) {
	var p lazadaPush
	p.SellerID, p.MessageType, p.Timestamp, p.Site = sh.cfg.ShopID, lazada.MsgTradeOrder, sh.sim.now().UnixMilli(), "lazada_th"
	p.Data.OrderStatus, p.Data.TradeOrderID, p.Data.StatusUpdateTime = lazadaStatuses[o.Status], o.ID, o.UpdatedAt.Unix()
	if units := f.units(o); len(units) > 0 {
		p.Data.TradeOrderLineID = units[0].id
	}
	body, _ := json.Marshal(p)
	cred := sh.cfg.Credentials
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", lazada.PushSignature(cred.AppKey, cred.AppSecret, body))
	return h, body, true
}
