package promise

import (
	"github.com/ordo-oms/ordo/money"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// quote is what the order's parcels cost in a zone by the rate cards, before a service's markup.
type quote func(shipping.Zone) (int64, error)

// byWeight quotes the order as one parcel of its weight alone.
func byWeight(cards []shipping.RateCard, grams int) quote {
	return func(z shipping.Zone) (int64, error) {
		p, err := shipping.Cheapest(cards, z, shipping.Measure{WeightGrams: max(grams, 0)})
		return p.Amount, err
	}
}

// byBoxes quotes the order's items packed into the boxes, each parcel on its box's dimensions,
// as routing prices a shipment (shipping.EstimatePlan). It packs once, on the first quote.
func byBoxes(cards []shipping.RateCard, boxes []packing.Box, items []packing.Item) quote {
	var (
		plan   packing.Plan
		packed bool
	)
	return func(z shipping.Zone) (int64, error) {
		if !packed {
			plan, packed = packing.Pack(items, boxes), true
		}
		e, err := shipping.EstimatePlan(cards, z, plan, boxes, items)
		return e.Amount, err
	}
}

// prices prices services per zone, quoting each zone once.
type prices struct {
	t      Transit
	q      quote
	byZone map[shipping.Zone]priced
}

type priced struct {
	amount int64
	err    error
}

// cost is what service s costs in zone z: the quote with the service's markup (rounded down),
// nothing without rate cards; false when no card carries the parcels or the price overflows.
func (p *prices) cost(s Service, z shipping.Zone) (int64, bool) {
	if len(p.t.RateCards) == 0 {
		return 0, true
	}
	got, ok := p.byZone[z]
	if !ok {
		got.amount, got.err = p.q(z)
		if p.byZone == nil {
			p.byZone = map[shipping.Zone]priced{}
		}
		p.byZone[z] = got
	}
	if got.err != nil {
		return 0, false
	}
	marked, err := money.Mul(got.amount, p.t.markup(s))
	if err != nil {
		return 0, false
	}
	return marked / 100, true
}
