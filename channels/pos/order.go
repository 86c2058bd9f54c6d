package pos

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// The references an order keeps in channels.Order.Refs, for shipment and cancellation updates.
const (
	RefVersion     = "version"         // the order's version, Square's optimistic lock
	RefLocation    = "location_id"     // the order's location
	RefFulfillment = "fulfillment_uid" // the fulfillment a shipment completes (see primary)
)

// scalar is the value its payloads are made of: channels.Scalar, strings and numbers alike (a
// quantity documented as a string may come as a number, an amount documented as an integer as a
// string).
type scalar = channels.Scalar

// money is Square's Money: an integer amount in the currency's smallest unit.
type money struct {
	Amount   scalar `json:"amount"`
	Currency scalar `json:"currency"`
}

type address struct {
	Line1     scalar `json:"address_line_1"`
	Line2     scalar `json:"address_line_2"`
	Locality  scalar `json:"locality"`
	Region    scalar `json:"administrative_district_level_1"`
	Postal    scalar `json:"postal_code"`
	Country   scalar `json:"country"`
	FirstName scalar `json:"first_name"`
	LastName  scalar `json:"last_name"`
}

type recipient struct {
	CustomerID  scalar   `json:"customer_id"`
	DisplayName scalar   `json:"display_name"`
	Email       scalar   `json:"email_address"`
	Phone       scalar   `json:"phone_number"`
	Address     *address `json:"address"`
}

type fulfillment struct {
	UID      scalar `json:"uid"`
	Type     scalar `json:"type"`
	State    scalar `json:"state"`
	Shipment *struct {
		Recipient         *recipient `json:"recipient"`
		Carrier           scalar     `json:"carrier"`
		TrackingNumber    scalar     `json:"tracking_number"`
		ExpectedShippedAt scalar     `json:"expected_shipped_at"`
	} `json:"shipment_details"`
	Pickup *struct {
		Recipient *recipient `json:"recipient"`
		PickupAt  scalar     `json:"pickup_at"`
	} `json:"pickup_details"`
}

type lineItem struct {
	UID             scalar `json:"uid"`
	Name            scalar `json:"name"`
	VariationName   scalar `json:"variation_name"`
	Quantity        scalar `json:"quantity"`
	CatalogObjectID scalar `json:"catalog_object_id"`
	ItemType        scalar `json:"item_type"`
	BasePrice       *money `json:"base_price_money"`
	GrossSales      *money `json:"gross_sales_money"`
	TotalDiscount   *money `json:"total_discount_money"`
}

// order is the part of Square's Order that Ordo reads (api.json Order).
type order struct {
	ID           scalar        `json:"id"`
	LocationID   scalar        `json:"location_id"`
	ReferenceID  scalar        `json:"reference_id"`
	CustomerID   scalar        `json:"customer_id"`
	State        scalar        `json:"state"`
	Version      scalar        `json:"version"`
	CreatedAt    scalar        `json:"created_at"`
	UpdatedAt    scalar        `json:"updated_at"`
	LineItems    []lineItem    `json:"line_items"`
	Fulfillments []fulfillment `json:"fulfillments"`
	Tenders      []struct {
		Amount *money `json:"amount_money"`
	} `json:"tenders"`
	TotalMoney         *money `json:"total_money"`
	TotalTaxMoney      *money `json:"total_tax_money"`
	TotalDiscountMoney *money `json:"total_discount_money"`
	TotalServiceCharge *money `json:"total_service_charge_money"`
	TotalTip           *money `json:"total_tip_money"`
}

// ErrEntries is returned for a SearchOrders answer that holds order entries (return_entries true)
// instead of orders: reading it as no orders would lose them.
var ErrEntries = errors.New("pos: the answer holds order entries, not orders (ask with return_entries false)")

// NormalizeOrder turns a Square Order into Ordo's order: the bare Order, or a RetrieveOrder,
// CreateOrder or UpdateOrder answer that holds it under "order". Amounts are integer minor units
// already and must all be in one currency; a quantity must be a whole number of units (Ordo sells
// no fractions; lines of quantity 0, which Square drops at payment, are left out); a malformed amount
// or time, or invalid JSON, is an error.
func NormalizeOrder(raw []byte) (channels.Order, error) {
	// One decode serves both shapes: a wrapped order fills Order, a bare one the embedded fields.
	var w struct {
		Order *order `json:"order"`
		order
	}
	if err := decode(raw, &w); err != nil {
		return channels.Order{}, fmt.Errorf("pos: order: %w", err)
	}
	if w.Order != nil {
		return w.Order.normalize()
	}
	return w.order.normalize()
}

