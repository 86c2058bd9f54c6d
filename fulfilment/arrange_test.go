package fulfilment

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
)

func TestFollow(t *testing.T) {
	tee := schema.PackageItem{LineID: "oln_tee", SKU: "TEE", Quantity: 2}
	cap1 := schema.PackageItem{LineID: "oln_cap", SKU: "CAP", Quantity: 1}
	box := func(i int, code string, grams int, dims [3]int, items ...schema.PackageItem) Parcel {
		return Parcel{Index: i, Box: code, WeightGrams: grams, Dims: dims, Contents: items}
	}
	theirs := func(n int) []channels.ArrangedPackage {
		out := make([]channels.ArrangedPackage, n)
		for i := range out {
			out[i] = channels.ArrangedPackage{Ref: "PKG" + string(rune('A'+i)), TrackingNumber: "TN" + string(rune('A'+i))}
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		ours   []Parcel
		theirs []channels.ArrangedPackage
		want   []Parcel
	}{
		{
			name:   "as many: each takes its tracking number and reference",
			ours:   []Parcel{box(1, "S", 500, [3]int{200, 150, 50}, tee), box(2, "M", 700, [3]int{300, 200, 100}, cap1)},
			theirs: theirs(2),
			want: []Parcel{
				{Index: 1, Box: "S", WeightGrams: 500, Dims: [3]int{200, 150, 50}, Contents: []schema.PackageItem{tee}, TrackingNumber: "TNA", ChannelRef: "PKGA"},
				{Index: 2, Box: "M", WeightGrams: 700, Dims: [3]int{300, 200, 100}, Contents: []schema.PackageItem{cap1}, TrackingNumber: "TNB", ChannelRef: "PKGB"},
			},
		},
		{
			name:   "fewer: the surplus goes into the last, no longer a catalogue box",
			ours:   []Parcel{box(1, "S", 500, [3]int{200, 150, 50}, tee), box(2, "M", 700, [3]int{300, 100, 100}, cap1, tee)},
			theirs: theirs(1),
			want: []Parcel{{Index: 1, WeightGrams: 1200, Dims: [3]int{300, 150, 100},
				Contents: []schema.PackageItem{{LineID: "oln_tee", SKU: "TEE", Quantity: 4}, cap1}, TrackingNumber: "TNA", ChannelRef: "PKGA"}},
		},
		{
			name:   "more: the extra ones are added empty",
			ours:   []Parcel{box(1, "S", 500, [3]int{200, 150, 50}, tee, cap1)},
			theirs: theirs(2),
			want: []Parcel{
				{Index: 1, Box: "S", WeightGrams: 500, Dims: [3]int{200, 150, 50}, Contents: []schema.PackageItem{tee, cap1}, TrackingNumber: "TNA", ChannelRef: "PKGA"},
				{Index: 2, TrackingNumber: "TNB", ChannelRef: "PKGB"},
			},
		},
		{
			name: "none arranged: ours stay",
			ours: []Parcel{box(1, "S", 500, [3]int{200, 150, 50}, tee)},
			want: []Parcel{box(1, "S", 500, [3]int{200, 150, 50}, tee)},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]schema.PackageItem(nil), tt.ours[0].Contents...)
			require.Equal(t, tt.want, Follow(tt.ours, tt.theirs))
			require.Equal(t, before, tt.ours[0].Contents, "ours are not changed")
		})
	}
}

func TestComplete(t *testing.T) {
	require.False(t, Complete(channels.Arranged{}), "nothing arranged")
	require.False(t, Complete(channels.Arranged{Packages: []channels.ArrangedPackage{{Ref: "A", TrackingNumber: "T1"}, {Ref: "B"}}}), "a package without its tracking number")
	require.True(t, Complete(channels.Arranged{Packages: []channels.ArrangedPackage{{Ref: "A", TrackingNumber: "T1"}, {Ref: "B", TrackingNumber: "T2"}}}))
}

func TestArrangedTracking(t *testing.T) {
	c, n := arrangedTracking([]channels.ArrangedPackage{{TrackingNumber: "T1"}, {TrackingNumber: "T2", Carrier: "J&T Express"}, {TrackingNumber: "T1"}}, "Shopee")
	require.Equal(t, "J&T Express", c, "the marketplace's carrier first")
	require.Equal(t, []string{"T1", "T2"}, n, "distinct, in package order")
	c, n = arrangedTracking([]channels.ArrangedPackage{{TrackingNumber: "T1"}}, "Shopee")
	require.Equal(t, "Shopee", c, "else its logistics")
	require.Equal(t, []string{"T1"}, n)
}

func TestArrangeable(t *testing.T) {
	for _, tt := range []struct {
		method shipment.Method
		status shipment.Status
		order  order.Status
		want   fault.Code
	}{
		{shipment.MethodMARKETPLACE, shipment.StatusOPEN, order.StatusALLOCATED, ""},
		{shipment.MethodMARKETPLACE, shipment.StatusREADY, order.StatusREADY_TO_SHIP, ""},
		{shipment.MethodMANUAL, shipment.StatusOPEN, order.StatusALLOCATED, fault.Conflict},
		{shipment.MethodMARKETPLACE, shipment.StatusSHIPPED, order.StatusSHIPPED, fault.Conflict},
		{shipment.MethodMARKETPLACE, shipment.StatusCANCELLED, order.StatusALLOCATED, fault.Conflict},
		{shipment.MethodMARKETPLACE, shipment.StatusOPEN, order.StatusON_HOLD, fault.Conflict},
	} {
		err := Arrangeable(&ent.Shipment{ID: "shp_1", Method: tt.method, Status: tt.status}, tt.order)
		if tt.want == "" {
			require.NoError(t, err, "%s %s, order %s", tt.method, tt.status, tt.order)
			continue
		}
		require.Equal(t, tt.want, fault.CodeOf(err), "%s %s, order %s", tt.method, tt.status, tt.order)
	}
}
