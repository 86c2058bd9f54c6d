package notifications

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/refund"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/suppression"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/notifications/message"
)

// Preferences are the changes SetPreferences makes; nil fields are left as they are. An empty
// Locale or TimeZone goes back to the order's country's.
type Preferences struct {
	Locale, TimeZone *string
	OptOut           *bool
	Muted            *[]string
}

// SetPreferences sets a customer's language, time zone, opt-out and muted kinds. Opting back in
// lifts the suppression an unsubscribe link put on the customer's email (not a bounce's). Bad input
// is INVALID_ARGUMENT and changes nothing.
func (s *Service) SetPreferences(ctx context.Context, customerID pulid.ID, p Preferences) (*ent.Customer, error) {
	var locale, zone string
	if p.Locale != nil && strings.TrimSpace(*p.Locale) != "" {
		l, ok := message.Supported(*p.Locale)
		if !ok {
			return nil, fault.New(fault.InvalidArgument, "locale %q is not supported (en, th, vi, id, ms)", *p.Locale)
		}
		locale = string(l)
	}
	if p.TimeZone != nil && strings.TrimSpace(*p.TimeZone) != "" {
		z, err := time.LoadLocation(strings.TrimSpace(*p.TimeZone))
		if err != nil || z.String() == "Local" {
			return nil, fault.New(fault.InvalidArgument, "time zone %q is not an IANA zone", *p.TimeZone)
		}
		zone = z.String()
	}
	var muted []string
	if p.Muted != nil {
		for _, k := range *p.Muted {
			if !slices.Contains(schema.NotificationKinds, k) {
				return nil, fault.New(fault.InvalidArgument, "%q is not a notification kind", k)
			}
			if !slices.Contains(muted, k) {
				muted = append(muted, k)
			}
		}
		slices.Sort(muted)
	}
	var c *ent.Customer
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		cur, err := tx.Customer.Get(ctx, customerID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "customer %s not found", customerID)
		}
		if err != nil {
			return fmt.Errorf("load customer: %w", err)
		}
		upd := tx.Customer.UpdateOneID(customerID)
		if p.Locale != nil {
			upd.SetLocale(locale)
		}
		if p.TimeZone != nil {
			upd.SetTimeZone(zone)
		}
		if p.Muted != nil {
			upd.SetMutedNotifications(muted)
		}
		if p.OptOut != nil {
			upd.SetNotificationsOptOut(*p.OptOut)
			if !*p.OptOut {
				if err := lift(ctx, tx, cur); err != nil {
					return err
				}
			}
		}
		c, err = upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("update customer: %w", err)
		}
		return nil
	})
	return c, err
}

// lift removes the unsubscribe suppressions of a customer's addresses.
func lift(ctx context.Context, tx *ent.Tx, c *ent.Customer) error {
	var addresses []string
	if c.Email != nil && *c.Email != "" {
		addresses = append(addresses, normalize(*c.Email))
	}
	if c.Phone != "" {
		addresses = append(addresses, normalize(c.Phone))
	}
	if len(addresses) == 0 {
		return nil
	}
	_, err := tx.Suppression.Delete().Where(suppression.AddressIn(addresses...),
		suppression.ReasonEQ(suppression.ReasonUNSUBSCRIBED)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("lift suppression: %w", err)
	}
	return nil
}

