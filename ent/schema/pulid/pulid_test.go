package pulid

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewIsPrefixedSortableAndValid(t *testing.T) {
	a, b := New("ord"), New("ord") // monotonic within a millisecond, by time across them
	require.Less(t, string(a), string(b))
	p, err := a.Prefix()
	require.NoError(t, err)
	require.Equal(t, "ord", p)
	require.NoError(t, a.Validate("ord"))
	require.True(t, errors.Is(a.Validate("loc"), ErrMalformed))
}

func TestMalformed(t *testing.T) {
	for _, s := range []string{"", "ord", "ord_", "ord_123", "_01JD3W0Q6YB1M9A5Q2X3C4V5N6", "ord-01JD3W0Q6YB1M9A5Q2X3C4V5N6", "ord_01JD3W0Q6YB1M9A5Q2X3C4V5NU"} {
		_, err := ID(s).Prefix()
		require.True(t, errors.Is(err, ErrMalformed), "%q: %v", s, err)
	}
}

func TestScanAndValue(t *testing.T) {
	var id ID
	require.NoError(t, id.Scan("loc_01JD3W0Q6YB1M9A5Q2X3C4V5N6"))
	require.NoError(t, id.Scan([]byte("loc_01JD3W0Q6YB1M9A5Q2X3C4V5N6")))
	require.Error(t, id.Scan(nil))
	require.Error(t, id.Scan(42))
	v, err := id.Value()
	require.NoError(t, err)
	require.Equal(t, "loc_01JD3W0Q6YB1M9A5Q2X3C4V5N6", v)
}

func TestUnmarshalGQLRefusesMalformed(t *testing.T) {
	for _, v := range []any{"nope", "ord_123", "ord_\x00", "", 42, nil, "ord_01JD3W0Q6YB1M9A5Q2X3C4V5NU"} {
		id := ID("kept")
		err := id.UnmarshalGQL(v)
		require.True(t, errors.Is(err, ErrMalformed), "%#v: %v", v, err)
		require.Equal(t, ID("kept"), id, "%#v: a refused id must not be stored", v)
	}
	var id ID
	require.NoError(t, id.UnmarshalGQL("ord_01JD3W0Q6YB1M9A5Q2X3C4V5N6"))
	require.Equal(t, ID("ord_01JD3W0Q6YB1M9A5Q2X3C4V5N6"), id)
}
