package events

// KindOrderDataFlagged is the kind of an order's product-data flags changing.
const KindOrderDataFlagged = "order.data_flagged"

// OrderDataFlagged records that the product data an order's lines lack for fulfilment changed:
// Issues are its flags now ("PHONE-CASE-1: no dimensions"), none when the data was fixed and the
// flags cleared. While an order has flags its shipments are not planned (fulfilment.Service.Plan).
type OrderDataFlagged struct {
	Issues  []string `json:"issues"`
	Cleared bool     `json:"cleared,omitempty"`
}

// Kind implements Payload.
func (OrderDataFlagged) Kind() string { return KindOrderDataFlagged }
