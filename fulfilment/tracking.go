package fulfilment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"
	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/carriers"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/carrieraccount"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/ent/trackingevent"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/shipping"
)

// TrackReport is what Track did with a batch of tracking events.
type TrackReport struct {
	// Recorded are the events stored; Duplicates those already stored (a replay), skipped.
	Recorded, Duplicates int
	// Moved counts the status changes the events made.
	Moved int
	// Unknown are tracking numbers no shipment carries: ignored, so that carriers stop resending.
	Unknown []string
}

// Track takes a batch of tracking events (one webhook, or one pull) into their shipments, in one
// transaction: each event is stored once per (source, event id), so that replays change nothing;
// the shipment's latest tag, scan time and carrier estimate follow the newest scan; the scan moves
// the shipment where Tracked says (a shipment still at its origin ships first, with its stock);
// a return to sender is noted; the late-risk rules run (LateRisk); and the order follows its
// shipments. Events are taken oldest first, whatever order they came in.
func (s *Service) Track(ctx context.Context, evs []shipping.TrackingEvent) (TrackReport, error) {
	sorted := slices.Clone(evs)
	slices.SortStableFunc(sorted, func(a, b shipping.TrackingEvent) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.Tag.Rank(), b.Tag.Rank()))
	})
	var rep TrackReport
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		rep = TrackReport{}
		now := s.now()
		for _, ev := range sorted {
			if ev.EventID == "" || ev.TrackingNumber == "" {
				continue
			}
			sh, err := find(ctx, tx, ev.TrackingNumber)
			if err != nil {
				return err
			}
			if sh == nil {
				if !slices.Contains(rep.Unknown, ev.TrackingNumber) {
					rep.Unknown = append(rep.Unknown, ev.TrackingNumber)
				}
				continue
			}
			source := sourceName(ev.Source)
			dup, err := tx.TrackingEvent.Query().Where(trackingevent.Source(source), trackingevent.EventID(ev.EventID)).Exist(ctx)
			if err != nil {
				return fmt.Errorf("look for tracking event: %w", err)
			}
			if dup {
				rep.Duplicates++
				continue
			}
			o, err := tx.Order.Get(ctx, sh.OrderID)
			if err != nil {
				return fmt.Errorf("load order: %w", err)
			}
			moved, err := s.track(ctx, tx, o, sh, source, ev, now)
			if err != nil {
				return err
			}
			rep.Recorded++
			rep.Moved += moved
		}
		return nil
	})
	if err != nil {
		return TrackReport{}, err
	}
	s.committed()
	return rep, nil
}

// sourceName is the TrackingEvent.source of a carrier kind: the same whether pushed or pulled, so
// that (source, event id) dedupes both.
func sourceName(k shipping.CarrierKind) string { return strings.ToLower(string(k)) }

// find returns the shipment (not cancelled) that carries a tracking number, on one of its packages
// or in its own list; nil when none does. A number used again is the newest shipment's.
func find(ctx context.Context, tx *ent.Tx, tn string) (*ent.Shipment, error) {
	pkg, err := tx.ShipmentPackage.Query().
		Where(shipmentpackage.TrackingNumber(tn), shipmentpackage.HasShipmentWith(shipment.StatusNEQ(shipment.StatusCANCELLED))).
		Order(ent.Desc(shipmentpackage.FieldID)).First(ctx)
	switch {
	case err == nil:
		sh, err := tx.Shipment.Get(ctx, pkg.ShipmentID)
		if err != nil {
			return nil, fmt.Errorf("load shipment: %w", err)
		}
		return sh, nil
	case !ent.IsNotFound(err):
		return nil, fmt.Errorf("find package by tracking number: %w", err)
	}
	// tracking_numbers is a JSON array: ValueContains is @> on PostgreSQL, json_each on SQLite.
	cands, err := tx.Shipment.Query().
		Where(shipment.StatusNEQ(shipment.StatusCANCELLED), func(s *sql.Selector) {
			s.Where(sqljson.ValueContains(shipment.FieldTrackingNumbers, tn))
		}).
		Order(ent.Desc(shipment.FieldID)).Limit(10).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("find shipment by tracking number: %w", err)
	}
	for _, c := range cands {
		if slices.Contains(c.TrackingNumbers, tn) {
			return c, nil
		}
	}
	return nil, nil
}

