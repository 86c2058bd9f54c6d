package marketsim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// TikTok Shop's Return and Refund API 202309 as the tiktokshop connector calls it: Search Returns
// (return_ids, order_ids, update and create time, return_status; page_token paging), Approve Return
// and Reject Return with their idempotency_key (a key seen before answers as it did, with no
// effect), each checked like every call; and type-12 RETURN_STATUS_CHANGE webhooks on every change,
// signed like the order webhooks.
//
// How the simulated states read on TikTok: RETURN_OR_REFUND_REQUEST_PENDING, AWAITING_BUYER_RESPONSE
// after an offer, AWAITING_BUYER_SHIP once a return is approved (RETURN_OR_REFUND_REQUEST_SUCCESS for
// a refund-only request), BUYER_SHIPPED_ITEM, RETURN_OR_REFUND_REQUEST_SUCCESS after the seller
// approved the package, RETURN_OR_REFUND_REQUEST_COMPLETE when refunded,
// RETURN_OR_REFUND_REQUEST_REJECT (REJECT_RECEIVE_PACKAGE after the buyer shipped) when declined or
// disputed (arbitration_status IN_PROGRESS), RETURN_OR_REFUND_REQUEST_CANCEL.

// The error codes of the returns face [U: the Return and Refund API's codes are not in the saved
// docs].
const (
	ttsReturnParam   = 35001001
	ttsReturnMissing = 35003001
	ttsReturnState   = 35003004
	ttsReturnKey     = 35003010
)

func (f tiktokShopFace) returnRoutes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("POST "+tiktokshop.PathReturnSearch, f.auth(sh, f.searchReturns))
	mux.HandleFunc("POST /return_refund/202309/returns/{return_id}/approve", f.auth(sh, f.approveReturn))
	mux.HandleFunc("POST /return_refund/202309/returns/{return_id}/reject", f.auth(sh, f.rejectReturn))
}

// rmaID makes a 19-digit return id.
func (tiktokShopFace) rmaID(_ *Shop, n int, _ time.Time) string {
	return strconv.FormatInt(4035318504086600000+int64(n), 10)
}

func ttsReturnType(rm *RMA) string {
	if rm.RefundOnly {
		return tiktokshop.ReturnTypeRefund
	}
	return tiktokshop.ReturnTypeReturn
}

// ttsReturnStatus renders a return's state as return_status.
func ttsReturnStatus(rm *RMA) string {
	switch rm.State {
	case RMARequested:
		return tiktokshop.ReturnPending
	case RMAOffered:
		return tiktokshop.ReturnAwaitingBuyer
	case RMAApproved:
		if rm.RefundOnly {
			return tiktokshop.ReturnSuccess
		}
		return tiktokshop.ReturnAwaitingShip
	case RMAShippedBack:
		return tiktokshop.ReturnBuyerShipped
	case RMAReceived:
		return tiktokshop.ReturnSuccess
	case RMARefunded:
		return tiktokshop.ReturnComplete
	case RMADeclined, RMADisputed:
		if rm.Tracking != "" {
			return tiktokshop.ReturnRejectPackage
		}
		return tiktokshop.ReturnRejected
	case RMACancelled:
		return tiktokshop.ReturnCancelled
	}
	return string(rm.State)
}

// ttsReturnRole is who made a return's last change.
func ttsReturnRole(rm *RMA) string {
	switch rm.State {
	case RMARequested, RMAShippedBack, RMACancelled:
		return "BUYER"
	case RMAApproved, RMAReceived, RMAOffered, RMADeclined:
		if rm.Arbitration == "" {
			return "SELLER"
		}
	}
	return "SYSTEM"
}

