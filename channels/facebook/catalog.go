package facebook

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// catalogFields are the ProductItem fields the catalogue reads.
const catalogFields = "id,retailer_id,name,price,currency,gtin,availability,visibility,retailer_product_group_id," +
	"color,size,pattern,material,gender,additional_variant_attributes"

// catalogPage is how many items a catalogue page asks for.
const catalogPage = 100

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: GET /{catalog_id}/products with fields and limit, the
// next page by paging.cursors.after (cursor) while paging.next is there. Every item is a listing
// whose ListingID and SellerSKU are its retailer_id (as stock updates and orders use).
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	q := url.Values{"fields": {catalogFields}, "limit": {fmt.Sprint(catalogPage)}}
	if cursor != "" {
		q.Set("after", cursor)
	}
	resp, err := c.call(ctx, http.MethodGet, "/"+url.PathEscape(c.catalog)+"/products", q, nil)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	return ParseProducts(resp.Body)
}

// ParseProducts reads a catalog's products edge into a page of listings.
func ParseProducts(body []byte) (channels.CatalogPage, error) {
	var page struct {
		Data []struct {
			ID           text            `json:"id"`
			RetailerID   text            `json:"retailer_id"`
			Name         text            `json:"name"`
			Price        text            `json:"price"`
			Currency     text            `json:"currency"`
			GTIN         text            `json:"gtin"`
			Availability text            `json:"availability"`
			Visibility   text            `json:"visibility"`
			Group        text            `json:"retailer_product_group_id"`
			Color        text            `json:"color"`
			Size         text            `json:"size"`
			Pattern      text            `json:"pattern"`
			Material     text            `json:"material"`
			Gender       text            `json:"gender"`
			Additional   map[string]text `json:"additional_variant_attributes"`
		} `json:"data"`
		Paging struct {
			Cursors struct {
				After text `json:"after"`
			} `json:"cursors"`
			Next text `json:"next"`
		} `json:"paging"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return channels.CatalogPage{}, fmt.Errorf("facebook: products: %w", err)
	}
	out := channels.CatalogPage{Items: make([]channels.CatalogItem, 0, len(page.Data))}
	for _, d := range page.Data {
		rid := string(d.RetailerID)
		if strings.TrimSpace(rid) == "" {
			continue
		}
		it := channels.CatalogItem{
			ListingID: rid, Attrs: map[string]string{"product_item_id": d.ID.String(), "retailer_product_group_id": d.Group.String()},
			SellerSKU: rid, Barcode: d.GTIN.String(), Title: d.Name.String(),
			Active: d.Visibility.String() != "staging" && d.Availability.String() != "discontinued",
		}
		options := map[string]string{}
		for _, o := range []struct {
			name string
			v    text
		}{{"Color", d.Color}, {"Size", d.Size}, {"Pattern", d.Pattern}, {"Material", d.Material}, {"Gender", d.Gender}} {
			if o.v.String() != "" {
				options[o.name] = o.v.String()
			}
		}
		for _, k := range slices.Sorted(maps.Keys(d.Additional)) {
			if v := d.Additional[k].String(); k != "" && v != "" {
				options[k] = v
			}
		}
		if len(options) > 0 {
			it.Options = options
		}
		if cur := strings.ToUpper(d.Currency.String()); cur != "" {
			if exp, err := channels.Exponent(cur); err == nil {
				if n, ok := FormattedPrice(d.Price.String(), exp); ok {
					it.Price, it.Currency = n, cur
				}
			}
		}
		out.Items = append(out.Items, it)
	}
	if page.Paging.Next.String() != "" {
		out.Next = page.Paging.Cursors.After.String()
	}
	return out, nil
}

// FormattedPrice reads a price as Graph formats it for display ("$1,234.50", "฿199.00",
// "1.234,50 €", "₫48,000") into minor units with exp decimals: the digits, and a decimal mark only
// where 1 to exp digits follow the last "." or ","; other marks group thousands (3 digits follow
// them). It reports false for text without digits, a negative price or one out of range.
func FormattedPrice(s string, exp int) (int64, bool) {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '.' || r == ',' {
			b.WriteRune(r)
		}
	}
	t := strings.Trim(b.String(), ".,")
	if t == "" {
		return 0, false
	}
	whole, frac := t, ""
	if i := strings.LastIndexAny(t, ".,"); i >= 0 && len(t)-i-1 <= exp {
		whole, frac = t[:i], t[i+1:]
	}
	whole = strings.NewReplacer(".", "", ",", "").Replace(whole)
	n, err := channels.ParseMinor(whole+"."+frac, exp)
	if err != nil || strings.HasPrefix(strings.TrimSpace(s), "-") {
		return 0, false
	}
	return n, true
}
