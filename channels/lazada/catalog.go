package lazada

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// PathProducts is GetProducts, the seller's products and their SKUs.
const PathProducts = "/products/get"

// catalogPage is GetProducts' largest limit.
const catalogPage = 50

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: GET /products/get?filter=live with offset and limit
// (cursor is the offset); every SKU is a listing, ListingID its SkuId (as order items' sku_id and
// stock updates use), Attrs item_id and seller_sku. Prices are in the shop's currency:
// Extra["currency"], else the API host's country's; unknown, they are left 0.
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	offset := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return channels.CatalogPage{}, channels.Refused("lazada: catalog cursor %q is not an offset", cursor)
		}
		offset = n
	}
	body, err := c.call(ctx, http.MethodGet, PathProducts, map[string]string{
		"filter": "live", "offset": strconv.Itoa(offset), "limit": strconv.Itoa(catalogPage),
	})
	if err != nil {
		return channels.CatalogPage{}, err
	}
	items, n, total, err := ParseProducts(body, c.shopCurrency())
	if err != nil {
		return channels.CatalogPage{}, err
	}
	next := ""
	if n > 0 && offset+n < total {
		next = strconv.Itoa(offset + n)
	}
	return channels.CatalogPage{Items: items, Next: next}, nil
}

// shopCurrency is the seller's currency as currency finds it without an order to ask: "" when
// neither the account nor the API host tells.
func (c *Client) shopCurrency() string {
	if cur := strings.ToUpper(strings.TrimSpace(c.account.Extra["currency"])); cur != "" {
		return cur
	}
	if u, err := url.Parse(c.account.BaseURL); err == nil {
		for _, s := range siteCurrencies {
			if strings.HasSuffix(u.Hostname(), s.suffix) {
				return s.currency
			}
		}
	}
	return ""
}

// ParseProducts reads a GetProducts answer into listings, one per SKU, and returns how many
// products the page held and total_products.
func ParseProducts(body []byte, currency string) (items []channels.CatalogItem, products, total int, err error) {
	var a struct {
		Data struct {
			TotalProducts scalar `json:"total_products"`
			Products      []struct {
				ItemID     scalar `json:"item_id"`
				Attributes struct {
					Name scalar `json:"name"`
				} `json:"attributes"`
				Skus []struct {
					SkuID     scalar            `json:"SkuId"`
					SellerSku scalar            `json:"SellerSku"`
					ShopSku   scalar            `json:"ShopSku"`
					Status    scalar            `json:"Status"`
					Price     scalar            `json:"price"`
					Barcode   scalar            `json:"barcode_ean"`
					SaleProp  map[string]scalar `json:"saleProp"`
				} `json:"skus"`
			} `json:"products"`
		} `json:"data"`
	}
	if err := decode(body, &a); err != nil {
		return nil, 0, 0, fmt.Errorf("lazada: %s: %w", PathProducts, err)
	}
	t, err := a.Data.TotalProducts.Int()
	if err != nil && a.Data.TotalProducts != "" {
		return nil, 0, 0, channels.Refused("lazada: %s: total_products %q", PathProducts, a.Data.TotalProducts)
	}
	exp, expErr := channels.Exponent(currency)
	for _, p := range a.Data.Products {
		item := p.ItemID.String()
		for _, s := range p.Skus {
			id := s.SkuID.String()
			if id == "" {
				continue
			}
			it := channels.CatalogItem{
				ListingID: id,
				Attrs:     map[string]string{"item_id": item, "seller_sku": string(s.SellerSku), "shop_sku": s.ShopSku.String()},
				SellerSKU: string(s.SellerSku), Barcode: s.Barcode.String(), Title: p.Attributes.Name.String(),
				Active: strings.EqualFold(s.Status.String(), "active"),
			}
			if len(s.SaleProp) > 0 {
				it.Options = make(map[string]string, len(s.SaleProp))
				var values []string
				for _, k := range slices.Sorted(maps.Keys(s.SaleProp)) {
					it.Options[k] = s.SaleProp[k].String()
					values = append(values, s.SaleProp[k].String())
				}
				it.Title += " / " + strings.Join(values, " / ")
			}
			if expErr == nil {
				if n, err := channels.RoundMinor(s.Price.String(), exp); err == nil {
					it.Price, it.Currency = n, currency
				}
			}
			items = append(items, it)
		}
	}
	return items, len(a.Data.Products), int(t), nil
}
