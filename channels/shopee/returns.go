package shopee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// The Returns API paths the client calls.
const (
	PathReturnList   = "/api/v2/returns/get_return_list"
	PathReturnDetail = "/api/v2/returns/get_return_detail"
	PathReturnAccept = "/api/v2/returns/confirm"
	PathReturnRefuse = "/api/v2/returns/dispute"
	PathReturnOffer  = "/api/v2/returns/offer"
)

// Keys of Return.Refs and ReturnDecision.Refs.
const (
	// RefEmail is the seller's email that dispute requires; without it the account's
	// Extra["email"] is sent.
	RefEmail = "email"
	// RefSolution is the return's return_solution (0 return and refund, 1 refund only), and the
	// proposed_solution an offer sends (default 1: a partial refund, the buyer keeps the goods).
	RefSolution = "return_solution"
	// RefNegotiation is the return's negotiation_status.
	RefNegotiation = "negotiation_status"
)

// maxReturnPage is get_return_list's page_size limit; maxDisputeImages how many images a dispute
// takes.
const (
	maxReturnPage    = 100
	maxDisputeImages = 3
)

var _ channels.Returns = (*Client)(nil)

// returnItem is one entry of a return's item list: a quantity (amount) of one model.
type returnItem struct {
	ItemID       text `json:"item_id"`
	ModelID      text `json:"model_id"`
	Name         text `json:"name"`
	ItemSKU      text `json:"item_sku"`
	VariationSKU text `json:"variation_sku"`
	Amount       text `json:"amount"`
	RefundAmount text `json:"refund_amount"`
}

// returnDetail is a return as get_return_detail (and each entry of get_return_list) has it.
type returnDetail struct {
	ReturnSN            text         `json:"return_sn"`
	OrderSN             text         `json:"order_sn"`
	Status              text         `json:"status"`
	Reason              text         `json:"reason"`
	TextReason          text         `json:"text_reason"`
	Image               []text       `json:"image"`
	RefundAmount        text         `json:"refund_amount"`
	Currency            text         `json:"currency"`
	CreateTime          text         `json:"create_time"`
	UpdateTime          text         `json:"update_time"`
	DueDate             text         `json:"due_date"`
	ReturnSellerDueDate text         `json:"return_seller_due_date"`
	TrackingNumber      text         `json:"tracking_number"`
	NeedsLogistics      flag         `json:"needs_logistics"`
	DisputeReason       text         `json:"dispute_reason"`
	Item                []returnItem `json:"item"`
	ReturnSolution      text         `json:"return_solution"`
	LogisticsStatus     text         `json:"logistics_status"`
	ReverseLogistics    text         `json:"reverse_logistic_status"`
	ChannelName         text         `json:"reverse_logistic_channel_name"`
	BuyerVideos         []struct {
		VideoURL text `json:"video_url"`
	} `json:"buyer_videos"`
	Negotiation *struct {
		Status text `json:"negotiation_status"`
	} `json:"negotiation"`
}

// returnStatus maps the return status values Shopee documents (the SDK's REQUESTED, PROCESSING,
// ACCEPTED, COMPLETED, CANCELLED and the data definition's JUDGING, SELLER_DISPUTE, CLOSED).
// PROCESSING is refined by normalize: in transit once the buyer shipped, received once the parcel
// was delivered back.
var returnStatus = map[string]channels.ReturnStatus{
	"REQUESTED":      channels.RMARequested,
	"PROCESSING":     channels.RMAApproved,
	"ACCEPTED":       channels.RMAApproved,
	"COMPLETED":      channels.RMARefunded,
	"CANCELLED":      channels.RMACancelled,
	"JUDGING":        channels.RMADisputed,
	"SELLER_DISPUTE": channels.RMADisputed,
	"CLOSED":         channels.RMADeclined,
}

