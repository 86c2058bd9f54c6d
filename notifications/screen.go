package notifications

import (
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/ent"
)

// The reasons a notification is skipped (Notification.skip_reason).
const (
	SkipNoAddress     = "NO_ADDRESS"
	SkipMaskedAddress = "MASKED_ADDRESS"
	SkipOptedOut      = "OPTED_OUT"
	SkipKindMuted     = "KIND_MUTED"
	SkipUnsubscribed  = "UNSUBSCRIBED"
)

// recipient is the address a provider of medium m sends to about o: the email given with the order
// (the buyer's for this order, which matters when the order was resolved to its customer by a
// phone or a buyer id), else the customer's email, else the masked one given; the customer's phone.
func recipient(m Medium, o *ent.Order) string {
	c := o.Edges.Customer
	switch m {
	case Email:
		if given := strings.TrimSpace(o.ContactEmail); given != "" && !customers.Masked(given) {
			return given
		}
		if c != nil && c.Email != nil && strings.TrimSpace(*c.Email) != "" {
			return strings.TrimSpace(*c.Email)
		}
		return strings.TrimSpace(o.ContactEmail)
	case Phone:
		if c != nil {
			return strings.TrimSpace(c.Phone)
		}
	}
	return ""
}

// screen decides whether a message of kind may go to address, for customer c (nil: a guest), and returns why not, or "" when it
// may. suppressed reports whether the address is on the suppression list. The order of the checks
// makes the reason the most fundamental one. It is pure.
func screen(address string, c *ent.Customer, kind string, suppressed bool) string {
	switch {
	case address == "":
		return SkipNoAddress
	case customers.Masked(address):
		return SkipMaskedAddress
	case c != nil && c.NotificationsOptOut:
		return SkipOptedOut
	case c != nil && slices.Contains(c.MutedNotifications, kind):
		return SkipKindMuted
	case suppressed:
		return SkipUnsubscribed
	}
	return ""
}

// normalize is an address as suppressions hold it: trimmed and, for email, lower-cased.
func normalize(address string) string {
	return strings.ToLower(strings.TrimSpace(address))
}
