package marketsim

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// Shopee's returns API as the shopee connector calls it: get_return_list (page_no, page_size ≤100,
// update and create time windows of at most 15 days, status; more), get_return_detail, and the
// seller's confirm, dispute and offer, each checked like every Shop API call. Shopee sends no
// return push. Returns render as get_return_detail has them (the docs' sample).
//
// How the simulated states read on Shopee: REQUESTED (an offer keeps it, with negotiation
// ONGOING), ACCEPTED after confirm, PROCESSING once the buyer shipped (tracking_number,
// reverse_logistic_status LOGISTICS_PICKUP_DONE) and once the parcel is back
// (LOGISTICS_DELIVERY_DONE), COMPLETED when refunded, SELLER_DISPUTE after a dispute, CLOSED when
// declined, CANCELLED.

// shopeeReturnStatuses renders the simulator's return states as Shopee's.
var shopeeReturnStatuses = map[RMAState]string{
	RMARequested: "REQUESTED", RMAOffered: "REQUESTED", RMAApproved: "ACCEPTED", RMAShippedBack: "PROCESSING",
	RMAReceived: "PROCESSING", RMARefunded: "COMPLETED", RMADisputed: "SELLER_DISPUTE", RMADeclined: "CLOSED",
	RMACancelled: "CANCELLED",
}

// The error codes of the returns face [U: Shopee's returns error codes are not in the saved docs].
const (
	shopeeReturnNotFound = "error_not_found"
	shopeeReturnStatus   = "returns.error_status"
)

func (f shopeeFace) returnRoutes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET "+shopee.PathReturnList, f.auth(sh, f.returnList))
	mux.HandleFunc("GET "+shopee.PathReturnDetail, f.auth(sh, f.returnDetail))
	mux.HandleFunc("POST "+shopee.PathReturnAccept, f.auth(sh, f.confirmReturn))
	mux.HandleFunc("POST "+shopee.PathReturnRefuse, f.auth(sh, f.disputeReturn))
	mux.HandleFunc("POST "+shopee.PathReturnOffer, f.auth(sh, f.offerReturn))
}

// rmaID makes a return_sn like 2206140TA5PM808: the shop's local date, then nine base-36
// characters, a bijection of n per shop.
func (shopeeFace) rmaID(sh *Shop, n int, now time.Time) string {
	const alphabet, space = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 101559956668416 // 36^9
	h := fnv.New64a()
	_, _ = h.Write([]byte("return/" + sh.cfg.ShopID))
	x := (uint64(n)*2654435761 + h.Sum64()%space) % space
	var tail [9]byte
	for i := len(tail) - 1; i >= 0; i-- {
		tail[i] = alphabet[x%36]
		x /= 36
	}
	return now.In(zone).Format("060102") + string(tail[:])
}

// rmaPush: Shopee has no return push; Ordo polls.
func (shopeeFace) rmaPush(*Shop, *RMA) (http.Header, []byte, bool) { return nil, nil, false }

func (f shopeeFace) returnList(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	pageNo, perr := strconv.Atoi(q.Get("page_no"))
	size, serr := strconv.Atoi(q.Get("page_size"))
	if perr != nil || pageNo < 0 || serr != nil || size < 1 || size > 100 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: page_no must be 0 or more and page_size between 1 and 100.")
		return
	}
	type window struct {
		field    string
		from, to int64
		set      bool
	}
	windows := []window{{field: "update_time"}, {field: "create_time"}}
	for i := range windows {
		from, to := q.Get(windows[i].field+"_from"), q.Get(windows[i].field+"_to")
		if from == "" && to == "" {
			continue
		}
		a, aerr := strconv.ParseInt(from, 10, 64)
		b, berr := strconv.ParseInt(to, 10, 64)
		if aerr != nil || berr != nil || a > b || b-a > 15*24*3600 {
			shopeeFail(w, "error_param", fmt.Sprintf("Wrong parameters, detail: %s_from and %s_to must be a range of at most 15 days.", windows[i].field, windows[i].field))
			return
		}
		windows[i].from, windows[i].to, windows[i].set = a, b, true
	}
	status := q.Get("status")
	keep := func(rm *RMA) bool {
		for _, win := range windows {
			at := rm.UpdatedAt.Unix()
			if win.field == "create_time" {
				at = rm.CreatedAt.Unix()
			}
			if win.set && (at < win.from || at > win.to) {
				return false
			}
		}
		return status == "" || shopeeReturnStatuses[rm.State] == status
	}
	sh.mu.Lock()
	offset := pageNo * size
	if ps := sh.sim.opt.PageSize; ps > 0 && ps < size {
		offset = pageNo * ps // the simulator's smaller pages
	}
	page, next, _ := sh.rmaPage(keep, offset, size)
	list := make([]map[string]any, len(page))
	for i, rm := range page {
		list[i] = f.renderReturn(sh, rm)
	}
	sh.mu.Unlock()
	shopeeOK(w, map[string]any{"more": next >= 0, "return": list})
}

