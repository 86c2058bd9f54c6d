package tiktokshop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// PathReturnSearch is Search Returns (Return and Refund API 202309); Approve and Reject add the
// return id.
const PathReturnSearch = "/return_refund/202309/returns/search"

// ReturnApprovePath and ReturnRejectPath are the paths of Approve Return and Reject Return.
func ReturnApprovePath(returnID string) string {
	return "/return_refund/202309/returns/" + url.PathEscape(returnID) + "/approve"
}

func ReturnRejectPath(returnID string) string {
	return "/return_refund/202309/returns/" + url.PathEscape(returnID) + "/reject"
}

// Keys of Return.Refs: the return's return_type and return_status, which decide which decision
// Approve and Reject take.
const (
	RefReturnType   = "return_type"
	RefReturnStatus = "return_status"
)

// The return types and the return statuses the connector acts on (the type-12 webhook's doc and
// the 202309 search API; the doc spells one cancel status RETURN_OR_REFUND__REQUEST_CANCELLED).
const (
	ReturnTypeRefund      = "REFUND"
	ReturnTypeReturn      = "RETURN_AND_REFUND"
	ReturnTypeReplacement = "REPLACEMENT"

	ReturnPending        = "RETURN_OR_REFUND_REQUEST_PENDING"
	ReturnAwaitingShip   = "AWAITING_BUYER_SHIP"
	ReturnBuyerShipped   = "BUYER_SHIPPED_ITEM"
	ReturnSuccess        = "RETURN_OR_REFUND_REQUEST_SUCCESS"
	ReturnComplete       = "RETURN_OR_REFUND_REQUEST_COMPLETE"
	ReturnRejected       = "RETURN_OR_REFUND_REQUEST_REJECT"
	ReturnRejectPackage  = "REJECT_RECEIVE_PACKAGE"
	ReturnCancelled      = "RETURN_OR_REFUND_REQUEST_CANCEL"
	ReturnAwaitingBuyer  = "AWAITING_BUYER_RESPONSE"
	ReplacementPending   = "REPLACEMENT_REQUEST_PENDING"
	ReplacementRejected  = "REPLACEMENT_REQUEST_REJECT"
	ReplacementRefunded  = "REPLACEMENT_REQUEST_REFUND_SUCCESS"
	ReplacementCancelled = "REPLACEMENT_REQUEST_CANCEL"
	ReplacementComplete  = "REPLACEMENT_REQUEST_COMPLETE"
)

// maxReturnIDs is how many return_ids one search is sent.
const maxReturnIDs = 50

var _ channels.Returns = (*Client)(nil)

// returnStatus maps return_status values; see MapReturnStatus.
var returnStatus = map[string]channels.ReturnStatus{
	ReturnPending:                         channels.RMARequested,
	ReplacementPending:                    channels.RMARequested,
	ReturnAwaitingBuyer:                   channels.RMARequested, // the seller offered; the buyer answers
	ReturnAwaitingShip:                    channels.RMAApproved,
	ReplacementComplete:                   channels.RMAApproved,
	ReturnBuyerShipped:                    channels.RMAInTransit,
	ReturnSuccess:                         channels.RMAApproved,
	ReturnComplete:                        channels.RMARefunded,
	ReplacementRefunded:                   channels.RMARefunded,
	ReturnRejected:                        channels.RMADeclined,
	"REFUND_OR_RETURN_REQUEST_REJECT":     channels.RMADeclined,
	ReturnRejectPackage:                   channels.RMADeclined,
	ReplacementRejected:                   channels.RMADeclined,
	ReturnCancelled:                       channels.RMACancelled,
	"RETURN_OR_REFUND__REQUEST_CANCELLED": channels.RMACancelled,
	"RETURN_OR_REFUND_REQUEST_CANCELLED":  channels.RMACancelled,
	ReplacementCancelled:                  channels.RMACancelled,
}

