package lazada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Reverse-order calls (Lazada's Return and Refund API):
//
//	GET /reverse/getreverseordersforseller      reverse orders by line modification time or by id
//	GET /order/reverse/return/update            agreeReturn, refuseReturn, confirmDelivery
//	GET /order/reverse/onlyrefund/seller/decide agreeRefund, startDispute (refund-only requests)
const (
	PathReverseOrders    = "/reverse/getreverseordersforseller"
	PathReturnUpdate     = "/order/reverse/return/update"
	PathOnlyRefundDecide = "/order/reverse/onlyrefund/seller/decide"
)

var _ channels.Returns = (*Client)(nil)

// maxReversePage is the page size asked of getreverseordersforseller (its docs give no maximum;
// integrations use up to 100).
const maxReversePage = 100

// Lazada's request types of a reverse order.
const (
	RequestReturn     = "RETURN"
	RequestOnlyRefund = "ONLY_REFUND"
	RequestCancel     = "CANCEL"
)

// reverseLine is one unit of a reverse order (reverse_order_lines[]).
type reverseLine struct {
	ReverseOrderLineID scalar `json:"reverse_order_line_id"`
	TradeOrderLineID   scalar `json:"trade_order_line_id"`
	ReverseStatus      scalar `json:"reverse_status"`
	OFCStatus          scalar `json:"ofc_status"`
	RefundAmount       scalar `json:"refund_amount"`
	ItemUnitPrice      scalar `json:"item_unit_price"`
	ReasonCode         scalar `json:"reason_code"`
	ReasonText         scalar `json:"reason_text"`
	SellerSKUID        scalar `json:"seller_sku_id"`
	PlatformSKUID      scalar `json:"platform_sku_id"`
	TrackingNumber     scalar `json:"tracking_number"`
	SLA                scalar `json:"sla"`
	Created            scalar `json:"return_order_line_gmt_create"`
	Modified           scalar `json:"return_order_line_gmt_modified"`
	IsDispute          scalar `json:"is_dispute"`
}

// reverseOrder is one item of getreverseordersforseller.
type reverseOrder struct {
	ReverseOrderID scalar        `json:"reverse_order_id"`
	TradeOrderID   scalar        `json:"trade_order_id"`
	RequestType    scalar        `json:"request_type"`
	IsRTM          scalar        `json:"is_rtm"`
	ShippingType   scalar        `json:"shipping_type"`
	Lines          []reverseLine `json:"reverse_order_lines"`
}

// reversePage is the result of getreverseordersforseller (at the top of the answer, not in data).
type reversePage struct {
	Result struct {
		Total    scalar         `json:"total"`
		PageNo   scalar         `json:"page_no"`
		PageSize scalar         `json:"page_size"`
		Items    []reverseOrder `json:"items"`
	} `json:"result"`
}

// decodeReversePage reads a getreverseordersforseller answer.
func decodeReversePage(body []byte) (reversePage, error) {
	var p reversePage
	if err := decode(body, &p); err != nil {
		return reversePage{}, fmt.Errorf("lazada: %s: %w", PathReverseOrders, err)
	}
	return p, nil
}

// UpdatedReturns implements channels.Returns: getreverseordersforseller by
// ReverseOrderLineModifiedTimeRangeStart/End (epoch ms), page_no paging; the cursor is the next
// page number. Buyer cancellations (request_type CANCEL) are left out: the order's own status
// carries them. Like Updated, lines modified while a pull pages through shift the pages, so the
// next window must overlap (convergence is idempotent).
func (c *Client) UpdatedReturns(ctx context.Context, q channels.PullQuery) (channels.ReturnPage, error) {
	size := q.PageSize
	if size <= 0 || size > maxReversePage {
		size = maxReversePage
	}
	page := 1
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 1 {
			return channels.ReturnPage{}, fmt.Errorf("lazada: cursor %q is not a page number", q.Cursor)
		}
		page = n
	}
	params := map[string]string{"page_no": strconv.Itoa(page), "page_size": strconv.Itoa(size)}
	if !q.Since.IsZero() {
		params["ReverseOrderLineModifiedTimeRangeStart"] = strconv.FormatInt(q.Since.UnixMilli(), 10)
	}
	if !q.Until.IsZero() {
		// The range is taken as inclusive; the window is half-open.
		params["ReverseOrderLineModifiedTimeRangeEnd"] = strconv.FormatInt(q.Until.UnixMilli()-1, 10)
	}
	body, err := c.call(ctx, http.MethodGet, PathReverseOrders, params)
	if err != nil {
		return channels.ReturnPage{}, err
	}
	p, err := decodeReversePage(body)
	if err != nil {
		return channels.ReturnPage{}, err
	}
	out, err := c.normalizeReturns(ctx, p.Result.Items)
	if err != nil {
		return channels.ReturnPage{}, err
	}
	next := ""
	total, terr := strconv.Atoi(p.Result.Total.String())
	n := len(p.Result.Items)
	switch {
	case n == 0:
	case terr == nil && page*size >= total:
	case terr != nil && n < size:
	default:
		next = strconv.Itoa(page + 1)
	}
	return channels.ReturnPage{Returns: out, Next: next}, nil
}

