package marketsim

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// tiktokShopFace speaks the TikTok Shop Partner API 202309 (Get Order Detail, Get Order List,
// Update Inventory, Ship Package, Cancel Order). Every call must carry the app key, a fresh
// timestamp, the shop_cipher, a sign over path, parameters and body, and the access token; answers
// are TikTok's envelope {code, message, request_id, data}. Orders have one line item per unit,
// money in decimal strings, unix-second times and string ids. It sends thin ORDER_STATUS_CHANGE
// webhooks (type 1) signed over app key + body.
//
// The error codes of the common checks (36009004 with its messages, 106001 for a wrong sign) are
// community copies of TikTok's common-errors page [U]; the others are from the endpoints' doc
// records. HTTP 401 for refused credentials is a guess [U].
type tiktokShopFace struct{}

// The error codes the face answers with.
const (
	ttsInvalid        = 36009004 // invalid parameter or credentials (the message says which)
	ttsBadSign        = 106001
	ttsShipParam      = 11001002
	ttsProductMissing = 12052032
	ttsSKUMissing     = 12052556
	ttsSKUsEmpty      = 12052902
	ttsCheckFailed    = 12052990
	ttsNoWarehouse    = 12052097
	ttsQuantity       = 12052055
	ttsShipNotAllowed = 21011003
	ttsBadTracking    = 21011022
	ttsNotOurPackage  = 21011028
	ttsShipped        = 21011040
	ttsOrderCancelled = 21011041
	ttsCancelParam    = 25001001
	ttsUnknownReason  = 25001014
	ttsNotSellerCause = 25001015
	ttsCancelShipped  = 25001045
	ttsCancelClosed   = 25001051
	ttsPartialCancel  = 25005010
	ttsNoPermission   = 25020005
)

// ttsProviders names the shipping providers the face knows by id (the docs sample's).
var ttsProviders = map[string]string{"6617675021119438849": "TT Virtual express"}

// ttsMaxSkew is how far a call's timestamp may be from the wall clock (the calls are signed with
// the caller's clock, not the simulator's).
const ttsMaxSkew = 5 * time.Minute

func (tiktokShopFace) apiRoot() string { return "" }

// TikTok order ids are 18-digit strings.
func (tiktokShopFace) orderID(_ *Shop, n int, _ time.Time) string {
	return strconv.FormatInt(576461413038785752+int64(n), 10)
}

func (f tiktokShopFace) routes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET /order/202309/orders", f.auth(sh, f.orderDetail))
	mux.HandleFunc("POST /order/202309/orders/search", f.auth(sh, f.orderList))
	mux.HandleFunc("POST /product/202309/products/{product_id}/inventory/update", f.auth(sh, f.updateInventory))
	mux.HandleFunc("POST /fulfillment/202309/packages/{package_id}/ship", f.auth(sh, f.shipPackage))
	mux.HandleFunc("GET /fulfillment/202309/packages/{package_id}", f.auth(sh, f.packageDetail))
	mux.HandleFunc("GET /fulfillment/202309/packages/{package_id}/shipping_documents", f.auth(sh, f.shippingDocument))
	mux.HandleFunc("GET /sim/documents/{package_id}", f.downloadDocument(sh))
	mux.HandleFunc("POST /return_refund/202309/cancellations", f.auth(sh, f.cancel))
	mux.HandleFunc("GET "+tiktokshop.PathRefreshToken, f.refreshToken(sh))
	f.returnRoutes(mux, sh)
	f.catalogRoutes(mux, sh)
}

// ttsHandler serves one API call whose body auth has read.
type ttsHandler func(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte)

// auth refuses, and counts, calls whose app key, sign, timestamp, shop_cipher or access token is
// wrong, in the order TikTok checks them (the app key first).
func (f tiktokShopFace) auth(sh *Shop, h ttsHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			f.fail(w, ttsInvalid, "invalid param error")
			return
		}
		if code, msg := f.check(sh, r, body); code != 0 {
			sh.refuse(w, http.StatusUnauthorized, string(f.envelope(code, msg, nil)))
			return
		}
		h(w, r, sh, body)
	}
}

