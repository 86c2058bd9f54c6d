// Package ingestion brings every channel's orders into Ordo: it verifies and takes in webhooks
// (answering only once the follow-up work is durably queued), fetches the detail of thin
// notifications, pulls orders on a schedule and on demand, maps channel listings to Ordo SKUs, and
// hands each normalized order to package orders, which creates it with its reservation or moves it
// along, idempotently and convergently.
package ingestion

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/sync/singleflight"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/idempotencykey"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/returns"
)

// Service takes channel orders in.
type Service struct {
	DB          *database.DB
	Orders      *orders.Service
	Connections *connections.Service
	// Returns converges the channels' returns (returns.go).
	Returns *returns.Channels
	// Listings, when set, records the listings an order names that Ordo has never seen and maps
	// them as a catalogue import would (listings.Service is one); nil leaves such lines unmapped.
	Listings Discoverer
	// Queue runs the fetches and pulls; set before any webhook is received.
	Queue *jobs.Queue
	// Clock is the time webhooks are checked at; nil means the wall clock.
	Clock func() time.Time
	Log   *slog.Logger

	mu         sync.Mutex
	channels   map[pulid.ID]cachedChannel
	deliveries singleflight.Group // webhook deliveries being taken, by deliveryKey
	slots      chan struct{}      // see SetInline
}

// DefaultInline is how many webhooks are worked on at once while their requests wait.
const DefaultInline = 16

// SetInline sets how many webhooks may be worked on at once while their request waits (0: none,
// every webhook's work is queued as a job); beyond that, and whenever inline work fails, a
// webhook's work is queued. Until it is called, DefaultInline.
func (s *Service) SetInline(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slots = make(chan struct{}, max(n, 0))
}

func (s *Service) inlineSlots() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.slots == nil {
		s.slots = make(chan struct{}, DefaultInline)
	}
	return s.slots
}

// channelTTL is how long a channel's row is trusted without reading it again: a disabled channel
// or new credentials take effect within it.
const channelTTL = 2 * time.Second

type cachedChannel struct {
	ch   *ent.Channel
	read time.Time
}

