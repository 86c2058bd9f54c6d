package demo

import (
	"context"
	"fmt"
)

// marketplaces refund their buyers themselves: the demo only refunds the others' returns.
var marketplaces = map[string]bool{"SHOPEE": true, "LAZADA": true, "TIKTOK_SHOP": true}

// returnOne plays a customer sending one unit back, and the business's returns desk: the oldest
// shipped order without a return gets one unit of its first line returned, approved, received where
// it shipped from, put back on sale (SELLABLE), refunded (the demo plays the payment integration, which
// reports the refund paid), then completed and closed, all through the API, so that the demo shows
// returns and refunds beside its orders. One order per call; Replenish calls it every round.
func returnOne(ctx context.Context, api API) error {
	var page struct {
		Orders struct {
			Edges []struct {
				Node struct {
					ID, Number string
					Channel    *struct{ Kind string }
					Lines      []struct {
						ID, Kind string
					}
				}
			}
		}
	}
	q := `{ orders(first: 1, where: {status: SHIPPED, returnStatus: NONE}) { edges { node { id number channel { kind } lines { id kind } } } } }`
	if err := api.Query(ctx, q, nil, &page); err != nil {
		return fmt.Errorf("read shipped orders: %w", err)
	}
	if len(page.Orders.Edges) == 0 {
		return nil
	}
	o := page.Orders.Edges[0].Node
	line := ""
	for _, l := range o.Lines {
		if l.Kind == "STOCK" {
			line = l.ID
			break
		}
	}
	if line == "" {
		return nil
	}
	var req struct {
		RequestReturn struct {
			Return struct {
				ID       string
				Location struct{ ID string }
				Lines    []struct{ ID string }
			}
		}
	}
	err := api.Query(ctx, `mutation($o: ID!, $l: ID!) { requestReturn(input: {orderID: $o, lines: [{orderLineID: $l, quantity: 1}], reasonCode: "NOT_WANTED"}) {
  return { id location { id } lines { id } } } }`, map[string]any{"o": o.ID, "l": line}, &req)
	if err != nil {
		return fmt.Errorf("return from %s: %w", o.Number, err)
	}
	r := req.RequestReturn.Return
	if len(r.Lines) == 0 {
		return nil
	}
	steps := []struct{ name, query string }{
		{"approve", `mutation($r: ID!) { approveReturn(input: {returnID: $r}) { return { id } } }`},
		{"receive", `mutation($r: ID!, $loc: ID!, $rl: ID!) { receiveReturn(input: {returnID: $r, locationID: $loc, lines: [{returnLineID: $rl, quantity: 1}]}) { return { id } } }`},
		{"put back on sale", `mutation($r: ID!, $rl: ID!) { dispositionReturn(input: {returnID: $r, lines: [{returnLineID: $rl, kind: SELLABLE, quantity: 1}]}) { return { id } } }`},
	}
	vars := map[string]any{"r": r.ID, "rl": r.Lines[0].ID, "loc": r.Location.ID}
	for _, s := range steps {
		if err := api.Query(ctx, s.query, vars, nil); err != nil {
			return fmt.Errorf("%s the return of %s: %w", s.name, o.Number, err)
		}
	}
	if o.Channel == nil || !marketplaces[o.Channel.Kind] {
		var refund struct {
			RefundReturn struct{ Refund struct{ ID string } }
		}
		if err := api.Query(ctx, `mutation($r: ID!) { refundReturn(input: {returnID: $r}) { refund { id } } }`, vars, &refund); err != nil {
			return fmt.Errorf("refund the return of %s: %w", o.Number, err)
		}
		if err := api.Query(ctx, `mutation($id: ID!) { recordRefundResult(input: {refundID: $id, status: SUCCEEDED, externalID: "demo"}) { refund { id } } }`,
			map[string]any{"id": refund.RefundReturn.Refund.ID}, nil); err != nil {
			return fmt.Errorf("record the refund of %s: %w", o.Number, err)
		}
	}
	for _, m := range []string{"completeReturn", "closeReturn"} {
		if err := api.Query(ctx, `mutation($r: ID!) { `+m+`(input: {returnID: $r}) { return { id } } }`, vars, nil); err != nil {
			return fmt.Errorf("%s %s: %w", m, o.Number, err)
		}
	}
	return nil
}
