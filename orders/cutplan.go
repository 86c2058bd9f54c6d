package orders

import (
	"slices"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

// stage is how far the units of one allocation have gone.
type stage int

const (
	stageFree    stage = iota // reserved, in no shipment yet
	stageOpen                 // in a shipment nobody has started picking
	stageStarted              // in a shipment being picked, packed or made ready
	stageShipped              // handed over: gone
)

// unitAlloc is one allocation of a line as the cancellation planner sees it.
type unitAlloc struct {
	ID, VariantID, ShipmentID pulid.ID
	Quantity                  int64
	Stage                     stage
}

// lineUnits is one order line's units: how many are wanted, how many of each variant one unit
// takes (a bundle's components; else its own variant, once), and its open and shipped allocations
// in a stable order.
type lineUnits struct {
	Wanted  int64
	PerUnit map[pulid.ID]int64
	Allocs  []unitAlloc
}

// cutPlan is what cancelling units of one line does: units that held no stock (backordered),
// units whose stock is released (the cuts, and the open shipments that lose them), and units that
// had left already and become a return.
type cutPlan struct {
	Backordered, Released, Returned int64
	Cuts                            []inventory.UnitCut
	Shipments                       []pulid.ID
}

// Cancelled is how many units the plan cancels on the line (a return is not a cancellation).
func (p cutPlan) Cancelled() int64 { return p.Backordered + p.Released }

// planCuts decides which units of a line q cancelled units are: backordered units first (they hold
// nothing), then units reserved outside any shipment, then units of shipments nobody started
// picking. Units being picked or packed cannot be cancelled (CONFLICT "picking started"); what is
// left after them must have been handed over, and becomes a return. It is pure.
func planCuts(l lineUnits, q int64) (cutPlan, error) {
	if q <= 0 {
		return cutPlan{}, fault.New(fault.InvalidArgument, "a cancellation takes at least one unit, got %d", q)
	}
	if q > l.Wanted {
		return cutPlan{}, fault.New(fault.Conflict, "the line has %d units left to cancel, not %d", l.Wanted, q).With("left", l.Wanted)
	}
	at := map[stage]int64{}
	var placed int64
	for _, s := range []stage{stageFree, stageOpen, stageStarted, stageShipped} {
		at[s] = l.unitsAt(s)
		placed += at[s]
	}
	var p cutPlan
	p.Backordered = min(q, max(0, l.Wanted-placed))
	left := q - p.Backordered
	for _, s := range []stage{stageFree, stageOpen} {
		k := min(left, at[s])
		if k == 0 {
			continue
		}
		l.take(s, k, &p)
		p.Released += k
		left -= k
	}
	if left == 0 {
		return p, nil
	}
	if at[stageStarted] > 0 {
		return cutPlan{}, fault.New(fault.Conflict, "picking started: %d of the units asked are being picked or packed", min(left, at[stageStarted])).
			With("reason", "PICKING_STARTED")
	}
	if left > at[stageShipped] {
		return cutPlan{}, fault.New(fault.Conflict, "the line's units changed while this cancellation ran; retry")
	}
	p.Returned = left
	return p, nil
}

// unitsAt counts the whole units of the line at stage s: for a bundle, as many as its scarcest
// component there allows.
func (l lineUnits) unitsAt(s stage) int64 {
	have := map[pulid.ID]int64{}
	for _, a := range l.Allocs {
		if a.Stage == s {
			have[a.VariantID] += a.Quantity
		}
	}
	n := int64(-1)
	for v, per := range l.PerUnit {
		if per <= 0 {
			continue
		}
		if k := have[v] / per; n < 0 || k < n {
			n = k
		}
	}
	return max(n, 0)
}

// take cuts k units of the line at stage s out of its allocations there, in their order, each
// variant by its units per line unit.
func (l lineUnits) take(s stage, k int64, p *cutPlan) {
	vs := make([]pulid.ID, 0, len(l.PerUnit))
	for v := range l.PerUnit {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	for _, v := range vs {
		need := k * l.PerUnit[v]
		for _, a := range l.Allocs {
			if need == 0 {
				break
			}
			if a.Stage != s || a.VariantID != v {
				continue
			}
			c := min(need, a.Quantity)
			p.Cuts = append(p.Cuts, inventory.UnitCut{AllocationID: a.ID, Quantity: c})
			need -= c
			if a.ShipmentID != "" && !slices.Contains(p.Shipments, a.ShipmentID) {
				p.Shipments = append(p.Shipments, a.ShipmentID)
			}
		}
	}
}
