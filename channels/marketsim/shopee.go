package marketsim

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// shopeeFace speaks Shopee Open Platform v2's Shop APIs as the shopee connector calls them
// (get_order_list, get_order_detail with its response_optional_fields, update_stock, ship_order,
// cancel_order), answering in Shopee's {"error","message","request_id","response"} envelope after
// checking each call's partner, timestamp, sign, token and shop, and sends code 3 order status
// pushes signed over the shop's callback URL and the body. Its shops are non-integrated: ship_order
// takes a tracking number, not a pickup or drop-off.
type shopeeFace struct{}

// shopeeCarrier is the logistics channel every simulated Shopee order ships with.
const shopeeCarrier = "SPX Express"

// shopeeStatuses renders the simulator's states as Shopee's order_status.
var shopeeStatuses = map[Status]string{
	Unpaid: "UNPAID", ToShip: "READY_TO_SHIP", Shipped: "SHIPPED",
	Delivered: "TO_CONFIRM_RECEIVE", Completed: "COMPLETED", Cancelled: "CANCELLED",
}

// shopeeLogistics renders them as the package's logistics_status.
var shopeeLogistics = map[Status]string{
	Unpaid: "LOGISTICS_NOT_START", ToShip: "LOGISTICS_READY", Shipped: "LOGISTICS_PICKUP_DONE",
	Delivered: "LOGISTICS_DELIVERY_DONE", Completed: "LOGISTICS_DELIVERY_DONE", Cancelled: "LOGISTICS_INVALID",
}

func (shopeeFace) apiRoot() string { return "" }

// orderID makes an order_sn like 2404098R48U37H: the shop's local date, then eight base-36
// characters that are a bijection of n (per shop), so that ids look random but never collide.
func (shopeeFace) orderID(sh *Shop, n int, now time.Time) string {
	const alphabet, space = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2821109907456 // 36^8
	h := fnv.New64a()
	_, _ = h.Write([]byte(sh.cfg.ShopID))
	// 2654435761 is prime to 36, so n ↦ n·k + offset is one-to-one modulo 36^8.
	x := (uint64(n)*2654435761 + h.Sum64()%space) % space
	var tail [8]byte
	for i := len(tail) - 1; i >= 0; i-- {
		tail[i] = alphabet[x%36]
		x /= 36
	}
	return now.In(zone).Format("060102") + string(tail[:])
}

func (f shopeeFace) routes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET "+shopee.PathOrderList, f.auth(sh, f.orderList))
	mux.HandleFunc("GET "+shopee.PathOrderDetail, f.auth(sh, f.orderDetail))
	mux.HandleFunc("POST "+shopee.PathUpdateStock, f.auth(sh, f.updateStock))
	mux.HandleFunc("POST "+shopee.PathShipOrder, f.auth(sh, f.shipOrder))
	mux.HandleFunc("POST "+shopee.PathCancelOrder, f.auth(sh, f.cancelOrder))
	mux.HandleFunc("GET "+shopee.PathShippingParameter, f.auth(sh, f.shippingParameter))
	mux.HandleFunc("GET "+shopee.PathTrackingNumber, f.auth(sh, f.trackingNumber))
	mux.HandleFunc("POST "+shopee.PathCreateDocument, f.auth(sh, f.createDocument))
	mux.HandleFunc("POST "+shopee.PathDocumentResult, f.auth(sh, f.documentResult))
	mux.HandleFunc("POST "+shopee.PathDownloadDocument, f.auth(sh, f.downloadDocument))
	mux.HandleFunc("POST "+shopee.PathRefreshToken, f.refreshToken(sh))
	f.returnRoutes(mux, sh)
	f.catalogRoutes(mux, sh)
}

// auth refuses, as Shopee does, calls whose common parameters do not check out.
func (f shopeeFace) auth(sh *Shop, h func(http.ResponseWriter, *http.Request, *Shop)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if code, message := f.check(sh, r); code != "" {
			body, _ := json.Marshal(map[string]string{"error": code, "message": message, "request_id": shopeeRequestID()})
			sh.refuse(w, http.StatusForbidden, string(body))
			return
		}
		h(w, r, sh)
	}
}

