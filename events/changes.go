package events

// The kinds of order changes after placement: units cancelled line by line, and edits.
const (
	KindLinesCancelled = "order.lines_cancelled"
	KindOrderEdited    = "order.edited"
)

// Sources of a line cancellation: a person or partner in Ordo, the channel the order came from, or
// an edit that lowered a quantity or removed a line.
const (
	SourceAgent   = "AGENT"
	SourceChannel = "CHANNEL"
	SourceEdit    = "EDIT"
)

// CancelledLine is the units of one order line a cancellation took.
type CancelledLine struct {
	LineID   string `json:"lineID"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	// UnitIDs are the channel's ids of the cancelled units, for channels that keep one per unit.
	UnitIDs []string `json:"unitIDs,omitempty"`
	// Returned counts units that had left already and became a return instead.
	Returned int64 `json:"returned,omitempty"`
}

// LinesCancelled records units of some lines cancelled (their stock released), with the order's
// version after the change. The outbound relay tells the channel of those Ordo cancelled.
type LinesCancelled struct {
	Lines   []CancelledLine `json:"lines"`
	Reason  string          `json:"reason,omitempty"`
	Source  string          `json:"source"`
	Version int             `json:"version"`
}

// The kinds of change an edit makes.
const (
	ChangeQuantity       = "SET_QUANTITY"
	ChangeAddLine        = "ADD_LINE"
	ChangeRemoveLine     = "REMOVE_LINE"
	ChangeAddress        = "SHIPPING_ADDRESS"
	ChangeShippingMethod = "SHIPPING_METHOD"
)

// EditChange is one change of an edit: a line's wanted units from → to (an added line from 0, a
// removed one to 0), a new address (Detail: the locations it ships from now), a new method.
type EditChange struct {
	Kind   string `json:"kind"`
	LineID string `json:"lineID,omitempty"`
	SKU    string `json:"sku,omitempty"`
	From   int64  `json:"from,omitempty"`
	To     int64  `json:"to,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// OrderEdited records an edit of an order before picking, with the order's version after it.
type OrderEdited struct {
	Changes []EditChange `json:"changes"`
	Reason  string       `json:"reason,omitempty"`
	Source  string       `json:"source"`
	Version int          `json:"version"`
}

// Kind implements Payload.
func (LinesCancelled) Kind() string { return KindLinesCancelled }

// Kind implements Payload.
func (OrderEdited) Kind() string { return KindOrderEdited }
