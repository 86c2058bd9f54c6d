package notifications

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/notifications/message"
)

// compose renders n from what the store holds now into the message its provider sends.
func (s *Service) compose(ctx context.Context, n *ent.Notification) (Message, error) {
	o, err := s.loadOrder(ctx, n.OrderID)
	if err != nil {
		return Message{}, err
	}
	d, err := s.data(ctx, o, string(n.Kind), n.SubjectID, n.Facts, message.Locale(n.Locale))
	if err != nil {
		return Message{}, err
	}
	d.UnsubscribeURL = s.unsubscribeURL(n.Recipient, o.CustomerID)
	r, err := message.Render(d)
	if err != nil {
		return Message{}, fmt.Errorf("%w: render %s: %v", ErrRejected, n.Kind, err)
	}
	from, replyTo := s.sender(o.Edges.Channel)
	m := Message{
		ID: string(n.ID), To: n.Recipient, From: from, ReplyTo: replyTo, Subject: r.Subject, HTML: r.HTML, Text: r.Text,
		Locale: string(d.Locale), Kind: string(n.Kind), OrderNumber: o.Number, UnsubscribeURL: d.UnsubscribeURL,
	}
	if d.ReturnLabelAttached {
		doc, err := s.DB.Client.Document.Get(ctx, pulid.ID(n.Facts[factLabel]))
		if err != nil {
			return Message{}, notFound(err, "document", n.Facts[factLabel])
		}
		m.Attachments = []Attachment{{Name: d.ReturnNumber + ".pdf", ContentType: doc.ContentType, Body: doc.Body}}
	}
	return m, nil
}

