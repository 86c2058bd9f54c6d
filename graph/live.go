package graph

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
)

// DefaultMaxSubscriptionsPerKey is how many subscriptions one API key may hold open in one process
// when Live.MaxPerKey is not set (ORDO_MAX_SUBSCRIPTIONS_PER_KEY).
const DefaultMaxSubscriptionsPerKey = 100

// Live is what the live streams of one process share: the count of open subscriptions per API key,
// bounded by MaxPerKey, and the orders read for orderUpdated, once per committed change whatever the
// number of subscribers that need them.
type Live struct {
	// MaxPerKey caps the open subscriptions of one key; 0 means DefaultMaxSubscriptionsPerKey.
	MaxPerKey int

	mu    sync.Mutex
	open  map[pulid.ID]int
	total int
	reads sharedReads
}

// Open is the number of subscriptions clients hold open in this process.
func (l *Live) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// acquire counts one more open subscription for the key in ctx, or refuses it with
// TOO_MANY_SUBSCRIPTIONS. release gives it back; it may be called more than once.
func (l *Live) acquire(ctx context.Context) (release func(), err error) {
	v, ok := auth.FromContext(ctx)
	if !ok || v.KeyID == "" {
		return func() {}, nil // Ordo's own work, not a client's key
	}
	limit := l.MaxPerKey
	if limit <= 0 {
		limit = DefaultMaxSubscriptionsPerKey
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open == nil {
		l.open = map[pulid.ID]int{}
	}
	if n := l.open[v.KeyID]; n >= limit {
		return nil, fault.New(fault.TooManySubscriptions,
			"this key already has %d open subscriptions, the most allowed; close one before opening another", n).
			With("limit", limit)
	}
	l.open[v.KeyID]++
	l.total++
	return sync.OnceFunc(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.total--
		if l.open[v.KeyID]--; l.open[v.KeyID] <= 0 {
			delete(l.open, v.KeyID)
		}
	}), nil
}

// sharedReadsKept bounds how many recent changes' order reads are kept for subscribers that have
// not got to them yet; one further behind reads for itself.
const sharedReadsKept = 4096

// sharedReadTimeout bounds one shared read, which no single subscriber's context may cancel.
const sharedReadTimeout = 10 * time.Second

// sharedReads reads the order of a committed change once, for every subscriber that needs it. A
// change is named by the position of the order's last event in its transaction. A subscriber with a
// backlog asks for many changes at once and reads the ones nobody has claimed in one query.
type sharedReads struct {
	mu    sync.Mutex
	byPos map[events.Position]*sharedRead
	fifo  []events.Position
}

type sharedRead struct {
	done  chan struct{} // closed once order and err are set
	order *ent.Order
	err   error
}

// change names one committed change of an order.
type change struct {
	at    events.Position
	order pulid.ID
}

// orders returns the orders of the changes as they are now, read once per change (unscoped: each
// subscriber applies its own visibility with auth.Sees). A missing order is absent from the map.
func (s *sharedReads) orders(ctx context.Context, db *database.DB, changes []change) (map[events.Position]*ent.Order, error) {
	s.mu.Lock()
	if s.byPos == nil {
		s.byPos = map[events.Position]*sharedRead{}
	}
	entries := make([]*sharedRead, len(changes))
	claimed := map[pulid.ID][]*sharedRead{}
	for i, c := range changes {
		r := s.byPos[c.at]
		if r == nil {
			r = &sharedRead{done: make(chan struct{})}
			s.byPos[c.at] = r
			s.fifo = append(s.fifo, c.at)
			claimed[c.order] = append(claimed[c.order], r)
			if len(s.fifo) > sharedReadsKept {
				delete(s.byPos, s.fifo[0])
				s.fifo = s.fifo[1:]
			}
		}
		entries[i] = r
	}
	s.mu.Unlock()
	if len(claimed) > 0 {
		s.read(ctx, db, claimed)
	}
	out := make(map[events.Position]*ent.Order, len(changes))
	for i, r := range entries {
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err != nil {
			return nil, r.err
		}
		if r.order != nil {
			out[changes[i].at] = r.order
		}
	}
	return out, nil
}

