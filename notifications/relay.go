package notifications

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/suppression"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/notifications/message"
)

// relayLock is the advisory lock that keeps the relay to one replica at a time (outbound's is
// 7_312_002).
const relayLock = 7_312_011

// checkpointName names the relay's place in the event log.
const checkpointName = "notifications"

// maxBatch bounds the events one relay transaction handles.
const maxBatch = 500

// actor is who the relay's and the send job's events are recorded as made by.
const actor = "system:notifications"

// Run runs the relay until ctx ends, in whichever replica holds its lock; with no provider, it
// does not run and customers are not notified.
func (s *Service) Run(ctx context.Context) {
	if len(s.Providers) == 0 {
		s.log().InfoContext(ctx, "no notification provider configured (ORDO_SMTP_URL, ORDO_NOTIFY_HTTP_URL): customers are not notified")
		return
	}
	s.reader().Run(ctx)
}

// reader is the relay's reading of the event log: from its own checkpoint, which a relay that never
// ran starts at the log's head (customers are not told today of what happened before notifications
// were turned on).
func (s *Service) reader() *events.Reader {
	return &events.Reader{DB: s.DB, Name: checkpointName, Lock: relayLock, Types: relayed, Batch: maxBatch,
		Poll: s.relayPoll, Wake: s.wakeup(), Handle: s.handle, Log: s.log()}
}

// relayPoll is how often a relay that has caught up looks for new events without being woken: on
// PostgreSQL other replicas commit too, and nothing wakes this one for them.
func (s *Service) relayPoll() time.Duration {
	if s.DB.IsPostgres() {
		return 50 * time.Millisecond
	}
	return time.Second
}

// ask is one intent of one event, about one order.
type ask struct {
	order   *ent.Order
	intent  Intent
	eventID int64
}

// handle turns a batch of events into notification rows and send jobs and moves the checkpoint
// past it, in one transaction.
func (s *Service) handle(ctx context.Context, batch []*ent.Event) error {
	var orderIDs, shipmentIDs []pulid.ID
	for _, e := range batch {
		if e.OrderID != "" {
			orderIDs = append(orderIDs, pulid.ID(e.OrderID))
		}
		if id := events.ShipmentOf(e); id != "" {
			shipmentIDs = append(shipmentIDs, pulid.ID(id))
		}
	}
	var appended bool
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		appended = false
		orders, err := tx.Order.Query().Where(order.IDIn(orderIDs...)).WithCustomer().WithChannel().All(ctx)
		if err != nil {
			return fmt.Errorf("load orders: %w", err)
		}
		byOrder := make(map[string]*ent.Order, len(orders))
		for _, o := range orders {
			byOrder[string(o.ID)] = o
		}
		shipments, err := tx.Shipment.Query().Where(shipment.IDIn(shipmentIDs...)).All(ctx)
		if err != nil {
			return fmt.Errorf("load shipments: %w", err)
		}
		byShipment := make(map[string]*ent.Shipment, len(shipments))
		for _, sh := range shipments {
			byShipment[string(sh.ID)] = sh
		}
		var asks []ask
		for _, e := range batch {
			o := byOrder[e.OrderID]
			for _, in := range Decide(e, o, byShipment[events.ShipmentOf(e)]) {
				asks = append(asks, ask{order: o, intent: in, eventID: e.ID})
			}
		}
		jobs, evs, err := s.write(ctx, tx, asks, "")
		if err != nil {
			return err
		}
		if err := s.Queue.InsertTx(ctx, tx, jobs...); err != nil {
			return err
		}
		if err := events.Append(ctx, tx, evs...); err != nil {
			return err
		}
		appended = len(evs) > 0
		return events.SaveCheckpoint(ctx, tx, checkpointName, batch[len(batch)-1])
	})
	if err == nil && appended {
		s.committed()
	}
	return err
}