var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// validBranding checks a branding's addresses, colours, logo and locale.
func validBranding(b schema.Branding) (schema.Branding, error) {
	email := func(field, v string) error {
		if v == "" {
			return nil
		}
		a, err := mail.ParseAddress(v)
		if err != nil || a.Address != v || a.Name != "" {
			return fault.New(fault.InvalidArgument, "%s %q is not an email address", field, v)
		}
		return nil
	}
	for _, f := range [][2]string{{"fromEmail", b.FromEmail}, {"replyTo", b.ReplyTo}, {"supportEmail", b.SupportEmail}} {
		if err := email(f[0], f[1]); err != nil {
			return b, err
		}
	}
	for _, f := range [][2]string{{"color", b.Color}, {"accentColor", b.AccentColor}} {
		if f[1] != "" && !hexColor.MatchString(f[1]) {
			return b, fault.New(fault.InvalidArgument, "%s %q is not a #RRGGBB colour", f[0], f[1])
		}
	}
	if b.LogoURL != "" {
		u, err := url.Parse(b.LogoURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return b, fault.New(fault.InvalidArgument, "logoURL %q is not an https URL", b.LogoURL)
		}
	}
	if b.Locale != "" {
		l, ok := message.Supported(b.Locale)
		if !ok {
			return b, fault.New(fault.InvalidArgument, "locale %q is not supported (en, th, vi, id, ms)", b.Locale)
		}
		b.Locale = string(l)
	}
	for _, f := range []string{b.BrandName, b.FromName} {
		if len(f) > 200 || strings.ContainsAny(f, "\r\n") {
			return b, fault.New(fault.InvalidArgument, "a name must be one line of at most 200 bytes")
		}
	}
	return b, nil
}

// SetBranding sets how a channel's notifications look and whom they are from. Bad input is
// INVALID_ARGUMENT and changes nothing.
func (s *Service) SetBranding(ctx context.Context, channelID pulid.ID, b schema.Branding) (*ent.Channel, error) {
	b, err := validBranding(b)
	if err != nil {
		return nil, err
	}
	ch, err := s.DB.Client.Channel.UpdateOneID(channelID).SetBranding(b).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	if err != nil {
		return nil, fmt.Errorf("set branding: %w", err)
	}
	return ch, nil
}

// Preview renders a message of kind about an order with its data (the latest shipment, return or
// refund the kind is about), in locale ("": the order's), without sending anything.
func (s *Service) Preview(ctx context.Context, orderID pulid.ID, kind, locale string) (message.Rendered, error) {
	if !slices.Contains(schema.NotificationKinds, kind) {
		return message.Rendered{}, fault.New(fault.InvalidArgument, "%q is not a notification kind", kind)
	}
	var loc message.Locale
	if locale != "" {
		l, ok := message.Supported(locale)
		if !ok {
			return message.Rendered{}, fault.New(fault.InvalidArgument, "locale %q is not supported (en, th, vi, id, ms)", locale)
		}
		loc = l
	}
	o, err := s.loadOrder(ctx, orderID)
	if err != nil {
		return message.Rendered{}, err
	}
	subject, f, err := s.latest(ctx, o, kind)
	if err != nil {
		return message.Rendered{}, err
	}
	d, err := s.data(ctx, o, kind, subject, f, loc)
	if err != nil {
		return message.Rendered{}, err
	}
	var to string
	if len(s.Providers) > 0 {
		to = recipient(s.Providers[0].Medium(), o)
	}
	d.UnsubscribeURL = s.unsubscribeURL(to, o.CustomerID)
	r, err := message.Render(d)
	if err != nil {
		return message.Rendered{}, fmt.Errorf("render %s: %w", kind, err)
	}
	return r, nil
}

