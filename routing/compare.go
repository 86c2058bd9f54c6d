package routing

import (
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Diff is how a decision under a candidate policy differs from another for the same order: what
// a replay report (simulateRouting) counts.
type Diff struct {
	OutcomeBefore, OutcomeAfter Outcome
	// AddedLocations and RemovedLocations compare the sets of shipping locations, sorted by id.
	AddedLocations, RemovedLocations []pulid.ID
	ShipmentsBefore, ShipmentsAfter  int
	CostBefore, CostAfter            int64
	DistanceBefore, DistanceAfter    float64
	// ShipDate is Decision.ShipDate: when the last shipment can leave.
	ShipDateBefore, ShipDateAfter time.Time
	// ShipByMissesBefore/After count shipments that miss the order's ship-by deadline.
	ShipByMissesBefore, ShipByMissesAfter int
	// Backordered and Held total the units not allocated.
	BackorderedBefore, BackorderedAfter int64
	HeldBefore, HeldAfter               int64
}

// Compare reports how decision b differs from decision a.
func Compare(a, b Decision) Diff {
	d := Diff{
		OutcomeBefore: a.Outcome, OutcomeAfter: b.Outcome,
		ShipmentsBefore: len(a.Shipments), ShipmentsAfter: len(b.Shipments),
		CostBefore: a.Cost, CostAfter: b.Cost,
		DistanceBefore: a.Distance, DistanceAfter: b.Distance,
		ShipDateBefore: a.ShipDate(), ShipDateAfter: b.ShipDate(),
		ShipByMissesBefore: misses(a), ShipByMissesAfter: misses(b),
	}
	for _, s := range a.Backordered {
		d.BackorderedBefore += s.Quantity
	}
	for _, s := range b.Backordered {
		d.BackorderedAfter += s.Quantity
	}
	for _, h := range a.Held {
		d.HeldBefore += h.Quantity
	}
	for _, h := range b.Held {
		d.HeldAfter += h.Quantity
	}
	before, after := locationSet(a), locationSet(b)
	for _, id := range after {
		if _, found := slices.BinarySearchFunc(before, id, cmpID); !found {
			d.AddedLocations = append(d.AddedLocations, id)
		}
	}
	for _, id := range before {
		if _, found := slices.BinarySearchFunc(after, id, cmpID); !found {
			d.RemovedLocations = append(d.RemovedLocations, id)
		}
	}
	return d
}

// LocationChanged reports whether the set of shipping locations changed.
func (d Diff) LocationChanged() bool {
	return len(d.AddedLocations) > 0 || len(d.RemovedLocations) > 0
}

// SplitChanged reports whether the number of shipments changed.
func (d Diff) SplitChanged() bool { return d.ShipmentsBefore != d.ShipmentsAfter }

// CostDelta is the change in estimated shipping cost, in minor units.
func (d Diff) CostDelta() int64 { return d.CostAfter - d.CostBefore }

// PromiseChanged reports whether anything the customer was promised moves: the ship date, a
// missed ship-by deadline, or units that now wait (backordered or held).
func (d Diff) PromiseChanged() bool {
	return !d.ShipDateBefore.Equal(d.ShipDateAfter) || d.ShipByMissesBefore != d.ShipByMissesAfter ||
		d.BackorderedBefore != d.BackorderedAfter || d.HeldBefore != d.HeldAfter
}

// Changed reports whether the decisions differ in anything a replay report counts.
func (d Diff) Changed() bool {
	return d.OutcomeBefore != d.OutcomeAfter || d.LocationChanged() || d.SplitChanged() ||
		d.CostDelta() != 0 || d.DistanceBefore != d.DistanceAfter || d.PromiseChanged()
}

func misses(d Decision) int {
	n := 0
	for _, s := range d.Shipments {
		if !s.ShipByMet {
			n++
		}
	}
	return n
}

func locationSet(d Decision) []pulid.ID {
	ids := make([]pulid.ID, 0, len(d.Shipments))
	for _, s := range d.Shipments {
		ids = append(ids, s.LocationID)
	}
	slices.SortFunc(ids, cmpID)
	return slices.Compact(ids)
}

func cmpID(a, b pulid.ID) int { return strings.Compare(string(a), string(b)) }
