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
		data[i] = it
	}
	cursor := func(n int) string { return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(n))) }
	paging := map[string]any{"cursors": map[string]string{"before": cursor(offset), "after": cursor(offset + len(got))}}
	if next >= 0 {
		paging["next"] = fmt.Sprintf("https://graph.facebook.com/%s/%s/products?limit=%d&after=%s", r.PathValue("version"), r.PathValue("node"), limit, cursor(next))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "paging": paging})
}
