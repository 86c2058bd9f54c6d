package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
)

// A subscriber that stops reading is cut off after its buffer fills, and its stream ends with a
// SLOW_CONSUMER error carrying the cursor of the last event it was given, to resume from.
func TestStreamEndsWithSlowConsumerAndCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		hub := events.NewHub(db, events.Options{Buffer: 2, PollInterval: 10 * time.Millisecond})
		go func() { _ = hub.Run(ctx) }()

		out, err := stream(ctx, hub, nil, isOrderEvent, same)
		require.NoError(t, err)
		for i := range 50 {
			require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error {
				return events.Append(ctx, tx, events.Event{Type: "order.placed", OrderID: "ord_" + string(rune('A'+i%26))})
			}))
			hub.Wake()
		}
		var (
			delivered []*ent.Event
			last      graphql.Event[*ent.Event]
		)
		for ev := range out {
			if _, end := ev.Context.Value(streamEndKey{}).(streamEnd); !end {
				delivered = append(delivered, ev.Value)
			}
			last = ev
		}
		require.Less(t, len(delivered), 50, "the reader never kept up, so it must have been cut off")
		end, ok := last.Context.Value(streamEndKey{}).(streamEnd)
		require.True(t, ok, "the stream ends with an end event")
		require.True(t, errors.Is(end.err, events.ErrTooSlow))
		require.Equal(t, events.PositionOf(delivered[len(delivered)-1]).Cursor(), end.cursor)

		res := SlowConsumer{}.InterceptResponse(last.Context, func(context.Context) *graphql.Response { return &graphql.Response{} })
		require.Len(t, res.Errors, 1)
		require.Equal(t, "SLOW_CONSUMER", res.Errors[0].Extensions["code"])
		require.Equal(t, end.cursor, res.Errors[0].Extensions["cursor"])
	})
}