// MapReturnStatus maps a return's status and, for PROCESSING, its reverse logistics: unknown
// values are channels.RMAOther.
func MapReturnStatus(status, logistics, tracking string) channels.ReturnStatus {
	s, ok := returnStatus[status]
	if !ok {
		return channels.RMAOther
	}
	if status == "PROCESSING" {
		switch {
		case strings.HasSuffix(logistics, "DELIVERY_DONE"):
			return channels.RMAReceived
		case tracking != "" || strings.HasSuffix(logistics, "PICKUP_DONE"):
			return channels.RMAInTransit
		}
	}
	return s
}

// NormalizeReturn turns one get_return_detail response object (or a whole answer) into Ordo's
// return. Money is Shopee's JSON float in the return's currency, rounded to minor units. Each line
// is an entry of item: its ListingID and LineID are "item_id:model_id" (a return does not name the
// order's line_item_id; Client.ReturnsByID and UpdatedReturns resolve it from the order), its SKU the
// variation_sku, else the item_sku. Deadline is return_seller_due_date, else due_date.
func NormalizeReturn(raw []byte) (channels.Return, error) {
	var probe struct {
		Error    text            `json:"error"`
		Message  text            `json:"message"`
		Response json.RawMessage `json:"response"`
	}
	if err := decode(raw, &probe); err != nil {
		return channels.Return{}, fmt.Errorf("shopee: return: %w", err)
	}
	if e := probe.Error.String(); e != "" && e != "-" { // the docs' sample answers "-" for no error
		return channels.Return{}, fmt.Errorf("shopee: return: %s: %s", probe.Error, probe.Message)
	}
	if len(probe.Response) > 0 {
		raw = probe.Response
	}
	var d returnDetail
	if err := decode(raw, &d); err != nil {
		return channels.Return{}, fmt.Errorf("shopee: return: %w", err)
	}
	return d.normalize()
}

func (d returnDetail) normalize() (channels.Return, error) {
	sn := d.ReturnSN.String()
	if sn == "" {
		return channels.Return{}, errors.New("shopee: return has no return_sn")
	}
	cur := strings.ToUpper(d.Currency.String())
	exp, err := 2, error(nil)
	if cur != "" {
		if exp, err = channels.Exponent(cur); err != nil {
			return channels.Return{}, fmt.Errorf("shopee: return %s: %w", sn, err)
		}
	}
	keep := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	m := func(s text) int64 {
		v, e := channels.RoundMinor(s.String(), exp)
		keep(e)
		return v
	}
	ts := func(s text) time.Time {
		v, e := unix(s)
		keep(e)
		return v
	}
	raw := d.Status.String()
	out := channels.Return{
		Kind:           channels.Shopee,
		ExternalID:     sn,
		OrderID:        d.OrderSN.String(),
		Status:         MapReturnStatus(raw, d.logistics(), d.TrackingNumber.String()),
		ChannelStatus:  raw,
		RefundOnly:     d.ReturnSolution.String() == "1" || !bool(d.NeedsLogistics) && d.ReturnSolution.String() == "",
		Reason:         d.Reason.String(),
		ReasonText:     d.TextReason.String(),
		Currency:       cur,
		RefundAmount:   m(d.RefundAmount),
		TrackingNumber: d.TrackingNumber.String(),
		Carrier:        d.ChannelName.String(),
		CreatedAt:      ts(d.CreateTime),
		UpdatedAt:      ts(d.UpdateTime),
		Refs:           map[string]string{},
	}
	if l := d.logistics(); l != "" {
		out.ChannelStatus += "/" + l
	}
	out.Refunded = out.Status == channels.RMARefunded
	if s := d.ReturnSolution.String(); s != "" {
		out.Refs[RefSolution] = s
	}
	if n := d.Negotiation; n != nil && n.Status != "" {
		out.Refs[RefNegotiation] = n.Status.String()
	}
	for _, img := range d.Image {
		if u := img.String(); u != "" {
			out.Evidence = append(out.Evidence, u)
		}
	}
	for _, v := range d.BuyerVideos {
		if u := v.VideoURL.String(); u != "" {
			out.Evidence = append(out.Evidence, u)
		}
	}
	due := ts(d.ReturnSellerDueDate)
	if due.IsZero() {
		due = ts(d.DueDate)
	}
	if !due.IsZero() {
		out.Deadline = &due
	}
	for _, it := range d.Item {
		q, qerr := it.Amount.Int()
		if qerr != nil || q < 0 {
			keep(fmt.Errorf("item %s amount %q", it.ItemID, it.Amount))
		}
		listing := ListingID(it.ItemID.String(), it.ModelID.String())
		sku := it.VariationSKU.String()
		if sku == "" {
			sku = it.ItemSKU.String()
		}
		out.Lines = append(out.Lines, channels.ReturnLine{
			LineID: listing, ListingID: listing, SKU: sku, Quantity: q, RefundAmount: m(it.RefundAmount),
		})
	}
	if err != nil {
		return channels.Return{}, fmt.Errorf("shopee: return %s: %w", sn, err)
	}
	return out, nil
}

