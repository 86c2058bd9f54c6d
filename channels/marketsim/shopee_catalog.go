package marketsim

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/ordo-oms/ordo/channels/shopee"
)

// catalogRoutes registers v2.product.get_item_list (offset paging, item_status filter),
// get_item_base_info (up to 50 item ids) and get_model_list (one item's tier variations and models).
func (f shopeeFace) catalogRoutes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET "+shopee.PathItemList, f.auth(sh, f.itemList))
	mux.HandleFunc("GET "+shopee.PathItemBaseInfo, f.auth(sh, f.itemBaseInfo))
	mux.HandleFunc("GET "+shopee.PathModelList, f.auth(sh, f.modelList))
}

// shopeeItemStatus is an item's status: UNLIST once all its models are unlisted.
func shopeeItemStatus(p catalogProduct) string {
	for _, l := range p.Listings {
		if !l.Inactive {
			return "NORMAL"
		}
	}
	return "UNLIST"
}

func (shopeeFace) itemList(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	offset, oerr := strconv.Atoi(q.Get("offset"))
	size, serr := strconv.Atoi(q.Get("page_size"))
	statuses := map[string]bool{}
	for _, s := range q["item_status"] {
		for _, v := range split(s) {
			statuses[v] = true
		}
	}
	switch {
	case oerr != nil || offset < 0:
		shopeeFail(w, "error_param", "Wrong parameters, detail: offset is invalid.")
		return
	case serr != nil || size < 1 || size > 100:
		shopeeFail(w, "error_param", "Wrong parameters, detail: page_size must be between 1 and 100.")
		return
	case len(statuses) == 0:
		shopeeFail(w, "error_param", "Wrong parameters, detail: item_status is required.")
		return
	}
	var all []catalogProduct
	for _, p := range sh.catalog() {
		if statuses[shopeeItemStatus(p)] {
			all = append(all, p)
		}
	}
	got, next := page(all, offset, sh.pageSize(size, 100))
	items := make([]map[string]any, len(got))
	for i, p := range got {
		items[i] = map[string]any{"item_id": json.Number(p.ID), "item_status": shopeeItemStatus(p), "update_time": sh.sim.now().Unix()}
	}
	resp := map[string]any{"item": items, "total_count": len(all), "has_next_page": next >= 0}
	if next >= 0 {
		resp["next_offset"] = next
	}
	shopeeOK(w, resp)
}

func shopeeHasModel(p catalogProduct) bool { return len(p.Listings[0].Options) > 0 }

func (shopeeFace) itemBaseInfo(w http.ResponseWriter, r *http.Request, sh *Shop) {
	ids := split(r.URL.Query().Get("item_id_list"))
	if len(ids) == 0 || len(ids) > 50 {
		shopeeFail(w, "error_param", "Wrong parameters, detail: item_id_list must hold 1 to 50 item_id.")
		return
	}
	list := []map[string]any{}
	for _, id := range ids {
		p, ok := sh.catalogProduct(id)
		if !ok {
			continue // Shopee leaves out the ids it does not know
		}
		l := p.Listings[0]
		it := map[string]any{
			"item_id": json.Number(p.ID), "category_id": 100017, "item_name": p.Title(), "item_status": shopeeItemStatus(p),
			"has_model": shopeeHasModel(p), "item_sku": "", "create_time": 1700000000, "update_time": sh.sim.now().Unix(),
			"condition": "NEW", "item_dangerous": 0,
		}
		if !shopeeHasModel(p) {
			it["item_sku"] = l.ChannelSKU()
			it["price_info"] = []map[string]any{{"currency": sh.cfg.Currency, "original_price": shopeeMoney(l.Price, sh.cfg.Currency), "current_price": shopeeMoney(l.Price, sh.cfg.Currency)}}
			if l.Barcode != "" {
				it["gtin_code"] = l.Barcode
			}
		}
		list = append(list, it)
	}
	shopeeOK(w, map[string]any{"item_list": list})
}

func (shopeeFace) modelList(w http.ResponseWriter, r *http.Request, sh *Shop) {
	p, ok := sh.catalogProduct(r.URL.Query().Get("item_id"))
	if !ok {
		shopeeFail(w, "product.error_item_not_found", "Item not found.")
		return
	}
	if !shopeeHasModel(p) {
		shopeeOK(w, map[string]any{"tier_variation": []any{}, "model": []any{}})
		return
	}
	names := p.OptionNames()
	tiers := make([]map[string]any, len(names))
	index := make([]map[string]int, len(names))
	for i, n := range names {
		index[i] = map[string]int{}
		var opts []map[string]any
		for _, l := range p.Listings {
			v := l.Options[i].Value
			if _, seen := index[i][v]; !seen {
				index[i][v] = len(opts)
				opts = append(opts, map[string]any{"option": v})
			}
		}
		tiers[i] = map[string]any{"name": n, "option_list": opts}
	}
	models := make([]map[string]any, len(p.Listings))
	for i, l := range p.Listings {
		tier := make([]int, len(names))
		for j := range names {
			tier[j] = index[j][l.Options[j].Value]
		}
		status := "MODEL_NORMAL"
		if l.Inactive {
			status = "MODEL_UNAVAILABLE"
		}
		price := shopeeMoney(l.Price, sh.cfg.Currency)
		models[i] = map[string]any{
			"model_id": json.Number(l.Attrs["model_id"]), "model_sku": l.ChannelSKU(), "model_status": status, "tier_index": tier,
			"price_info": []map[string]any{{"currency": sh.cfg.Currency, "current_price": price, "original_price": price}},
			"weight":     "0.2",
			"pre_order":  map[string]any{"is_pre_order": false, "days_to_ship": 2},
		}
		if l.Barcode != "" {
			models[i]["gtin_code"] = l.Barcode
		}
	}
	shopeeOK(w, map[string]any{"tier_variation": tiers, "model": models})
}
