package marketsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/shopify"
)

// Shopify returns in the simulator. A customer's return request is opened with OpenShopifyReturn;
// the Admin GraphQL endpoint (POST /admin/api/{version}/graphql.json, the store's access token)
// serves returns and takes the merchant's decisions, moving the return as Shopify does:
//
//	REQUESTED -returnApproveRequest-> OPEN -returnProcess (every line, whole)-> CLOSED
//	REQUESTED -returnDeclineRequest-> DECLINED;  CancelShopifyReturn: REQUESTED or OPEN -> CANCELED
//
// returnProcess takes partial quantities (a return closes once every line is processed) and issues
// no refund unless its input carries financialTransfer; RefundShopifyReturn records the refund a
// merchant issues for a return (from the admin or a payment app) and sends refunds/create. Every
// change sends the returns/* webhook (request, approve, decline, process, close, cancel), signed as
// the orders' are, and touches the order's updated_at.
//
// Where the simulator is simpler than Shopify: it does not parse GraphQL. It recognizes an
// operation by its root field (nodes(ids:), orders(…), returnApproveRequest, returnDeclineRequest,
// returnProcess) and answers every field Ordo's connector selects, whatever the selection; orders'
// query filter understands updated_at:>='…' and updated_at:<'…' only, and the cursor is an offset.

// ShopifyReturnLine is one line of a simulated return.
type ShopifyReturnLine struct {
	ID        string // the ReturnLineItem's numeric id
	LineID    string // the order line's id
	Listing   Listing
	Quantity  int64
	Processed int64
	Amount    int64 // the quantity's discounted total, minor units
	Reason    string
	Note      string
}

// ShopifyRefund is a refund recorded on a return.
type ShopifyRefund struct {
	ID     string
	Amount int64
	At     time.Time
}

// ShopifyReturn is a simulated return.
type ShopifyReturn struct {
	ID, OrderID, Name string
	Status            string // REQUESTED, OPEN, DECLINED, CANCELED, CLOSED
	Lines             []ShopifyReturnLine
	DeclineReason     string
	DeclineNote       string
	Refunds           []ShopifyRefund
	Created, Closed   time.Time
	Tracking, Carrier string
	// Decisions are the mutations the store received for the return, taken or refused.
	Decisions []ShopifyDecision
}

// GID is the return's Admin GraphQL id, the ExternalID Ordo keeps.
func (r *ShopifyReturn) GID() string { return "gid://shopify/Return/" + r.ID }

// ShopifyDecision is one mutation a store received.
type ShopifyDecision struct {
	At       time.Time
	Mutation string // returnApproveRequest, returnDeclineRequest, returnProcess
	Input    map[string]any
	// UserErrors are the messages Shopify answered; empty when it took the mutation.
	UserErrors []string
}

// ShopifyReturnSpec is a customer's return request.
type ShopifyReturnSpec struct {
	OrderID string
	// Lines are the order lines and quantities to return; empty: every line, whole.
	Lines []ShopifyReturnSpecLine
	// Reason is a ReturnReason (SIZE_TOO_SMALL, DEFECTIVE…; default OTHER), Note the customer's.
	Reason, Note string
	// Tracking and Carrier are the return parcel's, shown on the reverse delivery.
	Tracking, Carrier string
}

// ShopifyReturnSpecLine asks to return a quantity of an order line.
type ShopifyReturnSpecLine struct {
	LineID   string
	Quantity int64
}

func (r *ShopifyReturn) clone() *ShopifyReturn {
	c := *r
	c.Lines = append([]ShopifyReturnLine(nil), r.Lines...)
	c.Refunds = append([]ShopifyRefund(nil), r.Refunds...)
	c.Decisions = append([]ShopifyDecision(nil), r.Decisions...)
	return &c
}