// rmaPush renders the type-12 webhook of a return's change.
func (tiktokShopFace) rmaPush(sh *Shop, rm *RMA) (http.Header, []byte, bool) {
	type data struct {
		OrderID      string `json:"order_id"`
		ReturnRole   string `json:"return_role"`
		ReturnType   string `json:"return_type"`
		ReturnStatus string `json:"return_status"`
		ReturnID     string `json:"return_id"`
		CreateTime   int64  `json:"create_time"`
		UpdateTime   int64  `json:"update_time"`
	}
	body, _ := json.Marshal(struct {
		Type           int    `json:"type"`
		NotificationID string `json:"tts_notification_id"`
		ShopID         string `json:"shop_id"`
		Timestamp      int64  `json:"timestamp"`
		Data           data   `json:"data"`
	}{
		Type: tiktokshop.TypeReturnStatusChange, NotificationID: fmt.Sprintf("73271123930%08d", sh.nextDeliverySeq()),
		ShopID: sh.cfg.ShopID, Timestamp: sh.sim.now().Unix(),
		Data: data{OrderID: rm.OrderID, ReturnRole: ttsReturnRole(rm), ReturnType: ttsReturnType(rm), ReturnStatus: ttsReturnStatus(rm),
			ReturnID: rm.ID, CreateTime: rm.CreatedAt.Unix(), UpdateTime: rm.UpdatedAt.Unix()},
	})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", tiktokshop.WebhookSignature(sh.cfg.Credentials.AppKey, sh.cfg.Credentials.AppSecret, body))
	return h, body, true
}

// ttsReturnSearch is the body of Search Returns, as far as the face filters.
type ttsReturnSearch struct {
	ReturnIDs    []string `json:"return_ids,omitempty"`
	OrderIDs     []string `json:"order_ids,omitempty"`
	ReturnStatus []string `json:"return_status,omitempty"`
	CreateTimeGE int64    `json:"create_time_ge,omitempty"`
	CreateTimeLT int64    `json:"create_time_lt,omitempty"`
	UpdateTimeGE int64    `json:"update_time_ge,omitempty"`
	UpdateTimeLT int64    `json:"update_time_lt,omitempty"`
}

func (s ttsReturnSearch) keep(rm *RMA) bool {
	in := func(t time.Time, ge, lt int64) bool { return t.Unix() >= ge && (lt == 0 || t.Unix() < lt) }
	return (len(s.ReturnIDs) == 0 || slices.Contains(s.ReturnIDs, rm.ID)) &&
		(len(s.OrderIDs) == 0 || slices.Contains(s.OrderIDs, rm.OrderID)) &&
		(len(s.ReturnStatus) == 0 || slices.Contains(s.ReturnStatus, ttsReturnStatus(rm))) &&
		in(rm.CreatedAt, s.CreateTimeGE, s.CreateTimeLT) && in(rm.UpdatedAt, s.UpdateTimeGE, s.UpdateTimeLT)
}

// searchReturns serves Search Returns, oldest update first; page_token is the offset and the
// filters it was made for, which the next call must repeat.
func (f tiktokShopFace) searchReturns(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	q := r.URL.Query()
	size, err := strconv.Atoi(q.Get("page_size"))
	if err != nil || size < 1 || size > 100 {
		f.fail(w, ttsReturnParam, "invalid param error: page_size must be in [1, 100]")
		return
	}
	var s ttsReturnSearch
	if len(body) > 0 && json.Unmarshal(body, &s) != nil {
		f.fail(w, ttsReturnParam, "invalid param error")
		return
	}
	filters, _ := json.Marshal(s)
	offset := 0
	if tok := q.Get("page_token"); tok != "" {
		raw, err := base64.StdEncoding.DecodeString(tok)
		off, made, _ := strings.Cut(string(raw), "|")
		n, nerr := strconv.Atoi(off)
		if err != nil || nerr != nil || n < 0 || made != string(filters) {
			f.fail(w, ttsReturnParam, "invalid param error: page_token")
			return
		}
		offset = n
	}
	sh.mu.Lock()
	page, next, total := sh.rmaPage(s.keep, offset, size)
	list := make([]map[string]any, len(page))
	for i, rm := range page {
		list[i] = f.renderReturn(sh, rm)
	}
	sh.mu.Unlock()
	token := ""
	if next >= 0 {
		token = base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(next) + "|" + string(filters)))
	}
	f.ok(w, map[string]any{"return_orders": list, "next_page_token": token, "total_count": total})
}

