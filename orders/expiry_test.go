package orders

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/order"
)

func TestUnpaidExpiry(t *testing.T) {
	rules := map[string]int{"*": 60, "BANK_TRANSFER": 1440, "WALLET": 0}
	for _, tc := range []struct {
		rules  map[string]int
		method order.PaymentMethod
		want   time.Duration
		ok     bool
	}{
		{rules, order.PaymentMethodBANK_TRANSFER, 24 * time.Hour, true},
		{rules, order.PaymentMethodCARD, time.Hour, true},
		{rules, order.PaymentMethodWALLET, 0, false}, // a rule of zero: never
		{rules, order.PaymentMethodCOD, 0, false},
		{map[string]int{"COD": 5}, order.PaymentMethodCOD, 0, false},
		{map[string]int{"CARD": 5}, order.PaymentMethodPREPAID, 0, false},
		{nil, order.PaymentMethodPREPAID, 0, false},
	} {
		got, ok := UnpaidExpiry(tc.rules, tc.method)
		require.Equal(t, tc.ok, ok, tc.method)
		require.Equal(t, tc.want, got, tc.method)
	}
}

func TestPaidOffClearsExpiry(t *testing.T) {
	confirm, err := Next(order.StatusPENDING_PAYMENT, nil, order.PaymentStatusPENDING, order.PaymentMethodCARD, Confirm, "")
	require.NoError(t, err)
	require.True(t, paidOff(confirm))
	hold, err := Next(order.StatusPENDING_PAYMENT, nil, order.PaymentStatusPENDING, order.PaymentMethodCARD, Hold, "check")
	require.NoError(t, err)
	require.False(t, paidOff(hold), "an unpaid order on hold still expires once released")
}
