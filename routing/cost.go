package routing

import (
	"encoding/binary"

	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// place is the location as one end of a trip.
func (l *Location) place() shipping.Place {
	return shipping.Place{Lat: l.Lat, Lng: l.Lng, CountryCode: l.CountryCode, Region: l.Region, City: l.City, PostalCode: l.PostalCode}
}

// place is the address as one end of a trip.
func (a Address) place() shipping.Place {
	return shipping.Place{Lat: a.Lat, Lng: a.Lng, CountryCode: a.CountryCode, Region: a.Region, City: a.City, PostalCode: a.PostalCode}
}

// zoneOf is the zone of a trip from l to the order's destination: shipping's one rule, so that
// routing's cost and the delivery promise agree on it.
func (r *router) zoneOf(l *Location) shipping.Zone {
	return shipping.ZoneOf(l.place(), r.in.Order.Destination.place(), r.p.Bands)
}

// cost is what a location's shipment costs in zone z, take giving its units per group: the units
// packed into the policy's boxes (fewest parcels, then the smallest boxes) and each parcel priced
// on its box's dimensional weight by the cheapest of the policy's rate cards. A parcel that no
// card carries is priced by the default card, so that routing can still compare locations; one
// beyond every card (over shipping.MaxBillableGrams) adds nothing. Estimates are remembered per
// zone and units: the plan search asks for the same ones many times.
func (r *router) cost(z shipping.Zone, take []int64) shipping.Estimate {
	key := r.costKey[:0]
	key = append(key, z...)
	for _, t := range take {
		key = binary.AppendVarint(key, t)
	}
	r.costKey = key
	if e, ok := r.costs[string(key)]; ok {
		return e
	}
	var items []packing.Item
	for g, t := range take {
		if t <= 0 {
			continue
		}
		gr := &r.d.groups[g]
		for _, nd := range gr.needs {
			items = append(items, packing.Item{Ref: string(gr.lineID), SKU: string(nd.variant), Quantity: int(t * nd.per),
				WeightGrams: nd.grams, LengthMM: nd.dims[0], WidthMM: nd.dims[1], HeightMM: nd.dims[2]})
		}
	}
	var e shipping.Estimate
	if len(items) > 0 {
		plan := packing.Pack(items, r.p.Boxes)
		var err error
		if e, err = shipping.EstimatePlan(r.p.RateCards, z, plan, r.p.Boxes, items); err != nil {
			e, _ = shipping.EstimatePlan(shipping.DefaultRateCards(), z, plan, r.p.Boxes, items)
		}
	}
	if r.costs == nil {
		r.costs = map[string]shipping.Estimate{}
	}
	r.costs[string(key)] = e
	return e
}