// MapReturnStatus maps a return_status, refined by the return's type and arbitration: the seller's
// acceptance (RETURN_OR_REFUND_REQUEST_SUCCESS) of a return with goods comes after the package
// arrived, so it is RECEIVED; a rejection under arbitration is DISPUTED. Unknown statuses are
// channels.RMAOther.
func MapReturnStatus(status, returnType, arbitration string) channels.ReturnStatus {
	s, ok := returnStatus[status]
	if !ok {
		return channels.RMAOther
	}
	switch {
	case status == ReturnSuccess && returnType == ReturnTypeReturn:
		return channels.RMAReceived
	case s == channels.RMADeclined && arbitration == "IN_PROGRESS":
		return channels.RMADisputed
	}
	return s
}

// returnOrder is a return as Search Returns has it.
type returnOrder struct {
	ReturnID          scalar `json:"return_id"`
	OrderID           scalar `json:"order_id"`
	ReturnType        scalar `json:"return_type"`
	ReturnStatus      scalar `json:"return_status"`
	ArbitrationStatus scalar `json:"arbitration_status"`
	ReturnReason      scalar `json:"return_reason"`
	ReturnReasonText  scalar `json:"return_reason_text"`
	Tracking          scalar `json:"return_tracking_number"`
	ProviderName      scalar `json:"return_provider_name"`
	CreateTime        scalar `json:"create_time"`
	UpdateTime        scalar `json:"update_time"`
	RefundAmount      refund `json:"refund_amount"`
	LineItems         []struct {
		ID          scalar `json:"return_line_item_id"`
		OrderLineID scalar `json:"order_line_item_id"`
		SKUID       scalar `json:"sku_id"`
		SellerSKU   scalar `json:"seller_sku"`
		Refund      refund `json:"refund_amount"`
	} `json:"return_line_items"`
	NextActions []struct {
		Action   scalar `json:"action"`
		Deadline scalar `json:"deadline"`
	} `json:"seller_next_action_response"`
}

// refund is a refund_amount block: decimal strings in currency.
type refund struct {
	Currency    scalar `json:"currency"`
	RefundTotal scalar `json:"refund_total"`
}

// NormalizeReturn turns one return of Search Returns' return_orders into Ordo's return.
//
// Money is refund_amount.refund_total in its currency. TikTok returns one line item per unit, like
// its orders: lines group them by seller SKU and sku_id, with the order_line_item_ids as UnitIDs
// (the order's units, see NormalizeOrder), the return_line_item_ids as ReturnLineIDs and the sum of
// their refund_total; LineID stays empty, as the order's lines have none. Deadline is the earliest
// seller_next_action_response deadline. Refs carry return_type and return_status.
func NormalizeReturn(raw []byte) (channels.Return, error) {
	var r returnOrder
	if err := decode(raw, &r); err != nil {
		return channels.Return{}, fmt.Errorf("tiktokshop: return: %w", err)
	}
	return r.normalize()
}

