package routing

import (
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
)

// Trace explains a decision: which locations were rejected and why, how the rest ranked for the
// order and for each line, and which plan won. It serialises to JSON for routingDecision.
type Trace struct {
	Destination DestinationTrace `json:"destination"`
	// Rejected are locations that failed an order-level filter, by location id.
	Rejected []Rejection `json:"rejected"`
	// Ranking ranks the eligible locations for the whole order; the plan search tries them in this order.
	Ranking []Candidate `json:"ranking"`
	Lines   []LineTrace `json:"lines"`
	Plan    PlanTrace   `json:"plan"`
}

// DestinationTrace records where the router placed the customer.
type DestinationTrace struct {
	Point  *shipping.Point `json:"point,omitempty"`
	Source string          `json:"source"`
}

// Reason is why a location was not a candidate.
type Reason string

// Rejection reasons.
const (
	ReasonInactive    Reason = "INACTIVE"
	ReasonChannel     Reason = "CHANNEL"
	ReasonNoStock     Reason = "NO_STOCK"
	ReasonCOD         Reason = "COD"
	ReasonDestination Reason = "DESTINATION"
	ReasonCapacity    Reason = "CAPACITY"
	ReasonKindPolicy  Reason = "KIND_POLICY"
	ReasonDropShipSKU Reason = "DROP_SHIP_SKU"
	ReasonExcluded    Reason = "EXCLUDED"
)

// Rejection is a location ruled out, with the first filter it failed.
type Rejection struct {
	LocationID pulid.ID `json:"locationId"`
	Code       string   `json:"code"`
	Reason     Reason   `json:"reason"`
	Detail     string   `json:"detail,omitempty"`
}

// Candidate is a ranked location: its place, total weighted score and each criterion's score.
type Candidate struct {
	LocationID pulid.ID `json:"locationId"`
	Code       string   `json:"code"`
	Rank       int      `json:"rank"`
	Score      float64  `json:"score"`
	// ShipByMet is false when the location cannot meet the ship-by deadline; such locations rank
	// after every location that can.
	ShipByMet bool             `json:"shipByMet"`
	Criteria  []CriterionScore `json:"criteria"`
}

// CriterionScore is one criterion's contribution to a candidate's score.
type CriterionScore struct {
	Name string `json:"name"`
	// Raw is the criterion's measure (km, units, load ratio, hours of slack, minor units, priority);
	// Known is false when it could not be measured (e.g. no position for the customer).
	Raw   float64 `json:"raw"`
	Known bool    `json:"known"`
	// Normalised is 1 for the best candidate and 0 for the worst; 1 for all when they are equal or
	// the criterion is unknown for all.
	Normalised float64 `json:"normalised"`
	Weighted   float64 `json:"weighted"`
}

// LineTrace ranks the candidates for one line and names where it went.
type LineTrace struct {
	LineID     pulid.ID    `json:"lineId"`
	Candidates []Candidate `json:"candidates"`
	// Rejected are eligible locations that cannot serve this line (NO_STOCK, DROP_SHIP_SKU).
	Rejected []Rejection `json:"rejected"`
	// Chosen are the locations the plan ships this line from.
	Chosen []pulid.ID `json:"chosen"`
	Held   bool       `json:"held,omitempty"`
}

// PlanTrace describes the plan search and the winning plan.
type PlanTrace struct {
	Locations []pulid.ID `json:"locations"`
	Shipments int        `json:"shipments"`
	Cost      int64      `json:"cost"`
	Distance  float64    `json:"distance"`
	// Complete is true when the plan allocates every unit not held.
	Complete bool `json:"complete"`
	// Evaluated counts the plans the search scored.
	Evaluated int    `json:"evaluated"`
	Why       string `json:"why"`
}
