package lazada

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/ordo-oms/ordo/channels"
)

// maxskuUpdates is how many SKUs one /product/stock/sellable/update call may carry (the docs
// recommend 20 and allow 50).
const maxskuUpdates = 50

// codeUpdateFailed is the stock update's summary refusal; its detail names the SKUs that failed.
const codeUpdateFailed = "501"

// skuUpdate is one SKU of a stock update's XML payload, as the docs' single-warehouse sample writes
// it. Lazada finds the SKU by ItemId and SkuId, or by SellerSku.
type skuUpdate struct {
	ItemID           string `xml:"ItemId,omitempty"`
	SkuID            string `xml:"SkuId,omitempty"`
	SellerSKU        string `xml:"SellerSku,omitempty"`
	SellableQuantity int64  `xml:"SellableQuantity"`
}

// stockRequest is the payload of /product/stock/sellable/update.
type stockRequest struct {
	XMLName xml.Name    `xml:"Request"`
	SKUs    []skuUpdate `xml:"Product>Skus>Sku"`
}

// stockPayload writes the payload parameter of /product/stock/sellable/update for skus.
func stockPayload(skus []skuUpdate) (string, error) {
	b, err := xml.Marshal(stockRequest{SKUs: skus})
	if err != nil {
		return "", fmt.Errorf("lazada: stock payload: %w", err)
	}
	return string(b), nil
}

// skuOf is how a stock level names its SKU to Lazada, or false when it names none Lazada can find
// (no SellerSku, and no ItemId with a SkuId).
func skuOf(l channels.StockLevel) (skuUpdate, bool) {
	s := skuUpdate{ItemID: l.Attrs["item_id"], SkuID: l.Attrs["sku_id"], SellerSKU: l.Attrs["seller_sku"], SellableQuantity: l.Quantity}
	if s.SkuID == "" {
		s.SkuID = l.ListingID
	}
	if s.SellerSKU == "" {
		s.SellerSKU = l.SKU
	}
	return s, s.SellerSKU != "" || (s.ItemID != "" && s.SkuID != "")
}

// PushStock implements channels.Connector: absolute sellable quantities, 50 SKUs a call. A call
// Lazada refuses fails its listings; a summary refusal (501) fails only the SKUs its detail names,
// when it names any.
func (c *Client) PushStock(ctx context.Context, levels []channels.StockLevel) ([]channels.StockResult, error) {
	out := make([]channels.StockResult, len(levels))
	var batch []int // indexes of levels to send
	var skus []skuUpdate
	for i, l := range levels {
		out[i].ListingID = l.ListingID
		s, ok := skuOf(l)
		if !ok {
			out[i].Err = channels.Refused("lazada: listing %q has no seller SKU and no item_id", l.ListingID)
			continue
		}
		batch = append(batch, i)
		skus = append(skus, s)
	}
	for start := 0; start < len(skus); start += maxskuUpdates {
		end := min(start+maxskuUpdates, len(skus))
		errs, err := c.updateStock(ctx, skus[start:end])
		if err != nil {
			return nil, err
		}
		for j, e := range errs {
			out[batch[start+j]].Err = e
		}
	}
	return out, nil
}

// updateStock sends one call and returns each SKU's failure, or an error when the call did not get
// an answer.
func (c *Client) updateStock(ctx context.Context, skus []skuUpdate) ([]error, error) {
	payload, err := stockPayload(skus)
	if err != nil {
		return nil, err
	}
	_, err = c.call(ctx, http.MethodPost, "/product/stock/sellable/update", map[string]string{"payload": payload})
	var refused *apiError
	switch {
	case errors.As(err, &refused):
		return stockFailures(refused, skus), nil
	case err != nil:
		return nil, err
	}
	return make([]error, len(skus)), nil
}

// stockDetail is one entry of a refused stock update's detail: the SKU and why [U: the entries'
// fields are not in the docs records; seller_sku and sku_id are matched, whichever is there].
type stockDetail struct {
	Field     scalar `json:"field"`
	Message   scalar `json:"message"`
	SellerSKU scalar `json:"seller_sku"`
	SkuID     scalar `json:"sku_id"`
}

// stockFailures says which SKUs a refusal failed: those its detail names if it is the summary
// refusal 501 and names any of them, else all.
func stockFailures(refused *apiError, skus []skuUpdate) []error {
	errs := make([]error, len(skus))
	var detail []stockDetail
	if refused.code == codeUpdateFailed && json.Unmarshal(refused.detail, &detail) == nil {
		for _, d := range detail {
			for i, s := range skus {
				if (d.SellerSKU != "" && d.SellerSKU.String() == s.SellerSKU) || (d.SkuID != "" && d.SkuID.String() == s.SkuID) {
					errs[i] = channels.Refused("lazada: SKU %s (SkuId %s): %s %s", s.SellerSKU, s.SkuID, d.Field.String(), d.Message.String())
				}
			}
		}
	}
	for _, e := range errs {
		if e != nil {
			return errs
		}
	}
	for i := range errs {
		errs[i] = refused
	}
	return errs
}