// read fills the claimed entries with one query, which no single subscriber's context may cancel.
func (s *sharedReads) read(ctx context.Context, db *database.DB, claimed map[pulid.ID][]*sharedRead) {
	rctx, cancel := context.WithTimeout(auth.NewContext(context.WithoutCancel(ctx), auth.System), sharedReadTimeout)
	defer cancel()
	ids := make([]pulid.ID, 0, len(claimed))
	for id := range claimed {
		ids = append(ids, id)
	}
	os, err := db.Client.Order.Query().Where(order.IDIn(ids...)).All(rctx)
	byID := make(map[pulid.ID]*ent.Order, len(os))
	for _, o := range os {
		byID[o.ID] = o
	}
	failed := map[*sharedRead]bool{}
	for id, rs := range claimed {
		for _, r := range rs {
			r.order, r.err = byID[id], err
			close(r.done)
			failed[r] = err != nil
		}
	}
	if err != nil {
		// Those waiting now see the error; the next subscriber to need these changes reads again
		// rather than meeting the same error until the entries age out.
		s.mu.Lock()
		for pos, r := range s.byPos {
			if failed[r] {
				delete(s.byPos, pos)
			}
		}
		s.mu.Unlock()
	}
}

// delivery is one message of a stream and the cursor a client resumes after it from.
type delivery[T any] struct {
	value  T
	cursor events.Position
}

// streamEnd carries why a stream stopped early and where to resume, from a resolver's last event
// to the Streams extension.
type streamEnd struct {
	err    error
	cursor string
}

type (
	streamEndKey struct{}
	cursorKey    struct{}
)

// stream subscribes to the event hub for the events match accepts and publishes what expand makes
// of committed transactions' matching events: none, one or several deliveries each (e.g. an order
// the viewer may not see gives none). expand gets every commit already waiting, up to
// maxExpand, so that a subscriber with a backlog catches up in few reads. Each delivery's context carries its cursor, which the Streams
// extension puts in the message's extensions. When the stream is cut short (the subscriber fell
// behind, the server is stopping, a read failed) it ends with one last event whose context carries
// the error and the cursor to resume from. The subscription counts against the key's limit while it
// is open.
func stream[T any](ctx context.Context, r *Resolver, from *events.Position, match func(*ent.Event) bool,
	expand func(context.Context, []events.Commit) ([]delivery[T], error),
) (<-chan graphql.Event[T], error) {
	release, err := r.Live.acquire(ctx)
	if err != nil {
		return nil, err
	}
	sub, err := r.Hub.Subscribe(ctx, from, match)
	if err != nil {
		release()
		if errors.Is(err, events.ErrHubStopped) || errors.Is(err, context.Canceled) {
			return nil, fault.New(fault.Unavailable, "the server is stopping or the client left; subscribe again")
		}
		return nil, err
	}
	out := make(chan graphql.Event[T], 1)
	go func() {
		defer close(out)
		defer release()
		last := sub.From()
		var sent T // the last value delivered: the end event carries it, so that it marshals cleanly
		var err error
		for c := range sub.C() {
			cs := waiting(sub, c)
			var ds []delivery[T]
			if ds, err = expand(ctx, cs); err != nil {
				break
			}
			for _, d := range ds {
				select {
				case out <- graphql.Event[T]{Context: context.WithValue(ctx, cursorKey{}, d.cursor.Cursor()), Value: d.value}:
					sent = d.value
				case <-ctx.Done():
					return
				}
			}
			last = cs[len(cs)-1].Last()
		}
		if err == nil {
			err = sub.Err()
		}
		if err != nil && ctx.Err() == nil {
			endCtx := context.WithValue(ctx, streamEndKey{}, streamEnd{err: err, cursor: last.Cursor()})
			select {
			case out <- graphql.Event[T]{Context: endCtx, Value: sent}:
			case <-ctx.Done():
			}
		}
	}()
	return out, nil
}

// maxExpand bounds how many waiting commits a stream expands at once: as many as its subscription
// hands it ahead.
const maxExpand = events.Handoff

// waiting returns first and the commits already waiting behind it, up to maxExpand.
func waiting(sub *events.Subscription, first events.Commit) []events.Commit {
	cs := []events.Commit{first}
	for len(cs) < maxExpand {
		select {
		case c, ok := <-sub.C():
			if !ok {
				return cs
			}
			cs = append(cs, c)
		default:
			return cs
		}
	}
	return cs
}

// Streams is the gqlgen extension of the live streams: it puts each message's resume cursor in its
// extensions ("cursor"), and reports the end of a stream cut short as an error with a code
// (SLOW_CONSUMER, UNAVAILABLE, INTERNAL) and the cursor to resume from.
type Streams struct{}

