package shipping

import (
	"fmt"

	"github.com/ordo-oms/ordo/money"
	"github.com/ordo-oms/ordo/packing"
)

// Estimate is what shipping some units costs under rate cards: the parcels, the sum of their
// cheapest quotes (minor units of the cards' currency) and of their billable weights.
type Estimate struct {
	Parcels       int   `json:"parcels"`
	Amount        int64 `json:"amount"`
	BillableGrams int   `json:"billableGrams"`
}

// EstimatePlan prices a packing plan of items in a zone: each parcel at its box's dimensions (the
// catalogue's inner ones, the nearest Ordo knows) and its gross weight, by the cheapest card; each
// unit the plan could not pack as a parcel of its own, at its own measure (packing's assumptions
// standing in for missing data). It fails when some parcel has no price.
func EstimatePlan(cards []RateCard, z Zone, plan packing.Plan, boxes []packing.Box, items []packing.Item) (Estimate, error) {
	var e Estimate
	add := func(m Measure, n int, what string) error {
		p, err := Cheapest(cards, z, m)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		amount, err := money.Mul(p.Amount, int64(n))
		if err == nil {
			e.Amount, err = money.Add(e.Amount, amount)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		e.Parcels += n
		e.BillableGrams += n * p.BillableGrams
		return nil
	}
	for _, pc := range plan.Parcels {
		m := Measure{WeightGrams: pc.WeightGrams}
		for _, b := range boxes {
			if b.Code == pc.Box {
				m.LengthMM, m.WidthMM, m.HeightMM = b.LengthMM, b.WidthMM, b.HeightMM
				break
			}
		}
		if err := add(m, 1, "box "+pc.Box); err != nil {
			return Estimate{}, err
		}
	}
	for _, u := range plan.Unpackable {
		m := Measure{WeightGrams: packing.AssumedWeightGrams, LengthMM: packing.AssumedDimensionMM, WidthMM: packing.AssumedDimensionMM, HeightMM: packing.AssumedDimensionMM}
		for _, it := range items {
			if it.Ref == u.Ref && it.SKU == u.SKU {
				m = Measure{WeightGrams: assumed(it.WeightGrams, packing.AssumedWeightGrams), LengthMM: assumed(it.LengthMM, packing.AssumedDimensionMM),
					WidthMM: assumed(it.WidthMM, packing.AssumedDimensionMM), HeightMM: assumed(it.HeightMM, packing.AssumedDimensionMM)}
				break
			}
		}
		if err := add(m, u.Quantity, "unpackable "+u.SKU); err != nil {
			return Estimate{}, err
		}
	}
	return e, nil
}

// assumed returns v, or a stand-in when v is missing (zero or negative), as packing assumes.
func assumed(v, standIn int) int {
	if v <= 0 {
		return standIn
	}
	return v
}
