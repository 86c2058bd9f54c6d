package lazada

import (
	"sort"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// unitGroups is the result of grouping an order's units into lines.
type unitGroups struct {
	lines                       []channels.Line
	statuses                    []channels.Status
	raw                         []string // distinct raw statuses, sorted
	currencies                  []string
	seller, platform, tax, paid int64
	paymentSeen, anyUnpaid      bool
	// carrier and tracking are those of the first unit that has left the seller with a tracking code.
	carrier, tracking string
}

// groupUnits groups Lazada's one-row-per-unit items by seller SKU, sku_id, unit price and raw status
// into lines with a quantity, keeping every order_item_id, in the order the units came. A line's
// ListingID is its sku_id, or the SkuId its shop_sku names (see listingID).
func groupUnits(items []item, currency string, money func(string, scalar) (int64, error)) (unitGroups, error) {
	type key struct {
		sku, skuID string
		price      int64
		status     string
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
		if g.tracking == "" && left(status) && it.TrackingCode.String() != "" {
			g.carrier, g.tracking = it.ShipmentProvider.String(), it.TrackingCode.String()
		}
		sku := it.SKU.String()
		if sku == "" {
			sku = it.ShopSKU.String()
		}
		k := key{sku, listingID(it.SKUID.String(), it.ShopSKU.String()), price, raw}
		i, ok := index[k]
		if !ok {
			i = len(g.lines)
			index[k] = i
			g.lines = append(g.lines, channels.Line{SKU: sku, ListingID: k.skuID, Name: it.Name.String(), UnitPrice: price, Status: status})
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

// left reports whether a unit in status s has left the seller: the channel reports it shipped, or
// later, and it was not cancelled.
func left(s channels.Status) bool {
	return s != channels.Cancelled && s != channels.Unknown && !toShip(s)
}
