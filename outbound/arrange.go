package outbound

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/jobs"
)

// ArrangeArgs is the job of asking a marketplace to carry one MARKETPLACE shipment
// (channels.Logistics): it books the carrier for the shipment's packages, Ordo records their
// tracking numbers (its packages following the marketplace's), then downloads and keeps their
// airway bills. One waits or ran per shipment; running it again changes nothing.
type ArrangeArgs struct {
	ShipmentID pulid.ID `json:"shipment_id" river:"unique"`
	// Handover is channels.HandoverPickup or HandoverDropOff; empty: the channel's default.
	Handover string `json:"handover,omitempty"`
}

// Kind implements river.JobArgs.
func (ArrangeArgs) Kind() string { return "channel_arrange_shipment" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ArrangeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// arrangeWait is how long an arrangement waits for tracking numbers the marketplace has not
// assigned yet (Shopee assigns them a moment after ship_order), and arrangeGiveUp how long it
// waits in all before it is a refusal.
const (
	arrangeWait   = 5 * time.Second
	arrangeGiveUp = 24 * time.Hour
)

type arrangeWorker struct {
	river.WorkerDefaults[ArrangeArgs]
	s *Service
}

func (w *arrangeWorker) Work(ctx context.Context, job *river.Job[ArrangeArgs]) error {
	return w.s.arrange(ctx, job.Args, job.CreatedAt)
}

// Arrange queues the arrangement of a MARKETPLACE shipment with its marketplace's logistics, for
// the viewer in ctx (a partner reaches only the shipments leaving its locations). A shipment
// arranged before, or whose arrangement waits or runs, is returned as it is.
func (s *Service) Arrange(ctx context.Context, shipmentID pulid.ID, handover string) (*ent.Shipment, error) {
	if err := shipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	switch handover {
	case "", channels.HandoverPickup, channels.HandoverDropOff:
	default:
		return nil, fault.New(fault.InvalidArgument, "handover %q: want %s or %s", handover, channels.HandoverPickup, channels.HandoverDropOff)
	}
	sh, err := s.DB.Client.Shipment.Get(ctx, shipmentID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "shipment %s not found", shipmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	if sh.ArrangedAt != nil {
		return sh, nil
	}
	o, err := s.DB.Client.Order.Query().Where(order.ID(sh.OrderID)).WithChannel().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	if err := fulfilment.Arrangeable(sh, o.Status); err != nil {
		return nil, err
	}
	if ch := o.Edges.Channel; ch == nil || o.ExternalID == nil || len(ch.Credentials) == 0 {
		return nil, fault.New(fault.Conflict, "shipment %s: its order is not a connected marketplace's", sh.ID)
	}
	if _, err := s.Queue.Insert(ctx, ArrangeArgs{ShipmentID: sh.ID, Handover: handover}, nil); err != nil {
		return nil, err
	}
	return sh, nil
}

// arrange runs one arrangement: the marketplace is asked (outside any transaction) unless the
// shipment was arranged before, what it answered is recorded, then the airway bills are
// downloaded and kept unless they were before. A refusal (jobs.Classify's Stop) is recorded on the
// order's timeline, the alert; throttling and transient failures are returned to be retried.
func (s *Service) arrange(ctx context.Context, a ArrangeArgs, queued time.Time) error {
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(a.ShipmentID)).WithLines().
		WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load shipment: %w", err)
	}
	o, err := s.DB.Client.Order.Query().Where(order.ID(sh.OrderID)).WithChannel().WithLines().Only(ctx)
	if err != nil {
		return fmt.Errorf("load order: %w", err)
	}
	ch := o.Edges.Channel
	if ch == nil || o.ExternalID == nil || len(ch.Credentials) == 0 {
		return nil
	}
	lg, ok, err := s.Connections.Logistics(ch)
	if err != nil {
		return err
	}
	if !ok {
		return s.outcome(ctx, o, ActionArrange, channels.Refused("%s does not arrange logistics", ch.Kind))
	}
	arr, arranged := fulfilment.Arrangement(sh, sh.Edges.Packages, *o.ExternalID)
	if !arranged {
		if err := fulfilment.Arrangeable(sh, o.Status); err != nil {
			s.log().InfoContext(ctx, "shipment not arranged", "shipment", sh.ID, "why", err)
			return nil // it moved on meanwhile (shipped, cancelled): nothing to arrange
		}
		lines, err := s.channelLines(ctx, o, sh)
		if err != nil {
			return err
		}
		arr, err = lg.ArrangeShipment(ctx, channels.ArrangeRequest{
			OrderID: *o.ExternalID, ShipmentID: string(sh.ID), Lines: lines,
			Refs: o.ChannelRefs, Handover: a.Handover,
		})
		if err != nil {
			return s.outcome(ctx, o, ActionArrange, err)
		}
		if !fulfilment.Complete(arr) {
			if time.Since(queued) > arrangeGiveUp {
				return s.outcome(ctx, o, ActionArrange, channels.Refused("shipment %s: the marketplace gave no tracking number in %v", sh.ID, arrangeGiveUp))
			}
			return river.JobSnooze(arrangeWait)
		}
		recorded, err := s.shipments().RecordArranged(ctx, sh.ID, arr, carrierName(ch))
		if err != nil {
			return err
		}
		if recorded {
			if err := s.outcome(ctx, o, ActionArrange, nil); err != nil {
				return err
			}
		}
	}
	have, err := s.DB.Client.Document.Query().Where(document.ShipmentID(sh.ID), document.KindEQ(document.KindAIRWAY_BILL)).Exist(ctx)
	if err != nil || have {
		return err
	}
	docs, err := lg.ShippingDocuments(ctx, arr)
	if err != nil {
		return s.refusal(ctx, o, ActionDocuments, err)
	}
	_, err = s.shipments().RecordDocuments(ctx, sh.ID, docs)
	if jobs.Classify(err) == jobs.Stop {
		return s.refusal(ctx, o, ActionDocuments, err)
	}
	return err
}

