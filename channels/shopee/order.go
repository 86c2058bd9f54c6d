package shopee

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

type item struct {
	ItemID          text `json:"item_id"`
	ItemName        text `json:"item_name"`
	ItemSKU         text `json:"item_sku"`
	ModelID         text `json:"model_id"`
	ModelName       text `json:"model_name"`
	ModelSKU        text `json:"model_sku"`
	Quantity        text `json:"model_quantity_purchased"`
	OriginalPrice   text `json:"model_original_price"`
	DiscountedPrice text `json:"model_discounted_price"`
	OrderItemID     text `json:"order_item_id"`
	LineItemID      text `json:"line_item_id"`
	PromotionType   text `json:"promotion_type"`
	AddOnDeal       flag `json:"add_on_deal"`
	MainItem        flag `json:"main_item"`
}

// order is the part of a get_order_detail order_list entry Ordo reads. Most fields come back only
// when named in response_optional_fields.
type order struct {
	OrderSN              text `json:"order_sn"`
	Region               text `json:"region"`
	Currency             text `json:"currency"`
	COD                  flag `json:"cod"`
	TotalAmount          text `json:"total_amount"`
	EstimatedShippingFee text `json:"estimated_shipping_fee"`
	ActualShippingFee    text `json:"actual_shipping_fee"`
	OrderStatus          text `json:"order_status"`
	CreateTime           text `json:"create_time"`
	UpdateTime           text `json:"update_time"`
	PayTime              text `json:"pay_time"`
	ShipByDate           text `json:"ship_by_date"`
	BuyerUserID          text `json:"buyer_user_id"`
	BuyerUsername        text `json:"buyer_username"`
	ShippingCarrier      text `json:"shipping_carrier"`
	Recipient            *struct {
		Name        text `json:"name"`
		Phone       text `json:"phone"`
		Town        text `json:"town"`
		District    text `json:"district"`
		City        text `json:"city"`
		State       text `json:"state"`
		Region      text `json:"region"`
		Zipcode     text `json:"zipcode"`
		FullAddress text `json:"full_address"`
	} `json:"recipient_address"`
	ItemList    []item `json:"item_list"`
	PackageList []struct {
		LogisticsStatus text `json:"logistics_status"`
		ShippingCarrier text `json:"shipping_carrier"`
	} `json:"package_list"`
}

// NormalizeOrder turns one order of get_order_detail's response.order_list into Ordo's order.
//
// Shopee prices are JSON floats in the listing currency; each line's UnitPrice is
// model_original_price and its Discount the markdown to model_discounted_price (none is known for
// bundle deals, whose discounted price is 0). Subtotal is the lines after markdowns; Shipping is
// Shopee's shipping fee (actual if known, else estimated), not what the buyer paid for shipping;
// Total is total_amount, what the buyer paid, which is absent until payment. Platform vouchers and
// coins are not itemized by this API (the escrow API has them), so PlatformDiscount stays 0.
//
// Each line's ListingID is "item_id:model_id" (see ListingID) and its LineID the line_item_id, or
// the ListingID where Shopee sends none. Carrier is the package's shipping_carrier once the order is
// arranged for shipment or later; get_order_detail carries no tracking number (get_tracking_number
// has it), so TrackingNumber stays empty. Shopee needs no Refs: ship_order and cancel_order take the
// order_sn and the lines' item and model ids.
func NormalizeOrder(raw []byte) (channels.Order, error) {
	var o order
	if err := decode(raw, &o); err != nil {
		return channels.Order{}, fmt.Errorf("shopee: order: %w", err)
	}
	return o.normalize()
}

