package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ordo-oms/ordo/channels"
)

// Returns go through the Admin GraphQL API (POST /admin/api/{version}/graphql.json); REST has no
// returns. Every operation is named, so that a log (and the simulator) tells them apart:
//
//	OrdoReturns          nodes(ids:) … on Return                           (ReturnsByID)
//	OrdoUpdatedReturns   orders(query: "updated_at:>=…", sortKey: UPDATED_AT) { returns } (UpdatedReturns)
//	OrdoReturnApprove    returnApproveRequest(input: {id})                  (APPROVE)
//	OrdoReturnDecline    returnDeclineRequest(input: {id, declineReason, declineNote}) (REFUSE)
//	OrdoReturnProcess    returnProcess(input: {returnId, returnLineItems: [{id, quantity}]}) (RECEIVE)
var _ channels.Returns = (*Client)(nil)

// returnFields are the Return fields Ordo reads.
const returnFields = `fragment OrdoReturn on Return {
  id name status createdAt closedAt
  order { id }
  decline { reason note }
  returnLineItems(first: 50) { nodes { id quantity ... on ReturnLineItem {
    processedQuantity returnReason returnReasonNote customerNote
    withCodeDiscountedTotalPriceSet { shopMoney { amount currencyCode } }
    fulfillmentLineItem { lineItem { id sku variant { id } } } } } }
  reverseFulfillmentOrders(first: 10) { nodes { id status
    reverseDeliveries(first: 5) { nodes { deliverable { ... on ReverseDeliveryShippingDeliverable { tracking { number carrierName } } } } } } }
  refunds(first: 10) { nodes { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } } }
}`

// Operations.
const (
	queryReturns = `query OrdoReturns($ids: [ID!]!) { nodes(ids: $ids) { ... on Return { ...OrdoReturn } } }
` + returnFields
	queryUpdatedReturns = `query OrdoUpdatedReturns($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id returns(first: 20) { nodes { ...OrdoReturn } } } } }
` + returnFields
	mutationApprove = `mutation OrdoReturnApprove($input: ReturnApproveRequestInput!) {
  returnApproveRequest(input: $input) { return { id status } userErrors { field message } } }`
	mutationDecline = `mutation OrdoReturnDecline($input: ReturnDeclineRequestInput!) {
  returnDeclineRequest(input: $input) { return { id status } userErrors { field message } } }`
	mutationProcess = `mutation OrdoReturnProcess($input: ReturnProcessInput!) {
  returnProcess(input: $input) { return { id status } userErrors { field message } } }`
)

// money is a MoneyV2.
type money struct {
	Amount       text `json:"amount"`
	CurrencyCode text `json:"currencyCode"`
}

// gqlReturn is a Return as returnFields reads it.
type gqlReturn struct {
	ID        text `json:"id"`
	Name      text `json:"name"`
	Status    text `json:"status"`
	CreatedAt text `json:"createdAt"`
	ClosedAt  text `json:"closedAt"`
	Order     *struct {
		ID text `json:"id"`
	} `json:"order"`
	Decline *struct {
		Reason text `json:"reason"`
		Note   text `json:"note"`
	} `json:"decline"`
	ReturnLineItems struct {
		Nodes []struct {
			ID               text `json:"id"`
			Quantity         text `json:"quantity"`
			Processed        text `json:"processedQuantity"`
			ReturnReason     text `json:"returnReason"`
			ReturnReasonNote text `json:"returnReasonNote"`
			CustomerNote     text `json:"customerNote"`
			Total            *struct {
				ShopMoney money `json:"shopMoney"`
			} `json:"withCodeDiscountedTotalPriceSet"`
			FulfillmentLineItem *struct {
				LineItem *struct {
					ID      text `json:"id"`
					SKU     text `json:"sku"`
					Variant *struct {
						ID text `json:"id"`
					} `json:"variant"`
				} `json:"lineItem"`
			} `json:"fulfillmentLineItem"`
		} `json:"nodes"`
	} `json:"returnLineItems"`
	ReverseFulfillmentOrders struct {
		Nodes []struct {
			ID                text `json:"id"`
			Status            text `json:"status"`
			ReverseDeliveries struct {
				Nodes []struct {
					Deliverable *struct {
						Tracking *struct {
							Number      text `json:"number"`
							CarrierName text `json:"carrierName"`
						} `json:"tracking"`
					} `json:"deliverable"`
				} `json:"nodes"`
			} `json:"reverseDeliveries"`
		} `json:"nodes"`
	} `json:"reverseFulfillmentOrders"`
	Refunds struct {
		Nodes []struct {
			ID        text `json:"id"`
			CreatedAt text `json:"createdAt"`
			Total     *struct {
				ShopMoney money `json:"shopMoney"`
			} `json:"totalRefundedSet"`
		} `json:"nodes"`
	} `json:"refunds"`
}