func (f shopeeFace) returnDetail(w http.ResponseWriter, r *http.Request, sh *Shop) {
	sn := r.URL.Query().Get("return_sn")
	sh.mu.Lock()
	defer sh.mu.Unlock()
	rm := sh.rma.byID[sn]
	if rm == nil {
		shopeeFail(w, shopeeReturnNotFound, "Wrong parameters, detail: the return is not found.")
		return
	}
	shopeeOK(w, f.renderReturn(sh, rm))
}

// renderReturn writes a return as get_return_detail's response. The caller holds sh.mu.
func (f shopeeFace) renderReturn(sh *Shop, rm *RMA) map[string]any {
	money := func(v int64) json.Number { return shopeeMoney(v, rm.Currency) }
	var items []map[string]any
	var before int64
	for _, l := range rm.Lines {
		ol, _ := sh.rmaLine(rm, l)
		item, model := ol.Listing.Attrs["item_id"], orDefault(ol.Listing.Attrs["model_id"], "0")
		itemSKU, variationSKU := "", ol.Listing.ChannelSKU()
		if model == "0" {
			itemSKU, variationSKU = ol.Listing.ChannelSKU(), ""
		}
		before += ol.UnitPrice * l.Quantity
		items = append(items, map[string]any{
			"item_id": shopeeNum(item), "model_id": shopeeNum(model), "name": ol.Listing.Name, "images": []string{},
			"item_sku": itemSKU, "variation_sku": variationSKU, "amount": l.Quantity, "item_price": money(ol.UnitPrice),
			"refund_amount": money(l.Refund), "is_add_on_deal": false, "is_main_item": false, "add_on_deal_id": 0,
		})
	}
	solution := 0
	if rm.RefundOnly {
		solution = 1
	}
	logistics := "LOGISTICS_NOT_STARTED"
	switch rm.State {
	case RMAShippedBack:
		logistics = "LOGISTICS_PICKUP_DONE"
	case RMAReceived:
		logistics = "LOGISTICS_DELIVERY_DONE"
	}
	negotiation := map[string]any{"negotiation_status": "PENDING_RESPOND", "latest_solution": "", "latest_offer_amount": money(0),
		"latest_offer_creator": "", "counter_limit": 1, "offer_due_date": rm.Deadline.Unix()}
	if rm.State == RMAOffered {
		negotiation["negotiation_status"], negotiation["latest_solution"] = "ONGOING", "REFUND_ONLY"
		negotiation["latest_offer_amount"], negotiation["latest_offer_creator"] = money(rm.Offer), sh.cfg.ShopID
	}
	disputeReason, disputeText := 0, ""
	for _, d := range rm.Decisions {
		if d.Decision == "dispute" {
			disputeReason, _ = strconv.Atoi(d.Reason)
			disputeText = d.Comment
		}
	}
	o := sh.orders[rm.OrderID]
	buyer := Buyer{}
	if o != nil {
		buyer = o.Buyer
	}
	return map[string]any{
		"return_sn": rm.ID, "order_sn": rm.OrderID, "status": shopeeReturnStatuses[rm.State],
		"reason": rm.Reason, "text_reason": rm.ReasonText, "image": append([]string{}, rm.Evidence...), "buyer_videos": []any{},
		"refund_amount": money(rm.Refund), "amount_before_discount": money(before), "currency": rm.Currency,
		"create_time": rm.CreatedAt.Unix(), "update_time": rm.UpdatedAt.Unix(),
		"due_date": rm.Deadline.Unix(), "return_ship_due_date": rm.Deadline.Add(72 * time.Hour).Unix(), "return_seller_due_date": rm.Deadline.Unix(),
		"tracking_number": rm.Tracking, "needs_logistics": !rm.RefundOnly, "dispute_reason": disputeReason, "dispute_text_reason": disputeText,
		"user": map[string]string{"username": buyer.Name, "email": buyer.Email, "portrait": ""}, "item": items,
		"negotiation": negotiation, "logistics_status": logistics, "reverse_logistic_status": logistics,
		"return_address": map[string]string{"whs_id": ""}, "return_refund_type": "RRBOC", "return_solution": solution,
		"is_seller_arrange": false, "is_shipping_proof_mandatory": false, "has_uploaded_shipping_proof": false,
		"is_reverse_logistics_channel_integrated": true, "reverse_logistic_channel_name": shopeeCarrier,
		"return_refund_request_type": 0, "validation_type": "seller_validation",
	}
}