// track takes one new event into sh in tx and reports how many status changes it made.
func (s *Service) track(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, source string, ev shipping.TrackingEvent, now time.Time) (int, error) {
	at := ev.OccurredAt.UTC()
	if ev.OccurredAt.IsZero() {
		at = now
	}
	err := tx.TrackingEvent.Create().SetShipmentID(sh.ID).SetSource(source).SetEventID(ev.EventID).
		SetTrackingNumber(ev.TrackingNumber).SetTag(string(ev.Tag)).SetSubtag(ev.Subtag).SetRawStatus(ev.RawStatus).
		SetMessage(ev.Message).SetLocation(ev.Location).SetOccurredAt(at).SetReceivedAt(now).SetRaw(string(ev.Raw)).Exec(ctx)
	if ent.IsConstraintError(err) {
		return 0, fault.New(fault.Unavailable, "tracking event %s of %s arrived twice at once; retry", ev.EventID, source)
	}
	if err != nil {
		return 0, fmt.Errorf("store tracking event: %w", err)
	}
	moved := 0
	// A scan that has the parcel moving ships a shipment not yet marked shipped, stock and all.
	if slices.Contains(atOrigin, sh.Status) && sh.Method != shipment.MethodPICKUP &&
		ev.Tag.Rank() >= shipping.InTransit.Rank() && ev.Tag != shipping.Expired {
		in := CommandInput{ShipmentID: sh.ID, Command: Ship, Carrier: cmp.Or(sh.Carrier, ev.Carrier, source)}
		if len(sh.TrackingNumbers) == 0 {
			in.TrackingNumbers = []string{ev.TrackingNumber}
		}
		switch err := s.apply(ctx, tx, o, sh, in); {
		case err == nil:
			moved++
			sh.ShippedAt = &now
		case fault.CodeOf(err) != fault.Conflict:
			return 0, err
		}
		// Conflict: the order is on hold; the scan is kept and the shipment waits.
	}
	prev := sh.LastScanAt
	// Guarded on the status and the latest scan: a concurrent scan of the same shipment makes this one retry.
	upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusEQ(sh.Status)).SetUpdatedAt(now)
	if prev == nil {
		upd.Where(shipment.LastScanAtIsNil())
	} else {
		upd.Where(shipment.LastScanAtEQ(*prev))
	}
	if prev == nil || !at.Before(*prev) {
		if tag := shipment.TrackingTag(ev.Tag); shipment.TrackingTagValidator(tag) == nil {
			upd.SetTrackingTag(tag)
			sh.TrackingTag = &tag
		}
		upd.SetTrackingSubtag(ev.Subtag).SetLastScanAt(at)
		sh.TrackingSubtag, sh.LastScanAt = ev.Subtag, &at
		if ev.EstimatedDeliveryMax != nil {
			est := ev.EstimatedDeliveryMax.UTC()
			upd.SetLatestEstimate(est)
			sh.LatestEstimate = &est
		}
	}
	if ev.ReturnToSender {
		upd.SetReturnExpected(true)
		sh.ReturnExpected = true
	}
	from := sh.Status
	next, ok := sh.Status, false
	if Shipped(sh.Status) {
		var last time.Time
		if prev != nil {
			last = *prev
		}
		next, ok = Tracked(sh.Status, last, Scan{Tag: string(ev.Tag), ReturnToSender: ev.ReturnToSender, OccurredAt: at})
	}
	if ok {
		upd.SetStatus(next)
		if next == shipment.StatusDELIVERED {
			upd.SetDeliveredAt(at)
		}
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("update shipment: %w", err)
	}
	if n == 0 {
		return 0, fault.New(fault.Unavailable, "shipment %s changed while its tracking was taken; retry", sh.ID)
	}
	var p events.Payload = events.ShipmentTracked{ShipmentID: string(sh.ID), Source: source, Tag: string(ev.Tag),
		Subtag: ev.Subtag, Message: ev.Message, OccurredAt: stamp(at)}
	if ok {
		sh.Status = next
		moved++
		p = events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(Track), From: string(from), To: string(next),
			Reason: cmp.Or(ev.Message, ev.RawStatus, string(ev.Tag))}
	}
	if err := events.Append(ctx, tx, s.event(ctx, o, sh, p)); err != nil {
		return 0, err
	}
	if ok {
		if err := s.moved(ctx, tx, o, sh, from); err != nil {
			return 0, err
		}
	}
	if inbound(sh) {
		return moved, nil // a return travels without a promise, and its order does not follow it
	}
	if _, err := s.delay(ctx, tx, o, sh, ev.Delay, now); err != nil {
		return 0, err
	}
	if ok {
		return moved, s.follow(ctx, tx, o)
	}
	return moved, nil
}