var (
	_ graphql.HandlerExtension    = Streams{}
	_ graphql.ResponseInterceptor = Streams{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Streams) ExtensionName() string { return "OrdoStreams" }

// Validate implements graphql.HandlerExtension.
func (Streams) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (Streams) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	end, ok := ctx.Value(streamEndKey{}).(streamEnd)
	if !ok {
		res := next(ctx)
		if cursor, ok := ctx.Value(cursorKey{}).(string); ok && res != nil {
			if res.Extensions == nil {
				res.Extensions = map[string]any{}
			}
			res.Extensions["cursor"] = cursor
		}
		return res
	}
	// The end event's value is not sent: the error replaces it.
	code, msg := fault.Internal, "internal error; resubscribe from the cursor"
	switch {
	case errors.Is(end.err, events.ErrTooSlow):
		code, msg = fault.SlowConsumer, "this subscriber fell behind and was disconnected; resubscribe from the cursor"
	case errors.Is(end.err, events.ErrHubStopped):
		code, msg = fault.Unavailable, "the server is stopping; resubscribe from the cursor"
	default:
		slog.ErrorContext(ctx, "subscription stream failed", "err", end.err)
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": string(code), "cursor": end.cursor},
	}}}
}

// parseAfter reads an optional resume cursor.
func parseAfter(after *string) (*events.Position, error) {
	if after == nil {
		return nil, nil
	}
	p, err := events.ParseCursor(*after)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// isOrderEvent reports whether e changes an order as its readers see it: its own events, its
// shipments', and its returns' and refunds' (which move its return status and amounts).
func isOrderEvent(e *ent.Event) bool {
	return strings.HasPrefix(e.Type, "order.") || events.IsShipment(e) || events.IsReturn(e.Type)
}

// orderUpdatedMatch decides on the event alone, before anything is read, whether a change may
// concern the subscriber: its order, customer and channel filters.
func orderUpdatedMatch(f *model.OrderUpdatedFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		if !isOrderEvent(e) || e.OrderID == "" {
			return false
		}
		return f == nil ||
			(f.OrderID == nil || string(*f.OrderID) == e.OrderID) &&
				(f.CustomerID == nil || string(*f.CustomerID) == e.CustomerID) &&
				(f.ChannelID == nil || string(*f.ChannelID) == e.ChannelID)
	}
}

// lastPerOrder returns, for each order of a transaction's events, its last event, in log order: one
// committed change per order, named by the position a client resumes after.
func lastPerOrder(evs []*ent.Event) []*ent.Event {
	var out []*ent.Event
	seen := map[string]bool{}
	for i := len(evs) - 1; i >= 0; i-- {
		if e := evs[i]; !seen[e.OrderID] {
			seen[e.OrderID] = true
			out = append(out, e)
		}
	}
	slices.Reverse(out)
	return out
}

// orderUpdates turns each transaction's order events into one delivery per order: the order as it
// is now, read once for all subscribers, if the viewer may see it and its status is wanted.
func (r *Resolver) orderUpdates(statuses []order.Status) func(context.Context, []events.Commit) ([]delivery[*ent.Order], error) {
	return func(ctx context.Context, cs []events.Commit) ([]delivery[*ent.Order], error) {
		var changes []change
		for _, c := range cs {
			for _, e := range lastPerOrder(c.Events) {
				changes = append(changes, change{at: events.PositionOf(e), order: pulid.ID(e.OrderID)})
			}
		}
		orders, err := r.Live.reads.orders(ctx, r.DB, changes)
		if err != nil {
			return nil, err
		}
		var out []delivery[*ent.Order]
		for _, c := range changes {
			o := orders[c.at]
			if o == nil || !auth.Sees(ctx, o) || len(statuses) > 0 && !slices.Contains(statuses, o.Status) {
				continue
			}
			own := *o // each subscriber resolves its fields on its own copy
			out = append(out, delivery[*ent.Order]{value: &own, cursor: c.at})
		}
		return out, nil
	}
}

// stockMatch accepts the stock changes of the filter's variants and locations.
func stockMatch(variants []pulid.ID, f *model.StockLevelFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		if e.Type != events.KindStockChanged {
			return false
		}
		if f == nil {
			return true
		}
		return (len(f.Skus) == 0 || slices.Contains(variants, pulid.ID(e.VariantID))) &&
			(len(f.LocationIDs) == 0 || slices.Contains(f.LocationIDs, pulid.ID(e.LocationID)))
	}
}

// variantsOf resolves the SKUs of a stock filter; an unknown SKU is INVALID_ARGUMENT.
func (r *Resolver) variantsOf(ctx context.Context, f *model.StockLevelFilter) ([]pulid.ID, error) {
	if f == nil || len(f.Skus) == 0 {
		return nil, nil
	}
	vs, err := r.DB.Client.Variant.Query().Where(variant.SkuIn(f.Skus...)).All(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]pulid.ID, len(vs))
	known := map[string]bool{}
	for i, v := range vs {
		ids[i] = v.ID
		known[v.Sku] = true
	}
	for _, s := range f.Skus {
		if !known[s] {
			return nil, fault.New(fault.InvalidArgument, "unknown SKU %s", s).With("skus", []string{s})
		}
	}
	return ids, nil
}

