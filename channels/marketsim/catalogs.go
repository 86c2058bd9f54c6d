package marketsim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// CatalogProduct is a product of Ordo's catalogue as a test plants it on a channel (CatalogFor).
type CatalogProduct struct {
	Title string
	// Options are the product's option names in order (Color, Size); none for a product that
	// comes in one variant.
	Options  []string
	Variants []CatalogVariant
}

// CatalogVariant is one variant of a CatalogProduct and how it is listed.
type CatalogVariant struct {
	SKU     string // Ordo's
	Barcode string
	// Values are its option values, one per product option.
	Values []string
	Price  int64
	Plant  Plant
}

// CatalogBundle is a bundle listing: one seller SKU standing for several of Ordo's SKUs.
type CatalogBundle struct {
	SellerSKU, Title string
	Components       []string // "SKU*2"
	Price            int64
}

// Plant is how a variant is listed on the channel.
type Plant int

// The ways CatalogFor lists a variant.
const (
	// PlantExact: the seller SKU is Ordo's SKU exactly, with the barcode.
	PlantExact Plant = iota
	// PlantFuzzy: the seller SKU differs only by case, spaces or separators ("ab-12 " for AB_12);
	// no barcode.
	PlantFuzzy
	// PlantBarcode: no seller SKU, the barcode only.
	PlantBarcode
	// PlantOptions: no seller SKU and no barcode; only the product's title and the variant's
	// options tell which it is.
	PlantOptions
	// PlantTwice: listed twice with the same seller SKU, in two products (ambiguous); on Meta,
	// whose retailer ids are unique, the second one's differs by case.
	PlantTwice
	// PlantUnlisted: not on the channel.
	PlantUnlisted
)

// FuzzSKU writes sku as a seller might have typed it: the n-th of three spellings that differ only
// by case, spaces or separators.
func FuzzSKU(sku string, n int) string {
	switch n % 3 {
	case 0:
		return strings.ToLower(strings.ReplaceAll(sku, "_", "-")) + " "
	case 1:
		return strings.NewReplacer("-", " ", "_", " ").Replace(strings.ToUpper(sku))
	}
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(sku))
}

// CatalogFor returns a shop of the given kind (credentials as DemoShop's) whose catalogue lists
// products as planted, then bundles, with ids in the channel's style. Each listing's SKU is the Ordo
// SKU it stands for (empty for a bundle, whose Components say), so that a test knows the truth.
func CatalogFor(kind channels.Kind, currency string, products []CatalogProduct, bundles []CatalogBundle) (ShopConfig, error) {
	cfg, err := DemoShop(kind, currency, nil)
	if err != nil {
		return ShopConfig{}, err
	}
	n, p := 0, 0
	add := func(title string, options []string, vs []CatalogVariant, bundle *CatalogBundle) error {
		for _, v := range vs {
			if len(v.Values) != len(options) {
				return fmt.Errorf("marketsim: %s: %d option values for %d options", v.SKU, len(v.Values), len(options))
			}
		}
		for _, v := range vs {
			l := Listing{SKU: v.SKU, Name: title, Price: v.Price, Barcode: v.Barcode}
			for i, o := range options {
				l.Options = append(l.Options, Option{Name: o, Value: v.Values[i]})
			}
			switch v.Plant {
			case PlantFuzzy:
				l.SellerSKU, l.Barcode = FuzzSKU(v.SKU, n), ""
			case PlantBarcode:
				l.NoSellerSKU = true
			case PlantOptions:
				l.NoSellerSKU, l.Barcode = true, ""
			case PlantUnlisted:
				continue
			}
			if bundle != nil {
				l.SKU, l.SellerSKU, l.Components = "", bundle.SellerSKU, bundle.Components
			}
			cfg.Listings = append(cfg.Listings, planted(kind, cfg.ShopID, l, n, p, len(options) > 0))
			n++
		}
		p++
		return nil
	}
	for _, pr := range products {
		if err := add(pr.Title, pr.Options, pr.Variants, nil); err != nil {
			return ShopConfig{}, err
		}
		var twins []CatalogVariant
		for _, v := range pr.Variants {
			if v.Plant == PlantTwice {
				v.Plant = PlantExact
				if kind == channels.Facebook {
					v.Plant = PlantFuzzy
				}
				twins = append(twins, v)
			}
		}
		if len(twins) > 0 {
			if err := add(pr.Title+" (copy)", pr.Options, twins, nil); err != nil {
				return ShopConfig{}, err
			}
		}
	}
	for _, b := range bundles {
		if err := add(b.Title, nil, []CatalogVariant{{Price: b.Price}}, &b); err != nil {
			return ShopConfig{}, err
		}
	}
	return cfg, nil
}