// Tracking takes carriers' tracking in: their signed webhooks, pulls from carriers that do not push,
// and the periodic delay and ship-by sweeps.
type Tracking struct {
	Fulfilment *Service
	Carriers   *carriers.Service
	// PullAfter is how long a shipment with its carrier may go without a scan before its tracking
	// is pulled (default 6 hours).
	PullAfter time.Duration
	Log       *slog.Logger
}

func (t *Tracking) log() *slog.Logger {
	if t.Log != nil {
		return t.Log
	}
	return slog.Default()
}

// ReceiveTracking takes one tracking webhook to /webhooks/carriers/{accountID}: the account's source
// verifies the signature over the raw body (Unauthenticated, storing nothing, when it does not
// match) and reads it (InvalidArgument when it cannot), and Track takes its events in. Tracking
// numbers no shipment carries are logged and ignored. When the carrier expects a particular answer
// (shipping.Acknowledger) it is returned, to be sent after the commit.
func (t *Tracking) ReceiveTracking(ctx context.Context, accountID string, h http.Header, body []byte) (contentType string, ack []byte, err error) {
	ctx = auth.NewContext(ctx, auth.Viewer{Name: "carrier:" + accountID, Role: auth.Admin})
	if pulid.ID(accountID).Validate("car") != nil {
		return "", nil, fault.New(fault.NotFound, "carrier account %s not found", accountID)
	}
	acc, err := t.Carriers.Get(ctx, pulid.ID(accountID))
	if err != nil {
		return "", nil, err
	}
	src, err := t.Carriers.Source(acc)
	if err != nil {
		return "", nil, err
	}
	if err := src.Verify(h, body); err != nil {
		if errors.Is(err, shipping.ErrUnsigned) || errors.Is(err, shipping.ErrBadSignature) {
			return "", nil, fault.New(fault.Unauthenticated, "tracking webhook refused: %v", err)
		}
		return "", nil, err
	}
	evs, err := src.Parse(h, body)
	if err != nil {
		return "", nil, fault.New(fault.InvalidArgument, "tracking webhook unreadable: %v", err)
	}
	rep, err := t.Fulfilment.Track(ctx, evs)
	if err != nil {
		return "", nil, err
	}
	if len(rep.Unknown) > 0 {
		t.log().InfoContext(ctx, "tracking webhook for unknown tracking numbers; ignored", "account", accountID, "trackingNumbers", rep.Unknown)
	}
	if a, ok := src.(shipping.Acknowledger); ok {
		ct, b := a.Ack()
		return ct, b, nil
	}
	return "", nil, nil
}

