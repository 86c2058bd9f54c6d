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
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/jobs"
)

// Actions a confirmation tells a channel.
const (
	ActionShip   = "ship"
	ActionCancel = "cancel"
	// ActionArrange is the marketplace arranging its logistics for a shipment (see ArrangeArgs);
	// ActionDocuments fetching the shipment's airway bills.
	ActionArrange   = "arrange"
	ActionDocuments = "documents"
)

// Event types of confirmations.
const (
	EventConfirmed = events.KindChannelConfirmed // the channel took a shipment or cancellation
	EventRefused   = events.KindChannelRefused   // the channel refused it; someone should look
)

// ConfirmArgs is the job of telling a channel that one shipment of its order left (ActionShip,
// with ShipmentID), or that Ordo cancelled the order (ActionCancel). Each shipment is confirmed
// once, and each order's cancellation.
type ConfirmArgs struct {
	OrderID    pulid.ID `json:"order_id" river:"unique"`
	ShipmentID pulid.ID `json:"shipment_id,omitempty" river:"unique"`
	Action     string   `json:"action" river:"unique"`
	Reason     string   `json:"reason,omitempty"`
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
	switch a.Action {
	case ActionShip:
		if a.ShipmentID == "" {
			return s.perShipment(ctx, o)
		}
		sh, err := s.confirmation(ctx, o, a.ShipmentID)
		if err != nil || sh == nil {
			return err
		}
		conn, err := s.Connections.Connector(ch)
		if err != nil {
			return err
		}
		return s.outcome(ctx, o, a.Action, conn.ConfirmShipment(ctx, *sh))
	case ActionCancel:
		conn, err := s.Connections.Connector(ch)
		if err != nil {
			return err
		}
		err = conn.CancelOrder(ctx, channels.Cancellation{OrderID: *o.ExternalID, Reason: a.Reason, Lines: orderLines(o.Edges.Lines), Refs: o.ChannelRefs})
		return s.outcome(ctx, o, a.Action, err)
	}
	return river.JobCancel(fmt.Errorf("outbound: unknown confirmation %q", a.Action))
}

// perShipment turns a ship confirmation queued per order (before shipments were confirmed one
// by one) into one per shipment of the order that left its origin.
func (s *Service) perShipment(ctx context.Context, o *ent.Order) error {
	shs, err := s.DB.Client.Shipment.Query().Where(shipment.OrderID(o.ID)).Order(shipment.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load shipments: %w", err)
	}
	for _, sh := range shs {
		if !fulfilment.Shipped(sh.Status) {
			continue
		}
		if _, err := s.Queue.Insert(ctx, ConfirmArgs{OrderID: o.ID, ShipmentID: sh.ID, Action: ActionShip}, nil); err != nil {
			return err
		}
	}
	return nil
}

// outcome records how a channel took a call: confirmed, or refused for good (jobs.Classify), the
// refusal on the order's timeline being the alert. A throttled or transient failure is returned
// for the jobs middleware to snooze or retry.
func (s *Service) outcome(ctx context.Context, o *ent.Order, action string, err error) error {
	switch {
	case err == nil:
		return s.record(ctx, o, events.ChannelConfirmed{Action: action})
	case jobs.Classify(err) == jobs.Stop:
		s.log().WarnContext(ctx, "channel refused a call", "order", o.ID, "action", action, "err", err)
		return s.record(ctx, o, events.ChannelRefused{Action: action, Reason: err.Error()})
	}
	return err
}

// orderLines are an order's lines as its channel knows them, whole: what a cancellation names.
func orderLines(ls []*ent.OrderLine) []channels.ShipmentLine {
	out := make([]channels.ShipmentLine, 0, len(ls))
	for _, l := range ls {
		if l.Kind != orderline.KindSTOCK {
			continue // a tip or a custom amount is not shipped, and an unmapped item not by Ordo
		}
		out = append(out, channels.ShipmentLine{LineID: l.ExternalLineID, ListingID: l.ListingID, SKU: l.Sku, UnitIDs: l.ExternalUnitIds, Quantity: l.Quantity})
	}
	return out
}