// planted gives a listing, the n-th of the shop and in its p-th product, the channel's ids.
func planted(kind channels.Kind, shopID string, l Listing, n, p int, hasOptions bool) Listing {
	num := func(base int64, i int) string { return strconv.FormatInt(base+int64(i), 10) }
	switch kind {
	case channels.Shopify:
		l.ID = num(39072856000, n)
		l.Attrs = map[string]string{"inventory_item_id": num(808950810000, n), "product_id": num(632910392000, p)}
	case channels.Shopee:
		item, model := num(23620853000, p), "0"
		if hasOptions {
			model = num(221404189000, n)
		}
		l.ID = shopee.ListingID(item, model)
		l.Attrs = map[string]string{"item_id": item, "model_id": model}
	case channels.Lazada:
		l.ID = num(2114389000, n)
		l.Attrs = map[string]string{"item_id": num(1503947000, p), "seller_sku": l.ChannelSKU()}
	case channels.TikTokShop:
		l.ID = num(1729382256910270000, n)
		l.Attrs = map[string]string{"product_id": num(1729382256910260000, p)}
	case channels.Facebook:
		l.ID = l.ChannelSKU()
		if l.ID == "" { // Meta needs a retailer id: one that is no SKU of Ordo's
			l.ID = fmt.Sprintf("fb_%s_%d", shopID, n)
		}
		l.Attrs = map[string]string{"item_group_id": fmt.Sprintf("group-%d", p)}
	case channels.POS:
		l.ID = fmt.Sprintf("W62UWFY35CWMYGVW%08X", n)
		l.Attrs = map[string]string{"item_id": fmt.Sprintf("Q4TWCNGX5B2JFI7C%08X", p)}
	}
	return l
}

// catalogProduct is a channel's product: the listings that are its variants.
type catalogProduct struct {
	ID       string
	Listings []Listing
}

// Title is the product's title.
func (p catalogProduct) Title() string { return p.Listings[0].Name }

// OptionNames are the product's option names, as its first variant has them.
func (p catalogProduct) OptionNames() []string {
	var out []string
	for _, o := range p.Listings[0].Options {
		out = append(out, o.Name)
	}
	return out
}

// groupKey is the id of the channel product a listing belongs to.
func groupKey(l Listing) string {
	for _, k := range []string{"product_id", "item_id", "item_group_id"} {
		if v := l.Attrs[k]; v != "" {
			return v
		}
	}
	return l.ID
}

// catalogIndex is a shop's listings grouped into the channel's products, and the products by id.
type catalogIndex struct {
	products []catalogProduct
	byID     map[string]int
}

// catalog returns the shop's products in the order their first listing was added. A shop's
// listings do not change once it is added, so they are grouped once.
func (sh *Shop) catalog() []catalogProduct { return sh.index().products }

// catalogProduct returns a product by its id.
func (sh *Shop) catalogProduct(id string) (catalogProduct, bool) {
	ix := sh.index()
	i, ok := ix.byID[id]
	if !ok {
		return catalogProduct{}, false
	}
	return ix.products[i], true
}

func (sh *Shop) index() *catalogIndex {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.catalogIdx != nil {
		return sh.catalogIdx
	}
	ix := &catalogIndex{byID: map[string]int{}}
	for _, id := range sh.listingOrder {
		l := sh.listings[id]
		k := groupKey(l)
		i, ok := ix.byID[k]
		if !ok {
			i = len(ix.products)
			ix.byID[k] = i
			ix.products = append(ix.products, catalogProduct{ID: k})
		}
		ix.products[i].Listings = append(ix.products[i].Listings, l)
	}
	sh.catalogIdx = ix
	return ix
}

// catalogListings returns the shop's listings in the order they were added.
func (sh *Shop) catalogListings() []Listing {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Listing, len(sh.listingOrder))
	for i, id := range sh.listingOrder {
		out[i] = sh.listings[id]
	}
	return out
}

// pageSize is the size of a catalogue page: what the client asks, at most max (the channel's own
// limit) and Options.CatalogPageSize (default 50).
func (sh *Shop) pageSize(asked, max int) int {
	limit := sh.sim.opt.CatalogPageSize
	if limit <= 0 {
		limit = 50
	}
	if asked > 0 && asked < limit {
		limit = asked
	}
	return min(limit, max)
}

// page cuts all at offset, n long, and returns the next offset (-1 when this is the last page).
func page[T any](all []T, offset, n int) ([]T, int) {
	if offset < 0 || offset >= len(all) || n <= 0 {
		return nil, -1
	}
	end := min(offset+n, len(all))
	if end == len(all) {
		return all[offset:end], -1
	}
	return all[offset:end], end
}

// variantTitle is a listing's options as Shopify writes a variant's title ("Red / M").
func variantTitle(l Listing) string {
	var vs []string
	for _, o := range l.Options {
		vs = append(vs, o.Value)
	}
	return strings.Join(vs, " / ")
}
