package graph

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/inventory"
)

// streamEnd carries why a stream stopped early and where to resume, from a resolver's last event
// to SlowConsumer.
type streamEnd struct {
	err    error
	cursor string
}

type streamEndKey struct{}

// stream subscribes to the event hub and publishes convert(event) for every event that match
// accepts. convert may drop an event (ok = false): e.g. an order the viewer may not see. When the hub
// drops the subscriber for falling behind, the stream ends with one last event whose context
// carries the error and the cursor to resume from; SlowConsumer turns it into a GraphQL error.
func stream[T any](ctx context.Context, hub *events.Hub, from *events.Position, match func(*ent.Event) bool,
	convert func(context.Context, *ent.Event) (T, bool, error),
) (<-chan graphql.Event[T], error) {
	sub, err := hub.Subscribe(ctx, from, match)
	if errors.Is(err, events.ErrHubStopped) || errors.Is(err, context.Canceled) {
		return nil, fault.New(fault.Unavailable, "the server is stopping or the client left; subscribe again")
	}
	if err != nil {
		return nil, err
	}
	out := make(chan graphql.Event[T], 1)
	go func() {
		defer close(out)
		var (
			last events.Position
			sent T // the last value delivered: the end event carries it, so that it marshals cleanly
		)
		if from != nil {
			last = *from
		}
		var err error
		for e := range sub.C() {
			var (
				v  T
				ok bool
			)
			if v, ok, err = convert(ctx, e); err != nil {
				break
			}
			last = events.PositionOf(e)
			if !ok {
				continue
			}
			select {
			case out <- graphql.Event[T]{Context: ctx, Value: v}:
				sent = v
			case <-ctx.Done():
				return
			}
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

// SlowConsumer is the gqlgen extension that reports the end of a stream cut short (the subscriber
// fell behind, the server is stopping, reading failed) as an error with a code (SLOW_CONSUMER,
// UNAVAILABLE, INTERNAL) and the cursor to resume from.
type SlowConsumer struct{}

var (
	_ graphql.HandlerExtension    = SlowConsumer{}
	_ graphql.ResponseInterceptor = SlowConsumer{}
)

// ExtensionName implements graphql.HandlerExtension.
func (SlowConsumer) ExtensionName() string { return "OrdoSlowConsumer" }

// Validate implements graphql.HandlerExtension.
func (SlowConsumer) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (SlowConsumer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	end, ok := ctx.Value(streamEndKey{}).(streamEnd)
	if !ok {
		return next(ctx)
	}
	_ = next(ctx) // the end event's value (the last one delivered) is replaced by the error
	code, msg := string(fault.Internal), "internal error; resubscribe from the cursor"
	switch {
	case errors.Is(end.err, events.ErrTooSlow):
		code, msg = "SLOW_CONSUMER", "this subscriber fell behind and was disconnected; resubscribe from the cursor"
	case errors.Is(end.err, events.ErrHubStopped):
		code, msg = string(fault.Unavailable), "the server is stopping; resubscribe from the cursor"
	default:
		slog.ErrorContext(ctx, "subscription stream failed", "err", end.err)
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": code, "cursor": end.cursor},
	}}}
}

func isOrderEvent(e *ent.Event) bool { return strings.HasPrefix(e.Type, "order.") }

func orderUpdatedMatch(f *model.OrderUpdatedFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		if !isOrderEvent(e) || f == nil {
			return isOrderEvent(e)
		}
		return (f.OrderID == nil || string(*f.OrderID) == e.OrderID) &&
			(f.CustomerID == nil || string(*f.CustomerID) == e.CustomerID) &&
			(f.ChannelID == nil || string(*f.ChannelID) == e.ChannelID)
	}
}

// loadOrder re-reads the order of an event as the viewer sees it now; statuses narrows further.
func (r *Resolver) loadOrder(statuses []order.Status) func(context.Context, *ent.Event) (*ent.Order, bool, error) {
	return func(ctx context.Context, e *ent.Event) (*ent.Order, bool, error) {
		o, err := r.DB.Client.Order.Get(ctx, pulid.ID(e.OrderID))
		if ent.IsNotFound(err) {
			return nil, false, nil // gone, or not the viewer's
		}
		if err != nil {
			return nil, false, err
		}
		return o, len(statuses) == 0 || slices.Contains(statuses, o.Status), nil
	}
}

func stockMatch(f *model.StockLevelFilter) func(*ent.Event) bool {
	return func(e *ent.Event) bool {
		if e.Type != inventory.EventStockChanged {
			return false
		}
		if f == nil {
			return true
		}
		sku, _ := e.Data["sku"].(string)
		return (len(f.Skus) == 0 || slices.Contains(f.Skus, sku)) &&
			(len(f.LocationIDs) == 0 || slices.Contains(f.LocationIDs, pulid.ID(e.LocationID)))
	}
}

// stockChange reads a stock.changed event: the level as it stood right after that change.
func stockChange(_ context.Context, e *ent.Event) (*model.StockLevelChange, bool, error) {
	num := func(k string) int64 {
		f, _ := e.Data[k].(float64) // JSON numbers; stock counts are far below 2^53
		return int64(f)
	}
	str := func(k string) string { s, _ := e.Data[k].(string); return s }
	return &model.StockLevelChange{
		Cursor: events.PositionOf(e).Cursor(), Sku: str("sku"), LocationID: pulid.ID(e.LocationID),
		OnHand: num("onHand"), Reserved: num("reserved"), SafetyStock: num("safetyStock"), Available: num("available"),
		Reason: str("kind"), At: e.CreatedAt.UTC().Truncate(time.Microsecond),
	}, true, nil
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

func same(_ context.Context, e *ent.Event) (*ent.Event, bool, error) { return e, true, nil }
