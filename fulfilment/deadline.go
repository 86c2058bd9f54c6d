package fulfilment

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
)

// DefaultShipByAlert is how long before its ship-by deadline a shipment of an order without a
// channel is warned about (a channel says its own: ship_by_alert_hours).
const DefaultShipByAlert = 6 * time.Hour

// Deadline decides how far the ship-by alert of a shipment still at its origin should have gone
// at now: WARNED from alertBefore ahead of shipBy, MISSED once shipBy has passed. ok is false when
// the alert stays where it is (it only ever escalates: NONE, WARNED, MISSED). It is pure.
func Deadline(cur shipment.DeadlineAlert, shipBy time.Time, alertBefore time.Duration, now time.Time) (next shipment.DeadlineAlert, ok bool) {
	switch {
	case now.After(shipBy):
		next = shipment.DeadlineAlertMISSED
	case !now.Before(shipBy.Add(-alertBefore)):
		next = shipment.DeadlineAlertWARNED
	default:
		return cur, false
	}
	if rank(next) <= rank(cur) {
		return cur, false
	}
	return next, true
}

func rank(a shipment.DeadlineAlert) int {
	switch a {
	case shipment.DeadlineAlertWARNED:
		return 1
	case shipment.DeadlineAlertMISSED:
		return 2
	}
	return 0
}

// SweepDeadlines raises the ship-by alerts due at now on shipments still at their origin: WARNED
// (a shipment.ship_by_alert event) when the deadline is within its channel's ship_by_alert_hours,
// MISSED when it has passed. Each level is raised once. It returns how many alerts it raised. The
// periodic deadline sweep runs it with the service's clock.
func (s *Service) SweepDeadlines(ctx context.Context, now time.Time) (int, error) {
	var raised int
	var after pulid.ID
	for {
		q := s.DB.Client.Shipment.Query().
			Where(shipment.StatusIn(atOrigin...), shipment.ShipByNotNil(), shipment.DeadlineAlertNEQ(shipment.DeadlineAlertMISSED)).
			Order(shipment.ByID()).Limit(sweepPage)
		if after != "" {
			q.Where(shipment.IDGT(after))
		}
		page, err := q.All(ctx)
		if err != nil {
			return raised, fmt.Errorf("load shipments at origin: %w", err)
		}
		for _, sh := range page {
			err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
				ok, err := s.deadline(ctx, tx, sh.ID, now)
				if ok {
					raised++
				}
				return err
			})
			if err != nil {
				return raised, err
			}
		}
		if len(page) < sweepPage {
			break
		}
		after = page[len(page)-1].ID
	}
	if raised > 0 {
		s.committed()
	}
	return raised, nil
}

// deadline raises the ship-by alert due on one shipment at now, in tx.
func (s *Service) deadline(ctx context.Context, tx *ent.Tx, id pulid.ID, now time.Time) (bool, error) {
	sh, o, err := load(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if sh.ShipBy == nil {
		return false, nil
	}
	before := DefaultShipByAlert
	if o.ChannelID != nil {
		ch, err := tx.Channel.Get(ctx, *o.ChannelID)
		if err != nil {
			return false, fmt.Errorf("load channel: %w", err)
		}
		before = time.Duration(ch.ShipByAlertHours) * time.Hour
	}
	next, ok := Deadline(sh.DeadlineAlert, *sh.ShipBy, before, now)
	if !ok {
		return false, nil
	}
	n, err := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusIn(atOrigin...), shipment.DeadlineAlertEQ(sh.DeadlineAlert)).
		SetDeadlineAlert(next).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("update deadline alert: %w", err)
	}
	if n == 0 { // shipped or alerted meanwhile
		return false, nil
	}
	ev := events.ShipByAlert{ShipmentID: string(sh.ID), Level: string(next), ShipBy: stamp(*sh.ShipBy)}
	return true, events.Append(ctx, tx, s.event(ctx, o, sh, ev))
}
