package dispatch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/promise"
	"github.com/ordo-oms/ordo/shipping"
)

// PromiseLine is a SKU and quantity a shopper is about to order.
type PromiseLine struct {
	SKU      string
	Quantity int64
}

// Transit is the delivery-time and rate table promises use: the promise package's transit days,
// priced from the default rate card (a 1 kg parcel, then its extra per kilogram; express at 1.6
// times standard).
func Transit() promise.Transit {
	t := promise.DefaultTransit()
	card := shipping.DefaultRateCards()[0]
	t.Currency = card.Currency
	t.Rates = map[promise.Service]map[shipping.Zone]promise.Rate{promise.Standard: {}, promise.Express: {}}
	for _, z := range shipping.Zones() {
		base, _, err := card.Quote(z, shipping.Measure{WeightGrams: 1000})
		if err != nil {
			continue // the card does not serve the zone: no rate, as promise reads a missing one
		}
		var perKg int64
		for _, e := range card.Extra {
			if e.Zone == z {
				perKg = e.PerKg
			}
		}
		t.Rates[promise.Standard][z] = promise.Rate{Base: base, PerKg: perKg}
		t.Rates[promise.Express][z] = promise.Rate{Base: base * 8 / 5, PerKg: perKg * 8 / 5}
	}
	return t
}

// Promise answers a checkout: per service (standard, express, pick-up at a store), the location
// that can deliver these lines earliest, when it ships, the delivery window and the cost. Only
// active locations that serve the channel and hold every line's stock are considered.
func Promise(ctx context.Context, c *ent.Client, lines []PromiseLine, dest schema.Address, channelID *pulid.ID, now time.Time) ([]promise.Option, error) {
	if len(lines) == 0 {
		return nil, fault.New(fault.InvalidArgument, "a promise needs at least one line")
	}
	skus := make([]string, len(lines))
	for i, l := range lines {
		if l.Quantity <= 0 {
			return nil, fault.New(fault.InvalidArgument, "%s: quantity must be positive", l.SKU)
		}
		skus[i] = l.SKU
	}
	r, err := catalog.Resolve(ctx, c, skus)
	if err != nil {
		return nil, err
	}
	need := map[pulid.ID]int64{} // variant → units, bundles expanded
	weight := 0
	for _, l := range lines {
		v := r.BySKU[l.SKU]
		comps := r.Components[v.ID]
		if len(comps) == 0 {
			need[v.ID] += l.Quantity
			weight += v.WeightGrams * int(l.Quantity)
		}
		for _, bc := range comps {
			need[bc.ComponentID] += l.Quantity * int64(bc.Quantity)
			weight += bc.Edges.Component.WeightGrams * int(l.Quantity) * bc.Quantity
		}
	}
	ids := make([]pulid.ID, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	levels, err := c.InventoryLevel.Query().Where(inventorylevel.VariantIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stock: %w", err)
	}
	covered := map[pulid.ID]int{} // location → variants it covers
	for _, l := range levels {
		if inventory.Available(l) >= need[l.VariantID] {
			covered[l.LocationID]++
		}
	}
	locs, err := c.Location.Query().Where(location.Active(true)).WithChannels().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load locations: %w", err)
	}
	var cands []promise.Candidate
	for _, l := range locs {
		if !serves(l, channelID) {
			continue
		}
		a := l.Address
		cands = append(cands, promise.Candidate{
			LocationID: l.ID, Kind: string(l.Kind), Calendar: Calendar(l), Lat: a.Latitude, Lng: a.Longitude,
			CountryCode: a.CountryCode, Region: a.Region, City: a.City,
			CanFulfil: covered[l.ID] == len(need), Pickup: l.OffersPickup,
		})
	}
	d := promise.Destination{Lat: dest.Latitude, Lng: dest.Longitude, CountryCode: dest.CountryCode, Region: dest.Region, City: dest.City, PostalCode: dest.PostalCode}
	return promise.Promise(cands, d, weight, Transit(), now), nil
}

// serves reports whether a location may ship orders of the channel (no channels listed: all).
func serves(l *ent.Location, channelID *pulid.ID) bool {
	if channelID == nil || len(l.Edges.Channels) == 0 {
		return true
	}
	return slices.ContainsFunc(l.Edges.Channels, func(c *ent.Channel) bool { return c.ID == *channelID })
}

// Kept is the promise an order is given when it is placed: when its last shipment leaves and the
// window in which the last one arrives (standard service).
type Kept struct{ ShipBy, DeliverFrom, DeliverTo time.Time }

// PromiseOf works out the promise of a routed order: for each shipment, the standard option of
// its location to the destination; the order's promise is the latest of them. ok is false when the
// decision ships nothing.
func PromiseOf(r Routed, dest schema.Address, now time.Time) (Kept, bool) {
	var (
		k  Kept
		ok bool
	)
	to := promise.Destination{Lat: dest.Latitude, Lng: dest.Longitude, CountryCode: dest.CountryCode, Region: dest.Region, City: dest.City, PostalCode: dest.PostalCode}
	for _, sh := range r.Decision.Shipments {
		l := r.Locations[sh.LocationID]
		if l == nil {
			continue
		}
		a := l.Address
		cand := promise.Candidate{LocationID: l.ID, Kind: string(l.Kind), Calendar: Calendar(l), Lat: a.Latitude, Lng: a.Longitude,
			CountryCode: a.CountryCode, Region: a.Region, City: a.City, CanFulfil: true}
		for _, o := range promise.Promise([]promise.Candidate{cand}, to, sh.WeightGrams, Transit(), now) {
			if o.Service != promise.Standard {
				continue
			}
			ok = true
			k.ShipBy, k.DeliverFrom, k.DeliverTo = later(k.ShipBy, o.ShipBy), later(k.DeliverFrom, o.DeliverFrom), later(k.DeliverTo, o.DeliverTo)
		}
	}
	return k, ok
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
