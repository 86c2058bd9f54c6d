package routing

import (
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// The criteria a policy can rank locations by.
const (
	// CriterionDistance prefers locations closer to the customer (great-circle km).
	CriterionDistance = "DISTANCE"
	// CriterionStockAfter prefers locations left with more stock after the allocation.
	CriterionStockAfter = "STOCK_AFTER"
	// CriterionCongestion prefers locations with a lower workload relative to daily capacity.
	CriterionCongestion = "CONGESTION"
	// CriterionShipBy prefers locations with more slack before the ship-by deadline; locations
	// that cannot meet it rank after all that can, whatever their score.
	CriterionShipBy = "SHIP_BY"
	// CriterionCost prefers locations with a lower estimated shipping cost.
	CriterionCost = "COST"
	// CriterionPriority prefers locations with a lower Location.Priority.
	CriterionPriority = "PRIORITY"
)

// Criterion is one weighted ranking criterion. A policy lists them in order: the order breaks
// ties between equal weighted scores.
type Criterion struct {
	Name   string
	Weight float64
}

// BackorderMode says what to do with an order the network cannot fully serve within the split limit.
type BackorderMode string

// The backorder modes.
const (
	// BackorderPartial allocates what can be allocated and backorders the rest.
	BackorderPartial BackorderMode = "PARTIAL"
	// BackorderWhole backorders the whole order: nothing is allocated.
	BackorderWhole BackorderMode = "WHOLE"
	// BackorderReview parks the order for a person to decide.
	BackorderReview BackorderMode = "REVIEW"
)

// Policy is a routing policy: how locations are ranked and how an order may be split.
type Policy struct {
	Criteria []Criterion
	// MaxShipments is the most locations an order may ship from; values below 1 mean 1.
	MaxShipments int
	// ShipFromStore allows STORE locations to ship orders.
	ShipFromStore bool
	// DropShip allows DROP_SHIP_SUPPLIER locations to ship the variants they supply.
	DropShip bool
	// SplitBundles lets a bundle's components ship from different locations.
	SplitBundles bool
	// Backorder is what to do when the order cannot be fully served; empty means PARTIAL.
	Backorder BackorderMode
	// RateCards price parcels (the cheapest card that carries each); none means
	// shipping.DefaultRateCards. They must share one currency.
	RateCards []shipping.RateCard
	// Boxes is the box catalogue a shipment is packed from to be priced; none means
	// packing.DefaultBoxes.
	Boxes []packing.Box
	// Bands refine zones by distance (see shipping.ZoneOf); none means shipping.DefaultBands.
	Bands []shipping.Band
}

// DefaultPolicy is the policy a channel gets until an operator edits it: meet the ship-by deadline,
// then ship close and cheap, spread load, keep stock balanced; up to two shipments; warehouses and
// 3PLs only; bundles together; backorder what cannot be served.
func DefaultPolicy() Policy {
	return Policy{
		Criteria: []Criterion{
			{Name: CriterionShipBy, Weight: 5},
			{Name: CriterionDistance, Weight: 4},
			{Name: CriterionCost, Weight: 3},
			{Name: CriterionCongestion, Weight: 2},
			{Name: CriterionStockAfter, Weight: 1},
			{Name: CriterionPriority, Weight: 1},
		},
		MaxShipments: 2,
		Backorder:    BackorderPartial,
		RateCards:    shipping.DefaultRateCards(),
		Boxes:        packing.DefaultBoxes(),
		Bands:        shipping.DefaultBands(),
	}
}

// normalised fills the defaults a zero field stands for.
func (p Policy) normalised() Policy {
	if p.MaxShipments < 1 {
		p.MaxShipments = 1
	}
	if p.Backorder == "" {
		p.Backorder = BackorderPartial
	}
	if len(p.RateCards) == 0 {
		p.RateCards = shipping.DefaultRateCards()
	}
	if len(p.Boxes) == 0 {
		p.Boxes = packing.DefaultBoxes()
	}
	if len(p.Bands) == 0 {
		p.Bands = shipping.DefaultBands()
	}
	return p
}