// logistics is the return parcel's logistics status, under either of its names.
func (d returnDetail) logistics() string {
	if s := d.ReverseLogistics.String(); s != "" {
		return s
	}
	return d.LogisticsStatus.String()
}

// UpdatedReturns implements channels.Returns: get_return_list by update_time. Like get_order_list,
// the window is walked 15 days at a time [U: the returns docs say so for create_time]; the cursor
// is a Cursor whose Shopee part is the next page_no (pages count from 0 [U]). The list carries
// whole returns; their lines' LineIDs are resolved from the orders (see ReturnsByID).
func (c *Client) UpdatedReturns(ctx context.Context, pq channels.PullQuery) (channels.ReturnPage, error) {
	cur, to, later, size, done, err := c.pullWindow(pq, maxReturnPage)
	if err != nil || done {
		return channels.ReturnPage{}, err
	}
	pageNo := 0
	if cur.Shopee != "" {
		n, err := strconv.Atoi(cur.Shopee)
		if err != nil || n < 0 {
			return channels.ReturnPage{}, fmt.Errorf("shopee: cursor %q is not one of ours", pq.Cursor)
		}
		pageNo = n
	}
	// update_time_to is inclusive, and so is the next window's update_time_from: a return updated
	// in the boundary second is read twice rather than missed.
	raw, err := c.call(ctx, http.MethodGet, PathReturnList, neturl.Values{
		"page_no":          {strconv.Itoa(pageNo)},
		"page_size":        {strconv.Itoa(size)},
		"update_time_from": {strconv.FormatInt(cur.From.Unix(), 10)},
		"update_time_to":   {strconv.FormatInt(to.Unix(), 10)},
	}, nil)
	if err != nil {
		return channels.ReturnPage{}, err
	}
	var resp struct {
		More   flag           `json:"more"`
		Return []returnDetail `json:"return"`
	}
	if err := decode(raw, &resp); err != nil {
		return channels.ReturnPage{}, fmt.Errorf("shopee: get_return_list: %w", err)
	}
	out := make([]channels.Return, 0, len(resp.Return))
	for _, d := range resp.Return {
		r, err := d.normalize()
		if err != nil {
			return channels.ReturnPage{}, err
		}
		out = append(out, r)
	}
	if err := c.resolveLines(ctx, out); err != nil {
		return channels.ReturnPage{}, err
	}
	page := channels.ReturnPage{Returns: out}
	switch {
	case bool(resp.More) && len(resp.Return) > 0:
		page.Next = Cursor{From: cur.From, Shopee: strconv.Itoa(pageNo + 1)}.String()
	case later:
		page.Next = Cursor{From: to}.String()
	}
	return page, nil
}

