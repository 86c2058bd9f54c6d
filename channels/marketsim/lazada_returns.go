package marketsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/lazada"
)

// Lazada's reverse orders (returns and refund-only requests) in the simulator. A buyer's request is
// opened with OpenLazadaReturn on an order's units; the seller's decisions come through
// /order/reverse/return/update and /order/reverse/onlyrefund/seller/decide, checked as the other
// calls are, and move the units as Lazada would:
//
//	RETURN       REQUEST_INITIATE -agreeReturn-> AGREE_RETURN -ShipLazadaReturn-> BUYER_RETURN_ITEM
//	             -DeliverLazadaReturn-> RTM_RECEIVE_ITEM -confirmDelivery-> REFUND_SUCCESS (refunded);
//	             REQUEST_INITIATE -refuseReturn-> REQUEST_REJECT
//	ONLY_REFUND  REQUEST_INITIATE -agreeRefund-> REFUND_SUCCESS; -startDispute-> DISPUTE
//	either       CancelLazadaReturn: REQUEST_CANCEL (the buyer withdrew)
//
// confirmDelivery is taken from BUYER_RETURN_ITEM too (the seller may confirm a parcel Lazada has not
// yet reported delivered). AGREE_RETURN, BUYER_RETURN_ITEM, DISPUTE and RTM_RECEIVE_ITEM's place in
// that flow are the simulator's reading [U]: the docs name only REQUEST_INITIATE, REQUEST_REJECT,
// REQUEST_CANCEL and CANCEL_SUCCESS of the API's reverse_status values. Every change sends a
// msg_type 10 push per changed unit, its reverse_status in the push vocabulary where there is one
// (RTM_INIT, REFUND_INIT, RTM_SHIPPING_BACK, RTM_RECEIVE_ITEM, REFUND_SUCCESS, RTM_CANCELED…) and the
// API's otherwise. Every decision Lazada received, taken or refused, is kept (LazadaDecisions).

// Reverse statuses the simulator moves units through.
const (
	LazadaRequested    = "REQUEST_INITIATE"
	LazadaAgreed       = "AGREE_RETURN"
	LazadaBuyerShipped = "BUYER_RETURN_ITEM"
	LazadaDelivered    = "RTM_RECEIVE_ITEM"
	LazadaRefunded     = "REFUND_SUCCESS"
	LazadaRejected     = "REQUEST_REJECT"
	LazadaWithdrawn    = "REQUEST_CANCEL"
	LazadaDisputed     = "DISPUTE"
)

// LazadaReturnUnit is one unit of a reverse order: Lazada's reverse order line.
type LazadaReturnUnit struct {
	ID        string // reverse_order_line_id
	UnitID    string // the order's unit (trade_order_line_id, order_item_id)
	Listing   Listing
	UnitPrice int64
	Refund    int64
	Status    string // reverse_status
	Tracking  string
	Modified  time.Time
}

// LazadaReturn is a simulated reverse order.
type LazadaReturn struct {
	ID, OrderID string
	// RequestType is RETURN or ONLY_REFUND.
	RequestType            string
	ReasonCode, ReasonText string
	Units                  []LazadaReturnUnit
	Created                time.Time
	Decisions              []LazadaDecision
}

// Refunded reports whether Lazada refunded the buyer for every unit still on the reverse order.
func (r *LazadaReturn) Refunded() bool {
	n := 0
	for _, u := range r.Units {
		switch u.Status {
		case LazadaRefunded:
			n++
		case LazadaRejected, LazadaWithdrawn:
		default:
			return false
		}
	}
	return n > 0
}

// RefundTotal is what Lazada refunded, minor units.
func (r *LazadaReturn) RefundTotal() int64 {
	var t int64
	for _, u := range r.Units {
		if u.Status == LazadaRefunded {
			t += u.Refund
		}
	}
	return t
}

