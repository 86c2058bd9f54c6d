package returns

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

func TestValidate(t *testing.T) {
	ord, line := pulid.New("ord"), pulid.New("lin")
	ok := defaults(RequestInput{OrderID: ord, Lines: []LineInput{{OrderLineID: line, Quantity: 1}}})
	require.NoError(t, validate(ok))
	for name, mutate := range map[string]func(*RequestInput){
		"no order":       func(in *RequestInput) { in.OrderID = "" },
		"not an order":   func(in *RequestInput) { in.OrderID = line },
		"no lines":       func(in *RequestInput) { in.Lines = nil },
		"zero units":     func(in *RequestInput) { in.Lines[0].Quantity = 0 },
		"negative units": func(in *RequestInput) { in.Lines[0].Quantity = -2 },
		"not a line":     func(in *RequestInput) { in.Lines[0].OrderLineID = ord },
		"a line twice":   func(in *RequestInput) { in.Lines = append(in.Lines, in.Lines[0]) },
		"unknown kind":   func(in *RequestInput) { in.Kind = "GIFT" },
		"unknown origin": func(in *RequestInput) { in.Origin = "MOON" },
	} {
		in := ok
		in.Lines = append([]LineInput(nil), ok.Lines...)
		mutate(&in)
		require.True(t, fault.Is(validate(in), fault.InvalidArgument), name)
	}
}

func TestWithinWindow(t *testing.T) {
	day := 24 * time.Hour
	delivered := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	shipped := delivered.Add(-3 * day)
	var zero time.Time
	require.True(t, WithinWindow(delivered.Add(30*day), delivered, shipped, zero, 30), "the last day counts")
	require.False(t, WithinWindow(delivered.Add(30*day+time.Second), delivered, shipped, zero, 30))
	require.False(t, WithinWindow(shipped.Add(31*day), zero, shipped, zero, 30), "not delivered: counted from the hand-over")
	require.True(t, WithinWindow(shipped.Add(29*day), zero, shipped, zero, 30))
	require.True(t, WithinWindow(delivered, zero, zero, delivered.Add(-day), 30), "no shipment records: the order's last change")
	require.False(t, WithinWindow(delivered.Add(day), delivered, shipped, zero, 0), "a window of 0 days closes at delivery")
}

func TestBundlesOf(t *testing.T) {
	a, b := pulid.New("sku"), pulid.New("sku")
	comps := []*ent.BundleComponent{{ComponentID: a, Quantity: 2}, {ComponentID: b, Quantity: 1}}
	units := map[pulid.ID]int64{a: 5, b: 3}
	require.Equal(t, int64(2), BundlesOf(0, comps, func(v pulid.ID) int64 { return units[v] }), "the scarcest component decides")
	require.Equal(t, int64(4), BundlesOf(4, nil, nil), "a plain line counts its own units")
}

func TestInspected(t *testing.T) {
	l1 := &ent.ReturnLine{ID: "rtl_1", Quantity: 3, ReceivedQuantity: 2, DispositionedQuantity: 2}
	l2 := &ent.ReturnLine{ID: "rtl_2", Quantity: 1}
	require.True(t, Inspected(map[pulid.ID]*ent.ReturnLine{l1.ID: l1, l2.ID: l2}), "every received unit has a disposition")
	l2.ReceivedQuantity = 1
	require.False(t, Inspected(map[pulid.ID]*ent.ReturnLine{l1.ID: l1, l2.ID: l2}))
}
