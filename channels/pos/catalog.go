package pos

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// The catalog API paths the catalogue reads.
const (
	PathListCatalog     = "/v2/catalog/list"
	PathBatchRetrieveCO = "/v2/catalog/batch-retrieve"
)

var _ channels.CatalogReader = (*Client)(nil)

// Catalog implements channels.CatalogReader: ListCatalog of ITEM objects (cursor is Square's), and
// when their variations name item option values, one BatchRetrieveCatalogObjects of the
// ITEM_OPTIONs they point to, for the options' names and values. Every ITEM_VARIATION is a listing:
// ListingID its object id (as inventory changes use), Attrs item_id.
func (c *Client) Catalog(ctx context.Context, cursor string) (channels.CatalogPage, error) {
	q := url.Values{"types": {"ITEM"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	body, err := c.call(ctx, http.MethodGet, PathListCatalog+"?"+q.Encode(), nil)
	if err != nil {
		return channels.CatalogPage{}, err
	}
	var page catalogList
	if err := decode(body, &page); err != nil {
		return channels.CatalogPage{}, fmt.Errorf("pos: %s: %w", PathListCatalog, err)
	}
	var optionIDs []string
	seen := map[string]bool{}
	for _, o := range page.Objects {
		for _, v := range o.ItemData.Variations {
			for _, ov := range v.Data.OptionValues {
				if id := ov.OptionID.String(); id != "" && !seen[id] && len(optionIDs) < 1000 {
					seen[id] = true
					optionIDs = append(optionIDs, id)
				}
			}
		}
	}
	var options []catalogObject
	if len(optionIDs) > 0 {
		body, err := c.call(ctx, http.MethodPost, PathBatchRetrieveCO, map[string]any{"object_ids": optionIDs})
		if err != nil {
			return channels.CatalogPage{}, err
		}
		var got catalogList
		if err := decode(body, &got); err != nil {
			return channels.CatalogPage{}, fmt.Errorf("pos: %s: %w", PathBatchRetrieveCO, err)
		}
		options = got.Objects
	}
	return channels.CatalogPage{Items: catalogItems(page.Objects, options), Next: page.Cursor.String()}, nil
}

// catalogList is ListCatalog's and BatchRetrieveCatalogObjects' answer.
type catalogList struct {
	Objects []catalogObject `json:"objects"`
	Cursor  scalar          `json:"cursor"`
}

// catalogObject is the part of a CatalogObject the catalogue reads: an ITEM and its variations, or
// an ITEM_OPTION and its values.
type catalogObject struct {
	Type      scalar `json:"type"`
	ID        scalar `json:"id"`
	IsDeleted scalar `json:"is_deleted"`
	ItemData  struct {
		Name       scalar `json:"name"`
		Variations []struct {
			ID        scalar `json:"id"`
			IsDeleted scalar `json:"is_deleted"`
			Data      struct {
				Name     scalar `json:"name"`
				SKU      scalar `json:"sku"`
				UPC      scalar `json:"upc"`
				Sellable scalar `json:"sellable"`
				Price    struct {
					Amount   scalar `json:"amount"`
					Currency scalar `json:"currency"`
				} `json:"price_money"`
				OptionValues []struct {
					OptionID scalar `json:"item_option_id"`
					ValueID  scalar `json:"item_option_value_id"`
				} `json:"item_option_values"`
			} `json:"item_variation_data"`
		} `json:"variations"`
	} `json:"item_data"`
	OptionData struct {
		Name   scalar `json:"name"`
		Values []struct {
			ID   scalar `json:"id"`
			Data struct {
				Name scalar `json:"name"`
			} `json:"item_option_value_data"`
		} `json:"values"`
	} `json:"item_option_data"`
}

// catalogItems turns ITEM objects into listings, one per variation, naming their option values by
// the ITEM_OPTION objects in options (a value options do not have is left out).
func catalogItems(items, options []catalogObject) []channels.CatalogItem {
	type named struct{ option, value string }
	values := map[string]named{}
	for _, o := range options {
		if o.Type.String() != "ITEM_OPTION" {
			continue
		}
		for _, v := range o.OptionData.Values {
			values[v.ID.String()] = named{o.OptionData.Name.String(), v.Data.Name.String()}
		}
	}
	var out []channels.CatalogItem
	for _, o := range items {
		if o.Type.String() != "ITEM" {
			continue
		}
		item := o.ID.String()
		for _, v := range o.ItemData.Variations {
			id := v.ID.String()
			if id == "" {
				continue
			}
			title := o.ItemData.Name.String()
			if n := v.Data.Name.String(); n != "" && n != "Regular" {
				title += " / " + n
			}
			it := channels.CatalogItem{
				ListingID: id, Attrs: map[string]string{"item_id": item},
				SellerSKU: string(v.Data.SKU), Barcode: v.Data.UPC.String(), Title: title,
				Active: !o.IsDeleted.Truthy() && !v.IsDeleted.Truthy() && v.Data.Sellable.String() != "false",
			}
			for _, ov := range v.Data.OptionValues {
				if n, ok := values[ov.ValueID.String()]; ok && n.option != "" {
					if it.Options == nil {
						it.Options = map[string]string{}
					}
					it.Options[n.option] = n.value
				}
			}
			cur := strings.ToUpper(v.Data.Price.Currency.String())
			if _, err := channels.Exponent(cur); err == nil {
				if n, err := v.Data.Price.Amount.Int(); err == nil {
					it.Price, it.Currency = n, cur
				}
			}
			out = append(out, it)
		}
	}
	return out
}
