package tiktokshop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// order is the part of a Get Order Detail order that Ordo reads.
type order struct {
	ID                   scalar  `json:"id"`
	Status               scalar  `json:"status"`
	UserID               scalar  `json:"user_id"`
	BuyerEmail           scalar  `json:"buyer_email"`
	CreateTime           scalar  `json:"create_time"`
	UpdateTime           scalar  `json:"update_time"`
	PaidTime             scalar  `json:"paid_time"`
	RTSSLATime           scalar  `json:"rts_sla_time"`
	IsCOD                scalar  `json:"is_cod"`
	IsBuyerRequestCancel scalar  `json:"is_buyer_request_cancel"`
	TrackingNumber       scalar  `json:"tracking_number"`
	ShippingProvider     scalar  `json:"shipping_provider"`
	ShippingProviderID   scalar  `json:"shipping_provider_id"`
	Packages             []pack  `json:"packages"`
	Payment              payment `json:"payment"`
	RecipientAddress     address `json:"recipient_address"`
	LineItems            []item  `json:"line_items"`
}

// pack is one of the order's packages: what Ship Package ships.
type pack struct {
	ID scalar `json:"id"`
}

// payment is the order's payment block: decimal strings in payment.currency.
type payment struct {
	Currency                  scalar `json:"currency"`
	SubTotal                  scalar `json:"sub_total"`
	ShippingFee               scalar `json:"shipping_fee"`
	SellerDiscount            scalar `json:"seller_discount"`
	PlatformDiscount          scalar `json:"platform_discount"`
	TotalAmount               scalar `json:"total_amount"`
	OriginalTotalProductPrice scalar `json:"original_total_product_price"`
	Tax                       scalar `json:"tax"`
}

// address is the order's recipient_address.
type address struct {
	Name          scalar `json:"name"`
	FirstName     scalar `json:"first_name"`
	LastName      scalar `json:"last_name"`
	PhoneNumber   scalar `json:"phone_number"`
	AddressLine1  scalar `json:"address_line1"`
	AddressLine2  scalar `json:"address_line2"`
	AddressLine3  scalar `json:"address_line3"`
	AddressLine4  scalar `json:"address_line4"`
	AddressDetail scalar `json:"address_detail"`
	PostalCode    scalar `json:"postal_code"`
	RegionCode    scalar `json:"region_code"`
	DistrictInfo  []struct {
		AddressLevel scalar `json:"address_level"`
		AddressName  scalar `json:"address_name"`
	} `json:"district_info"`
}

// item is one line item, that is one unit.
type item struct {
	ID               scalar `json:"id"`
	SKUID            scalar `json:"sku_id"`
	SellerSKU        scalar `json:"seller_sku"`
	ProductName      scalar `json:"product_name"`
	SKUName          scalar `json:"sku_name"`
	OriginalPrice    scalar `json:"original_price"`
	SalePrice        scalar `json:"sale_price"`
	SellerDiscount   scalar `json:"seller_discount"`
	PlatformDiscount scalar `json:"platform_discount"`
	Currency         scalar `json:"currency"`
	DisplayStatus    scalar `json:"display_status"`
	PackageID        scalar `json:"package_id"`
	TrackingNumber   scalar `json:"tracking_number"`
	ShippingProvider scalar `json:"shipping_provider_name"`
}

// decode reads JSON with numbers kept as text.
func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

// decodeOrder reads the one order of a Get Order Detail response (or of a list holding one), or a
// bare order object. A response with a non-zero code is an error.
func decodeOrder(raw []byte) (order, error) {
	var probe map[string]json.RawMessage
	if err := decode(raw, &probe); err != nil {
		return order{}, err
	}
	data := json.RawMessage(raw)
	if _, wrapped := probe["data"]; wrapped {
		var e struct {
			Code    scalar `json:"code"`
			Message scalar `json:"message"`
			Data    struct {
				Orders []json.RawMessage `json:"orders"`
			} `json:"data"`
		}
		if err := decode(raw, &e); err != nil {
			return order{}, err
		}
		if c := e.Code.String(); c != "" && c != "0" {
			return order{}, fmt.Errorf("response code %s: %s", c, e.Message.String())
		}
		if len(e.Data.Orders) != 1 {
			return order{}, fmt.Errorf("response holds %d orders; pass one", len(e.Data.Orders))
		}
		data = e.Data.Orders[0]
	}
	var o order
	if err := decode(data, &o); err != nil {
		return order{}, err
	}
	if o.ID.String() == "" {
		return order{}, errors.New("order has no id")
	}
	return o, nil
}