func (tiktokShopFace) check(sh *Shop, r *http.Request, body []byte) (int, string) {
	q := r.URL.Query()
	cred := sh.cfg.Credentials
	if q.Get("app_key") == "" || q.Get("app_key") != cred.AppKey {
		return ttsInvalid, "Invalid credentials. Invalid `app_key` query parameter."
	}
	params := make(map[string]string, len(q))
	for k := range q {
		params[k] = q.Get(k)
	}
	switch err := channels.CheckHMACHex(q.Get("sign"), cred.AppSecret, tiktokshop.SignBase(cred.AppSecret, r.URL.Path, params, body)); {
	case errors.Is(err, channels.ErrUnsigned):
		return ttsInvalid, "Missing credentials. The request does not include a required signature in the query."
	case err != nil:
		return ttsBadSign, "Invalid sign parameter"
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil || channels.CheckAge(time.Unix(ts, 0), time.Now(), ttsMaxSkew, ttsMaxSkew) != nil {
		return ttsInvalid, "Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than 5 minutes before the current time."
	}
	if q.Get("shop_cipher") != cred.Extra[tiktokshop.ExtraShopCipher] {
		return ttsInvalid, "Invalid identifier. The `shop_cipher` query parameter is invalid."
	}
	switch sh.checkToken(r.Header.Get(tiktokshop.HeaderAccessToken)) {
	case tokenUnknown:
		return ttsInvalid, "Invalid credentials. The `x-tts-access-token` header is invalid."
	case tokenExpired:
		return tiktokshop.CodeExpiredToken, "Expired credentials. The access token has expired."
	}
	return 0, ""
}

// envelope is TikTok's answer around data.
func (tiktokShopFace) envelope(code int, message string, data any) []byte {
	if data == nil {
		data = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"code": code, "message": message, "request_id": ttsRequestID(), "data": data})
	return b
}

// ttsRequestID makes a request id as TikTok's look: a UTC time and 20 hex digits.
func ttsRequestID() string {
	return time.Now().UTC().Format("20060102150405") + fmt.Sprintf("%04X%016X", rand.N(0x10000), rand.Uint64())
}

func (f tiktokShopFace) ok(w http.ResponseWriter, data any) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(f.envelope(0, "Success", data))
}

// fail answers a call TikTok refuses for its content: HTTP 200 with the code in the body.
func (f tiktokShopFace) fail(w http.ResponseWriter, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(f.envelope(code, message, nil))
}

func (f tiktokShopFace) orderDetail(w http.ResponseWriter, r *http.Request, sh *Shop, _ []byte) {
	ids := split(r.URL.Query().Get("ids"))
	if len(ids) == 0 || len(ids) > 50 {
		f.fail(w, ttsInvalid, "invalid param error")
		return
	}
	var found []*Order
	sh.mu.Lock()
	for _, id := range ids {
		if o := sh.orders[id]; o != nil {
			found = append(found, o.clone())
		}
	}
	sh.mu.Unlock()
	orders := make([]json.RawMessage, len(found))
	for i, o := range found {
		orders[i] = f.render(sh, o)
	}
	f.ok(w, map[string]any{"orders": orders})
}

// ttsSearch is the body of Get Order List, as far as the face filters.
type ttsSearch struct {
	OrderStatus  string `json:"order_status,omitempty"`
	CreateTimeGE int64  `json:"create_time_ge,omitempty"`
	CreateTimeLT int64  `json:"create_time_lt,omitempty"`
	UpdateTimeGE int64  `json:"update_time_ge,omitempty"`
	UpdateTimeLT int64  `json:"update_time_lt,omitempty"`
}

func (s ttsSearch) keep(status string, o *Order) bool {
	in := func(t time.Time, ge, lt int64) bool {
		return t.Unix() >= ge && (lt == 0 || t.Unix() < lt)
	}
	return (s.OrderStatus == "" || s.OrderStatus == status) &&
		in(o.CreatedAt, s.CreateTimeGE, s.CreateTimeLT) && in(o.UpdatedAt, s.UpdateTimeGE, s.UpdateTimeLT)
}

