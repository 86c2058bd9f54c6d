package events

// The kinds of refund, exchange and claim events (package returns' refunds.go, exchange.go and
// claims.go). Each carries the return's id when there is one, so that a return's stream sees it; the
// event's order is the order refunded, or, for an exchange, each of the two orders.
const (
	// KindRefundRequested asks a payment integration to pay a refund back (webhook consumers).
	KindRefundRequested = "refund.requested"
	// KindRefundSettled records the payment integration's outcome: succeeded or failed.
	KindRefundSettled = "refund.settled"
	// KindRefundMirrored records a refund a marketplace paid the buyer itself.
	KindRefundMirrored = "refund.channel_issued"
	// KindExchangeCreated records a replacement order made for a return or a claim.
	KindExchangeCreated = "refund.exchange_created"
	// KindExchangeReleased records a replacement order let go once the goods it replaces came back.
	KindExchangeReleased = "refund.exchange_released"
	// KindBalancePaid records the balance of a dearer exchange paid.
	KindBalancePaid = "refund.balance_paid"
)

// RefundRequested is a refund granted: what to pay back, in which currency, for which lines, by
// which payment method. Status is PENDING when a payment integration is to execute it.
type RefundRequested struct {
	RefundID      string       `json:"refundID"`
	ReturnID      string       `json:"returnID,omitempty"`
	Status        string       `json:"status"`
	Amount        int64        `json:"amount"`
	Currency      string       `json:"currency"`
	Shipping      int64        `json:"shipping,omitempty"`
	RestockingFee int64        `json:"restockingFee,omitempty"`
	Lines         []RefundLine `json:"lines,omitempty"`
	PaymentMethod string       `json:"paymentMethod"`
	Reason        string       `json:"reason,omitempty"`
	// Refunded is the order's refunded amount after this refund; PaymentStatus its payment status.
	Refunded      int64  `json:"refunded"`
	PaymentStatus string `json:"paymentStatus"`
}

// RefundLine is what a refund gives back for some units of one order line.
type RefundLine struct {
	OrderLineID string `json:"orderLineID"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// RefundSettled is a payment integration's outcome of a pending refund. A failed refund's amount is
// refundable again.
type RefundSettled struct {
	RefundID      string `json:"refundID"`
	ReturnID      string `json:"returnID,omitempty"`
	Status        string `json:"status"`
	Amount        int64  `json:"amount"`
	ExternalID    string `json:"externalID,omitempty"`
	FailureReason string `json:"failureReason,omitempty"`
	Refunded      int64  `json:"refunded"`
	PaymentStatus string `json:"paymentStatus"`
}

// RefundMirrored is a marketplace's refund of the buyer, recorded (or its amount corrected).
type RefundMirrored struct {
	RefundID   string `json:"refundID"`
	ReturnID   string `json:"returnID"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
	ExternalID string `json:"externalID,omitempty"`
	Refunded   int64  `json:"refunded"`
}

// ExchangeCreated links a replacement order to the return (or claim) it replaces goods for: the
// returned goods' value credited, what the customer still owes, what is refunded of the difference,
// and whether the order waits for the goods to come back.
type ExchangeCreated struct {
	ReturnID        string `json:"returnID"`
	ExchangeOrderID string `json:"exchangeOrderID"`
	OriginalOrderID string `json:"originalOrderID"`
	Credit          int64  `json:"credit"`
	BalanceDue      int64  `json:"balanceDue,omitempty"`
	RefundID        string `json:"refundID,omitempty"`
	Currency        string `json:"currency"`
	Held            bool   `json:"held"`
}

// ExchangeReleased is a held replacement order released once its return was received.
type ExchangeReleased struct {
	ReturnID        string `json:"returnID"`
	ExchangeOrderID string `json:"exchangeOrderID"`
}

// BalancePaid is the balance of a dearer exchange's order paid.
type BalancePaid struct {
	ReturnID string `json:"returnID,omitempty"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Kind implements Payload.
func (RefundRequested) Kind() string { return KindRefundRequested }

// Kind implements Payload.
func (RefundSettled) Kind() string { return KindRefundSettled }

// Kind implements Payload.
func (RefundMirrored) Kind() string { return KindRefundMirrored }

// Kind implements Payload.
func (ExchangeCreated) Kind() string { return KindExchangeCreated }

// Kind implements Payload.
func (ExchangeReleased) Kind() string { return KindExchangeReleased }

// Kind implements Payload.
func (BalancePaid) Kind() string { return KindBalancePaid }
