package notifications

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
)

func TestScreen(t *testing.T) {
	cust := &ent.Customer{}
	out := &ent.Customer{NotificationsOptOut: true}
	muted := &ent.Customer{MutedNotifications: []string{KindDelivered}}
	for _, tt := range []struct {
		name       string
		address    string
		c          *ent.Customer
		kind       string
		suppressed bool
		want       string
	}{
		{"sent", "ann@example.com", cust, KindShipped, false, ""},
		{"a guest", "ann@example.com", nil, KindShipped, false, ""},
		{"no address", "", out, KindShipped, false, SkipNoAddress},
		{"masked", "x@marketplace.facebook.com", out, KindShipped, false, SkipMaskedAddress},
		{"opted out", "ann@example.com", out, KindShipped, true, SkipOptedOut},
		{"muted", "ann@example.com", muted, KindDelivered, false, SkipKindMuted},
		{"another kind than the muted", "ann@example.com", muted, KindShipped, false, ""},
		{"unsubscribed", "ann@example.com", cust, KindShipped, true, SkipUnsubscribed},
	} {
		require.Equal(t, tt.want, screen(tt.address, tt.c, tt.kind, tt.suppressed), tt.name)
	}
}

func TestRecipient(t *testing.T) {
	email := "ann@example.com"
	o := &ent.Order{ContactEmail: "guest@example.com"}
	require.Equal(t, "guest@example.com", recipient(Email, o), "a guest: the order's email")
	require.Empty(t, recipient(Phone, o))
	o.Edges.Customer = &ent.Customer{Email: &email, Phone: "+66812345678"}
	require.Equal(t, "guest@example.com", recipient(Email, o),
		"an order resolved to a customer by phone or buyer id: the email given with it, not the customer's")
	require.Equal(t, "+66812345678", recipient(Phone, o))
	o.ContactEmail = ""
	require.Equal(t, email, recipient(Email, o), "no email given: the customer's")
	o.ContactEmail = "a****n@gmail.com"
	require.Equal(t, email, recipient(Email, o), "a masked email given: the customer's")
	o.Edges.Customer = nil
	require.Equal(t, "a****n@gmail.com", recipient(Email, o), "only a masked one: screened out later as masked")
}
