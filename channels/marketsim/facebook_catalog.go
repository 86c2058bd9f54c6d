package marketsim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// fbSymbols are the currency symbols Graph formats prices with; other currencies are written with
// their code.
var fbSymbols = map[string]string{"USD": "$", "THB": "฿", "EUR": "€", "GBP": "£", "VND": "₫", "PHP": "₱"}

// fbPrice formats minor units as ProductItem.price does ("$1,234.50", "฿199.00").
func fbPrice(minor int64, currency string) string {
	s := decimal(minor, currency)
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	sym, ok := fbSymbols[currency]
	if !ok {
		sym = currency
	}
	return sym + b.String()
}

// fbOptionFields are ProductItem's variant fields; other options go to additional_variant_attributes.
var fbOptionFields = map[string]string{"color": "color", "colour": "color", "size": "size", "pattern": "pattern", "material": "material", "gender": "gender"}

// products is a catalog's products edge: limit (default 25, at most 100 here), after (a cursor),
// fields; each item with its retailer_id, name, price (formatted), currency, gtin, availability,
// visibility, retailer_product_group_id and its variant fields.
func (f facebookFace) products(w http.ResponseWriter, r *http.Request, sh *Shop) {
	if r.PathValue("node") != sh.cfg.Credentials.Extra["catalog_id"] {
		fbNoObject(w, r.PathValue("node"))
		return
	}
	q := r.URL.Query()
	limit := 25
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fbBadParam(w, "Param limit must be a positive integer")
			return
		}
		limit = n
	}
	offset := 0
	if a := q.Get("after"); a != "" {
		raw, err := base64.RawURLEncoding.DecodeString(a)
		n, cerr := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || cerr != nil || n < 0 {
			fbBadParam(w, "Invalid cursor")
			return
		}
		offset = n
	}
	fields, ok := fbProductFields(w, q.Get("fields"))
	if !ok {
		return
	}
	all := sh.catalogListings()
	got, next := page(all, offset, sh.pageSize(limit, 100))
	data := make([]map[string]any, len(got))
	for i, l := range got {
		vis, avail := "published", "in stock"
		if l.Inactive {
			vis = "staging"
		}
		it := map[string]any{
			"id": "2082596341" + fmt.Sprint(7000000+offset+i), "retailer_id": l.ID, "name": l.Name,
			"price": fbPrice(l.Price, sh.cfg.Currency), "currency": sh.cfg.Currency,
			"availability": avail, "visibility": vis, "retailer_product_group_id": l.Attrs["item_group_id"],
		}
		if l.Barcode != "" {
			it["gtin"] = l.Barcode
		}
		extra := map[string]string{}
		for _, o := range l.Options {
			if field, ok := fbOptionFields[strings.ToLower(o.Name)]; ok {
				it[field] = o.Value
			} else {
				extra[o.Name] = o.Value
			}
		}
		if len(extra) > 0 {
			it["additional_variant_attributes"] = extra
		}
		data[i] = fbOnly(it, fields)
	}
	cursor := func(n int) string { return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(n))) }
	paging := map[string]any{"cursors": map[string]string{"before": cursor(offset), "after": cursor(offset + len(got))}}
	if next >= 0 {
		paging["next"] = fmt.Sprintf("https://graph.facebook.com/%s/%s/products?limit=%d&after=%s", r.PathValue("version"), r.PathValue("node"), limit, cursor(next))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "paging": paging})
}

// fbProductItemFields are the ProductItem fields the simulator knows; Graph refuses others.
var fbProductItemFields = map[string]bool{
	"id": true, "retailer_id": true, "name": true, "price": true, "currency": true, "gtin": true, "availability": true,
	"visibility": true, "retailer_product_group_id": true, "color": true, "size": true, "pattern": true, "material": true,
	"gender": true, "additional_variant_attributes": true, "description": true, "url": true, "image_url": true,
	"sale_price": true, "brand": true, "condition": true, "inventory": true, "product_group": true,
}

// fbProductFields reads the fields parameter: Graph returns only id without one, and only the
// fields asked with one.
func fbProductFields(w http.ResponseWriter, param string) (map[string]bool, bool) {
	out := map[string]bool{"id": true}
	for _, f := range split(param) {
		if !fbProductItemFields[f] {
			fbBadParam(w, fmt.Sprintf("Tried accessing nonexisting field (%s) on node type (ProductItem)", f))
			return nil, false
		}
		out[f] = true
	}
	return out, true
}

// fbOnly keeps the fields asked of an item.
func fbOnly(it map[string]any, fields map[string]bool) map[string]any {
	for k := range it {
		if !fields[k] {
			delete(it, k)
		}
	}
	return it
}