// OpenShopifyReturn opens a customer's return request (REQUESTED) on a paid order that is not
// cancelled and sends returns/request.
func (sh *Shop) OpenShopifyReturn(spec ShopifyReturnSpec) (*ShopifyReturn, error) {
	if sh.cfg.Kind != channels.Shopify {
		return nil, fmt.Errorf("marketsim: %s is not a Shopify shop", sh.cfg.ShopID)
	}
	sh.mu.Lock()
	o := sh.orders[spec.OrderID]
	if o == nil || o.Status == Unpaid || o.Status == Cancelled {
		sh.mu.Unlock()
		return nil, fmt.Errorf("marketsim: no paid order %s to return", spec.OrderID)
	}
	want := spec.Lines
	if len(want) == 0 {
		for _, l := range o.Lines {
			want = append(want, ShopifyReturnSpecLine{LineID: l.ID, Quantity: l.Quantity})
		}
	}
	n := len(sh.shopifyRets) + 1
	now := sh.sim.now()
	r := &ShopifyReturn{ID: strconv.Itoa(945000960 + n), OrderID: o.ID, Status: "REQUESTED", Created: now, Tracking: spec.Tracking, Carrier: spec.Carrier}
	r.Name = fmt.Sprintf("#%s-R%d", o.Number, 1+sh.shopifyReturnsOf(o.ID))
	for i, w := range want {
		j := slices.IndexFunc(o.Lines, func(l Line) bool { return l.ID == w.LineID })
		if j < 0 || w.Quantity <= 0 {
			sh.mu.Unlock()
			return nil, fmt.Errorf("marketsim: order %s has no line %s to return %d of", o.ID, w.LineID, w.Quantity)
		}
		l := o.Lines[j]
		if left := l.Quantity - sh.shopifyReturned(o.ID, l.ID); w.Quantity > left {
			sh.mu.Unlock()
			return nil, fmt.Errorf("marketsim: line %s has %d returnable, not %d", l.ID, left, w.Quantity)
		}
		r.Lines = append(r.Lines, ShopifyReturnLine{
			ID: fmt.Sprintf("%d%02d", 677614600+n, i+1), LineID: l.ID, Listing: l.Listing, Quantity: w.Quantity,
			Amount: l.UnitPrice*w.Quantity - l.Discount*w.Quantity/l.Quantity, Reason: orDefault(spec.Reason, "OTHER"), Note: spec.Note,
		})
	}
	sh.shopifyRets = append(sh.shopifyRets, r)
	sh.touchShopifyOrder(o.ID)
	snap := r.clone()
	sh.mu.Unlock()
	sh.shopifyReturnWebhook("returns/request", snap)
	return snap, nil
}

// shopifyReturnsOf counts an order's returns. The caller holds sh.mu.
func (sh *Shop) shopifyReturnsOf(orderID string) int {
	n := 0
	for _, r := range sh.shopifyRets {
		if r.OrderID == orderID {
			n++
		}
	}
	return n
}

// shopifyReturned is how much of an order line is on returns not declined or cancelled. The caller
// holds sh.mu.
func (sh *Shop) shopifyReturned(orderID, lineID string) int64 {
	var q int64
	for _, r := range sh.shopifyRets {
		if r.OrderID != orderID || r.Status == "DECLINED" || r.Status == "CANCELED" {
			continue
		}
		for _, l := range r.Lines {
			if l.LineID == lineID {
				q += l.Quantity
			}
		}
	}
	return q
}

// touchShopifyOrder stamps an order updated, as a change of its returns does. The caller holds sh.mu.
func (sh *Shop) touchShopifyOrder(orderID string) {
	if o := sh.orders[orderID]; o != nil {
		sh.touch(o, o.Status)
	}
}

// ShopifyReturns returns copies of the store's returns, oldest first.
func (sh *Shop) ShopifyReturns() []*ShopifyReturn {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]*ShopifyReturn, len(sh.shopifyRets))
	for i, r := range sh.shopifyRets {
		out[i] = r.clone()
	}
	return out
}

// ShopifyReturn returns a copy of a return by its numeric id or gid.
func (sh *Shop) ShopifyReturn(id string) (*ShopifyReturn, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if r := sh.shopifyReturn(id); r != nil {
		return r.clone(), true
	}
	return nil, false
}

