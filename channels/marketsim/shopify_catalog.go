package marketsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// catalogRoutes registers products.json (the products and their variants, paged by the Link
// header's page_info) and shop.json (the shop's currency).
func (f shopifyFace) catalogRoutes(mux *http.ServeMux, sh *Shop) {
	v := "/admin/api/{version}"
	mux.HandleFunc("GET "+v+"/products.json", f.auth(sh, f.products))
	mux.HandleFunc("GET "+v+"/shop.json", f.auth(sh, f.shop))
}

func (shopifyFace) shop(w http.ResponseWriter, _ *http.Request, sh *Shop) {
	writeJSON(w, http.StatusOK, map[string]any{"shop": map[string]any{
		"id": json.Number("548380009"), "name": sh.cfg.ShopID, "myshopify_domain": sh.cfg.ShopID + ".myshopify.com",
		"currency": sh.cfg.Currency, "money_format": "${{amount}}",
	}})
}

// products is GET products.json: limit up to 250; a later page is asked with limit and page_info
// only, as Shopify allows no other filter beside it.
func (f shopifyFace) products(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 250 {
		limit = 50
	}
	offset := 0
	if pi := q.Get("page_info"); pi != "" {
		n, err := strconv.Atoi(pi)
		if err != nil || n < 0 || len(q) > 2 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"errors": "Invalid page_info"})
			return
		}
		offset = n
	}
	all := sh.catalog()
	got, next := page(all, offset, sh.pageSize(limit, 250))
	out := make([]map[string]any, len(got))
	for i, p := range got {
		out[i] = f.product(sh, p)
	}
	if next >= 0 {
		w.Header().Set("Link", fmt.Sprintf("<https://%s.myshopify.com%s?limit=%d&page_info=%s>; rel=\"next\"", sh.cfg.ShopID, r.URL.Path, limit, url.QueryEscape(strconv.Itoa(next))))
	}
	writeJSON(w, http.StatusOK, map[string]any{"products": out})
}

// product renders a Shopify product: a product without options has the one option "Title" and a
// "Default Title" variant, as Shopify's do.
func (shopifyFace) product(sh *Shop, p catalogProduct) map[string]any {
	names := p.OptionNames()
	status := "active"
	if len(names) == 0 {
		names = []string{"Title"}
	}
	options := make([]map[string]any, len(names))
	for i, n := range names {
		var values []string
		seen := map[string]bool{}
		for _, l := range p.Listings {
			v := "Default Title"
			if i < len(l.Options) {
				v = l.Options[i].Value
			}
			if !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
		options[i] = map[string]any{"id": json.Number(strconv.Itoa(1055547170 + i)), "product_id": json.Number(p.ID), "name": n, "position": i + 1, "values": values}
	}
	variants := make([]map[string]any, len(p.Listings))
	allInactive := true
	for i, l := range p.Listings {
		allInactive = allInactive && l.Inactive
		title := variantTitle(l)
		if title == "" {
			title = "Default Title"
		}
		v := map[string]any{
			"id": json.Number(l.ID), "product_id": json.Number(p.ID), "title": title,
			"price": decimal(l.Price, sh.cfg.Currency), "sku": l.ChannelSKU(), "position": i + 1,
			"inventory_policy": "deny", "compare_at_price": nil, "fulfillment_service": "manual",
			"inventory_management": "shopify", "barcode": nil, "taxable": true, "grams": 200,
			"inventory_item_id":    json.Number(orDefault(l.Attrs["inventory_item_id"], "0")),
			"admin_graphql_api_id": "gid://shopify/ProductVariant/" + l.ID,
			"option1":              nil, "option2": nil, "option3": nil,
		}
		if l.Barcode != "" {
			v["barcode"] = l.Barcode
		}
		for j := 0; j < 3; j++ {
			if j < len(l.Options) {
				v[fmt.Sprintf("option%d", j+1)] = l.Options[j].Value
			} else if j == 0 {
				v["option1"] = "Default Title"
			}
		}
		variants[i] = v
	}
	if allInactive {
		status = "draft"
	}
	return map[string]any{
		"id": json.Number(p.ID), "title": p.Title(), "body_html": "", "vendor": sh.cfg.ShopID,
		"product_type": "", "handle": fmt.Sprintf("product-%s", p.ID), "status": status,
		"admin_graphql_api_id": "gid://shopify/Product/" + p.ID, "variants": variants, "options": options,
	}
}
