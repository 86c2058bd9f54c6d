package outbound

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
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
	// EventID is the order.lines_cancelled event a partial cancellation (ActionCancelLines) sends.
	EventID int64  `json:"event_id,omitempty" river:"unique"`
	Reason  string `json:"reason,omitempty"`
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
	case ActionCancelLines:
		return s.cancelLines(ctx, o, a)
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
	shs, err := s.DB.Client.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.DirectionEQ(shipment.DirectionOUTBOUND)).
		Order(shipment.ByID()).All(ctx)
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

// orderLines are an order's lines as its channel knows them, less the units cancelled before (a
// per-unit line keeps those last among its unit ids): what a cancellation names. Lines with
// nothing left are left out.
func orderLines(ls []*ent.OrderLine) []channels.ShipmentLine {
	out := make([]channels.ShipmentLine, 0, len(ls))
	for _, l := range ls {
		if l.Kind != orderline.KindSTOCK {
			continue // a tip or a custom amount is not shipped, and an unmapped item not by Ordo
		}
		wanted := l.Quantity - l.CancelledQuantity
		if wanted <= 0 {
			continue
		}
		units := l.ExternalUnitIds
		if int64(len(units)) == l.Quantity {
			units = units[:wanted]
		}
		out = append(out, channels.ShipmentLine{LineID: l.ExternalLineID, ListingID: l.ListingID, SKU: l.Sku, UnitIDs: units, Quantity: wanted})
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
	if sh.Direction == shipment.DirectionRETURN || (sh.ArrangedAt != nil && !sh.ConfirmOnHandover) {
		return nil, nil // a return coming back is not the channel's shipment
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
	bundles, err := s.bundles(ctx, o.Edges.Lines)
	if err != nil {
		return nil, err
	}
	taken, err := s.taken(ctx, sh, o.Edges.Lines, bundles)
	if err != nil {
		return nil, err
	}
	return ShipmentLines(sh.Edges.Lines, o.Edges.Lines, taken, bundles), nil
}

// bundles are the compositions of the bundles an order's lines sell.
func (s *Service) bundles(ctx context.Context, lines []*ent.OrderLine) (Bundles, error) {
	var ids []pulid.ID
	for _, l := range lines {
		if l.VariantID != nil {
			ids = append(ids, *l.VariantID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	comps, err := s.DB.Client.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(ids...)).WithComponent().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load bundles: %w", err)
	}
	out := Bundles{}
	for _, c := range comps {
		if out[c.BundleID] == nil {
			out[c.BundleID] = map[string]int64{}
		}
		out[c.BundleID][c.Edges.Component.Sku] += int64(c.Quantity)
	}
	return out, nil
}

// Bundles are the units of each component SKU in one unit of a bundle, by the bundle's variant id:
// a bundle line's allocations (and so its shipment lines) are in component units, channels count the
// bundle.
type Bundles map[pulid.ID]map[string]int64

// lineUnits are the units of order line ol that shipped, given the units of each SKU shipped for it:
// their sum for a plain line; for a bundle line, the bundles they make up (rounded up: a bundle
// whose components travel apart is confirmed with its first part).
func (b Bundles) lineUnits(ol *ent.OrderLine, bySKU map[string]int64) int64 {
	var per map[string]int64
	if ol.VariantID != nil {
		per = b[*ol.VariantID]
	}
	var n int64
	for sku, q := range bySKU {
		switch p := per[sku]; {
		case len(per) == 0:
			n += q
		case p > 0:
			n = max(n, (q+p-1)/p)
		}
	}
	return n
}

// ShipmentLines are a shipment's lines as the channel knows its order's lines (line id, listing,
// SKU), with the quantities shipped in the order line's units (bundles, not their components); lines
// of one order line are merged. Where the channel names each unit (Lazada's order items, TikTok
// Shop's line items), a line carries the units after the taken ones that earlier shipments of the
// line carried. It is pure.
func ShipmentLines(ls []*ent.ShipmentLine, orderLines []*ent.OrderLine, taken map[pulid.ID]int64, bundles Bundles) []channels.ShipmentLine {
	byID := make(map[pulid.ID]*ent.OrderLine, len(orderLines))
	for _, l := range orderLines {
		byID[l.ID] = l
	}
	var seen []pulid.ID
	shipped := map[pulid.ID]map[string]int64{}
	for _, l := range ls {
		ol := byID[l.OrderLineID]
		if ol == nil || ol.Kind != orderline.KindSTOCK {
			continue
		}
		if shipped[ol.ID] == nil {
			seen = append(seen, ol.ID)
			shipped[ol.ID] = map[string]int64{}
		}
		shipped[ol.ID][l.Sku] += l.Quantity
	}
	var out []channels.ShipmentLine
	for _, id := range seen {
		ol := byID[id]
		q := bundles.lineUnits(ol, shipped[id])
		out = append(out, channels.ShipmentLine{LineID: ol.ExternalLineID, ListingID: ol.ListingID, SKU: ol.Sku,
			UnitIDs: units(ol.ExternalUnitIds, taken[id], q), Quantity: q})
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