// renderReturn writes a return as Search Returns lists it: one return line item per unit. The
// caller holds sh.mu.
func (f tiktokShopFace) renderReturn(sh *Shop, rm *RMA) map[string]any {
	money := func(v int64) string { return decimal(v, rm.Currency) }
	var items []map[string]any
	for i, l := range rm.Lines {
		ol, _ := sh.rmaLine(rm, l)
		n := int64(len(l.Units))
		for k, u := range l.Units {
			share := l.Refund / n
			if int64(k) < l.Refund%n {
				share++
			}
			items = append(items, map[string]any{
				"return_line_item_id": fmt.Sprintf("%s%02d%02d", rm.ID[len(rm.ID)-8:], i+1, k+1),
				"order_line_item_id":  ttsUnitID(l.LineID, u), "sku_id": ol.Listing.ID, "seller_sku": ol.Listing.ChannelSKU(),
				"product_name": ol.Listing.Name, "sku_name": "", "product_image": map[string]any{"url": "", "width": 0, "height": 0},
				"refund_amount": map[string]string{"currency": rm.Currency, "refund_total": money(share), "refund_subtotal": money(share),
					"refund_shipping_fee": money(0), "refund_tax": money(0)},
			})
		}
	}
	var next []map[string]any
	switch rm.State {
	case RMARequested:
		action := "SELLER_RESPOND_RETURN"
		if rm.RefundOnly {
			action = "SELLER_RESPOND_REFUND"
		}
		next = []map[string]any{{"action": action, "deadline": rm.Deadline.Unix()}}
	case RMAShippedBack:
		next = []map[string]any{{"action": "SELLER_RESPOND_RECEIVE_PACKAGE", "deadline": rm.Deadline.Unix()}}
	}
	out := map[string]any{
		"return_id": rm.ID, "order_id": rm.OrderID, "return_type": ttsReturnType(rm), "return_status": ttsReturnStatus(rm),
		"arbitration_status": rm.Arbitration, "role": "BUYER", "return_reason": rm.Reason, "return_reason_text": rm.ReasonText,
		"shipment_type": "PLATFORM", "handover_method": "DROP_OFF", "return_tracking_number": rm.Tracking,
		"return_provider_name": "", "return_provider_id": "", "can_buyer_keep_item": rm.RefundOnly,
		"create_time": rm.CreatedAt.Unix(), "update_time": rm.UpdatedAt.Unix(),
		"seller_next_action_response": next, "return_line_items": items,
		"refund_amount": map[string]string{"currency": rm.Currency, "refund_total": money(rm.Refund), "refund_subtotal": money(rm.Refund),
			"refund_shipping_fee": money(0), "refund_tax": money(0)},
	}
	if rm.Tracking != "" {
		out["return_provider_name"], out["return_provider_id"] = "TT Virtual express", "6617675021119438849"
	}
	if rm.State == RMAOffered {
		out["seller_proposed_return_type"] = "PARTIAL_REFUND"
		out["partial_refund"] = map[string]string{"currency": rm.Currency, "amount": money(rm.Offer)}
	}
	return out
}

// ttsDecision is the body of Approve Return and Reject Return.
type ttsDecision struct {
	Decision      string `json:"decision"`
	BuyerKeepItem bool   `json:"buyer_keep_item"`
	PartialRefund *struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	} `json:"partial_refund"`
	RejectReason string `json:"reject_reason"`
	Comment      string `json:"comment"`
	Images       []struct {
		ImageID string `json:"image_id"`
	} `json:"images"`
}

func (f tiktokShopFace) approveReturn(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	f.decideReturn(w, r, sh, body, true)
}

func (f tiktokShopFace) rejectReturn(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	f.decideReturn(w, r, sh, body, false)
}

