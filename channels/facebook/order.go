package facebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// text is what CommerceOrder fields are read as: channels.Scalar, strings and numbers alike.
type text = channels.Scalar

// money is Meta's amount object: a decimal string and an ISO 4217 code.
type money struct {
	Amount   text `json:"amount"`
	Currency text `json:"currency"`
}

// edge is an edge expanded inline by Graph field expansion.
type edge[T any] struct {
	Data []T `json:"data"`
}

// item is a row of the items edge, and of a shipment's or a cancellation's items.
type item struct {
	ID           text   `json:"id"`
	RetailerID   text   `json:"retailer_id"`
	Quantity     text   `json:"quantity"`
	PricePerUnit *money `json:"price_per_unit"`
}

type shipment struct {
	Items        edge[item] `json:"items"`
	TrackingInfo *struct {
		TrackingNumber text `json:"tracking_number"`
		Carrier        text `json:"carrier"`
	} `json:"tracking_info"`
}

type cancellation struct {
	// Items is empty when the whole order was cancelled.
	Items edge[item] `json:"items"`
}

// order is the part of a CommerceOrder (fb_codegen_spec_CommerceOrder.json) that Ordo reads.
type order struct {
	ID          text `json:"id"`
	OrderStatus *struct {
		State text `json:"state"`
	} `json:"order_status"`
	Created      text `json:"created"`
	LastUpdated  text `json:"last_updated"`
	ShipByDate   text `json:"ship_by_date"`
	BuyerDetails *struct {
		Name  text `json:"name"`
		Email text `json:"email"`
	} `json:"buyer_details"`
	ShippingAddress *struct {
		Name       text `json:"name"`
		Street1    text `json:"street1"`
		Street2    text `json:"street2"`
		City       text `json:"city"`
		State      text `json:"state"`
		PostalCode text `json:"postal_code"`
		Country    text `json:"country"`
	} `json:"shipping_address"`
	EstimatedPaymentDetails *struct {
		Subtotal *struct {
			Items    *money `json:"items"`
			Shipping *money `json:"shipping"`
		} `json:"subtotal"`
		Tax         *money `json:"tax"`
		TotalAmount *money `json:"total_amount"`
	} `json:"estimated_payment_details"`
	SelectedShippingOption *struct {
		Name text `json:"name"`
	} `json:"selected_shipping_option"`
	Items         edge[item]         `json:"items"`
	Shipments     edge[shipment]     `json:"shipments"`
	Cancellations edge[cancellation] `json:"cancellations"`
}

// RefShippingMethod is the Order.Refs key of the buyer's selected shipping option, which
// ConfirmShipment sends back as the tracking info's shipping_method_name.
const RefShippingMethod = "shipping_method"

// NormalizeOrder reads one CommerceOrder, its edges inline, into a channels.Order. Buyer details
// and the address may be absent (Meta strips them from cancelled orders). Money in another currency
// than the order's, amounts with more decimals than the currency has, unreadable times and
// non-integer quantities are errors; a state no table knows is channels.Unknown.
func NormalizeOrder(raw []byte) (channels.Order, error) {
	var o order
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&o); err != nil {
		return channels.Order{}, fmt.Errorf("facebook: order: %w", err)
	}
	out, err := o.normalize()
	if err != nil {
		return channels.Order{}, fmt.Errorf("facebook: order %s: %w", o.ID, err)
	}
	return out, nil
}