// decideReturn applies a seller decision to the return a body names, or answers Shopee's error.
// The body is read into in, which must carry return_sn; record makes the decision's record, check
// says why the return cannot take it (a code and message), apply moves the return. Every decision
// is recorded, refused ones with the refusal.
func (f shopeeFace) decideReturn(w http.ResponseWriter, r *http.Request, sh *Shop, in interface{ sn() string },
	record func(rm *RMA) RMADecision, check func(rm *RMA, d RMADecision) (string, string), apply func(rm *RMA, d RMADecision)) {
	if err := json.NewDecoder(r.Body).Decode(in); err != nil || in.sn() == "" {
		shopeeFail(w, "error_param", "Wrong parameters, detail: return_sn is a required field.")
		return
	}
	var code, message string
	_, err := sh.updateRMA(in.sn(), func(rm *RMA) (bool, error) {
		d := record(rm)
		d.At = sh.sim.now()
		if code, message = check(rm, d); code != "" {
			d.Refused = message
			rm.Decisions = append(rm.Decisions, d)
			return false, nil
		}
		apply(rm, d)
		rm.Decisions = append(rm.Decisions, d)
		return true, nil
	})
	switch {
	case err != nil:
		shopeeFail(w, shopeeReturnNotFound, "Wrong parameters, detail: the return is not found.")
	case code != "":
		shopeeFail(w, code, message)
	default:
		shopeeOK(w, map[string]string{"return_sn": in.sn()})
	}
}

type shopeeReturnSN struct {
	ReturnSN string `json:"return_sn"`
}

func (s *shopeeReturnSN) sn() string { return s.ReturnSN }

// shopeeOpen reports whether a return still waits for the seller's decision on Shopee.
func shopeeOpen(rm *RMA) bool {
	return rm.State == RMARequested || rm.State == RMAOffered || rm.State == RMAShippedBack || rm.State == RMAReceived
}

// confirmReturn serves confirm: the seller accepts; Shopee refunds the buyer next (RefundRMA).
func (f shopeeFace) confirmReturn(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeReturnSN
	f.decideReturn(w, r, sh, &in, func(*RMA) RMADecision { return RMADecision{Decision: "confirm"} },
		func(rm *RMA, _ RMADecision) (string, string) {
			if !shopeeOpen(rm) {
				return shopeeReturnStatus, fmt.Sprintf("The return status %s does not allow confirm.", shopeeReturnStatuses[rm.State])
			}
			return "", ""
		}, func(rm *RMA, _ RMADecision) { rm.State = RMAApproved })
}

type shopeeDispute struct {
	shopeeReturnSN
	Email             string   `json:"email"`
	DisputeReason     *int64   `json:"dispute_reason"`
	DisputeTextReason string   `json:"dispute_text_reason"`
	Images            []string `json:"images"`
}

// disputeReturn serves dispute: the return goes to Shopee's judgement (JudgeRMA).
func (f shopeeFace) disputeReturn(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeDispute
	f.decideReturn(w, r, sh, &in, func(*RMA) RMADecision {
		d := RMADecision{Decision: "dispute", Comment: in.DisputeTextReason, Evidence: in.Images, Email: in.Email}
		if in.DisputeReason != nil {
			d.Reason = strconv.FormatInt(*in.DisputeReason, 10)
		}
		return d
	}, func(rm *RMA, _ RMADecision) (string, string) {
		switch {
		case in.Email == "" || in.DisputeReason == nil || *in.DisputeReason <= 0:
			return "error_param", "Wrong parameters, detail: email and dispute_reason are required."
		case len(in.Images) > 3:
			return "error_param", "Wrong parameters, detail: images can have 3 elements at most."
		case !shopeeOpen(rm):
			return shopeeReturnStatus, fmt.Sprintf("The return status %s does not allow dispute.", shopeeReturnStatuses[rm.State])
		}
		return "", ""
	}, func(rm *RMA, _ RMADecision) { rm.State, rm.Arbitration = RMADisputed, "IN_PROGRESS" })
}

type shopeeOffer struct {
	shopeeReturnSN
	Solution *int64      `json:"proposed_solution"`
	Amount   json.Number `json:"proposed_adjusted_refund_amount"`
}

// offerReturn serves offer: a partial refund the buyer may take (RefundRMA pays it).
func (f shopeeFace) offerReturn(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in shopeeOffer
	f.decideReturn(w, r, sh, &in, func(rm *RMA) RMADecision {
		exp, _ := channels.Exponent(rm.Currency)
		amount, err := channels.RoundMinor(string(in.Amount), exp)
		if err != nil {
			amount = -1
		}
		d := RMADecision{Decision: "offer", Amount: amount}
		if in.Solution != nil {
			d.Reason = strconv.FormatInt(*in.Solution, 10)
		}
		return d
	}, func(rm *RMA, d RMADecision) (string, string) {
		switch {
		case in.Solution == nil || *in.Solution < 0 || *in.Solution > 1:
			return "error_param", "Wrong parameters, detail: proposed_solution is invalid."
		case d.Amount <= 0 || d.Amount > rm.Refund:
			return "error_param", "Wrong parameters, detail: proposed_adjusted_refund_amount must be above 0 and at most the refund amount."
		case rm.State != RMARequested && rm.State != RMAShippedBack:
			return shopeeReturnStatus, fmt.Sprintf("The return status %s does not allow offer.", shopeeReturnStatuses[rm.State])
		}
		return "", ""
	}, func(rm *RMA, d RMADecision) { rm.State, rm.Offer = RMAOffered, d.Amount })
}
