package tiktokshop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// The product API paths the catalogue reads.
const (
	PathSearchProducts = "/product/202309/products/search"
	pathProduct        = "/product/202309/products/"
)

// catalogPage is how many products a catalogue page asks Search Products for.
const catalogPage = 50

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: Search Products (POST, status ACTIVATE, page_token as
// cursor), then Get Product for each product found, whose skus carry sales_attributes (options) and
// identifier_code (GTIN/EAN/UPC) that the search leaves out. Every SKU is a listing: ListingID its
// id (sku_id), Attrs product_id, as stock updates need.
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	q := url.Values{"page_size": {fmt.Sprint(catalogPage)}}
	if cursor != "" {
		q.Set("page_token", cursor)
	}
	data, err := c.call(ctx, http.MethodPost, PathSearchProducts, q, map[string]string{"status": "ACTIVATE"})
	if err != nil {
		return channels.CatalogPage{}, err
	}
	var found struct {
		Products []struct {
			ID scalar `json:"id"`
		} `json:"products"`
		NextPageToken scalar `json:"next_page_token"`
	}
	if err := decodeData(data, &found); err != nil {
		return channels.CatalogPage{}, fmt.Errorf("tiktokshop: %s: %w", PathSearchProducts, err)
	}
	var items []channels.CatalogItem
	for _, p := range found.Products {
		id := p.ID.String()
		if id == "" || strings.ContainsAny(id, "/?#") {
			continue
		}
		data, err := c.call(ctx, http.MethodGet, pathProduct+id, nil, nil)
		if err != nil {
			return channels.CatalogPage{}, err
		}
		got, err := ParseProduct(data)
		if err != nil {
			return channels.CatalogPage{}, err
		}
		items = append(items, got...)
	}
	return channels.CatalogPage{Items: items, Next: found.NextPageToken.String()}, nil
}

// ParseProduct reads Get Product's data into listings, one per SKU.
func ParseProduct(data json.RawMessage) ([]channels.CatalogItem, error) {
	var p struct {
		ID     scalar `json:"id"`
		Title  scalar `json:"title"`
		Status scalar `json:"status"`
		Skus   []struct {
			ID              scalar `json:"id"`
			SellerSKU       scalar `json:"seller_sku"`
			SalesAttributes []struct {
				Name      scalar `json:"name"`
				ValueName scalar `json:"value_name"`
			} `json:"sales_attributes"`
			Price struct {
				Currency          scalar `json:"currency"`
				SalePrice         scalar `json:"sale_price"`
				TaxExclusivePrice scalar `json:"tax_exclusive_price"`
			} `json:"price"`
			IdentifierCode struct {
				Code scalar `json:"code"`
			} `json:"identifier_code"`
		} `json:"skus"`
	}
	if err := decodeData(data, &p); err != nil {
		return nil, fmt.Errorf("tiktokshop: get product: %w", err)
	}
	product := p.ID.String()
	out := make([]channels.CatalogItem, 0, len(p.Skus))
	for _, s := range p.Skus {
		id := s.ID.String()
		if id == "" {
			continue
		}
		it := channels.CatalogItem{
			ListingID: id, Attrs: map[string]string{AttrProductID: product},
			SellerSKU: string(s.SellerSKU), Barcode: s.IdentifierCode.Code.String(), Title: p.Title.String(),
			Active: p.Status.String() == "ACTIVATE",
		}
		var values []string
		for _, a := range s.SalesAttributes {
			if a.Name.String() == "" {
				continue
			}
			if it.Options == nil {
				it.Options = map[string]string{}
			}
			it.Options[a.Name.String()] = a.ValueName.String()
			values = append(values, a.ValueName.String())
		}
		if len(values) > 0 {
			it.Title += " / " + strings.Join(values, " / ")
		}
		cur := strings.ToUpper(s.Price.Currency.String())
		amount := s.Price.SalePrice
		if amount.String() == "" {
			amount = s.Price.TaxExclusivePrice
		}
		if exp, err := channels.Exponent(cur); err == nil {
			if n, err := channels.ParseMinor(amount.String(), exp); err == nil {
				it.Price, it.Currency = n, cur
			}
		}
		out = append(out, it)
	}
	return out, nil
}