// ReturnsByID implements channels.Returns: get_return_detail for each return_sn. A return Shopee
// does not know (an error code ending in not_found or not_exist) is left out.
func (c *Client) ReturnsByID(ctx context.Context, ids []string) ([]channels.Return, error) {
	var out []channels.Return
	for _, sn := range ids {
		r, found, err := c.returnDetail(ctx, sn)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, r)
		}
	}
	if err := c.resolveLines(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Client) returnDetail(ctx context.Context, sn string) (channels.Return, bool, error) {
	raw, err := c.call(ctx, http.MethodGet, PathReturnDetail, neturl.Values{"return_sn": {sn}}, nil)
	var ae *apiError
	if errors.As(err, &ae) && (strings.HasSuffix(ae.code, "not_found") || strings.HasSuffix(ae.code, "not_exist")) {
		return channels.Return{}, false, nil
	}
	if err != nil {
		return channels.Return{}, false, err
	}
	var d returnDetail
	if err := decode(raw, &d); err != nil {
		return channels.Return{}, false, fmt.Errorf("shopee: get_return_detail: %w", err)
	}
	r, err := d.normalize()
	return r, err == nil, err
}

// resolveLines sets each return line's LineID to the order line's as NormalizeOrder sets it (the
// line_item_id), read with get_order_detail: a return names only item and model. A model on
// several lines of the order (a bundle deal), or an order Shopee no longer has, keeps the
// "item_id:model_id" LineID, which matches the order line's ListingID.
func (c *Client) resolveLines(ctx context.Context, rs []channels.Return) error {
	var sns []string
	seen := map[string]bool{}
	for _, r := range rs {
		if r.OrderID != "" && len(r.Lines) > 0 && !seen[r.OrderID] {
			seen[r.OrderID] = true
			sns = append(sns, r.OrderID)
		}
	}
	if len(sns) == 0 {
		return nil
	}
	orders, err := c.Orders(ctx, sns)
	if err != nil {
		return err
	}
	lineOf := map[string]map[string]string{} // order_sn → listing → line id ("" when ambiguous)
	for _, o := range orders {
		m := map[string]string{}
		for _, l := range o.Lines {
			if _, dup := m[l.ListingID]; dup {
				m[l.ListingID] = ""
			} else {
				m[l.ListingID] = l.LineID
			}
		}
		lineOf[o.ExternalID] = m
	}
	for i := range rs {
		for j := range rs[i].Lines {
			l := &rs[i].Lines[j]
			if id := lineOf[rs[i].OrderID][l.ListingID]; id != "" {
				l.LineID = id
			}
		}
	}
	return nil
}

// DecideReturn implements channels.Returns. The return is read first (get_return_detail), so that
// a decision Shopee already has is not sent again:
//
//	APPROVE, RECEIVE  confirm {return_sn}: Shopee refunds the buyer. Shopee has no receipt step, so
//	                  RECEIVE confirms a return still open and is a no-op on an accepted one.
//	REFUSE            dispute {return_sn, email, dispute_reason (Shopee's numeric reason id, from
//	                  get_return_dispute_reason), dispute_text_reason, images (≤3 links)}
//	OFFER             offer {return_sn, proposed_solution (Refs["return_solution"], default 1:
//	                  refund only), proposed_adjusted_refund_amount} [U: the field types]
//
// A decision on a return in a state that cannot take it (cancelled, closed, or refused after an
// approval) is refused (channels.ErrRefused), as are Shopee's own error codes.
func (c *Client) DecideReturn(ctx context.Context, d channels.ReturnDecision) error {
	cur, found, err := c.returnDetail(ctx, d.ReturnID)
	if err != nil {
		return err
	}
	if !found {
		return channels.Refused("shopee: no return %s", d.ReturnID)
	}
	raw := strings.SplitN(cur.ChannelStatus, "/", 2)[0]
	switch d.Action {
	case channels.DecideApprove, channels.DecideReceive:
		switch raw {
		case "ACCEPTED", "COMPLETED":
			return nil
		case "REQUESTED", "PROCESSING":
		default:
			return channels.Refused("shopee: return %s is %s and cannot be confirmed", d.ReturnID, raw)
		}
		_, err := c.call(ctx, http.MethodPost, PathReturnAccept, nil, map[string]string{"return_sn": d.ReturnID})
		return err
	case channels.DecideRefuse:
		switch raw {
		case "SELLER_DISPUTE", "JUDGING":
			return nil
		case "REQUESTED", "PROCESSING":
		default:
			return channels.Refused("shopee: return %s is %s and cannot be disputed", d.ReturnID, raw)
		}
		body, err := c.dispute(d)
		if err != nil {
			return err
		}
		_, err = c.call(ctx, http.MethodPost, PathReturnRefuse, nil, body)
		return err
	case channels.DecideOffer:
		if raw != "REQUESTED" && raw != "PROCESSING" {
			return channels.Refused("shopee: return %s is %s and takes no offer", d.ReturnID, raw)
		}
		body, err := offer(d, cur.Currency)
		if err != nil {
			return err
		}
		_, err = c.call(ctx, http.MethodPost, PathReturnOffer, nil, body)
		return err
	}
	return channels.Refused("shopee: unknown return decision %q", d.Action)
}

