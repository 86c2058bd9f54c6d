package marketsim

import (
	"fmt"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// CancelUnits cancels single units of an order as a per-unit channel does (a buyer or the platform
// cancels one of three units on Lazada or TikTok Shop): the units show cancelled, the rest of the
// order goes on, and the webhook is sent. Cancelling every unit left cancels the order.
func (sh *Shop) CancelUnits(orderID string, unitIDs []string, reason string) error {
	return sh.cancelUnits(orderID, unitIDs, reason, false)
}

// cancelUnits marks units of an order cancelled; byOrdo records it as a confirmation from Ordo.
func (sh *Shop) cancelUnits(orderID string, unitIDs []string, reason string, byOrdo bool) error {
	sh.mu.Lock()
	o := sh.orders[orderID]
	switch {
	case o == nil:
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: no order %s", orderID)
	case o.Status != ToShip && o.Status != Unpaid:
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: order %s is %s: its units cannot be cancelled", orderID, o.Status)
	}
	for _, id := range unitIDs {
		if !slices.Contains(o.CancelledUnits, id) {
			o.CancelledUnits = append(o.CancelledUnits, id)
		}
	}
	var units int64
	for _, l := range o.Lines {
		units += l.Quantity
	}
	st := o.Status
	if int64(len(o.CancelledUnits)) >= units {
		st = Cancelled
	}
	o.CancelReason = reason
	prev := o.UpdatedAt.Truncate(time.Second)
	sh.touch(o, st)
	if !o.UpdatedAt.Truncate(time.Second).After(prev) {
		o.UpdatedAt = prev.Add(time.Second) // a change the channel's second-granular clock can tell apart
	}
	if byOrdo {
		sh.confirmations = append(sh.confirmations, Confirmation{At: sh.sim.now(), OrderID: orderID, Reason: reason, Units: slices.Clone(unitIDs)})
	}
	snap := o.clone()
	sh.mu.Unlock()
	sh.notify(snap, false)
	return nil
}

// idStrings are scalar ids as strings.
func idStrings(ids []channels.Scalar) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}