// LazadaDecision is one seller decision call a shop received.
type LazadaDecision struct {
	At             time.Time
	Path           string // lazada.PathReturnUpdate or lazada.PathOnlyRefundDecide
	Action         string // agreeReturn, refuseReturn, confirmDelivery, agreeRefund, startDispute…
	ReverseOrderID string
	LineIDs        []string // reverse_order_item_ids
	ReasonID       string
	Comment        string
	Images         string // image_info or image_info_list, as sent
	// Code is what Lazada answered: "0" when it took the decision, else the refusal's code.
	Code string
}

// LazadaReturnSpec is a buyer's request to open on an order.
type LazadaReturnSpec struct {
	OrderID string
	// Units are the order's unit ids (order_item_ids) to return; empty: all of them.
	Units []string
	// RefundOnly asks for money without sending goods back (ONLY_REFUND).
	RefundOnly             bool
	ReasonCode, ReasonText string
	// RefundAmount is what the buyer asks for all units together, shared out evenly (the remainder to
	// the first units); 0: each unit's paid price.
	RefundAmount int64
}

func (r *LazadaReturn) clone() *LazadaReturn {
	c := *r
	c.Units = append([]LazadaReturnUnit(nil), r.Units...)
	c.Decisions = append([]LazadaDecision(nil), r.Decisions...)
	return &c
}

// OpenLazadaReturn opens a buyer's return or refund-only request on units of a paid Lazada order
// that is not cancelled, as REQUEST_INITIATE, and pushes it (msg_type 10). Units already on a
// reverse order that stands are refused.
func (sh *Shop) OpenLazadaReturn(spec LazadaReturnSpec) (*LazadaReturn, error) {
	if sh.cfg.Kind != channels.Lazada {
		return nil, fmt.Errorf("marketsim: %s is not a Lazada shop", sh.cfg.ShopID)
	}
	sh.mu.Lock()
	o := sh.orders[spec.OrderID]
	if o == nil || o.Status == Unpaid || o.Status == Cancelled {
		sh.mu.Unlock()
		return nil, fmt.Errorf("marketsim: no paid order %s to return", spec.OrderID)
	}
	units := lazadaFace{}.units(o)
	if len(spec.Units) > 0 {
		var picked []lazadaUnit
		for _, id := range spec.Units {
			i := slices.IndexFunc(units, func(u lazadaUnit) bool { return u.id == id })
			if i < 0 {
				sh.mu.Unlock()
				return nil, fmt.Errorf("marketsim: order %s has no unit %s", o.ID, id)
			}
			picked = append(picked, units[i])
		}
		units = picked
	}
	for _, r := range sh.lazadaReturns {
		for _, u := range r.Units {
			if u.Status != LazadaRejected && u.Status != LazadaWithdrawn && slices.ContainsFunc(units, func(x lazadaUnit) bool { return x.id == u.UnitID }) {
				sh.mu.Unlock()
				return nil, fmt.Errorf("marketsim: unit %s is already on reverse order %s", u.UnitID, r.ID)
			}
		}
	}
	now := sh.sim.now()
	n := len(sh.lazadaReturns) + 1
	r := &LazadaReturn{
		ID: strconv.FormatInt(658960600102000+int64(n)*100, 10), OrderID: o.ID, RequestType: lazada.RequestReturn,
		ReasonCode: orDefault(spec.ReasonCode, "10003"), ReasonText: orDefault(spec.ReasonText, "Changed my mind"), Created: now,
	}
	if spec.RefundOnly {
		r.RequestType = lazada.RequestOnlyRefund
	}
	for i, u := range units {
		refund := u.line.UnitPrice - u.discount
		if spec.RefundAmount > 0 {
			refund = spec.RefundAmount / int64(len(units))
			if int64(i) < spec.RefundAmount%int64(len(units)) {
				refund++
			}
		}
		id, _ := strconv.ParseInt(r.ID, 10, 64)
		r.Units = append(r.Units, LazadaReturnUnit{
			ID: strconv.FormatInt(id+5000000000+int64(i), 10), UnitID: u.id, Listing: u.line.Listing,
			UnitPrice: u.line.UnitPrice, Refund: refund, Status: LazadaRequested, Modified: now,
		})
	}
	sh.lazadaReturns = append(sh.lazadaReturns, r)
	snap := r.clone()
	sh.mu.Unlock()
	sh.pushReverse(snap, snap.Units)
	return snap, nil
}