// loadOrder loads an order with what every message tells: its lines, customer and channel.
func (s *Service) loadOrder(ctx context.Context, id pulid.ID) (*ent.Order, error) {
	o, err := s.DB.Client.Order.Query().Where(order.ID(id)).WithCustomer().WithChannel().
		WithLines(func(q *ent.OrderLineQuery) { q.Order(orderline.ByID()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "order %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	return o, nil
}

// sender is whom a channel's messages are from and where replies go: its branding over the
// instance's default sender.
func (s *Service) sender(ch *ent.Channel) (from, replyTo string) {
	from = s.From
	if ch == nil {
		return from, ""
	}
	b := ch.Branding
	if b.FromEmail != "" {
		name := b.FromName
		if name == "" {
			name = b.BrandName
		}
		from = (&mail.Address{Name: name, Address: b.FromEmail}).String()
	} else if b.FromName != "" {
		if a, err := mail.ParseAddress(s.From); err == nil {
			from = (&mail.Address{Name: b.FromName, Address: a.Address}).String()
		}
	}
	return from, b.ReplyTo
}

// data gathers what a message of kind about o tells, in locale (empty: the order's), from the
// store and the facts its event gave: the shipment, return or refund subject names.
func (s *Service) data(ctx context.Context, o *ent.Order, kind, subject string, facts map[string]string, locale message.Locale) (message.Data, error) {
	if locale == "" {
		locale = localeOf(o)
	}
	d := message.Data{
		Kind: kind, Locale: locale, Zone: zoneOf(o), CustomerName: customerName(o),
		OrderNumber: o.Number, PlacedAt: o.PlacedAt, Currency: o.Currency, Total: o.TotalAmount,
	}
	if ch := o.Edges.Channel; ch != nil {
		d.Brand = brandOf(ch)
	}
	for _, l := range o.Edges.Lines {
		if q := l.Quantity - l.CancelledQuantity; q > 0 {
			d.Lines = append(d.Lines, message.Line{SKU: l.Sku, Name: l.Name, Quantity: q, Amount: q * l.UnitPriceAmount})
		}
	}
	d.ExpectedBy = o.PromisedDeliveryTo
	if o.RepromisedDeliveryTo != nil {
		d.ExpectedBy = o.RepromisedDeliveryTo
	}
	d.Reason = facts[factReason]
	switch kind {
	case KindBackordered:
		d.ExpectedBy = nil // the promise was made for stock the order did not get
	case KindShipped, KindOutForDelivery, KindDelivered, KindDelayed, KindReadyForPickup, KindPickupExpiring:
		if err := s.shipmentData(ctx, &d, pulid.ID(subject)); err != nil {
			return d, err
		}
	case KindReturnApproved, KindReturnReceived:
		r, err := s.DB.Client.OrderReturn.Get(ctx, pulid.ID(subject))
		if err != nil {
			return d, notFound(err, "return", subject)
		}
		d.ReturnNumber = r.Number
		d.ReturnLabelAttached = kind == KindReturnApproved && facts[factLabel] != ""
	case KindRefundIssued:
		amount, err := strconv.ParseInt(facts[factAmount], 10, 64)
		if err != nil {
			rf, err := s.DB.Client.Refund.Get(ctx, pulid.ID(subject))
			if err != nil {
				return d, notFound(err, "refund", subject)
			}
			amount = rf.Amount
		}
		d.RefundAmount = amount
	case KindLinesCancelled:
		var lines []events.CancelledLine
		if raw := facts[factLines]; raw != "" {
			if err := json.Unmarshal([]byte(raw), &lines); err != nil {
				return d, fmt.Errorf("%w: cancelled lines: %v", ErrRejected, err)
			}
		}
		names := map[string]*ent.OrderLine{}
		for _, l := range o.Edges.Lines {
			names[string(l.ID)] = l
		}
		for _, c := range lines {
			ml := message.Line{SKU: c.SKU, Quantity: c.Quantity}
			if l := names[c.LineID]; l != nil {
				ml.Name, ml.Amount = l.Name, c.Quantity*l.UnitPriceAmount
			}
			d.CancelledLines = append(d.CancelledLines, ml)
		}
	}
	if kind == KindDelayed {
		if t, ok := parseStamp(facts[factNewPromise]); ok {
			d.ExpectedBy = &t
		}
		if t, ok := parseStamp(facts[factPreviousPromise]); ok {
			d.PreviousPromise = &t
		}
	}
	return d, nil
}

// shipmentData adds a shipment's number, parcels and how to follow them, and for a pickup its
// store and until when the order is kept there.
func (s *Service) shipmentData(ctx context.Context, d *message.Data, id pulid.ID) error {
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(id)).WithLocation().
		WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).Only(ctx)
	if err != nil {
		return notFound(err, "shipment", string(id))
	}
	d.ShipmentNumber = sh.Number
	if sh.PromisedDeliveryTo != nil && d.Kind == KindShipped {
		d.ExpectedBy = sh.PromisedDeliveryTo
	}
	d.Parcels = parcels(sh)
	if sh.PickupExpiresAt != nil {
		d.PickupBy = sh.PickupExpiresAt
	}
	if l := sh.Edges.Location; l != nil && (d.Kind == KindReadyForPickup || d.Kind == KindPickupExpiring) {
		d.PickupLocation, d.PickupAddress = l.Name, addressLine(l.Address)
	}
	return nil
}

// parcels are a shipment's packages with their tracking numbers and the page that follows each
// (the shipment's own tracking page when it has one number, else the carrier's page per number).
func parcels(sh *ent.Shipment) []message.Parcel {
	var numbers []string
	for _, p := range sh.Edges.Packages {
		if p.TrackingNumber != "" {
			numbers = append(numbers, p.TrackingNumber)
		}
	}
	if len(numbers) == 0 {
		numbers = sh.TrackingNumbers
	}
	out := make([]message.Parcel, 0, len(numbers))
	for _, n := range numbers {
		p := message.Parcel{Carrier: sh.Carrier, TrackingNumber: n}
		switch {
		case len(numbers) == 1 && sh.TrackingURL != "":
			p.TrackingURL = sh.TrackingURL
		case sh.Carrier != "":
			p.TrackingURL = fulfilment.TrackingURL(sh.Carrier, n)
		}
		out = append(out, p)
	}
	return out
}

// brandOf is how a channel's messages look.
func brandOf(ch *ent.Channel) message.Brand {
	b := ch.Branding
	name := b.BrandName
	if name == "" {
		name = ch.Name
	}
	return message.Brand{Name: name, LogoURL: b.LogoURL, Color: b.Color, AccentColor: b.AccentColor, SupportEmail: b.SupportEmail}
}

// customerName is whom a message greets.
func customerName(o *ent.Order) string {
	if c := o.Edges.Customer; c != nil && strings.TrimSpace(c.Name) != "" {
		return strings.TrimSpace(c.Name)
	}
	return strings.TrimSpace(o.ShippingAddress.Name)
}

// zoneOf is the time zone o's customer reads dates in: theirs, else their country's.
func zoneOf(o *ent.Order) *time.Location {
	if c := o.Edges.Customer; c != nil && c.TimeZone != "" {
		if z, err := time.LoadLocation(c.TimeZone); err == nil {
			return z
		}
	}
	return message.ZoneOfCountry(o.ShippingAddress.CountryCode)
}

// addressLine is an address on one line.
func addressLine(a schema.Address) string {
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, a.City, a.Region, a.PostalCode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// notFound turns a missing row into a permanent failure of the send (nothing to tell about).
func notFound(err error, what, id string) error {
	if ent.IsNotFound(err) {
		return fmt.Errorf("%w: %s %s not found", ErrRejected, what, id)
	}
	return fmt.Errorf("load %s: %w", what, err)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseStamp(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}
