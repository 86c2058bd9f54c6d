package routing

import (
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Kind is the kind of a location; the policy decides which kinds may ship an order.
type Kind string

// The location kinds Ordo knows.
const (
	KindWarehouse           Kind = "WAREHOUSE"
	KindStore               Kind = "STORE"
	KindThirdPartyLogistics Kind = "THIRD_PARTY_LOGISTICS"
	KindDropShipSupplier    Kind = "DROP_SHIP_SUPPLIER"
)

// Location is a place stock ships from, as the router sees it: everything it needs to filter and
// rank, computed by the caller (EarliestShip comes from the location's calendar).
type Location struct {
	ID          pulid.ID
	Code        string
	Kind        Kind
	Active      bool
	Lat, Lng    *float64
	CountryCode string
	Region      string
	City        string
	PostalCode  string
	// Channels the location may serve; empty means every channel.
	Channels []pulid.ID
	// ShipsTo lists the country codes it ships to; empty means its own country only.
	ShipsTo    []string
	AcceptsCOD bool
	// Priority orders locations an operator prefers: lower first.
	Priority int
	// DailyCapacity is how many orders it can take a day; 0 means unlimited.
	DailyCapacity int
	// Workload is how many orders it has been allocated today.
	Workload int
	// SupplierOf lists, for a drop-ship supplier, the variants it may ship (and only those).
	SupplierOf []pulid.ID
	// EarliestShip is when an order allocated now could leave the location, after cut-off,
	// processing time and holidays. The zero time means unknown.
	EarliestShip time.Time
}

// Address is where an order goes. Coordinates are optional; without them the router looks up a
// centroid by postal code or city (see shipping.Centroid).
type Address struct {
	Lat, Lng    *float64
	CountryCode string
	Region      string
	City        string
	PostalCode  string
}

// Component is one part of a bundle: a bundle line ships as its components.
type Component struct {
	VariantID pulid.ID
	// Quantity of this variant in one bundle.
	Quantity    int64
	WeightGrams int
	// LengthMM, WidthMM and HeightMM are one unit's outer dimensions (zero: unknown).
	LengthMM, WidthMM, HeightMM int
}

// Line is an order line to route.
type Line struct {
	ID          pulid.ID
	VariantID   pulid.ID
	SKU         string
	Quantity    int64
	WeightGrams int
	// LengthMM, WidthMM and HeightMM are one unit's outer dimensions (zero: unknown); with the
	// weight they decide the boxes and so the shipping cost.
	LengthMM, WidthMM, HeightMM int
	// Components makes the line a bundle: it ships as these variants, together from one location
	// unless the policy allows bundles to split.
	Components []Component
	// ReleaseAt makes the line a pre-order: it is held while ReleaseAt is after Input.Now.
	ReleaseAt *time.Time
}

// Order is the order to route.
type Order struct {
	ID          pulid.ID
	ChannelID   *pulid.ID
	Destination Address
	COD         bool
	// Priority orders who routes first when stock is short: higher first (see PrioritySort).
	Priority int
	// ShipBy is the marketplace deadline by which the order must leave a location.
	ShipBy   *time.Time
	PlacedAt time.Time
	Lines    []Line
	// Exclude lists locations that rejected this order; they are never chosen again.
	Exclude []pulid.ID
}

// Stock is available units (on hand − reserved − safety stock) by variant, then location.
type Stock map[pulid.ID]map[pulid.ID]int64

// Input is everything a routing decision depends on. Location ids must be unique.
type Input struct {
	Order     Order
	Locations []Location
	Stock     Stock
	Policy    Policy
	// Now decides which pre-order lines are released.
	Now time.Time
}