// NormalizeOrders reads a page of commerce_orders ({data:[…], paging:{cursors, next}}) and returns
// its orders and the cursor of the next page, empty on the last page (Graph leaves out
// paging.next there).
func NormalizeOrders(raw []byte) ([]channels.Order, string, error) {
	var page struct {
		Data   []json.RawMessage `json:"data"`
		Paging struct {
			Cursors struct {
				After text `json:"after"`
			} `json:"cursors"`
			Next text `json:"next"`
		} `json:"paging"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, "", fmt.Errorf("facebook: commerce_orders: %w", err)
	}
	out := make([]channels.Order, 0, len(page.Data))
	for _, r := range page.Data {
		if string(bytes.TrimSpace(r)) == "null" {
			continue
		}
		o, err := NormalizeOrder(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, o)
	}
	return out, nextCursor(string(page.Paging.Next), string(page.Paging.Cursors.After)), nil
}

// nextCursor is the after cursor when Graph says there is a next page.
func nextCursor(next, after string) string {
	if next == "" {
		return ""
	}
	if after != "" {
		return after
	}
	if u, err := url.Parse(next); err == nil {
		return u.Query().Get("after")
	}
	return ""
}

func (o *order) normalize() (channels.Order, error) {
	out := channels.Order{
		Kind:       channels.Facebook,
		ExternalID: strings.TrimSpace(string(o.ID)),
	}
	out.Number = out.ExternalID
	if o.OrderStatus != nil {
		out.ChannelStatus = strings.TrimSpace(string(o.OrderStatus.State))
	}
	var err error
	if out.PlacedAt, err = parseTime(o.Created); err != nil {
		return out, fmt.Errorf("created: %w", err)
	}
	if out.UpdatedAt, err = parseTime(o.LastUpdated); err != nil {
		return out, fmt.Errorf("last_updated: %w", err)
	}
	if out.ShipBy, err = parseShipBy(o.ShipByDate); err != nil {
		return out, fmt.Errorf("ship_by_date: %w", err)
	}
	if err := o.totals(&out); err != nil {
		return out, err
	}
	if out.Lines, err = o.lines(out.Currency); err != nil {
		return out, err
	}
	in, err := o.progress(out.Lines)
	if err != nil {
		return out, err
	}
	in.State = out.ChannelStatus
	out.Status = MapStatus(in)
	out.Paid = Paid(out.ChannelStatus)
	o.people(&out)
	o.tracking(&out)
	if o.SelectedShippingOption != nil && o.SelectedShippingOption.Name != "" {
		out.Refs = map[string]string{RefShippingMethod: string(o.SelectedShippingOption.Name)}
	}
	return out, nil
}

// totals reads estimated_payment_details: the items' subtotal, shipping, tax and the total, all in
// the currency of the total (or, without one, of the first amount that names its currency).
func (o *order) totals(out *channels.Order) error {
	var items, shipping, tax, total *money
	if p := o.EstimatedPaymentDetails; p != nil {
		tax, total = p.Tax, p.TotalAmount
		if p.Subtotal != nil {
			items, shipping = p.Subtotal.Items, p.Subtotal.Shipping
		}
	}
	candidates := []*money{total, items, shipping, tax}
	for _, it := range o.Items.Data {
		candidates = append(candidates, it.PricePerUnit)
	}
	for _, m := range candidates {
		if m != nil && strings.TrimSpace(string(m.Currency)) != "" {
			out.Currency = strings.ToUpper(strings.TrimSpace(string(m.Currency)))
			break
		}
	}
	for _, f := range []struct {
		name string
		m    *money
		dst  *int64
	}{{"subtotal.items", items, &out.Subtotal}, {"subtotal.shipping", shipping, &out.Shipping}, {"tax", tax, &out.Tax}, {"total_amount", total, &out.Total}} {
		v, err := amount(f.m, out.Currency)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst = v
	}
	return nil
}

// amount reads a money object in the order's currency; an absent one is zero.
func amount(m *money, currency string) (int64, error) {
	if m == nil || strings.TrimSpace(string(m.Amount)) == "" {
		return 0, nil
	}
	if c := strings.ToUpper(strings.TrimSpace(string(m.Currency))); c != "" && c != currency {
		return 0, fmt.Errorf("%w: %s amount in a %s order", channels.ErrAmount, c, currency)
	}
	exp, err := channels.Exponent(currency)
	if err != nil {
		return 0, err
	}
	return channels.ParseMinor(string(m.Amount), exp)
}

// lines reads the items edge: one line per item, the retailer_id being both the seller's SKU (the
// catalog's content id) and the listing.
func (o *order) lines(currency string) ([]channels.Line, error) {
	out := make([]channels.Line, 0, len(o.Items.Data))
	for i, it := range o.Items.Data {
		q, err := quantity(it.Quantity)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i+1, err)
		}
		price, err := amount(it.PricePerUnit, currency)
		if err != nil {
			return nil, fmt.Errorf("item %d: price_per_unit: %w", i+1, err)
		}
		rid := strings.TrimSpace(string(it.RetailerID))
		out = append(out, channels.Line{
			SKU: rid, ListingID: rid, LineID: strings.TrimSpace(string(it.ID)), Quantity: q, UnitPrice: price,
		})
	}
	return out, nil
}

var errQuantity = errors.New("quantity is not a whole non-negative number")

func quantity(t text) (int64, error) {
	s := t.String()
	q, err := t.Int()
	if err != nil || q < 0 {
		return 0, fmt.Errorf("%w: %q", errQuantity, s)
	}
	return q, nil
}

// progress adds up the shipments and cancellations edges per line, matching their items to the
// order's by item id, else by retailer_id, and sets the status of lines that are done.
func (o *order) progress(lines []channels.Line) (StatusInput, error) {
	shipped := make([]int64, len(lines))
	cancelled := make([]int64, len(lines))
	whole := false
	for _, s := range o.Shipments.Data {
		if err := tally(s.Items.Data, lines, shipped); err != nil {
			return StatusInput{}, fmt.Errorf("shipments: %w", err)
		}
	}
	for _, c := range o.Cancellations.Data {
		whole = whole || len(c.Items.Data) == 0
		if err := tally(c.Items.Data, lines, cancelled); err != nil {
			return StatusInput{}, fmt.Errorf("cancellations: %w", err)
		}
	}
	in := StatusInput{AllCancelled: whole || len(lines) > 0, AllShipped: len(lines) > 0}
	anyShipped := false
	for i := range lines {
		switch q := lines[i].Quantity; {
		case whole || cancelled[i] > 0 && cancelled[i] >= q:
			lines[i].Status = channels.Cancelled
		case shipped[i] > 0 && shipped[i]+cancelled[i] >= q:
			lines[i].Status = channels.Shipped
			in.AllCancelled = false
		default:
			in.AllCancelled, in.AllShipped = false, false
		}
		anyShipped = anyShipped || shipped[i] > 0
	}
	in.AllShipped = in.AllShipped && anyShipped && !in.AllCancelled
	return in, nil
}

// tally adds the quantities of items to the counts of the lines they name.
func tally(items []item, lines []channels.Line, counts []int64) error {
	for _, it := range items {
		q, err := quantity(it.Quantity)
		if err != nil {
			return err
		}
		if i := lineOf(it, lines); i >= 0 {
			counts[i] += q
		}
	}
	return nil
}

func lineOf(it item, lines []channels.Line) int {
	if id := strings.TrimSpace(string(it.ID)); id != "" {
		for i, l := range lines {
			if l.LineID == id {
				return i
			}
		}
	}
	if rid := strings.TrimSpace(string(it.RetailerID)); rid != "" {
		for i, l := range lines {
			if l.ListingID == rid {
				return i
			}
		}
	}
	return -1
}

// people reads the buyer and the ship-to. Meta relays the buyer's email
// (…@marketplace.facebook.com) and identifies buyers by no id.
func (o *order) people(out *channels.Order) {
	if b := o.BuyerDetails; b != nil {
		out.Buyer = channels.Buyer{Name: string(b.Name), Email: string(b.Email)}
	}
	if a := o.ShippingAddress; a != nil {
		out.ShippingAddress = channels.Address{
			Name: string(a.Name), Line1: string(a.Street1), Line2: string(a.Street2), City: string(a.City),
			Region: string(a.State), PostalCode: string(a.PostalCode), CountryCode: strings.ToUpper(string(a.Country)),
		}
	}
}

// tracking takes the carrier and tracking number of the last shipment that has one.
func (o *order) tracking(out *channels.Order) {
	for _, s := range o.Shipments.Data {
		if t := s.TrackingInfo; t != nil && t.TrackingNumber != "" {
			out.Carrier, out.TrackingNumber = string(t.Carrier), string(t.TrackingNumber)
		}
	}
}

// timeLayouts are the ISO-8601 forms Graph writes: with a colon in the offset (the saved
// commerce_orders sample) and without (Graph's usual +0000).
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05-0700"}

func parseTime(t text) (time.Time, error) {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// parseShipBy reads ship_by_date, a bare date ("2019-01-16"), as the last second of that day in
// UTC. Meta does not say in which zone the date is; the seller's would be later or earlier by its
// offset (channels.md §8, unverified), so UTC is a stated convention, not a fact.
func parseShipBy(t text) (*time.Time, error) {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return nil, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		end := d.Add(24*time.Hour - time.Second)
		return &end, nil
	}
	v, err := parseTime(t)
	if err != nil {
		return nil, err
	}
	return &v, nil
}
