package marketsim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Edit is an order edit a shop committed (Shopify's order editing): the units it added to or
// removed from lines, by line id, and the lines it added.
type Edit struct {
	ID      string
	At      time.Time
	Deltas  map[string]int64 // line id → units added (positive) or removed (negative)
	AddedTo []string         // ids of the lines the edit added
}

// EditOrder edits an order as a Shopify merchant does before fulfilling it: lines' current
// quantities set (lower removes units, higher adds them), lines added. The order's webhook is then
// orders/edited, which names the order only; its current line quantities are read back.
func (sh *Shop) EditOrder(orderID string, quantities map[string]int64, add []SpecLine) error {
	sh.mu.Lock()
	o := sh.orders[orderID]
	if o == nil {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: no order %s", orderID)
	}
	if o.Status != ToShip && o.Status != Unpaid {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: order %s is %s and cannot be edited", orderID, o.Status)
	}
	e := &Edit{ID: strconv.Itoa(9000 + o.Version), Deltas: map[string]int64{}}
	for i := range o.Lines {
		l := &o.Lines[i]
		q, ok := quantities[l.ID]
		if !ok {
			continue
		}
		if cur := l.Quantity - l.Removed; q != cur {
			e.Deltas[l.ID] = q - cur
		}
		if q > l.Quantity {
			l.Quantity, l.Removed = q, 0
		} else {
			l.Removed = l.Quantity - q
		}
	}
	for _, sl := range add {
		lst, ok := sh.listings[sl.ListingID]
		if !ok || sl.Quantity <= 0 {
			sh.mu.Unlock()
			return fmt.Errorf("marketsim: cannot add %d of listing %q", sl.Quantity, sl.ListingID)
		}
		id := fmt.Sprintf("%s%02d", o.Lines[0].ID[:len(o.Lines[0].ID)-2], len(o.Lines)+1)
		o.Lines = append(o.Lines, Line{ID: id, Listing: lst, Quantity: sl.Quantity, UnitPrice: lst.Price, Location: o.Lines[0].Location})
		e.Deltas[id], e.AddedTo = sl.Quantity, append(e.AddedTo, id)
	}
	prev := o.UpdatedAt.Truncate(time.Second)
	sh.touch(o, o.Status)
	if !o.UpdatedAt.Truncate(time.Second).After(prev) {
		o.UpdatedAt = prev.Add(time.Second)
	}
	e.At = o.UpdatedAt
	o.Edit = e
	snap := o.clone()
	sh.mu.Unlock()
	sh.notify(snap, false)
	return nil
}

// shopifyOrderEdit is the body of Shopify's orders/edited webhook: the edit, naming its order,
// with its line item additions and removals.
func shopifyOrderEdit(o *Order, e *Edit) []byte {
	var additions, removals []map[string]any
	for id, d := range e.Deltas {
		n, _ := strconv.ParseInt(id, 10, 64)
		if d > 0 {
			additions = append(additions, map[string]any{"id": n, "delta": d})
		} else {
			removals = append(removals, map[string]any{"id": n, "delta": -d})
		}
	}
	orderID, _ := strconv.ParseInt(o.ID, 10, 64)
	editID, _ := strconv.ParseInt(e.ID, 10, 64)
	body, _ := json.Marshal(map[string]any{"order_edit": map[string]any{
		"id": editID, "app_id": nil, "created_at": e.At.Format(time.RFC3339), "committed_at": e.At.Format(time.RFC3339),
		"notify_customer": false, "order_id": orderID, "staff_note": "", "user_id": nil,
		"line_items": map[string]any{"additions": additions, "removals": removals},
	}})
	return body
}