// LazadaReturns returns copies of the shop's reverse orders, oldest first.
func (sh *Shop) LazadaReturns() []*LazadaReturn {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]*LazadaReturn, len(sh.lazadaReturns))
	for i, r := range sh.lazadaReturns {
		out[i] = r.clone()
	}
	return out
}

// LazadaReturn returns a copy of a reverse order.
func (sh *Shop) LazadaReturn(id string) (*LazadaReturn, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if r := sh.lazadaReturn(id); r != nil {
		return r.clone(), true
	}
	return nil, false
}

// LazadaDecisions returns every seller decision the shop received, oldest first.
func (sh *Shop) LazadaDecisions() []LazadaDecision {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var out []LazadaDecision
	for _, r := range sh.lazadaReturns {
		out = append(out, r.Decisions...)
	}
	slices.SortStableFunc(out, func(a, b LazadaDecision) int { return a.At.Compare(b.At) })
	return out
}

// lazadaReturn finds a reverse order. The caller holds sh.mu.
func (sh *Shop) lazadaReturn(id string) *LazadaReturn {
	for _, r := range sh.lazadaReturns {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// ShipLazadaReturn is the buyer handing the agreed units to the carrier with a tracking number.
func (sh *Shop) ShipLazadaReturn(id, tracking string) error {
	return sh.moveLazadaReturn(id, []string{LazadaAgreed}, LazadaBuyerShipped, tracking)
}

// DeliverLazadaReturn is the return parcel reaching the seller; the seller then confirms delivery.
func (sh *Shop) DeliverLazadaReturn(id string) error {
	return sh.moveLazadaReturn(id, []string{LazadaBuyerShipped}, LazadaDelivered, "")
}

// CancelLazadaReturn is the buyer withdrawing a request not yet refunded.
func (sh *Shop) CancelLazadaReturn(id string) error {
	return sh.moveLazadaReturn(id, []string{LazadaRequested, LazadaAgreed, LazadaBuyerShipped, LazadaDisputed}, LazadaWithdrawn, "")
}

// moveLazadaReturn moves the units of a reverse order that are in one of from to status (all of
// them must be) and pushes the change.
func (sh *Shop) moveLazadaReturn(id string, from []string, to, tracking string) error {
	sh.mu.Lock()
	r := sh.lazadaReturn(id)
	if r == nil {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: no reverse order %s", id)
	}
	var moved []string
	for _, u := range r.Units {
		if slices.Contains(from, u.Status) {
			moved = append(moved, u.ID)
		}
	}
	if len(moved) == 0 {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: reverse order %s has no unit in %v", id, from)
	}
	changed := sh.setLazadaUnits(r, moved, to, tracking)
	snap := r.clone()
	sh.mu.Unlock()
	sh.pushReverse(snap, changed)
	return nil
}

// setLazadaUnits moves units of r to status and returns them as changed. The caller holds sh.mu.
func (sh *Shop) setLazadaUnits(r *LazadaReturn, ids []string, status, tracking string) []LazadaReturnUnit {
	now := sh.sim.now()
	var changed []LazadaReturnUnit
	for i := range r.Units {
		u := &r.Units[i]
		if !slices.Contains(ids, u.ID) {
			continue
		}
		u.Status, u.Modified = status, now
		if tracking != "" {
			u.Tracking = tracking
		}
		changed = append(changed, *u)
	}
	return changed
}

// lazadaPushStatuses is the push vocabulary's reverse_status for the simulator's states, by request
// type; states the push vocabulary lacks go out as the API writes them.
var lazadaPushStatuses = map[string]map[string]string{
	lazada.RequestReturn: {
		LazadaRequested: "RTM_INIT", LazadaBuyerShipped: "RTM_SHIPPING_BACK", LazadaDelivered: "RTM_RECEIVE_ITEM", LazadaWithdrawn: "RTM_CANCELED",
	},
	lazada.RequestOnlyRefund: {
		LazadaRequested: "REFUND_INIT", LazadaRefunded: "REFUND_SUCCESS", LazadaRejected: "REFUND_REJECTED",
	},
}

// pushReverse sends a msg_type 10 push for each changed unit of r.
func (sh *Shop) pushReverse(r *LazadaReturn, changed []LazadaReturnUnit) {
	sh.mu.Lock()
	url := sh.cfg.WebhookURL
	sh.mu.Unlock()
	if url == "" {
		return
	}
	cred := sh.cfg.Credentials
	for _, u := range changed {
		status := orDefault(lazadaPushStatuses[r.RequestType][u.Status], u.Status)
		body, _ := json.Marshal(map[string]any{
			"seller_id": sh.cfg.ShopID, "message_type": lazada.MsgReverseOrder,
			"data": map[string]any{
				"reverse_order_id": json.Number(r.ID), "reverse_status": status, "trade_order_id": json.Number(r.OrderID),
				"extraParams": map[string]any{}, "trade_order_line_id": json.Number(u.UnitID), "buyer_id": json.Number("100112802006"),
				"seller_id": json.Number(orDefault(digits(sh.cfg.ShopID), "1")), "reverse_order_line_id": json.Number(u.ID),
				"status_update_time": u.Modified.Unix(),
			},
			"timestamp": sh.sim.now().Unix(), "site": "lazada_th",
		})
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("Authorization", lazada.PushSignature(cred.AppKey, cred.AppSecret, body))
		sh.deliver(&Delivery{URL: url, Header: h, Body: body, ReturnID: r.ID})
	}
}

// getReverseOrders answers /reverse/getreverseordersforseller: by reverse_order_id, trade_order_id
// and the lines' modification time (ReverseOrderLineModifiedTimeRangeStart/End, epoch ms, both
// inclusive; a reverse order matches when one of its lines does), page_no and page_size (capped by
// Options.PageSize), oldest first; the result at the top of the answer, not in data.
func (f lazadaFace) getReverseOrders(w http.ResponseWriter, p map[string]string, sh *Shop) {
	page, errPage := strconv.Atoi(orDefault(p["page_no"], "1"))
	size, errSize := strconv.Atoi(orDefault(p["page_size"], "10"))
	msBound := func(k string, def int64) (int64, bool) {
		if p[k] == "" {
			return def, true
		}
		v, err := strconv.ParseInt(p[k], 10, 64)
		return v, err == nil
	}
	from, okFrom := msBound("ReverseOrderLineModifiedTimeRangeStart", 0)
	to, okTo := msBound("ReverseOrderLineModifiedTimeRangeEnd", 1<<62)
	if errPage != nil || errSize != nil || page < 1 || size < 1 || !okFrom || !okTo {
		f.fail(w, sh, "MissingParameter", "The input parameter is missing or malformed")
		return
	}
	if ps := sh.sim.opt.PageSize; ps > 0 && size > ps {
		size = ps
	}
	sh.mu.Lock()
	var all []*LazadaReturn
	for _, r := range sh.lazadaReturns {
		if id := p["reverse_order_id"]; id != "" && id != r.ID {
			continue
		}
		if id := p["trade_order_id"]; id != "" && id != r.OrderID {
			continue
		}
		if slices.ContainsFunc(r.Units, func(u LazadaReturnUnit) bool {
			ms := u.Modified.UnixMilli()
			return ms >= from && ms <= to
		}) {
			all = append(all, r.clone())
		}
	}
	sh.mu.Unlock()
	items := []map[string]any{}
	for i := (page - 1) * size; i < len(all) && i < page*size; i++ {
		items = append(items, f.renderReverse(sh, all[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"code": "0", "request_id": requestID(sh),
		"result": map[string]any{"page_no": page, "page_size": size, "total": len(all), "success": true, "items": items},
	})
}

// renderReverse writes a reverse order as getreverseordersforseller's items do: ids and amounts as
// numbers, amounts in cents (whole dong in Vietnam; here the shop's minor units scaled to cents).
func (lazadaFace) renderReverse(sh *Shop, r *LazadaReturn) map[string]any {
	cents := func(v int64) int64 {
		exp, err := channels.Exponent(sh.cfg.Currency)
		if err != nil || sh.cfg.Currency == "VND" {
			return v
		}
		for ; exp < 2; exp++ {
			v *= 10
		}
		return v
	}
	lines := make([]map[string]any, len(r.Units))
	for i, u := range r.Units {
		lines[i] = map[string]any{
			"reverse_order_line_id": json.Number(u.ID), "trade_order_line_id": json.Number(u.UnitID),
			"reverse_status": u.Status, "ofc_status": u.Status, "is_need_refund": r.RequestType == lazada.RequestOnlyRefund || u.Status != LazadaRejected,
			"refund_amount": cents(u.Refund), "item_unit_price": cents(u.UnitPrice), "reason_code": json.Number(orDefault(digits(r.ReasonCode), "0")),
			"reason_text": r.ReasonText, "seller_sku_id": u.Listing.ChannelSKU(), "platform_sku_id": u.Listing.ID,
			"product":    map[string]any{"product_id": json.Number(orDefault(digits(u.Listing.Attrs["item_id"]), "0")), "product_sku": u.Listing.ID},
			"buyer":      map[string]any{"buyer_id": json.Number("100112802006")},
			"is_dispute": u.Status == LazadaDisputed, "tracking_number": u.Tracking,
			"return_order_line_gmt_create": r.Created.UnixMilli(), "return_order_line_gmt_modified": u.Modified.UnixMilli(),
			"sla": r.Created.Add(72 * time.Hour).UnixMilli(),
		}
	}
	return map[string]any{
		"reverse_order_id": json.Number(r.ID), "trade_order_id": json.Number(r.OrderID), "request_type": r.RequestType,
		"is_rtm": true, "shipping_type": "DROP_OFF", "reverse_order_lines": lines,
	}
}

// lazadaRefusal is a decision Lazada refuses: its code and message.
type lazadaRefusal struct{ code, message string }

// decideReturn answers /order/reverse/return/update.
func (f lazadaFace) decideReturn(w http.ResponseWriter, p map[string]string, sh *Shop) {
	f.decide(w, p, sh, lazada.PathReturnUpdate, p["image_info"], func(r *LazadaReturn, ids []string) (string, *lazadaRefusal) {
		if r.RequestType != lazada.RequestReturn {
			return "", &lazadaRefusal{"114", "E0114: this reverse does not support this action"}
		}
		switch p["action"] {
		case "agreeReturn":
			return LazadaAgreed, requireUnits(r, ids, LazadaRequested)
		case "refuseReturn":
			switch {
			case p["reason_id"] == "":
				return "", &lazadaRefusal{"108", "E0108: reason can't be empty if you want to refuse return or refund"}
			case strings.TrimSpace(p["comment"]) == "":
				return "", &lazadaRefusal{"109", "E0109: comment can't be empty if you want to refuse return or refund"}
			case len(ids) > 1:
				return "", &lazadaRefusal{"111", "E0111: do not support massive reverse order line operation if you want to refuse return or refund"}
			}
			return LazadaRejected, requireUnits(r, ids, LazadaRequested)
		case "confirmDelivery":
			return LazadaRefunded, requireUnits(r, ids, LazadaBuyerShipped, LazadaDelivered)
		case "instantRefund", "agreeRefund", "refuseRefund":
			return "", &lazadaRefusal{"114", "E0114: this reverse does not support this action"}
		}
		return "", &lazadaRefusal{"107", "E0107: invalid action"}
	})
}

// decideOnlyRefund answers /order/reverse/onlyrefund/seller/decide.
func (f lazadaFace) decideOnlyRefund(w http.ResponseWriter, p map[string]string, sh *Shop) {
	f.decide(w, p, sh, lazada.PathOnlyRefundDecide, p["image_info_list"], func(r *LazadaReturn, ids []string) (string, *lazadaRefusal) {
		switch {
		case r.RequestType != lazada.RequestOnlyRefund:
			return "", &lazadaRefusal{"114", "E0114: this reverse does not support this action"}
		case len(ids) > 1:
			return "", &lazadaRefusal{"133", "E0133: do not support batch operation"}
		}
		switch p["action"] {
		case "agreeRefund":
			return LazadaRefunded, requireUnits(r, ids, LazadaRequested)
		case "startDispute":
			var images []json.RawMessage
			switch {
			case strings.TrimSpace(p["comment"]) == "":
				return "", &lazadaRefusal{"109", "E0109: comment can't be empty if startDispute"}
			case json.Unmarshal([]byte(p["image_info_list"]), &images) != nil || len(images) == 0:
				return "", &lazadaRefusal{"110", "E0110: image can't be empty if startDispute"}
			}
			return LazadaDisputed, requireUnits(r, ids, LazadaRequested)
		}
		return "", &lazadaRefusal{"107", "E0107: invalid action"}
	})
}

// requireUnits refuses a decision unless every unit ids names is in one of the states from.
func requireUnits(r *LazadaReturn, ids []string, from ...string) *lazadaRefusal {
	for _, u := range r.Units {
		if slices.Contains(ids, u.ID) && !slices.Contains(from, u.Status) {
			return &lazadaRefusal{"114", "E0114: this reverse does not support this action"}
		}
	}
	return nil
}

// decide runs a decision call: it finds the reverse order and its units, lets rule pick the units'
// new status or refuse, records the decision either way, and pushes the change.
func (f lazadaFace) decide(w http.ResponseWriter, p map[string]string, sh *Shop, path, images string,
	rule func(r *LazadaReturn, ids []string) (string, *lazadaRefusal)) {
	var raw []channels.Scalar
	if err := json.Unmarshal([]byte(p["reverse_order_item_ids"]), &raw); err != nil || len(raw) == 0 {
		f.fail(w, sh, "100", "E0100: reverse order list is empty")
		return
	}
	ids := make([]string, len(raw))
	for i, s := range raw {
		ids[i] = s.String()
	}
	sh.mu.Lock()
	r := sh.lazadaReturn(p["reverse_order_id"])
	if r == nil {
		sh.mu.Unlock()
		f.fail(w, sh, "112", "E0112: no reverse order found")
		return
	}
	d := LazadaDecision{At: sh.sim.now(), Path: path, Action: p["action"], ReverseOrderID: r.ID, LineIDs: ids,
		ReasonID: p["reason_id"], Comment: p["comment"], Images: images, Code: "0"}
	refusal := (*lazadaRefusal)(nil)
	for _, id := range ids {
		if !slices.ContainsFunc(r.Units, func(u LazadaReturnUnit) bool { return u.ID == id }) {
			refusal = &lazadaRefusal{"126", "E0126: invalid reverse order lines"}
		}
	}
	var status string
	if refusal == nil {
		status, refusal = rule(r, ids)
	}
	if refusal != nil {
		d.Code = refusal.code
		r.Decisions = append(r.Decisions, d)
		sh.mu.Unlock()
		f.fail(w, sh, refusal.code, refusal.message)
		return
	}
	r.Decisions = append(r.Decisions, d)
	changed := sh.setLazadaUnits(r, ids, status, "")
	snap := r.clone()
	sh.mu.Unlock()
	sh.pushReverse(snap, changed)
	f.ok(w, sh, map[string]any{"reverse_order_id": json.Number(r.ID)})
}