// write records a Notification row per ask and provider, screened, unless one of the same (order,
// kind, version, provider) exists (ON CONFLICT DO NOTHING: at most once); it returns the send jobs
// of the rows it inserted PENDING and the notification.skipped events of those it inserted
// SKIPPED, for the caller to add in tx. only, when set, names the one provider to write for.
func (s *Service) write(ctx context.Context, tx *ent.Tx, asks []ask, only string) ([]river.InsertManyParams, []events.Event, error) {
	if len(asks) == 0 {
		return nil, nil, nil
	}
	type row struct {
		id        pulid.ID
		a         ask
		provider  string
		address   string
		skip      string
		customer  *ent.Customer
		channelID string
	}
	providers := s.Providers
	if only != "" {
		providers = nil
		if p := s.provider(only); p != nil {
			providers = []Provider{p}
		}
	}
	var addresses []string
	for _, a := range asks {
		for _, p := range providers {
			if to := recipient(p.Medium(), a.order); to != "" {
				addresses = append(addresses, normalize(to))
			}
		}
	}
	suppressed, err := tx.Suppression.Query().Where(suppression.AddressIn(addresses...)).
		Select(suppression.FieldAddress).Strings(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load suppressions: %w", err)
	}
	off := make(map[string]bool, len(suppressed))
	for _, a := range suppressed {
		off[a] = true
	}
	var rows []row
	seen := map[string]bool{}
	add := func(a ask, provider, address, skip string) {
		key := string(a.order.ID) + "\x00" + a.intent.Kind + "\x00" + a.intent.Version + "\x00" + provider
		if seen[key] {
			return
		}
		seen[key] = true
		r := row{id: pulid.New("ntf"), a: a, provider: provider, address: address, skip: skip, customer: a.order.Edges.Customer}
		if a.order.ChannelID != nil {
			r.channelID = string(*a.order.ChannelID)
		}
		rows = append(rows, r)
	}
	for _, a := range asks {
		for _, p := range providers {
			to := recipient(p.Medium(), a.order)
			add(a, p.Name(), to, screen(to, a.order.Edges.Customer, a.intent.Kind, off[normalize(to)]))
		}
	}
	creates := make([]*ent.NotificationCreate, len(rows))
	ids := make([]pulid.ID, len(rows))
	for i, r := range rows {
		c := tx.Notification.Create().SetID(r.id).SetOrderID(r.a.order.ID).SetNillableCustomerID(r.a.order.CustomerID).
			SetKind(notification.Kind(r.a.intent.Kind)).SetVersion(r.a.intent.Version).SetProvider(r.provider).
			SetRecipient(r.address).SetLocale(string(localeOf(r.a.order))).SetEventID(r.a.eventID)
		if r.a.intent.SubjectID != "" {
			c.SetSubjectID(r.a.intent.SubjectID)
		}
		if r.a.intent.Facts != nil {
			c.SetFacts(r.a.intent.Facts)
		}
		if r.skip != "" {
			c.SetStatus(notification.StatusSKIPPED).SetSkipReason(r.skip)
		}
		creates[i], ids[i] = c, r.id
	}
	err = tx.Notification.CreateBulk(creates...).
		OnConflictColumns(notification.FieldOrderID, notification.FieldKind, notification.FieldVersion, notification.FieldProvider).
		DoNothing().Exec(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("record notifications: %w", err)
	}
	inserted, err := tx.Notification.Query().Where(notification.IDIn(ids...)).IDs(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load notifications: %w", err)
	}
	isNew := make(map[pulid.ID]bool, len(inserted))
	for _, id := range inserted {
		isNew[id] = true
	}
	var (
		jobs []river.InsertManyParams
		evs  []events.Event
	)
	for _, r := range rows {
		if !isNew[r.id] {
			continue
		}
		if r.skip == "" {
			jobs = append(jobs, river.InsertManyParams{Args: SendArgs{NotificationID: r.id}})
			continue
		}
		ev := events.Event{OrderID: string(r.a.order.ID), ChannelID: r.channelID, Actor: actor,
			Payload: events.NotificationSkipped{NotificationID: string(r.id), Notification: r.a.intent.Kind,
				Provider: r.provider, Recipient: r.address, Reason: r.skip}}
		if r.a.order.CustomerID != nil {
			ev.CustomerID = string(*r.a.order.CustomerID)
		}
		evs = append(evs, ev)
	}
	return jobs, evs, nil
}

// localeOf is the language o's messages are written in: its customer's, else its channel's
// (branding), else its shipping country's, else English.
func localeOf(o *ent.Order) message.Locale {
	if c := o.Edges.Customer; c != nil && c.Locale != "" {
		if l, ok := message.Supported(c.Locale); ok {
			return l
		}
	}
	if ch := o.Edges.Channel; ch != nil && ch.Branding.Locale != "" {
		if l, ok := message.Supported(ch.Branding.Locale); ok {
			return l
		}
	}
	if o.ShippingAddress.CountryCode != "" {
		return message.OfCountry(o.ShippingAddress.CountryCode)
	}
	return message.English
}
