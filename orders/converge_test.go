package orders

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent/order"
)

// walk follows NextChannelCommand from an order in status cur to the channel's target, applying each
// command through the transition table, and returns the commands and the final status. Routing is
// modelled as Ordo does it after a confirmation: every unit is allocated.
func walk(t *testing.T, cur order.Status, method order.PaymentMethod, channelHold bool, target channels.Status) ([]Command, order.Status, bool) {
	t.Helper()
	var (
		remembered *order.Status
		cmds       []Command
	)
	if cur == order.StatusON_HOLD || cur == order.StatusCANCEL_REQUESTED {
		was := order.StatusALLOCATED
		remembered = &was
	}
	pay := order.PaymentStatusPENDING
	for range 10 {
		cmd, done, ok := NextChannelCommand(cur, remembered, pay, method, channelHold, target)
		if done || !ok {
			return cmds, cur, ok
		}
		tr, err := Next(cur, remembered, pay, method, cmd, "channel")
		require.NoError(t, err, "%s from %s", cmd, cur)
		cmds = append(cmds, cmd)
		switch {
		case tr.Remember:
			from := tr.From
			remembered = &from
		case tr.Restore:
			remembered = nil
		}
		if tr.Payment != nil {
			pay = *tr.Payment
		}
		cur = tr.To
		if cur == order.StatusCONFIRMED {
			cur = order.StatusALLOCATED // what routing does next
		}
		switch cmd {
		case Hold:
			channelHold = true
		case ReleaseHold:
			channelHold = false
		}
	}
	t.Fatalf("no convergence from %s to %s", cur, target)
	return nil, "", false
}

func TestNextChannelCommand(t *testing.T) {
	tests := []struct {
		name        string
		cur         order.Status
		method      order.PaymentMethod
		channelHold bool
		target      channels.Status
		want        []Command
		end         order.Status
		unreachable bool
	}{
		{name: "paid after placement", cur: order.StatusPENDING_PAYMENT, target: channels.Confirmed, want: []Command{Confirm}, end: order.StatusALLOCATED},
		{name: "confirmed again is nothing", cur: order.StatusALLOCATED, target: channels.Confirmed, end: order.StatusALLOCATED},
		{name: "ready to ship is Ordo's to decide", cur: order.StatusALLOCATED, target: channels.ReadyToShip, end: order.StatusALLOCATED},
		{name: "never backwards", cur: order.StatusSHIPPED, target: channels.Confirmed, end: order.StatusSHIPPED},
		{name: "unpaid never undoes", cur: order.StatusALLOCATED, target: channels.PendingPayment, end: order.StatusALLOCATED},
		{name: "shipped by the channel", cur: order.StatusPICKING, target: channels.Shipped, want: []Command{Ship}, end: order.StatusSHIPPED},
		{name: "delivered straight from allocated", cur: order.StatusALLOCATED, target: channels.Delivered, want: []Command{Ship, MarkDelivered}, end: order.StatusDELIVERED},
		{name: "completed from unpaid", cur: order.StatusPENDING_PAYMENT, target: channels.Completed, want: []Command{Confirm, Ship, MarkDelivered, Complete}, end: order.StatusCOMPLETED},
		{name: "cancel releases", cur: order.StatusALLOCATED, target: channels.Cancelled, want: []Command{Cancel}, end: order.StatusCANCELLED},
		{name: "unpaid cancelled", cur: order.StatusPENDING_PAYMENT, target: channels.Cancelled, want: []Command{Cancel}, end: order.StatusCANCELLED},
		{name: "backordered cancelled", cur: order.StatusBACKORDERED, target: channels.Cancelled, want: []Command{Cancel}, end: order.StatusCANCELLED},
		{name: "cancel request", cur: order.StatusALLOCATED, target: channels.CancelRequested, want: []Command{RequestCancellation}, end: order.StatusCANCEL_REQUESTED},
		{name: "cancel request rejected", cur: order.StatusCANCEL_REQUESTED, target: channels.Confirmed, want: []Command{RejectCancellation}, end: order.StatusALLOCATED},
		{name: "cancel request granted", cur: order.StatusCANCEL_REQUESTED, target: channels.Cancelled, want: []Command{Cancel}, end: order.StatusCANCELLED},
		{name: "channel hold", cur: order.StatusALLOCATED, target: channels.OnHold, want: []Command{Hold}, end: order.StatusON_HOLD},
		{name: "channel hold released", cur: order.StatusON_HOLD, channelHold: true, target: channels.Confirmed, want: []Command{ReleaseHold}, end: order.StatusALLOCATED},
		{name: "operator hold stands", cur: order.StatusON_HOLD, target: channels.Confirmed, end: order.StatusON_HOLD},
		{name: "operator hold gives way to a shipment", cur: order.StatusON_HOLD, target: channels.Shipped, want: []Command{ReleaseHold, Ship}, end: order.StatusSHIPPED},
		{name: "return", cur: order.StatusDELIVERED, target: channels.Returned, want: []Command{RequestReturn, MarkReturned}, end: order.StatusRETURNED},
		{name: "exception", cur: order.StatusSHIPPED, target: channels.Exception, want: []Command{ReportException}, end: order.StatusEXCEPTION},
		{name: "exception resolved by delivery", cur: order.StatusEXCEPTION, target: channels.Delivered, want: []Command{MarkDelivered}, end: order.StatusDELIVERED},
		{name: "COD delivered is paid", cur: order.StatusALLOCATED, method: order.PaymentMethodCOD, target: channels.Completed, want: []Command{Ship, MarkDelivered, Complete}, end: order.StatusCOMPLETED},
		{name: "unknown changes nothing", cur: order.StatusALLOCATED, target: channels.Unknown, end: order.StatusALLOCATED},
		{name: "cancelled cannot ship", cur: order.StatusCANCELLED, target: channels.Shipped, end: order.StatusCANCELLED, unreachable: true},
		{name: "backordered cannot ship", cur: order.StatusBACKORDERED, target: channels.Shipped, end: order.StatusBACKORDERED, unreachable: true},
		{name: "shipped cannot be cancelled", cur: order.StatusSHIPPED, target: channels.Cancelled, end: order.StatusSHIPPED, unreachable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = order.PaymentMethodPREPAID
			}
			cmds, end, ok := walk(t, tt.cur, method, tt.channelHold, tt.target)
			require.Equal(t, !tt.unreachable, ok)
			require.Equal(t, tt.want, cmds)
			require.Equal(t, tt.end, end)
		})
	}
}
