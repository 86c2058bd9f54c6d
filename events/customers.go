package events

// The kinds of customer events: one buyer's identities across channels (package customers). Their
// CustomerID is the customer concerned; a merge and an unmerge are recorded on both customers.
const (
	KindCustomerPossibleDuplicate = "customer.possible_duplicate"
	KindCustomerMerged            = "customer.merged"
	KindCustomerUnmerged          = "customer.unmerged"
)

// CustomerPossibleDuplicate records an order whose buyer's identities led to several customers:
// the order went to the customer of the strongest identity (CustomerID), and Others are the ones
// weaker identities (By: their kinds) pointed to, for an agent to merge or not.
type CustomerPossibleDuplicate struct {
	CustomerID string   `json:"customerID"`
	Others     []string `json:"others"`
	By         []string `json:"by"`
	ChannelID  string   `json:"channelID,omitempty"`
}

// CustomerMerged records an agent's merge of MergedID into SurvivorID: the orders and identities
// that moved (their counts; the CustomerMerge row MergeID lists them).
type CustomerMerged struct {
	MergeID    string `json:"mergeID"`
	SurvivorID string `json:"survivorID"`
	MergedID   string `json:"mergedID"`
	Orders     int    `json:"orders"`
	Identities int    `json:"identities"`
	Reason     string `json:"reason,omitempty"`
}

// CustomerUnmerged records a merge undone: the orders and identities it moved went back to
// MergedID; orders placed on the survivor since stayed there.
type CustomerUnmerged struct {
	MergeID    string `json:"mergeID"`
	SurvivorID string `json:"survivorID"`
	MergedID   string `json:"mergedID"`
	Orders     int    `json:"orders"`
	Identities int    `json:"identities"`
}

// Kind implements Payload.
func (CustomerPossibleDuplicate) Kind() string { return KindCustomerPossibleDuplicate }

// Kind implements Payload.
func (CustomerMerged) Kind() string { return KindCustomerMerged }

// Kind implements Payload.
func (CustomerUnmerged) Kind() string { return KindCustomerUnmerged }
