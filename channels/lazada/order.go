package lazada

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// NormalizeOrder turns a Lazada order (a /order/get response, a /orders/get response with one
// order, or the bare order object) and its items (a /order/items/get or /orders/items/get response,
// or the bare list) into a channels.Order.
//
// Lazada's order carries no currency: it is the items' currency, and items in two currencies are an
// error. Amounts: Subtotal is the order's price (items before vouchers, shipping excluded),
// Shipping its shipping_fee, Discount and PlatformDiscount the sum of the items' voucher_seller
// and voucher_platform, Tax the sum of tax_amount (included in prices), Total the sum of paid_price
// plus shipping_fee, all as ordered (cancelled units included). ShipBy is the earliest sla_time_stamp of the units still to ship, else their
// promised_shipping_time, else the order's promised_shipping_times. ShopID is left to the caller:
// the payloads do not name the seller.
func NormalizeOrder(orderJSON, itemsJSON []byte) (channels.Order, error) {
	o, err := decodeOrder(orderJSON)
	if err != nil {
		return channels.Order{}, fmt.Errorf("lazada: order: %w", err)
	}
	id := o.OrderID.String()
	items, err := decodeItems(itemsJSON, id)
	if err != nil {
		return channels.Order{}, fmt.Errorf("lazada: items of order %s: %w", id, err)
	}
	currency := strings.ToUpper(items[0].Currency.String())
	exp, ok := Exponent(currency)
	if !ok {
		return channels.Order{}, fmt.Errorf("lazada: order %s: unknown currency %q", id, currency)
	}
	money := func(field string, s scalar) (int64, error) {
		v, err := parseMinor(s.String(), exp)
		if err != nil {
			return 0, fmt.Errorf("lazada: order %s: %s: %w", id, field, err)
		}
		return v, nil
	}

	out := channels.Order{
		Kind:       channels.Lazada,
		ExternalID: id,
		Number:     o.OrderNumber.String(),
		Currency:   currency,
		COD:        strings.EqualFold(o.PaymentMethod.String(), "COD"),
		Buyer: channels.Buyer{
			ExternalID: items[0].BuyerID.String(),
			Name:       joinNonEmpty(" ", o.CustomerFirstName.String(), o.CustomerLastName.String()),
		},
		ShippingAddress: shippingAddress(o.AddressShipping),
	}
	if out.Number == "" {
		out.Number = id
	}
	if out.Subtotal, err = money("price", o.Price); err != nil {
		return channels.Order{}, err
	}
	if out.Shipping, err = money("shipping_fee", o.ShippingFee); err != nil {
		return channels.Order{}, err
	}
	placed, ok := parseTime(o.CreatedAt.String(), currency)
	if !ok {
		return channels.Order{}, fmt.Errorf("lazada: order %s: created_at %q is not a time", id, o.CreatedAt)
	}
	out.PlacedAt = placed
	if t, ok := parseTime(o.UpdatedAt.String(), currency); ok {
		out.UpdatedAt = t
	} else {
		out.UpdatedAt = placed
	}

	lines, err := groupUnits(items, currency, money)
	if err != nil {
		return channels.Order{}, err
	}
	out.Lines = lines.lines
	out.Discount, out.PlatformDiscount, out.Tax = lines.seller, lines.platform, lines.tax
	out.Total = lines.paid + out.Shipping
	if ci := lines.currencies; len(ci) > 1 {
		return channels.Order{}, fmt.Errorf("lazada: order %s: items in several currencies %v", id, ci)
	}

	cancelPending := o.NeedCancelConfirm.truthy() || o.IsCancelPending.truthy()
	for _, it := range items {
		cancelPending = cancelPending || it.NeedCancelConfirm.truthy() || it.IsCancelPending.truthy()
	}
	out.Status = orderStatus(lines.statuses, cancelPending)
	out.ChannelStatus = strings.Join(lines.raw, ",")
	out.Paid = lines.paymentSeen && !lines.anyUnpaid &&
		(!out.COD || out.Status == channels.Delivered || out.Status == channels.Completed)
	out.ShipBy = shipBy(items, o, currency)
	return out, nil
}

// unitGroups is the result of grouping an order's units into lines.
type unitGroups struct {
	lines                       []channels.Line
	statuses                    []channels.Status
	raw                         []string // distinct raw statuses, sorted
	currencies                  []string
	seller, platform, tax, paid int64
	paymentSeen, anyUnpaid      bool
}

