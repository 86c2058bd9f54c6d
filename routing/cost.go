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
// beyond every card (over shipping.MaxBillableGrams) adds nothing. Packing plans are remembered
// per units, estimates per zone and units: the plan search asks for the same ones many times.
func (r *router) cost(z shipping.Zone, take []int64) shipping.Estimate {
	key := append(r.costKey[:0], z...)
	key = append(key, 0)
	zoned := len(key)
	for _, t := range take {
		key = binary.AppendVarint(key, t)
	}
	r.costKey = key
	if e, ok := r.costs[string(key)]; ok {
		return e
	}
	if r.costs == nil {
		r.costs, r.packs = map[string]shipping.Estimate{}, map[string]packed{}
	}
	pk, ok := r.packs[string(key[zoned:])]
	if !ok {
		for g, t := range take {
			if t <= 0 {
				continue
			}
			gr := &r.d.groups[g]
			for _, nd := range gr.needs {
				pk.items = append(pk.items, packing.Item{Ref: string(gr.lineID), SKU: string(nd.variant), Quantity: int(t * nd.per),
					WeightGrams: nd.grams, LengthMM: nd.dims[0], WidthMM: nd.dims[1], HeightMM: nd.dims[2]})
			}
		}
		pk.plan = packing.Pack(pk.items, r.p.Boxes)
		r.packs[string(key[zoned:])] = pk
	}
	e, err := shipping.EstimatePlan(r.p.RateCards, z, pk.plan, r.p.Boxes, pk.items)
	if err != nil {
		e, _ = shipping.EstimatePlan(shipping.DefaultRateCards(), z, pk.plan, r.p.Boxes, pk.items)
	}
	r.costs[string(key)] = e
	return e
}

// packed is the packing plan of some units, with the items it was made from.
type packed struct {
	items []packing.Item
	plan  packing.Plan
}
