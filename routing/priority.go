package routing

import (
	"cmp"
	"slices"
	"strings"
)

// PrioritySort returns the orders in the sequence they should be routed when they compete for
// short stock: higher Priority first, then the earliest ship-by deadline (orders without one
// after those with one), then the earliest placed, then by id. The input is not modified.
func PrioritySort(orders []Order) []Order {
	out := slices.Clone(orders)
	slices.SortStableFunc(out, func(a, b Order) int {
		if r := cmp.Compare(b.Priority, a.Priority); r != 0 {
			return r
		}
		switch {
		case a.ShipBy != nil && b.ShipBy == nil:
			return -1
		case a.ShipBy == nil && b.ShipBy != nil:
			return 1
		case a.ShipBy != nil && b.ShipBy != nil:
			if r := a.ShipBy.Compare(*b.ShipBy); r != 0 {
				return r
			}
		}
		if r := a.PlacedAt.Compare(b.PlacedAt); r != 0 {
			return r
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out
}