// ttsPageToken is an opaque page_token: the offset and the filters it was made for, which the next
// call must repeat.
func ttsPageToken(offset int, s ttsSearch) string {
	b, _ := json.Marshal(s)
	return base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(offset) + "|" + string(b)))
}

func ttsReadPageToken(tok string, s ttsSearch) (int, bool) {
	raw, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	off, filters, _ := strings.Cut(string(raw), "|")
	n, err := strconv.Atoi(off)
	b, _ := json.Marshal(s)
	return n, err == nil && n >= 0 && filters == string(b)
}

// orderList serves Get Order List. The simulator always sorts by update_time, oldest first, which
// is what Ordo asks for.
func (f tiktokShopFace) orderList(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	q := r.URL.Query()
	size, err := strconv.Atoi(q.Get("page_size"))
	if err != nil || size < 1 || size > 100 {
		f.fail(w, ttsInvalid, "invalid param error: page_size must be in [1, 100]")
		return
	}
	var s ttsSearch
	if len(body) > 0 && json.Unmarshal(body, &s) != nil {
		f.fail(w, ttsInvalid, "invalid param error")
		return
	}
	offset := 0
	if tok := q.Get("page_token"); tok != "" {
		var ok bool
		if offset, ok = ttsReadPageToken(tok, s); !ok {
			f.fail(w, ttsInvalid, "invalid param error: page_token")
			return
		}
	}
	keep := func(o *Order) bool { return s.keep(f.status(o.Status), o) }
	sh.mu.Lock()
	page, next := sh.listPage(keep, offset, size)
	total := 0
	for _, o := range sh.orders {
		if keep(o) {
			total++
		}
	}
	sh.mu.Unlock()
	orders := make([]json.RawMessage, len(page))
	for i, o := range page {
		orders[i] = f.render(sh, o)
	}
	token := ""
	if next >= 0 {
		token = ttsPageToken(next, s)
	}
	f.ok(w, map[string]any{"next_page_token": token, "total_count": total, "orders": orders})
}

// ttsInventory is the body of Update Inventory.
type ttsInventory struct {
	SKUs []struct {
		ID        string `json:"id"`
		Inventory []struct {
			WarehouseID string `json:"warehouse_id"`
			Quantity    *int64 `json:"quantity"`
		} `json:"inventory"`
	} `json:"skus"`
}

