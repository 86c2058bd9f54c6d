package outbound

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/jobs"
)

// ActionDeliver is telling a channel that one shipment of its order was delivered.
const ActionDeliver = "deliver"

// DeliverArgs is the job of telling a channel that takes deliveries (channels.DeliveryConfirmer)
// that one shipment of its order was delivered. Each shipment's delivery is told once.
type DeliverArgs struct {
	OrderID    pulid.ID `json:"order_id" river:"unique"`
	ShipmentID pulid.ID `json:"shipment_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "channel_confirm_delivery" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// deliverWait is how long a delivery waits for the channel to know the shipment it concerns
// (channels.ErrUnknownShipment: the shipment's own confirmation is still on its way, as when a
// carrier's first scan is the delivery), and deliverGiveUp how long it waits in all before that
// is a refusal.
const (
	deliverWait   = 10 * time.Second
	deliverGiveUp = time.Hour
)

// Delivered reports whether a shipment's move from one status to another is its delivery, which
// its channel is told of once. It is pure.
func Delivered(from, to shipment.Status) bool {
	return from != shipment.StatusDELIVERED && to == shipment.StatusDELIVERED
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.s.deliver(ctx, job.Args, job.CreatedAt)
}

// deliver tells a shipment's delivery to its channel, where the channel takes it, and records how
// the channel took it (ChannelConfirmed or ChannelRefused, action ActionDeliver). A shipment no
// longer delivered (a correction moved it back) is not told.
func (s *Service) deliver(ctx context.Context, a DeliverArgs, queued time.Time) error {
	o, err := s.DB.Client.Order.Query().Where(order.ID(a.OrderID)).WithChannel().WithLines().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load order: %w", err)
	}
	ch := o.Edges.Channel
	if ch == nil || o.ExternalID == nil || len(ch.Credentials) == 0 {
		return nil // not a connected channel's order
	}
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(a.ShipmentID), shipment.OrderID(o.ID)).
		WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load shipment: %w", err)
	}
	if sh.Status != shipment.StatusDELIVERED || sh.Direction == shipment.DirectionRETURN {
		return nil // not delivered (any more), or a return that reached its warehouse
	}
	dc, ok, err := s.Connections.DeliveryConfirmer(ch)
	if err != nil || !ok {
		return err
	}
	err = dc.ConfirmDelivery(ctx, delivery(o, sh, s.now()))
	if errors.Is(err, channels.ErrUnknownShipment) && time.Since(queued) < deliverGiveUp {
		return river.JobSnooze(deliverWait)
	}
	return s.outcome(ctx, o, ActionDeliver, err)
}

// delivery is the channels.Delivery of a delivered shipment of a channel's order (loaded with its
// lines; the shipment with its packages by index); now stands in for a delivery time the carrier
// did not give. It is pure.
func delivery(o *ent.Order, sh *ent.Shipment, now time.Time) channels.Delivery {
	d := channels.Delivery{
		ShipmentID: string(sh.ID), DeliveredAt: now, Refs: o.ChannelRefs,
		Packages: channelPackages(sh.Edges.Packages, sh.TrackingNumbers, o.Edges.Lines),
	}
	if o.ExternalID != nil {
		d.OrderID = *o.ExternalID
	}
	if sh.DeliveredAt != nil {
		d.DeliveredAt = *sh.DeliveredAt
	}
	if len(sh.TrackingNumbers) > 0 {
		d.TrackingNumber = sh.TrackingNumbers[0]
	}
	return d
}
