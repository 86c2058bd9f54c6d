package shopify

import (
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

type moneySet struct {
	ShopMoney struct {
		Amount   text `json:"amount"`
		Currency text `json:"currency_code"`
	} `json:"shop_money"`
}

type address struct {
	FirstName    text `json:"first_name"`
	LastName     text `json:"last_name"`
	Name         text `json:"name"`
	Company      text `json:"company"`
	Address1     text `json:"address1"`
	Address2     text `json:"address2"`
	City         text `json:"city"`
	Province     text `json:"province"`
	ProvinceCode text `json:"province_code"`
	Zip          text `json:"zip"`
	CountryCode  text `json:"country_code"`
	Phone        text `json:"phone"`
	Latitude     text `json:"latitude"`
	Longitude    text `json:"longitude"`
}

type lineItem struct {
	ID                  text `json:"id"`
	GID                 text `json:"admin_graphql_api_id"`
	VariantID           text `json:"variant_id"`
	ProductID           text `json:"product_id"`
	SKU                 text `json:"sku"`
	Name                text `json:"name"`
	Title               text `json:"title"`
	Quantity            text `json:"quantity"`
	CurrentQuantity     text `json:"current_quantity"`
	Price               text `json:"price"`
	TotalDiscount       text `json:"total_discount"`
	DiscountAllocations []struct {
		Amount text `json:"amount"`
	} `json:"discount_allocations"`
}

// order is the part of Shopify's Order JSON (webhook and REST) that Ordo reads.
type order struct {
	ID                    text     `json:"id"`
	GID                   text     `json:"admin_graphql_api_id"`
	Name                  text     `json:"name"`
	OrderNumber           text     `json:"order_number"`
	Email                 text     `json:"email"`
	ContactEmail          text     `json:"contact_email"`
	Phone                 text     `json:"phone"`
	CreatedAt             text     `json:"created_at"`
	UpdatedAt             text     `json:"updated_at"`
	CancelledAt           text     `json:"cancelled_at"`
	ClosedAt              text     `json:"closed_at"`
	Currency              text     `json:"currency"`
	FinancialStatus       text     `json:"financial_status"`
	FulfillmentStatus     text     `json:"fulfillment_status"`
	PaymentGatewayNames   []text   `json:"payment_gateway_names"`
	SubtotalPrice         text     `json:"subtotal_price"`
	TotalPrice            text     `json:"total_price"`
	TotalTax              text     `json:"total_tax"`
	TotalDiscounts        text     `json:"total_discounts"`
	TotalShippingPriceSet moneySet `json:"total_shipping_price_set"`
	ShippingLines         []struct {
		Price text `json:"price"`
	} `json:"shipping_lines"`
	Customer *struct {
		ID        text `json:"id"`
		GID       text `json:"admin_graphql_api_id"`
		FirstName text `json:"first_name"`
		LastName  text `json:"last_name"`
		Email     text `json:"email"`
		Phone     text `json:"phone"`
	} `json:"customer"`
	ShippingAddress *address   `json:"shipping_address"`
	LineItems       []lineItem `json:"line_items"`
	Fulfillments    []struct {
		TrackingCompany text `json:"tracking_company"`
		TrackingNumber  text `json:"tracking_number"`
	} `json:"fulfillments"`
}

// NormalizeOrder turns Shopify's Order JSON (an orders/* webhook body or a REST order) into Ordo's
// order. Money is read from the decimal strings in the shop's currency, exactly; an amount with more
// decimals than the currency allows, a malformed time or invalid JSON is an error. Totals are those
// at placement (subtotal_price, total_price), not the current_* values after edits and refunds; a
// line's quantity is its current_quantity where given (what an order edit left of it).
func NormalizeOrder(raw []byte) (channels.Order, error) {
	var o order
	if err := decode(raw, &o); err != nil {
		return channels.Order{}, fmt.Errorf("shopify: order: %w", err)
	}
	return o.normalize()
}

func (o order) normalize() (channels.Order, error) {
	cur := strings.ToUpper(string(o.Currency))
	// A payload without its currency (Shopee returns it only when asked) is read in hundredths and
	// keeps an empty Currency, which ingestion refuses; a malformed one is an error here.
	exp, err := 2, error(nil)
	if cur != "" {
		if exp, err = channels.Exponent(cur); err != nil {
			return channels.Order{}, fmt.Errorf("shopify: order %s: %w", string(o.ID), err)
		}
	}
	gateways := make([]string, len(o.PaymentGatewayNames))
	for i, g := range o.PaymentGatewayNames {
		gateways[i] = string(g)
	}
	st := StatusInput{
		Financial:   string(o.FinancialStatus),
		Fulfillment: string(o.FulfillmentStatus),
		Cancelled:   o.CancelledAt != "",
		Closed:      o.ClosedAt != "",
		COD:         IsCOD(gateways),
	}
	out := channels.Order{
		Kind:          channels.Shopify,
		ExternalID:    id(o.ID, o.GID),
		Number:        string(o.Name),
		Status:        MapStatus(st),
		ChannelStatus: st.Raw(),
		Paid:          Paid(st.Financial),
		COD:           st.COD,
		Currency:      cur,
	}
	if out.Number == "" {
		out.Number = string(o.OrderNumber)
	}
	m := func(s text) int64 {
		v, e := channels.ParseMinor(string(s), exp)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	out.Subtotal = m(o.SubtotalPrice)
	out.Total = m(o.TotalPrice)
	out.Tax = m(o.TotalTax)
	out.Discount = m(o.TotalDiscounts)
	if o.TotalShippingPriceSet.ShopMoney.Amount != "" {
		out.Shipping = m(o.TotalShippingPriceSet.ShopMoney.Amount)
	} else {
		for _, s := range o.ShippingLines {
			out.Shipping += m(s.Price)
		}
	}
	if out.PlacedAt, err = utc(o.CreatedAt, err); err != nil {
		return channels.Order{}, err
	}
	if out.UpdatedAt, err = utc(o.UpdatedAt, err); err != nil {
		return channels.Order{}, err
	}
	out.Buyer = o.buyer()
	if a := o.ShippingAddress; a != nil {
		out.ShippingAddress = a.normalize()
	}
	for _, li := range o.LineItems {
		// current_quantity is what is left after order edits removed units; older payloads lack it.
		qty := li.Quantity
		if li.CurrentQuantity != "" {
			qty = li.CurrentQuantity
		}
		q, qerr := qty.Int()
		if qerr != nil && err == nil {
			err = fmt.Errorf("shopify: line %s quantity: %w", li.ID, qerr)
		}
		l := channels.Line{
			SKU:       li.SKU.String(),
			ListingID: li.VariantID.String(),
			LineID:    id(li.ID, li.GID),
			Name:      string(li.Name),
			Quantity:  q,
			UnitPrice: m(li.Price),
			// A custom item or a tip names no product, no variant and no SKU: it sells nothing
			// from stock. A deleted variant (variant_id null, product_id kept) is not one.
			NonStock: li.VariantID.String() == "" && li.ProductID.String() == "" && li.SKU.String() == "",
		}
		if l.Name == "" {
			l.Name = string(li.Title)
		}
		if len(li.DiscountAllocations) > 0 {
			for _, d := range li.DiscountAllocations {
				l.Discount += m(d.Amount)
			}
		} else {
			l.Discount = m(li.TotalDiscount)
		}
		out.Lines = append(out.Lines, l)
	}
	for _, f := range o.Fulfillments {
		if f.TrackingNumber != "" {
			out.Carrier, out.TrackingNumber = string(f.TrackingCompany), string(f.TrackingNumber)
		}
	}
	if err != nil {
		return channels.Order{}, fmt.Errorf("shopify: order %s: %w", out.ExternalID, err)
	}
	return out, nil
}

// utc parses an ISO-8601 time with offset into UTC; empty is the zero time. A previous error passes
// through untouched.
func utc(s text, prev error) (time.Time, error) {
	if prev != nil || s == "" {
		return time.Time{}, prev
	}
	t, err := time.Parse(time.RFC3339, string(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("shopify: time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func (o order) buyer() channels.Buyer {
	b := channels.Buyer{Email: string(o.Email), Phone: string(o.Phone)}
	if b.Email == "" {
		b.Email = string(o.ContactEmail)
	}
	if c := o.Customer; c != nil {
		b.ExternalID = id(c.ID, c.GID)
		b.Name = strings.TrimSpace(string(c.FirstName) + " " + string(c.LastName))
		if b.Email == "" {
			b.Email = string(c.Email)
		}
		if b.Phone == "" {
			b.Phone = string(c.Phone)
		}
	}
	return b
}

func (a address) normalize() channels.Address {
	out := channels.Address{
		Name:        string(a.Name),
		Phone:       string(a.Phone),
		Line1:       string(a.Address1),
		Line2:       string(a.Address2),
		City:        string(a.City),
		Region:      string(a.Province),
		PostalCode:  string(a.Zip),
		CountryCode: strings.ToUpper(string(a.CountryCode)),
		Latitude:    a.Latitude.Float(),
		Longitude:   a.Longitude.Float(),
	}
	if out.Name == "" {
		out.Name = strings.TrimSpace(string(a.FirstName) + " " + string(a.LastName))
	}
	if out.Region == "" {
		out.Region = string(a.ProvinceCode)
	}
	return out
}
