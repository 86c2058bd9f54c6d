package shopify

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: GET products.json?limit=250, the next page by the
// Link header's page_info (cursor); every variant is a listing. Products carry no currency: it is
// the shop's (Extra["currency"], else shop.json's).
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	currency := strings.ToUpper(strings.TrimSpace(c.account.Extra["currency"]))
	if currency == "" {
		resp, err := c.call(ctx, http.MethodGet, "/shop.json", nil)
		if err != nil {
			return channels.CatalogPage{}, err
		}
		var shop struct {
			Shop struct {
				Currency text `json:"currency"`
			} `json:"shop"`
		}
		if err := decode(resp.Body, &shop); err != nil {
			return channels.CatalogPage{}, fmt.Errorf("shopify: shop.json: %w", err)
		}
		currency = strings.ToUpper(shop.Shop.Currency.String())
	}
	q := url.Values{"limit": {fmt.Sprint(maxPage)}}
	if cursor != "" {
		q.Set("page_info", cursor)
	}
	resp, err := c.call(ctx, http.MethodGet, "/products.json?"+q.Encode(), nil)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	items, err := ParseProducts(resp.Body, currency)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	return channels.CatalogPage{Items: items, Next: nextPageInfo(resp.Header.Get("Link"))}, nil
}

// product is the part of a REST Product the catalogue reads.
type product struct {
	ID      text `json:"id"`
	GID     text `json:"admin_graphql_api_id"`
	Title   text `json:"title"`
	Status  text `json:"status"`
	Options []struct {
		Name     text `json:"name"`
		Position int  `json:"position"`
	} `json:"options"`
	Variants []struct {
		ID              text `json:"id"`
		GID             text `json:"admin_graphql_api_id"`
		Title           text `json:"title"`
		SKU             text `json:"sku"`
		Barcode         text `json:"barcode"`
		Price           text `json:"price"`
		InventoryItemID text `json:"inventory_item_id"`
		Option1         text `json:"option1"`
		Option2         text `json:"option2"`
		Option3         text `json:"option3"`
	} `json:"variants"`
}

// ParseProducts reads a products.json answer into listings: one per variant, ListingID the variant
// id (as order lines' variant_id), Attrs inventory_item_id and product_id (stock pushes), Options by
// the product's option names (without Shopify's "Title: Default Title" of a product with none), the
// price in minor units of currency (0 when it cannot be read).
func ParseProducts(body []byte, currency string) ([]channels.CatalogItem, error) {
	var page struct {
		Products []product `json:"products"`
	}
	if err := decode(body, &page); err != nil {
		return nil, fmt.Errorf("shopify: products.json: %w", err)
	}
	exp, expErr := channels.Exponent(currency)
	var out []channels.CatalogItem
	for _, p := range page.Products {
		pid := id(p.ID, p.GID)
		names := [3]string{}
		for i, o := range p.Options {
			pos := o.Position - 1
			if o.Position == 0 {
				pos = i
			}
			if pos >= 0 && pos < 3 {
				names[pos] = o.Name.String()
			}
		}
		for _, v := range p.Variants {
			vid := id(v.ID, v.GID)
			if vid == "" {
				continue
			}
			options := map[string]string{}
			for i, val := range []text{v.Option1, v.Option2, v.Option3} {
				name, value := names[i], val.String()
				if value == "" || name == "" || name == "Title" && value == "Default Title" {
					continue
				}
				options[name] = value
			}
			title := p.Title.String()
			if vt := v.Title.String(); vt != "" && vt != "Default Title" {
				title += " / " + vt
			}
			it := channels.CatalogItem{
				ListingID: vid,
				Attrs:     map[string]string{"product_id": pid, "inventory_item_id": v.InventoryItemID.String()},
				SellerSKU: string(v.SKU), Barcode: v.Barcode.String(), Title: title, Options: options,
				Active: p.Status == "" || p.Status.String() == "active",
			}
			if expErr == nil {
				if n, err := channels.ParseMinor(v.Price.String(), exp); err == nil {
					it.Price, it.Currency = n, strings.ToUpper(currency)
				}
			}
			out = append(out, it)
		}
	}
	return out, nil
}