// refusal records a refusal for good on the order's timeline; any other error is returned to be
// retried.
func (s *Service) refusal(ctx context.Context, o *ent.Order, action string, err error) error {
	if jobs.Classify(err) != jobs.Stop {
		return err
	}
	return s.outcome(ctx, o, action, err)
}

// taken is how many units of each order line (bundles counted whole) the order's shipments before
// sh carried.
func (s *Service) taken(ctx context.Context, sh *ent.Shipment, lines []*ent.OrderLine, bundles Bundles) (map[pulid.ID]int64, error) {
	earlier, err := s.DB.Client.Shipment.Query().
		Where(shipment.OrderID(sh.OrderID), shipment.IDLT(sh.ID), shipment.StatusNEQ(shipment.StatusCANCELLED)).WithLines().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load shipments: %w", err)
	}
	byID := make(map[pulid.ID]*ent.OrderLine, len(lines))
	for _, l := range lines {
		byID[l.ID] = l
	}
	shipped := map[pulid.ID]map[string]int64{}
	for _, e := range earlier {
		for _, l := range e.Edges.Lines {
			if shipped[l.OrderLineID] == nil {
				shipped[l.OrderLineID] = map[string]int64{}
			}
			shipped[l.OrderLineID][l.Sku] += l.Quantity
		}
	}
	taken := map[pulid.ID]int64{}
	for id, bySKU := range shipped {
		if ol := byID[id]; ol != nil {
			taken[id] = bundles.lineUnits(ol, bySKU)
		}
	}
	return taken, nil
}

// carrierName is the carrier a marketplace shipment is recorded with when the marketplace names
// none: its logistics, e.g. "Shopee".
func carrierName(ch *ent.Channel) string {
	words := strings.Split(strings.ToLower(string(ch.Kind)), "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// shipments is package fulfilment over outbound's store: the writer of the shipments' records.
func (s *Service) shipments() *fulfilment.Service {
	f := &fulfilment.Service{DB: s.DB, Clock: s.Clock}
	if s.Hub != nil {
		f.Committed = s.Hub.Wake
	}
	return f
}