// check verifies a call's partner_id, a timestamp within five minutes of the shop's clock, the sign
// over partner_id, the api path, timestamp, access_token and shop_id, then the token and the shop.
func (shopeeFace) check(sh *Shop, r *http.Request) (code, message string) {
	q := r.URL.Query()
	cred := sh.cfg.Credentials
	partnerID, err := strconv.ParseInt(q.Get("partner_id"), 10, 64)
	switch {
	case q.Get("partner_id") == "":
		return "error_param", "There is no partner_id in query."
	case err != nil:
		return "error_param", "Invalid partner_id."
	case q.Get("partner_id") != cred.AppKey:
		return "invalid_partner_id", "Invalid partner_id, please have a check."
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		return "error_param", "Invalid timestamp"
	}
	if d := sh.sim.now().Unix() - ts; d > 300 || d < -300 {
		return "error_param", "Timestamp is expired."
	}
	shopID, err := strconv.ParseInt(q.Get("shop_id"), 10, 64)
	if err != nil {
		return "error_param", "Wrong parameters, detail: shop_id is invalid."
	}
	want := shopee.SignRequest(cred.AppSecret, partnerID, r.URL.Path, ts, q.Get("access_token"), shopID)
	switch {
	case q.Get("sign") == "":
		return "error_param", "There is no sign in query."
	case !hmac.Equal([]byte(q.Get("sign")), []byte(want)):
		return "error_sign", "Wrong sign."
	case q.Get("shop_id") != sh.cfg.ShopID:
		return "error_shop", "shopid is invalid"
	}
	switch sh.checkToken(q.Get("access_token")) {
	case tokenUnknown:
		return "error_auth", "Invalid access_token."
	case tokenExpired:
		return "invalid_acceess_token", "Invalid access_token." // sic: Shopee's spelling
	}
	return "", ""
}

func shopeeRequestID() string { return fmt.Sprintf("%016x%016x", rand.Uint64(), rand.Uint64()) }

// shopeeOK answers a call that worked; a nil response is left out, as ship_order leaves it.
func shopeeOK(w http.ResponseWriter, response any) {
	body := map[string]any{"error": "", "message": "", "request_id": shopeeRequestID()}
	if response != nil {
		body["response"] = response
	}
	writeJSON(w, http.StatusOK, body)
}

// shopeeFail answers a business error as Shopee does: HTTP 200 with the code in the body.
func shopeeFail(w http.ResponseWriter, code, message string) {
	writeJSON(w, http.StatusOK, map[string]any{"error": code, "message": message, "request_id": shopeeRequestID()})
}

func (f shopeeFace) orderList(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	field := q.Get("time_range_field")
	from, ferr := strconv.ParseInt(q.Get("time_from"), 10, 64)
	to, terr := strconv.ParseInt(q.Get("time_to"), 10, 64)
	size, serr := strconv.Atoi(q.Get("page_size"))
	offset, cerr := 0, error(nil)
	if c := q.Get("cursor"); c != "" {
		offset, cerr = strconv.Atoi(c)
	}
	switch {
	case field != "create_time" && field != "update_time":
		shopeeFail(w, "error_param", "Wrong parameters, detail: time_range_field must be create_time or update_time.")
		return
	case ferr != nil || terr != nil || from > to || to-from > 15*24*3600:
		shopeeFail(w, "order.order_list_invalid_time", "Start time must be earlier than end time and diff in 15days.")
		return
	case serr != nil || size < 1 || size > 100:
		shopeeFail(w, "error_param", "Wrong parameters, detail: page_size must be between 1 and 100.")
		return
	case cerr != nil || offset < 0:
		shopeeFail(w, "error_param", "Wrong parameters, detail: cursor is invalid.")
		return
	}
	status := q.Get("order_status")
	sh.mu.Lock()
	page, next := sh.listPage(func(o *Order) bool {
		at := o.UpdatedAt.Unix()
		if field == "create_time" {
			at = o.CreatedAt.Unix()
		}
		return at >= from && at <= to && (status == "" || shopeeStatuses[o.Status] == status)
	}, offset, size)
	sh.mu.Unlock()
	withStatus := strings.Contains(q.Get("response_optional_fields"), "order_status")
	list := make([]map[string]string, len(page))
	for i, o := range page {
		list[i] = map[string]string{"order_sn": o.ID}
		if withStatus {
			list[i]["order_status"] = shopeeStatuses[o.Status]
		}
	}
	cursor := ""
	if next >= 0 {
		cursor = strconv.Itoa(next)
	}
	shopeeOK(w, map[string]any{"more": next >= 0, "next_cursor": cursor, "order_list": list})
}