// stockChanges turns stock.changed events into the level as it stood right after each change.
func stockChanges(_ context.Context, cs []events.Commit) ([]delivery[*model.StockLevelChange], error) {
	var out []delivery[*model.StockLevelChange]
	for _, e := range allEvents(cs) {
		p, err := events.Decode[events.StockChanged](e)
		if err != nil {
			return nil, err
		}
		pos := events.PositionOf(e)
		out = append(out, delivery[*model.StockLevelChange]{cursor: pos, value: &model.StockLevelChange{
			Cursor: pos.Cursor(), Sku: p.SKU, LocationID: pulid.ID(e.LocationID),
			OnHand: p.OnHand, Reserved: p.Reserved, SafetyStock: p.SafetyStock, Available: p.Available,
			Reason: p.Movement, At: e.CreatedAt.UTC().Truncate(time.Microsecond),
		}})
	}
	return out, nil
}

func orderEventsMatch(f *model.OrderEventFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		if !isOrderEvent(e) {
			return false
		}
		if f == nil {
			return true
		}
		return (f.OrderID == nil || string(*f.OrderID) == e.OrderID) && (len(f.Types) == 0 || slices.Contains(f.Types, e.Type))
	}
}

// eachEvent delivers every event of a commit as it is.
func eachEvent(_ context.Context, cs []events.Commit) ([]delivery[*ent.Event], error) {
	var out []delivery[*ent.Event]
	for _, e := range allEvents(cs) {
		out = append(out, delivery[*ent.Event]{value: e, cursor: events.PositionOf(e)})
	}
	return out, nil
}

func allEvents(cs []events.Commit) []*ent.Event {
	var out []*ent.Event
	for _, c := range cs {
		out = append(out, c.Events...)
	}
	return out
}

// shipmentMatch accepts the shipment events of the filter's shipment, order and locations.
func shipmentMatch(f *model.ShipmentUpdatedFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		id := events.ShipmentOf(e)
		if id == "" {
			return false
		}
		return f == nil ||
			(f.ShipmentID == nil || string(*f.ShipmentID) == id) &&
				(f.OrderID == nil || string(*f.OrderID) == e.OrderID) &&
				(len(f.LocationIDs) == 0 || slices.Contains(f.LocationIDs, pulid.ID(e.LocationID)))
	}
}

// shipmentUpdates turns each transaction's shipment events into one delivery per shipment: the
// shipment as it is now, read through the subscriber's row scoping (a partner reads only the
// shipments leaving its locations; a storefront its orders').
func (r *Resolver) shipmentUpdates(ctx context.Context, cs []events.Commit) ([]delivery[*ent.Shipment], error) {
	return latest(cs, events.ShipmentOf, func(ids []pulid.ID) ([]*ent.Shipment, error) {
		return r.DB.Client.Shipment.Query().Where(shipment.IDIn(ids...)).All(auth.Command(ctx, false))
	}, func(sh *ent.Shipment) pulid.ID { return sh.ID })
}

// latest turns each transaction's events about records of one kind (idOf names the record, or ""
// for other events) into one delivery per record: the record as load reads it now (through the
// subscriber's row scoping: what it may not see is left out), at the cursor of the record's last
// event in the transaction, in cursor order.
func latest[T any](cs []events.Commit, idOf func(*ent.Event) string, load func([]pulid.ID) ([]T, error), key func(T) pulid.ID) ([]delivery[T], error) {
	var out []delivery[T]
	for _, c := range cs {
		last := map[string]events.Position{}
		var order []string
		for _, e := range c.Events {
			id := idOf(e)
			if id == "" {
				continue
			}
			if _, ok := last[id]; !ok {
				order = append(order, id)
			}
			last[id] = events.PositionOf(e)
		}
		if len(order) == 0 {
			continue
		}
		ids := make([]pulid.ID, len(order))
		for i, id := range order {
			ids[i] = pulid.ID(id)
		}
		found, err := load(ids)
		if err != nil {
			return nil, err
		}
		byID := map[pulid.ID]T{}
		for _, v := range found {
			byID[key(v)] = v
		}
		for _, id := range ids {
			if v, ok := byID[id]; ok {
				out = append(out, delivery[T]{value: v, cursor: last[string(id)]})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b delivery[T]) int {
		switch {
		case a.cursor.Less(b.cursor):
			return -1
		case b.cursor.Less(a.cursor):
			return 1
		}
		return 0
	})
	return out, nil
}