// shopifyReturn finds a return by numeric id or gid. The caller holds sh.mu.
func (sh *Shop) shopifyReturn(id string) *ShopifyReturn {
	id = strings.TrimPrefix(id, "gid://shopify/Return/")
	for _, r := range sh.shopifyRets {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// CancelShopifyReturn is the customer or the merchant cancelling a return not yet closed: CANCELED,
// returns/cancel.
func (sh *Shop) CancelShopifyReturn(id string) error {
	sh.mu.Lock()
	r := sh.shopifyReturn(id)
	if r == nil || (r.Status != "REQUESTED" && r.Status != "OPEN") {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: no return %s to cancel", id)
	}
	r.Status = "CANCELED"
	sh.touchShopifyOrder(r.OrderID)
	snap := r.clone()
	sh.mu.Unlock()
	sh.shopifyReturnWebhook("returns/cancel", snap)
	return nil
}

// RefundShopifyReturn records a refund of amount (minor units; 0: the lines' total) for a return, as
// a merchant issues it, and sends refunds/create naming the order and the return.
func (sh *Shop) RefundShopifyReturn(id string, amount int64) (ShopifyRefund, error) {
	sh.mu.Lock()
	r := sh.shopifyReturn(id)
	if r == nil || r.Status == "DECLINED" || r.Status == "CANCELED" {
		sh.mu.Unlock()
		return ShopifyRefund{}, fmt.Errorf("marketsim: no return %s to refund", id)
	}
	rf := sh.addShopifyRefund(r, amount)
	snap := r.clone()
	url := sh.cfg.WebhookURL
	sh.mu.Unlock()
	if url != "" {
		rid, _ := strconv.ParseInt(rf.ID, 10, 64)
		oid, _ := strconv.ParseInt(snap.OrderID, 10, 64)
		retID, _ := strconv.ParseInt(snap.ID, 10, 64)
		body, _ := json.Marshal(map[string]any{
			"id": rid, "admin_graphql_api_id": "gid://shopify/Refund/" + rf.ID, "order_id": oid,
			"created_at": rf.At.In(zone).Format(time.RFC3339), "note": nil, "restock": false,
			"return":       map[string]any{"id": retID, "admin_graphql_api_id": snap.GID()},
			"transactions": []map[string]any{{"kind": "refund", "status": "success", "amount": decimal(rf.Amount, sh.cfg.Currency), "currency": sh.cfg.Currency}},
		})
		sh.deliver(&Delivery{URL: url, Header: sh.shopifyHeaders("refunds/create", body, rf.At), Body: body, ReturnID: snap.GID()})
	}
	return rf, nil
}

// addShopifyRefund records a refund on r. The caller holds sh.mu.
func (sh *Shop) addShopifyRefund(r *ShopifyReturn, amount int64) ShopifyRefund {
	if amount <= 0 {
		for _, l := range r.Lines {
			amount += l.Amount
		}
	}
	rf := ShopifyRefund{ID: fmt.Sprintf("9293614%02d%d", len(r.Refunds)+1, len(sh.shopifyRets)), Amount: amount, At: sh.sim.now()}
	r.Refunds = append(r.Refunds, rf)
	sh.touchShopifyOrder(r.OrderID)
	return rf
}

// shopifyHeaders are the headers of a webhook of topic, signed over body.
func (sh *Shop) shopifyHeaders(topic string, body []byte, at time.Time) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(shopify.HeaderTopic, topic)
	h.Set(shopify.HeaderShopDomain, sh.cfg.ShopID)
	h.Set(shopify.HeaderAPIVersion, shopify.APIVersion)
	h.Set(shopify.HeaderWebhookID, fmt.Sprintf("b54557e4-bdd9-4b37-8a5f-%012d", sh.nextDeliverySeq()))
	h.Set("X-Shopify-Triggered-At", at.Format(time.RFC3339Nano))
	h.Set(shopify.HeaderHMAC, shopify.Sign(sh.cfg.Credentials.AppSecret, body))
	return h
}

// shopifyReturnWebhook sends a returns/* webhook in the shape of Shopify's returns/decline sample.
func (sh *Shop) shopifyReturnWebhook(topic string, r *ShopifyReturn) {
	sh.mu.Lock()
	url := sh.cfg.WebhookURL
	sh.mu.Unlock()
	if url == "" {
		return
	}
	id, _ := strconv.ParseInt(r.ID, 10, 64)
	oid, _ := strconv.ParseInt(r.OrderID, 10, 64)
	var decline any
	if r.Status == "DECLINED" {
		decline = map[string]any{"reason": strings.ToLower(r.DeclineReason), "note": r.DeclineNote}
	}
	body, _ := json.Marshal(map[string]any{
		"id": id, "admin_graphql_api_id": r.GID(), "status": strings.ToLower(r.Status),
		"order": map[string]any{"id": oid, "admin_graphql_api_id": "gid://shopify/Order/" + r.OrderID}, "decline": decline,
	})
	sh.deliver(&Delivery{URL: url, Header: sh.shopifyHeaders(topic, body, sh.sim.now()), Body: body, ReturnID: r.GID()})
}

// renderShopifyReturn writes a return as the connector's GraphQL fragment reads it. The caller holds
// sh.mu.
func (sh *Shop) renderShopifyReturn(r *ShopifyReturn) map[string]any {
	cur := sh.cfg.Currency
	set := func(v int64) map[string]any {
		return map[string]any{"shopMoney": map[string]any{"amount": decimal(v, cur), "currencyCode": cur}}
	}
	ts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	lines := make([]map[string]any, len(r.Lines))
	for i, l := range r.Lines {
		var variant any
		if l.Listing.ID != "" {
			variant = map[string]any{"id": "gid://shopify/ProductVariant/" + l.Listing.ID}
		}
		lines[i] = map[string]any{
			"id": "gid://shopify/ReturnLineItem/" + l.ID, "quantity": l.Quantity, "processedQuantity": l.Processed, "returnReason": l.Reason,
			"returnReasonNote": l.Note, "customerNote": nil, "withCodeDiscountedTotalPriceSet": set(l.Amount),
			"fulfillmentLineItem": map[string]any{"lineItem": map[string]any{"id": "gid://shopify/LineItem/" + l.LineID, "sku": l.Listing.ChannelSKU(), "variant": variant}},
		}
	}
	rfos := []any{}
	if r.Status != "REQUESTED" && r.Status != "DECLINED" {
		rfoStatus := map[string]string{"OPEN": "OPEN", "CLOSED": "CLOSED", "CANCELED": "CANCELED"}[r.Status]
		deliveries := []any{}
		if r.Tracking != "" {
			deliveries = append(deliveries, map[string]any{"deliverable": map[string]any{"tracking": map[string]any{"number": r.Tracking, "carrierName": r.Carrier}}})
		}
		rfos = append(rfos, map[string]any{"id": "gid://shopify/ReverseFulfillmentOrder/" + r.ID, "status": rfoStatus, "reverseDeliveries": map[string]any{"nodes": deliveries}})
	}
	refunds := []any{}
	for _, rf := range r.Refunds {
		refunds = append(refunds, map[string]any{"id": "gid://shopify/Refund/" + rf.ID, "createdAt": ts(rf.At), "totalRefundedSet": set(rf.Amount)})
	}
	var decline any
	if r.Status == "DECLINED" {
		decline = map[string]any{"reason": r.DeclineReason, "note": r.DeclineNote}
	}
	return map[string]any{
		"id": r.GID(), "name": r.Name, "status": r.Status, "createdAt": ts(r.Created), "closedAt": ts(r.Closed),
		"order": map[string]any{"id": "gid://shopify/Order/" + r.OrderID}, "decline": decline,
		"returnLineItems":          map[string]any{"nodes": lines},
		"reverseFulfillmentOrders": map[string]any{"nodes": rfos},
		"refunds":                  map[string]any{"nodes": refunds},
	}
}

// rootField finds which root field an operation selects.
var rootField = regexp.MustCompile(`\b(returnApproveRequest|returnDeclineRequest|returnProcess|nodes|orders)\s*\(`)

// graphql answers POST graphql.json for the operations on returns.
func (f shopifyFace) graphql(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]any{{"message": "Invalid JSON"}}})
		return
	}
	m := rootField.FindStringSubmatch(in.Query)
	if m == nil {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": "marketsim: unsupported operation"}}})
		return
	}
	var data any
	var errMsg string
	switch m[1] {
	case "nodes":
		data, errMsg = f.gqlNodes(sh, in.Variables)
	case "orders":
		data, errMsg = f.gqlOrders(sh, in.Variables)
	default:
		data, errMsg = f.gqlDecide(sh, m[1], in.Variables)
	}
	if errMsg != "" {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": errMsg}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": 10}}})
}