func (f shopeeFace) orderDetail(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	sns := split(q.Get("order_sn_list"))
	if len(sns) == 0 || len(sns) > 50 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_sn_list must hold 1 to 50 order_sn.")
		return
	}
	fields := map[string]bool{}
	for _, name := range split(q.Get("response_optional_fields")) {
		fields[name] = true
	}
	var list []map[string]any
	var warnings []string
	for _, sn := range sns {
		o, ok := sh.Order(sn)
		if !ok {
			warnings = append(warnings, "order_sn "+sn+" is not found")
			continue
		}
		list = append(list, f.render(o, fields))
	}
	if len(list) == 0 {
		shopeeFail(w, "error_not_found", "Wrong parameters, detail: the order is not found.")
		return
	}
	body := map[string]any{"error": "", "message": "", "request_id": shopeeRequestID(), "response": map[string]any{"order_list": list}}
	if len(warnings) > 0 {
		body["warning"] = warnings
	}
	writeJSON(w, http.StatusOK, body)
}

// shopeeMoney writes minor units as Shopee's JSON float: 48000 for VND, 12.5 for 1250 US cents.
func shopeeMoney(minor int64, currency string) json.Number {
	s := decimal(minor, currency)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return json.Number(s)
}

// shopeeNum writes a numeric id as a JSON number (0 for anything else).
func shopeeNum(id string) json.Number { return json.Number(orDefault(digits(id), "0")) }

// render writes an order as get_order_detail's order_list entry: the fields Shopee returns by
// default, and those of its optional ones that the call named.
func (f shopeeFace) render(o *Order, fields map[string]bool) map[string]any {
	out := map[string]any{
		"order_sn": o.ID, "region": o.Address.CountryCode, "currency": o.Currency, "cod": o.COD,
		"order_status": shopeeStatuses[o.Status], "message_to_seller": "", "booking_sn": "",
		"create_time": o.CreatedAt.Unix(), "update_time": o.UpdatedAt.Unix(),
		"days_to_ship": 2, "ship_by_date": o.ShipBy.Unix(),
	}
	for name, v := range f.optional(o) {
		if fields[name] {
			out[name] = v
		}
	}
	return out
}

// optional is an order's fields that get_order_detail returns only when asked for.
func (f shopeeFace) optional(o *Order) map[string]any {
	money := func(v int64) json.Number { return shopeeMoney(v, o.Currency) }
	shippedOut := o.Status == Shipped || o.Status == Delivered || o.Status == Completed
	carrier := orDefault(o.Carrier, shopeeCarrier)
	a := o.Address
	opt := map[string]any{
		"buyer_user_id": shopeeNum(o.Buyer.ID), "buyer_username": o.Buyer.Name,
		"recipient_address": map[string]any{
			"name": a.Name, "phone": a.Phone, "town": "", "district": a.Line2, "city": a.City,
			"state": a.Region, "region": a.CountryCode, "zipcode": a.PostalCode, "full_address": a.Line1,
		},
		"estimated_shipping_fee": money(o.Shipping), "actual_shipping_fee": money(0),
		"actual_shipping_fee_confirmed": shippedOut, "item_list": f.items(o), "pay_time": nil,
		"package_list": f.packages(o, carrier), "shipping_carrier": carrier,
		"payment_method": "Credit Card/Debit Card", "fulfillment_flag": "fulfilled_by_local_seller",
		"note": "", "split_up": false, "buyer_cancel_reason": "", "cancel_by": "", "cancel_reason": "",
		"pickup_done_time": 0,
	}
	if shippedOut {
		opt["actual_shipping_fee"] = money(o.Shipping)
		opt["pickup_done_time"] = o.UpdatedAt.Unix()
	}
	if o.Status != Unpaid { // total_amount only once paid (or, for COD, accepted)
		opt["total_amount"] = money(o.Total())
	}
	switch {
	case o.COD:
		opt["payment_method"] = "Cash on Delivery"
		if o.Status == Delivered || o.Status == Completed { // COD is paid at the door
			opt["pay_time"] = o.UpdatedAt.Unix()
		}
	case o.Status != Unpaid:
		opt["pay_time"] = o.CreatedAt.Unix()
	}
	if o.Status == Cancelled {
		opt["cancel_by"], opt["cancel_reason"] = "buyer", o.CancelReason
		if shopee.CancelReason(o.CancelReason) == o.CancelReason {
			opt["cancel_by"] = "seller" // a reason of cancel_order's: Ordo cancelled it
		}
	}
	return opt
}

