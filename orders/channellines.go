package orders

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// ChannelLine is one line of a channel's snapshot of an order, as convergence compares it with the
// order's lines: per-unit channels (Lazada, TikTok Shop) by their unit ids, others by line id.
type ChannelLine struct {
	LineID, ListingID, Name string
	UnitIDs                 []string
	// SKU is the Ordo SKU the line maps to; "" when it takes no stock.
	SKU       string
	Quantity  int64
	UnitPrice int64
	// Cancelled says the channel cancelled these units (a line or unit status of Cancelled).
	Cancelled bool
}

// lineChanges is what a channel's snapshot changes in an order's lines: units it cancelled, lines
// whose quantity it raised, and lines it added.
type lineChanges struct {
	Cancel []CancelLine
	Raise  []EditQuantity
	Add    []Line
}

func (c lineChanges) empty() bool { return len(c.Cancel)+len(c.Raise)+len(c.Add) == 0 }

// diffChannelLines compares an order's lines with the channel's snapshot. A line kept per unit
// counts as cancelled every unit the channel shows cancelled, or no longer shows at all; the units
// beyond what the line already counts as cancelled are cancelled now, naming them. A line kept by
// line id wants what the channel's line says now (nothing, when it is cancelled): less cancels the
// difference, more raises the line. A channel line Ordo does not have, with units and a SKU, is a
// line added. A snapshot without lines changes nothing. It is pure.
func diffChannelLines(lines []*ent.OrderLine, snap []ChannelLine) lineChanges {
	var out lineChanges
	if len(snap) == 0 {
		return out
	}
	live := map[string]bool{}
	seenUnits := false
	byLineID := map[string]ChannelLine{}
	for _, c := range snap {
		for _, u := range c.UnitIDs {
			seenUnits = true
			if !c.Cancelled {
				live[u] = true
			}
		}
		if c.LineID != "" && len(c.UnitIDs) == 0 {
			byLineID[c.LineID] = c
		}
	}
	known := map[string]bool{}
	for _, l := range lines {
		switch {
		case len(l.ExternalUnitIds) > 0:
			if !seenUnits {
				continue
			}
			var gone []string
			for _, u := range l.ExternalUnitIds {
				if !live[u] {
					gone = append(gone, u)
				}
			}
			if n := int64(len(gone)) - l.CancelledQuantity; n > 0 {
				out.Cancel = append(out.Cancel, CancelLine{LineID: l.ID, Quantity: n, unitIDs: gone})
			}
		case l.ExternalLineID != "":
			known[l.ExternalLineID] = true
			c, ok := byLineID[l.ExternalLineID]
			if !ok {
				continue
			}
			want := c.Quantity
			if c.Cancelled {
				want = 0
			}
			have := l.Quantity - l.CancelledQuantity
			switch {
			case want < have:
				out.Cancel = append(out.Cancel, CancelLine{LineID: l.ID, Quantity: have - want})
			case want > have:
				out.Raise = append(out.Raise, EditQuantity{LineID: l.ID, Quantity: want})
			}
		}
	}
	for _, c := range snap {
		if c.LineID == "" || len(c.UnitIDs) > 0 || known[c.LineID] || c.Cancelled || c.Quantity <= 0 || c.SKU == "" {
			continue
		}
		price := c.UnitPrice
		out.Add = append(out.Add, Line{SKU: c.SKU, Quantity: c.Quantity, UnitPrice: &price, ChannelLineID: c.LineID, ListingID: c.ListingID, Name: c.Name})
	}
	return out
}

// lineConvergent are the order states in which a channel's line changes are applied: nothing has
// left yet (afterwards a channel's change of lines is a return, which its own sync handles).
var lineConvergent = append(slices.Clone(preShipment), order.StatusON_HOLD, order.StatusCANCEL_REQUESTED)

// convergeLines applies what a channel's snapshot changed in an order's lines, in tx: units it
// cancelled are cancelled (source CHANNEL, their stock released, never echoed back), quantities it
// raised and lines it added are an edit (source CHANNEL, backorders allowed: it is sold). Whatever
// Ordo cannot follow (units being picked) is rolled back to a savepoint and reported as the
// an alert on the order's timeline, so that the rest of the snapshot still applies.
func (s *Service) convergeLines(ctx context.Context, tx *ent.Tx, o *ent.Order, st ChannelState, out *Synced) error {
	if len(st.Lines) == 0 || !slices.Contains(lineConvergent, o.Status) {
		return nil
	}
	lines, err := tx.OrderLine.Query().Where(orderline.OrderID(o.ID)).Order(orderline.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load lines: %w", err)
	}
	ch := diffChannelLines(lines, st.Lines)
	if ch.empty() {
		return nil
	}
	reason := "channel: " + st.Raw
	err = database.Savepoint(ctx, tx, "channel_lines", func() error {
		if len(ch.Raise)+len(ch.Add) == 0 {
			return s.cancelLines(ctx, tx, o, CancelLinesInput{OrderID: o.ID, Lines: ch.Cancel, Reason: reason, Source: SourceChannel})
		}
		in := EditInput{OrderID: o.ID, AddLines: ch.Add, Reason: reason, AllowBackorder: true, source: SourceChannel}
		for _, c := range ch.Cancel {
			l := lineOf(lines, c.LineID)
			in.SetQuantities = append(in.SetQuantities, EditQuantity{LineID: c.LineID, Quantity: l.Quantity - l.CancelledQuantity - c.Quantity})
		}
		in.SetQuantities = append(in.SetQuantities, ch.Raise...)
		added, err := resolveAdded(ctx, tx.Client(), ch.Add)
		if err != nil {
			return err
		}
		return s.edit(ctx, tx, o, in, added)
	})
	cur, lerr := tx.Order.Get(ctx, o.ID) // the savepoint may have rolled back what o says
	if lerr != nil {
		return fmt.Errorf("load order: %w", lerr)
	}
	*o = *cur
	out.LinesChanged = err == nil
	if err != nil && (fault.Is(err, fault.Conflict) || fault.Is(err, fault.InvalidArgument) || fault.Is(err, fault.NotFound)) {
		alert := "the channel changed the order's lines but Ordo cannot follow: " + err.Error()
		return events.Append(ctx, tx, orderEvent(ctx, o, events.ChannelAlert{ChannelStatus: st.Raw, Normalized: string(st.Status), Alert: alert}))
	}
	return err
}
