package events_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
)

func TestTransactionsSplitsRunsOfOneTxid(t *testing.T) {
	row := func(tx, id int64) *ent.Event { return &ent.Event{Txid: tx, ID: id} }
	ids := func(runs [][]*ent.Event) [][]int64 {
		var out [][]int64
		for _, r := range runs {
			var ids []int64
			for _, e := range r {
				ids = append(ids, e.ID)
			}
			out = append(out, ids)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []*ent.Event
		want [][]int64
	}{
		{"empty", nil, nil},
		{"one", []*ent.Event{row(7, 1)}, [][]int64{{1}}},
		{"runs", []*ent.Event{row(7, 1), row(7, 2), row(9, 3), row(12, 4), row(12, 5)}, [][]int64{{1, 2}, {3}, {4, 5}}},
		{"txid 0 rows stand alone", []*ent.Event{row(0, 1), row(0, 2), row(3, 3), row(3, 4)}, [][]int64{{1}, {2}, {3, 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, ids(events.Transactions(tc.in))) })
	}
}

// Each committed transaction reaches a subscriber as one commit, however the hub's reads are cut:
// live, replayed from the start, and resumed from a cursor inside a transaction.
func TestEachTransactionIsOneCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := startHub(t, db, events.Options{BatchSize: 3})
		settle(t, db, h)
		live, _ := subscribe(t, h, nil, nil)
		shapes := [][]string{{"a1", "a2"}, {"b1", "b2", "b3", "b4", "b5"}, {"c1"}, {"d1", "d2", "d3"}, {"e1", "e2"}}
		for _, shape := range shapes {
			var evs []events.Event
			for _, typ := range shape {
				evs = append(evs, ev(typ))
			}
			commit(t, db, h, evs...)
		}
		types := func(c events.Commit) []string {
			var out []string
			for _, e := range c.Events {
				out = append(out, e.Type)
			}
			return out
		}
		txids := map[int64]bool{}
		for _, shape := range shapes {
			c := nextCommit(t, live)
			require.Equal(t, shape, types(c))
			for _, e := range c.Events {
				require.NotZero(t, e.Txid, "every transaction has a number of its own")
				require.Equal(t, c.Events[0].Txid, e.Txid)
			}
			require.False(t, txids[c.Events[0].Txid], "two transactions share txid %d", c.Events[0].Txid)
			txids[c.Events[0].Txid] = true
		}

		replay, _ := subscribe(t, h, &events.Position{}, nil)
		for _, shape := range shapes {
			require.Equal(t, shape, types(nextCommit(t, replay)))
		}

		from := positionOf(t, db, "b2")
		resumed, _ := subscribe(t, h, &from, nil)
		require.Equal(t, []string{"b3", "b4", "b5"}, types(nextCommit(t, resumed)))
		require.Equal(t, []string{"c1"}, types(nextCommit(t, resumed)))
	})
}

// A subscription's match narrows each commit to the events it wants; a transaction with none of
// them is not delivered at all.
func TestCommitHoldsOnlyMatchingEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := startHub(t, db, events.Options{})
		s, _ := subscribe(t, h, nil, func(e *ent.Event) bool { return e.OrderID == "ord_A" })
		commit(t, db, h, evFor("x", "ord_A", ""), evFor("y", "ord_B", ""), evFor("z", "ord_A", ""))
		commit(t, db, h, evFor("w", "ord_B", ""))
		commit(t, db, h, evFor("v", "ord_A", ""))
		c := nextCommit(t, s)
		require.Len(t, c.Events, 2)
		require.Equal(t, "x", c.Events[0].Type)
		require.Equal(t, "z", c.Events[1].Type)
		require.Equal(t, events.PositionOf(c.Events[1]), c.Last())
		require.Equal(t, "v", nextCommit(t, s).Events[0].Type)
	})
}