// items renders the lines as item_list: one entry per line, its discount spread over its units
// (model_discounted_price, rounded down), line_item_id the simulator's line id.
func (shopeeFace) items(o *Order) []map[string]any {
	money := func(v int64) json.Number { return shopeeMoney(v, o.Currency) }
	out := make([]map[string]any, len(o.Lines))
	for i, l := range o.Lines {
		item, model := l.Listing.Attrs["item_id"], orDefault(l.Listing.Attrs["model_id"], "0")
		itemSKU, modelSKU := "", l.Listing.ChannelSKU()
		if model == "0" {
			itemSKU, modelSKU = l.Listing.ChannelSKU(), ""
		}
		promotion := ""
		if l.Discount > 0 {
			promotion = "product_promotion"
		}
		out[i] = map[string]any{
			"item_id": shopeeNum(item), "item_name": l.Listing.Name, "item_sku": itemSKU,
			"model_id": shopeeNum(model), "model_name": "", "model_sku": modelSKU,
			"model_quantity_purchased": l.Quantity, "order_item_id": shopeeNum(item), "line_item_id": shopeeNum(l.ID),
			"model_original_price": money(l.UnitPrice), "model_discounted_price": money(l.UnitPrice - l.Discount/l.Quantity),
			"promotion_type": promotion, "promotion_id": 0, "promotion_group_id": 0,
			"add_on_deal": false, "add_on_deal_id": 0, "main_item": false, "wholesale": false,
			"weight": 0.1, "image_info": map[string]string{"image_url": ""},
		}
	}
	return out
}

// packages renders the order's packages, its lines grouped by their package index.
func (shopeeFace) packages(o *Order, carrier string) []map[string]any {
	var out []map[string]any
	for _, l := range o.Lines {
		for len(out) <= l.Package {
			k := len(out)
			number := shopeePackageNumber(o)
			if k > 0 {
				number += strconv.Itoa(k)
			}
			out = append(out, map[string]any{
				"package_number": number, "shipping_carrier": carrier,
				"logistics_status": shopeeLogistics[o.Status], "item_list": []map[string]any{},
				"allow_self_design_awb": false, "group_shipment_id": nil,
			})
		}
		p := out[l.Package]
		p["item_list"] = append(p["item_list"].([]map[string]any), map[string]any{
			"item_id": shopeeNum(l.Listing.Attrs["item_id"]), "model_id": shopeeNum(l.Listing.Attrs["model_id"]),
			"model_quantity": l.Quantity, "order_item_id": shopeeNum(l.Listing.Attrs["item_id"]), "promotion_group_id": 0,
		})
	}
	return out
}

// shopeePackageNumber is the package_number of an order's first package.
func shopeePackageNumber(o *Order) string {
	return "OFG" + strconv.FormatInt(o.CreatedAt.Unix(), 10) + o.Number
}

