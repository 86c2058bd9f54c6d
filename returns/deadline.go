package returns

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
)

// DefaultDeadlineWarning is how long before a channel's deadline (when the marketplace decides a
// return by itself, usually by accepting it) a return still waiting for the seller is warned about.
const DefaultDeadlineWarning = 24 * time.Hour

// Alert decides how far the deadline alert of a return still waiting for the seller's decision
// should have gone at now: WARNED from warning ahead of deadline, MISSED once deadline has passed.
// ok is false when the alert stays where it is: it only ever escalates (NONE, WARNED, MISSED), so
// that each level is raised once. It is pure.
func Alert(now, deadline time.Time, level orderreturn.DeadlineAlert, warning time.Duration) (next orderreturn.DeadlineAlert, ok bool) {
	switch {
	case now.After(deadline):
		next = orderreturn.DeadlineAlertMISSED
	case !now.Before(deadline.Add(-warning)):
		next = orderreturn.DeadlineAlertWARNED
	default:
		return level, false
	}
	if alertRank(next) <= alertRank(level) {
		return level, false
	}
	return next, true
}

func alertRank(a orderreturn.DeadlineAlert) int {
	switch a {
	case orderreturn.DeadlineAlertWARNED:
		return 1
	case orderreturn.DeadlineAlertMISSED:
		return 2
	}
	return 0
}

// deadlineSweepPage bounds the returns one query of the sweep loads.
const deadlineSweepPage = 200

// SweepDeadlines raises the deadline alerts due at now on returns whose channel waits for the
// seller's decision (REQUESTED, a channel deadline, no decision sent or pending): WARNED (a
// return.deadline_alert event) from warning ahead of the deadline (DefaultDeadlineWarning when
// zero), MISSED once it passed. Each level is raised once, by a guarded update of the return's
// deadline_alert, whatever the number of sweeps and replicas. It returns how many alerts it raised.
func (s *Service) SweepDeadlines(ctx context.Context, now time.Time, warning time.Duration) (int, error) {
	if warning <= 0 {
		warning = DefaultDeadlineWarning
	}
	raised := 0
	var after pulid.ID
	for {
		q := s.DB.Client.OrderReturn.Query().
			Where(orderreturn.StatusEQ(orderreturn.StatusREQUESTED), orderreturn.ChannelDeadlineNotNil(),
				orderreturn.DeadlineAlertNEQ(orderreturn.DeadlineAlertMISSED),
				orderreturn.DecisionSyncIn(orderreturn.DecisionSyncNONE, orderreturn.DecisionSyncFAILED),
				orderreturn.ChannelDeadlineLTE(now.Add(warning))).
			Order(orderreturn.ByID()).Limit(deadlineSweepPage)
		if after != "" {
			q.Where(orderreturn.IDGT(after))
		}
		page, err := q.All(ctx)
		if err != nil {
			return raised, fmt.Errorf("load returns awaiting the seller: %w", err)
		}
		for _, r := range page {
			next, ok := Alert(now, *r.ChannelDeadline, r.DeadlineAlert, warning)
			if !ok {
				continue
			}
			err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
				n, err := tx.OrderReturn.Update().
					Where(orderreturn.ID(r.ID), orderreturn.StatusEQ(orderreturn.StatusREQUESTED),
						orderreturn.DeadlineAlertEQ(r.DeadlineAlert),
						orderreturn.DecisionSyncIn(orderreturn.DecisionSyncNONE, orderreturn.DecisionSyncFAILED)).
					SetDeadlineAlert(next).Save(ctx)
				if err != nil {
					return fmt.Errorf("update deadline alert: %w", err)
				}
				if n == 0 {
					return nil // decided, moved on or alerted meanwhile
				}
				raised++
				return events.Append(ctx, tx, rmaEvent(ctx, r, events.ReturnDeadlineAlert{
					ReturnID: string(r.ID), Level: string(next), Deadline: r.ChannelDeadline.UTC().Format(time.RFC3339),
				}))
			})
			if err != nil {
				return raised, err
			}
		}
		if len(page) < deadlineSweepPage {
			break
		}
		after = page[len(page)-1].ID
	}
	if raised > 0 {
		s.rmaCommitted()
	}
	return raised, nil
}
