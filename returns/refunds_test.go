package returns

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
)

// An order's payment status follows what was refunded of what was paid; an unpaid order's stays.
func TestPaymentStatus(t *testing.T) {
	paidOrder := func(pay order.PaymentStatus, total, due int64) *ent.Order {
		return &ent.Order{PaymentStatus: pay, TotalAmount: total, BalanceDueAmount: due}
	}
	cases := []struct {
		name     string
		o        *ent.Order
		refunded int64
		want     order.PaymentStatus
	}{
		{"part refunded", paidOrder(order.PaymentStatusPAID, 3000, 0), 1000, order.PaymentStatusPARTIALLY_REFUNDED},
		{"all refunded", paidOrder(order.PaymentStatusPARTIALLY_REFUNDED, 3000, 0), 3000, order.PaymentStatusREFUNDED},
		{"a failed refund given back", paidOrder(order.PaymentStatusREFUNDED, 3000, 0), 0, order.PaymentStatusPAID},
		{"a mirrored refund beyond the total", paidOrder(order.PaymentStatusPAID, 3000, 0), 3500, order.PaymentStatusREFUNDED},
		{"an exchange's paid part", paidOrder(order.PaymentStatusPAID, 1500, 500), 1000, order.PaymentStatusREFUNDED},
		{"unpaid stays unpaid", paidOrder(order.PaymentStatusPENDING, 3000, 0), 1000, order.PaymentStatusPENDING},
		{"voided stays voided", paidOrder(order.PaymentStatusVOIDED, 3000, 0), 0, order.PaymentStatusVOIDED},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, paymentStatus(tc.o, tc.refunded))
		})
	}
}

func TestMerged(t *testing.T) {
	require.Equal(t, []AskLine{{"a", 3}, {"b", 1}}, merged([]AskLine{{"a", 1}, {"b", 1}, {"a", 2}}))
}
