package routing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// reasonWords says a rejection reason in words.
var reasonWords = map[Reason]string{
	ReasonInactive:    "inactive",
	ReasonChannel:     "does not serve the order's channel",
	ReasonNoStock:     "out of stock",
	ReasonCOD:         "does not accept cash on delivery",
	ReasonDestination: "does not deliver to the destination",
	ReasonCapacity:    "at its daily capacity",
	ReasonKindPolicy:  "its kind is excluded by the routing policy",
	ReasonDropShipSKU: "cannot drop-ship these SKUs",
	ReasonExcluded:    "excluded (it refused the order before)",
}

// Explain says a decision in words: one sentence per location the plan ships from (distance, stock,
// the ship-by), then one per location that was not chosen and why. names gives locations' names by
// id; a location without one is named by its code. A trace with no plan says so.
func Explain(t Trace, names map[pulid.ID]string) []string {
	name := func(id pulid.ID, code string) string {
		if n := names[id]; n != "" {
			return n
		}
		if code != "" {
			return code
		}
		return string(id)
	}
	ranked := map[pulid.ID]Candidate{}
	for _, c := range t.Ranking {
		ranked[c.LocationID] = c
	}
	var out []string
	for _, id := range t.Plan.Locations {
		c, ok := ranked[id]
		var facts []string
		if ok {
			if d, known := criterion(c, CriterionDistance); known {
				facts = append(facts, fmt.Sprintf("%.0f km", d))
			}
		}
		facts = append(facts, "in stock")
		if ok && hasCriterion(c, CriterionShipBy) {
			if c.ShipByMet {
				facts = append(facts, "meets the ship-by")
			} else {
				facts = append(facts, "misses the ship-by (no location could meet it)")
			}
		}
		out = append(out, fmt.Sprintf("Ships from %s: %s.", name(id, c.Code), strings.Join(facts, ", ")))
	}
	if len(t.Plan.Locations) == 0 {
		why := "no location could ship it"
		if t.Plan.Why != "" {
			why = t.Plan.Why
		}
		out = append(out, "Not allocated: "+why+".")
	} else if !t.Plan.Complete {
		out = append(out, "Some units wait for stock (backordered or held).")
	}
	for _, c := range t.Ranking {
		if slices.Contains(t.Plan.Locations, c.LocationID) {
			continue
		}
		because := "the chosen plan covers the order with fewer shipments or at a better score"
		if !c.ShipByMet && hasCriterion(c, CriterionShipBy) {
			because = "it cannot meet the ship-by"
		}
		out = append(out, fmt.Sprintf("%s ranked %d, not chosen: %s.", name(c.LocationID, c.Code), c.Rank, because))
	}
	for _, r := range t.Rejected {
		words := reasonWords[r.Reason]
		if words == "" {
			words = strings.ToLower(string(r.Reason))
		}
		if r.Detail != "" {
			words += " (" + r.Detail + ")"
		}
		out = append(out, fmt.Sprintf("%s not considered: %s.", name(r.LocationID, r.Code), words))
	}
	return out
}

// criterion is the candidate's raw measure of the criterion, and whether it was measured.
func criterion(c Candidate, name string) (float64, bool) {
	for _, s := range c.Criteria {
		if s.Name == name {
			return s.Raw, s.Known
		}
	}
	return 0, false
}

func hasCriterion(c Candidate, name string) bool {
	_, known := criterion(c, name)
	return known
}
