package fulfilment

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/carrieraccount"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
)

// The causes of a late-risk shipment, as its late_reason and its shipment.delayed event say them.
const (
	// LateEstimate: the carrier's estimated delivery is past the promise.
	LateEstimate = "the carrier's estimate is past the promised delivery"
	// LateSilent: no scan within the carrier account's scan gap.
	LateSilent = "no carrier scan within the scan gap"
	// LateCarrierDelay: the carrier reports a delay, an exception or a failed delivery attempt.
	LateCarrierDelay = "the carrier reports a delay"
)

// DefaultScanGap is how long a shipment may go without a scan when its carrier account does not
// say (CarrierAccount.scan_gap_hours).
const DefaultScanGap = 48 * time.Hour

// defaultTransit is the transit a re-promise allows when the shipment's own window says nothing.
const defaultTransit = 3 * 24 * time.Hour

// inTransit are the states in which a shipment is with its carrier and may be late.
var inTransit = []shipment.Status{
	shipment.StatusSHIPPED, shipment.StatusIN_TRANSIT, shipment.StatusOUT_FOR_DELIVERY,
	shipment.StatusATTEMPT_FAILED, shipment.StatusEXCEPTION,
}

// Facts are what LateRisk knows of a shipment.
type Facts struct {
	Status     shipment.Status
	PromisedTo *time.Time
	// Estimate is the carrier's latest estimated delivery (the end of its window).
	Estimate  *time.Time
	ShippedAt *time.Time
	LastScan  *time.Time
	// ScanGap is how long the lane may stay silent; zero: DefaultScanGap.
	ScanGap time.Duration
	// Tag and Subtag are the latest scan's; Delay is the source's own delay flag on it.
	Tag, Subtag string
	Delay       bool
	// ReturnExpected: the parcel is going back to the sender (that is not a delay).
	ReturnExpected bool
	// LateRisk and LateReason are what was decided before.
	LateRisk   bool
	LateReason string
}

// LateRisk decides whether a shipment has newly become late-risk at now, why, and the delivery it
// can be promised now: the carrier's estimate when it has one, else now plus the transit it had
// left at its last progress (at least a day). A cause already raised is not raised again, except a
// carrier estimate slipping past a promise that had been moved to the previous estimate. It is
// pure.
func LateRisk(f Facts, now time.Time) (late bool, reason string, newPromise time.Time) {
	if !slices.Contains(inTransit, f.Status) || f.ReturnExpected {
		return false, "", time.Time{}
	}
	gap := f.ScanGap
	if gap <= 0 {
		gap = DefaultScanGap
	}
	since := f.LastScan
	if since == nil {
		since = f.ShippedAt
	}
	switch {
	case f.Estimate != nil && f.PromisedTo != nil && f.Estimate.After(*f.PromisedTo):
		return true, LateEstimate, *f.Estimate
	case f.Delay || shipping.IsDelaySubtag(f.Subtag) || f.Tag == string(shipping.AttemptFail) || f.Tag == string(shipping.Exception):
		reason = LateCarrierDelay
	case since != nil && now.Sub(*since) > gap:
		reason = LateSilent
	default:
		return false, "", time.Time{}
	}
	if f.LateRisk && f.LateReason == reason {
		return false, "", time.Time{}
	}
	if f.Estimate != nil && f.Estimate.After(now) && (f.PromisedTo == nil || f.Estimate.After(*f.PromisedTo)) {
		return true, reason, *f.Estimate
	}
	remaining := defaultTransit
	if f.PromisedTo != nil && since != nil {
		remaining = f.PromisedTo.Sub(*since)
	}
	remaining = max(remaining, 24*time.Hour)
	newPromise = now.Add(remaining).Truncate(time.Second)
	if f.PromisedTo != nil && !newPromise.After(*f.PromisedTo) {
		newPromise = f.PromisedTo.Add(24 * time.Hour)
	}
	return true, reason, newPromise
}

// facts reads LateRisk's facts off a shipment; gap is its carrier account's scan gap (zero when
// none) and delay the source's delay flag on the scan just taken.
func facts(sh *ent.Shipment, gap time.Duration, delay bool) Facts {
	f := Facts{Status: sh.Status, PromisedTo: sh.PromisedDeliveryTo, Estimate: sh.LatestEstimate, ShippedAt: sh.ShippedAt,
		LastScan: sh.LastScanAt, ScanGap: gap, Subtag: sh.TrackingSubtag, Delay: delay, ReturnExpected: sh.ReturnExpected,
		LateRisk: sh.LateRisk, LateReason: sh.LateReason}
	if sh.TrackingTag != nil {
		f.Tag = string(*sh.TrackingTag)
	}
	return f
}