// groupUnits groups Lazada's one-row-per-unit items by seller SKU, unit price and raw status into
// lines with a quantity, keeping every order_item_id, in the order the units came.
func groupUnits(items []item, currency string, money func(string, scalar) (int64, error)) (unitGroups, error) {
	type key struct {
		sku    string
		price  int64
		status string
	}
	var g unitGroups
	index := map[key]int{}
	rawSeen := map[string]bool{}
	curSeen := map[string]bool{currency: true}
	g.currencies = []string{currency}
	for _, it := range items {
		if c := strings.ToUpper(it.Currency.String()); c != "" && !curSeen[c] {
			curSeen[c] = true
			g.currencies = append(g.currencies, c)
		}
		price, err := money("item_price", it.ItemPrice)
		if err != nil {
			return g, err
		}
		seller, err := money("voucher_seller", it.VoucherSeller)
		if err != nil {
			return g, err
		}
		platform, err := money("voucher_platform", it.VoucherPlatform)
		if err != nil {
			return g, err
		}
		tax, err := money("tax_amount", it.TaxAmount)
		if err != nil {
			return g, err
		}
		paid, err := money("paid_price", it.PaidPrice)
		if err != nil {
			return g, err
		}
		g.seller += seller
		g.platform += platform
		g.tax += tax
		g.paid += paid
		raw := strings.ToLower(it.Status.String())
		if !rawSeen[raw] {
			rawSeen[raw] = true
			g.raw = append(g.raw, raw)
		}
		g.anyUnpaid = g.anyUnpaid || raw == "unpaid"
		if _, ok := parseTime(it.PaymentTime.String(), currency); ok {
			g.paymentSeen = true
		}
		status := ItemStatus(raw)
		g.statuses = append(g.statuses, status)
		sku := it.SKU.String()
		if sku == "" {
			sku = it.ShopSKU.String()
		}
		k := key{sku, price, raw}
		i, ok := index[k]
		if !ok {
			i = len(g.lines)
			index[k] = i
			g.lines = append(g.lines, channels.Line{SKU: sku, Name: it.Name.String(), UnitPrice: price, Status: status})
		}
		l := &g.lines[i]
		l.Quantity++
		l.Discount += seller + platform
		l.UnitIDs = append(l.UnitIDs, it.OrderItemID.String())
	}
	sort.Strings(g.raw)
	return g, nil
}

// shipBy is the earliest ship-by deadline among the units still to ship (all units if none is):
// sla_time_stamp first, then promised_shipping_time, then the order's promised_shipping_times.
func shipBy(items []item, o order, currency string) *time.Time {
	open := items[:0:0]
	for _, it := range items {
		if toShip(ItemStatus(it.Status.String())) {
			open = append(open, it)
		}
	}
	if len(open) == 0 {
		open = items
	}
	for _, field := range []func(item) scalar{
		func(it item) scalar { return it.SLATimeStamp },
		func(it item) scalar { return it.PromisedShippingTime },
	} {
		var best *time.Time
		for _, it := range open {
			if t, ok := parseTime(field(it).String(), currency); ok && (best == nil || t.Before(*best)) {
				best = &t
			}
		}
		if best != nil {
			return best
		}
	}
	if t, ok := parseTime(o.PromisedShippingTimes.String(), currency); ok {
		return &t
	}
	return nil
}

// toShip reports whether a unit in status s has yet to leave the seller.
func toShip(s channels.Status) bool {
	switch s {
	case channels.PendingPayment, channels.OnHold, channels.Confirmed, channels.ReadyToShip, channels.CancelRequested:
		return true
	}
	return false
}

// countries maps the country names Lazada writes in addresses to ISO 3166 codes.
var countries = map[string]string{
	"singapore": "SG", "malaysia": "MY", "thailand": "TH",
	"vietnam": "VN", "viet nam": "VN", "indonesia": "ID", "philippines": "PH",
}

// shippingAddress maps address_shipping; address2 to address5 are joined into Line2 (their meaning
// varies by country), either spelling of the district is the Region.
func shippingAddress(a address) channels.Address {
	country := a.Country.String()
	code := countries[strings.ToLower(country)]
	if code == "" && len(country) == 2 {
		code = strings.ToUpper(country)
	}
	district := a.District.String()
	if district == "" {
		district = a.Dsitrict.String()
	}
	return channels.Address{
		Name:        joinNonEmpty(" ", a.FirstName.String(), a.LastName.String()),
		Phone:       a.Phone.String(),
		Line1:       a.Address1.String(),
		Line2:       joinNonEmpty(", ", a.Address2.String(), a.Address3.String(), a.Address4.String(), a.Address5.String()),
		City:        a.City.String(),
		Region:      district,
		PostalCode:  a.PostCode.String(),
		CountryCode: code,
	}
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
