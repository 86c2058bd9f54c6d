package holds

import (
	"slices"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
)

// part is one variant a held line needs, per unit of the line: the variant itself (per 1), or a
// component of a bundle.
type part struct {
	VariantID pulid.ID
	SKU       string
	Per       int64
}

// want is one line of a hold as planning sees it: the SKU asked for, its quantity, and the
// variants it takes.
type want struct {
	SKU      string
	Quantity int64
	Parts    []part
}

// stock is the units available per variant and location.
type stock map[pulid.ID]map[pulid.ID]int64

// plan decides where each line is held, trying locations in the order given (best first). A plain
// line takes what each location has until it is covered; a bundle is held whole at the first
// location that has all its components for the whole quantity (its parts travel together). It
// returns the needs to hold and the SKUs that cannot be covered (then nothing should be held). It
// is pure: stock is not changed.
func plan(wants []want, locations []pulid.ID, available stock) ([]inventory.HoldNeed, []string) {
	left := func(v, l pulid.ID) int64 { return available[v][l] }
	taken := map[[2]pulid.ID]int64{}
	free := func(v, l pulid.ID) int64 { return max(0, left(v, l)-taken[[2]pulid.ID{v, l}]) }
	var (
		needs []inventory.HoldNeed
		short []string
	)
	for _, w := range wants {
		if len(w.Parts) == 1 && w.Parts[0].Per == 1 {
			p, rem := w.Parts[0], w.Quantity
			for _, l := range locations {
				if rem == 0 {
					break
				}
				q := min(rem, free(p.VariantID, l))
				if q == 0 {
					continue
				}
				taken[[2]pulid.ID{p.VariantID, l}] += q
				needs = append(needs, inventory.HoldNeed{VariantID: p.VariantID, SKU: p.SKU, Quantity: q, LocationID: l})
				rem -= q
			}
			if rem > 0 && !slices.Contains(short, w.SKU) {
				short = append(short, w.SKU)
			}
			continue
		}
		at := slices.IndexFunc(locations, func(l pulid.ID) bool {
			for _, p := range w.Parts {
				if free(p.VariantID, l) < p.Per*w.Quantity {
					return false
				}
			}
			return true
		})
		if at < 0 {
			if !slices.Contains(short, w.SKU) {
				short = append(short, w.SKU)
			}
			continue
		}
		for _, p := range w.Parts {
			q := p.Per * w.Quantity
			taken[[2]pulid.ID{p.VariantID, locations[at]}] += q
			needs = append(needs, inventory.HoldNeed{VariantID: p.VariantID, SKU: p.SKU, Quantity: q, LocationID: locations[at]})
		}
	}
	slices.Sort(short)
	return needs, short
}