// Pull pulls the tracking of shipments with a carrier (through a carrier account that can be
// pulled from: EasyPost, AfterShip) that have had no scan for PullAfter as of now, and takes it
// in. It returns how many events it recorded. Accounts whose carrier serves no pull are skipped.
func (t *Tracking) Pull(ctx context.Context, now time.Time) (int, error) {
	after := cmp.Or(t.PullAfter, 6*time.Hour)
	cut := now.Add(-after)
	stale, err := t.Fulfilment.DB.Client.Shipment.Query().
		Where(shipment.StatusIn(inTransit...), shipment.CarrierAccountIDNotNil(),
			shipment.Or(shipment.LastScanAtLT(cut), shipment.And(shipment.LastScanAtIsNil(), shipment.ShippedAtLT(cut)))).
		Order(shipment.ByID()).Limit(500).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load shipments to pull: %w", err)
	}
	trackers := map[pulid.ID]shipping.Tracker{}
	recorded := 0
	for _, sh := range stale {
		id := *sh.CarrierAccountID
		tr, seen := trackers[id]
		if !seen {
			tr, err = t.tracker(ctx, id)
			if err != nil {
				return recorded, err
			}
			trackers[id] = tr
		}
		if tr == nil {
			continue
		}
		for _, tn := range sh.TrackingNumbers {
			evs, err := tr.Track(ctx, tn)
			if errors.Is(err, shipping.ErrUnsupported) {
				break
			}
			if err != nil {
				return recorded, fmt.Errorf("pull tracking of %s: %w", tn, err)
			}
			rep, err := t.Fulfilment.Track(ctx, evs)
			if err != nil {
				return recorded, err
			}
			recorded += rep.Recorded
		}
	}
	return recorded, nil
}

// tracker opens the tracker of an active account; nil when the account has none.
func (t *Tracking) tracker(ctx context.Context, id pulid.ID) (shipping.Tracker, error) {
	acc, err := t.Fulfilment.DB.Client.CarrierAccount.Query().Where(carrieraccount.ID(id), carrieraccount.Active(true)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load carrier account: %w", err)
	}
	tr, err := t.Carriers.Tracker(acc)
	if errors.Is(err, shipping.ErrUnsupported) || errors.Is(err, shipping.ErrAccount) {
		return nil, nil
	}
	return tr, err
}

// The intervals of the periodic tracking jobs.
const (
	PullInterval          = 30 * time.Minute
	DelaySweepInterval    = 15 * time.Minute
	DeadlineSweepInterval = 5 * time.Minute
)

// PullArgs is the periodic job that pulls stale shipments' tracking.
type PullArgs struct{}

// Kind implements river.JobArgs.
func (PullArgs) Kind() string { return "tracking_pull" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PullArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueChannel} }

// DelaySweepArgs is the periodic job that finds late-risk shipments (SweepDelays).
type DelaySweepArgs struct{}

// Kind implements river.JobArgs.
func (DelaySweepArgs) Kind() string { return "shipment_delay_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DelaySweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// DeadlineSweepArgs is the periodic job that raises ship-by alerts (SweepDeadlines).
type DeadlineSweepArgs struct{}

// Kind implements river.JobArgs.
func (DeadlineSweepArgs) Kind() string { return "ship_by_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DeadlineSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// Register adds the tracking jobs' workers.
func (t *Tracking) Register(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, _ *river.Job[PullArgs]) error {
		_, err := t.Pull(auth.NewContext(ctx, auth.System), t.Fulfilment.now())
		return err
	}))
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, _ *river.Job[DelaySweepArgs]) error {
		_, err := t.Fulfilment.SweepDelays(auth.NewContext(ctx, auth.System), t.Fulfilment.now())
		return err
	}))
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, _ *river.Job[DeadlineSweepArgs]) error {
		_, err := t.Fulfilment.SweepDeadlines(auth.NewContext(ctx, auth.System), t.Fulfilment.now())
		return err
	}))
}

// Periodic returns the tracking jobs' schedules.
func (t *Tracking) Periodic() []*river.PeriodicJob {
	every := func(d time.Duration, args river.JobArgs) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) { return args, nil }, nil)
	}
	return []*river.PeriodicJob{
		every(PullInterval, PullArgs{}), every(DelaySweepInterval, DelaySweepArgs{}), every(DeadlineSweepInterval, DeadlineSweepArgs{}),
	}
}
