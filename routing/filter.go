package routing

import (
	"fmt"
	"slices"
	"strings"
)

// orderFilter applies the order-level eligibility filters to a location and returns the first
// one it fails, or "" if it is eligible. Filters run in a fixed order so the reason is stable.
func orderFilter(o Order, p Policy, l *Location) (Reason, string) {
	switch {
	case slices.Contains(o.Exclude, l.ID):
		return ReasonExcluded, "the location rejected this order"
	case !l.Active:
		return ReasonInactive, ""
	case l.Kind == KindStore && !p.ShipFromStore:
		return ReasonKindPolicy, "ship-from-store is off"
	case l.Kind == KindDropShipSupplier && !p.DropShip:
		return ReasonKindPolicy, "drop-ship is off"
	case o.ChannelID != nil && len(l.Channels) > 0 && !slices.Contains(l.Channels, *o.ChannelID):
		return ReasonChannel, fmt.Sprintf("does not serve channel %s", *o.ChannelID)
	case o.COD && !l.AcceptsCOD:
		return ReasonCOD, "does not accept cash on delivery"
	case !shipsTo(l, o.Destination.CountryCode):
		return ReasonDestination, fmt.Sprintf("does not ship to %q", o.Destination.CountryCode)
	case l.DailyCapacity > 0 && l.Workload >= l.DailyCapacity:
		return ReasonCapacity, fmt.Sprintf("workload %d of daily capacity %d", l.Workload, l.DailyCapacity)
	}
	return "", ""
}

// shipsTo reports whether a location ships to a country.
func shipsTo(l *Location, country string) bool {
	if country == "" {
		return true // no destination yet (a counter sale, an address to come): nothing to filter on
	}
	if len(l.ShipsTo) == 0 {
		return strings.EqualFold(l.CountryCode, country)
	}
	for _, c := range l.ShipsTo {
		if strings.EqualFold(c, country) {
			return true
		}
	}
	return false
}

// supplies reports whether a location may ship a group at all: a drop-ship supplier only ships
// the variants it supplies.
func supplies(l *Location, g *group) bool {
	if l.Kind != KindDropShipSupplier {
		return true
	}
	for _, n := range g.needs {
		if !slices.Contains(l.SupplierOf, n.variant) {
			return false
		}
	}
	return true
}

// maxUnits is how many units of a group a location can supply from the given stock row, ignoring
// other groups. An indivisible group is all or nothing.
func maxUnits(g *group, row []int64) int64 {
	best := g.qty
	for _, n := range g.needs {
		best = min(best, row[n.v]/n.per)
	}
	if best < 0 {
		best = 0
	}
	if !g.divisible && best < g.qty {
		return 0
	}
	return best
}