// returnStatuses maps ReturnStatus; CLOSED is refined by the return's refunds (normalizeReturn).
var returnStatuses = map[string]channels.ReturnStatus{
	"REQUESTED": channels.RMARequested,
	"OPEN":      channels.RMAApproved,
	"CLOSED":    channels.RMAReceived,
	"DECLINED":  channels.RMADeclined,
	"CANCELED":  channels.RMACancelled,
}

// ReturnStatus maps a Return's status (GraphQL's upper case or the webhooks' lower case): CLOSED
// is RMARefunded when the return has a refund (refunded), else RMAReceived; unknown values are
// RMAOther.
func ReturnStatus(raw string, refunded bool) channels.ReturnStatus {
	s, ok := returnStatuses[strings.ToUpper(strings.TrimSpace(raw))]
	switch {
	case !ok:
		return channels.RMAOther
	case s == channels.RMAReceived && refunded:
		return channels.RMARefunded
	}
	return s
}

// NormalizeReturn turns a GraphQL Return (as returnFields reads it, JSON) into a channels.Return.
func NormalizeReturn(raw []byte) (channels.Return, error) {
	var r gqlReturn
	if err := decode(raw, &r); err != nil {
		return channels.Return{}, fmt.Errorf("shopify: return: %w", err)
	}
	return normalizeReturn(r)
}