// ReturnsByID implements channels.Returns: getreverseordersforseller by reverse_order_id, one call
// per id. Ids Lazada does not know, and buyer cancellations, are left out.
func (c *Client) ReturnsByID(ctx context.Context, ids []string) ([]channels.Return, error) {
	var out []channels.Return
	for _, id := range ids {
		ro, ok, err := c.reverseOrder(ctx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		rs, err := c.normalizeReturns(ctx, []reverseOrder{ro})
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// reverseOrder fetches one reverse order by id; ok is false when Lazada does not have it.
func (c *Client) reverseOrder(ctx context.Context, id string) (reverseOrder, bool, error) {
	body, err := c.call(ctx, http.MethodGet, PathReverseOrders, map[string]string{
		"reverse_order_id": id, "page_no": "1", "page_size": strconv.Itoa(maxReversePage),
	})
	if err != nil {
		return reverseOrder{}, false, err
	}
	p, err := decodeReversePage(body)
	if err != nil {
		return reverseOrder{}, false, err
	}
	for _, it := range p.Result.Items {
		if it.ReverseOrderID.String() == id {
			return it, true, nil
		}
	}
	return reverseOrder{}, false, nil
}

// normalizeReturns turns reverse orders into returns in the seller's currency (see currency; one
// seller sells in one currency, so it is found once).
func (c *Client) normalizeReturns(ctx context.Context, items []reverseOrder) ([]channels.Return, error) {
	out := make([]channels.Return, 0, len(items))
	cur := ""
	for _, ro := range items {
		if strings.EqualFold(ro.RequestType.String(), RequestCancel) || len(ro.Lines) == 0 {
			continue
		}
		if cur == "" {
			var err error
			if cur, err = c.currency(ctx, ro.TradeOrderID.String()); err != nil {
				return nil, err
			}
		}
		r, err := normalizeReturn(ro, cur)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// siteCurrencies gives the currency of a venture by its API host's suffix.
var siteCurrencies = []struct{ suffix, currency string }{
	{".co.th", "THB"}, {".vn", "VND"}, {".sg", "SGD"}, {".com.my", "MYR"}, {".com.ph", "PHP"}, {".co.id", "IDR"},
}

// currency is the seller's currency, which reverse orders do not carry: Extra["currency"], else
// the venture of the API host, else the currency of the trade order's items (/order/items/get).
func (c *Client) currency(ctx context.Context, tradeOrderID string) (string, error) {
	if cur := strings.ToUpper(c.account.Extra["currency"]); cur != "" {
		return cur, nil
	}
	if u, err := url.Parse(c.account.BaseURL); err == nil {
		for _, s := range siteCurrencies {
			if strings.HasSuffix(u.Hostname(), s.suffix) {
				return s.currency, nil
			}
		}
	}
	body, err := c.call(ctx, http.MethodGet, "/order/items/get", map[string]string{"order_id": tradeOrderID})
	if err != nil {
		return "", err
	}
	items, err := decodeItems(body, tradeOrderID)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(items[0].Currency.String()), nil
}

// reverseAmount reads a reverse-order amount: an integer in cents, except in Vietnam where it is in
// dong; it returns minor units of currency (so Indonesian cents become whole rupiah, Ordo's unit).
func reverseAmount(s scalar, currency string) (int64, error) {
	v := s.String()
	if v == "" || v == "null" {
		return 0, nil
	}
	exp, err := channels.Exponent(currency)
	if err != nil {
		return 0, err
	}
	if currency == "VND" {
		return channels.ParseMinor(v, exp)
	}
	cents, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		// A decimal amount (as order amounts are written) is read as such.
		return channels.ParseMinor(v, exp)
	}
	neg := cents < 0
	if neg {
		cents = -cents
	}
	text := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	if neg {
		text = "-" + text
	}
	return channels.ParseMinor(text, exp)
}

// returnStatuses maps a reverse order line's reverse_status, as getreverseordersforseller and
// the msg_type 10 push write it, to the normalized return state. The push's values are documented
// (opendoc_guide_webhook-api-reverse-order); of the API's own, the docs name REQUEST_INITIATE,
// REQUEST_REJECT, REQUEST_CANCEL and CANCEL_SUCCESS, the others are [U].
var returnStatuses = map[string]channels.ReturnStatus{
	"REQUEST_INITIATE":     channels.RMARequested,
	"RTM_INIT":             channels.RMARequested,
	"RTW_INIT":             channels.RMARequested,
	"REFUND_INIT":          channels.RMARequested,
	"REQUEST_AGREE":        channels.RMAApproved,
	"AGREE_RETURN":         channels.RMAApproved,
	"SELLER_AGREE_RETURN":  channels.RMAApproved,
	"AGREE_REFUND":         channels.RMAApproved,
	"REFUND_PENDING":       channels.RMAApproved,
	"WAIT_BUYER_RETURN":    channels.RMAApproved,
	"BUYER_RETURN_ITEM":    channels.RMAInTransit,
	"IN_TRANSIT":           channels.RMAInTransit,
	"RTM_SHIPPING_BACK":    channels.RMAInTransit,
	"RTW_SHIPPING_BACK":    channels.RMAInTransit,
	"SELLER_RECEIVE_ITEM":  channels.RMAReceived,
	"RTM_RECEIVE_ITEM":     channels.RMAReceived,
	"RTW_REFUND_PENDING":   channels.RMAReceived,
	"REFUND_SUCCESS":       channels.RMARefunded,
	"REFUND_PAID":          channels.RMARefunded,
	"REQUEST_REJECT":       channels.RMADeclined,
	"REFUSE":               channels.RMADeclined,
	"SELLER_REFUSE_RETURN": channels.RMADeclined,
	"REFUND_REJECTED":      channels.RMADeclined,
	"RTW_REJECT":           channels.RMADeclined,
	"REQUEST_CANCEL":       channels.RMACancelled,
	"RTM_CANCELED":         channels.RMACancelled,
	"RTW_CANCELED":         channels.RMACancelled,
	"DISPUTE":              channels.RMADisputed,
	"IN_DISPUTE":           channels.RMADisputed,
}

// ReturnStatus maps a reverse_status (case-insensitive); anything unmapped is RMAOther.
func ReturnStatus(raw string) channels.ReturnStatus {
	if s, ok := returnStatuses[strings.ToUpper(strings.TrimSpace(raw))]; ok {
		return s
	}
	return channels.RMAOther
}

// returnProgress orders the open return states; a return is as far as its least advanced open line.
var returnProgress = map[channels.ReturnStatus]int{
	channels.RMAOther:     0,
	channels.RMARequested: 1,
	channels.RMADisputed:  2,
	channels.RMAApproved:  3,
	channels.RMAInTransit: 4,
	channels.RMAReceived:  5,
	channels.RMARefunded:  6,
}

// overallStatus is a return's state from its lines': the least advanced of the lines still on,
// else Declined when any line was declined, else Cancelled.
func overallStatus(lines []channels.ReturnStatus) channels.ReturnStatus {
	best, found := channels.RMAOther, false
	declined := false
	for _, s := range lines {
		switch s {
		case channels.RMADeclined:
			declined = true
			continue
		case channels.RMACancelled:
			continue
		}
		if !found || returnProgress[s] < returnProgress[best] {
			best, found = s, true
		}
	}
	switch {
	case found:
		return best
	case declined:
		return channels.RMADeclined
	}
	return channels.RMACancelled
}

// NormalizeReturn turns one reverse order (an item of getreverseordersforseller's result.items, as
// JSON) into a return in currency; see normalizeReturn.
func NormalizeReturn(itemJSON []byte, currency string) (channels.Return, error) {
	var ro reverseOrder
	if err := decode(itemJSON, &ro); err != nil {
		return channels.Return{}, fmt.Errorf("lazada: reverse order: %w", err)
	}
	return normalizeReturn(ro, currency)
}

// normalizeReturn turns one reverse order into a return in currency. Lazada's lines are units: they are grouped by seller SKU, platform SKU and unit price
// into lines whose UnitIDs are the trade_order_line_ids (the order_item_ids of Line.UnitIDs) and
// ReturnLineIDs the reverse_order_line_ids. Status is the least advanced line's (declined and
// cancelled lines aside), ChannelStatus the distinct raw reverse_status values; Deadline is the
// earliest sla of the lines awaiting the seller. A line in dispute (is_dispute) that would read
// requested reads disputed. Refs: request_type, return_to (RTM or RTW), shipping_type, ofc_status
// (the distinct values).
func normalizeReturn(ro reverseOrder, currency string) (channels.Return, error) {
	id := ro.ReverseOrderID.String()
	if id == "" {
		return channels.Return{}, fmt.Errorf("lazada: reverse order without reverse_order_id")
	}
	rt := strings.ToUpper(ro.RequestType.String())
	r := channels.Return{
		Kind:       channels.Lazada,
		ExternalID: id,
		OrderID:    ro.TradeOrderID.String(),
		Currency:   currency,
		RefundOnly: rt == RequestOnlyRefund,
		Refs:       map[string]string{"request_type": rt},
	}
	if ro.IsRTM.String() != "" {
		r.Refs["return_to"] = "RTW"
		if ro.IsRTM.Truthy() {
			r.Refs["return_to"] = "RTM"
		}
	}
	if st := ro.ShippingType.String(); st != "" {
		r.Refs["shipping_type"] = st
	}
	type key struct {
		sku, listing string
		price        int64
	}
	index := map[key]int{}
	var statuses []channels.ReturnStatus
	var raw, ofcs []string
	for _, l := range ro.Lines {
		refund, err := reverseAmount(l.RefundAmount, currency)
		if err != nil {
			return channels.Return{}, fmt.Errorf("lazada: reverse order %s: refund_amount: %w", id, err)
		}
		price, err := reverseAmount(l.ItemUnitPrice, currency)
		if err != nil {
			return channels.Return{}, fmt.Errorf("lazada: reverse order %s: item_unit_price: %w", id, err)
		}
		rs := strings.ToUpper(l.ReverseStatus.String())
		st := ReturnStatus(rs)
		if l.IsDispute.Truthy() && (st == channels.RMARequested || st == channels.RMAOther) {
			st = channels.RMADisputed // Lazada is judging the seller's dispute
		}
		statuses = append(statuses, st)
		if !slices.Contains(raw, rs) {
			raw = append(raw, rs)
		}
		if ofc := l.OFCStatus.String(); ofc != "" && !slices.Contains(ofcs, ofc) {
			ofcs = append(ofcs, ofc)
		}
		r.RefundAmount += refund
		sku := l.SellerSKUID.String()
		k := key{sku, l.PlatformSKUID.String(), price}
		i, ok := index[k]
		if !ok {
			i = len(r.Lines)
			index[k] = i
			r.Lines = append(r.Lines, channels.ReturnLine{SKU: sku, ListingID: k.listing})
		}
		rl := &r.Lines[i]
		rl.Quantity++
		rl.RefundAmount += refund
		rl.UnitIDs = append(rl.UnitIDs, l.TradeOrderLineID.String())
		rl.ReturnLineIDs = append(rl.ReturnLineIDs, l.ReverseOrderLineID.String())
		if r.Reason == "" {
			r.Reason, r.ReasonText = l.ReasonCode.String(), l.ReasonText.String()
		}
		if r.TrackingNumber == "" {
			r.TrackingNumber = l.TrackingNumber.String()
		}
		if t, ok := parseTime(l.Created.String(), currency); ok && (r.CreatedAt.IsZero() || t.Before(r.CreatedAt)) {
			r.CreatedAt = t
		}
		if t, ok := parseTime(l.Modified.String(), currency); ok && t.After(r.UpdatedAt) {
			r.UpdatedAt = t
		}
		// sla is "seller operation sla in milliseconds": read as the moment it runs out when it is
		// one (epoch ms), ignored otherwise.
		if n, err := strconv.ParseInt(l.SLA.String(), 10, 64); err == nil && n >= 1e11 && st == channels.RMARequested {
			if t := time.UnixMilli(n).UTC(); r.Deadline == nil || t.Before(*r.Deadline) {
				r.Deadline = &t
			}
		}
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	sort.Strings(raw)
	if len(ofcs) > 0 {
		sort.Strings(ofcs)
		r.Refs["ofc_status"] = strings.Join(ofcs, ",")
	}
	r.Status = overallStatus(statuses)
	r.ChannelStatus = strings.Join(raw, ",")
	r.Refunded = r.Status == channels.RMARefunded
	return r, nil
}

// unitDecision is one reverse order line a decision concerns, with its state on Lazada.
type unitDecision struct {
	id     string
	status channels.ReturnStatus
}

// DecideReturn implements channels.Returns. It reads the reverse order first (its request type,
// its lines and their states), sends the decision for the lines it concerns that still await it, and
// returns nil when none does because the same decision was already taken (a repeat):
//
//	APPROVE  RETURN: return/update agreeReturn; ONLY_REFUND: onlyrefund/seller/decide agreeRefund
//	REFUSE   RETURN: return/update refuseReturn with reason_id (Reason), comment and image_info
//	         (Evidence), one line a call (E0111); ONLY_REFUND: onlyrefund/seller/decide startDispute
//	RECEIVE  RETURN: return/update confirmDelivery
//
// OFFER (Lazada takes no partial offer), RECEIVE of a refund-only request, a refusal without a
// numeric reason or a comment, and lines in a state that cannot take the decision are refused
// with channels.ErrRefused before any call; Lazada's own refusals (E0108–E0110 and the like)
// wrap it too. reverse_order_item_ids is the JSON array of the decided reverse_order_line_ids.
func (c *Client) DecideReturn(ctx context.Context, d channels.ReturnDecision) error {
	if d.Action == channels.DecideOffer {
		return channels.Refused("lazada: reverse order %s: Lazada takes no partial-refund offer", d.ReturnID)
	}
	ro, ok, err := c.reverseOrder(ctx, d.ReturnID)
	if err != nil {
		return err
	}
	if !ok {
		return channels.Refused("lazada: no reverse order %s", d.ReturnID)
	}
	refundOnly := strings.EqualFold(ro.RequestType.String(), RequestOnlyRefund)
	units, err := decisionUnits(ro, d)
	if err != nil {
		return err
	}
	var from, done []channels.ReturnStatus
	switch d.Action {
	case channels.DecideApprove:
		from = []channels.ReturnStatus{channels.RMARequested, channels.RMADisputed}
		done = []channels.ReturnStatus{channels.RMAApproved, channels.RMAInTransit, channels.RMAReceived, channels.RMARefunded}
	case channels.DecideRefuse:
		if _, err := strconv.ParseInt(d.Reason, 10, 64); err != nil && !refundOnly {
			return channels.Refused("lazada: reverse order %s: a refusal needs Lazada's numeric reason_id (/order/reverse/reason/list), not %q", d.ReturnID, d.Reason)
		}
		if strings.TrimSpace(d.Comment) == "" {
			return channels.Refused("lazada: reverse order %s: a refusal needs a comment", d.ReturnID)
		}
		from = []channels.ReturnStatus{channels.RMARequested}
		done = []channels.ReturnStatus{channels.RMADeclined, channels.RMADisputed}
	case channels.DecideReceive:
		if refundOnly {
			return channels.Refused("lazada: reverse order %s is a refund-only request: nothing comes back to receive", d.ReturnID)
		}
		// RTM_RECEIVE_ITEM (received) is the parcel at the seller's, still to be confirmed: the
		// confirmation is what refunds the buyer.
		from = []channels.ReturnStatus{channels.RMAApproved, channels.RMAInTransit, channels.RMAReceived}
		done = []channels.ReturnStatus{channels.RMARefunded}
	default:
		return channels.Refused("lazada: unknown return decision %q", d.Action)
	}
	var todo []string
	for _, u := range units {
		switch {
		case slices.Contains(from, u.status):
			todo = append(todo, u.id)
		case slices.Contains(done, u.status):
		default:
			return channels.Refused("lazada: reverse order %s: line %s is %s and cannot take %s", d.ReturnID, u.id, u.status, d.Action)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return c.sendDecision(ctx, d, refundOnly, todo)
}

// decisionUnits are the reverse order's lines a decision names, by ReturnLineIDs or, for a line
// that gives none, by its UnitIDs (trade_order_line_ids). A decision that names none is about every
// line still on the reverse order (those withdrawn or refused stay out, but for a refusal, where a
// refused line is a repeat). A line the reverse order does not have is refused.
func decisionUnits(ro reverseOrder, d channels.ReturnDecision) ([]unitDecision, error) {
	byID, byUnit := map[string]channels.ReturnStatus{}, map[string]string{}
	var all []unitDecision
	for _, l := range ro.Lines {
		u := unitDecision{id: l.ReverseOrderLineID.String(), status: ReturnStatus(l.ReverseStatus.String())}
		byID[u.id] = u.status
		byUnit[l.TradeOrderLineID.String()] = u.id
		off := u.status == channels.RMACancelled || (u.status == channels.RMADeclined && d.Action != channels.DecideRefuse)
		if !off {
			all = append(all, u)
		}
	}
	var named []unitDecision
	for _, l := range d.Lines {
		ids := l.ReturnLineIDs
		if len(ids) == 0 {
			for _, unit := range l.UnitIDs {
				id, ok := byUnit[unit]
				if !ok {
					return nil, channels.Refused("lazada: reverse order %s has no unit %s", d.ReturnID, unit)
				}
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			st, ok := byID[id]
			if !ok {
				return nil, channels.Refused("lazada: reverse order %s has no line %s", d.ReturnID, id)
			}
			named = append(named, unitDecision{id: id, status: st})
		}
	}
	switch {
	case len(named) > 0:
		return named, nil
	case len(d.Lines) > 0:
		return nil, channels.Refused("lazada: reverse order %s: the decision names no reverse_order_line_id", d.ReturnID)
	case len(all) == 0:
		return nil, channels.Refused("lazada: reverse order %s has no line left to decide", d.ReturnID)
	}
	return all, nil
}

// sendDecision makes the calls of a decision on the lines ids.
func (c *Client) sendDecision(ctx context.Context, d channels.ReturnDecision, refundOnly bool, ids []string) error {
	if refundOnly {
		// onlyrefund/seller/decide takes one line a call.
		action := "agreeRefund"
		if d.Action == channels.DecideRefuse {
			action = "startDispute"
		}
		for _, id := range ids {
			p := map[string]string{"action": action, "reverse_order_id": d.ReturnID, "reverse_order_item_ids": idList([]string{id})}
			if action == "startDispute" {
				p["comment"] = d.Comment
				p["image_info_list"] = evidenceJSON(d.Evidence, "file_name", "file_url")
			}
			if _, err := c.call(ctx, http.MethodGet, PathOnlyRefundDecide, p); err != nil {
				return err
			}
		}
		return nil
	}
	switch d.Action {
	case channels.DecideRefuse:
		for _, id := range ids { // E0111: no refusal of several lines at once
			p := map[string]string{
				"action": "refuseReturn", "reverse_order_id": d.ReturnID, "reverse_order_item_ids": idList([]string{id}),
				"reason_id": d.Reason, "comment": d.Comment, "image_info": evidenceJSON(d.Evidence, "name", "url"),
			}
			if _, err := c.call(ctx, http.MethodGet, PathReturnUpdate, p); err != nil {
				return err
			}
		}
		return nil
	case channels.DecideApprove:
		_, err := c.call(ctx, http.MethodGet, PathReturnUpdate, map[string]string{"action": "agreeReturn", "reverse_order_id": d.ReturnID, "reverse_order_item_ids": idList(ids)})
		return err
	default: // DecideReceive
		_, err := c.call(ctx, http.MethodGet, PathReturnUpdate, map[string]string{"action": "confirmDelivery", "reverse_order_id": d.ReturnID, "reverse_order_item_ids": idList(ids)})
		return err
	}
}

// evidenceJSON writes links as Lazada's image list: [{nameKey: the link's last segment, urlKey: link}].
func evidenceJSON(links []string, nameKey, urlKey string) string {
	list := make([]map[string]string, 0, len(links))
	for _, l := range links {
		name := l
		if i := strings.LastIndexByte(strings.TrimRight(l, "/"), '/'); i >= 0 {
			name = strings.TrimRight(l, "/")[i+1:]
		}
		list = append(list, map[string]string{nameKey: name, urlKey: l})
	}
	b, _ := json.Marshal(list)
	return string(b)
}
