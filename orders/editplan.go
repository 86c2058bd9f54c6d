package orders

import (
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// editPlan is what an edit does to an order's lines: units to cancel, units to add to existing
// lines (each line's quantity raised by Delta), new lines, and the changes to record.
type editPlan struct {
	Cancel  []CancelLine
	Raise   []EditQuantity
	Add     []Line
	Changes []events.EditChange
}

// planEdit diffs an edit against the order's lines: a quantity set below what the line wants
// cancels the difference, above it raises the line by the difference, equal changes nothing; a
// removed line cancels all it still wants. Lines must be the order's, named once, and the order
// keeps at most MaxLines lines. It is pure.
func planEdit(lines []*ent.OrderLine, in EditInput) (editPlan, error) {
	byID := make(map[pulid.ID]*ent.OrderLine, len(lines))
	for _, l := range lines {
		byID[l.ID] = l
	}
	seen := map[pulid.ID]bool{}
	line := func(id pulid.ID, field string) (*ent.OrderLine, error) {
		if seen[id] {
			return nil, fault.New(fault.InvalidArgument, "%s: line %s is named twice in one edit", field, id)
		}
		seen[id] = true
		l := byID[id]
		if l == nil {
			return nil, fault.New(fault.NotFound, "%s: the order has no line %s", field, id)
		}
		return l, nil
	}
	var p editPlan
	for i, q := range in.SetQuantities {
		l, err := line(q.LineID, "setQuantities")
		if err != nil {
			return editPlan{}, err
		}
		if q.Quantity < 0 || q.Quantity > MaxLineQuantity {
			return editPlan{}, fault.New(fault.InvalidArgument, "setQuantities[%d]: quantity must be between 0 and %d, got %d", i, MaxLineQuantity, q.Quantity)
		}
		want := l.Quantity - l.CancelledQuantity
		switch {
		case q.Quantity < want:
			p.Cancel = append(p.Cancel, CancelLine{LineID: l.ID, Quantity: want - q.Quantity})
		case q.Quantity > want:
			p.Raise = append(p.Raise, EditQuantity{LineID: l.ID, Quantity: q.Quantity - want})
		default:
			continue
		}
		p.Changes = append(p.Changes, events.EditChange{Kind: events.ChangeQuantity, LineID: string(l.ID), SKU: l.Sku, From: want, To: q.Quantity})
	}
	for _, id := range in.RemoveLines {
		l, err := line(id, "removeLines")
		if err != nil {
			return editPlan{}, err
		}
		want := l.Quantity - l.CancelledQuantity
		if want == 0 {
			continue // nothing left of it
		}
		p.Cancel = append(p.Cancel, CancelLine{LineID: l.ID, Quantity: want})
		p.Changes = append(p.Changes, events.EditChange{Kind: events.ChangeRemoveLine, LineID: string(l.ID), SKU: l.Sku, From: want})
	}
	if len(lines)+len(in.AddLines) > MaxLines {
		return editPlan{}, fault.New(fault.InvalidArgument, "an order has at most %d lines", MaxLines)
	}
	for i, a := range in.AddLines {
		if strings.TrimSpace(a.SKU) == "" {
			return editPlan{}, fault.New(fault.InvalidArgument, "addLines[%d]: SKU is empty", i)
		}
		if a.Quantity <= 0 || a.Quantity > MaxLineQuantity {
			return editPlan{}, fault.New(fault.InvalidArgument, "addLines[%d] (%s): quantity must be between 1 and %d, got %d", i, a.SKU, MaxLineQuantity, a.Quantity)
		}
		if a.UnitPrice != nil && *a.UnitPrice < 0 {
			return editPlan{}, fault.New(fault.InvalidArgument, "addLines[%d] (%s): unit price must not be negative", i, a.SKU)
		}
		p.Add = append(p.Add, a)
		p.Changes = append(p.Changes, events.EditChange{Kind: events.ChangeAddLine, SKU: a.SKU, To: a.Quantity})
	}
	return p, nil
}
