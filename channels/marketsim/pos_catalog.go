package marketsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// catalogRoutes registers ListCatalog (types, cursor; ITEM objects with their variations, and the
// ITEM_OPTION objects their option values point to) and BatchRetrieveCatalogObjects.
func (f posFace) catalogRoutes(mux *http.ServeMux, sh *Shop) {
	mux.HandleFunc("GET /v2/catalog/list", f.auth(sh, f.listCatalog))
	mux.HandleFunc("POST /v2/catalog/batch-retrieve", f.auth(sh, f.batchRetrieveCatalog))
}

func posOptionID(sh *Shop, name string) string {
	return squareID(sh.cfg.ShopID+"/option/"+strings.ToLower(name), 24)
}

func posOptionValueID(sh *Shop, name, value string) string {
	return squareID(sh.cfg.ShopID+"/option/"+strings.ToLower(name)+"/"+value, 24)
}

// posOptions are the shop's ITEM_OPTION objects: one per option name its listings use.
func (f posFace) posOptions(sh *Shop) []map[string]any {
	var names []string
	values := map[string][]string{}
	for _, p := range sh.catalog() {
		for _, l := range p.Listings {
			for _, o := range l.Options {
				key := strings.ToLower(o.Name)
				if _, ok := values[key]; !ok {
					names = append(names, o.Name)
				}
				if !contains(values[key], o.Value) {
					values[key] = append(values[key], o.Value)
				}
			}
		}
	}
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		id := posOptionID(sh, n)
		var vs []map[string]any
		for i, v := range values[strings.ToLower(n)] {
			vs = append(vs, map[string]any{"type": "ITEM_OPTION_VAL", "id": posOptionValueID(sh, n, v), "version": 1,
				"item_option_value_data": map[string]any{"item_option_id": id, "name": v, "ordinal": i}})
		}
		out = append(out, map[string]any{"type": "ITEM_OPTION", "id": id, "version": 1, "is_deleted": false,
			"present_at_all_locations": true, "item_option_data": map[string]any{"name": n, "display_name": n, "show_colors": false, "values": vs}})
	}
	return out
}

// posItem renders a product as an ITEM object with its variations.
func (posFace) posItem(sh *Shop, p catalogProduct) map[string]any {
	var variations []map[string]any
	for i, l := range p.Listings {
		vd := map[string]any{
			"item_id": p.ID, "name": orDefault(strings.ReplaceAll(variantTitle(l), " / ", ", "), "Regular"), "ordinal": i,
			"pricing_type": "FIXED_PRICING", "price_money": map[string]any{"amount": l.Price, "currency": sh.cfg.Currency},
			"sellable": !l.Inactive, "stockable": true,
		}
		if sku := l.ChannelSKU(); sku != "" {
			vd["sku"] = sku
		}
		if l.Barcode != "" {
			vd["upc"] = l.Barcode
		}
		var ovs []map[string]string
		for _, o := range l.Options {
			ovs = append(ovs, map[string]string{"item_option_id": posOptionID(sh, o.Name), "item_option_value_id": posOptionValueID(sh, o.Name, o.Value)})
		}
		if len(ovs) > 0 {
			vd["item_option_values"] = ovs
		}
		variations = append(variations, map[string]any{"type": "ITEM_VARIATION", "id": l.ID, "version": 1, "is_deleted": false,
			"present_at_all_locations": true, "item_variation_data": vd})
	}
	data := map[string]any{"name": p.Title(), "variations": variations, "product_type": "REGULAR"}
	var opts []map[string]string
	for _, n := range p.OptionNames() {
		opts = append(opts, map[string]string{"item_option_id": posOptionID(sh, n)})
	}
	if len(opts) > 0 {
		data["item_options"] = opts
	}
	return map[string]any{"type": "ITEM", "id": p.ID, "version": 1, "is_deleted": false,
		"present_at_all_locations": true, "item_data": data}
}

// listCatalog is GET /v2/catalog/list: the objects of the types asked (all when none), a page at a
// time (100 at most; the cursor is opaque).
func (f posFace) listCatalog(w http.ResponseWriter, r *http.Request, sh *Shop) {
	q := r.URL.Query()
	types := map[string]bool{}
	for _, t := range split(q.Get("types")) {
		types[strings.ToUpper(t)] = true
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "CAT"))
		if err != nil || n < 0 || !strings.HasPrefix(c, "CAT") {
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"category": "INVALID_REQUEST_ERROR", "code": "INVALID_CURSOR", "detail": "Invalid cursor", "field": "cursor"}}})
			return
		}
		offset = n
	}
	// The objects are the ITEM_OPTIONs, then the ITEMs; only the page's are rendered.
	var options []map[string]any
	if len(types) == 0 || types["ITEM_OPTION"] {
		options = f.posOptions(sh)
	}
	var products []catalogProduct
	if len(types) == 0 || types["ITEM"] {
		products = sh.catalog()
	}
	all := make([]int, len(options)+len(products))
	for i := range all {
		all[i] = i
	}
	at, next := page(all, offset, sh.pageSize(100, 100))
	got := make([]map[string]any, len(at))
	for i, k := range at {
		if k < len(options) {
			got[i] = options[k]
		} else {
			got[i] = f.posItem(sh, products[k-len(options)])
		}
	}
	body := map[string]any{"objects": got}
	if len(got) == 0 {
		body = map[string]any{}
	}
	if next >= 0 {
		body["cursor"] = "CAT" + strconv.Itoa(next)
	}
	writeJSON(w, http.StatusOK, body)
}

// batchRetrieveCatalog is POST /v2/catalog/batch-retrieve: the objects of object_ids (up to 1000)
// that exist.
func (f posFace) batchRetrieveCatalog(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		ObjectIDs []string `json:"object_ids"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil || len(in.ObjectIDs) == 0 || len(in.ObjectIDs) > 1000 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"category": "INVALID_REQUEST_ERROR", "code": "INVALID_VALUE", "detail": "object_ids must hold 1 to 1000 ids", "field": "object_ids"}}})
		return
	}
	options := map[string]map[string]any{}
	for _, o := range f.posOptions(sh) {
		options[o["id"].(string)] = o
	}
	out := []map[string]any{}
	for _, id := range in.ObjectIDs {
		if o, ok := options[id]; ok {
			out = append(out, o)
		} else if p, ok := sh.catalogProduct(id); ok {
			out = append(out, f.posItem(sh, p))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"objects": out})
}