// NormalizeOrders reads a SearchOrders or BatchRetrieveOrders answer: its orders, normalized, and
// the cursor of the next page ("" on the last).
func NormalizeOrders(raw []byte) ([]channels.Order, string, error) {
	var page struct {
		Orders  []order           `json:"orders"`
		Entries []json.RawMessage `json:"order_entries"`
		Cursor  scalar            `json:"cursor"`
	}
	if err := decode(raw, &page); err != nil {
		return nil, "", fmt.Errorf("pos: orders: %w", err)
	}
	if len(page.Entries) > 0 {
		return nil, "", ErrEntries
	}
	out := make([]channels.Order, 0, len(page.Orders))
	for _, o := range page.Orders {
		n, err := o.normalize()
		if err != nil {
			return nil, "", err
		}
		out = append(out, n)
	}
	return out, page.Cursor.String(), nil
}

// amounts reads Money values in one currency, keeping the first error.
type amounts struct {
	currency string
	err      error
}

func (a *amounts) read(m *money) int64 {
	if m == nil || a.err != nil {
		return 0
	}
	if c := strings.ToUpper(m.Currency.String()); c != "" {
		if a.currency == "" {
			if _, err := channels.Exponent(c); err != nil {
				a.err = err
				return 0
			}
			a.currency = c
		} else if c != a.currency {
			a.err = fmt.Errorf("%w: %s amount in a %s order", channels.ErrAmount, c, a.currency)
			return 0
		}
	}
	v, err := m.Amount.Int()
	if err != nil {
		a.err = fmt.Errorf("%w: %q is not an integer amount", channels.ErrAmount, m.Amount)
	}
	return v
}

func (o order) normalize() (channels.Order, error) {
	fs := make([]Fulfillment, len(o.Fulfillments))
	for i, f := range o.Fulfillments {
		fs[i] = Fulfillment{Type: f.Type.String(), State: f.State.String()}
	}
	id, state := o.ID.String(), o.State.String()
	a := &amounts{}
	out := channels.Order{
		Kind:          channels.POS,
		ShopID:        o.LocationID.String(),
		ExternalID:    id,
		Number:        o.ReferenceID.String(),
		Status:        MapStatus(state, fs),
		ChannelStatus: RawStatus(state, fs),
		Total:         a.read(o.TotalMoney),
		Tax:           a.read(o.TotalTaxMoney),
		Discount:      a.read(o.TotalDiscountMoney),
		Shipping:      a.read(o.TotalServiceCharge),
	}
	if out.Number == "" {
		out.Number = id
	}
	var tendered int64
	for _, t := range o.Tenders {
		tendered += a.read(t.Amount)
	}
	out.Paid = strings.EqualFold(state, "COMPLETED") || (len(o.Tenders) > 0 && tendered >= out.Total)
	var err error
	for _, li := range o.LineItems {
		l, lerr := li.normalize(a)
		if lerr != nil && err == nil {
			err = lerr
		}
		if l.Quantity == 0 {
			continue // Square drops lines of quantity 0 when the order is paid
		}
		out.Subtotal += l.UnitPrice*l.Quantity - l.Discount
		out.Lines = append(out.Lines, l)
	}
	if tip := a.read(o.TotalTip); tip > 0 {
		// A tip is money the buyer gave, not an item: a non-stock line, so that it is kept and the
		// lines still add up to what was paid.
		out.Lines = append(out.Lines, channels.Line{LineID: "tip", Name: "Tip", Quantity: 1, UnitPrice: tip, NonStock: true})
		out.Subtotal += tip
	}
	if out.PlacedAt, err = utc(o.CreatedAt, err); err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", id, err)
	}
	if out.UpdatedAt, err = utc(o.UpdatedAt, err); err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", id, err)
	}
	if err = o.fulfill(&out); err != nil || a.err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", id, errors.Join(a.err, err))
	}
	out.Currency = a.currency
	out.Refs = refs(map[string]string{RefVersion: o.Version.String(), RefLocation: o.LocationID.String()})
	if f := o.primary(); f != nil && f.UID != "" {
		out.Refs[RefFulfillment] = f.UID.String()
	}
	return out, nil
}