// load returns a channel, from the cache when it was read less than channelTTL ago.
func (s *Service) load(ctx context.Context, id pulid.ID) (*ent.Channel, error) {
	now := time.Now()
	s.mu.Lock()
	c, ok := s.channels[id]
	s.mu.Unlock()
	if ok && now.Sub(c.read) < channelTTL {
		return c.ch, nil
	}
	ch, err := s.DB.Client.Channel.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.channels == nil {
		s.channels = map[pulid.ID]cachedChannel{}
	}
	s.channels[id] = cachedChannel{ch: ch, read: now}
	s.mu.Unlock()
	return ch, nil
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Actor is the context channel work runs with: the ledger and the event log name the channel, and
// the outbound relay knows not to echo a channel's own changes back to it.
func Actor(ctx context.Context, channelID pulid.ID) context.Context {
	return auth.NewContext(ctx, auth.Viewer{Name: ActorPrefix + string(channelID), Role: auth.Admin})
}

// ActorPrefix starts the actor of every change a channel made.
const ActorPrefix = "channel:"

// Receive takes one webhook delivery for a channel: it checks the signature over the raw body,
// reads it, and does the work it calls for (apply the order it carries, or fetch and apply the
// orders it names) before answering when it can, else queues that work in one transaction; either
// way a delivery answered with success is never lost. A delivery seen before (by the channel's
// delivery id, or the digest of its body when the channel sends none) is answered as a success and
// changes nothing: a replayed push queues at most one fetch.
//
// Errors: an unknown channel or kind is NOT_FOUND; a missing, wrong or stale signature is
// UNAUTHENTICATED (401: nothing is stored); a signed but unreadable body is INVALID_ARGUMENT.
func (s *Service) Receive(ctx context.Context, kind, channelID string, h http.Header, body []byte) error {
	id := pulid.ID(channelID)
	if err := id.Validate("chn"); err != nil {
		return fault.New(fault.NotFound, "no channel %q", channelID)
	}
	ch, err := s.load(ctx, id)
	if ent.IsNotFound(err) || (err == nil && !strings.EqualFold(string(ch.Kind), kind)) {
		return fault.New(fault.NotFound, "no %s channel %s", kind, channelID)
	}
	if err != nil {
		return fmt.Errorf("load channel: %w", err)
	}
	conn, err := s.Connections.Connector(ch)
	if err != nil {
		return err
	}
	if err := conn.Verify(h, body, s.now()); err != nil {
		if errors.Is(err, channels.ErrUnsigned) || errors.Is(err, channels.ErrBadSignature) || errors.Is(err, channels.ErrStale) {
			return fault.New(fault.Unauthenticated, "%s webhook refused: %v", ch.Kind, err)
		}
		return fmt.Errorf("verify webhook: %w", err)
	}
	n, err := conn.Parse(h, body)
	if err != nil {
		return fault.New(fault.InvalidArgument, "%s webhook: %v", ch.Kind, err)
	}
	if !ch.Active {
		s.log().InfoContext(ctx, "webhook for a disabled channel ignored; a pull catches up when it is enabled", "channel", ch.ID, "topic", n.Topic)
		return nil
	}
	work := notificationJobs(ch.ID, n)
	if len(work) == 0 {
		return nil
	}
	key := deliveryKey(ch.ID, n.DeliveryID, body)
	// Copies of one delivery arriving together (a channel's eager retries) share one take.
	_, err, _ = s.deliveries.Do(key, func() (any, error) {
		return nil, s.take(context.WithoutCancel(ctx), ch, conn, n, key, body, work)
	})
	return err
}

// deliveryKey names one webhook delivery, so that it is taken once however often it arrives: by the
// channel's delivery id where it sends one, else by a digest of the verified body (a Shopee push
// carries no id; a replay is the same bytes, and a new status of the order is a new body).
func deliveryKey(channelID pulid.ID, deliveryID string, body []byte) string {
	if deliveryID != "" {
		return "webhook:" + string(channelID) + ":" + deliveryID
	}
	sum := sha256.Sum256(body)
	return "webhook:" + string(channelID) + ":sha256:" + hex.EncodeToString(sum[:])
}

// take does a delivery's work once: a delivery taken before (its key is stored) changes nothing.
// The work is done at once when it can be, else queued in the transaction that stores the key, so
// that at most one job is ever queued per delivery, on any number of replicas.
func (s *Service) take(ctx context.Context, ch *ent.Channel, conn channels.Connector, n channels.Notification, key string, body []byte, work []river.InsertManyParams) error {
	seen, err := s.DB.Client.IdempotencyKey.Query().Where(idempotencykey.ID(key)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("look up delivery: %w", err)
	}
	if seen {
		return nil // taken before: its work is queued or done
	}
	sum := sha256.Sum256(body)
	remember := func(tx *ent.Tx) error {
		return tx.IdempotencyKey.Create().SetID(key).SetRequestHash(hex.EncodeToString(sum[:])).Exec(ctx)
	}
	if len(n.ReturnIDs) == 0 && s.inline(ctx, ch, conn, n) {
		// Done; remembering it spares a replay the fetch (the apply is idempotent either way).
		if err := s.DB.Tx(ctx, remember); err != nil && !database.IsUniqueViolation(err) {
			s.log().WarnContext(ctx, "webhook done but not remembered; a replay will fetch again", "channel", ch.ID, "err", err)
		}
		return nil
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		if err := remember(tx); err != nil {
			return err
		}
		return s.Queue.InsertTx(ctx, tx, work...)
	})
	if database.IsUniqueViolation(err) {
		return nil // another replica took it meanwhile
	}
	return err
}

// notificationJobs is the work a notification calls for: apply the order it carries, or fetch the
// orders it names, and fetch the returns it names (returns are never done inline). Notifications
// about anything else (products, shops) need none.
func notificationJobs(channelID pulid.ID, n channels.Notification) []river.InsertManyParams {
	work := returnJobs(channelID, n)
	switch {
	case n.Order != nil:
		work = append(work, river.InsertManyParams{Args: ApplyArgs{ChannelID: channelID, Order: *n.Order, Topic: n.Topic}})
	case len(n.OrderIDs) > 0:
		work = append(work, river.InsertManyParams{Args: FetchArgs{ChannelID: channelID, OrderIDs: n.OrderIDs, Topic: n.Topic}})
	}
	return work
}

// inlineTimeout bounds the work a webhook does while its request waits.
const inlineTimeout = 5 * time.Second

// inline does a notification's work while its request waits, when a slot is free: the order it
// carries or the orders it names are applied before the webhook is answered, which spares the job's
// round trips and its poll. It reports false, having changed nothing that matters, when no slot is
// free or the work failed: the caller then queues it.
func (s *Service) inline(ctx context.Context, ch *ent.Channel, conn channels.Connector, n channels.Notification) bool {
	slots := s.inlineSlots()
	select {
	case slots <- struct{}{}:
	default:
		return false
	}
	defer func() { <-slots }()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), inlineTimeout)
	defer cancel()
	got := []channels.Order{}
	if n.Order != nil {
		got = append(got, *n.Order)
	} else {
		var err error
		if got, err = conn.Orders(ctx, n.OrderIDs); err != nil {
			s.log().DebugContext(ctx, "webhook's orders not fetched at once; queued", "channel", ch.ID, "err", err)
			return false
		}
	}
	done, err := s.ApplyAll(ctx, ch, got)
	if err == nil {
		err = conn.Accept(ctx, done)
	}
	if err != nil {
		s.log().DebugContext(ctx, "webhook's orders not applied at once; queued", "channel", ch.ID, "err", err)
		return false
	}
	return true
}