// scanGap is the scan gap of a shipment's carrier account, zero when it has none.
func scanGap(ctx context.Context, tx *ent.Tx, sh *ent.Shipment) (time.Duration, error) {
	if sh.CarrierAccountID == nil {
		return 0, nil
	}
	acc, err := tx.CarrierAccount.Query().Where(carrieraccount.ID(*sh.CarrierAccountID)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load carrier account: %w", err)
	}
	return time.Duration(acc.ScanGapHours) * time.Hour, nil
}

// delay decides, in tx, whether sh has newly become late-risk at now; if so it marks it, moves its
// promise and its order's, and records shipment.delayed. It reports whether it did.
func (s *Service) delay(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, delayFlag bool, now time.Time) (bool, error) {
	gap, err := scanGap(ctx, tx, sh)
	if err != nil {
		return false, err
	}
	late, reason, promise := LateRisk(facts(sh, gap, delayFlag), now)
	if !late {
		return false, nil
	}
	if err := tx.Shipment.UpdateOneID(sh.ID).SetLateRisk(true).SetLateReason(reason).SetPromisedDeliveryTo(promise).
		SetUpdatedAt(now).Exec(ctx); err != nil {
		return false, fmt.Errorf("mark shipment late: %w", err)
	}
	ev := events.ShipmentDelayed{ShipmentID: string(sh.ID), Reason: reason, NewPromise: stamp(promise)}
	if sh.PromisedDeliveryTo != nil {
		ev.PromisedBy = stamp(*sh.PromisedDeliveryTo)
	}
	if sh.LatestEstimate != nil {
		ev.EstimatedBy = stamp(*sh.LatestEstimate)
	}
	sh.LateRisk, sh.LateReason, sh.PromisedDeliveryTo = true, reason, &promise
	if o.RepromisedDeliveryTo == nil || promise.After(*o.RepromisedDeliveryTo) {
		if err := s.Orders.Repromise(ctx, tx, o, promise); err != nil {
			return false, err
		}
	}
	return true, events.Append(ctx, tx, s.event(ctx, o, sh, ev))
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SweepDelays looks at every shipment with its carrier as of now and marks those that newly became
// late-risk (a silent lane, mostly: estimates and delay scans are caught as they arrive). It
// returns how many it marked. The periodic delay sweep runs it with the service's clock.
func (s *Service) SweepDelays(ctx context.Context, now time.Time) (int, error) {
	var marked int
	var after pulid.ID
	for {
		q := s.DB.Client.Shipment.Query().Where(shipment.StatusIn(inTransit...), shipment.ReturnExpected(false),
			shipment.DirectionEQ(shipment.DirectionOUTBOUND)).
			Order(shipment.ByID()).Limit(sweepPage)
		if after != "" {
			q.Where(shipment.IDGT(after))
		}
		page, err := q.All(ctx)
		if err != nil {
			return marked, fmt.Errorf("load shipments in transit: %w", err)
		}
		for _, sh := range page {
			err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
				sh, o, err := load(ctx, tx, sh.ID)
				if err != nil {
					return err
				}
				if o.Status == order.StatusCANCELLED {
					return nil
				}
				ok, err := s.delay(ctx, tx, o, sh, false, now)
				if ok {
					marked++
				}
				return err
			})
			if err != nil {
				return marked, err
			}
		}
		if len(page) < sweepPage {
			break
		}
		after = page[len(page)-1].ID
	}
	if marked > 0 {
		s.committed()
	}
	return marked, nil
}

// sweepPage is how many shipments a sweep reads at a time.
const sweepPage = 200

// LateRiskShipments lists the late-risk shipments with their carrier, the earliest promise first,
// at one origin location when locationID is not nil; first is capped at 100 (default 50). The
// viewer's scope applies (a partner sees its own locations').
func (s *Service) LateRiskShipments(ctx context.Context, locationID *pulid.ID, first int) ([]*ent.Shipment, error) {
	if first <= 0 {
		first = 50
	}
	q := s.DB.Client.Shipment.Query().Where(shipment.StatusIn(inTransit...), shipment.LateRisk(true))
	if locationID != nil {
		if err := locationID.Validate("loc"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "locationID: %v", err)
		}
		q.Where(shipment.LocationID(*locationID))
	}
	return q.Order(shipment.ByPromisedDeliveryTo(), shipment.ByID()).Limit(min(first, 100)).All(ctx)
}
