package shopee

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// The product API paths the catalogue reads.
const (
	PathItemList     = "/api/v2/product/get_item_list"
	PathItemBaseInfo = "/api/v2/product/get_item_base_info"
	PathModelList    = "/api/v2/product/get_model_list"
)

// catalogPage is how many items a catalogue page asks for (get_item_base_info takes 50 ids).
const catalogPage = 50

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: get_item_list of NORMAL items from the offset in
// cursor, get_item_base_info of the page's items, and get_model_list for each item that has models.
// An item without models is one listing (model 0, item_sku); an item with models is one listing per
// model (model_sku, its tier_variation options).
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	offset := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return channels.CatalogPage{}, channels.Refused("shopee: catalog cursor %q is not an offset", cursor)
		}
		offset = n
	}
	raw, err := c.call(ctx, http.MethodGet, PathItemList, neturl.Values{
		"offset": {strconv.Itoa(offset)}, "page_size": {strconv.Itoa(catalogPage)}, "item_status": {"NORMAL"},
	}, nil)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	ids, next, err := parseItemList(raw)
	if err != nil || len(ids) == 0 {
		return channels.CatalogPage{Next: next}, err
	}
	raw, err = c.call(ctx, http.MethodGet, PathItemBaseInfo, neturl.Values{"item_id_list": {strings.Join(ids, ",")}}, nil)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	items, err := parseBaseInfo(raw)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	var out []channels.CatalogItem
	for _, it := range items {
		if !it.HasModel {
			out = append(out, it.single())
			continue
		}
		raw, err := c.call(ctx, http.MethodGet, PathModelList, neturl.Values{"item_id": {it.ItemID.String()}}, nil)
		if err != nil {
			return channels.CatalogPage{}, err
		}
		models, err := parseModelList(it, raw)
		if err != nil {
			return channels.CatalogPage{}, err
		}
		out = append(out, models...)
	}
	return channels.CatalogPage{Items: out, Next: next}, nil
}

// parseItemList reads get_item_list's item ids and the next offset ("" on the last page).
func parseItemList(raw json.RawMessage) ([]string, string, error) {
	var r struct {
		Item []struct {
			ItemID text `json:"item_id"`
		} `json:"item"`
		HasNextPage flag `json:"has_next_page"`
		NextOffset  text `json:"next_offset"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, "", fmt.Errorf("shopee: get_item_list: %w", err)
	}
	var ids []string
	for _, it := range r.Item {
		if id := it.ItemID.String(); id != "" {
			ids = append(ids, id)
		}
	}
	next := ""
	if r.HasNextPage {
		n, err := r.NextOffset.Int()
		if err != nil || n <= 0 {
			return nil, "", channels.Refused("shopee: get_item_list: has_next_page with next_offset %q", r.NextOffset)
		}
		next = strconv.FormatInt(n, 10)
	}
	return ids, next, nil
}

// catalogPrice is one of price_info's entries.
type catalogPrice struct {
	Currency     text `json:"currency"`
	CurrentPrice text `json:"current_price"`
}

// minor reads the first price in minor units; a price it cannot read is 0 in no currency.
func minor(ps []catalogPrice) (int64, string) {
	if len(ps) == 0 {
		return 0, ""
	}
	cur := strings.ToUpper(ps[0].Currency.String())
	exp, err := channels.Exponent(cur)
	if err != nil {
		return 0, ""
	}
	n, err := channels.RoundMinor(ps[0].CurrentPrice.String(), exp)
	if err != nil {
		return 0, ""
	}
	return n, cur
}

// baseItem is one item of get_item_base_info.
type baseItem struct {
	ItemID     text           `json:"item_id"`
	ItemName   text           `json:"item_name"`
	ItemSKU    text           `json:"item_sku"`
	ItemStatus text           `json:"item_status"`
	HasModel   flag           `json:"has_model"`
	GTIN       text           `json:"gtin_code"`
	PriceInfo  []catalogPrice `json:"price_info"`
}

func parseBaseInfo(raw json.RawMessage) ([]baseItem, error) {
	var r struct {
		ItemList []baseItem `json:"item_list"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, fmt.Errorf("shopee: get_item_base_info: %w", err)
	}
	var out []baseItem
	for _, it := range r.ItemList {
		if it.ItemID.String() != "" {
			out = append(out, it)
		}
	}
	return out, nil
}

// gtin reads a gtin_code; Shopee writes "00" or "-" for none.
func gtin(t text) string {
	s := t.String()
	if strings.Trim(s, "0-") == "" {
		return ""
	}
	return s
}

// single is an item without models as one listing.
func (it baseItem) single() channels.CatalogItem {
	id := it.ItemID.String()
	price, cur := minor(it.PriceInfo)
	return channels.CatalogItem{
		ListingID: ListingID(id, "0"), Attrs: map[string]string{"item_id": id, "model_id": "0"},
		SellerSKU: string(it.ItemSKU), Barcode: gtin(it.GTIN), Title: it.ItemName.String(),
		Price: price, Currency: cur, Active: it.ItemStatus.String() == "NORMAL",
	}
}

// parseModelList reads get_model_list into the item's listings, one per model.
func parseModelList(it baseItem, raw json.RawMessage) ([]channels.CatalogItem, error) {
	var r struct {
		TierVariation []struct {
			Name       text `json:"name"`
			OptionList []struct {
				Option text `json:"option"`
			} `json:"option_list"`
		} `json:"tier_variation"`
		Model []struct {
			ModelID     text           `json:"model_id"`
			ModelSKU    text           `json:"model_sku"`
			ModelStatus text           `json:"model_status"`
			TierIndex   []int          `json:"tier_index"`
			GTIN        text           `json:"gtin_code"`
			PriceInfo   []catalogPrice `json:"price_info"`
		} `json:"model"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, fmt.Errorf("shopee: get_model_list %s: %w", it.ItemID, err)
	}
	item := it.ItemID.String()
	out := make([]channels.CatalogItem, 0, len(r.Model))
	for _, m := range r.Model {
		model := m.ModelID.String()
		if model == "" {
			continue
		}
		options := map[string]string{}
		var values []string
		for j, ti := range m.TierIndex {
			if j >= len(r.TierVariation) || ti < 0 || ti >= len(r.TierVariation[j].OptionList) {
				continue // an index the tiers do not have: leave the option out
			}
			v := r.TierVariation[j].OptionList[ti].Option.String()
			options[r.TierVariation[j].Name.String()] = v
			values = append(values, v)
		}
		title := it.ItemName.String()
		if len(values) > 0 {
			title += " / " + strings.Join(values, " / ")
		}
		price, cur := minor(m.PriceInfo)
		out = append(out, channels.CatalogItem{
			ListingID: ListingID(item, model), Attrs: map[string]string{"item_id": item, "model_id": model},
			SellerSKU: string(m.ModelSKU), Barcode: gtin(m.GTIN), Title: title, Options: options,
			Price: price, Currency: cur,
			Active: it.ItemStatus.String() == "NORMAL" && (m.ModelStatus == "" || m.ModelStatus.String() == "MODEL_NORMAL"),
		})
	}
	return out, nil
}