func (shopeeFace) updateStock(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		ItemID    json.Number `json:"item_id"`
		StockList []struct {
			ModelID     json.Number `json:"model_id"`
			SellerStock []struct {
				LocationID string `json:"location_id"`
				Stock      *int64 `json:"stock"`
			} `json:"seller_stock"`
		} `json:"stock_list"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ItemID == "" {
		shopeeFail(w, "product.error_param", "invalid field ItemId: value must  Not Null")
		return
	}
	if len(in.StockList) == 0 || len(in.StockList) > 50 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: stock_list length should be between 1 to 50.")
		return
	}
	seen := map[json.Number]bool{}
	for _, m := range in.StockList {
		if seen[m.ModelID] {
			shopeeFail(w, "error_param", "Repeat model_id.")
			return
		}
		seen[m.ModelID] = true
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	models := map[string]string{} // model_id → listing id, of this item
	for _, id := range sh.listingOrder {
		if l := sh.listings[id]; l.Attrs["item_id"] == string(in.ItemID) {
			models[orDefault(l.Attrs["model_id"], "0")] = id
		}
	}
	if len(models) == 0 {
		shopeeFail(w, "error_item_not_found", "Item_id is not found.")
		return
	}
	success, failure := []map[string]any{}, []map[string]any{}
	for _, m := range in.StockList {
		id, known := models[string(m.ModelID)]
		switch {
		case !known:
			failure = append(failure, map[string]any{"model_id": m.ModelID, "failed_reason": "model_id is not found."})
		case len(m.SellerStock) != 1 || m.SellerStock[0].Stock == nil || *m.SellerStock[0].Stock < 0:
			failure = append(failure, map[string]any{"model_id": m.ModelID, "failed_reason": "stock is invalid."})
		default:
			s := m.SellerStock[0]
			sh.recordPush(id, *s.Stock)
			success = append(success, map[string]any{"model_id": m.ModelID, "location_id": s.LocationID, "stock": *s.Stock})
		}
	}
	shopeeOK(w, map[string]any{"success_list": success, "failure_list": failure})
}

func (shopeeFace) shipOrder(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		OrderSN       string  `json:"order_sn"`
		PackageNumber *string `json:"package_number"`
		Pickup        *struct {
			AddressID    json.Number `json:"address_id"`
			PickupTimeID string      `json:"pickup_time_id"`
		} `json:"pickup"`
		Dropoff       *json.RawMessage `json:"dropoff"`
		NonIntegrated *struct {
			TrackingNumber string `json:"tracking_number"`
		} `json:"non_integrated"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.OrderSN == "" {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_sn is a required field.")
		return
	}
	ways := 0
	for _, set := range []bool{in.Pickup != nil, in.Dropoff != nil, in.NonIntegrated != nil} {
		if set {
			ways++
		}
	}
	pkgs := sh.Packages(in.OrderSN)
	pkg, pkgErr := shopeePackageOf(pkgs, in.PackageNumber)
	switch {
	case ways != 1:
		shopeeFail(w, "logistics.ship_order_only_support_one_type", "Please select just one way to ship order: pickup or dropoff or non_integrated.")
	case in.Dropoff != nil:
		shopeeFail(w, "logistics.ship_order_unsupport_dropoff", "This order does not support ship with dropoff.")
	case in.Pickup != nil && (string(in.Pickup.AddressID) != shopeePickupAddress || in.Pickup.PickupTimeID != shopeePickupSlot(sh)):
		shopeeFail(w, "logistics.pickup_address_or_time_invalid", "The pickup address or pickup time is invalid.")
	case len(pkgs) == 0:
		shopeeFail(w, "logistics.error_order_not_found", "Order is not found.")
	case pkgErr != "":
		shopeeFail(w, pkgErr, "Please request with a valid package_number.")
	default:
		handover, tracking := channels.HandoverPickup, shopeeTracking(pkg)
		if in.NonIntegrated != nil {
			handover, tracking = "", in.NonIntegrated.TrackingNumber
		}
		if _, err := sh.shipPackage(pkg, handover, shopeeCarrier, tracking); err != nil {
			shopeeFail(w, "logistics.ship_order_not_ready_to_ship", "The order is not ready to ship.")
			return
		}
		shopeeOK(w, nil)
	}
}

