package paging

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/fault"
)

func TestSize(t *testing.T) {
	n := func(v int) *int { return &v }
	l := NewLimits(0)
	require.Equal(t, Limits{Default: 100, Max: 100}, l)
	require.Equal(t, Limits{Default: 100, Max: 500}, NewLimits(500))
	require.Equal(t, Limits{Default: 20, Max: 20}, NewLimits(20))
	tests := []struct {
		name        string
		first, last *int
		want        int
		wantErr     string
	}{
		{name: "neither: the default page", want: 100},
		{name: "first", first: n(5), want: 5},
		{name: "last", last: n(7), want: 7},
		{name: "both: the smaller", first: n(50), last: n(3), want: 3},
		{name: "zero", first: n(0), want: 0},
		{name: "the max", first: n(100), want: 100},
		{name: "first over the max", first: n(100000), wantErr: "orders: first is 100000, more than the largest page of 100"},
		{name: "last over the max", last: n(101), wantErr: "orders: last is 101, more than the largest page of 100"},
		{name: "negative", first: n(-1), wantErr: "orders: first must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := l.Size("orders", tc.first, tc.last)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.True(t, fault.Is(err, fault.InvalidArgument), "code of %v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestPaginated(t *testing.T) {
	s := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { a(first: Int): Int b(last: Int): Int c(ids: [ID!]): Int d: Int }`})
	q := s.Query.Fields
	require.True(t, Paginated(q.ForName("a")))
	require.True(t, Paginated(q.ForName("b")))
	require.False(t, Paginated(q.ForName("c")))
	require.False(t, Paginated(q.ForName("d")))
	require.False(t, Paginated(nil))
}
