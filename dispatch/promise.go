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
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/promise"
)

// PromiseLine is a SKU and quantity a shopper is about to order.
type PromiseLine struct {
	SKU      string
	Quantity int64
}

// transit is the delivery-time table promises use, priced with the box catalogue and rate cards
// routing prices shipments with, so that a promise and a routed shipment cost the same for the
// same trip and goods (express and same-day at promise.DefaultTransit's markups).
func transit(pr pricing) promise.Transit {
	t := promise.DefaultTransit()
	t.RateCards, t.Boxes = pr.cards, pr.boxes
	return t
}

// Promise answers a checkout: per service (standard, express, same-day, pick-up at a store), the
// location that can deliver these lines earliest, when it ships, the delivery window and the cost:
// the lines packed into the box catalogue and priced by the rate cards in force, as routing
// prices a shipment (read afresh, not from a router's cache). Only active locations that serve
// the channel and hold every line's stock are considered; same-day only from those that offer it.
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
	var items []packing.Item     // as routing packs a shipment: one per line and variant
	for _, l := range lines {
		v := r.BySKU[l.SKU]
		comps := r.Components[v.ID]
		if len(comps) == 0 {
			need[v.ID] += l.Quantity
			items = append(items, parcelItem(l.SKU, v, l.Quantity))
		}
		for _, bc := range comps {
			need[bc.ComponentID] += l.Quantity * int64(bc.Quantity)
			items = append(items, parcelItem(l.SKU, bc.Edges.Component, l.Quantity*int64(bc.Quantity)))
		}
	}
	pr, err := loadPricing(ctx, c, nil)
	if err != nil {
		return nil, err
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
			CanFulfil: covered[l.ID] == len(need), Pickup: l.OffersPickup, SameDay: l.SameDay,
		})
	}
	d := promise.Destination{Lat: dest.Latitude, Lng: dest.Longitude, CountryCode: dest.CountryCode, Region: dest.Region, City: dest.City, PostalCode: dest.PostalCode}
	return promise.PromiseGoods(cands, d, items, transit(pr), now), nil
}

// parcelItem is qty units of a variant as packing sees them, ref naming the line.
func parcelItem(ref string, v *ent.Variant, qty int64) packing.Item {
	return packing.Item{Ref: ref, SKU: string(v.ID), Quantity: int(qty), WeightGrams: v.WeightGrams,
		LengthMM: v.LengthMm, WidthMM: v.WidthMm, HeightMM: v.HeightMm}
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
// its location to the destination (its dates: the cost is routing's); the order's promise is the
// latest of them. ok is false when the decision ships nothing.
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
		for _, o := range promise.Promise([]promise.Candidate{cand}, to, sh.WeightGrams, promise.DefaultTransit(), now) {
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