// shopeePackageOf picks the package a ship_order names: an unsplit order's only package (naming it
// is refused), or the named package of a split one.
func shopeePackageOf(pkgs []Package, number *string) (string, string) {
	switch {
	case len(pkgs) == 0:
		return "", ""
	case len(pkgs) == 1 && number != nil:
		return "", "logistics.ship_order_not_need_pacakge_number"
	case len(pkgs) == 1:
		return pkgs[0].ID, ""
	case number == nil:
		return "", "logistics.ship_order_need_pacakge_number" // sic
	}
	for _, p := range pkgs {
		if p.ID == *number {
			return p.ID, ""
		}
	}
	return "", "logistics.package_number_invalid"
}

// The simulated shop's pickup address, and its one pickup slot: the next day.
const shopeePickupAddress = "200001"

func shopeePickupSlot(sh *Shop) string {
	return strconv.FormatInt(sh.sim.now().Truncate(24*time.Hour).Add(24*time.Hour).Unix(), 10)
}

// shopeeTracking is the tracking number Shopee's carrier gives a package.
func shopeeTracking(pkg string) string { return "TH" + digits(pkg) + "E" }

// shippingParameter serves get_shipping_parameter: the simulated shop ships by pickup only.
func (shopeeFace) shippingParameter(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	if _, ok := sh.Order(q.Get("order_sn")); !ok {
		shopeeFail(w, "logistics.error_order_not_found", "Order is not found.")
		return
	}
	slot := shopeePickupSlot(sh)
	at, _ := strconv.ParseInt(slot, 10, 64)
	shopeeOK(w, map[string]any{
		"info_needed": map[string]any{"dropoff": []string{}, "pickup": []string{"address_id", "pickup_time_id"}},
		"dropoff":     nil,
		"pickup": map[string]any{"address_list": []map[string]any{
			{
				"address_id": json.Number(shopeePickupAddress), "region": "TH", "state": "Bangkok", "city": "Bangkok", "district": "", "town": "",
				"address": "1 Sukhumvit Road", "zipcode": "10110", "address_flag": []string{"default_address", "pickup_address"},
				"time_slot_list": []map[string]any{{"date": at, "time_text": "", "pickup_time_id": slot, "flags": []string{"recommended"}}},
			},
			{
				"address_id": 234, "region": "TH", "state": "", "city": "", "district": "", "town": "", "address": "return only",
				"zipcode": "10110", "address_flag": []string{"return_address"}, "time_slot_list": nil,
			},
		}},
	})
}

// trackingNumber serves get_tracking_number: empty until the package shipped.
func (shopeeFace) trackingNumber(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	pkgs := sh.Packages(q.Get("order_sn"))
	if len(pkgs) == 0 {
		shopeeFail(w, "logistics.error_order_not_found", "Order is not found.")
		return
	}
	var number *string
	if n := q.Get("package_number"); n != "" && len(pkgs) > 1 {
		number = &n
	}
	id, bad := shopeePackageOf(pkgs, number)
	if bad != "" {
		shopeeFail(w, bad, "Please request with a valid package_number.")
		return
	}
	tracking := ""
	for _, p := range pkgs {
		if p.ID == id && p.Shipped {
			tracking = p.Tracking
		}
	}
	shopeeOK(w, map[string]any{"tracking_number": tracking, "plp_number": "", "first_mile_tracking_number": "", "last_mile_tracking_number": ""})
}

// shopeeDocOrders is the order_list of the shipping document calls.
type shopeeDocOrders struct {
	OrderList []struct {
		OrderSN       string `json:"order_sn"`
		PackageNumber string `json:"package_number"`
	} `json:"order_list"`
	ShippingDocumentType string `json:"shipping_document_type"`
}

// docPackage finds the shipped package of an order_list entry; a fail_error when there is none.
func (sh *Shop) shopeeDocPackage(sn, number string) (*Package, string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	o := sh.orders[sn]
	if o == nil {
		return nil, "logistics.error_order_not_found"
	}
	ps := sh.orderPackages(o)
	for _, p := range ps {
		if (p.ID == number || number == "" && len(ps) == 1) && p.Shipped {
			return p, ""
		}
	}
	return nil, "logistics.shipping_document_should_print_first" // not arranged yet
}