// normalize reads one line; a line of quantity 0 comes back empty. Square has no SKU on a line: the
// catalog object (item variation) is the listing. A line with none, a custom amount keyed in at the
// till (item_type CUSTOM_AMOUNT) or a gift card sold or reloaded (GIFT_CARD) takes nothing from
// stock: it is a non-stock line. The unit price is the gross sales (base price and modifiers) per
// unit when it divides evenly, the base price otherwise.
func (li lineItem) normalize(a *amounts) (channels.Line, error) {
	l := channels.Line{ListingID: li.CatalogObjectID.String(), LineID: li.UID.String(), Name: li.Name.String()}
	if l.Name == "" {
		l.Name = li.VariationName.String()
	}
	switch strings.ToUpper(li.ItemType.String()) {
	case "CUSTOM_AMOUNT", "GIFT_CARD":
		l.NonStock = true
	}
	l.NonStock = l.NonStock || l.ListingID == ""
	q, err := channels.ParseMinor(li.Quantity.String(), 0)
	if err != nil || q < 0 || li.Quantity.String() == "" {
		return channels.Line{}, fmt.Errorf("pos: line %s: quantity %q is not a whole number of units", li.UID, li.Quantity)
	}
	if q == 0 {
		return channels.Line{}, nil
	}
	l.Quantity = q
	l.UnitPrice = a.read(li.BasePrice)
	if gross := a.read(li.GrossSales); li.GrossSales != nil && gross%q == 0 {
		l.UnitPrice = gross / q
	}
	l.Discount = a.read(li.TotalDiscount)
	return l, nil
}

// primary is the fulfillment Ordo ships by: the first SHIPMENT not cancelled, else the first
// SHIPMENT, else the first fulfillment; nil when there is none.
func (o order) primary() *fulfillment {
	var first, shipment *fulfillment
	for i := range o.Fulfillments {
		f := &o.Fulfillments[i]
		if !strings.EqualFold(f.Type.String(), "SHIPMENT") {
			first = cmp.Or(first, f)
			continue
		}
		if !strings.EqualFold(f.State.String(), "CANCELED") {
			return f
		}
		shipment = cmp.Or(shipment, f)
	}
	if shipment != nil {
		return shipment
	}
	return first
}

// fulfill reads the buyer, ship-to, ship-by deadline and tracking from the primary fulfillment.
func (o order) fulfill(out *channels.Order) error {
	out.Buyer.ExternalID = o.CustomerID.String()
	f := o.primary()
	if f == nil {
		return nil
	}
	var r *recipient
	var by string
	switch {
	case f.Shipment != nil:
		r, by = f.Shipment.Recipient, f.Shipment.ExpectedShippedAt.String()
		out.Carrier, out.TrackingNumber = f.Shipment.Carrier.String(), f.Shipment.TrackingNumber.String()
	case f.Pickup != nil:
		r, by = f.Pickup.Recipient, f.Pickup.PickupAt.String()
	}
	if by != "" {
		t, err := utc(scalar(by), nil)
		if err != nil {
			return err
		}
		out.ShipBy = &t
	}
	if r == nil {
		return nil
	}
	out.Buyer = channels.Buyer{
		ExternalID: cmp.Or(o.CustomerID.String(), r.CustomerID.String()),
		Name:       r.DisplayName.String(), Email: r.Email.String(), Phone: r.Phone.String(),
	}
	if ad := r.Address; ad != nil && f.Shipment != nil {
		out.ShippingAddress = channels.Address{
			Name:        cmp.Or(r.DisplayName.String(), strings.TrimSpace(ad.FirstName.String()+" "+ad.LastName.String())),
			Phone:       r.Phone.String(),
			Line1:       ad.Line1.String(),
			Line2:       ad.Line2.String(),
			City:        ad.Locality.String(),
			Region:      ad.Region.String(),
			PostalCode:  ad.Postal.String(),
			CountryCode: strings.ToUpper(ad.Country.String()),
		}
	}
	return nil
}

// refs drops the empty references.
func refs(m map[string]string) map[string]string {
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

// utc parses an RFC 3339 time (Square writes milliseconds and Z) into UTC; empty is the zero time.
// A previous error passes through untouched.
func utc(v scalar, prev error) (time.Time, error) {
	s := v.String()
	if prev != nil || s == "" {
		return time.Time{}, prev
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("pos: time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}
