package outbound

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/jobs"
)

// Actions a confirmation tells a channel.
const (
	ActionShip   = "ship"
	ActionCancel = "cancel"
)

// Event types of confirmations.
const (
	EventConfirmed = events.KindChannelConfirmed // the channel took a shipment or cancellation
	EventRefused   = events.KindChannelRefused   // the channel refused it; someone should look
)

// ConfirmArgs is the job of telling a channel that Ordo shipped or cancelled one of its orders.
// Each (order, action) is confirmed once.
type ConfirmArgs struct {
	OrderID        pulid.ID `json:"order_id" river:"unique"`
	Action         string   `json:"action" river:"unique"`
	Carrier        string   `json:"carrier,omitempty"`
	TrackingNumber string   `json:"tracking_number,omitempty"`
	Reason         string   `json:"reason,omitempty"`
}

// Kind implements river.JobArgs.
func (ConfirmArgs) Kind() string { return "channel_confirm" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ConfirmArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type confirmWorker struct {
	river.WorkerDefaults[ConfirmArgs]
	s *Service
}

func (w *confirmWorker) Work(ctx context.Context, job *river.Job[ConfirmArgs]) error {
	return w.s.confirm(ctx, job.Args)
}

// confirm sends one confirmation and records how the channel took it.
func (s *Service) confirm(ctx context.Context, a ConfirmArgs) error {
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
	conn, err := s.Connections.Connector(ch)
	if err != nil {
		return err
	}
	lines := make([]channels.ShipmentLine, 0, len(o.Edges.Lines))
	for _, l := range o.Edges.Lines {
		if l.Kind != orderline.KindSTOCK {
			continue // a tip or a custom amount is not shipped, and an unmapped item not by Ordo
		}
		lines = append(lines, channels.ShipmentLine{LineID: l.ExternalLineID, ListingID: l.ListingID, SKU: l.Sku, UnitIDs: l.ExternalUnitIds, Quantity: l.Quantity})
	}
	switch a.Action {
	case ActionShip:
		err = conn.ConfirmShipment(ctx, channels.Shipment{
			OrderID: *o.ExternalID, Carrier: a.Carrier, TrackingNumber: a.TrackingNumber, ShippedAt: s.now(), Lines: lines, Refs: o.ChannelRefs,
		})
	case ActionCancel:
		err = conn.CancelOrder(ctx, channels.Cancellation{OrderID: *o.ExternalID, Reason: a.Reason, Lines: lines, Refs: o.ChannelRefs})
	default:
		return river.JobCancel(fmt.Errorf("outbound: unknown confirmation %q", a.Action))
	}
	switch {
	case err == nil:
		return s.record(ctx, o, events.ChannelConfirmed{Action: a.Action})
	case jobs.Classify(err) == jobs.Stop:
		// Refused for good (jobs.Classify): the refusal on the order's timeline is the alert.
		s.log().WarnContext(ctx, "channel refused a confirmation", "order", o.ID, "action", a.Action, "err", err)
		return s.record(ctx, o, events.ChannelRefused{Action: a.Action, Reason: err.Error()})
	}
	return err // throttled or transient: the jobs middleware snoozes or retries
}

// record writes a confirmation's outcome on the order's timeline.
func (s *Service) record(ctx context.Context, o *ent.Order, outcome events.Payload) error {
	e := events.Event{OrderID: string(o.ID), ChannelID: string(*o.ChannelID), Payload: outcome}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	return s.DB.Tx(ingestion.Actor(ctx, *o.ChannelID), func(tx *ent.Tx) error {
		return events.Append(ingestion.Actor(ctx, *o.ChannelID), tx, e)
	})
}
