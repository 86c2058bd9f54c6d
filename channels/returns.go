package channels

import (
	"context"
	"time"
)

// Returns is implemented by connectors of channels whose buyers ask for returns and refunds on the
// channel (Shopee, Lazada, TikTok Shop, Shopify). Ordo pulls or is told of them, takes the seller's
// decision, sends it back, and mirrors the refund the channel reports. The marketplace, not Ordo,
// pays the buyer.
type Returns interface {
	// UpdatedReturns lists the returns updated in [q.Since, q.Until), one page per call; a page
	// with an empty Next is the last (Shopee get_return_list by update_time, Lazada
	// getreverseordersforseller, TikTok Shop returns/search, Shopify orders' returns).
	UpdatedReturns(ctx context.Context, q PullQuery) (ReturnPage, error)
	// ReturnsByID fetches returns by the channel's return ids (for thin notifications: Lazada
	// msg_type 10, TikTok Shop type 12). Ids the channel does not know are left out.
	ReturnsByID(ctx context.Context, ids []string) ([]Return, error)
	// DecideReturn sends the seller's decision on a return. Sending the same decision again is not
	// an error (it carries an idempotency key where the channel takes one). An error wrapping
	// ErrRefused means the channel will not take it (wrong state, past its deadline, missing
	// evidence): a permanent failure.
	DecideReturn(ctx context.Context, d ReturnDecision) error
}

// ReturnStatus is a return's state on the channel, normalized. The raw status is kept beside it.
type ReturnStatus string

// Normalized return states (RMA: the return as a record, beside the order status ReturnRequested).
const (
	RMARequested ReturnStatus = "REQUESTED"  // the buyer asked; the seller has to decide
	RMAApproved  ReturnStatus = "APPROVED"   // accepted (by the seller or the channel); goods may come back
	RMAInTransit ReturnStatus = "IN_TRANSIT" // the buyer shipped the goods back
	RMAReceived  ReturnStatus = "RECEIVED"   // the goods reached the seller or the channel's warehouse
	RMARefunded  ReturnStatus = "REFUNDED"   // the channel refunded the buyer
	RMADeclined  ReturnStatus = "DECLINED"   // refused, and the channel closed it so
	RMACancelled ReturnStatus = "CANCELLED"  // withdrawn by the buyer or closed by the channel
	RMADisputed  ReturnStatus = "DISPUTED"   // the channel is judging a seller's dispute
	RMAOther     ReturnStatus = "OTHER"
)

// Return is a channel's return or refund request in Ordo's terms.
type Return struct {
	Kind       Kind
	ExternalID string // Shopee return_sn, Lazada reverse_order_id, TikTok Shop return_id, Shopify Return gid
	OrderID    string // the channel's order id
	Status     ReturnStatus
	// ChannelStatus is the raw status (and sub-status), kept for operators.
	ChannelStatus string
	// RefundOnly is set when the buyer asks for money without sending goods back (Lazada
	// onlyrefund, TikTok Shop REFUND, Shopee return_solution refund only).
	RefundOnly bool
	// Reason is the channel's reason code; ReasonText its words or the buyer's.
	Reason, ReasonText string
	Currency           string
	// RefundAmount is what the buyer asks (or was refunded), minor units.
	RefundAmount int64
	// Refunded is set when the channel reports the buyer refunded, with RefundID if it says.
	Refunded bool
	RefundID string
	Lines    []ReturnLine
	// Evidence are links to the buyer's photos and videos.
	Evidence []string
	// TrackingNumber is the return parcel's, when the buyer shipped it.
	TrackingNumber string
	Carrier        string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Deadline is when the channel decides by itself if the seller has not (Shopee
	// return_seller_due_date, TikTok seller_next_action_response deadline, Lazada's SLA).
	Deadline *time.Time
	// Refs are the channel's other keys needed for the seller's actions (line ids, order ids).
	Refs map[string]string
}

// ReturnLine is the units of one order line a return is about.
type ReturnLine struct {
	// LineID is the channel's order line id (Shopify line item, Shopee's order line); per-unit
	// channels give UnitIDs instead (Lazada trade_order_line_id, TikTok Shop order_line_item_id).
	LineID  string
	UnitIDs []string
	// ReturnLineIDs are the channel's ids of the return's own lines (Lazada reverse_order_line_id,
	// TikTok return_line_item_id, Shopify return line item), needed to decide per line.
	ReturnLineIDs []string
	SKU           string
	ListingID     string
	Quantity      int64
	RefundAmount  int64 // minor units
}

// ReturnPage is one page of UpdatedReturns.
type ReturnPage struct {
	Returns []Return
	Next    string
}

// Seller decisions on a return.
const (
	DecideApprove = "APPROVE" // accept the return (Shopee confirm, Lazada agreeReturn/agreeRefund, TikTok approve, Shopify returnApproveRequest)
	DecideRefuse  = "REFUSE"  // refuse with a reason and evidence (Shopee dispute, Lazada refuseReturn, TikTok reject, Shopify returnDeclineRequest)
	DecideOffer   = "OFFER"   // offer a partial refund (Shopee offer, TikTok Shop OFFER_PARTIAL_REFUND; elsewhere refused as unsupported)
	DecideReceive = "RECEIVE" // the goods arrived and are accepted (Lazada confirmDelivery, Shopify returnProcess)
)

// ReturnDecision is the seller's decision on a channel's return.
type ReturnDecision struct {
	ReturnID string // the channel's return id
	OrderID  string // the channel's order id
	Action   string // DecideApprove, DecideRefuse, DecideOffer or DecideReceive
	// Lines are the return lines decided; all of the return when empty.
	Lines []ReturnLine
	// Reason is the channel's reason code for a refusal; Comment the seller's words.
	Reason, Comment string
	Evidence        []string // links to photos or videos
	// OfferAmount is the partial refund offered, minor units.
	OfferAmount int64
	Currency    string
	// IdempotencyKey is stable per (return, action): channels that take one (TikTok Shop) get it.
	IdempotencyKey string
	Refs           map[string]string
}