func (shopeeFace) createDocument(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeDocOrders
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.OrderList) == 0 || len(in.OrderList) > 50 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_list must hold 1 to 50 orders.")
		return
	}
	var results []map[string]any
	for _, e := range in.OrderList {
		res := map[string]any{"order_sn": e.OrderSN, "package_number": e.PackageNumber, "fail_error": "", "fail_message": ""}
		if p, bad := sh.shopeeDocPackage(e.OrderSN, e.PackageNumber); bad != "" {
			res["fail_error"], res["fail_message"] = bad, "The package cannot be printed."
		} else {
			sh.mu.Lock()
			p.docCreated, p.docPolls = true, 0
			sh.mu.Unlock()
		}
		results = append(results, res)
	}
	shopeeOK(w, map[string]any{"result_list": results})
}

// documentResult serves get_shipping_document_result: PROCESSING on the first poll, READY after.
func (shopeeFace) documentResult(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeDocOrders
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.OrderList) == 0 || len(in.OrderList) > 50 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_list must hold 1 to 50 orders.")
		return
	}
	var results []map[string]any
	for _, e := range in.OrderList {
		res := map[string]any{"order_sn": e.OrderSN, "package_number": e.PackageNumber, "status": "FAILED", "fail_error": "", "fail_message": ""}
		p, bad := sh.shopeeDocPackage(e.OrderSN, e.PackageNumber)
		sh.mu.Lock()
		switch {
		case bad != "":
			res["fail_error"] = bad
		case !p.docCreated:
			res["fail_error"] = "logistics.shipping_document_not_created"
		case p.docPolls == 0:
			p.docPolls++
			res["status"] = "PROCESSING"
		default:
			res["status"] = "READY"
		}
		sh.mu.Unlock()
		results = append(results, res)
	}
	shopeeOK(w, map[string]any{"result_list": results})
}

// downloadDocument serves download_shipping_document: the PDF of one ready package.
func (shopeeFace) downloadDocument(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeDocOrders
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.OrderList) != 1 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_list must hold one order.")
		return
	}
	e := in.OrderList[0]
	p, bad := sh.shopeeDocPackage(e.OrderSN, e.PackageNumber)
	if bad == "" {
		sh.mu.Lock()
		if !p.docCreated || p.docPolls == 0 {
			bad = "logistics.shipping_document_not_ready"
		}
		sh.mu.Unlock()
	}
	if bad != "" {
		shopeeFail(w, bad, "The shipping document is not ready.")
		return
	}
	pdf, _ := sh.fetchDocument(p.ID)
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(pdf)
}