// NormalizeOrderDetail reads a whole get_order_detail response and normalizes every order in it.
// A response that carries an error code is an error.
func NormalizeOrderDetail(raw []byte) ([]channels.Order, error) {
	var resp struct {
		Error    text `json:"error"`
		Message  text `json:"message"`
		Response struct {
			OrderList []order `json:"order_list"`
		} `json:"response"`
	}
	if err := decode(raw, &resp); err != nil {
		return nil, fmt.Errorf("shopee: get_order_detail: %w", err)
	}
	if resp.Error != "" {
		return nil, fmt.Errorf("shopee: get_order_detail: %s: %s", resp.Error, resp.Message)
	}
	out := make([]channels.Order, 0, len(resp.Response.OrderList))
	for _, o := range resp.Response.OrderList {
		n, err := o.normalize()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (o order) normalize() (channels.Order, error) {
	cur := strings.ToUpper(string(o.Currency))
	// A payload without its currency (Shopee returns it only when asked) is read in hundredths and
	// keeps an empty Currency, which ingestion refuses; a malformed one is an error here.
	exp, err := 2, error(nil)
	if cur != "" {
		if exp, err = channels.Exponent(cur); err != nil {
			return channels.Order{}, fmt.Errorf("shopee: order %s: %w", string(o.OrderSN), err)
		}
	}
	out := channels.Order{
		Kind:          channels.Shopee,
		ExternalID:    string(o.OrderSN),
		Number:        string(o.OrderSN),
		ChannelStatus: string(o.OrderStatus),
		Status:        MapStatus(string(o.OrderStatus)),
		COD:           bool(o.COD),
		Currency:      cur,
		Buyer:         channels.Buyer{ExternalID: string(o.BuyerUserID), Name: string(o.BuyerUsername)},
	}
	if exceptionable(out.Status) {
		for _, p := range o.PackageList {
			if MapLogisticsStatus(string(p.LogisticsStatus)) == channels.Exception {
				out.Status = channels.Exception
				out.ChannelStatus += "/" + string(p.LogisticsStatus)
				break
			}
		}
	}
	keep := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	m := func(s text) int64 {
		v, e := channels.RoundMinor(string(s), exp)
		keep(e)
		return v
	}
	ts := func(s text) time.Time {
		v, e := unix(s)
		keep(e)
		return v
	}
	out.Total = m(o.TotalAmount)
	if out.Shipping = m(o.ActualShippingFee); out.Shipping == 0 {
		out.Shipping = m(o.EstimatedShippingFee)
	}
	out.PlacedAt = ts(o.CreateTime)
	out.UpdatedAt = ts(o.UpdateTime)
	out.Paid = !ts(o.PayTime).IsZero()
	if by := ts(o.ShipByDate); !by.IsZero() {
		out.ShipBy = &by
	}
	if r := o.Recipient; r != nil {
		out.ShippingAddress = channels.Address{
			Name:        string(r.Name),
			Phone:       string(r.Phone),
			Line1:       string(r.FullAddress),
			Line2:       joinNonEmpty(", ", string(r.Town), string(r.District)),
			City:        string(r.City),
			Region:      string(r.State),
			PostalCode:  string(r.Zipcode),
			CountryCode: strings.ToUpper(string(r.Region)),
		}
	}
	if out.ShippingAddress.CountryCode == "" {
		out.ShippingAddress.CountryCode = strings.ToUpper(string(o.Region))
	}
	for _, it := range o.ItemList {
		q, qerr := it.Quantity.Int()
		if qerr != nil || q < 0 {
			keep(fmt.Errorf("shopee: item %s quantity %q", it.ItemID, it.Quantity))
		}
		l := channels.Line{
			SKU:       string(it.ModelSKU),
			ListingID: ListingID(string(it.ItemID), string(it.ModelID)),
			LineID:    it.lineID(),
			Name:      joinNonEmpty(" - ", string(it.ItemName), string(it.ModelName)),
			Quantity:  q,
			UnitPrice: m(it.OriginalPrice),
		}
		if l.SKU == "" {
			l.SKU = string(it.ItemSKU)
		}
		paid := l.UnitPrice
		if d := m(it.DiscountedPrice); d > 0 && d <= l.UnitPrice {
			paid = d
			l.Discount = (l.UnitPrice - d) * q
		}
		out.Subtotal += paid * q
		out.Discount += l.Discount
		out.Lines = append(out.Lines, l)
	}
	if err != nil {
		return channels.Order{}, fmt.Errorf("shopee: order %s: %w", out.ExternalID, err)
	}
	if handedOver(out.Status) {
		out.Carrier = o.carrier()
	}
	return out, nil
}

// lineID is the line's id: line_item_id, which Shopee documents as unique even inside a bundle
// deal, or else the line's ListingID (order_item_id is not: it is the item_id outside bundles,
// shared by every model of the item).
func (it item) lineID() string {
	if id := string(it.LineItemID); id != "" && id != "0" {
		return id
	}
	return ListingID(string(it.ItemID), string(it.ModelID))
}

// carrier is the carrier that took the parcel: the first package's, or the order's shipping_carrier.
func (o order) carrier() string {
	for _, p := range o.PackageList {
		if p.ShippingCarrier != "" {
			return string(p.ShippingCarrier)
		}
	}
	return string(o.ShippingCarrier)
}

// handedOver reports whether an order in status s has been arranged for shipment or has left, so
// that its carrier is the one that ships it rather than the buyer's choice at checkout.
func handedOver(s channels.Status) bool {
	switch s {
	case channels.ReadyToShip, channels.Shipped, channels.Delivered, channels.Completed,
		channels.ReturnRequested, channels.Returned, channels.Exception:
		return true
	}
	return false
}

// unix reads unix seconds into UTC; empty or 0 (Shopee's "not yet") is the zero time.
func unix(s text) (time.Time, error) {
	if s == "" || s == "0" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil || n < 0 || n > 1<<40 {
		return time.Time{}, fmt.Errorf("shopee: timestamp %q", s)
	}
	return time.Unix(n, 0).UTC(), nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