// gqlNodes answers nodes(ids:): each Return id known, null for the others.
func (shopifyFace) gqlNodes(sh *Shop, raw json.RawMessage) (any, string) {
	var v struct {
		IDs []string `json:"ids"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, "Variable $ids of type [ID!]! was provided invalid value"
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	nodes := make([]any, len(v.IDs))
	for i, id := range v.IDs {
		if !strings.HasPrefix(id, "gid://shopify/Return/") {
			continue
		}
		if r := sh.shopifyReturn(id); r != nil {
			nodes[i] = sh.renderShopifyReturn(r)
		}
	}
	return map[string]any{"nodes": nodes}, ""
}

var (
	updatedMin = regexp.MustCompile(`updated_at:>='?([^' ]+)'?`)
	updatedMax = regexp.MustCompile(`updated_at:<'?([^' ]+)'?`)
)

// gqlOrders answers orders(first, after, query, sortKey: UPDATED_AT) with each order's returns.
func (shopifyFace) gqlOrders(sh *Shop, raw json.RawMessage) (any, string) {
	var v struct {
		First int    `json:"first"`
		After string `json:"after"`
		Query string `json:"query"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.First < 1 || v.First > 250 {
		return nil, "orders: first must be between 1 and 250"
	}
	var minT, maxT time.Time
	if m := updatedMin.FindStringSubmatch(v.Query); m != nil {
		minT, _ = time.Parse(time.RFC3339, m[1])
	}
	if m := updatedMax.FindStringSubmatch(v.Query); m != nil {
		maxT, _ = time.Parse(time.RFC3339, m[1])
	}
	offset := 0
	if v.After != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v.After, "offset:"))
		if err != nil {
			return nil, "Invalid cursor for current pagination"
		}
		offset = n
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	page, next := sh.listPage(func(o *Order) bool {
		return (minT.IsZero() || !o.UpdatedAt.Before(minT)) && (maxT.IsZero() || o.UpdatedAt.Before(maxT))
	}, offset, v.First)
	nodes := make([]any, len(page))
	for i, o := range page {
		rets := []any{}
		for _, r := range sh.shopifyRets {
			if r.OrderID == o.ID {
				rets = append(rets, sh.renderShopifyReturn(r))
			}
		}
		nodes[i] = map[string]any{"id": "gid://shopify/Order/" + o.ID, "returns": map[string]any{"nodes": rets}}
	}
	info := map[string]any{"hasNextPage": next >= 0, "endCursor": nil}
	if next >= 0 {
		info["endCursor"] = "offset:" + strconv.Itoa(next)
	}
	return map[string]any{"orders": map[string]any{"pageInfo": info, "nodes": nodes}}, ""
}

// declineReasons are Shopify's ReturnDeclineReason values.
var declineReasons = []string{"RETURN_PERIOD_ENDED", "FINAL_SALE", "OTHER"}

// gqlDecide runs a return mutation: it records it, refuses with userErrors as Shopify does, or moves
// the return and sends its webhook.
func (shopifyFace) gqlDecide(sh *Shop, field string, raw json.RawMessage) (any, string) {
	var v struct {
		Input map[string]any `json:"input"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.Input == nil {
		return nil, "Variable $input was provided invalid value"
	}
	id, _ := v.Input["id"].(string)
	if field == "returnProcess" {
		id, _ = v.Input["returnId"].(string)
	}
	sh.mu.Lock()
	r := sh.shopifyReturn(id)
	if r == nil {
		sh.mu.Unlock()
		return map[string]any{field: map[string]any{"return": nil, "userErrors": []any{map[string]any{"field": []string{"input", "id"}, "message": "Return does not exist."}}}}, ""
	}
	d := ShopifyDecision{At: sh.sim.now(), Mutation: field, Input: v.Input}
	var topics []string
	var userErr string
	switch field {
	case "returnApproveRequest":
		if r.Status != "REQUESTED" {
			userErr = "Return is not approvable. Only returns with status REQUESTED can be approved."
			break
		}
		r.Status, topics = "OPEN", []string{"returns/approve"}
	case "returnDeclineRequest":
		reason, _ := v.Input["declineReason"].(string)
		note, _ := v.Input["declineNote"].(string)
		switch {
		case r.Status != "REQUESTED":
			userErr = "Return is not declinable. Only non-refunded returns with status REQUESTED can be declined."
		case !slices.Contains(declineReasons, reason):
			userErr = "Decline reason is invalid."
		case len([]rune(note)) > 500:
			userErr = "Decline note is too long (maximum is 500 characters)."
		default:
			r.Status, r.DeclineReason, r.DeclineNote, topics = "DECLINED", reason, note, []string{"returns/decline"}
		}
	case "returnProcess":
		topics, userErr = sh.processShopifyReturn(r, v.Input)
	}
	if userErr != "" {
		d.UserErrors = []string{userErr}
	} else {
		sh.touchShopifyOrder(r.OrderID)
	}
	r.Decisions = append(r.Decisions, d)
	snap := r.clone()
	answer := map[string]any{"return": map[string]any{"id": snap.GID(), "status": snap.Status}, "userErrors": []any{}}
	if userErr != "" {
		answer = map[string]any{"return": nil, "userErrors": []any{map[string]any{"field": []string{"input"}, "message": userErr}}}
	}
	sh.mu.Unlock()
	for _, t := range topics {
		sh.shopifyReturnWebhook(t, snap)
	}
	return map[string]any{field: answer}, ""
}

// processShopifyReturn applies returnProcess's returnLineItems to an OPEN return: each line's
// quantity is processed (no more than is left); once all are, the return closes. A financialTransfer
// in the input records a refund of the processed lines' amount. It returns the webhook topics to send
// or a user error. The caller holds sh.mu.
func (sh *Shop) processShopifyReturn(r *ShopifyReturn, input map[string]any) ([]string, string) {
	if r.Status != "OPEN" {
		return nil, "Return is not processable. Only returns with status OPEN can be processed."
	}
	items, _ := input["returnLineItems"].([]any)
	if len(items) == 0 {
		return nil, "Return line items must be present."
	}
	type step struct {
		i int
		q int64
	}
	var steps []step
	for _, it := range items {
		m, _ := it.(map[string]any)
		id, _ := m["id"].(string)
		q, _ := m["quantity"].(float64)
		i := slices.IndexFunc(r.Lines, func(l ShopifyReturnLine) bool { return "gid://shopify/ReturnLineItem/"+l.ID == id })
		if i < 0 {
			return nil, "Return line item does not exist."
		}
		if q < 1 || int64(q) > r.Lines[i].Quantity-r.Lines[i].Processed {
			return nil, "Quantity cannot be greater than the unprocessed quantity."
		}
		steps = append(steps, step{i, int64(q)})
	}
	var amount int64
	for _, s := range steps {
		l := &r.Lines[s.i]
		l.Processed += s.q
		amount += l.Amount * s.q / l.Quantity
	}
	topics := []string{"returns/process"}
	if _, ok := input["financialTransfer"]; ok && amount > 0 {
		sh.addShopifyRefund(r, amount)
	}
	if !slices.ContainsFunc(r.Lines, func(l ShopifyReturnLine) bool { return l.Processed < l.Quantity }) {
		r.Status, r.Closed = "CLOSED", sh.sim.now()
		topics = append(topics, "returns/close")
	}
	return topics, ""
}
