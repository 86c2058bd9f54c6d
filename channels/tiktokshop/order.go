package tiktokshop

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// NormalizeOrder turns a TikTok Shop Get Order Detail response holding one order (or the bare
// order object) into a channels.Order.
//
// Amounts, in payment.currency: Subtotal is original_total_product_price (products before
// discounts), Shipping the shipping_fee the buyer pays, Discount and PlatformDiscount the product
// discounts by seller and by platform, Tax the tax, Total total_amount as TikTok states it. Lines are
// the line items grouped by SKU, original price and display_status, each with its unit ids and
// its sku_id as ListingID. ShipBy is rts_sla_time. Refs["package_id"] is the first package (what
// Ship Package ships); Carrier and TrackingNumber are the order's shipping_provider and
// tracking_number, or the first line item's. ShopID is left to the caller: the order does not
// carry it.
func NormalizeOrder(raw []byte) (channels.Order, error) {
	o, err := decodeOrder(raw)
	if err != nil {
		return channels.Order{}, fmt.Errorf("tiktokshop: order: %w", err)
	}
	id := o.ID.String()
	fail := func(format string, a ...any) (channels.Order, error) {
		return channels.Order{}, fmt.Errorf("tiktokshop: order %s: "+format, append([]any{id}, a...)...)
	}
	currency := strings.ToUpper(o.Payment.Currency.String())
	exp, err := channels.Exponent(currency)
	if err != nil {
		return fail("%w", err)
	}
	var firstErr error
	money := func(field string, s scalar) int64 {
		v, err := channels.ParseMinor(s.String(), exp)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", field, err)
		}
		return v
	}
	when := func(field string, s scalar) *time.Time {
		t := s.String()
		if t == "" || t == "0" {
			return nil
		}
		secs, err := strconv.ParseInt(t, 10, 64)
		if err != nil || secs < 0 {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s %q is not unix seconds", field, t)
			}
			return nil
		}
		u := time.Unix(secs, 0).UTC()
		return &u
	}

	p := o.Payment
	out := channels.Order{
		Kind:             channels.TikTokShop,
		ExternalID:       id,
		Number:           id,
		ChannelStatus:    o.Status.String(),
		Status:           Status(o.Status.String()),
		COD:              o.IsCOD.Truthy(),
		Currency:         currency,
		Subtotal:         money("original_total_product_price", p.OriginalTotalProductPrice),
		Shipping:         money("shipping_fee", p.ShippingFee),
		Discount:         money("seller_discount", p.SellerDiscount),
		PlatformDiscount: money("platform_discount", p.PlatformDiscount),
		Tax:              money("tax", p.Tax),
		Total:            money("total_amount", p.TotalAmount),
		ShipBy:           when("rts_sla_time", o.RTSSLATime),
		Buyer:            channels.Buyer{ExternalID: o.UserID.String(), Email: o.BuyerEmail.String()},
		ShippingAddress:  shippingAddress(o.RecipientAddress),
	}
	if p.OriginalTotalProductPrice.String() == "" {
		// sub_total = original_total_product_price - seller_discount - platform_discount
		out.Subtotal = money("sub_total", p.SubTotal) + out.Discount + out.PlatformDiscount
	}
	placed := when("create_time", o.CreateTime)
	if placed == nil && firstErr == nil {
		return fail("no create_time")
	}
	if placed != nil {
		out.PlacedAt = *placed
		out.UpdatedAt = *placed
	}
	if u := when("update_time", o.UpdateTime); u != nil {
		out.UpdatedAt = *u
	}
	paid := when("paid_time", o.PaidTime)
	if o.IsBuyerRequestCancel.Truthy() && beforeShipping(out.Status) {
		out.Status = channels.CancelRequested
	}
	out.Paid = paid != nil && out.Status != channels.PendingPayment &&
		(!out.COD || out.Status == channels.Delivered || out.Status == channels.Completed)
	out.Lines = groupUnits(o.LineItems, currency, money, &firstErr)
	out.Carrier, out.TrackingNumber = shipping(o)
	if p := packageID(o); p != "" {
		out.Refs = map[string]string{RefPackageID: p}
	}
	if firstErr != nil {
		return fail("%w", firstErr)
	}
	return out, nil
}

// groupUnits groups TikTok Shop's one-per-unit line items by seller SKU, original price and
// display status into lines with a quantity, in the order the units came. A line item in another
// currency than the order records an error.
func groupUnits(items []item, currency string, money func(string, scalar) int64, firstErr *error) []channels.Line {
	type key struct {
		sku, listing string
		price        int64
		status       string
	}
	var lines []channels.Line
	index := map[key]int{}
	for _, it := range items {
		if c := strings.ToUpper(it.Currency.String()); c != "" && c != currency && *firstErr == nil {
			*firstErr = fmt.Errorf("line item %s in %s, order in %s", it.ID, c, currency)
		}
		price := money("original_price", it.OriginalPrice)
		discount := money("line seller_discount", it.SellerDiscount) + money("line platform_discount", it.PlatformDiscount)
		sku := it.SellerSKU.String()
		if sku == "" {
			sku = it.SKUID.String()
		}
		raw := strings.ToUpper(it.DisplayStatus.String())
		k := key{sku, it.SKUID.String(), price, raw}
		i, ok := index[k]
		if !ok {
			i = len(lines)
			index[k] = i
			name := it.ProductName.String()
			if v := it.SKUName.String(); v != "" {
				name += " (" + v + ")"
			}
			var status channels.Status
			if raw != "" {
				status = Status(raw)
			}
			lines = append(lines, channels.Line{SKU: sku, ListingID: it.SKUID.String(), Name: name, UnitPrice: price, Status: status})
		}
		l := &lines[i]
		l.Quantity++
		l.Discount += discount
		l.UnitIDs = append(l.UnitIDs, it.ID.String())
	}
	return lines
}

// RefPackageID is the Order.Refs key of the package id that ConfirmShipment ships.
const RefPackageID = "package_id"

// packageID is the order's first package: packages[0].id, or else the first line item's
// package_id (which US and UK local orders only carry once shipped).
func packageID(o order) string {
	for _, p := range o.Packages {
		if id := p.ID.String(); id != "" {
			return id
		}
	}
	for _, it := range o.LineItems {
		if id := it.PackageID.String(); id != "" {
			return id
		}
	}
	return ""
}

// shipping is the carrier (shipping_provider, else its id) and tracking number of the order, or of
// its first line item that has a tracking number.
func shipping(o order) (carrier, tracking string) {
	carrier, tracking = o.ShippingProvider.String(), o.TrackingNumber.String()
	if carrier == "" {
		carrier = o.ShippingProviderID.String()
	}
	if tracking != "" {
		return carrier, tracking
	}
	for _, it := range o.LineItems {
		if t := it.TrackingNumber.String(); t != "" {
			return it.ShippingProvider.String(), t
		}
	}
	return carrier, ""
}
