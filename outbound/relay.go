package outbound

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
)

// maxBatch bounds the events one relay transaction handles.
const maxBatch = 1000

// relayPoll is how often a relay that has caught up looks for new events without being woken: on
// PostgreSQL other replicas commit too, and nothing wakes this one for them; on SQLite this process
// is the only writer and wakes it itself.
func (s *Service) relayPoll() time.Duration {
	if s.DB.IsPostgres() {
		return 20 * time.Millisecond
	}
	return time.Second
}

// relayed are the event types the relay reads.
var relayed = []string{inventory.EventStockChanged, orders.EventStatusChanged, catalog.EventListingsChanged, events.KindShipmentUpdated, events.KindLinesCancelled, events.KindReturnStatusChanged}

// relevant picks the events the relay acts on: stock changes, listings set, channel orders that
// Ordo (not the channel itself) cancelled, whole or some units of them, and shipments of channel orders that left their origin
// in Ordo (each is confirmed on its own) or were delivered.
func relevant(e *ent.Event) bool {
	switch e.Type {
	case catalog.EventListingsChanged:
		return e.ChannelID != ""
	case inventory.EventStockChanged:
		return e.VariantID != ""
	case orders.EventStatusChanged:
		if e.ChannelID == "" || strings.HasPrefix(e.Actor, ingestion.ActorPrefix) {
			return false
		}
		ch, err := events.Decode[events.StatusChanged](e)
		return err == nil && ch.To == "CANCELLED"
	case events.KindLinesCancelled:
		return e.ChannelID != "" && !strings.HasPrefix(e.Actor, ingestion.ActorPrefix) && partialCancellable(e)
	case events.KindShipmentUpdated:
		if e.ChannelID == "" || strings.HasPrefix(e.Actor, ingestion.ActorPrefix) {
			return false
		}
		u, err := events.Decode[events.ShipmentUpdated](e)
		if err != nil {
			return false
		}
		from, to := shipment.Status(u.From), shipment.Status(u.To)
		return Left(from, to) || Delivered(from, to)
	}
	return false
}

// Left reports whether a shipment's move from one status to another is the one in which it left
// its origin (shipped, or collected at a store; or a carrier's first scan found it on its way),
// which its channel is told of once. It is pure.
func Left(from, to shipment.Status) bool {
	return !fulfilment.Shipped(from) && fulfilment.Shipped(to)
}

// handle turns a batch of events into jobs and moves the checkpoint past it, in one transaction.
func (s *Service) handle(ctx context.Context, batch []*ent.Event) error {
	variants := map[pulid.ID]bool{}
	var (
		confirms []river.InsertManyParams
		earliest time.Time
		resync   []pulid.ID // channels whose listings were set
	)
	for _, e := range batch {
		if a := receiveOf(e); a != nil {
			confirms = append(confirms, river.InsertManyParams{Args: a})
			continue
		}
		if !relevant(e) {
			continue
		}
		if e.Type == catalog.EventListingsChanged {
			resync = append(resync, pulid.ID(e.ChannelID))
			continue
		}
		if e.Type == inventory.EventStockChanged {
			variants[pulid.ID(e.VariantID)] = true
			if earliest.IsZero() || e.CreatedAt.Before(earliest) {
				earliest = e.CreatedAt
			}
			continue
		}
		as, err := confirmOf(e)
		if err != nil {
			return err
		}
		for _, a := range as {
			confirms = append(confirms, river.InsertManyParams{Args: a})
		}
	}
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		chs, err := s.touch(ctx, tx, variants, earliest)
		if err != nil {
			return err
		}
		for _, c := range resync {
			if !slices.Contains(chs, c) {
				chs = append(chs, c)
			}
		}
		slices.Sort(chs)
		work := append(s.pushes(chs), confirms...)
		if err := s.Queue.InsertTx(ctx, tx, work...); err != nil {
			return err
		}
		return events.SaveCheckpoint(ctx, tx, checkpointName, batch[len(batch)-1])
	})
}

