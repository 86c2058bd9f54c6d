package outbound

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/events"
)

// ActionCancelLines is a partial cancellation: units of some lines Ordo cancelled (an agent, or an
// edit that lowered a quantity), told to a channel that takes cancellations per unit.
const ActionCancelLines = "cancel_lines"

// partialCancellable says whether a line cancellation is the channel's to hear: one Ordo made
// (a channel's own is not echoed back) on a channel's order.
func partialCancellable(e *ent.Event) bool {
	p, err := events.Decode[events.LinesCancelled](e)
	return err == nil && p.Source != events.SourceChannel
}

// PartialCancellation are the lines a channel is told were cancelled: each cancelled line with the
// ids of exactly its cancelled units. ok is false when a line has no unit ids to name (the channel
// keeps lines, not units: Shopify, Shopee, Meta, POS), so that nothing is sent: such channels hear
// of a cancellation only when the whole order is cancelled. It is pure.
func PartialCancellation(p events.LinesCancelled, lines []*ent.OrderLine) ([]channels.ShipmentLine, bool) {
	byID := map[string]*ent.OrderLine{}
	for _, l := range lines {
		byID[string(l.ID)] = l
	}
	var out []channels.ShipmentLine
	for _, c := range p.Lines {
		if c.Quantity == 0 {
			continue // all of it had left: a return, not a cancellation
		}
		l := byID[c.LineID]
		if l == nil || int64(len(c.UnitIDs)) != c.Quantity {
			return nil, false
		}
		out = append(out, channels.ShipmentLine{LineID: l.ExternalLineID, ListingID: l.ListingID, SKU: l.Sku, UnitIDs: c.UnitIDs, Quantity: c.Quantity})
	}
	return out, len(out) > 0
}

// cancelLines sends the partial cancellation an order.lines_cancelled event records, unless the
// order has been cancelled whole since (that cancellation tells the channel) or the channel keeps
// no units to name.
func (s *Service) cancelLines(ctx context.Context, o *ent.Order, a ConfirmArgs) error {
	if o.Status == order.StatusCANCELLED {
		return nil
	}
	e, err := s.DB.Client.Event.Query().Where(event.ID(a.EventID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load event: %w", err)
	}
	p, err := events.Decode[events.LinesCancelled](e)
	if err != nil {
		return err
	}
	lines, ok := PartialCancellation(p, o.Edges.Lines)
	if !ok {
		return nil
	}
	conn, err := s.Connections.Connector(o.Edges.Channel)
	if err != nil {
		return err
	}
	err = conn.CancelOrder(ctx, channels.Cancellation{OrderID: *o.ExternalID, Reason: p.Reason, Lines: lines, Refs: o.ChannelRefs})
	return s.outcome(ctx, o, a.Action, err)
}