// updateInventory serves Update Inventory: a SKU's sellable stock is the sum over its warehouses.
// SKUs that fail are reported in data.errors with code 0, as TikTok does. Quantity 0 is accepted
// (the docs say [1, 99999]; whether 0 is refused is [U], and Ordo pushes 0 for sold out).
func (f tiktokShopFace) updateInventory(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	product := r.PathValue("product_id")
	var in ttsInventory
	if err := json.Unmarshal(body, &in); err != nil {
		f.fail(w, ttsInvalid, "invalid param error")
		return
	}
	if len(in.SKUs) == 0 {
		f.fail(w, ttsSKUsEmpty, "The SKU list is empty. Either omit the list entirely, or provide all required details.")
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	known := false
	for _, l := range sh.listings {
		known = known || l.Attrs[tiktokshop.AttrProductID] == product
	}
	if !known {
		f.fail(w, ttsProductMissing, "The product does not exist")
		return
	}
	var errs []map[string]any
	for _, s := range in.SKUs {
		l, ok := sh.listings[s.ID]
		if !ok || l.Attrs[tiktokshop.AttrProductID] != product {
			errs = append(errs, map[string]any{"code": ttsSKUMissing, "message": "The SKU id not exist.", "detail": map[string]any{"sku_id": s.ID}})
			continue
		}
		total, bad := int64(0), []map[string]any{}
		for _, inv := range s.Inventory {
			if inv.Quantity == nil || *inv.Quantity < 0 || *inv.Quantity > 99999 {
				bad = append(bad, map[string]any{"warehouse_id": inv.WarehouseID, "code": ttsQuantity, "message": "The SKU inventory quantity for the warehouse must be within allowed limits."})
				continue
			}
			if wh := l.Attrs[tiktokshop.AttrWarehouseID]; wh != "" && inv.WarehouseID != "" && inv.WarehouseID != wh {
				bad = append(bad, map[string]any{"warehouse_id": inv.WarehouseID, "code": ttsNoWarehouse, "message": "The warehouse does not exist"})
				continue
			}
			total += *inv.Quantity
		}
		if len(s.Inventory) == 0 || len(bad) > 0 {
			errs = append(errs, map[string]any{"code": ttsCheckFailed, "message": "Check failed", "detail": map[string]any{"sku_id": s.ID, "extra_errors": bad}})
			continue
		}
		sh.recordPush(l.ID, total)
	}
	data := map[string]any{}
	if len(errs) > 0 {
		data["errors"] = errs
	}
	f.ok(w, data)
}

// ttsPackageID is the first package of an order, a 19-digit id (the others add a digit).
func ttsPackageID(orderID string) string {
	if len(orderID) < 4 {
		return "1153" + orderID
	}
	return "1153" + orderID[3:]
}

// ttsShip is the body of Ship Package.
type ttsShip struct {
	HandoverMethod string `json:"handover_method"`
	SelfShipment   *struct {
		TrackingNumber     string `json:"tracking_number"`
		ShippingProviderID string `json:"shipping_provider_id"`
	} `json:"self_shipment"`
}

// shipPackage serves Ship Package: with self_shipment the seller's carrier and tracking number,
// else TikTok's own label.
func (f tiktokShopFace) shipPackage(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	pkg := r.PathValue("package_id")
	var in ttsShip
	if json.Unmarshal(body, &in) != nil || (in.HandoverMethod != "" && in.HandoverMethod != "PICKUP" && in.HandoverMethod != "DROP_OFF") {
		f.fail(w, ttsShipParam, "invalid param.")
		return
	}
	provider, tracking := "6617675021119438849", "TTV"+pkg[max(0, len(pkg)-10):]
	if s := in.SelfShipment; s != nil {
		if s.TrackingNumber == "" || s.ShippingProviderID == "" {
			f.fail(w, ttsBadTracking, "Invalid tracking number or provider ID. Please double check and try again.")
			return
		}
		provider, tracking = s.ShippingProviderID, s.TrackingNumber
	}
	sh.mu.Lock()
	o, _ := sh.findPackage(pkg)
	var status Status
	if o != nil {
		status = o.Status
	}
	sh.mu.Unlock()
	if o == nil {
		f.fail(w, ttsNotOurPackage, "The package does not belong to the current shop.")
		return
	}
	if _, err := sh.shipPackage(pkg, orDefault(in.HandoverMethod, "DROP_OFF"), provider, tracking); err != nil {
		switch {
		case status == Cancelled:
			f.fail(w, ttsOrderCancelled, "Cannot complete the operation when order is cancelled. ")
		case errors.Is(err, errShipped) || status == Shipped || status == Delivered || status == Completed:
			f.fail(w, ttsShipped, "Package has already been shipped.")
		default:
			f.fail(w, ttsShipNotAllowed, "fulfill_unit action not allowed")
		}
		return
	}
	f.ok(w, nil)
}

// packageDetail serves Get Package Detail: the package's status, tracking number and lines.
func (f tiktokShopFace) packageDetail(w http.ResponseWriter, r *http.Request, sh *Shop, _ []byte) {
	pkg := r.PathValue("package_id")
	sh.mu.Lock()
	o, p := sh.findPackage(pkg)
	var out map[string]any
	if p != nil {
		status, units := "PROCESSING", []string{}
		switch {
		case o.Status == Cancelled:
			status = "CANCELLED"
		case o.Status == Delivered || o.Status == Completed:
			status = "COMPLETED"
		case p.Shipped:
			status = "FULFILLING"
		}
		for _, l := range o.Lines {
			if l.Package < len(sh.orderPackages(o)) && sh.orderPackages(o)[l.Package] == p {
				for u := range l.Quantity {
					units = append(units, ttsUnitID(l.ID, u))
				}
			}
		}
		out = map[string]any{
			"package_id": p.ID, "orders": []map[string]any{{"id": o.ID}}, "package_status": status,
			"shipping_type": "TIKTOK", "handover_method": p.Handover, "order_line_item_ids": units,
			"tracking_number": "", "shipping_provider_name": "", "shipping_provider_id": "",
			"create_time": o.CreatedAt.Unix(), "update_time": o.UpdatedAt.Unix(),
		}
		if p.Shipped {
			out["tracking_number"], out["shipping_provider_id"] = p.Tracking, p.Carrier
			out["shipping_provider_name"] = orDefault(ttsProviders[p.Carrier], p.Carrier)
		}
	}
	sh.mu.Unlock()
	if out == nil {
		f.fail(w, ttsNotOurPackage, "The package does not belong to the current shop.")
		return
	}
	f.ok(w, out)
}

// shippingDocument serves Get Package Shipping Document: a link to the label of a shipped
// package, on the simulator itself.
func (f tiktokShopFace) shippingDocument(w http.ResponseWriter, r *http.Request, sh *Shop, _ []byte) {
	pkg := r.PathValue("package_id")
	if dt := r.URL.Query().Get("document_type"); dt != "SHIPPING_LABEL" && dt != "PACKING_SLIP" && dt != "SHIPPING_LABEL_AND_PACKING_SLIP" {
		f.fail(w, ttsShipParam, "invalid param.")
		return
	}
	sh.mu.Lock()
	_, p := sh.findPackage(pkg)
	shipped, tracking := p != nil && p.Shipped, ""
	if shipped {
		tracking = p.Tracking
	}
	sh.mu.Unlock()
	switch {
	case p == nil:
		f.fail(w, ttsNotOurPackage, "The package does not belong to the current shop.")
	case !shipped:
		f.fail(w, ttsShipNotAllowed, "The shipping label is not available before the package is shipped.")
	default:
		f.ok(w, map[string]any{"doc_url": sh.Account().BaseURL + "/sim/documents/" + url.PathEscape(pkg), "tracking_number": tracking})
	}
}

// downloadDocument serves a label's doc_url, unsigned as TikTok's are.
func (tiktokShopFace) downloadDocument(sh *Shop) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pdf, ok := sh.fetchDocument(r.PathValue("package_id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(pdf)
	}
}

// ttsCancel is the body of Cancel Order.
type ttsCancel struct {
	OrderID      string   `json:"order_id"`
	CancelReason string   `json:"cancel_reason"`
	LineItemIDs  []string `json:"order_line_item_ids"`
}

// cancel serves Cancel Order, of whole orders only: the simulated shop is not in a market that
// cancels single line items.
func (f tiktokShopFace) cancel(w http.ResponseWriter, _ *http.Request, sh *Shop, body []byte) {
	var in ttsCancel
	switch {
	case json.Unmarshal(body, &in) != nil || in.OrderID == "":
		f.fail(w, ttsCancelParam, "An invalid request parameter was passed. Please check that you have the correct parameter type(s) and format.")
		return
	case in.CancelReason == "":
		f.fail(w, ttsUnknownReason, "Unknown return reason. Please ensure you are passing a valid return reason.")
		return
	case !strings.HasPrefix(in.CancelReason, "seller_cancel"):
		f.fail(w, ttsNotSellerCause, "The provided return reason cannot be used by the seller. Please select a valid return reason and try again.")
		return
	}
	o, ok := sh.Order(in.OrderID)
	if !ok {
		f.fail(w, ttsNoPermission, "No permission to process this order")
		return
	}
	if len(in.LineItemIDs) > 0 && !ttsAllUnits(o, in.LineItemIDs) {
		f.fail(w, ttsPartialCancel, "Unable to cancel individual line items within this request.")
		return
	}
	if _, err := sh.confirm(o.ID, Confirmation{Reason: in.CancelReason}); err != nil {
		o, _ = sh.Order(o.ID)
		if o.Status == Shipped {
			f.fail(w, ttsCancelShipped, "The order has already been shipped and we are unable to cancel shipment with the courier.")
			return
		}
		f.fail(w, ttsCancelClosed, "Not allowed to return or cancel since order is completed or cancelled")
		return
	}
	f.ok(w, map[string]any{"cancel_id": "4035" + o.ID[min(4, len(o.ID)):], "cancel_status": "CANCELLATION_REQUEST_SUCCESS"})
}

// ttsAllUnits reports whether ids are exactly the order's unit ids.
func ttsAllUnits(o *Order, ids []string) bool {
	want := map[string]bool{}
	for _, l := range o.Lines {
		for u := range l.Quantity {
			want[ttsUnitID(l.ID, u)] = true
		}
	}
	got := map[string]bool{}
	for _, id := range ids {
		if !want[id] {
			return false
		}
		got[id] = true
	}
	return len(got) == len(want)
}

// ttsUnitID is the line item id of unit u of a simulated line.
func ttsUnitID(lineID string, u int64) string {
	n, _ := strconv.ParseInt(lineID, 10, 64)
	return strconv.FormatInt(577086512000000000+n%1_000_000_000*1000+u%1000+1, 10)
}

func (tiktokShopFace) status(st Status) string {
	switch st {
	case Unpaid:
		return "UNPAID"
	case ToShip:
		return "AWAITING_SHIPMENT"
	case Shipped:
		return "IN_TRANSIT"
	case Delivered:
		return "DELIVERED"
	case Completed:
		return "COMPLETED"
	case Cancelled:
		return "CANCELLED"
	}
	return string(st)
}

// ttsLeft reports whether an order in state st has left the seller (it has a tracking number).
func ttsLeft(st Status) bool { return st == Shipped || st == Delivered || st == Completed }

// ttsPackageList is an order's packages as Get Order Detail lists them.
func ttsPackageList(pkgs []Package) []map[string]string {
	out := make([]map[string]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = map[string]string{"id": p.ID}
	}
	return out
}

// ttsPackageStatus is a line's package_status in state st, its package shipped or not.
func ttsPackageStatus(st Status, shipped bool) string {
	if shipped && st == ToShip {
		return "FULFILLING"
	}
	switch st {
	case Shipped:
		return "FULFILLING"
	case Delivered, Completed:
		return "COMPLETED"
	case Cancelled:
		return "CANCELLED"
	}
	return "TO_FULFILL"
}

func (f tiktokShopFace) webhook(sh *Shop, o *Order, _ bool) (http.Header, []byte, bool) {
	status := f.status(o.Status)
	if o.Status == Cancelled {
		status = "CANCEL" // the order-status webhook's spelling, not the order API's
	}
	type data struct {
		OrderID       string `json:"order_id"`
		OrderStatus   string `json:"order_status"`
		IsOnHoldOrder bool   `json:"is_on_hold_order"`
		UpdateTime    int64  `json:"update_time"`
	}
	body, _ := json.Marshal(struct {
		Type           int    `json:"type"`
		NotificationID string `json:"tts_notification_id"`
		ShopID         string `json:"shop_id"`
		Timestamp      int64  `json:"timestamp"`
		Data           data   `json:"data"`
	}{
		Type: tiktokshop.TypeOrderStatusChange, NotificationID: fmt.Sprintf("73271123930%08d", sh.nextDeliverySeq()),
		ShopID: sh.cfg.ShopID, Timestamp: sh.sim.now().Unix(),
		Data: data{OrderID: o.ID, OrderStatus: status, UpdateTime: o.UpdatedAt.Unix()},
	})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", tiktokshop.WebhookSignature(sh.cfg.Credentials.AppKey, sh.cfg.Credentials.AppSecret, body))
	return h, body, true
}

// render writes an order as a Get Order Detail order.
func (f tiktokShopFace) render(sh *Shop, o *Order) json.RawMessage {
	if raw, ok := sh.raw(o.ID, RawOrder); ok {
		return raw
	}
	cur := o.Currency
	money := func(v int64) string { return decimal(v, cur) }
	pkgs := sh.Packages(o.ID)
	shipped := ttsLeft(o.Status)
	provider := ttsProviders[o.Carrier]
	if provider == "" {
		provider = o.Carrier
	}
	var original, discounts int64
	for _, l := range o.Lines {
		original += l.UnitPrice * l.Quantity
		discounts += l.Discount
	}
	out := map[string]any{
		"id": o.ID, "status": f.status(o.Status), "user_id": ttsUserID(o.Buyer.ID), "buyer_email": o.Buyer.Email, "buyer_message": "",
		"create_time": o.CreatedAt.Unix(), "update_time": o.UpdatedAt.Unix(),
		"rts_sla_time": o.ShipBy.Unix(), "tts_sla_time": o.ShipBy.Add(24 * time.Hour).Unix(), "shipping_due_time": o.ShipBy.Add(48 * time.Hour).Unix(),
		"is_cod": o.COD, "payment_method_name": "CCDC", "is_on_hold_order": false, "is_buyer_request_cancel": false,
		"is_sample_order": false, "is_replacement_order": false, "is_exchange_order": false, "order_type": "NORMAL",
		"commerce_platform": "TIKTOK_SHOP", "shipping_type": "SELLER", "fulfillment_type": "FULFILLMENT_BY_SELLER",
		"delivery_type": "HOME_DELIVERY", "delivery_option_name": "Standard Shipping",
		"warehouse_id": sh.cfg.Credentials.Extra[tiktokshop.ExtraWarehouseID],
		"packages":     ttsPackageList(pkgs),
		"payment": map[string]string{
			"currency": cur, "original_total_product_price": money(original), "seller_discount": money(discounts),
			"platform_discount": money(0), "sub_total": money(o.Subtotal()), "original_shipping_fee": money(o.Shipping),
			"shipping_fee": money(o.Shipping), "shipping_fee_seller_discount": money(0), "shipping_fee_platform_discount": money(0),
			"tax": money(0), "product_tax": money(0), "shipping_fee_tax": money(0), "total_amount": money(o.Total()),
		},
		"recipient_address": ttsAddress(o.Address),
		"line_items":        f.lineItems(o, pkgs, provider),
	}
	if o.COD {
		out["payment_method_name"] = "Cash on delivery"
	}
	if o.Status != Unpaid {
		out["paid_time"] = o.CreatedAt.Unix()
	}
	if shipped {
		out["tracking_number"], out["shipping_provider"], out["shipping_provider_id"] = o.Tracking, provider, o.Carrier
		out["rts_time"] = o.UpdatedAt.Unix()
	}
	if o.Status == Delivered || o.Status == Completed {
		out["delivery_time"] = o.UpdatedAt.Unix()
	}
	if o.Status == Cancelled {
		out["cancel_reason"], out["cancellation_initiator"], out["cancel_time"] = o.CancelReason, ttsCanceller(o), o.UpdatedAt.Unix()
	}
	body, _ := json.Marshal(out)
	return body
}

// lineItems writes an order's lines as line items, one per unit, each with its share of the
// line's discount (the remainder on the first units).
func (f tiktokShopFace) lineItems(o *Order, pkgs []Package, provider string) []map[string]any {
	money := func(v int64) string { return decimal(v, o.Currency) }
	var items []map[string]any
	for _, l := range o.Lines {
		var pkg Package
		if l.Package < len(pkgs) {
			pkg = pkgs[l.Package]
		}
		shipped, tracking, carrier := ttsLeft(o.Status), o.Tracking, o.Carrier
		if pkg.Shipped {
			shipped, tracking, carrier = true, pkg.Tracking, pkg.Carrier
		}
		for u := range l.Quantity {
			d := l.Discount / l.Quantity
			if u < l.Discount%l.Quantity {
				d++
			}
			it := map[string]any{
				"id": ttsUnitID(l.ID, u), "sku_id": l.Listing.ID, "product_id": l.Listing.Attrs[tiktokshop.AttrProductID],
				"seller_sku": l.Listing.ChannelSKU(), "product_name": l.Listing.Name, "sku_name": "", "sku_type": "NORMAL",
				"sku_image":      "https://p16-oec-va.itexeitg.com/tos-maliva-d-o5syd03w52-us/" + l.Listing.ID,
				"original_price": money(l.UnitPrice), "sale_price": money(l.UnitPrice - d), "seller_discount": money(d),
				"platform_discount": money(0), "currency": o.Currency, "display_status": f.status(o.Status), "is_gift": false,
				"package_id": pkg.ID, "package_status": ttsPackageStatus(o.Status, pkg.Shipped),
			}
			if shipped {
				it["tracking_number"], it["shipping_provider_id"], it["shipping_provider_name"] = tracking, carrier, orDefault(ttsProviders[carrier], provider)
			}
			if o.Status == Cancelled {
				it["cancel_reason"], it["cancel_user"] = o.CancelReason, ttsCanceller(o)
			}
			if slices.Contains(o.CancelledUnits, ttsUnitID(l.ID, u)) {
				it["display_status"], it["cancel_reason"], it["cancel_user"] = f.status(Cancelled), o.CancelReason, "BUYER"
			}
			items = append(items, it)
		}
	}
	return items
}

// ttsCanceller is who cancelled: the seller when the reason is a seller's, else the buyer.
func ttsCanceller(o *Order) string {
	if strings.HasPrefix(o.CancelReason, "seller_cancel") {
		return "SELLER"
	}
	return "BUYER"
}

// ttsUserID is a TikTok-style buyer id (19 digits) for a simulator buyer id ("b12").
func ttsUserID(buyerID string) string {
	n, _ := strconv.ParseInt(orDefault(digits(buyerID), "0"), 10, 64)
	return strconv.FormatInt(7021436810468230000+n%10000, 10)
}

// ttsAddress writes an address as recipient_address: district_info L0 the country, L1 the region,
// L2 the city.
func ttsAddress(a channels.Address) map[string]any {
	first, last, _ := strings.Cut(a.Name, " ")
	var full []string
	for _, p := range []string{a.Line1, a.Line2, a.City, a.Region, a.PostalCode} {
		if p != "" {
			full = append(full, p)
		}
	}
	return map[string]any{
		"name": a.Name, "first_name": first, "last_name": last, "phone_number": a.Phone,
		"full_address": strings.Join(full, ", "), "address_line1": a.Line1, "address_line2": a.Line2,
		"address_line3": "", "address_line4": "", "address_detail": "", "postal_code": a.PostalCode, "region_code": a.CountryCode,
		"district_info": []map[string]string{
			{"address_level_name": "Country", "address_level": "L0", "address_name": a.CountryCode},
			{"address_level_name": "Province", "address_level": "L1", "address_name": a.Region},
			{"address_level_name": "City", "address_level": "L2", "address_name": a.City},
		},
	}
}

// ttsRefreshRefused is the simulator's code for a refresh token it will not take [U: TikTok's is
// not in the docs records].
const ttsRefreshRefused = 36004004

// refreshToken is the auth host's GET /api/v2/token/refresh: app_key, app_secret, refresh_token and
// grant_type=refresh_token in the query. Its data has the new access_token and refresh_token and
// their expiries as unix seconds; the refresh token sent is spent.
func (f tiktokShopFace) refreshToken(sh *Shop) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		cred := sh.cfg.Credentials
		switch {
		case q.Get("app_key") != cred.AppKey || !hmac.Equal([]byte(q.Get("app_secret")), []byte(cred.AppSecret)):
			sh.refuse(w, http.StatusUnauthorized, string(f.envelope(ttsInvalid, "Invalid credentials. Invalid `app_key` or `app_secret`.", nil)))
			return
		case q.Get("grant_type") != "refresh_token":
			f.fail(w, ttsInvalid, "invalid param error: grant_type must be refresh_token")
			return
		}
		t, err := sh.rotate(q.Get("refresh_token"))
		if err != nil {
			f.fail(w, ttsRefreshRefused, "Invalid refresh_token: "+err.Error())
			return
		}
		exp := sh.sim.now().Add(sh.lifetime())
		f.ok(w, map[string]any{
			"access_token": t.AccessToken, "access_token_expire_in": exp.Unix(),
			"refresh_token": t.RefreshToken, "refresh_token_expire_in": t.RefreshExpiresAt.Unix(),
			"open_id": "7010736057180325637", "seller_name": "Ordo demo", "seller_base_region": "TH", "user_type": 0,
			"granted_scopes": []string{"seller.order.info", "seller.product.basic", "seller.fulfillment.basic"},
		})
	}
}