// confirmOf are the confirmation jobs of an order's cancellation, or of a shipment that left, was
// delivered, or both at once (a carrier's first scan was the delivery).
func confirmOf(e *ent.Event) ([]river.JobArgs, error) {
	if e.Type == events.KindShipmentUpdated {
		u, err := events.Decode[events.ShipmentUpdated](e)
		if err != nil {
			return nil, err
		}
		var out []river.JobArgs
		from, to := shipment.Status(u.From), shipment.Status(u.To)
		if Left(from, to) {
			out = append(out, ConfirmArgs{OrderID: pulid.ID(e.OrderID), ShipmentID: pulid.ID(u.ShipmentID), Action: ActionShip})
		}
		if Delivered(from, to) {
			out = append(out, DeliverArgs{OrderID: pulid.ID(e.OrderID), ShipmentID: pulid.ID(u.ShipmentID)})
		}
		return out, nil
	}
	if e.Type == events.KindLinesCancelled {
		return []river.JobArgs{ConfirmArgs{OrderID: pulid.ID(e.OrderID), Action: ActionCancelLines, EventID: e.ID}}, nil
	}
	ch, err := events.Decode[events.StatusChanged](e)
	if err != nil {
		return nil, err
	}
	return []river.JobArgs{ConfirmArgs{OrderID: pulid.ID(e.OrderID), Action: ActionCancel, Reason: ch.Reason}}, nil
}

// connected selects the channels stock is pushed to: enabled, with credentials.
func connected(s *entsql.Selector) {
	s.Where(entsql.And(entsql.EQ(s.C(channel.FieldActive), true), entsql.NotNull(s.C(channel.FieldCredentials))))
}

// touch records a change for every active listing, on an enabled and connected channel, of the
// variants or of the bundles made of them, and returns the channels of those listings.
func (s *Service) touch(ctx context.Context, tx *ent.Tx, variants map[pulid.ID]bool, at time.Time) ([]pulid.ID, error) {
	if len(variants) == 0 {
		return nil, nil
	}
	ids := make([]pulid.ID, 0, len(variants))
	for v := range variants {
		ids = append(ids, v)
	}
	bundles, err := tx.BundleComponent.Query().Where(bundlecomponent.ComponentIDIn(ids...)).
		Select(bundlecomponent.FieldBundleID).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("load bundles: %w", err)
	}
	for _, b := range bundles {
		ids = append(ids, pulid.ID(b))
	}
	listings, err := tx.ChannelListing.Query().
		Where(channellisting.VariantIDIn(ids...), channellisting.Active(true), channellisting.HasChannelWith(connected)).
		Order(channellisting.ByID()).IDs(ctx)
	if err != nil || len(listings) == 0 {
		return nil, err
	}
	if err := tx.ChannelListing.Update().Where(channellisting.IDIn(listings...), channellisting.DirtySinceIsNil()).
		SetDirtySince(at).Exec(ctx); err != nil {
		return nil, fmt.Errorf("mark listings: %w", err)
	}
	if err := tx.ChannelListing.Update().Where(channellisting.IDIn(listings...)).AddDirtySeq(1).Exec(ctx); err != nil {
		return nil, fmt.Errorf("mark listings: %w", err)
	}
	chs, err := tx.ChannelListing.Query().Where(channellisting.IDIn(listings...)).Unique(true).
		Select(channellisting.FieldChannelID).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("load channels: %w", err)
	}
	out := make([]pulid.ID, len(chs))
	for i, c := range chs {
		out[i] = pulid.ID(c)
	}
	return out, nil
}

// pushes are the stock push jobs of channels, each scheduled a moment ahead so that the changes of
// a burst join it (a push already waiting for its channel absorbs the new one).
func (s *Service) pushes(chs []pulid.ID) []river.InsertManyParams {
	at := s.now().Add(s.coalesce())
	out := make([]river.InsertManyParams, len(chs))
	for i, id := range chs {
		args := PushArgs{ChannelID: id}
		opts := args.InsertOpts()
		opts.ScheduledAt = at
		out[i] = river.InsertManyParams{Args: args, InsertOpts: &opts}
	}
	return out
}
