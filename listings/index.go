package listings

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/product"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
)

// loadPage bounds each query that builds an index.
const loadPage = 1000

// LoadIndex reads every variant (with its product's name and a bundle's components) in pages of
// loadPage and indexes them: once per import, never per listing.
func LoadIndex(ctx context.Context, db *ent.Client) (*Index, error) {
	products := map[pulid.ID]string{}
	for after := pulid.ID(""); ; {
		ps, err := db.Product.Query().Where(product.IDGT(after)).Order(product.ByID()).Limit(loadPage).
			Select(product.FieldID, product.FieldName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load products: %w", err)
		}
		for _, p := range ps {
			products[p.ID] = p.Name
		}
		if len(ps) < loadPage {
			break
		}
		after = ps[len(ps)-1].ID
	}
	var vs []Variant
	skus := map[pulid.ID]string{}
	for after := pulid.ID(""); ; {
		page, err := db.Variant.Query().Where(variant.IDGT(after)).Order(variant.ByID()).Limit(loadPage).
			Select(variant.FieldID, variant.FieldSku, variant.FieldName, variant.FieldBarcode, variant.FieldProductID, variant.FieldOptions).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load variants: %w", err)
		}
		for _, v := range page {
			skus[v.ID] = v.Sku
			vs = append(vs, Variant{ID: v.ID, SKU: v.Sku, Name: v.Name, Barcode: v.Barcode, ProductID: v.ProductID,
				ProductName: products[v.ProductID], Options: v.Options})
		}
		if len(page) < loadPage {
			break
		}
		after = page[len(page)-1].ID
	}
	parts := map[pulid.ID]map[string]int{}
	for after := pulid.ID(""); ; {
		page, err := db.BundleComponent.Query().Where(bundlecomponent.IDGT(after)).Order(bundlecomponent.ByID()).Limit(loadPage).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load bundles: %w", err)
		}
		for _, c := range page {
			if parts[c.BundleID] == nil {
				parts[c.BundleID] = map[string]int{}
			}
			parts[c.BundleID][skus[c.ComponentID]] += c.Quantity
		}
		if len(page) < loadPage {
			break
		}
		after = page[len(page)-1].ID
	}
	for i := range vs {
		vs[i].Components = parts[vs[i].ID]
	}
	return NewIndex(vs), nil
}
