package lazada

import (
	"fmt"
	"strings"

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
// plus shipping_fee, all as ordered (cancelled units included). ShipBy is the earliest
// sla_time_stamp of the units still to ship, else their promised_shipping_time, else the order's
// promised_shipping_times. Each line's ListingID is its units' sku_id (the SkuId stock updates
// name); Carrier and TrackingNumber are the shipment_provider and tracking_code of the first unit
// that has shipped. ShopID is left to the caller: the payloads do not name the seller.
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
	exp, err := channels.Exponent(currency)
	if err != nil {
		return channels.Order{}, fmt.Errorf("lazada: order %s: %w", id, err)
	}
	money := func(field string, s scalar) (int64, error) {
		v, err := channels.ParseMinor(s.String(), exp)
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
	out.Carrier, out.TrackingNumber = lines.carrier, lines.tracking
	out.Discount, out.PlatformDiscount, out.Tax = lines.seller, lines.platform, lines.tax
	out.Total = lines.paid + out.Shipping
	if ci := lines.currencies; len(ci) > 1 {
		return channels.Order{}, fmt.Errorf("lazada: order %s: items in several currencies %v", id, ci)
	}

	cancelPending := o.NeedCancelConfirm.Truthy() || o.IsCancelPending.Truthy()
	for _, it := range items {
		cancelPending = cancelPending || it.NeedCancelConfirm.Truthy() || it.IsCancelPending.Truthy()
	}
	out.Status = orderStatus(lines.statuses, cancelPending)
	out.ChannelStatus = strings.Join(lines.raw, ",")
	out.Paid = lines.paymentSeen && !lines.anyUnpaid &&
		(!out.COD || out.Status == channels.Delivered || out.Status == channels.Completed)
	out.ShipBy = shipBy(items, o, currency)
	return out, nil
}