// decideReturn applies an Approve Return (approve) or Reject Return to the return the path names.
func (f tiktokShopFace) decideReturn(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte, approve bool) {
	id, key := r.PathValue("return_id"), r.URL.Query().Get("idempotency_key")
	var in ttsDecision
	if json.Unmarshal(body, &in) != nil || in.Decision == "" || key == "" {
		f.fail(w, ttsReturnParam, "invalid param error: decision and idempotency_key are required")
		return
	}
	seen := id + "|" + in.Decision
	var code int
	var message string
	_, err := sh.updateRMA(id, func(rm *RMA) (bool, error) {
		d := RMADecision{At: sh.sim.now(), Decision: in.Decision, Reason: in.RejectReason, Comment: in.Comment, IdempotencyKey: key}
		for _, img := range in.Images {
			d.Evidence = append(d.Evidence, img.ImageID)
		}
		if was, ok := sh.rma.keys[key]; ok {
			if was != seen {
				code, message = ttsReturnKey, "The idempotency_key was used for another request."
				d.Refused = message
				rm.Decisions = append(rm.Decisions, d)
				return false, nil
			}
			d.Replay = true
			rm.Decisions = append(rm.Decisions, d)
			return false, nil
		}
		next, amount, c, msg := ttsMove(rm, in, approve)
		if c != 0 {
			code, message = c, msg
			d.Refused = msg
			rm.Decisions = append(rm.Decisions, d)
			return false, nil
		}
		d.Amount = amount
		rm.Decisions = append(rm.Decisions, d)
		rm.State = next
		if next == RMAOffered {
			rm.Offer = amount
		}
		sh.rma.keys[key] = seen
		return true, nil
	})
	switch {
	case err != nil:
		f.fail(w, ttsReturnMissing, "The return does not exist.")
	case code != 0:
		f.fail(w, code, message)
	default:
		f.ok(w, nil)
	}
}

// ttsMove is where a decision takes a return, or TikTok's error for it.
func ttsMove(rm *RMA, in ttsDecision, approve bool) (RMAState, int64, int, string) {
	state := func() (RMAState, int64, int, string) {
		return "", 0, ttsReturnState, fmt.Sprintf("The return status %s does not allow %s.", ttsReturnStatus(rm), in.Decision)
	}
	pending := rm.State == RMARequested
	if !approve {
		switch {
		case strings.TrimSpace(in.RejectReason) == "":
			return "", 0, ttsReturnParam, "invalid param error: reject_reason is required"
		case in.Decision == "REJECT_RETURN" && pending && !rm.RefundOnly,
			in.Decision == "REJECT_REFUND" && pending && rm.RefundOnly,
			in.Decision == "REJECT_RECEIVED_PACKAGE" && rm.State == RMAShippedBack:
			return RMADeclined, 0, 0, ""
		case !slices.Contains([]string{"REJECT_RETURN", "REJECT_REFUND", "REJECT_RECEIVED_PACKAGE", "REJECT_REPLACEMENT"}, in.Decision):
			return "", 0, ttsReturnParam, "invalid param error: decision"
		}
		return state()
	}
	switch in.Decision {
	case "APPROVE_RETURN":
		if (pending || rm.State == RMAOffered) && !rm.RefundOnly {
			return RMAApproved, 0, 0, ""
		}
	case "APPROVE_REFUND":
		if (pending || rm.State == RMAOffered) && rm.RefundOnly {
			return RMAApproved, 0, 0, ""
		}
	case "APPROVE_RECEIVED_PACKAGE":
		if (rm.State == RMAApproved || rm.State == RMAShippedBack) && !rm.RefundOnly {
			return RMAReceived, 0, 0, ""
		}
	case "OFFER_PARTIAL_REFUND":
		p := in.PartialRefund
		if p == nil || !strings.EqualFold(p.Currency, rm.Currency) {
			return "", 0, ttsReturnParam, "invalid param error: partial_refund needs an amount in the order's currency"
		}
		exp, _ := channels.Exponent(rm.Currency)
		amount, err := channels.ParseMinor(p.Amount, exp)
		if err != nil || amount <= 0 || amount > rm.Refund {
			return "", 0, ttsReturnParam, "invalid param error: partial_refund amount must be above 0 and at most the refund"
		}
		if pending {
			return RMAOffered, amount, 0, ""
		}
	case "APPROVE_REPLACEMENT", "ISSUE_REPLACEMENT_REFUND":
	default:
		return "", 0, ttsReturnParam, "invalid param error: decision"
	}
	return state()
}
