package events

// The kinds of listing events: an operator's decisions on the listings a channel's catalogue or its
// orders brought (see package listings). The event's channel id is the channel; the actor is the
// operator.
const (
	KindListingConfirmed = "listing.confirmed"
	KindListingIgnored   = "listing.ignored"
)

// ListingDecision is one listing an operator decided on: the candidate, the channel's id of the
// listing and, when confirmed, the variant it maps to.
type ListingDecision struct {
	CandidateID string `json:"candidateID"`
	ExternalID  string `json:"externalID"`
	VariantID   string `json:"variantID,omitempty"`
	SKU         string `json:"sku,omitempty"`
}

// ListingConfirmed records listings of one channel mapped by an operator: their ChannelListings
// exist now and their stock is pushed.
type ListingConfirmed struct {
	Listings []ListingDecision `json:"listings"`
}

// ListingIgnored records listings of one channel an operator chose not to map: they leave the
// review queue and their stock is not synced.
type ListingIgnored struct {
	Listings []ListingDecision `json:"listings"`
}

// Kind implements Payload.
func (ListingConfirmed) Kind() string { return KindListingConfirmed }

// Kind implements Payload.
func (ListingIgnored) Kind() string { return KindListingIgnored }
