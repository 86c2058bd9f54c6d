package marketsim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
)

// catalogRoutes registers Search Products (POST products/search: page_size up to 100, page_token,
// a status filter in the body) and Get Product (a product's skus with their sales_attributes and
// identifier_code).
func (f tiktokShopFace) catalogRoutes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("POST /product/202309/products/search", f.auth(sh, f.searchProducts))
	mux.HandleFunc("GET /product/202309/products/{product_id}", f.auth(sh, f.getProduct))
}

// ttsProductStatus is a product's status: SELLER_DEACTIVATED once all its SKUs are.
func ttsProductStatus(p catalogProduct) string {
	for _, l := range p.Listings {
		if !l.Inactive {
			return "ACTIVATE"
		}
	}
	return "SELLER_DEACTIVATED"
}

func (f tiktokShopFace) searchProducts(w http.ResponseWriter, r *http.Request, sh *Shop, body []byte) {
	q := r.URL.Query()
	size, err := strconv.Atoi(q.Get("page_size"))
	if err != nil || size < 1 || size > 100 {
		f.fail(w, ttsInvalid, "Invalid page_size. The value must be between 1 and 100.")
		return
	}
	offset := 0
	if tok := q.Get("page_token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if n, cerr := strconv.Atoi(string(raw)); err != nil || cerr != nil || n < 0 {
			f.fail(w, ttsInvalid, "Invalid page_token.")
			return
		} else {
			offset = n
		}
	}
	var filter struct {
		Status string `json:"status"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &filter); err != nil {
			f.fail(w, ttsInvalid, "invalid param error")
			return
		}
	}
	var all []catalogProduct
	for _, p := range sh.catalog() {
		if filter.Status == "" || filter.Status == "ALL" || filter.Status == ttsProductStatus(p) {
			all = append(all, p)
		}
	}
	got, next := page(all, offset, sh.pageSize(size, 100))
	products := make([]map[string]any, len(got))
	for i, p := range got {
		skus := make([]map[string]any, len(p.Listings))
		for j, l := range p.Listings {
			skus[j] = map[string]any{
				"id": l.ID, "seller_sku": l.ChannelSKU(),
				"price":     map[string]any{"currency": sh.cfg.Currency, "tax_exclusive_price": decimal(l.Price, sh.cfg.Currency)},
				"inventory": []map[string]any{{"warehouse_id": sh.cfg.Credentials.Extra["warehouse_id"], "quantity": 0}},
			}
		}
		products[i] = map[string]any{"id": p.ID, "title": p.Title(), "status": ttsProductStatus(p), "skus": skus,
			"create_time": 1700000000, "update_time": sh.sim.now().Unix(), "sales_regions": []string{"TH"}}
	}
	token := ""
	if next >= 0 {
		token = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(next)))
	}
	f.ok(w, map[string]any{"products": products, "next_page_token": token, "total_count": len(all)})
}

func (f tiktokShopFace) getProduct(w http.ResponseWriter, r *http.Request, sh *Shop, _ []byte) {
	if p, ok := sh.catalogProduct(r.PathValue("product_id")); ok {
		skus := make([]map[string]any, len(p.Listings))
		for j, l := range p.Listings {
			attrs := make([]map[string]any, len(l.Options))
			for k, o := range l.Options {
				attrs[k] = map[string]any{"id": strconv.Itoa(100000 + k), "name": o.Name, "value_id": strconv.Itoa(7000000 + j*10 + k), "value_name": o.Value}
			}
			price := decimal(l.Price, sh.cfg.Currency)
			s := map[string]any{
				"id": l.ID, "seller_sku": l.ChannelSKU(), "sales_attributes": attrs,
				"price":     map[string]any{"currency": sh.cfg.Currency, "sale_price": price, "tax_exclusive_price": price},
				"inventory": []map[string]any{{"warehouse_id": sh.cfg.Credentials.Extra["warehouse_id"], "quantity": 0}},
			}
			if l.Barcode != "" {
				s["identifier_code"] = map[string]any{"code": l.Barcode, "type": "GTIN"}
			}
			skus[j] = s
		}
		f.ok(w, map[string]any{"id": p.ID, "title": p.Title(), "status": ttsProductStatus(p), "skus": skus,
			"create_time": 1700000000, "update_time": sh.sim.now().Unix()})
		return
	}
	f.fail(w, 12052700, "Product does not exist.")
}
