package notifications

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
)

func TestDecide(t *testing.T) {
	o := &ent.Order{ID: "ord_1", Version: 3}
	out := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionOUTBOUND}
	back := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionRETURN}
	expires := time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)
	pickup := &ent.Shipment{ID: "shp_1", Direction: shipment.DirectionOUTBOUND, PickupExpiresAt: &expires}
	ev := func(typ string, data map[string]any) *ent.Event {
		return &ent.Event{ID: 42, Type: typ, OrderID: "ord_1", Data: data}
	}
	move := func(from, to string) *ent.Event {
		return ev(events.KindShipmentUpdated, map[string]any{"shipmentID": "shp_1", "from": from, "to": to})
	}
	for _, tt := range []struct {
		name string
		e    *ent.Event
		sh   *ent.Shipment
		want []Intent
	}{
		{"placed", ev(events.KindOrderPlaced, map[string]any{"status": "CONFIRMED"}), nil,
			[]Intent{{Kind: KindOrderConfirmed, Version: "1"}}},
		{"routed with a backorder: once per version of the order", ev(events.KindOrderRouted, map[string]any{"backorderedUnits": 2}), nil,
			[]Intent{{Kind: KindBackordered, Version: "v3"}}},
		{"routed whole", ev(events.KindOrderRouted, map[string]any{"backorderedUnits": 0}), nil, nil},
		{"backorder released whole", ev(events.KindBackorderReleased, map[string]any{"units": 2, "status": "ALLOCATED"}), nil,
			[]Intent{{Kind: KindAllocated, Version: "e42"}}},
		{"backorder released in part", ev(events.KindBackorderReleased, map[string]any{"units": 1, "status": "BACKORDERED"}), nil, nil},
		{"cancelled", ev(events.KindStatusChanged, map[string]any{"from": "CONFIRMED", "to": "CANCELLED", "reason": "out of stock"}), nil,
			[]Intent{{Kind: KindCancelled, Version: "1", Facts: map[string]string{factReason: "out of stock"}}}},
		{"another move", ev(events.KindStatusChanged, map[string]any{"from": "CONFIRMED", "to": "ALLOCATED"}), nil, nil},
		{"lines cancelled", ev(events.KindLinesCancelled, map[string]any{"lines": []any{map[string]any{"lineID": "oln_1", "sku": "TEE", "quantity": 1}}, "source": "AGENT"}), nil,
			[]Intent{{Kind: KindLinesCancelled, Version: "e42", Facts: map[string]string{factLines: `[{"lineID":"oln_1","sku":"TEE","quantity":1}]`}}}},
		{"shipped", move("READY", "SHIPPED"), out, []Intent{{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan in transit", move("PACKED", "IN_TRANSIT"), out, []Intent{{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}}},
		{"on its way", move("SHIPPED", "IN_TRANSIT"), out, nil},
		{"out for delivery", move("IN_TRANSIT", "OUT_FOR_DELIVERY"), out, []Intent{{Kind: KindOutForDelivery, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan out for delivery", move("READY", "OUT_FOR_DELIVERY"), out, []Intent{
			{Kind: KindShipped, Version: "shp_1", SubjectID: "shp_1"}, {Kind: KindOutForDelivery, Version: "shp_1", SubjectID: "shp_1"}}},
		{"delivered", move("OUT_FOR_DELIVERY", "DELIVERED"), out, []Intent{{Kind: KindDelivered, Version: "shp_1", SubjectID: "shp_1"}}},
		{"a first scan delivered: not shipped too", move("PACKED", "DELIVERED"), out, []Intent{{Kind: KindDelivered, Version: "shp_1", SubjectID: "shp_1"}}},
		{"ready for pickup", move("PACKED", "READY_FOR_PICKUP"), pickup, []Intent{{Kind: KindReadyForPickup, Version: "shp_1", SubjectID: "shp_1",
			Facts: map[string]string{factPickupBy: "2026-12-09T10:00:00Z"}}}},
		{"collected", move("READY_FOR_PICKUP", "COLLECTED"), pickup, nil},
		{"a return's parcel delivered", move("IN_TRANSIT", "DELIVERED"), back, nil},
		{"a shipment gone", move("IN_TRANSIT", "DELIVERED"), nil, nil},
		{"delayed", ev(events.KindShipmentDelayed, map[string]any{"shipmentID": "shp_1", "newPromise": "2026-12-12T00:00:00Z", "promisedBy": "2026-12-10T00:00:00Z"}), out,
			[]Intent{{Kind: KindDelayed, Version: "shp_1:2026-12-12T00:00:00Z", SubjectID: "shp_1",
				Facts: map[string]string{factNewPromise: "2026-12-12T00:00:00Z", factPreviousPromise: "2026-12-10T00:00:00Z"}}}},
		{"return approved", ev(events.KindReturnStatusChanged, map[string]any{"returnID": "ret_1", "from": "REQUESTED", "to": "APPROVED"}), nil,
			[]Intent{{Kind: KindReturnApproved, Version: "ret_1", SubjectID: "ret_1"}}},
		{"return declined", ev(events.KindReturnStatusChanged, map[string]any{"returnID": "ret_1", "from": "REQUESTED", "to": "DECLINED"}), nil, nil},
		{"return received", ev(events.KindReturnReceived, map[string]any{"returnID": "ret_1", "units": 1}), nil,
			[]Intent{{Kind: KindReturnReceived, Version: "ret_1", SubjectID: "ret_1"}}},
		{"refund paid", ev(events.KindRefundSettled, map[string]any{"refundID": "rfd_1", "status": "SUCCEEDED", "amount": 1500}), nil,
			[]Intent{{Kind: KindRefundIssued, Version: "rfd_1", SubjectID: "rfd_1", Facts: map[string]string{factAmount: "1500"}}}},
		{"refund failed", ev(events.KindRefundSettled, map[string]any{"refundID": "rfd_1", "status": "FAILED", "amount": 1500}), nil, nil},
		{"a marketplace's refund", ev(events.KindRefundMirrored, map[string]any{"refundID": "rfd_2", "returnID": "ret_1", "amount": 900}), nil,
			[]Intent{{Kind: KindRefundIssued, Version: "rfd_2", SubjectID: "rfd_2", Facts: map[string]string{factAmount: "900"}}}},
		{"an event that asks for nothing", ev(events.KindStockChanged, nil), nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Decide(tt.e, o, tt.sh))
		})
	}
	require.Nil(t, Decide(ev(events.KindOrderPlaced, nil), nil, nil), "an order gone")
}

func TestMasked(t *testing.T) {
	for addr, want := range map[string]bool{
		"ann@example.com":                     false,
		"Ann.Lee@Gmail.com":                   false,
		"n8miblde3i@marketplace.facebook.com": true,
		"x1@scs.tiktokw.us":                   true,
		"x1@us.tiktokw.us":                    true,
		"x1@tiktokw.us":                       true,
		"buyer@chat.seller.tiktok.com":        true,
		"buyer@tiktok.com":                    false,
		"abc123@buyer.lazada.co.th":           true,
		"abc@shopee.co.id":                    true,
		"a****@gmail.com":                     true,
		"+66****5678":                         true,
		"+66812345678":                        false,
		"someone@notshopee.com":               false,
	} {
		require.Equal(t, want, Masked(addr), addr)
	}
}

func TestScreen(t *testing.T) {
	cust := &ent.Customer{}
	out := &ent.Customer{NotificationsOptOut: true}
	muted := &ent.Customer{MutedNotifications: []string{KindDelivered}}
	for _, tt := range []struct {
		name       string
		provider   bool
		address    string
		c          *ent.Customer
		kind       string
		suppressed bool
		want       string
	}{
		{"sent", true, "ann@example.com", cust, KindShipped, false, ""},
		{"a guest", true, "ann@example.com", nil, KindShipped, false, ""},
		{"no provider", false, "ann@example.com", out, KindShipped, true, SkipNoProvider},
		{"no address", true, "", out, KindShipped, false, SkipNoAddress},
		{"masked", true, "x@marketplace.facebook.com", out, KindShipped, false, SkipMaskedAddress},
		{"opted out", true, "ann@example.com", out, KindShipped, true, SkipOptedOut},
		{"muted", true, "ann@example.com", muted, KindDelivered, false, SkipKindMuted},
		{"another kind than the muted", true, "ann@example.com", muted, KindShipped, false, ""},
		{"unsubscribed", true, "ann@example.com", cust, KindShipped, true, SkipUnsubscribed},
	} {
		require.Equal(t, tt.want, screen(tt.provider, tt.address, tt.c, tt.kind, tt.suppressed), tt.name)
	}
}

func TestRecipient(t *testing.T) {
	email := "ann@example.com"
	o := &ent.Order{ContactEmail: "guest@example.com"}
	require.Equal(t, "guest@example.com", recipient(Email, o), "a guest: the order's email")
	require.Empty(t, recipient(Phone, o))
	o.Edges.Customer = &ent.Customer{Email: &email, Phone: "+66812345678"}
	require.Equal(t, email, recipient(Email, o))
	require.Equal(t, "+66812345678", recipient(Phone, o))
}

func TestTokens(t *testing.T) {
	key := tokenKey([]byte("instance secret"))
	u := unsubscribe{Address: "ann@example.com", CustomerID: "cus_1"}
	tok := sign(key, u)
	got, err := verify(key, tok)
	require.NoError(t, err)
	require.Equal(t, u, got)

	require.NotEqual(t, []byte("instance secret"), key, "the secret is never the key")
	_, err = verify(tokenKey([]byte("another secret")), tok)
	require.ErrorIs(t, err, errToken, "signed with another key")
	forged := sign(tokenKey([]byte("another secret")), unsubscribe{Address: "bob@example.com"})
	_, err = verify(key, forged)
	require.ErrorIs(t, err, errToken, "forged")
	payload, sum, _ := cut(tok)
	other := sign(key, unsubscribe{Address: "bob@example.com"})
	otherPayload, _, _ := cut(other)
	_, err = verify(key, otherPayload+"."+sum)
	require.ErrorIs(t, err, errToken, "another payload under this signature")
	for _, bad := range []string{"", "abc", payload, payload + ".", "." + sum, "!!." + sum, payload + ".!!"} {
		_, err = verify(key, bad)
		require.ErrorIs(t, err, errToken, bad)
	}
	empty := sign(key, unsubscribe{})
	_, err = verify(key, empty)
	require.ErrorIs(t, err, errToken, "a token names an address")
}

func TestExpiring(t *testing.T) {
	at := func(h int) *time.Time {
		v := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
		return &v
	}
	for _, tt := range []struct {
		name           string
		ready, expires *time.Time
		now            time.Time
		want           bool
	}{
		{"three-day hold, a day left", at(0), at(72), *at(48), true},
		{"three-day hold, two days left", at(0), at(72), *at(24), false},
		{"three-day hold, an hour left", at(0), at(72), *at(71), true},
		{"expired", at(0), at(72), *at(72), false},
		{"a one-day hold: its ready message said it", at(0), at(24), *at(12), false},
		{"not ready", nil, at(72), *at(48), false},
	} {
		require.Equal(t, tt.want, expiring(tt.ready, tt.expires, tt.now), tt.name)
	}
}

func TestDefaultRetry(t *testing.T) {
	var total time.Duration
	prev := time.Duration(0)
	for a := 1; a < MaxAttempts; a++ {
		d := DefaultRetry(a)
		require.GreaterOrEqual(t, d, prev, "attempt %d", a)
		require.LessOrEqual(t, d, time.Hour)
		total += d
		prev = d
	}
	require.Greater(t, total, 20*time.Hour, "a day-long outage is caught up")
	require.Less(t, total, 30*time.Hour)
}

func cut(tok string) (payload, sum string, ok bool) {
	for i := range tok {
		if tok[i] == '.' {
			return tok[:i], tok[i+1:], true
		}
	}
	return tok, "", false
}
