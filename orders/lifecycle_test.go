package orders

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
)

// allowed lists, per command, every status it may start from and where it leads (ON_HOLD and
// CANCEL_REQUESTED return to the remembered status, here CONFIRMED). Every other (status, command)
// pair must be refused with CONFLICT.
var allowed = map[Command]map[order.Status]order.Status{
	Confirm: {order.StatusPENDING_PAYMENT: order.StatusCONFIRMED},
	Hold: {
		order.StatusPENDING_PAYMENT: order.StatusON_HOLD, order.StatusCONFIRMED: order.StatusON_HOLD, order.StatusALLOCATED: order.StatusON_HOLD,
		order.StatusPICKING: order.StatusON_HOLD, order.StatusPACKED: order.StatusON_HOLD, order.StatusREADY_TO_SHIP: order.StatusON_HOLD,
		order.StatusBACKORDERED: order.StatusON_HOLD,
	},
	ReleaseHold:     {order.StatusON_HOLD: order.StatusCONFIRMED},
	StartPicking:    {order.StatusALLOCATED: order.StatusPICKING},
	Pack:            {order.StatusPICKING: order.StatusPACKED},
	MarkReadyToShip: {order.StatusPACKED: order.StatusREADY_TO_SHIP},
	Ship: {
		order.StatusALLOCATED: order.StatusSHIPPED, order.StatusPICKING: order.StatusSHIPPED,
		order.StatusPACKED: order.StatusSHIPPED, order.StatusREADY_TO_SHIP: order.StatusSHIPPED,
	},
	MarkDelivered: {order.StatusSHIPPED: order.StatusDELIVERED, order.StatusEXCEPTION: order.StatusDELIVERED},
	Complete:      {order.StatusDELIVERED: order.StatusCOMPLETED},
	RequestCancellation: {
		order.StatusPENDING_PAYMENT: order.StatusCANCEL_REQUESTED, order.StatusCONFIRMED: order.StatusCANCEL_REQUESTED,
		order.StatusALLOCATED: order.StatusCANCEL_REQUESTED, order.StatusPICKING: order.StatusCANCEL_REQUESTED,
		order.StatusPACKED: order.StatusCANCEL_REQUESTED, order.StatusREADY_TO_SHIP: order.StatusCANCEL_REQUESTED,
		order.StatusBACKORDERED: order.StatusCANCEL_REQUESTED, order.StatusON_HOLD: order.StatusCANCEL_REQUESTED,
	},
	RejectCancellation: {order.StatusCANCEL_REQUESTED: order.StatusCONFIRMED},
	Cancel: {
		order.StatusPENDING_PAYMENT: order.StatusCANCELLED, order.StatusCONFIRMED: order.StatusCANCELLED, order.StatusALLOCATED: order.StatusCANCELLED,
		order.StatusPICKING: order.StatusCANCELLED, order.StatusPACKED: order.StatusCANCELLED, order.StatusREADY_TO_SHIP: order.StatusCANCELLED,
		order.StatusBACKORDERED: order.StatusCANCELLED, order.StatusON_HOLD: order.StatusCANCELLED,
		order.StatusCANCEL_REQUESTED: order.StatusCANCELLED, order.StatusUNKNOWN: order.StatusCANCELLED,
	},
	RequestReturn: {
		order.StatusSHIPPED: order.StatusRETURN_REQUESTED, order.StatusDELIVERED: order.StatusRETURN_REQUESTED,
		order.StatusCOMPLETED: order.StatusRETURN_REQUESTED,
	},
	MarkReturned:     {order.StatusRETURN_REQUESTED: order.StatusRETURNED, order.StatusEXCEPTION: order.StatusRETURNED},
	MarkRefunded:     {order.StatusRETURNED: order.StatusREFUNDED, order.StatusCANCELLED: order.StatusREFUNDED},
	ReportException:  {order.StatusSHIPPED: order.StatusEXCEPTION},
	ResolveException: {order.StatusEXCEPTION: order.StatusSHIPPED},
	Allocate:         {order.StatusCONFIRMED: order.StatusALLOCATED, order.StatusBACKORDERED: order.StatusALLOCATED},
	Backorder:        {order.StatusCONFIRMED: order.StatusBACKORDERED, order.StatusALLOCATED: order.StatusBACKORDERED},
}

