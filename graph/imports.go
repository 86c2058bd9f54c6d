package graph

import (
	"context"
	"sort"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/imports"
)

// importOutcomes is a job's summary as a list, by outcome.
func importOutcomes(summary map[string]int) []*model.ImportOutcome {
	out := make([]*model.ImportOutcome, 0, len(summary))
	for k, v := range summary {
		out = append(out, &model.ImportOutcome{Outcome: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Outcome < out[j].Outcome })
	return out
}

// importStates delivers each import event as the job it describes: the events carry the job's
// whole state, so that following an import reads nothing from the store.
func importStates(_ context.Context, cs []events.Commit) ([]delivery[*ent.ImportJob], error) {
	var out []delivery[*ent.ImportJob]
	for _, e := range allEvents(cs) {
		j, err := imports.JobOf(e)
		if err != nil {
			return nil, err
		}
		out = append(out, delivery[*ent.ImportJob]{value: j, cursor: events.PositionOf(e)})
	}
	return out, nil
}