func (r returnOrder) normalize() (channels.Return, error) {
	id := r.ReturnID.String()
	if id == "" {
		return channels.Return{}, errors.New("tiktokshop: return has no return_id")
	}
	fail := func(err error) (channels.Return, error) {
		return channels.Return{}, fmt.Errorf("tiktokshop: return %s: %w", id, err)
	}
	cur := strings.ToUpper(r.RefundAmount.Currency.String())
	for _, it := range r.LineItems {
		if cur == "" {
			cur = strings.ToUpper(it.Refund.Currency.String())
		}
	}
	exp := 2
	if cur != "" {
		var err error
		if exp, err = channels.Exponent(cur); err != nil {
			return fail(err)
		}
	}
	var firstErr error
	money := func(field string, s scalar) int64 {
		v, err := channels.ParseMinor(s.String(), exp)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", field, err)
		}
		return v
	}
	when := func(field string, s scalar) time.Time {
		t := s.String()
		if t == "" || t == "0" {
			return time.Time{}
		}
		secs, err := strconv.ParseInt(t, 10, 64)
		if err != nil || secs < 0 || secs > 1<<40 {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s %q is not unix seconds", field, t)
			}
			return time.Time{}
		}
		return time.Unix(secs, 0).UTC()
	}
	status, typ := r.ReturnStatus.String(), r.ReturnType.String()
	out := channels.Return{
		Kind:           channels.TikTokShop,
		ExternalID:     id,
		OrderID:        r.OrderID.String(),
		Status:         MapReturnStatus(status, typ, r.ArbitrationStatus.String()),
		ChannelStatus:  status,
		RefundOnly:     typ == ReturnTypeRefund,
		Reason:         r.ReturnReason.String(),
		ReasonText:     r.ReturnReasonText.String(),
		Currency:       cur,
		RefundAmount:   money("refund_total", r.RefundAmount.RefundTotal),
		TrackingNumber: r.Tracking.String(),
		Carrier:        r.ProviderName.String(),
		CreatedAt:      when("create_time", r.CreateTime),
		UpdatedAt:      when("update_time", r.UpdateTime),
		Refs:           map[string]string{RefReturnType: typ, RefReturnStatus: status},
	}
	if a := r.ArbitrationStatus.String(); a != "" {
		out.ChannelStatus += "/" + a
	}
	if out.UpdatedAt.IsZero() {
		out.UpdatedAt = out.CreatedAt
	}
	out.Refunded = out.Status == channels.RMARefunded
	for _, a := range r.NextActions {
		if d := when("deadline", a.Deadline); !d.IsZero() && (out.Deadline == nil || d.Before(*out.Deadline)) {
			out.Deadline = &d
		}
	}
	type key struct{ sku, listing string }
	index := map[key]int{}
	for _, it := range r.LineItems {
		if c := strings.ToUpper(it.Refund.Currency.String()); c != "" && c != cur && firstErr == nil {
			firstErr = fmt.Errorf("return line item %s in %s, return in %s", it.ID, c, cur)
		}
		sku := it.SellerSKU.String()
		if sku == "" {
			sku = it.SKUID.String()
		}
		k := key{sku, it.SKUID.String()}
		i, ok := index[k]
		if !ok {
			i = len(out.Lines)
			index[k] = i
			out.Lines = append(out.Lines, channels.ReturnLine{SKU: sku, ListingID: it.SKUID.String()})
		}
		l := &out.Lines[i]
		l.Quantity++
		l.RefundAmount += money("line refund_total", it.Refund.RefundTotal)
		if u := it.OrderLineID.String(); u != "" {
			l.UnitIDs = append(l.UnitIDs, u)
		}
		if u := it.ID.String(); u != "" {
			l.ReturnLineIDs = append(l.ReturnLineIDs, u)
		}
	}
	if firstErr != nil {
		return fail(firstErr)
	}
	return out, nil
}

// returnSearch is the body of Search Returns.
type returnSearch struct {
	ReturnIDs    []string `json:"return_ids,omitempty"`
	UpdateTimeGE int64    `json:"update_time_ge,omitempty"`
	UpdateTimeLT int64    `json:"update_time_lt,omitempty"`
}