// normalizeReturn: ExternalID is the Return's gid, OrderID the order's numeric id (as orders'
// ExternalID). Each return line item is a line: LineID the order line item's numeric id,
// ListingID its variant's, ReturnLineIDs the ReturnLineItem gid, RefundAmount its discounted total.
// RefundAmount is what the return's refunds refunded, else the lines' total; Refunded and RefundID
// (the latest refund's gid) are set when it has refunds. Refs: "name" (#1001-R1), the reverse
// fulfillment orders' gids ("reverse_fulfillment_orders", comma-separated), and the decline
// reason and note.
func normalizeReturn(r gqlReturn) (channels.Return, error) {
	gid := string(r.ID)
	if !strings.HasPrefix(gid, "gid://shopify/Return/") {
		return channels.Return{}, fmt.Errorf("shopify: return id %q is not a Return gid", gid)
	}
	out := channels.Return{Kind: channels.Shopify, ExternalID: gid, ChannelStatus: strings.ToUpper(r.Status.String()), Refs: map[string]string{}}
	if r.Order != nil {
		out.OrderID = id("", r.Order.ID)
	}
	if n := r.Name.String(); n != "" {
		out.Refs["name"] = n
	}
	var currency string
	amount := func(field string, m money) (int64, error) {
		cur := strings.ToUpper(m.CurrencyCode.String())
		if cur == "" {
			cur = currency
		}
		if currency == "" {
			currency = cur
		} else if cur != currency {
			return 0, fmt.Errorf("shopify: return %s: %s in %s, not %s", gid, field, cur, currency)
		}
		exp, err := channels.Exponent(cur)
		if err != nil {
			return 0, fmt.Errorf("shopify: return %s: %s: %w", gid, field, err)
		}
		v, err := channels.ParseMinor(m.Amount.String(), exp)
		if err != nil {
			return 0, fmt.Errorf("shopify: return %s: %s: %w", gid, field, err)
		}
		return v, nil
	}
	var linesTotal int64
	for _, li := range r.ReturnLineItems.Nodes {
		q, err := li.Quantity.Int()
		if err != nil {
			return channels.Return{}, fmt.Errorf("shopify: return %s: line %s quantity: %w", gid, li.ID, err)
		}
		l := channels.ReturnLine{ReturnLineIDs: []string{li.ID.String()}, Quantity: q}
		if f := li.FulfillmentLineItem; f != nil && f.LineItem != nil {
			l.LineID, l.SKU = id("", f.LineItem.ID), f.LineItem.SKU.String()
			if f.LineItem.Variant != nil {
				l.ListingID = id("", f.LineItem.Variant.ID)
			}
		}
		if li.Total != nil {
			if l.RefundAmount, err = amount("line total", li.Total.ShopMoney); err != nil {
				return channels.Return{}, err
			}
		}
		linesTotal += l.RefundAmount
		if out.Reason == "" {
			out.Reason = strings.ToUpper(li.ReturnReason.String())
			out.ReasonText = firstNonEmpty(li.ReturnReasonNote.String(), li.CustomerNote.String())
		}
		out.Lines = append(out.Lines, l)
	}
	var refunded int64
	var latest time.Time
	for _, rf := range r.Refunds.Nodes {
		if rf.Total != nil {
			v, err := amount("refund", rf.Total.ShopMoney)
			if err != nil {
				return channels.Return{}, err
			}
			refunded += v
		}
		at, _ := time.Parse(time.RFC3339, rf.CreatedAt.String())
		if out.RefundID == "" || !at.Before(latest) {
			out.RefundID, latest = rf.ID.String(), at
		}
	}
	out.Refunded = len(r.Refunds.Nodes) > 0
	out.RefundAmount = linesTotal
	if out.Refunded {
		out.RefundAmount = refunded
	}
	out.Currency = currency
	out.Status = ReturnStatus(r.Status.String(), out.Refunded)
	var rfos []string
	for _, rfo := range r.ReverseFulfillmentOrders.Nodes {
		rfos = append(rfos, rfo.ID.String())
		for _, d := range rfo.ReverseDeliveries.Nodes {
			if d.Deliverable != nil && d.Deliverable.Tracking != nil && out.TrackingNumber == "" {
				out.TrackingNumber, out.Carrier = d.Deliverable.Tracking.Number.String(), d.Deliverable.Tracking.CarrierName.String()
			}
		}
	}
	if len(rfos) > 0 {
		out.Refs["reverse_fulfillment_orders"] = strings.Join(rfos, ",")
	}
	if d := r.Decline; d != nil {
		if v := d.Reason.String(); v != "" {
			out.Refs["decline_reason"] = v
		}
		if v := d.Note.String(); v != "" {
			out.Refs["decline_note"] = v
		}
	}
	if t, err := time.Parse(time.RFC3339, r.CreatedAt.String()); err == nil {
		out.CreatedAt = t.UTC()
	}
	out.UpdatedAt = out.CreatedAt
	if t, err := time.Parse(time.RFC3339, r.ClosedAt.String()); err == nil && t.After(out.UpdatedAt) {
		out.UpdatedAt = t.UTC()
	}
	if latest.After(out.UpdatedAt) {
		out.UpdatedAt = latest.UTC()
	}
	if len(out.Refs) == 0 {
		out.Refs = nil
	}
	return out, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ReturnGID is the gid of a return id given as a number or a gid.
func ReturnGID(id string) string {
	if strings.HasPrefix(id, "gid://") {
		return id
	}
	return "gid://shopify/Return/" + id
}

// maxNodes is how many ids one nodes(ids:) query takes.
const maxNodes = 250

// ReturnsByID implements channels.Returns: nodes(ids:) in chunks of 250; ids that are no Return
// (null nodes) are left out.
func (c *Client) ReturnsByID(ctx context.Context, ids []string) ([]channels.Return, error) {
	var out []channels.Return
	for start := 0; start < len(ids); start += maxNodes {
		chunk := ids[start:min(start+maxNodes, len(ids))]
		gids := make([]string, len(chunk))
		for i, id := range chunk {
			gids[i] = ReturnGID(id)
		}
		var data struct {
			Nodes []json.RawMessage `json:"nodes"`
		}
		if err := c.graphql(ctx, queryReturns, map[string]any{"ids": gids}, &data); err != nil {
			return nil, err
		}
		for _, raw := range data.Nodes {
			if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) || bytes.Equal(t, []byte("{}")) {
				continue
			}
			r, err := NormalizeReturn(raw)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// maxOrdersPage is the orders asked per UpdatedReturns page: each carries up to 20 returns of up
// to 50 lines, which the query cost allows at this size.
const maxOrdersPage = 25

// UpdatedReturns implements channels.Returns. The Admin API has no top-level list of returns: it
// pages through the orders updated in the window (orders(query: "updated_at:>='…' updated_at:<'…'",
// sortKey: UPDATED_AT), a return's changes update its order [U: inferred, not documented]) and
// returns every return of those orders; the cursor is the orders connection's endCursor.
// Convergence is idempotent, so returns that did not change come back harmlessly.
func (c *Client) UpdatedReturns(ctx context.Context, q channels.PullQuery) (channels.ReturnPage, error) {
	first := q.PageSize
	if first <= 0 || first > maxOrdersPage {
		first = maxOrdersPage
	}
	filter := fmt.Sprintf("updated_at:>='%s'", q.Since.UTC().Format(time.RFC3339))
	if !q.Until.IsZero() {
		filter += fmt.Sprintf(" updated_at:<'%s'", q.Until.UTC().Format(time.RFC3339))
	}
	vars := map[string]any{"first": first, "query": filter}
	if q.Cursor != "" {
		vars["after"] = q.Cursor
	}
	var data struct {
		Orders struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Nodes []struct {
				ID      text `json:"id"`
				Returns struct {
					Nodes []json.RawMessage `json:"nodes"`
				} `json:"returns"`
			} `json:"nodes"`
		} `json:"orders"`
	}
	if err := c.graphql(ctx, queryUpdatedReturns, vars, &data); err != nil {
		return channels.ReturnPage{}, err
	}
	var page channels.ReturnPage
	for _, o := range data.Orders.Nodes {
		for _, raw := range o.Returns.Nodes {
			r, err := NormalizeReturn(raw)
			if err != nil {
				return channels.ReturnPage{}, err
			}
			if r.OrderID == "" {
				r.OrderID = id("", o.ID)
			}
			page.Returns = append(page.Returns, r)
		}
	}
	if data.Orders.PageInfo.HasNextPage && len(data.Orders.Nodes) > 0 {
		page.Next = data.Orders.PageInfo.EndCursor
	}
	return page, nil
}

// Shopify's ReturnDeclineReason values; any other reason is sent as OTHER.
var declineReasons = map[string]bool{"RETURN_PERIOD_ENDED": true, "FINAL_SALE": true, "OTHER": true}

// maxDeclineNote is the longest declineNote Shopify takes, in characters.
const maxDeclineNote = 500

// DecideReturn implements channels.Returns. It reads the return first and sends the mutation only
// when the return still awaits the decision; a return already where the decision leads is a repeat
// and nil:
//
//	APPROVE  REQUESTED → returnApproveRequest(input: {id}); OPEN or CLOSED: done
//	REFUSE   REQUESTED → returnDeclineRequest(input: {id, declineReason, declineNote}); DECLINED: done.
//	         Reason is the ReturnDeclineReason (RETURN_PERIOD_ENDED, FINAL_SALE; anything else OTHER),
//	         Comment the note, cut to 500 characters
//	RECEIVE  OPEN → returnProcess(input: {returnId, returnLineItems: [{id, quantity}]}) for the
//	         decision's lines (ReturnLineIDs, Quantity), no more of each than is still unprocessed
//	         (processedQuantity), all of it when Quantity is 0, every line when it names none; lines
//	         with nothing left are a repeat; CLOSED: done. It refunds nothing: no financialTransfer
//	         is sent (Ordo's refund is its own). A partial quantity sent twice processes twice: the
//	         channel cannot tell a repeat from the next parcel
//
// OFFER, a return in any other state, and userErrors are refused (channels.ErrRefused).
func (c *Client) DecideReturn(ctx context.Context, d channels.ReturnDecision) error {
	if d.Action == channels.DecideOffer {
		return channels.Refused("shopify: return %s: Shopify takes no partial-refund offer", d.ReturnID)
	}
	gid := ReturnGID(d.ReturnID)
	var fetched struct {
		Nodes []*gqlReturn `json:"nodes"`
	}
	if err := c.graphql(ctx, queryReturns, map[string]any{"ids": []string{gid}}, &fetched); err != nil {
		return err
	}
	if len(fetched.Nodes) == 0 || fetched.Nodes[0] == nil || fetched.Nodes[0].ID == "" {
		return channels.Refused("shopify: no return %s", gid)
	}
	r := fetched.Nodes[0]
	status := strings.ToUpper(r.Status.String())
	var from string
	var done []string
	var op, field string
	var input map[string]any
	switch d.Action {
	case channels.DecideApprove:
		from, done = "REQUESTED", []string{"OPEN", "CLOSED"}
		op, field, input = mutationApprove, "returnApproveRequest", map[string]any{"id": gid}
	case channels.DecideRefuse:
		reason := strings.ToUpper(strings.TrimSpace(d.Reason))
		if !declineReasons[reason] {
			reason = "OTHER"
		}
		note := d.Comment
		if utf8.RuneCountInString(note) > maxDeclineNote {
			note = string([]rune(note)[:maxDeclineNote])
		}
		from, done = "REQUESTED", []string{"DECLINED"}
		op, field, input = mutationDecline, "returnDeclineRequest", map[string]any{"id": gid, "declineReason": reason, "declineNote": note}
	case channels.DecideReceive:
		lines, err := processLines(r, d.Lines)
		if err != nil {
			return err
		}
		if len(lines) == 0 && status == "OPEN" {
			return nil // every line named is processed already: a repeat
		}
		from, done = "OPEN", []string{"CLOSED"}
		op, field, input = mutationProcess, "returnProcess", map[string]any{"returnId": gid, "returnLineItems": lines, "notifyCustomer": false}
	default:
		return channels.Refused("shopify: unknown return decision %q", d.Action)
	}
	switch {
	case status == from:
	case slices.Contains(done, status):
		return nil
	default:
		return channels.Refused("shopify: return %s is %s and cannot take %s", gid, status, d.Action)
	}
	var data map[string]struct {
		UserErrors []struct {
			Field   []string `json:"field"`
			Message string   `json:"message"`
		} `json:"userErrors"`
	}
	if err := c.graphql(ctx, op, map[string]any{"input": input}, &data); err != nil {
		return err
	}
	if ue := data[field].UserErrors; len(ue) > 0 {
		msgs := make([]string, len(ue))
		for i, e := range ue {
			msgs[i] = strings.Join(e.Field, ".") + ": " + e.Message
		}
		return channels.Refused("shopify: %s %s: %s", field, gid, strings.Join(msgs, "; "))
	}
	return nil
}

// processLines are returnProcess's returnLineItems for the decision's lines: each named return line
// item (by ReturnLineIDs, else by the order line's LineID) with the decision's quantity, no more than is left unprocessed (all of it when the decision
// gives none); every line of the return when the decision names none. Lines with nothing left are
// left out. A line the return does not have is refused.
func processLines(r *gqlReturn, want []channels.ReturnLine) ([]map[string]any, error) {
	left := map[string]int64{}
	byLine := map[string][]string{} // order line id → its return line items
	var order []string
	for _, li := range r.ReturnLineItems.Nodes {
		if f := li.FulfillmentLineItem; f != nil && f.LineItem != nil {
			line := id("", f.LineItem.ID)
			byLine[line] = append(byLine[line], li.ID.String())
		}
		q, err := li.Quantity.Int()
		if err != nil {
			return nil, fmt.Errorf("shopify: return %s: line %s quantity: %w", r.ID, li.ID, err)
		}
		done, _ := li.Processed.Int() // absent: nothing processed
		left[li.ID.String()] = q - done
		order = append(order, li.ID.String())
	}
	type item struct {
		id string
		q  int64
	}
	var items []item
	if len(want) == 0 {
		for _, id := range order {
			items = append(items, item{id, left[id]})
		}
	}
	for _, l := range want {
		ids := l.ReturnLineIDs
		if len(ids) == 0 && l.LineID != "" {
			if ids = byLine[l.LineID]; len(ids) == 0 {
				return nil, channels.Refused("shopify: return %s has no line of order line %s", r.ID, l.LineID)
			}
		}
		for _, id := range ids {
			n, ok := left[id]
			if !ok {
				return nil, channels.Refused("shopify: return %s has no line %s", r.ID, id)
			}
			if l.Quantity > 0 && l.Quantity < n {
				n = l.Quantity
			}
			items = append(items, item{id, n})
		}
	}
	if len(want) > 0 && len(items) == 0 {
		return nil, channels.Refused("shopify: return %s: the decision names no return line item", r.ID)
	}
	var out []map[string]any
	for _, it := range items {
		if it.q > 0 {
			out = append(out, map[string]any{"id": it.id, "quantity": it.q})
		}
	}
	return out, nil
}

// graphqlAnswer is an Admin GraphQL answer.
type graphqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// graphqlThrottled is the GraphQL caller's hook: Shopify answers a query over the cost budget with
// 200 and an error coded THROTTLED.
func graphqlThrottled(_ int, body []byte) bool {
	var a graphqlAnswer
	if json.Unmarshal(body, &a) != nil {
		return false
	}
	for _, e := range a.Errors {
		if e.Extensions.Code == "THROTTLED" {
			return true
		}
	}
	return false
}

// graphql sends one Admin GraphQL operation and decodes its data into out. Top-level errors (a
// query Shopify will not run, an access it denies) are refusals; THROTTLED is retried, then a
// *channels.RateLimitError.
func (c *Client) graphql(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	caller := c.caller
	caller.Throttled = graphqlThrottled
	full := c.account.BaseURL + "/admin/api/" + APIVersion + "/graphql.json"
	resp, err := caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, full, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Shopify-Access-Token", c.account.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	op := operationName(query)
	if err != nil {
		return fmt.Errorf("shopify: graphql %s: %w", op, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return channels.Refused("shopify: graphql %s: HTTP %d: %s", op, resp.Status, bytes.TrimSpace(resp.Body))
	}
	var a graphqlAnswer
	if err := decode(resp.Body, &a); err != nil {
		return fmt.Errorf("shopify: graphql %s: %w", op, err)
	}
	if len(a.Errors) > 0 {
		msgs := make([]string, len(a.Errors))
		for i, e := range a.Errors {
			msgs[i] = e.Message
		}
		return channels.Refused("shopify: graphql %s: %s", op, strings.Join(msgs, "; "))
	}
	if err := decode(a.Data, out); err != nil {
		return fmt.Errorf("shopify: graphql %s: data: %w", op, err)
	}
	return nil
}

// operationName is the name of a query's operation ("OrdoReturns"), for messages.
func operationName(query string) string {
	f := strings.Fields(query)
	if len(f) < 2 {
		return "?"
	}
	name, _, _ := strings.Cut(f[1], "(")
	return name
}
