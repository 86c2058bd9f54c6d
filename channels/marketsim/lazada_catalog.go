package marketsim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// products is /products/get: filter (live, inactive, all…), offset and limit (1 to 50); each
// product with its attributes and skus[] (SkuId, SellerSku, ShopSku, price, Status, the sale
// properties under saleProp and barcode_ean [U: the barcode field's name is not in our records]).
func (f lazadaFace) products(w http.ResponseWriter, p map[string]string, sh *Shop) {
	offset, oerr := strconv.Atoi(orDefault(p["offset"], "0"))
	limit, lerr := strconv.Atoi(orDefault(p["limit"], "10"))
	filter := p["filter"]
	switch {
	case oerr != nil || offset < 0:
		f.fail(w, sh, "InvalidParameter", "Invalid offset")
		return
	case lerr != nil || limit < 1 || limit > 50:
		f.fail(w, sh, "InvalidParameter", "Invalid limit, should be between 1 and 50")
		return
	case filter != "all" && filter != "live" && filter != "inactive":
		f.fail(w, sh, "MissingParameter", "The input parameter filter is missing or invalid")
		return
	}
	var all []catalogProduct
	for _, pr := range sh.catalog() {
		live := false
		for _, l := range pr.Listings {
			live = live || !l.Inactive
		}
		if filter == "all" || filter == "live" && live || filter == "inactive" && !live {
			all = append(all, pr)
		}
	}
	got, _ := page(all, offset, sh.pageSize(limit, 50))
	products := make([]map[string]any, len(got))
	for i, pr := range got {
		skus := make([]map[string]any, len(pr.Listings))
		status := "InActive"
		for j, l := range pr.Listings {
			st := "active"
			if l.Inactive {
				st = "inactive"
			} else {
				status = "Active"
			}
			props := map[string]string{}
			s := map[string]any{
				"Status": st, "quantity": 0, "SellerSku": l.ChannelSKU(), "ShopSku": pr.ID + "_TH-" + l.ID,
				"SkuId": json.Number(l.ID), "price": json.Number(decimal(l.Price, sh.cfg.Currency)), "special_price": 0,
				"package_weight": "0.2", "Available": 0, "Url": "https://www.lazada.co.th/products/i" + pr.ID + "-s" + l.ID + ".html",
			}
			for _, o := range l.Options {
				props[o.Name] = o.Value
				s[o.Name] = o.Value
			}
			s["saleProp"] = props
			if l.Barcode != "" {
				s["barcode_ean"] = l.Barcode
			}
			skus[j] = s
		}
		products[i] = map[string]any{
			"item_id": json.Number(pr.ID), "primary_category": 10000207, "status": status,
			"attributes": map[string]any{"name": pr.Title(), "brand": "No Brand"},
			"skus":       skus, "created_time": "1611554725000", "updated_time": "1611554725000",
		}
	}
	f.ok(w, sh, map[string]any{"total_products": len(all), "products": products})
}