func TestNextCoversEveryStatusAndCommand(t *testing.T) {
	remembered := order.StatusCONFIRMED
	require.Len(t, allowed, len(rules), "every command has expectations")
	for cmd, from := range allowed {
		for _, name := range schema.OrderStatuses {
			st := order.Status(name)
			got, err := Next(st, &remembered, order.PaymentStatusPAID, order.PaymentMethodPREPAID, cmd, "because")
			want, ok := from[st]
			if !ok {
				require.True(t, fault.Is(err, fault.Conflict), "%s from %s: want CONFLICT, got %v %v", cmd, st, got, err)
				continue
			}
			require.NoError(t, err, "%s from %s", cmd, st)
			require.Equal(t, want, got.To, "%s from %s", cmd, st)
		}
	}
}

func TestNextEffects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		from    order.Status
		pay     order.PaymentStatus
		method  order.PaymentMethod
		cmd     Command
		reason  string
		stock   Stock
		payment *order.PaymentStatus
		code    fault.Code
	}{
		{"confirm marks a prepaid order paid", order.StatusPENDING_PAYMENT, order.PaymentStatusPENDING, order.PaymentMethodPREPAID, Confirm, "", KeepStock, ptr(order.PaymentStatusPAID), ""},
		{"confirm leaves COD to delivery", order.StatusPENDING_PAYMENT, order.PaymentStatusPENDING, order.PaymentMethodCOD, Confirm, "", KeepStock, nil, ""},
		{"delivery collects COD", order.StatusSHIPPED, order.PaymentStatusPENDING, order.PaymentMethodCOD, MarkDelivered, "", KeepStock, ptr(order.PaymentStatusPAID), ""},
		{"cancel releases stock and voids an unpaid order", order.StatusALLOCATED, order.PaymentStatusPENDING, order.PaymentMethodPREPAID, Cancel, "fraud", ReleaseStock, ptr(order.PaymentStatusVOIDED), ""},
		{"cancel keeps a paid order paid (refund is separate)", order.StatusALLOCATED, order.PaymentStatusPAID, order.PaymentMethodPREPAID, Cancel, "oos", ReleaseStock, nil, ""},
		{"cancel needs a reason", order.StatusALLOCATED, order.PaymentStatusPAID, order.PaymentMethodPREPAID, Cancel, "", KeepStock, nil, fault.InvalidArgument},
		{"ship moves stock out", order.StatusPACKED, order.PaymentStatusPAID, order.PaymentMethodPREPAID, Ship, "", ShipStock, nil, ""},
		{"refund needs a payment", order.StatusCANCELLED, order.PaymentStatusVOIDED, order.PaymentMethodPREPAID, MarkRefunded, "", KeepStock, nil, fault.Conflict},
		{"refund of a paid cancelled order", order.StatusCANCELLED, order.PaymentStatusPAID, order.PaymentMethodPREPAID, MarkRefunded, "", KeepStock, ptr(order.PaymentStatusREFUNDED), ""},
		{"unknown command", order.StatusALLOCATED, order.PaymentStatusPAID, order.PaymentMethodPREPAID, Command("TELEPORT"), "", KeepStock, nil, fault.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Next(tc.from, nil, tc.pay, tc.method, tc.cmd, tc.reason)
			if tc.code != "" {
				require.True(t, fault.Is(err, tc.code), "got %v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.stock, got.Stock)
			require.Equal(t, tc.payment, got.Payment)
		})
	}
}

func TestReleaseWithoutMemoryIsAConflict(t *testing.T) {
	_, err := Next(order.StatusON_HOLD, nil, order.PaymentStatusPAID, order.PaymentMethodPREPAID, ReleaseHold, "")
	require.True(t, fault.Is(err, fault.Conflict))
}

func TestAutoAdvance(t *testing.T) {
	c, ok := AutoAdvance(order.StatusCONFIRMED, true)
	require.True(t, ok)
	require.Equal(t, Allocate, c)
	c, ok = AutoAdvance(order.StatusCONFIRMED, false)
	require.True(t, ok)
	require.Equal(t, Backorder, c)
	_, ok = AutoAdvance(order.StatusPICKING, true)
	require.False(t, ok)
}
