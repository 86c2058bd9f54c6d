package routing

import (
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/shipping"
)

// Outcome is what happens to an order after routing.
type Outcome string

// The outcomes, from best to worst. When several apply, the decision reports the worst: REVIEW,
// then BACKORDER (nothing allocated), PARTIAL (some units backordered), HOLD (pre-order lines wait,
// everything else allocated), ALLOCATE.
const (
	OutcomeAllocate  Outcome = "ALLOCATE"
	OutcomePartial   Outcome = "PARTIAL"
	OutcomeBackorder Outcome = "BACKORDER"
	OutcomeHold      Outcome = "HOLD"
	OutcomeReview    Outcome = "REVIEW"
)

// Decision is the result of routing one order: what ships from where, what waits, and why.
type Decision struct {
	Outcome Outcome `json:"outcome"`
	// Shipments are in plan order (best-ranked location first).
	Shipments []Shipment `json:"shipments"`
	// Backordered lists units not allocated. In REVIEW it lists every unit not held: nothing is
	// allocated while the order waits for a person.
	Backordered  []Shortfall `json:"backordered"`
	Held         []Hold      `json:"held"`
	ReviewReason string      `json:"reviewReason,omitempty"`
	// Cost is the estimated shipping cost of all shipments, in minor units.
	Cost int64 `json:"cost"`
	// Distance is the sum of the shipments' great-circle distances in km (known ones only).
	Distance float64 `json:"distance"`
	Trace    Trace   `json:"trace"`
}

// Shipment is what one location ships for the order.
type Shipment struct {
	LocationID pulid.ID `json:"locationId"`
	Code       string   `json:"code"`
	Kind       Kind     `json:"kind"`
	Items      []Item   `json:"items"`
	// Units and WeightGrams total the items.
	Units       int64         `json:"units"`
	WeightGrams int           `json:"weightGrams"`
	Zone        shipping.Zone `json:"zone"`
	// Parcels is how many boxes the shipment packs into, and Cost what they cost to send (the
	// policy's box catalogue and rate cards).
	Parcels       int     `json:"parcels"`
	Cost          int64   `json:"cost"`
	Distance      float64 `json:"distance"`
	DistanceKnown bool    `json:"distanceKnown"`
	// EarliestShip is the location's earliest ship time (zero: unknown); ShipByMet says whether it
	// meets the order's ship-by deadline (true when there is none or it is unknown).
	EarliestShip time.Time `json:"earliestShip"`
	ShipByMet    bool      `json:"shipByMet"`
}

// Item is a quantity of one variant for one order line. A bundle line appears as one item per
// component variant, with Bundle set and LineID naming the bundle line.
type Item struct {
	LineID    pulid.ID `json:"lineId"`
	VariantID pulid.ID `json:"variantId"`
	Quantity  int64    `json:"quantity"`
	Bundle    bool     `json:"bundle,omitempty"`
}

// Shortfall is a quantity of a line's variant that could not be allocated.
type Shortfall struct {
	LineID    pulid.ID `json:"lineId"`
	VariantID pulid.ID `json:"variantId"`
	Quantity  int64    `json:"quantity"`
	// Reason is NO_STOCK when the eligible locations together lack the units, CAPACITY when they
	// lack them but locations dropped for being at their daily capacity have them, SPLIT_LIMIT
	// when they have them but not within MaxShipments (or bundles must ship together), and REVIEW
	// or WHOLE when the policy kept units back that could have shipped.
	Reason string `json:"reason"`
}

// Reasons a unit is backordered.
const (
	ShortNoStock    = "NO_STOCK"
	ShortCapacity   = "CAPACITY"
	ShortSplitLimit = "SPLIT_LIMIT"
	ShortReview     = "REVIEW"
	ShortWhole      = "WHOLE"
)

// Hold is a pre-order line's quantity held until its release.
type Hold struct {
	LineID    pulid.ID  `json:"lineId"`
	VariantID pulid.ID  `json:"variantId"`
	Quantity  int64     `json:"quantity"`
	ReleaseAt time.Time `json:"releaseAt"`
}

// Allocated totals the units allocated for a line and variant across all shipments.
func (d Decision) Allocated(lineID, variantID pulid.ID) int64 {
	var n int64
	for _, s := range d.Shipments {
		for _, it := range s.Items {
			if it.LineID == lineID && it.VariantID == variantID {
				n += it.Quantity
			}
		}
	}
	return n
}

// ShipDate is the latest earliest-ship time over the shipments: when the order will have left
// every location. Zero if there are no shipments or none is known.
func (d Decision) ShipDate() time.Time {
	var t time.Time
	for _, s := range d.Shipments {
		if s.EarliestShip.After(t) {
			t = s.EarliestShip
		}
	}
	return t
}
