// Package packing plans how the units of one shipment go into boxes: which boxes, how many, and
// which lines travel in each. Routing uses the parcel count to price a split; fulfilment uses the
// plan to tell a packer which box to build.
//
// Pack is pure and deterministic: the plan depends only on the items and the box catalogue, never
// on their order, a clock or a database. It is a fast heuristic, not an exact three-dimensional
// packer. A unit fits a box when its sorted dimensions fit inside the box's sorted dimensions
// (any rotation is allowed), and a box holds a set of units when each unit fits it, their weight
// plus the box's tare stays within its maximum weight, and their volume stays within
// FillLimitPercent of the box's volume (a box holding a single unit may be filled further, since
// its geometry was checked exactly). See Pack for the order in which boxes are chosen.
//
// Product data is often incomplete. A dimension that is zero or negative is taken to be
// AssumedDimensionMM, and a weight that is zero or negative AssumedWeightGrams, so that such units
// are packed as small, light items rather than dropped or reported as unpackable. Parcel weights
// and fill ratios include those assumptions.
package packing

// FillLimitPercent is how much of a box's volume its contents may take up. Boxes are never packed
// solid in practice; the remainder is room for odd shapes and padding.
const FillLimitPercent = 85

// AssumedDimensionMM replaces an item dimension that is zero or negative (unknown product data).
const AssumedDimensionMM = 50

// AssumedWeightGrams replaces an item weight that is zero or negative (unknown product data).
const AssumedWeightGrams = 100

// Item is one line of a shipment: Quantity identical units of a product, with the weight and
// dimensions of one unit. Lines with a Quantity of zero or less contribute nothing.
type Item struct {
	// Ref is the caller's name for the line (an order line id, say); the plan repeats it.
	Ref string
	// SKU identifies the product; the plan repeats it.
	SKU string
	// Quantity is the number of units to pack.
	Quantity int
	// WeightGrams is the weight of one unit.
	WeightGrams int
	// LengthMM, WidthMM and HeightMM are the outer dimensions of one unit, in any orientation.
	LengthMM, WidthMM, HeightMM int
}

// Packed counts the units of one line that share a fate: a parcel, or the unpackable list.
type Packed struct {
	// Ref and SKU are copied from the Item.
	Ref, SKU string
	// Quantity is the number of units.
	Quantity int
}

// Parcel is one box to build and ship.
type Parcel struct {
	// Box is the Code of the catalogue box to use.
	Box string
	// Items lists the units in the box, one entry per (Ref, SKU), sorted by Ref then SKU.
	Items []Packed
	// WeightGrams is the gross weight: contents plus the box's tare.
	WeightGrams int
	// FillRatio is the volume of the contents over the volume of the box.
	FillRatio float64
}

// Plan is the result of Pack: the parcels, and the units no box in the catalogue can take.
type Plan struct {
	// Parcels are the boxes to ship, largest units first.
	Parcels []Parcel
	// Unpackable lists units that fit no box, too large or too heavy for every one, sorted by Ref
	// then SKU. They are reported here, never dropped, so that a caller can route them as freight
	// or park the order for review.
	Unpackable []Packed
}
