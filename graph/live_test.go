package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
)

// A subscriber that stops reading is cut off after its buffer fills, and its stream ends with a
// SLOW_CONSUMER error carrying the cursor of the last event it was given, to resume from.
func TestStreamEndsWithSlowConsumerAndCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		hub := events.NewHub(db, events.Options{Buffer: 2, PollInterval: 10 * time.Millisecond})
		go func() { _ = hub.Run(ctx) }()

		out, err := stream(ctx, &Resolver{DB: db, Hub: hub, Live: &Live{}}, nil, isOrderEvent, eachEvent)
		require.NoError(t, err)
		const n = events.Handoff + 50 // more than the subscription hands ahead and buffers
		for i := range n {
			require.NoError(t, db.Tx(ctx, func(tx *ent.Tx) error {
				return events.Append(ctx, tx, events.Event{Payload: events.OrderPlaced{}, OrderID: "ord_" + string(rune('A'+i%26))})
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
		require.Less(t, len(delivered), n, "the reader never kept up, so it must have been cut off")
		end, ok := last.Context.Value(streamEndKey{}).(streamEnd)
		require.True(t, ok, "the stream ends with an end event")
		require.True(t, errors.Is(end.err, events.ErrTooSlow))
		require.Equal(t, events.PositionOf(delivered[len(delivered)-1]).Cursor(), end.cursor)

		res := Streams{}.InterceptResponse(last.Context, func(context.Context) *graphql.Response { return &graphql.Response{} })
		require.Len(t, res.Errors, 1)
		require.Equal(t, "SLOW_CONSUMER", res.Errors[0].Extensions["code"])
		require.Equal(t, end.cursor, res.Errors[0].Extensions["cursor"])
	})
}

func TestLastPerOrder(t *testing.T) {
	ev := func(id int64, order string) *ent.Event { return &ent.Event{ID: id, OrderID: order} }
	for _, tc := range []struct {
		name string
		in   []*ent.Event
		want []int64
	}{
		{"none", nil, nil},
		{"one order, three events", []*ent.Event{ev(1, "A"), ev(2, "A"), ev(3, "A")}, []int64{3}},
		{"interleaved orders, in order of their last event", []*ent.Event{ev(1, "A"), ev(2, "B"), ev(3, "A")}, []int64{2, 3}},
		{"two orders one after the other", []*ent.Event{ev(1, "A"), ev(2, "A"), ev(3, "B"), ev(4, "B")}, []int64{2, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			for _, e := range lastPerOrder(tc.in) {
				got = append(got, e.ID)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestOrderUpdatedMatchDecidesOnTheEvent(t *testing.T) {
	id := func(s string) *pulid.ID { p := pulid.ID(s); return &p }
	e := &ent.Event{Type: events.KindStatusChanged, OrderID: "ord_1", CustomerID: "cus_1", ChannelID: "chn_1"}
	for _, tc := range []struct {
		name   string
		filter *model.OrderUpdatedFilter
		event  *ent.Event
		want   bool
	}{
		{"no filter", nil, e, true},
		{"its order", &model.OrderUpdatedFilter{OrderID: id("ord_1")}, e, true},
		{"another order", &model.OrderUpdatedFilter{OrderID: id("ord_2")}, e, false},
		{"its customer", &model.OrderUpdatedFilter{CustomerID: id("cus_1")}, e, true},
		{"another customer", &model.OrderUpdatedFilter{CustomerID: id("cus_2")}, e, false},
		{"another channel", &model.OrderUpdatedFilter{CustomerID: id("cus_1"), ChannelID: id("chn_2")}, e, false},
		{"not an order event", nil, &ent.Event{Type: events.KindStockChanged, OrderID: "ord_1"}, false},
		{"an order event about no order", nil, &ent.Event{Type: "order.other"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, orderUpdatedMatch(tc.filter)(tc.event)) })
	}
}

// A key holds at most MaxPerKey subscriptions; another key is not affected; a released one frees
// its place once, however often release is called.
func TestLiveLimitsSubscriptionsPerKey(t *testing.T) {
	l := &Live{MaxPerKey: 2}
	a := auth.NewContext(context.Background(), auth.Viewer{KeyID: "key_A", Role: auth.Storefront})
	b := auth.NewContext(context.Background(), auth.Viewer{KeyID: "key_B", Role: auth.Storefront})
	r1, err := l.acquire(a)
	require.NoError(t, err)
	_, err = l.acquire(a)
	require.NoError(t, err)
	_, err = l.acquire(a)
	require.Equal(t, fault.TooManySubscriptions, fault.CodeOf(err))
	_, err = l.acquire(b)
	require.NoError(t, err, "another key has its own count")
	r1()
	r1()
	_, err = l.acquire(a)
	require.NoError(t, err)
	_, err = l.acquire(a)
	require.Equal(t, fault.TooManySubscriptions, fault.CodeOf(err), "a double release frees one place only")
	_, err = l.acquire(context.Background())
	require.NoError(t, err, "Ordo's own work is not limited")
}