// confirmation is the channels.Shipment that confirms one shipment of o, or nil when there is
// nothing to tell: the shipment is gone, or the marketplace arranged it and arranging was the
// confirmation (Shopee, TikTok Shop; Arranged.ConfirmOnHandover).
func (s *Service) confirmation(ctx context.Context, o *ent.Order, shipmentID pulid.ID) (*channels.Shipment, error) {
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(shipmentID), shipment.OrderID(o.ID)).WithLocation().
		WithLines().WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	if sh.ArrangedAt != nil && !sh.ConfirmOnHandover {
		return nil, nil
	}
	lines, err := s.channelLines(ctx, o, sh)
	if err != nil {
		return nil, err
	}
	out := &channels.Shipment{
		OrderID: *o.ExternalID, ShipmentID: string(sh.ID), Carrier: sh.Carrier, TrackingURL: sh.TrackingURL,
		ShippedAt: s.now(), Lines: lines, Packages: channelPackages(sh.Edges.Packages, sh.TrackingNumbers, o.Edges.Lines), Refs: o.ChannelRefs,
	}
	if sh.ShippedAt != nil {
		out.ShippedAt = *sh.ShippedAt
	}
	if len(sh.TrackingNumbers) > 0 {
		out.TrackingNumber = sh.TrackingNumbers[0]
	}
	if l := sh.Edges.Location; l != nil && o.ChannelID != nil {
		out.LocationRef = l.ChannelLocations[string(*o.ChannelID)] // empty: the connector's default
	}
	return out, nil
}

// channelLines are a shipment's lines as its channel knows them, each with the units the order's
// earlier shipments (by id, cancelled ones left out) did not take.
func (s *Service) channelLines(ctx context.Context, o *ent.Order, sh *ent.Shipment) ([]channels.ShipmentLine, error) {
	earlier, err := s.DB.Client.Shipment.Query().
		Where(shipment.OrderID(o.ID), shipment.IDLT(sh.ID), shipment.StatusNEQ(shipment.StatusCANCELLED)).WithLines().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load shipments: %w", err)
	}
	taken := map[pulid.ID]int64{}
	for _, e := range earlier {
		for _, l := range e.Edges.Lines {
			taken[l.OrderLineID] += l.Quantity
		}
	}
	return ShipmentLines(sh.Edges.Lines, o.Edges.Lines, taken), nil
}

// ShipmentLines are a shipment's lines as the channel knows its order's lines (line id, listing,
// SKU), with the quantities shipped; lines of one order line are merged. Where the channel names
// each unit (Lazada's order items, TikTok Shop's line items), a line carries the units after the
// taken ones that earlier shipments of the line carried. It is pure.
func ShipmentLines(ls []*ent.ShipmentLine, orderLines []*ent.OrderLine, taken map[pulid.ID]int64) []channels.ShipmentLine {
	byID := make(map[pulid.ID]*ent.OrderLine, len(orderLines))
	for _, l := range orderLines {
		byID[l.ID] = l
	}
	var out []channels.ShipmentLine
	at := map[pulid.ID]int{}
	for _, l := range ls {
		ol := byID[l.OrderLineID]
		if ol == nil || ol.Kind != orderline.KindSTOCK {
			continue
		}
		if i, ok := at[ol.ID]; ok {
			out[i].Quantity += l.Quantity
			out[i].UnitIDs = units(ol.ExternalUnitIds, taken[ol.ID], out[i].Quantity)
			continue
		}
		at[ol.ID] = len(out)
		out = append(out, channels.ShipmentLine{LineID: ol.ExternalLineID, ListingID: ol.ListingID, SKU: ol.Sku,
			UnitIDs: units(ol.ExternalUnitIds, taken[ol.ID], l.Quantity), Quantity: l.Quantity})
	}
	return out
}

// units picks q unit ids after the first taken; none when the line has no unit ids.
func units(all []string, taken, q int64) []string {
	from := min(max(taken, 0), int64(len(all)))
	to := min(from+max(q, 0), int64(len(all)))
	if from == to {
		return nil
	}
	return append([]string(nil), all[from:to]...)
}

// channelPackages are a shipment's packages as the channel knows them: the marketplace's package
// id where it arranged them, each tracking number (the package's own, else the shipment's of the
// same rank: shipShipment takes one per package), and the lines in each by the channel's line ids.
func channelPackages(ps []*ent.ShipmentPackage, tracking []string, orderLines []*ent.OrderLine) []channels.Package {
	byID := make(map[pulid.ID]*ent.OrderLine, len(orderLines))
	for _, l := range orderLines {
		byID[l.ID] = l
	}
	out := make([]channels.Package, 0, len(ps))
	for _, p := range ps {
		cp := channels.Package{Ref: p.ChannelRef, TrackingNumber: p.TrackingNumber}
		if i := p.Index - 1; cp.TrackingNumber == "" && i >= 0 && i < len(tracking) {
			cp.TrackingNumber = tracking[i]
		}
		for _, it := range p.Contents {
			if ol := byID[it.LineID]; ol != nil {
				cp.Lines = append(cp.Lines, channels.ShipmentLine{LineID: ol.ExternalLineID, ListingID: ol.ListingID, SKU: ol.Sku, Quantity: it.Quantity})
			}
		}
		out = append(out, cp)
	}
	return out
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