// disputeBody is the body of dispute.
type disputeBody struct {
	ReturnSN          string   `json:"return_sn"`
	Email             string   `json:"email"`
	DisputeReason     int64    `json:"dispute_reason"`
	DisputeTextReason string   `json:"dispute_text_reason,omitempty"`
	Images            []string `json:"images,omitempty"`
}

func (c *Client) dispute(d channels.ReturnDecision) (disputeBody, error) {
	reason, err := strconv.ParseInt(strings.TrimSpace(d.Reason), 10, 64)
	if err != nil || reason <= 0 {
		return disputeBody{}, channels.Refused("shopee: dispute of %s: the reason %q is not one of Shopee's dispute reason ids", d.ReturnID, d.Reason)
	}
	email := d.Refs[RefEmail]
	if email == "" {
		email = c.account.Extra[RefEmail]
	}
	if email == "" {
		return disputeBody{}, channels.Refused("shopee: dispute of %s needs the seller's email (Refs or Extra %q)", d.ReturnID, RefEmail)
	}
	if len(d.Evidence) > maxDisputeImages {
		return disputeBody{}, channels.Refused("shopee: dispute of %s: %d images, Shopee takes %d", d.ReturnID, len(d.Evidence), maxDisputeImages)
	}
	return disputeBody{ReturnSN: d.ReturnID, Email: email, DisputeReason: reason, DisputeTextReason: d.Comment, Images: d.Evidence}, nil
}

// offerBody is the body of offer.
type offerBody struct {
	ReturnSN       string      `json:"return_sn"`
	Solution       int64       `json:"proposed_solution"`
	AdjustedRefund json.Number `json:"proposed_adjusted_refund_amount"`
}

func offer(d channels.ReturnDecision, currency string) (offerBody, error) {
	cur := currency
	if d.Currency != "" {
		cur = d.Currency
	}
	if currency != "" && d.Currency != "" && !strings.EqualFold(currency, d.Currency) {
		return offerBody{}, channels.Refused("shopee: offer on %s in %s, the return is in %s", d.ReturnID, d.Currency, currency)
	}
	exp, err := channels.Exponent(cur)
	if err != nil {
		return offerBody{}, channels.Refused("shopee: offer on %s: %v", d.ReturnID, err)
	}
	if d.OfferAmount <= 0 {
		return offerBody{}, channels.Refused("shopee: offer on %s needs a positive amount", d.ReturnID)
	}
	solution := int64(1)
	if s := d.Refs[RefSolution]; s != "" {
		if solution, err = strconv.ParseInt(s, 10, 64); err != nil {
			return offerBody{}, channels.Refused("shopee: offer on %s: proposed_solution %q", d.ReturnID, s)
		}
	}
	return offerBody{ReturnSN: d.ReturnID, Solution: solution, AdjustedRefund: json.Number(majorUnits(d.OfferAmount, exp))}, nil
}

// majorUnits writes minor units as a decimal in the currency's major unit: 1250 → "12.5".
func majorUnits(minor int64, exp int) string {
	s := strconv.FormatInt(minor, 10)
	if exp == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= exp {
		s = "0" + s
	}
	out := s[:len(s)-exp] + "." + s[len(s)-exp:]
	out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	if neg {
		out = "-" + out
	}
	return out
}