// latest is what a preview of kind is about: the order's latest outbound shipment, return or
// refund, and the facts its event would have given.
func (s *Service) latest(ctx context.Context, o *ent.Order, kind string) (string, map[string]string, error) {
	none := func(what string) error {
		return fault.New(fault.InvalidArgument, "order %s has no %s to preview %s with", o.Number, what, kind)
	}
	switch kind {
	case KindShipped, KindOutForDelivery, KindDelivered, KindDelayed, KindReadyForPickup, KindPickupExpiring:
		sh, err := s.DB.Client.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.DirectionEQ(shipment.DirectionOUTBOUND)).
			Order(shipment.ByCreatedAt(), shipment.ByID()).All(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("load shipments: %w", err)
		}
		if len(sh) == 0 {
			return "", nil, none("shipment")
		}
		last := sh[len(sh)-1]
		var f map[string]string
		if kind == KindDelayed && last.PromisedDeliveryTo != nil {
			f = facts(factNewPromise, stamp(*last.PromisedDeliveryTo))
		}
		return string(last.ID), f, nil
	case KindReturnApproved, KindReturnReceived:
		r, err := s.DB.Client.OrderReturn.Query().Where(orderreturn.OrderID(o.ID)).
			Order(orderreturn.ByRequestedAt(), orderreturn.ByID()).All(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("load returns: %w", err)
		}
		if len(r) == 0 {
			return "", nil, none("return")
		}
		return string(r[len(r)-1].ID), nil, nil
	case KindRefundIssued:
		rf, err := s.DB.Client.Refund.Query().Where(refund.OrderID(o.ID)).Order(refund.ByID()).All(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("load refunds: %w", err)
		}
		if len(rf) == 0 {
			return "", nil, none("refund")
		}
		last := rf[len(rf)-1]
		return string(last.ID), facts(factAmount, strconv.FormatInt(last.Amount, 10)), nil
	case KindLinesCancelled:
		var lines []events.CancelledLine
		for _, l := range o.Edges.Lines {
			if l.CancelledQuantity > 0 {
				lines = append(lines, events.CancelledLine{LineID: string(l.ID), SKU: l.Sku, Quantity: l.CancelledQuantity})
			}
		}
		if len(lines) == 0 {
			return "", nil, none("cancelled line")
		}
		raw, err := json.Marshal(lines)
		if err != nil {
			return "", nil, err
		}
		return "", facts(factLines, string(raw)), nil
	case KindCancelled:
		return "", facts(factReason, o.CancelReason), nil
	}
	return "", nil, nil
}

// Resend sends a notification again, as a new notification (its version the original's with
// "#resend-n") screened like any (an opted-out customer is sent nothing) through the same provider.
func (s *Service) Resend(ctx context.Context, notificationID pulid.ID) (*ent.Notification, error) {
	n, err := s.DB.Client.Notification.Get(ctx, notificationID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "notification %s not found", notificationID)
	}
	if err != nil {
		return nil, fmt.Errorf("load notification: %w", err)
	}
	if n.Status == notification.StatusPENDING {
		return nil, fault.New(fault.Conflict, "notification %s is still being sent", n.ID)
	}
	if s.provider(n.Provider) == nil {
		return nil, fault.New(fault.Conflict, "notification %s went through %q, which is not configured", n.ID, n.Provider)
	}
	base, _, _ := strings.Cut(n.Version, resendMark)
	var out *ent.Notification
	var appended bool
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		appended = false
		o, err := tx.Order.Query().Where(order.ID(n.OrderID)).WithCustomer().WithChannel().Only(ctx)
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		prior, err := tx.Notification.Query().Where(notification.OrderID(n.OrderID), notification.KindEQ(n.Kind),
			notification.Provider(n.Provider), notification.VersionHasPrefix(base+resendMark)).Count(ctx)
		if err != nil {
			return fmt.Errorf("count resends: %w", err)
		}
		version := base + resendMark + strconv.Itoa(prior+1)
		jobs, evs, err := s.write(ctx, tx, []ask{{order: o, eventID: n.EventID,
			intent: Intent{Kind: string(n.Kind), Version: version, SubjectID: n.SubjectID, Facts: n.Facts}}}, n.Provider)
		if err != nil {
			return err
		}
		if len(jobs)+len(evs) == 0 {
			return fault.New(fault.Conflict, "notification %s was resent meanwhile; retry", n.ID)
		}
		if err := s.Queue.InsertTx(ctx, tx, jobs...); err != nil {
			return err
		}
		if err := events.Append(ctx, tx, evs...); err != nil {
			return err
		}
		appended = len(evs) > 0
		out, err = tx.Notification.Query().Where(notification.OrderID(n.OrderID), notification.KindEQ(n.Kind),
			notification.Version(version), notification.Provider(n.Provider)).Only(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if appended {
		s.committed()
	}
	return out, nil
}

// resendMark separates a resend's number from the version it resends.
const resendMark = "#resend-"