// searchReturns runs one Search Returns page and normalizes it.
func (c *Client) searchReturns(ctx context.Context, body returnSearch, size int, token string) ([]channels.Return, string, error) {
	q := url.Values{"page_size": {strconv.Itoa(size)}, "sort_field": {"update_time"}, "sort_order": {"ASC"}}
	if token != "" {
		q.Set("page_token", token)
	}
	data, err := c.call(ctx, http.MethodPost, PathReturnSearch, q, body)
	if err != nil {
		return nil, "", err
	}
	var l struct {
		ReturnOrders  []json.RawMessage `json:"return_orders"`
		NextPageToken scalar            `json:"next_page_token"`
	}
	if err := decodeData(data, &l); err != nil {
		return nil, "", fmt.Errorf("tiktokshop: %s: %w", PathReturnSearch, err)
	}
	out := make([]channels.Return, 0, len(l.ReturnOrders))
	for _, raw := range l.ReturnOrders {
		r, err := NormalizeReturn(raw)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	next := l.NextPageToken.String()
	if len(out) == 0 {
		next = "" // an empty page ends the pull, whatever token came with it
	}
	return out, next, nil
}

// UpdatedReturns implements channels.Returns: Search Returns by update_time, oldest first, the
// cursor TikTok's next_page_token (the same window is sent with every page).
func (c *Client) UpdatedReturns(ctx context.Context, pq channels.PullQuery) (channels.ReturnPage, error) {
	size := pq.PageSize
	if size <= 0 || size > maxPage {
		size = maxPage
	}
	w := window(pq)
	rs, next, err := c.searchReturns(ctx, returnSearch{UpdateTimeGE: w.UpdateTimeGE, UpdateTimeLT: w.UpdateTimeLT}, size, pq.Cursor)
	if err != nil {
		return channels.ReturnPage{}, err
	}
	return channels.ReturnPage{Returns: rs, Next: next}, nil
}

// ReturnsByID implements channels.Returns: Search Returns by return_ids, 50 at a time, every page.
// Ids TikTok does not know are simply not in its answer.
func (c *Client) ReturnsByID(ctx context.Context, ids []string) ([]channels.Return, error) {
	var out []channels.Return
	for start := 0; start < len(ids); start += maxReturnIDs {
		body := returnSearch{ReturnIDs: ids[start:min(start+maxReturnIDs, len(ids))]}
		token := ""
		for {
			rs, next, err := c.searchReturns(ctx, body, maxPage, token)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
			if next == "" || next == token {
				break
			}
			token = next
		}
	}
	return out, nil
}

// decisionBody is the body of Approve Return and Reject Return.
type decisionBody struct {
	Decision      string         `json:"decision"`
	PartialRefund *partialRefund `json:"partial_refund,omitempty"`
	RejectReason  string         `json:"reject_reason,omitempty"`
	Comment       string         `json:"comment,omitempty"`
	Images        []rejectImage  `json:"images,omitempty"`
}

type partialRefund struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type rejectImage struct {
	ImageID string `json:"image_id"`
}

// DecideReturn implements channels.Returns. The return is read first (Search Returns by id), since
// TikTok's decision depends on its type and status, and a decision it already has is not sent
// again:
//
//	APPROVE  Approve Return: APPROVE_RETURN (RETURN_AND_REFUND), APPROVE_REFUND (REFUND) or
//	         APPROVE_REPLACEMENT, on a pending request; a no-op once approved
//	RECEIVE  Approve Return with APPROVE_RECEIVED_PACKAGE, once the buyer shipped (or was asked to);
//	         a no-op once refunded; refused for a refund-only request (nothing comes back)
//	REFUSE   Reject Return {decision, reject_reason (one of Get Reject Reasons' names), comment,
//	         images}: REJECT_RETURN, REJECT_REFUND or REJECT_REPLACEMENT on a pending request,
//	         REJECT_RECEIVED_PACKAGE after the buyer shipped; a no-op once rejected
//	OFFER    Approve Return with OFFER_PARTIAL_REFUND and partial_refund{amount, currency} on a
//	         pending request; a no-op while the buyer considers an offer
//
// Every call carries the idempotency_key query parameter (the decision's, else return id and
// TikTok decision). Evidence links are sent as image ids [U: TikTok wants images uploaded through
// its image API; the links are passed as they are].
func (c *Client) DecideReturn(ctx context.Context, d channels.ReturnDecision) error {
	rs, err := c.ReturnsByID(ctx, []string{d.ReturnID})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return channels.Refused("tiktokshop: no return %s", d.ReturnID)
	}
	body, path, err := decisionFor(d, rs[0])
	if err != nil || body == nil {
		return err
	}
	key := d.IdempotencyKey
	if key == "" {
		key = d.ReturnID + ":" + body.Decision
	}
	_, err = c.call(ctx, http.MethodPost, path, url.Values{"idempotency_key": {key}}, body)
	return err
}

