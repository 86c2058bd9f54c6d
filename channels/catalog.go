package channels

import "context"

// CatalogItem is one sellable listing (a variant, a model, a SKU) in a channel's catalogue, as the
// channel lists it.
type CatalogItem struct {
	// ListingID is the listing's id in the form Line.ListingID and StockLevel.ListingID use, and
	// Attrs its other keys that stock pushes need (inventory item, item and model ids…).
	ListingID string
	Attrs     map[string]string
	// SellerSKU is the SKU the seller gave it on the channel (Shopify variant sku, Shopee
	// model_sku or item_sku, Lazada SellerSku, TikTok seller_sku, Meta retailer_id, Square sku).
	SellerSKU string
	// Barcode is the GTIN/EAN/UPC when the channel keeps one.
	Barcode string
	// Title is the product's title with the variant's name.
	Title string
	// Options are the variant's option values (Color → Red, Size → M).
	Options map[string]string
	// Price is in minor units of Currency.
	Price    int64
	Currency string
	// ComponentSKUs are a bundle listing's parts (SKU × quantity as "SKU*2"), when the channel says.
	ComponentSKUs []string
	// Active is false for a listing the seller unlisted or deleted.
	Active bool
}

// CatalogPage is one page of a channel's catalogue.
type CatalogPage struct {
	Items []CatalogItem
	// Next continues the listing; empty when this page is the last.
	Next string
}

// CatalogReader is implemented by connectors that can list the shop's catalogue (all six):
// Shopify products and their variants, Shopee items and their models, Lazada products and their
// SKUs, TikTok Shop products and their SKUs, a Meta catalog's items, Square catalog items and
// their variations. Paging is the channel's own; cursor is the previous page's Next, empty first.
type CatalogReader interface {
	Catalog(ctx context.Context, cursor string) (CatalogPage, error)
}
