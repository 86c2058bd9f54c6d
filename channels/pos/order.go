package pos

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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

// money is Square's Money: an integer amount in the currency's smallest unit.
type money struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

type address struct {
	Line1     string `json:"address_line_1"`
	Line2     string `json:"address_line_2"`
	Locality  string `json:"locality"`
	Region    string `json:"administrative_district_level_1"`
	Postal    string `json:"postal_code"`
	Country   string `json:"country"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type recipient struct {
	CustomerID  string   `json:"customer_id"`
	DisplayName string   `json:"display_name"`
	Email       string   `json:"email_address"`
	Phone       string   `json:"phone_number"`
	Address     *address `json:"address"`
}

type fulfillment struct {
	UID      string `json:"uid"`
	Type     string `json:"type"`
	State    string `json:"state"`
	Shipment *struct {
		Recipient         *recipient `json:"recipient"`
		Carrier           string     `json:"carrier"`
		TrackingNumber    string     `json:"tracking_number"`
		ExpectedShippedAt string     `json:"expected_shipped_at"`
	} `json:"shipment_details"`
	Pickup *struct {
		Recipient *recipient `json:"recipient"`
		PickupAt  string     `json:"pickup_at"`
	} `json:"pickup_details"`
}

type lineItem struct {
	UID             string `json:"uid"`
	Name            string `json:"name"`
	VariationName   string `json:"variation_name"`
	Quantity        string `json:"quantity"`
	CatalogObjectID string `json:"catalog_object_id"`
	BasePrice       *money `json:"base_price_money"`
	GrossSales      *money `json:"gross_sales_money"`
	TotalDiscount   *money `json:"total_discount_money"`
}

// order is the part of Square's Order that Ordo reads (api.json Order).
type order struct {
	ID           string        `json:"id"`
	LocationID   string        `json:"location_id"`
	ReferenceID  string        `json:"reference_id"`
	CustomerID   string        `json:"customer_id"`
	State        string        `json:"state"`
	Version      json.Number   `json:"version"`
	CreatedAt    string        `json:"created_at"`
	UpdatedAt    string        `json:"updated_at"`
	LineItems    []lineItem    `json:"line_items"`
	Fulfillments []fulfillment `json:"fulfillments"`
	Tenders      []struct {
		Amount *money `json:"amount_money"`
	} `json:"tenders"`
	TotalMoney         *money `json:"total_money"`
	TotalTaxMoney      *money `json:"total_tax_money"`
	TotalDiscountMoney *money `json:"total_discount_money"`
	TotalServiceCharge *money `json:"total_service_charge_money"`
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
		Cursor  string            `json:"cursor"`
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
	return out, page.Cursor, nil
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
	if c := strings.ToUpper(strings.TrimSpace(m.Currency)); c != "" {
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
	if m.Amount == "" {
		return 0
	}
	v, err := strconv.ParseInt(string(m.Amount), 10, 64)
	if err != nil {
		a.err = fmt.Errorf("%w: %q is not an integer amount", channels.ErrAmount, m.Amount)
	}
	return v
}

func (o order) normalize() (channels.Order, error) {
	fs := make([]Fulfillment, len(o.Fulfillments))
	for i, f := range o.Fulfillments {
		fs[i] = Fulfillment{Type: f.Type, State: f.State}
	}
	a := &amounts{}
	out := channels.Order{
		Kind:          channels.POS,
		ShopID:        o.LocationID,
		ExternalID:    o.ID,
		Number:        o.ReferenceID,
		Status:        MapStatus(o.State, fs),
		ChannelStatus: RawStatus(o.State, fs),
		Total:         a.read(o.TotalMoney),
		Tax:           a.read(o.TotalTaxMoney),
		Discount:      a.read(o.TotalDiscountMoney),
		Shipping:      a.read(o.TotalServiceCharge),
	}
	if out.Number == "" {
		out.Number = o.ID
	}
	var tendered int64
	for _, t := range o.Tenders {
		tendered += a.read(t.Amount)
	}
	out.Paid = strings.EqualFold(o.State, "COMPLETED") || (len(o.Tenders) > 0 && tendered >= out.Total)
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
	if out.PlacedAt, err = utc(o.CreatedAt, err); err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", o.ID, err)
	}
	if out.UpdatedAt, err = utc(o.UpdatedAt, err); err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", o.ID, err)
	}
	if err = o.fulfill(&out); err != nil || a.err != nil {
		return channels.Order{}, fmt.Errorf("pos: order %s: %w", o.ID, errors.Join(a.err, err))
	}
	out.Currency = a.currency
	out.Refs = refs(map[string]string{RefVersion: string(o.Version), RefLocation: o.LocationID})
	if f := o.primary(); f != nil && f.UID != "" {
		out.Refs[RefFulfillment] = f.UID
	}
	return out, nil
}

// normalize reads one line; a line of quantity 0 comes back empty. Square has no SKU on a line: the catalog object (item variation) is the
// listing. The unit price is the gross sales (base price and modifiers) per unit when it divides
// evenly, the base price otherwise.
func (li lineItem) normalize(a *amounts) (channels.Line, error) {
	l := channels.Line{ListingID: li.CatalogObjectID, LineID: li.UID, Name: li.Name}
	if l.Name == "" {
		l.Name = li.VariationName
	}
	q, err := channels.ParseMinor(li.Quantity, 0)
	if err != nil || q < 0 || li.Quantity == "" {
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
		if !strings.EqualFold(f.Type, "SHIPMENT") {
			first = cmp.Or(first, f)
			continue
		}
		if !strings.EqualFold(f.State, "CANCELED") {
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
	out.Buyer.ExternalID = o.CustomerID
	f := o.primary()
	if f == nil {
		return nil
	}
	var r *recipient
	var by string
	switch {
	case f.Shipment != nil:
		r, by = f.Shipment.Recipient, f.Shipment.ExpectedShippedAt
		out.Carrier, out.TrackingNumber = f.Shipment.Carrier, f.Shipment.TrackingNumber
	case f.Pickup != nil:
		r, by = f.Pickup.Recipient, f.Pickup.PickupAt
	}
	if by != "" {
		t, err := utc(by, nil)
		if err != nil {
			return err
		}
		out.ShipBy = &t
	}
	if r == nil {
		return nil
	}
	out.Buyer = channels.Buyer{ExternalID: cmp.Or(o.CustomerID, r.CustomerID), Name: r.DisplayName, Email: r.Email, Phone: r.Phone}
	if ad := r.Address; ad != nil && f.Shipment != nil {
		out.ShippingAddress = channels.Address{
			Name:        cmp.Or(r.DisplayName, strings.TrimSpace(ad.FirstName+" "+ad.LastName)),
			Phone:       r.Phone,
			Line1:       ad.Line1,
			Line2:       ad.Line2,
			City:        ad.Locality,
			Region:      ad.Region,
			PostalCode:  ad.Postal,
			CountryCode: strings.ToUpper(ad.Country),
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
func utc(s string, prev error) (time.Time, error) {
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