// decisionFor picks the call for decision d on return r as TikTok has it; a nil body is a decision
// TikTok already has.
func decisionFor(d channels.ReturnDecision, r channels.Return) (*decisionBody, string, error) {
	typ, status := r.Refs[RefReturnType], r.Refs[RefReturnStatus]
	pending := status == ReturnPending || status == ReplacementPending
	approve := func(decision string) (*decisionBody, string, error) {
		return &decisionBody{Decision: decision}, ReturnApprovePath(d.ReturnID), nil
	}
	refused := func(what string) (*decisionBody, string, error) {
		return nil, "", channels.Refused("tiktokshop: return %s (%s, %s) cannot be %s", d.ReturnID, typ, status, what)
	}
	switch d.Action {
	case channels.DecideApprove:
		switch {
		case pending && typ == ReturnTypeRefund:
			return approve("APPROVE_REFUND")
		case pending && typ == ReturnTypeReplacement:
			return approve("APPROVE_REPLACEMENT")
		case pending:
			return approve("APPROVE_RETURN")
		case status == ReturnAwaitingBuyer:
			if typ == ReturnTypeRefund {
				return approve("APPROVE_REFUND")
			}
			return approve("APPROVE_RETURN")
		case r.Status == channels.RMAApproved || r.Status == channels.RMAInTransit || r.Status == channels.RMAReceived || r.Status == channels.RMARefunded:
			return nil, "", nil
		}
		return refused("approved")
	case channels.DecideReceive:
		switch {
		case typ == ReturnTypeRefund:
			return refused("received: nothing is sent back for a refund")
		case status == ReturnAwaitingShip || status == ReturnBuyerShipped:
			return approve("APPROVE_RECEIVED_PACKAGE")
		case status == ReturnSuccess || status == ReturnComplete:
			return nil, "", nil
		}
		return refused("received")
	case channels.DecideRefuse:
		if strings.TrimSpace(d.Reason) == "" {
			return nil, "", channels.Refused("tiktokshop: rejecting return %s needs one of TikTok's reject reasons", d.ReturnID)
		}
		decision := ""
		switch {
		case pending && typ == ReturnTypeRefund:
			decision = "REJECT_REFUND"
		case pending && typ == ReturnTypeReplacement:
			decision = "REJECT_REPLACEMENT"
		case pending:
			decision = "REJECT_RETURN"
		case status == ReturnBuyerShipped:
			decision = "REJECT_RECEIVED_PACKAGE"
		case r.Status == channels.RMADeclined || r.Status == channels.RMADisputed:
			return nil, "", nil
		default:
			return refused("rejected")
		}
		b := &decisionBody{Decision: decision, RejectReason: d.Reason, Comment: d.Comment}
		for _, e := range d.Evidence {
			b.Images = append(b.Images, rejectImage{ImageID: e})
		}
		return b, ReturnRejectPath(d.ReturnID), nil
	case channels.DecideOffer:
		if status == ReturnAwaitingBuyer {
			return nil, "", nil
		}
		if !pending || typ == ReturnTypeReplacement {
			return refused("offered a partial refund")
		}
		cur := d.Currency
		if cur == "" {
			cur = r.Currency
		}
		if r.Currency != "" && !strings.EqualFold(cur, r.Currency) {
			return nil, "", channels.Refused("tiktokshop: offer on %s in %s, the return is in %s", d.ReturnID, cur, r.Currency)
		}
		exp, err := channels.Exponent(cur)
		if err != nil || d.OfferAmount <= 0 {
			return nil, "", channels.Refused("tiktokshop: offer on %s needs a positive amount in a currency (%v)", d.ReturnID, err)
		}
		return &decisionBody{Decision: "OFFER_PARTIAL_REFUND", PartialRefund: &partialRefund{Amount: decimalString(d.OfferAmount, exp), Currency: strings.ToUpper(cur)}},
			ReturnApprovePath(d.ReturnID), nil
	}
	return nil, "", channels.Refused("tiktokshop: unknown return decision %q", d.Action)
}

// decimalString writes minor units as TikTok's decimal string: 1250 with 2 digits is "12.50".
func decimalString(minor int64, exp int) string {
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	p := int64(1)
	for range exp {
		p *= 10
	}
	return fmt.Sprintf("%d.%0*d", minor/p, exp, minor%p)
}
