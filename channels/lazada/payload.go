package lazada

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// order is the part of /order/get and /orders/get that Ordo reads.
type order struct {
	OrderID               scalar  `json:"order_id"`
	OrderNumber           scalar  `json:"order_number"`
	CreatedAt             scalar  `json:"created_at"`
	UpdatedAt             scalar  `json:"updated_at"`
	Price                 scalar  `json:"price"`
	ShippingFee           scalar  `json:"shipping_fee"`
	PaymentMethod         scalar  `json:"payment_method"`
	PromisedShippingTimes scalar  `json:"promised_shipping_times"`
	CustomerFirstName     scalar  `json:"customer_first_name"`
	CustomerLastName      scalar  `json:"customer_last_name"`
	NeedCancelConfirm     scalar  `json:"need_cancel_confirm"`
	IsCancelPending       scalar  `json:"is_cancel_pending"`
	AddressShipping       address `json:"address_shipping"`
}

// address is Lazada's address_shipping; /orders/get spells the district "addressDsitrict".
type address struct {
	FirstName scalar `json:"first_name"`
	LastName  scalar `json:"last_name"`
	Phone     scalar `json:"phone"`
	Address1  scalar `json:"address1"`
	Address2  scalar `json:"address2"`
	Address3  scalar `json:"address3"`
	Address4  scalar `json:"address4"`
	Address5  scalar `json:"address5"`
	City      scalar `json:"city"`
	PostCode  scalar `json:"post_code"`
	Country   scalar `json:"country"`
	District  scalar `json:"addressDistrict"`
	Dsitrict  scalar `json:"addressDsitrict"`
}

// item is one unit of /order/items/get (and of order_items in /orders/items/get).
type item struct {
	OrderItemID          scalar `json:"order_item_id"`
	OrderID              scalar `json:"order_id"`
	SKU                  scalar `json:"sku"`
	ShopSKU              scalar `json:"shop_sku"`
	SKUID                scalar `json:"sku_id"`
	Name                 scalar `json:"name"`
	Status               scalar `json:"status"`
	Currency             scalar `json:"currency"`
	ItemPrice            scalar `json:"item_price"`
	PaidPrice            scalar `json:"paid_price"`
	TaxAmount            scalar `json:"tax_amount"`
	VoucherSeller        scalar `json:"voucher_seller"`
	VoucherPlatform      scalar `json:"voucher_platform"`
	SLATimeStamp         scalar `json:"sla_time_stamp"`
	PromisedShippingTime scalar `json:"promised_shipping_time"`
	PaymentTime          scalar `json:"payment_time"`
	BuyerID              scalar `json:"buyer_id"`
	IsCancelPending      scalar `json:"is_cancel_pending"`
	NeedCancelConfirm    scalar `json:"need_cancel_confirm"`
	PackageID            scalar `json:"package_id"`
	TrackingCode         scalar `json:"tracking_code"`
	ShipmentProvider     scalar `json:"shipment_provider"`
}

// envelope is Lazada's response wrapper.
type envelope struct {
	Code    scalar          `json:"code"`
	Message scalar          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// decode reads JSON with numbers kept as text.
func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

// unwrap returns the data of a Lazada response, or raw itself when it is not wrapped (a bare order
// or item list). A response with a non-zero code is an error.
func unwrap(raw []byte) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return raw, nil
	}
	var probe map[string]json.RawMessage
	if err := decode(raw, &probe); err != nil {
		return nil, err
	}
	if _, ok := probe["data"]; !ok {
		return raw, nil
	}
	var e envelope
	if err := decode(raw, &e); err != nil {
		return nil, err
	}
	if c := e.Code.String(); c != "" && c != "0" {
		return nil, fmt.Errorf("lazada: response code %s: %s", c, e.Message.String())
	}
	return e.Data, nil
}

// decodeOrder reads an order from a /order/get response, a /orders/get response holding exactly
// one order, or a bare order object.
func decodeOrder(raw []byte) (order, error) {
	data, err := unwrap(raw)
	if err != nil {
		return order{}, err
	}
	var list struct {
		Orders *[]json.RawMessage `json:"orders"`
	}
	if err := decode(data, &list); err != nil {
		return order{}, err
	}
	if list.Orders != nil {
		if len(*list.Orders) != 1 {
			return order{}, fmt.Errorf("lazada: /orders/get response holds %d orders; pass one", len(*list.Orders))
		}
		data = (*list.Orders)[0]
	}
	var o order
	if err := decode(data, &o); err != nil {
		return order{}, err
	}
	if o.OrderID.String() == "" {
		return order{}, errors.New("lazada: order has no order_id")
	}
	return o, nil
}

// decodeItems reads the items of order orderID from a /order/items/get response (a list of items),
// a /orders/items/get response (a list of {order_id, order_items}) or a bare list of either. Items
// that name another order are an error: the two calls were paired wrongly.
func decodeItems(raw []byte, orderID string) ([]item, error) {
	data, err := unwrap(raw)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		item
		OrderItems *[]item `json:"order_items"`
	}
	if err := decode(data, &rows); err != nil {
		return nil, err
	}
	var out []item
	for _, r := range rows {
		if r.OrderItems != nil {
			if r.OrderID.String() == orderID {
				out = append(out, *r.OrderItems...)
			}
			continue
		}
		out = append(out, r.item)
	}
	for _, it := range out {
		if id := it.OrderID.String(); id != "" && id != orderID {
			return nil, fmt.Errorf("lazada: item %s belongs to order %s, not %s", it.OrderItemID, id, orderID)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lazada: no items for order %s", orderID)
	}
	return out, nil
}