func (shopeeFace) cancelOrder(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		OrderSN      string `json:"order_sn"`
		CancelReason string `json:"cancel_reason"`
		ItemList     []struct {
			ItemID  json.Number `json:"item_id"`
			ModelID json.Number `json:"model_id"`
		} `json:"item_list"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.OrderSN == "" {
		shopeeFail(w, "error_param", "Wrong parameters, detail: order_sn is a required field.")
		return
	}
	o, known := sh.Order(in.OrderSN)
	switch {
	case in.CancelReason == "" || shopee.CancelReason(in.CancelReason) != in.CancelReason:
		shopeeFail(w, "error_param", "Wrong parameters, detail: cancel_reason is invalid.")
		return
	case in.CancelReason == "OUT_OF_STOCK" && len(in.ItemList) == 0:
		shopeeFail(w, "error_param", "Wrong parameters, detail: item_list is required when cancel_reason is OUT_OF_STOCK.")
		return
	case !known:
		shopeeFail(w, "error_not_found", "Wrong parameters, detail: the order is not found.")
		return
	}
	lines := map[string]bool{}
	for _, l := range o.Lines {
		lines[shopee.ListingID(l.Listing.Attrs["item_id"], l.Listing.Attrs["model_id"])] = true
	}
	for _, it := range in.ItemList {
		if !lines[shopee.ListingID(string(it.ItemID), string(it.ModelID))] {
			shopeeFail(w, "error_param", fmt.Sprintf("Wrong parameters, detail: item %s model %s is not in the order.", it.ItemID, it.ModelID))
			return
		}
	}
	done, err := sh.confirm(in.OrderSN, Confirmation{Reason: in.CancelReason})
	if err != nil {
		shopeeFail(w, "order.error_limit", "Can not cancel this order")
		return
	}
	shopeeOK(w, map[string]any{"update_time": done.UpdatedAt.Unix()})
}

// shopeePush is a code 3 (order_status) push, its fields in the order Shopee sends them.
type shopeePush struct {
	ShopID    json.Number    `json:"shop_id"`
	Code      int            `json:"code"`
	Timestamp int64          `json:"timestamp"`
	Data      shopeePushData `json:"data"`
}

type shopeePushData struct {
	Items             []any  `json:"items"`
	OrderSN           string `json:"ordersn"`
	Status            string `json:"status"`
	CompletedScenario string `json:"completed_scenario"`
	UpdateTime        int64  `json:"update_time"`
}

// webhook renders the thin order status push, its Authorization the partner key's HMAC over the
// shop's callback URL, "|" and the body.
func (shopeeFace) webhook(sh *Shop, o *Order, _ bool) (http.Header, []byte, bool) {
	sh.mu.Lock()
	callback := sh.cfg.WebhookURL
	sh.mu.Unlock()
	body, _ := json.Marshal(shopeePush{
		ShopID: shopeeNum(sh.cfg.ShopID), Code: 3, Timestamp: sh.sim.now().Unix(),
		Data: shopeePushData{Items: []any{}, OrderSN: o.ID, Status: shopeeStatuses[o.Status], UpdateTime: o.UpdatedAt.Unix()},
	})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", shopee.SignPush(sh.cfg.Credentials.AppSecret, callback, body))
	return h, body, true
}

// refreshToken is the Public API's /api/v2/auth/access_token/get: partner_id, timestamp and a sign
// over partner_id, the path and timestamp (no token, no shop) in the query, and refresh_token,
// partner_id and shop_id in the JSON body. It answers at the top level, with no "response": the
// new access_token and refresh_token and expire_in (seconds); the refresh token sent is spent.
func (f shopeeFace) refreshToken(sh *Shop) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		cred := sh.cfg.Credentials
		partnerID, perr := strconv.ParseInt(q.Get("partner_id"), 10, 64)
		ts, terr := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		refuse := func(code, message string) {
			body, _ := json.Marshal(map[string]string{"error": code, "message": message, "request_id": shopeeRequestID()})
			sh.refuse(w, http.StatusForbidden, string(body))
		}
		var in struct {
			RefreshToken string `json:"refresh_token"`
			PartnerID    int64  `json:"partner_id"`
			ShopID       int64  `json:"shop_id"`
		}
		switch {
		case perr != nil || q.Get("partner_id") != cred.AppKey:
			refuse("invalid_partner_id", "Invalid partner_id, please have a check.")
			return
		case terr != nil || sh.sim.now().Unix()-ts > 300 || ts-sh.sim.now().Unix() > 300:
			refuse("error_param", "Timestamp is expired.")
			return
		case !hmac.Equal([]byte(q.Get("sign")), []byte(shopee.SignPublicRequest(cred.AppSecret, partnerID, r.URL.Path, ts))):
			refuse("error_sign", "Wrong sign.")
			return
		case json.NewDecoder(r.Body).Decode(&in) != nil || in.PartnerID != partnerID || strconv.FormatInt(in.ShopID, 10) != sh.cfg.ShopID:
			refuse("error_param", "Wrong parameters, detail: refresh_token, partner_id and shop_id are required.")
			return
		}
		t, err := sh.rotate(in.RefreshToken)
		if err != nil {
			refuse("error_auth", "Invalid refresh_token: "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"error": "", "message": "", "request_id": shopeeRequestID(),
			"access_token": t.AccessToken, "refresh_token": t.RefreshToken,
			"expire_in": int64(sh.lifetime() / time.Second), "partner_id": partnerID, "shop_id": in.ShopID,
		})
	}
}
