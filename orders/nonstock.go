package orders

import (
	"context"
	"fmt"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Channel orders carry lines that take nothing from Ordo's stock: tips, services and custom
// amounts (NON_STOCK), and items whose listing Ordo does not know (UNMAPPED). Such a line is kept
// on the order with the channel's price and counted in its subtotal, so that the order matches
// what the buyer paid; it has no variant and is never reserved, routed, packed, confirmed line by
// line or pushed. An UNMAPPED line is a mistake somebody should fix (a listing to set up): the
// order says so with an order.channel_alert event instead of being refused and fetched again
// forever.

// stocked reports whether the line takes stock: its kind is STOCK, or unset.
func (l Line) stocked() bool { return l.Kind == "" || l.Kind == orderline.KindSTOCK }

// validateKind checks the line's kind: a line without stock needs the channel's price, and only a
// channel order has such lines (a storefront or a console places catalogue SKUs).
func (l Line) validateKind(i int) error {
	if l.stocked() {
		return nil
	}
	if err := orderline.KindValidator(l.Kind); err != nil {
		return fault.New(fault.InvalidArgument, "line %d: unknown kind %q", i+1, l.Kind)
	}
	if l.UnitPrice == nil {
		return fault.New(fault.InvalidArgument, "line %d (%s): a %s line needs its unit price", i+1, l.label(), l.Kind)
	}
	if l.ReleaseAt != nil {
		return fault.New(fault.InvalidArgument, "line %d (%s): a %s line is not a pre-order", i+1, l.label(), l.Kind)
	}
	return nil
}

// label names a line in messages: its SKU, its listing, or its name.
func (l Line) label() string {
	for _, s := range []string{l.SKU, l.ListingID, l.Name} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return "no SKU"
}

// stockSKUs lists the SKUs of the lines that take stock, for the catalogue to resolve.
func stockSKUs(lines []Line) []string {
	var out []string
	for _, l := range lines {
		if l.stocked() {
			out = append(out, l.SKU)
		}
	}
	return out
}

// stockOnly refuses lines without stock on an order placed directly (Place): only channel orders,
// which ingestion syncs, carry them.
func (in PlaceInput) stockOnly() error {
	for i, l := range in.Lines {
		if !l.stocked() {
			return fault.New(fault.InvalidArgument, "line %d (%s): only channel orders carry %s lines", i+1, l.label(), l.Kind)
		}
	}
	return nil
}

// unmappedAlert writes the order.channel_alert of a new channel order whose stock lines Ordo
// could not map to a SKU, naming them, in the order's transaction. Orders without such lines
// write nothing.
func (s *Service) unmappedAlert(ctx context.Context, tx *ent.Tx, o *ent.Order, lines []Line) error {
	var names []string
	for _, l := range lines {
		if l.Kind == orderline.KindUNMAPPED {
			names = append(names, l.label())
		}
	}
	if len(names) == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d line(s) name a listing Ordo does not know (%s): kept on the order without stock; map the listing to a SKU", len(names), strings.Join(names, ", "))
	return events.Append(ctx, tx, orderEvent(ctx, o, events.ChannelAlert{Alert: msg, Unmapped: names}))
}
